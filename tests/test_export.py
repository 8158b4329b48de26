"""Exports parsed back by independent readers; the markdown round trip; render in place."""

from __future__ import annotations

import json
import shutil

import pytest
from conftest import SEEDS, one, run

HOSTILE_TITLES = [
    "Über-Segmentation & Co.: 100% of $5 for #1 with a_b {braces} ~tilde ^caret \\backslash",
    "Café, naïve Ångström: CT and MRI with U-Net [sic] *not emphasis* `not code` <html> | pipe",
]


def export(db, fmt, *args) -> str:
    result = run("export", fmt, "--db", db, *args)
    assert result.exit_code == 0, result.stderr
    return result.stdout


def test_bibtex_parses_with_bibtexparser_and_keeps_every_field(seed_db, papers):
    import bibtexparser

    library = bibtexparser.parse_string(export(seed_db, "bibtex"))
    assert not library.failed_blocks
    entries = {e.key: e for e in library.entries}
    assert set(entries) == {p["key"] for p in papers}
    taj = entries["tajbakhsh2016convolutional"]
    assert taj.entry_type == "article"
    assert taj["journal"] == "IEEE Transactions on Medical Imaging"
    assert (taj["volume"], taj["number"], taj["pages"], taj["year"]) == ("35", "5", "1299--1312", "2016")
    assert taj["eprint"] == "1706.00712" and taj["archiveprefix"] == "arXiv"
    assert entries["unet2015convolutional"].entry_type == "inproceedings"
    assert (
        entries["unet2015convolutional"]["booktitle"]
        == "Medical Image Computing and Computer-Assisted Intervention"
    )
    thesis = entries["ye2012jiyu"]
    assert thesis.entry_type == "mastersthesis" and thesis["school"] == "浙江大学"
    assert (
        entries["guo2005yixue"].entry_type == "book"
        and entries["guo2005yixue"]["publisher"] == "重庆大学出版社"
    )
    review = entries["qayyum2017medical"]
    assert review.entry_type == "misc" and review["eprint"] == "1709.02250"
    assert entries["bien2018deeplearningassisted"]["doi"] == "10.1371/journal.pmed.1002699"
    assert "{DeepLung}" in entries["deeplung2018deep"]["title"]
    assert "{CT}" in entries["pulmonary2016nodule"]["title"]


def test_bibtex_renders_with_pybtex_style(seed_db, papers):
    from pybtex.database import parse_string
    from pybtex.plugin import find_plugin
    from pybtex.style.template import optional

    plain = find_plugin("pybtex.style.formatting", "plain")

    class AuthorOptional(plain):
        """plain, except that an entry the lists give no authors for still renders."""

        def format_names(self, role, as_sentence=True):
            return optional[super().format_names(role, as_sentence)]

    data = parse_string(export(seed_db, "bibtex"), "bibtex")
    with_authors = [e for e in data.entries.values() if e.persons.get("author")]
    assert len(with_authors) == sum(1 for p in papers if p["authors"])
    text = {e.key: e.text.render_as("text") for e in plain().format_entries(with_authors)}
    assert "IEEE Transactions on Medical Imaging" in text["tajbakhsh2016convolutional"]
    assert "1299–1312" in text["tajbakhsh2016convolutional"]
    everything = {
        e.key: e.text.render_as("text") for e in AuthorOptional().format_entries(data.entries.values())
    }
    assert len(everything) == 90
    assert "DeepLung" in everything["deeplung2018deep"]  # the braces kept the capitals


def test_csl_json_renders_with_citeproc(seed_db):
    from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
    from citeproc.source.json import CiteProcJSON

    items = json.loads(export(seed_db, "csl-json"))
    taj = next(i for i in items if i["id"] == "tajbakhsh2016convolutional")
    assert taj["type"] == "article-journal" and taj["issued"] == {"date-parts": [[2016]]}
    assert taj["author"][0] == {"family": "Tajbakhsh", "given": "Nima"}
    assert (taj["volume"], taj["issue"], taj["page"]) == ("35", "5", "1299-1312")
    style = CitationStylesStyle("harvard-cite-them-right", validate=False)
    bibliography = CitationStylesBibliography(style, CiteProcJSON(items), formatter.plain)
    for item in items:
        bibliography.register(Citation([CitationItem(item["id"])]))
    rendered = [str(entry) for entry in bibliography.bibliography()]
    assert len(rendered) == 90
    assert any("Tajbakhsh" in r and "IEEE Transactions on Medical Imaging" in r for r in rendered)


def test_ris_reads_with_rispy(seed_db):
    import rispy

    records = rispy.loads(export(seed_db, "ris"))
    assert len(records) == 90
    taj = next(r for r in records if r.get("id") == "tajbakhsh2016convolutional")
    assert taj["type_of_reference"] == "JOUR"
    assert taj["journal_name"] == "IEEE Transactions on Medical Imaging"
    assert (taj["start_page"], taj["end_page"], taj["volume"], taj["number"]) == ("1299", "1312", "35", "5")
    thesis = next(r for r in records if r.get("id") == "ye2012jiyu")
    assert thesis["type_of_reference"] == "THES" and thesis["authors"] == ["叶萌萌"]


def test_export_filters_keys_and_aux(seed_db, tmp_path):
    assert export(seed_db, "bibtex", "--modality", "CT", "--organ", "lung").count("@") == 6
    two = export(seed_db, "bibtex", "--keys", "deeplung2018deep,ye2012jiyu")
    assert two.count("@") == 2 and two.index("deeplung2018deep") < two.index("ye2012jiyu")
    aux = tmp_path / "thesis.aux"
    aux.write_text(
        "\\relax\n\\citation{deeplung2018deep,unet2015convolutional}\n"
        "\\abx@aux@cite{0}{ye2012jiyu}\n\\citation{nosuchkey2099}\n\\citation{deeplung2018deep}\n"
    )
    result = run("export", "bibtex", "--aux", aux, "--db", seed_db)
    assert result.exit_code == 0 and result.stdout.count("@") == 3
    assert "nosuchkey2099" in result.stderr and "nosuchkey2099" not in result.stdout
    strict = run("export", "bibtex", "--aux", aux, "--strict", "--db", seed_db)
    assert strict.exit_code == 1 and "nosuchkey2099" in strict.stderr


def test_export_to_a_file_replaces_it(seed_db, tmp_path):
    target = tmp_path / "refs.bib"
    target.write_text("old content")
    result = run("export", "bibtex", "-o", target, "--organ", "lung", "--db", seed_db)
    assert result.exit_code == 0 and result.stdout == ""
    assert target.read_text(encoding="utf-8").count("@") == 6
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".refs.bib")]  # no temp files left
    failed = run("export", "bibtex", "-o", target, "--organ", "lugn", "--db", seed_db)
    assert failed.exit_code == 2 and target.read_text(encoding="utf-8").count("@") == 6


def _facts(papers):
    return {
        p["title"]: (
            p["year"],
            p["venue"],
            sorted(p["modalities"]),
            sorted(p["organs"]),
            sorted(p["techniques"]),
            sorted(p["tasks"]),
            sorted(p["datasets"]),
        )
        for p in papers
    }


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_markdown_round_trip(seed_db, papers, tmp_path, lang):
    md = tmp_path / f"list-{lang}.md"
    md.write_text(export(seed_db, "markdown", "--lang", lang), encoding="utf-8")
    db = tmp_path / "again.db"
    result = run("import", md, "--db", db)
    assert result.exit_code == 0 and "0 skipped" in result.stderr
    again = json.loads(export(db, "json"))
    assert _facts(again) == _facts(papers)


def test_markdown_has_seed_001_shape(seed_db):
    zh = export(seed_db, "markdown", "--lang", "zh")
    assert "#### 分类问题" in zh and "| 计算机技术 | 医学技术 | 目标区域 | 标题 | 数据库 | J/C | 年份 |" in zh
    row = next(line for line in zh.splitlines() if "DeepLung" in line)
    assert "| 3D-CNN | CT | 肺 | DeepLung" in row and "[[pdf]](https://arxiv.org/abs/1801.09555)" in row
    assert "[LIDC-IDRI](https://wiki.cancerimagingarchive.net/display/Public/LIDC-IDRI)" in row
    en = export(seed_db, "markdown", "--lang", "en")
    assert (
        "#### Classification" in en
        and "| Technique | Modality | Area | Paper Title | DB | J/C | Year |" in en
    )
    section = en.split("#### Classification")[1].split("####")[0]
    years = [
        int(line.rsplit("|", 2)[1])
        for line in section.splitlines()
        if line.startswith("| ") and line.rsplit("|", 2)[1].strip().isdigit()
    ]
    assert years == sorted(years)


def test_hostile_titles_survive_bibtex_and_markdown(tmp_path):
    from bibtexparser import parse_string
    from pylatexenc.latex2text import LatexNodes2Text

    from medlit.writers.markdown import escape

    doc = tmp_path / "hostile.md"  # as a maintainer writes them: markdown specials escaped
    rows = "".join(f"| CNN | CT | lung | {escape(t)} | | MICCAI | 2020 |\n" for t in HOSTILE_TITLES)
    doc.write_text(
        "#### Segmentation\n| Technique | Modality | Area | Paper Title | DB | J/C | Year |\n"
        "|---|---|---|---|---|---|---|\n" + rows,
        encoding="utf-8",
    )
    db = tmp_path / "h.db"
    assert run("import", doc, "--db", db).exit_code == 0
    stored = sorted(p["title"] for p in json.loads(export(db, "json")))
    assert stored == sorted(HOSTILE_TITLES)
    text_of = LatexNodes2Text(keep_braced_groups=False, math_mode="verbatim").latex_to_text
    braces = {r"\textbraceleft{}": "\x01", r"\textbraceright{}": "\x02"}

    def decode(latex: str) -> str:
        for command, mark in braces.items():
            latex = latex.replace(command, mark)
        return text_of(latex).replace("\x01", "{").replace("\x02", "}")

    # pylatexenc renders \\textasciicircum as U+02C6, LaTeX prints an ASCII ^; pylatexenc drops
    # \\textbraceleft and \\textbraceright (medlit's braces: BibTeX would count `\\{`), LaTeX prints them
    parsed = sorted(
        decode(e["title"]).replace("\u02c6", "^") for e in parse_string(export(db, "bibtex")).entries
    )
    assert parsed == sorted(HOSTILE_TITLES)
    md = tmp_path / "again.md"
    md.write_text(export(db, "markdown"), encoding="utf-8")
    db2 = tmp_path / "again.db"
    run("import", md, "--db", db2)
    assert sorted(p["title"] for p in json.loads(export(db2, "json"))) == sorted(HOSTILE_TITLES)


README = """# A list

Intro, kept byte for byte.\r

<!-- medlit:begin task=segmentation lang=zh year=2017- -->
stale
<!-- medlit:end -->

## Lung CT
<!-- medlit:begin modality=CT organ=lung -->
<!-- medlit:end -->
Tail.
"""


def test_render_check_and_update(seed_db, tmp_path):
    readme = tmp_path / "README.md"
    readme.write_bytes(README.encode())
    stale = run("render", readme, "--check", "--db", seed_db)
    assert stale.exit_code == 1 and f"{readme}:5: block is stale" in stale.stderr
    assert readme.read_bytes() == README.encode()  # --check changes nothing
    assert run("render", readme, "--db", seed_db).exit_code == 0
    text = readme.read_bytes().decode("utf-8")
    assert text.startswith("# A list\n\nIntro, kept byte for byte.\r\n") and text.endswith(
        "<!-- medlit:end -->\nTail.\n"
    )
    assert "| 计算机技术 |" in text and "stale" not in text
    assert "#### Classification" in text and "#### Detection / Localization" in text  # no task: headings
    assert run("render", readme, "--check", "--db", seed_db).exit_code == 0
    before = readme.read_bytes()
    assert run("render", readme, "--db", seed_db).exit_code == 0 and readme.read_bytes() == before


def test_render_reports_marker_errors(seed_db, tmp_path):
    readme = tmp_path / "README.md"
    readme.write_text("x\n<!-- medlit:begin colour=red -->\n<!-- medlit:end -->\n")
    result = run("render", readme, "--db", seed_db)
    assert result.exit_code == 1 and "README.md:2: unknown marker attribute 'colour=red'" in result.stderr
    readme.write_text("x\n<!-- medlit:begin task=segmentation -->\n")
    result = run("render", readme, "--db", seed_db)
    assert result.exit_code == 1 and "README.md:2: medlit:begin has no matching" in result.stderr


def test_shipped_seeds_export_is_stable(tmp_path):
    shutil.copytree(SEEDS, tmp_path / "seeds")
    db = tmp_path / "c.db"
    run("import", tmp_path / "seeds", "--db", db)
    assert export(db, "bibtex") == export(db, "bibtex")
    assert one(json.loads(export(db, "json")), "DeepLung")["key"] == "deeplung2018deep"
