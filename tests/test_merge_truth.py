"""Merge truth: two works are never made one, and every .bib key keeps citing its own work.

Each case is a document the test writes: what a merge needs (evidence, no contradiction),
what vetoes one, and what a LaTeX run citing the keys gets back.
"""

from __future__ import annotations

import json
import random
import re

import pytest
from conftest import CORPORA, exported, run

from medlit.vocab import loose


def _bib(*entries: str) -> str:
    return "\n\n".join(entries) + "\n"


def _entry(kind: str, key: str, title: str, year: int, author: str, **fields: str) -> str:
    extra = "".join(f"  {name} = {{{value}}},\n" for name, value in fields.items())
    return (
        f"@{kind}{{{key},\n  title = {{{title}}},\n  author = {{{author}}},\n  year = {{{year}}},\n{extra}}}"
    )


def _import(tmp_path, *files: tuple[str, str]):
    db = tmp_path / "catalog.db"
    paths = []
    for name, text in files:
        (tmp_path / name).write_text(text, encoding="utf-8")
        paths.append(tmp_path / name)
    result = run("import", *paths, "--db", db)
    assert result.exit_code == 0, result.stderr
    return db, result


def _bibtex_for(db, *keys: str) -> dict[str, str]:
    """key -> the BibTeX entry `export --keys` writes under it."""
    result = run("export", "bibtex", "--keys", ",".join(keys), "--db", db)
    assert result.exit_code == 0, result.stderr
    entries = re.split(r"\n(?=@)", result.stdout.strip())
    return {re.match(r"@\w+\{([^,]+),", e).group(1): e for e in entries if e.startswith("@")}


def _table(*rows: str) -> str:
    return "# Papers\n\n| Title | Authors | Venue | Year |\n|---|---|---|---|\n" + "\n".join(rows) + "\n"


def test_one_title_with_two_dois_is_two_works(tmp_path):
    first = _bib(_entry("article", "cohen2023deep", "Deep learning", 2023, "Cohen, Ann", doi="10.5555/a.1"))
    second = _bib(_entry("article", "park2023deep", "Deep learning", 2023, "Park, Ji", doi="10.5555/b.2"))
    db, _ = _import(tmp_path, ("a.bib", first), ("b.bib", second))
    assert len(exported(db)) == 2
    entries = _bibtex_for(db, "cohen2023deep", "park2023deep")
    assert "Cohen" in entries["cohen2023deep"] and "10.5555/a.1" in entries["cohen2023deep"]
    assert "Park" in entries["park2023deep"] and "10.5555/b.2" in entries["park2023deep"]


def test_a_book_and_an_article_of_one_title_are_two_works(tmp_path):
    book = _entry("book", "goodfellow_deep_2016", "Deep Learning", 2016,
                  "Goodfellow, Ian and Bengio, Yoshua and Courville, Aaron", publisher="MIT Press")  # fmt: skip
    article = _entry("article", "lecun_deep_2015", "Deep learning", 2015,
                     "LeCun, Yann and Bengio, Yoshua and Hinton, Geoffrey", journal="Nature")  # fmt: skip
    # across two files, where the one-file rule does not apply: the entry types veto it
    db, _ = _import(tmp_path, ("book.bib", _bib(book)), ("nature.bib", _bib(article)))
    assert len(exported(db)) == 2
    entries = _bibtex_for(db, "goodfellow_deep_2016", "lecun_deep_2015")
    assert (
        entries["goodfellow_deep_2016"].startswith("@book")
        and "Goodfellow" in entries["goodfellow_deep_2016"]
    )
    assert entries["lecun_deep_2015"].startswith("@article") and "Nature" in entries["lecun_deep_2015"]


@pytest.mark.parametrize(
    "a, b",
    [
        ("Lung Nodule Detection in CT: Study 12", "Lung Nodule Detection in CT: Study 120"),
        ("SAME: Deformable Image Registration based on Self-supervised Anatomical Embeddings",
         "SAME++: Deformable Image Registration based on Self-supervised Anatomical Embeddings"),
        ("The Multimodal Brain Tumor Image Segmentation Benchmark BraTS 2018",
         "The Multimodal Brain Tumor Image Segmentation Benchmark BraTS 2019"),
        ("Deep learning for chest radiograph diagnosis, Part I", "Deep learning for chest radiograph diagnosis, Part II"),
        ("TransUNet for medical image segmentation", "TransUNet for medical image segmentation v2"),
    ],
)  # fmt: skip
def test_titles_that_differ_in_a_number_or_suffix_are_two_works(tmp_path, a, b):
    db, _ = _import(tmp_path, ("list.md", _table(f"| {a} | | MICCAI | 2021 |", f"| {b} | | MICCAI | 2021 |")))
    assert sorted(p["title"] for p in exported(db)) == sorted([a, b])


def test_arxiv_ids_of_two_works_keep_them_apart_and_versions_are_one(tmp_path):
    rows = [
        "| SAME: Deformable Image Registration [arXiv](https://arxiv.org/abs/2109.11572) | | MICCAI | 2021 |",
        "| SAME++: Deformable Image Registration [arXiv](https://arxiv.org/abs/2311.14986) | | arXiv | 2023 |",
    ]
    later = ["| SAME: deformable image registration [pdf](https://arxiv.org/pdf/2109.11572v2) | | | 2021 |"]
    db, _ = _import(tmp_path, ("a.md", _table(*rows)), ("b.md", _table(*later)))
    papers = {p["title"]: p for p in exported(db)}
    assert len(papers) == 2
    assert papers["SAME: Deformable Image Registration"]["arxiv"] == "2109.11572"
    assert papers["SAME++: Deformable Image Registration"]["arxiv"] == "2311.14986"
    assert len(papers["SAME: Deformable Image Registration"]["sources"]) == 2  # v2 is the same work


def test_one_doi_linked_to_two_papers_of_other_authors_keeps_both(tmp_path):
    link = "[doi](https://doi.org/10.1000/shared.7)"
    rows = [
        f"| Automated liver lesion segmentation in CT {link} | Smith J, Brown K | Radiology | 2019 |",
        f"| Retinal vessel segmentation in fundus images {link} | Wang L, Zhou Q | TMI | 2019 |",
    ]
    db, _ = _import(tmp_path, ("list.md", _table(*rows)))
    assert len(exported(db)) == 2


def test_a_shared_url_alone_never_merges_two_titles(tmp_path):
    url = "[pdf](https://example.org/papers/paper.pdf)"
    rows = [f"| Brain tumour grading from MRI with CNNs {url} | | MICCAI | 2018 |",
            f"| Lung nodule detection in low-dose CT {url} | | MICCAI | 2018 |"]  # fmt: skip
    db, _ = _import(tmp_path, ("list.md", _table(*rows)))
    assert len(exported(db)) == 2


def test_entries_of_one_bib_file_are_distinct_unless_they_share_an_id(tmp_path):
    title = "Automatic segmentation of brain tumours with convolutional networks"
    bib = _bib(
        _entry(
            "inproceedings", "perez2018abstract", title, 2018, "Pérez-García, Fernando", booktitle="ISMRM"
        ),
        _entry("inproceedings", "perez2018miccai", title, 2018, "Perez-Garcia, F.", booktitle="MICCAI"),
        _entry(
            "article", "one2020a", "One work, two keys", 2020, "Ito, K", doi="10.1000/same.9", journal="MedIA"
        ),
        _entry(
            "article",
            "one2020b",
            "One work, two keys.",
            2020,
            "Ito, K",
            doi="10.1000/SAME.9",
            journal="MedIA",
        ),
    )
    db, _ = _import(tmp_path, ("thesis.bib", bib))
    assert len(exported(db)) == 3
    entries = _bibtex_for(db, "perez2018abstract", "perez2018miccai", "one2020a", "one2020b")
    assert "ISMRM" in entries["perez2018abstract"] and "Medical Image Computing" in entries["perez2018miccai"]
    # one work under two keys: citing either writes the work under the key cited
    assert set(entries) == {"perez2018abstract", "perez2018miccai", "one2020a", "one2020b"}
    assert "10.1000/same.9" in entries["one2020b"] and "Ito" in entries["one2020b"]
    shown = run("show", "one2020b", "--db", db)
    assert shown.exit_code == 0 and "One work, two keys" in shown.stdout


def test_the_same_paper_still_merges_across_lists_and_bib_files(tmp_path):
    rows = ["| U-Net: Convolutional Networks for Biomedical Image Segmentation "
            "[arXiv](https://arxiv.org/abs/1505.04597) | Ronneberger O | arXiv | 2015 |",
            "| Automated detection of diabetic retinopathy in retinal fundus photographs | | JAMA | 2016 |"]  # fmt: skip
    bib = _bib(
        _entry("inproceedings", "ronneberger2015u", "U-Net: Convolutional Networks for Biomedical Image Segmentation",
               2015, "Ronneberger, Olaf and Fischer, Philipp and Brox, Thomas", booktitle="MICCAI",
               eprint="1505.04597", archiveprefix="arXiv"),
        _entry("article", "gulshan2016", "Automated Detection of Diabetic Retinopathy in Retinal Fundus Photographs",
               2016, "Gulshan, Varun", journal="JAMA"),
    )  # fmt: skip
    db, _ = _import(tmp_path, ("list.md", _table(*rows)))
    _db, result = _import(tmp_path, ("refs.bib", bib))
    papers = exported(db)
    assert len(papers) == 2
    assert "2 read, 0 new, 2 merged" in result.stderr
    unet = next(p for p in papers if p["title"].startswith("U-Net"))
    # the published venue wins over arXiv for the entry type, the eprint is kept
    entry = _bibtex_for(db, "ronneberger2015u")["ronneberger2015u"]
    assert entry.startswith("@inproceedings") and "Medical Image Computing" in entry and "1505.04597" in entry
    assert len(unet["authors"]) == 3  # the fullest author list
    # the key a .bib gave cites the work it described, beside the key the list gave it first
    assert unet["key"] == "ronneberger2015unet"
    assert _bibtex_for(db, unet["key"]).keys() == {unet["key"]}


def test_the_title_keeps_its_acronyms(tmp_path):
    rows = ["| breast lesion detection in us images with deep networks | | ISBI | 2017 |",
            "| Breast lesion detection in US images with deep networks | | ISBI | 2017 |"]  # fmt: skip
    db, _ = _import(tmp_path, ("list.md", _table(*rows)))
    assert [p["title"] for p in exported(db)] == ["Breast lesion detection in US images with deep networks"]


def test_300_distinct_works_stay_300(tmp_path):
    """What the repository's truth probe imports: own DOIs and authors, titles that repeat
    or differ by a number."""
    rng = random.Random(7)
    base = ["Deep learning", "Attention U-Net: Learning Where to Look for the Pancreas",
            "Lung Nodule Detection in CT: Study {n}", "Brain Tumor Segmentation Results of BraTS {y}"]  # fmt: skip
    entries = []
    for i in range(300):
        t = rng.choice(base).format(n=i, y=2012 + i % 12)
        entries.append(_entry("article", f"probe{i}", t, 2010 + i % 15, f"Author{i}, A. and Other{i}, B.",
                              journal=f"Journal {i % 7}", doi=f"10.5555/probe.{i}"))  # fmt: skip
    db, _ = _import(tmp_path, ("probe.bib", _bib(*entries)))
    result = run("export", "bibtex", "--db", db)
    assert result.stdout.count("\n@") + result.stdout.startswith("@") == 300


def test_the_thesis_bib_cites_every_work_under_its_own_key(tmp_path):
    bib = CORPORA / "fepegar_phd-thesis_phd.bib"
    if not bib.is_file():
        pytest.skip("no shared corpora beside the repository")
    from medlit.readers.bibtex import read_bibtex

    wanted = {r.key_hint: r for r in read_bibtex(bib.read_text(encoding="utf-8"), bib.name).records}
    db = tmp_path / "catalog.db"
    assert run("import", bib, "--db", db, "-q").exit_code == 0
    result = run("export", "json", "--keys", ",".join(wanted), "--db", db)
    assert result.exit_code == 0, result.stderr
    got = json.loads(result.stdout)
    assert [p["key"] for p in got] == list(wanted)  # every key resolves, in the order cited
    for paper in got:
        entry = wanted[paper["key"]]
        if paper["doi"] and entry.doi:  # one work under two keys: the title may be the other's
            assert paper["doi"] == entry.doi, paper["key"]
        else:
            assert loose(paper["title"]) == loose(entry.title), paper["key"]
            assert paper["year"] == entry.year and paper["authors"][:1] == entry.authors[:1], paper["key"]
    book = next(p for p in got if p["key"] == "goodfellow_deep_2016")
    article = next(p for p in got if p["key"] == "lecun_deep_2015")
    assert book["venue_kind"] == "book" and article["venue_kind"] == "journal"


def test_merges_lists_each_merged_paper_with_its_records_and_evidence(tmp_path):
    rows = ["| U-Net: Convolutional Networks for Biomedical Image Segmentation "
            "[arXiv](https://arxiv.org/abs/1505.04597) | Ronneberger O | arXiv | 2015 |",
            "| A paper listed once | | ISBI | 2019 |"]  # fmt: skip
    bib = _bib(_entry("inproceedings", "ronneberger2015u", "U-Net: Convolutional Networks for Biomedical Image "
                      "Segmentation", 2015, "Ronneberger, Olaf", booktitle="MICCAI", eprint="1505.04597"))  # fmt: skip
    db, _ = _import(tmp_path, ("list.md", _table(*rows)), ("refs.bib", bib))
    result = run("merges", "--format", "json", "--db", db)
    assert result.exit_code == 0, result.stderr
    merged = json.loads(result.stdout)
    assert [m["key"] for m in merged] == ["ronneberger2015u"]
    records = merged[0]["records"]
    assert [(r["file"], r["line"], r["evidence"]) for r in records] == [
        ("list.md", 5, None),
        ("refs.bib", 1, "arxiv"),
    ]
    assert records[0]["arxiv"] == records[1]["arxiv"] == "1505.04597" and records[1]["year"] == 2015
    text = run("merges", "--db", db)
    assert "ronneberger2015u" in text.stdout and "refs.bib:1" in text.stdout and "arxiv" in text.stdout


def test_a_split_and_a_join_survive_reimport(tmp_path):
    same = "| Liver tumour segmentation in contrast-enhanced CT with cascaded networks | | MICCAI | 2019 |"
    one = "| Lung nodule detection in low-dose CT with 3D networks | Zhang W | TMI | 2020 |"
    other = "| 低剂量CT中的肺结节检测 | 张伟 | | 2020 |"
    db, _ = _import(tmp_path, ("a.md", _table(same, one)), ("b.md", _table(same, other)))
    papers = {p["title"]: p["key"] for p in exported(db)}
    assert len(papers) == 3
    liver, lung, zh = (
        papers[t] for t in (same.split(" | ")[0][2:], one.split(" | ")[0][2:], "低剂量CT中的肺结节检测")
    )
    split = run("split", liver, "--db", db)
    assert split.exit_code == 0, split.stderr
    liver_keys = split.stdout.split()
    assert liver_keys[0] == liver and len(liver_keys) == 2
    joined = run("join", lung, zh, "--db", db)
    assert joined.exit_code == 0 and joined.stdout.strip() == lung, joined.stderr

    def state():
        papers = exported(db)
        return len(papers), sorted(k for p in papers for k in [p["key"]])

    before = state()
    assert before[0] == 3
    # both lists edited (so both are read again) and imported anew
    _import(
        tmp_path,
        ("a.md", _table(same, one, "| Another paper | | ISBI | 2018 |")),
        ("b.md", _table(other, same)),
    )
    after = exported(db)
    assert len(after) == 4
    assert sorted(p["key"] for p in after if "Liver" in p["title"]) == sorted(liver_keys)
    lung_paper = next(p for p in after if p["key"] == lung)
    assert len(lung_paper["sources"]) == 2  # still one work
    # the joined paper's other key keeps citing it, under the key cited
    assert _bibtex_for(db, zh).keys() == {zh}
    assert "Lung nodule detection" in _bibtex_for(db, zh)[zh]
    merged = {m["key"]: m for m in json.loads(run("merges", "-f", "json", "--db", db).stdout)}
    assert "joined by you" in [r["evidence"] for r in merged[lung]["records"]]
    assert not any(m["key"] in liver_keys for m in merged.values())


def test_rows_of_one_title_in_one_file_split_by_year_and_stay_apart(tmp_path):
    title = "Deep learning for lung nodule detection in CT"
    conference, journal = f"| {title} | Li X | MICCAI | 2018 |", f"| {title} | Li X | TMI | 2019 |"
    db, _ = _import(tmp_path, ("a.md", _table(conference, journal)))
    (merged,) = exported(db)  # the same title a year apart: one work, as a preprint and its paper
    assert len(merged["sources"]) == 2
    split = run("split", merged["key"], "--db", db)
    assert split.exit_code == 0, split.stderr
    keys = split.stdout.split()
    assert len(keys) == 2 and keys[0] == merged["key"]
    by_year = {p["year"]: p["key"] for p in exported(db)}
    assert sorted(by_year) == [2018, 2019]
    # the list edited: the rows swap places and a paper is added; each key keeps its row
    _import(tmp_path, ("a.md", _table("| Another paper | | ISBI | 2020 |", journal, conference)))
    assert {p["year"]: p["key"] for p in exported(db) if p["title"] == title} == by_year
    # a join makes them one again, and that too survives a re-import
    assert run("join", by_year[2018], by_year[2019], "--db", db).exit_code == 0
    _import(tmp_path, ("a.md", _table(conference, journal, "| Another paper | | ISBI | 2020 |")))
    assert len([p for p in exported(db) if p["title"] == title]) == 1


def test_one_row_cannot_be_split(tmp_path):
    db, _ = _import(tmp_path, ("a.md", _table("| A paper of one row | | MICCAI | 2018 |")))
    (paper,) = exported(db)
    result = run("split", paper["key"], "--db", db)
    assert result.exit_code == 1 and "nothing to split" in result.stderr


def test_a_near_title_merges_on_typos_only(tmp_path):
    rows = [
        "| Automatic segmentation of the liver in contrast-enhanced CT with cascaded networks | | MICCAI | 2019 |",
        "| Automatic segmentaton of the liver in contrast enhanced CT with cascaded network | | MICCAI | 2019 |",
        "| Graph convolutional networks for delineation of skin cancer from clinical photographs | | TMI | 2020 |",
        "| Deep convolutional networks for delineation of skin cancer from clinical photographs | | TMI | 2020 |",
        "| Segmentation of breast mass from digital mammography with test-time adaptation | | ISBI | 2021 |",
        "| Segmentation of breast density from digital mammography with test-time adaptation | | ISBI | 2021 |",
    ]
    db, _ = _import(tmp_path, ("list.md", _table(*rows)))
    papers = exported(db)
    assert len(papers) == 5  # the typos are one paper; another word is another work
    merged = json.loads(run("merges", "-f", "json", "--db", db).stdout)
    assert [[r["evidence"] for r in m["records"]] for m in merged] == [[None, "near title"]]


def test_a_bib_key_medlit_gave_another_work_is_named_not_silently_lost(tmp_path):
    listed = _table("| Deep learning for lung nodules | Smith, John | MICCAI | 2020 |")
    db, _ = _import(tmp_path, ("list.md", listed))
    (given,) = [p["key"] for p in exported(db)]
    # the user's .bib uses that very key for another work
    other = _bib(_entry("article", given, "Radiomics of the kidney", 2020, "Smith, Jane", doi="10.5555/k.1"))
    (tmp_path / "refs.bib").write_text(other, encoding="utf-8")
    result = run("import", tmp_path / "refs.bib", "--db", db)
    assert result.exit_code == 0, result.stderr
    assert f"refs.bib:1: warning: key '{given}' already cites another paper" in result.stderr
    assert "Deep learning for lung nodules" in result.stderr
    # medlit's key never moves: it still cites the list's paper, and the entry's work has its own
    entry = _bibtex_for(db, given)[given]
    assert "lung nodules" in entry and "Radiomics" not in entry
    assert len(exported(db)) == 2
