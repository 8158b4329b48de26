"""Issue 19's hostile outputs: what a document says can never inject into the BibTeX, markdown,
CSV or terminal output that medlit writes from it. Each test is one of the issue's cases,
imported from a document the test writes and exported through the CLI."""

from __future__ import annotations

import csv
import io
import json
import re

from conftest import run

TABLE_HEAD = "#### Segmentation\n| Technique | Modality | Area | Paper Title | DB | J/C | Year |\n|---|---|---|---|---|---|---|\n"


def _catalog(tmp_path, name: str, text: str):
    doc = tmp_path / name
    doc.write_text(text, encoding="utf-8")
    db = tmp_path / "c.db"
    result = run("import", doc, "--db", db)
    assert result.exit_code == 0, result.stderr
    return db


def _export(db, fmt: str, *args: str) -> str:
    result = run("export", fmt, "--db", db, *args)
    assert result.exit_code == 0, result.stderr
    return result.stdout


def bibtex_entries(text: str) -> list[tuple[str, str, dict[str, str]]]:
    """The .bib as BibTeX itself scans it (bibtex.web's scan_balanced_braces): a braced value
    ends at the brace that brings the count back to zero, and every brace counts, `\\{` too.
    (type, key, {field: value}); a value that never closes takes the rest of the file."""
    entries = []
    pos = 0
    while (at := text.find("@", pos)) >= 0:
        head = re.compile(r"@(\w+)\{([^,\s]*),").match(text, at)
        assert head, text[at : at + 80]
        kind, key, pos = head.group(1), head.group(2), head.end()
        fields: dict[str, str] = {}
        while True:
            m = re.compile(r"\s*(\w+)\s*=\s*\{").match(text, pos)
            if not m:
                break
            depth, i = 1, m.end()
            while i < len(text) and depth:
                depth += {"{": 1, "}": -1}.get(text[i], 0)
                i += 1
            fields[m.group(1).lower()] = text[m.end() : i - 1]
            pos = i
            if depth:
                break  # unbalanced: BibTeX has lost the rest of the file
            comma = re.compile(r"\s*,").match(text, pos)
            if comma:
                pos = comma.end()
        end = re.compile(r"\s*\}").match(text, pos)
        assert end, f"entry {key} does not end where BibTeX expects: {text[pos : pos + 60]!r}"
        pos = end.end()
        entries.append((kind, key, fields))
    return entries


# ------------------------------------------------------------------ 1: DOI/URL injection


INJECTING_LINK = "https://doi.org/10.1234/abc%7D,note=%7B%5Cinput%7B/etc/passwd%7D%7D"


def _no_injection(out: str, entries: int) -> None:
    assert "\\input" not in out
    found = bibtex_entries(out)
    assert len(found) == len(re.findall(r"^@", out, re.M)) == entries
    for _kind, _key, fields in found:
        assert "note" not in fields
        for name in ("doi", "url", "eprint"):
            value = fields.get(name, "")
            assert not set(value) & set("{}\\ \n"), (name, value)


def test_a_doi_link_cannot_inject_a_field_or_a_command_into_bibtex(tmp_path):
    row = f"| CNN | CT | lung | Lung nodules [[pdf]]({INJECTING_LINK}) | | MICCAI | 2020 |\n"
    bib = "@article{evil2020,\n  title = {Evil entry},\n  year = {2020},\n  doi = {10.1234/{\\input{/etc/shadow}}}\n}\n"
    db = _catalog(tmp_path, "list.md", TABLE_HEAD + row)
    (tmp_path / "evil.bib").write_text(bib, encoding="utf-8")
    assert run("import", tmp_path / "evil.bib", "--db", db).exit_code == 0
    _no_injection(_export(db, "bibtex"), 2)


def test_the_bibtex_writer_cannot_be_injected_whatever_the_catalog_holds():
    from medlit.model import Paper
    from medlit.writers.bibtex import to_string

    hostile = "10.1234/abc},note={\\input{/etc/passwd}}"
    paper = Paper(
        title="T", key="k2020t", year=2020, doi=hostile, arxiv="2001.00001}, note={x",
        url="https://x.org/a}\n  note = {\\input{/etc/passwd}}", venue="V", venue_kind="journal",
    )  # fmt: skip
    out = to_string([paper, Paper(title="Next", key="k2021n", year=2021)])
    _no_injection(out, 2)
    (_, _, fields), _ = bibtex_entries(out)
    assert fields["doi"] == "10.1234/abc%7D,note=%7B%5Cinput%7B/etc/passwd%7D%7D"


def test_an_injecting_doi_is_refused_with_its_file_and_line(tmp_path):
    row = f"| CNN | CT | lung | Lung nodules [[pdf]]({INJECTING_LINK}) | | MICCAI | 2020 |\n"
    doc = tmp_path / "list.md"
    doc.write_text(TABLE_HEAD + row, encoding="utf-8")
    result = run("import", doc, "--db", tmp_path / "c.db")
    assert result.exit_code == 0
    assert re.search(r"list\.md:4: warning: .*not a well-formed DOI", result.stderr), result.stderr
    (paper,) = json.loads(_export(tmp_path / "c.db", "json"))
    assert paper["doi"] is None


# ------------------------------------------------------------------ 2: braces BibTeX counts


def test_every_exported_entry_is_brace_balanced_as_bibtex_counts(tmp_path):
    titles = ["A lone { opens", "A lone } closes", "Both } then {", "Plain title", "Set {a, b} kept"]
    rows = "".join(f"| CNN | CT | lung | {t} | | MICCAI | {2015 + i} |\n" for i, t in enumerate(titles))
    db = _catalog(tmp_path, "braces.md", TABLE_HEAD + rows)
    out = _export(db, "bibtex")
    entries = bibtex_entries(out)
    assert len(entries) == 5
    assert all(set(fields) >= {"title", "year", "booktitle"} for _, _, fields in entries)
    # and what a reader makes of them is the titles again
    from medlit.readers.bibtex import read_bibtex

    assert sorted(r.title for r in read_bibtex(out, "x.bib").records) == sorted(titles)


# ------------------------------------------------------------------ 3: markdown


MARKER_URL = "https://evil.example/x<!-- medlit:end -->y"
SCRIPT_URL = "https://evil.example/<script>alert(1)</script>"
HOSTILE_BIB = f"""@article{{script2020,
  title = {{Segmentation of the lung <script>alert(2)</script>}},
  journal = {{Medical Image Analysis}},
  year = {{2020}},
  url = {{{SCRIPT_URL}}}
}}
@article{{marker2021,
  title = {{Lung nodules <!-- medlit:end --> detected}},
  journal = {{Medical Image Analysis}},
  year = {{2021}},
  url = {{{MARKER_URL}}}
}}
@article{{js2022,
  title = {{Lung CT with a javascript link}},
  journal = {{Medical Image Analysis}},
  year = {{2022}},
  url = {{javascript://%0Aalert(3)}}
}}
"""


def test_markdown_export_writes_no_html_and_no_marker(tmp_path):
    db = _catalog(tmp_path, "hostile.bib", HOSTILE_BIB)
    out = _export(db, "markdown")
    assert not re.search(r"(?<!\\)<", out), out  # every `<` escaped: no tag, no comment, no marker
    assert "javascript:" not in out
    # every row is still one row of seven cells, and reads back as the same papers
    rows = [line for line in out.splitlines() if line.startswith("| ") and "Paper Title" not in line]
    assert all(len(re.split(r"(?<!\\)\|", line)) == 9 for line in rows), rows
    again = tmp_path / "again.md"
    again.write_text(out, encoding="utf-8")
    result = run("import", again, "--db", tmp_path / "again.db")
    assert result.exit_code == 0 and "skipped:" not in result.stderr, result.stderr
    titles = lambda db: sorted(p["title"] for p in json.loads(_export(db, "json")))  # noqa: E731
    assert titles(tmp_path / "again.db") == titles(db)


def test_render_of_a_hostile_catalog_is_stable_and_keeps_the_rest(tmp_path):
    db = _catalog(tmp_path, "hostile.bib", HOSTILE_BIB)
    readme = tmp_path / "README.md"
    before, after = "# My list\n\nIntro.\n\n", "\nOutro, by hand.\n"
    readme.write_text(before + "<!-- medlit:begin -->\n<!-- medlit:end -->" + after, encoding="utf-8")
    assert run("render", readme, "--db", db).exit_code == 0
    first = readme.read_text(encoding="utf-8")
    assert not re.search(r"(?<!\\)<(?!!-- medlit:(begin|end) -->)", first)
    assert first.startswith(before) and first.endswith("<!-- medlit:end -->" + after)
    assert first.count("<!--") == 2
    assert run("render", readme, "--db", db).exit_code == 0
    assert readme.read_text(encoding="utf-8") == first  # no growth, nothing outside changed
    assert run("render", readme, "--check", "--db", db).exit_code == 0


def test_markdown_escapes_for_each_place():
    from medlit.writers import escape

    assert escape.md_cell("a | b\nc <b>") == "a \\| b c \\<b\\>"
    assert escape.md_text("# not a heading") == "\\# not a heading"
    assert escape.md_text("1. not a list") == "1\\. not a list"
    assert escape.md_link_target("https://x.org/a b|c") == "https://x.org/a%20b%7Cc"
    assert (
        escape.md_link_target("https://en.wikipedia.org/wiki/A_(b)") == "https://en.wikipedia.org/wiki/A_(b)"
    )
    assert escape.md_link_target("https://x.org/a)") == "https://x.org/a%29"
    assert escape.md_link_target("javascript:alert(1)") is None
    assert escape.md_link("[x]", "data:text/html,hi") == "\\[x\\]"


# ------------------------------------------------------------------ 4: CSV formulas


def test_csv_cells_cannot_be_formulas(tmp_path):
    titles = ['=HYPERLINK("http://evil.example","click")', "+1+cmd' /C calc'!A0", "-2+3", "@SUM(A1:A9)"]
    rows = "".join(f"| CNN | CT | lung | {t} | | MICCAI | {2015 + i} |\n" for i, t in enumerate(titles))
    db = _catalog(tmp_path, "formulas.md", TABLE_HEAD + rows)
    table = list(csv.DictReader(io.StringIO(_export(db, "csv"))))
    assert sorted(r["title"] for r in table) == sorted("'" + t for t in titles)
    assert all(r["key"][0].isalnum() for r in table)
    from medlit.writers.escape import csv_cell

    assert [csv_cell(x) for x in ("\tx", "\rx", "ok", 2020, None)] == ["'\tx", "'\rx", "ok", "2020", ""]
