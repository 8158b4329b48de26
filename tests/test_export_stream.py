"""Export streams: papers are loaded a batch at a time and written as they come, with the
same bytes as writing them all at once, and -o still replaced only when everything was written."""

from __future__ import annotations

import json
import re
import sqlite3
import sys

import pytest
from conftest import ROOT, run, run_handled
from hypothesis import given
from hypothesis import strategies as st

from medlit import catalog
from medlit.writers import bibtex, markdown

FORMATS = ("bibtex", "csl-json", "ris", "json", "csv", "markdown")


@pytest.fixture(scope="module")
def generated_db(tmp_path_factory):
    """400 papers from the benchmark generator: a catalog that takes many batches of 7."""
    sys.path.insert(0, str(ROOT / "bench"))
    import generate

    folder = tmp_path_factory.mktemp("generated")
    generate.write(400, folder / "lists")
    db = folder / "catalog.db"
    assert run("import", folder / "lists", "--db", db, "-q").exit_code == 0
    return db


def _export(db, fmt, *args):
    result = run("export", fmt, "--db", db, *args)
    assert result.exit_code == 0, result.stderr
    return result


def _all_papers(db, with_sources=False):
    conn = sqlite3.connect(db)
    papers = catalog.load_papers(conn, with_sources=with_sources)
    conn.close()
    return papers


@pytest.mark.parametrize("fmt", FORMATS)
def test_export_in_batches_is_the_export_in_one_batch(generated_db, seed_db, monkeypatch, fmt):
    for db in (generated_db, seed_db):
        monkeypatch.setattr(catalog.papers, "EXPORT_BATCH", 10**9)
        whole = _export(db, fmt)
        monkeypatch.setattr(catalog.papers, "EXPORT_BATCH", 7)
        batched = _export(db, fmt)
        assert batched.stdout == whole.stdout and batched.stderr == whole.stderr
        assert len(whole.stdout) > 1000


def test_bibtex_is_what_bibtexparser_writes(generated_db, seed_db):
    """The entries are written directly, in the bytes bibtexparser v2's writer gave them."""
    import bibtexparser
    from bibtexparser.model import Entry, Field

    for db in (generated_db, seed_db):
        papers = sorted(_all_papers(db), key=lambda p: p.key)
        library = bibtexparser.Library()
        for paper in papers:
            fields = [Field(k, v) for k, v in bibtex.fields(paper)]
            library.add(Entry(bibtex.entry_type(paper), paper.key, fields))
        assert _export(db, "bibtex").stdout == bibtexparser.write_string(library)
    assert bibtex.to_string([]) == bibtexparser.write_string(bibtexparser.Library()) == ""


def test_json_formats_are_what_json_dump_writes(generated_db, seed_db):
    from medlit.views import paper_json
    from medlit.writers import csljson

    for db in (generated_db, seed_db):
        papers = sorted(_all_papers(db, with_sources=True), key=lambda p: p.key)
        for fmt, items in (("json", map(paper_json, papers)), ("csl-json", map(csljson.item, papers))):
            expected = json.dumps(list(items), ensure_ascii=False, indent=2) + "\n"
            assert _export(db, fmt).stdout == expected
    assert _export(seed_db, "json", "--year", "1900").stdout == "[]\n"


def test_markdown_is_one_sorted_table_per_task(generated_db):
    """The streamed writer keeps a row of text per paper; `markdown.table` sorts whole papers."""
    conn = sqlite3.connect(generated_db)
    from medlit.search import query

    ids = query.select_ids(conn, query.Filters())
    papers = catalog.load_papers(conn, ids, with_sources=False)
    parts = []
    for task, names in markdown.TASKS.items():
        members = [p for p in papers if task in p.values("task")]
        if members:
            parts.append(f"#### {names[0]}\n\n{markdown.table(members, 'zh')}")
    rest = [p for p in papers if not any(t in markdown.TASKS for t in p.values("task"))]
    if rest:
        parts.append(f"#### {markdown.OTHER[0]}\n\n{markdown.table(rest, 'zh')}")
    assert len(parts) > 3
    assert _export(generated_db, "markdown", "--lang", "zh").stdout == "\n".join(parts)


def test_the_writer_gets_papers_while_later_batches_are_still_unread(seed_db, monkeypatch):
    """Memory stays bounded: the writer consumes an iterator and has the first paper when only
    the first batch has been loaded."""
    loads: list[int] = []
    real_load = catalog.load_papers

    def counted(conn, ids=None, with_sources=True):
        loads.append(len(ids))
        return real_load(conn, ids, with_sources)

    seen = {}
    real_write = bibtex.write

    def watching(papers, out, **options):
        assert not isinstance(papers, list | tuple)
        papers = iter(papers)
        first = next(papers)
        seen["loads at the first paper"] = list(loads)
        real_write([first], out)
        out.write("\n\n")
        real_write(papers, out)

    monkeypatch.setattr(catalog.papers, "EXPORT_BATCH", 10)
    monkeypatch.setattr(catalog.papers, "load_papers", counted)
    monkeypatch.setattr(bibtex, "write", watching)
    result = _export(seed_db, "bibtex")
    assert seen["loads at the first paper"] == [10]
    assert loads == [10] * 9  # the seeds' 90 papers
    assert result.stdout.count("\n@") == 89
    assert "57 of 90 entries have no author" in result.stderr  # counted across batches


def test_keys_keep_their_order_across_batches(generated_db, monkeypatch):
    """More keys than one SQLite query may take (900), most of them missing."""
    conn = sqlite3.connect(generated_db)
    keys = [r[0] for r in conn.execute("SELECT key FROM papers ORDER BY title DESC")]
    missing = [f"nosuch{i}" for i in range(600)]
    wanted = [k for pair in zip(keys, missing[:400], strict=True) for k in pair] + missing[400:]
    monkeypatch.setattr(catalog.papers, "EXPORT_BATCH", 7)
    result = _export(generated_db, "ris", "--keys", ",".join(wanted))
    assert re.findall(r"^ID  - (.*)$", result.stdout, re.M) == keys
    assert re.findall(r"key '(.*)' is not in the catalog", result.stderr) == missing


def test_a_failure_after_batches_were_written_leaves_the_old_file(generated_db, tmp_path, monkeypatch):
    target = tmp_path / "refs.bib"
    old = b"% my own file\r\n\xff\xfe not even UTF-8\n"
    target.write_bytes(old)
    written = []
    real_fields = bibtex.fields

    def failing(paper):
        written.append(paper.key)
        if len(written) == 300:
            temps = [p for p in tmp_path.iterdir() if p.name.startswith(".refs.bib.")]
            written.append(sum(p.stat().st_size for p in temps))
            raise OSError(28, "No space left on device")
        return real_fields(paper)

    monkeypatch.setattr(catalog.papers, "EXPORT_BATCH", 7)
    monkeypatch.setattr(bibtex, "fields", failing)
    result = run_handled("export", "bibtex", "-o", target, "--db", generated_db)
    assert result.exit_code == 1
    assert result.stderr == (  # the file named (issue 19, item 12)
        f"medlit: cannot access {target}: No space left on device; the old file is as it was; "
        "free some space and run again\n"
    )
    assert written[-1] > 50_000  # most entries had reached the temporary file
    assert target.read_bytes() == old
    assert [p.name for p in tmp_path.iterdir()] == ["refs.bib"]


def _protect_title_by_regex(title: str) -> str:
    """protect_title as first written (a regex callback per word), the reference for the fast one."""

    def word(m):
        lead, core, tail = bibtex._EDGES.match(m.group(0)).groups()
        if core and bibtex._needs_braces(core):
            return f"{bibtex.escape(lead)}{{{bibtex.escape(core)}}}{bibtex.escape(tail)}"
        return bibtex.escape(m.group(0))

    return bibtex._LIGATURE.sub("{}", re.sub(r"\S+", word, title))


PIECES = [*"\\{}$%&#_^~`'\"-.,;:!?()[] \t\u00a0\u2003", "--", "``", "''", "?`", "!`", "CT", "U-Net"]
PIECES += ["DeepLung", "3D", "3d", "é", "É", "ß", "ǅ", "ϒ", "肺结节", "deep", "Lung", "x2"]


@given(
    st.text(min_size=0, max_size=60) | st.lists(st.sampled_from(PIECES), min_size=1, max_size=20).map("".join)
)
def test_protect_title_is_the_regex_rule(title):
    assert bibtex.protect_title(title) == _protect_title_by_regex(title)
    assert bibtex.protect_title(title) == _protect_title_by_regex(title)  # again, from the cache


def test_the_json_pretty_printer_is_json_dumps_on_odd_values():
    from medlit.writers.jsonfmt import pretty

    odd = [
        {"t": 'a"b\\c\x00\x1f\u2028\u2029\ud800 й 肺', "n": None, "y": True, "f": False},
        {"empty": {}, "none": [], "nested": [[], [{}], {"a": [1, -2, 10**20]}]},
        [0.1, 1e300, -0.0, 2.5, float("nan"), float("inf")],
        "",
        0,
        [],
    ]
    for value in odd:
        assert pretty(value) == json.dumps(value, ensure_ascii=False, indent=2)
