"""What real LaTeX and pandoc users met (issue 16, items 7 and 8): a .bib keeps every field
through import and export; et al., non-ASCII initials, protected words, a padded Chinese
name and \\nocite{*} come out as the tools expect."""

from __future__ import annotations

import json

import pytest
from conftest import CORPORA, SEED, exported, run

THESIS = CORPORA / "fepegar_phd-thesis_phd.bib"


def _parse(path):
    import bibtexparser

    return {e.key: e for e in bibtexparser.parse_file(str(path)).entries}


@pytest.mark.skipif(not THESIS.is_file(), reason="needs ../shared/corpora")
def test_a_thesis_bib_keeps_every_field_entry_by_entry(tmp_path):
    db = tmp_path / "c.db"
    assert run("import", THESIS, "--db", db, "-q").exit_code == 0
    out = tmp_path / "out.bib"
    assert run("export", "bibtex", "-o", out, "--db", db).exit_code == 0
    original, written = _parse(THESIS), _parse(out)
    checked = 0
    lost: list[tuple[str, str]] = []
    for key, entry in original.items():
        if key not in written:
            continue  # merged into another entry of the same paper (same DOI or title)
        checked += 1
        mine = {f.key.lower(): str(f.value) for f in written[key].fields}
        for f in entry.fields:
            name = f.key.lower()
            if name not in mine:
                if name == "doi" and "\\_" in str(f.value):
                    continue  # not a well-formed DOI: dropped with a warning at import
                lost.append((key, name))
            elif name in (
                "month",
                "issn",
                "isbn",
                "editor",
                "series",
                "address",
                "publisher",
                "note",
                "urldate",
                "language",
                "file",
                "shorttitle",
                "copyright",
                "edition",
                "pmid",
            ):
                assert mine[name] == str(f.value), (key, name)  # fmt: skip
    assert checked >= 370 and lost == []
    merged = set(original) - set(written)
    assert len(merged) <= 5


def test_bib_fields_survive_a_merge_with_a_list_and_export(tmp_path):
    bib = tmp_path / "mine.bib"
    bib.write_text(
        "@incollection{ronneberger2015unet,\n"
        "  title = {U-Net: Convolutional Networks for Biomedical Image Segmentation},\n"
        "  author = {Ronneberger, Olaf and Fischer, Philipp and Brox, Thomas},\n"
        "  booktitle = {Medical Image Computing and Computer-Assisted Intervention -- MICCAI 2015},\n"
        "  editor = {Navab, Nassir and Hornegger, Joachim},\n"
        "  series = {Lecture Notes in Computer Science}, volume = {9351},\n"
        "  publisher = {Springer}, address = {Cham}, month = oct, year = {2015},\n"
        "  isbn = {978-3-319-24574-4}, note = {{MICCAI} 2015 oral}, keywords = {segmentation, deep learning},\n"
        "  pages = {234--241}\n}\n",
        encoding="utf-8",
    )
    db = tmp_path / "c.db"
    assert run("import", SEED["001"], bib, "--db", db, "-q").exit_code == 0
    # one paper, under the key the .bib gave it
    assert [p["key"] for p in exported(db) if "U-Net" in p["title"] or "U-net" in p["title"]] == [
        "ronneberger2015unet"
    ]
    text = run("export", "bibtex", "--keys", "ronneberger2015unet", "--db", db).stdout
    entry = _parse_text(text)["ronneberger2015unet"]
    fields = {f.key: str(f.value) for f in entry.fields}
    assert fields["editor"] == "Navab, Nassir and Hornegger, Joachim"
    assert fields["series"] == "Lecture Notes in Computer Science"
    assert fields["address"] == "Cham" and fields["isbn"] == "978-3-319-24574-4"
    assert fields["note"] == "{MICCAI} 2015 oral"
    assert "\tmonth = oct," in text  # the month macro, unbraced as written
    assert fields["keywords"].startswith("segmentation, deep learning")
    assert entry.entry_type == "incollection" and "howpublished" not in fields
    assert fields["booktitle"].startswith("Medical Image Computing and Computer-Assisted Intervention")


def _parse_text(text):
    import bibtexparser

    return {e.key: e for e in bibtexparser.parse_string(text).entries}


def test_et_al_is_kept_in_csl_json_and_ris(seed_db):
    items = json.loads(run("export", "csl-json", "--keys", "ding2018deep", "--db", seed_db).stdout)
    assert items[0]["author"] == [{"family": "Ding", "given": "Yiming"}, {"literal": "others"}]
    ris = run("export", "ris", "--keys", "ding2018deep", "--db", seed_db).stdout
    assert "AU  - Ding, Yiming\nAU  - et al.\n" in ris


def test_et_al_renders_as_et_al_with_citeproc(seed_db):
    from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
    from citeproc.source.json import CiteProcJSON

    items = json.loads(run("export", "csl-json", "--keys", "ding2018deep", "--db", seed_db).stdout)
    style = CitationStylesStyle("harvard-cite-them-right", validate=False)
    bib = CitationStylesBibliography(style, CiteProcJSON(items), formatter.plain)
    bib.register(Citation([CitationItem("ding2018deep")]))
    entry = str(bib.bibliography()[0])
    assert entry.startswith("Ding, Y.") and "others" in entry  # a second name, not Ding alone


def test_non_ascii_initials_are_braced_for_bibtex(tmp_path):
    bib = tmp_path / "a.bib"
    bib.write_text(
        "@article{ozkara2020,\n  title = {Cardiac MRI},\n  author = {Özkara, Çigdem and Łukasz Nowak and Smith, John},\n"
        "  journal = {Radiology}, year = {2020}\n}\n",
        encoding="utf-8",
    )
    db = tmp_path / "c.db"
    assert run("import", bib, "--db", db, "-q").exit_code == 0
    text = run("export", "bibtex", "--db", db).stdout
    assert "author = {{Ö}zkara, {Ç}igdem and Nowak, {Ł}ukasz and Smith, John}" in text
    import pybtex.database

    person = pybtex.database.parse_string(text, "bibtex").entries["ozkara2020"].persons["author"][0]
    assert person.first_names == ["{Ç}igdem"]  # one braced letter: abbreviated whole


def test_protected_words_are_nocase_in_csl_json(seed_db):
    key = "ding2018deep"
    title = next(p for p in exported(seed_db) if p["key"] == key)["title"]
    assert "18F-FDG" in title
    item = json.loads(run("export", "csl-json", "--keys", key, "--db", seed_db).stdout)[0]
    assert '<span class="nocase">18F-FDG</span>' in item["title"]
    assert '<span class="nocase">PET</span>' in item["title"]
    assert "<span" not in item["title"].split("18F")[0].split("Alzheimer")[0].replace("A deep", "")


def test_a_padded_chinese_name_is_one_author(seed_db):
    paper = next(p for p in exported(seed_db) if p["key"] == "zhao2019rengong")
    assert paper["authors"] == ["赵佳琦", "刁宗平", "徐琪", "章建全"]


def test_nocite_star_exports_everything_and_says_so(seed_db, tmp_path):
    aux = tmp_path / "thesis.aux"
    aux.write_text("\\relax\n\\citation{*}\n\\bibdata{refs}\n", encoding="utf-8")
    out = tmp_path / "refs.bib"
    result = run("export", "bibtex", "--aux", aux, "-o", out, "--db", seed_db)
    assert result.exit_code == 0
    assert out.read_text(encoding="utf-8").count("\n@") + 1 == len(exported(seed_db))
    assert f"{aux} cites every entry" in result.stderr
