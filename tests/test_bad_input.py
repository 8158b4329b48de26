"""Bad input to `medlit import`: each fault is named by file and line, with the documented exit
code, and every good record of the same import is still in the catalog.

Exit codes (README, "Exit codes"): 0 when every file was read, even with rows skipped or
warnings; 1 when a path or file could not be read at all (the others are still imported).
"""

from __future__ import annotations

import os
import re

import pytest
from conftest import exported, medlit, run

from medlit.readers import read_text

GOOD = "# Papers\n\n| Title | Year |\n|---|---|\n| A good paper that must survive | 2018 |\n"


def _setup(tmp_path, **files: str | bytes):
    for name, content in files.items():
        path = tmp_path / name.replace("__", ".")
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8", newline="")
    (tmp_path / "good.md").write_text(GOOD, encoding="utf-8")
    return tmp_path / "catalog.db"


def _titles(db) -> set[str]:
    return {p["title"] for p in exported(db)}


def _clean(result) -> None:
    assert "Traceback" not in result.stderr
    assert result.stdout == ""  # import writes data nowhere but the catalog


def test_missing_path_is_named_and_the_rest_is_imported(tmp_path):
    db = _setup(tmp_path)
    result = medlit("import", "good.md", "nope.md", "--db", db, cwd=tmp_path)
    _clean(result)
    assert result.returncode == 1
    assert "medlit: nope.md: no such file or folder\n" in result.stderr
    assert _titles(db) == {"A good paper that must survive"}


def test_nothing_to_read_creates_no_catalog(tmp_path):
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "paper.pdf").write_bytes(b"%PDF-1.4")
    result = medlit("import", "nope.md", "notes", "--db", "cat.db", cwd=tmp_path)
    _clean(result)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "medlit: nope.md: no such file or folder",
        "medlit: notes: the folder holds no .md, .markdown, .txt or .bib files",
    ]
    assert not (tmp_path / "cat.db").exists()


def test_folder_without_documents_is_named_and_the_rest_is_imported(tmp_path):
    db = _setup(tmp_path)
    (tmp_path / "empty").mkdir()
    result = medlit("import", "empty", "good.md", "--db", db, cwd=tmp_path)
    _clean(result)
    assert result.returncode == 1
    assert "medlit: empty: the folder holds no .md, .markdown, .txt or .bib files" in result.stderr
    assert _titles(db) == {"A good paper that must survive"}


def test_empty_file_is_a_warning(tmp_path):
    db = _setup(tmp_path, empty__md="")
    result = medlit("import", "empty.md", "good.md", "--db", db, "-q", cwd=tmp_path)
    _clean(result)
    assert result.returncode == 0
    assert result.stderr == "  empty.md:1: warning: empty file: nothing to import\n"
    assert _titles(db) == {"A good paper that must survive"}


def test_binary_file_is_refused_and_the_rest_is_imported(tmp_path):
    db = _setup(tmp_path, scan__md=bytes(range(256)) * 40)
    result = medlit("import", "scan.md", "good.md", "--db", db, "-q", cwd=tmp_path)
    _clean(result)
    assert result.returncode == 1
    assert result.stderr.startswith("medlit: scan.md: a binary file, not a text document")
    assert len(result.stderr.splitlines()) == 1
    assert _titles(db) == {"A good paper that must survive"}


CHINESE = (
    "# 论文\n\n| 标题 | 年份 |\n|---|---|\n| 基于深度学习的肺结节检测 | 2018 |\n| 医学图像分割综述 | 2019 |\n"
)


@pytest.mark.parametrize("codec", ["gbk", "gb18030"])
def test_gbk_document_is_decoded(tmp_path, codec):
    db = _setup(tmp_path, zh__md=CHINESE.encode(codec))
    result = medlit("import", "zh.md", "good.md", "--db", db, cwd=tmp_path)
    _clean(result)
    assert result.returncode == 0
    assert "zh.md: 2 read, 2 new, 0 merged, 0 skipped, decoded as gb18030" in result.stderr
    papers = {p["title"]: p for p in exported(db)}
    assert set(papers) == {"基于深度学习的肺结节检测", "医学图像分割综述", "A good paper that must survive"}
    assert papers["基于深度学习的肺结节检测"]["sources"][0]["line"] == 5


def test_text_in_no_known_encoding_names_its_line(tmp_path):
    latin1 = "# Papers\n\n| Title | Year |\n|---|---|\n| Caf\xe9 na\xefve segmentation | 2018 |\n"
    db = _setup(tmp_path, latin__md=latin1.encode("latin-1"))
    result = medlit("import", "latin.md", "good.md", "--db", db, "-q", cwd=tmp_path)
    _clean(result)
    assert result.returncode == 1
    assert result.stderr.startswith("medlit: latin.md:5: not UTF-8 or GB18030 text; convert it")
    assert _titles(db) == {"A good paper that must survive"}


def test_broken_utf16_names_its_line(tmp_path):
    text = "# T\n\n| Title |\n|---|\n| A paper |\n".encode("utf-16-le")
    db = _setup(tmp_path, u16__md=b"\xff\xfe" + text + b"\x00")
    result = medlit("import", "u16.md", "good.md", "--db", db, "-q", cwd=tmp_path)
    _clean(result)
    assert result.returncode == 1
    assert result.stderr == "medlit: u16.md:6: broken UTF-16 text; save it again as UTF-8\n"
    assert _titles(db) == {"A good paper that must survive"}


def test_bom_and_crlf_read_like_plain_utf8(tmp_path):
    windows = ("\ufeff" + CHINESE).replace("\n", "\r\n").encode("utf-8")
    db = _setup(tmp_path, win__md=windows, unix__md=CHINESE)
    result = medlit("import", "win.md", "unix.md", "--db", db, cwd=tmp_path)
    _clean(result)
    assert result.returncode == 0
    papers = exported(db)
    assert {p["title"] for p in papers} == {"基于深度学习的肺结节检测", "医学图像分割综述"}
    for paper in papers:  # one paper each, read from the same line of both files
        assert [(s["file"], s["line"]) for s in paper["sources"]] == [
            ("unix.md", paper["sources"][0]["line"]),
            ("win.md", paper["sources"][0]["line"]),
        ]
        assert "\ufeff" not in paper["title"] and "\r" not in paper["title"]


def test_ragged_table_rows_are_read_and_named(tmp_path):
    ragged = (
        "# Papers\n\n| Title | Year | Venue |\n|---|---|---|\n"
        "| Short row paper with only a title |\n"
        "| Long row paper with extra cells | 2019 | MICCAI | extra | more |\n"
        "| Normal row paper | 2020 | TMI |\n"
    )
    db = _setup(tmp_path, ragged__md=ragged)
    result = medlit("import", "ragged.md", "good.md", "--db", db, "-q", cwd=tmp_path)
    _clean(result)
    assert result.returncode == 0
    assert result.stderr.splitlines() == [
        "  ragged.md:5: warning: table row has 1 of 3 cells; the missing ones are read as empty",
        "  ragged.md:6: warning: table row has 5 cells, the header 3; the last 2 are ignored",
    ]
    papers = {p["title"]: p for p in exported(db)}
    assert papers["Short row paper with only a title"]["year"] is None
    assert papers["Long row paper with extra cells"]["year"] == 2019
    assert papers["Long row paper with extra cells"]["venue"].startswith("Medical Image Computing")
    assert "Normal row paper" in papers and "A good paper that must survive" in papers


def test_broken_and_empty_links_are_named(tmp_path):
    links = (
        "# Papers\n\n| Title | Year |\n|---|---|\n"
        "| [Broken link paper]( | 2018 |\n"
        "| [Empty link paper]() | 2019 |\n"
        "| [](http://example.org/no-title) | 2019 |\n"
        "| [Fine linked paper](http://example.org/fine) | 2020 |\n"
    )
    db = _setup(tmp_path, links__md=links)
    result = medlit("import", "links.md", "good.md", "--db", db, "-q", cwd=tmp_path)
    _clean(result)
    assert result.returncode == 0
    assert result.stderr.splitlines() == [
        "  links.md:5: warning: broken link '[Broken link paper](' (not closed?); "
        "title read as 'Broken link paper'",
        "  links.md:6: warning: empty link [Empty link paper](): no address to keep",
        "  links.md:7: skipped: table row has no title",
    ]
    papers = {p["title"]: p for p in exported(db)}
    assert set(papers) == {
        "Broken link paper",
        "Empty link paper",
        "Fine linked paper",
        "A good paper that must survive",
    }
    assert papers["Empty link paper"]["url"] is None
    assert papers["Fine linked paper"]["url"] == "http://example.org/fine"


@pytest.mark.parametrize("where", ["row", "cell", "paragraph"])
def test_a_5mb_line_is_skipped_by_line_and_never_echoed(tmp_path, where):
    huge = {"row": "x" * 5_000_000, "cell": "| " + "word " * 1_000_000 + "| 2019 |"}.get(where)
    rows = ["| Paper before the long line | 2018 |", huge, "| Paper after the long line | 2019 |"]
    doc = "# Papers\n\n| Title | Year |\n|---|---|\n" + "\n".join(r for r in rows if r) + "\n"
    if where == "paragraph":
        doc += "\nSome prose " + "words " * 1_000_000 + "\n"
    db = _setup(tmp_path, long__md=doc)
    result = medlit("import", "long.md", "good.md", "--db", db, "-q", cwd=tmp_path)
    _clean(result)
    assert result.returncode == 0
    assert len(result.stderr) < 1000  # named, not quoted
    if huge:
        assert re.match(
            r"  long\.md:6: skipped: a title of [45],\d{3},\d{3} characters is not a title", result.stderr
        )
    else:
        assert result.stderr == ""
    assert _titles(db) == {
        "Paper before the long line",
        "Paper after the long line",
        "A good paper that must survive",
    }


def test_html_table_is_named_and_the_pipe_table_read(tmp_path):
    html = (
        "# Papers\n\n<table><tr><td>An HTML table paper</td></tr></table>\n\n"
        "| Title | Year |\n|---|---|\n| Pipe table paper beside HTML | 2018 |\n"
    )
    db = _setup(tmp_path, html__md=html)
    result = medlit("import", "html.md", "good.md", "--db", db, "-q", cwd=tmp_path)
    _clean(result)
    assert result.returncode == 0
    assert result.stderr == (
        "  html.md:3: skipped: HTML table without a title column, and no row of it reads as a paper\n"
    )
    assert _titles(db) == {"Pipe table paper beside HTML", "A good paper that must survive"}


UNCLOSED = """@article{good1,
  title={A good first entry},
  author={Smith, John},
  year={2018},
  journal={Medical Image Analysis}
}

@article{broken,
  title={An entry that is never closed},
  year={2019},

@inproceedings{good2,
  title={A good entry after the broken one},
  author={Lee, Kim},
  year={2020},
  booktitle={MICCAI}
}

@article{tail,
  title={The last entry is not closed either},
  year={2021},
"""


def test_bibtex_unclosed_entries_are_named_by_line_and_the_rest_kept(tmp_path):
    db = _setup(tmp_path, refs__bib=UNCLOSED.replace("\n", "\r\n"))
    result = medlit("import", "refs.bib", "good.md", "--db", db, "-q", cwd=tmp_path)
    _clean(result)
    assert result.returncode == 0
    lines = result.stderr.splitlines()
    assert [line.split(": skipped: ")[0] for line in lines] == ["  refs.bib:8", "  refs.bib:19"]
    assert "BibTeX entry 'broken' could not be parsed" in lines[0]
    assert "BibTeX entry 'tail' could not be parsed" in lines[1]
    papers = {p["key"]: p["title"] for p in exported(db)}
    assert papers["good1"] == "A good first entry"
    assert papers["good2"] == "A good entry after the broken one"
    assert len(papers) == 3


def test_bibtex_parser_failure_costs_one_entry(monkeypatch):
    import bibtexparser

    real = bibtexparser.parse_string

    def fragile(text, *args, **kwargs):
        if "@article{broken" in text:  # the entry medlit's own splitter hands to bibtexparser
            raise RuntimeError("parser bug")
        return real(text, *args, **kwargs)

    monkeypatch.setattr(bibtexparser, "parse_string", fragile)
    text = UNCLOSED.split("@article{tail")[0] + "@misc{boom,\n  title={Read by the splitter}\n}\n"
    result = read_text(text, "refs.bib", ".bib")
    assert [r.key_hint for r in result.records] == ["good1", "good2", "boom"]
    assert [(s.source.line, s.reason) for s in result.skips] == [
        (8, "BibTeX entry 'broken' could not be parsed (unbalanced braces or a missing comma?)"),
    ]


def test_a_reader_bug_costs_one_file(tmp_path, monkeypatch):
    import medlit.readers

    real = medlit.readers.read_bytes

    def buggy(data, name, suffix):
        if name.endswith("bug.md"):
            raise IndexError("list index out of range")
        return real(data, name, suffix)

    monkeypatch.setattr(medlit.readers, "read_bytes", buggy)
    db = _setup(tmp_path, bug__md=GOOD.replace("A good paper", "Another paper"))
    result = run("import", tmp_path / "bug.md", tmp_path / "good.md", "--db", db, "-q")
    assert result.exit_code == 1
    assert result.stderr.startswith("medlit: bug.md: medlit could not read it (IndexError: list index")
    assert _titles(db) == {"A good paper that must survive"}


def test_nul_and_terminal_escapes_never_reach_the_catalog(tmp_path):
    prose = "# Notes\n\n" + "A line of prose.\n" * 600  # past the 8 KiB binary sniff
    doc = prose + "\n| Title | Year |\n|---|---|\n| Nul\x00 and \x1b[31mred\x1b[0m title | 2018 |\n"
    db = _setup(tmp_path, ctl__md=doc)
    result = medlit("import", "ctl.md", "good.md", "--db", db, "-q", cwd=tmp_path)
    _clean(result)
    assert result.returncode == 0
    assert result.stderr == "  ctl.md:606: warning: 3 control characters removed (the first: NUL)\n"
    assert _titles(db) == {"Nul and [31mred[0m title", "A good paper that must survive"}


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_named_pipe_is_refused_without_waiting(tmp_path):
    db = _setup(tmp_path)
    os.mkfifo(tmp_path / "pipe.md")
    result = medlit("import", "pipe.md", "good.md", "--db", db, "-q", cwd=tmp_path, timeout=60)
    _clean(result)
    assert result.returncode == 1
    assert result.stderr.startswith("medlit: pipe.md: not a regular file")
    assert _titles(db) == {"A good paper that must survive"}


def test_every_fault_at_once_still_imports_every_good_record(tmp_path):
    files = {
        "empty__md": "",
        "scan__md": bytes(range(256)) * 40,
        "refs__bib": UNCLOSED,
        "ragged__md": "| Title | Year |\n|---|---|\n| Ragged but good | 2017 | extra |\n",
    }
    db = _setup(tmp_path, **files)
    result = medlit("import", ".", "missing.md", "--db", db, cwd=tmp_path)
    _clean(result)
    assert result.returncode == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("medlit: ")]
    assert errors == [
        "medlit: missing.md: no such file or folder",
        "medlit: scan.md: a binary file, not a text document (medlit reads .md, .txt and .bib text)",
    ]
    assert _titles(db) == {
        "A good first entry",
        "A good entry after the broken one",
        "Ragged but good",
        "A good paper that must survive",
    }


def test_a_file_over_the_size_limit_is_refused_unread(tmp_path, monkeypatch):
    import medlit.readers

    monkeypatch.setattr(medlit.readers, "MAX_BYTES", 1024)
    db = _setup(tmp_path, huge__md=GOOD + "| filler row |\n" * 200)
    result = run("import", tmp_path / "huge.md", tmp_path / "good.md", "--db", db, "-q")
    assert result.exit_code == 1
    assert result.stderr == "medlit: huge.md: larger than the 0 MiB medlit reads; split it\n"
    assert _titles(db) == {"A good paper that must survive"}
