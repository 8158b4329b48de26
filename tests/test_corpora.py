"""Real public lists nobody here wrote (../shared/corpora); skipped where that folder is absent."""

from __future__ import annotations

import json
import re

import pytest
from conftest import CORPORA, one, run

pytestmark = pytest.mark.skipif(not CORPORA.is_dir(), reason="../shared/corpora is not present")

GAN = "xinario_awesome-gan-for-medical-imaging_README.md"
REG = "Alison-brie_Awesome-Medical-Image-Registration_README.md"
BIB = "fepegar_phd-thesis_phd.bib"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    db = tmp_path_factory.mktemp("corpora") / "c.db"
    result = run("import", CORPORA / GAN, CORPORA / REG, CORPORA / BIB, "--db", db)
    assert result.exit_code == 0, result.stderr
    assert "Traceback" not in result.stderr
    papers = json.loads(run("export", "json", "--db", db).stdout)
    return db, result.stderr, papers


def _summary(stderr: str, name: str) -> dict[str, int]:
    line = next(x for x in stderr.splitlines() if name in x and " read," in x)
    return {k: int(v) for v, k in re.findall(r"(\d+) (read|new|merged|skipped)", line)}


def _bullets(name: str, pattern: str) -> int:
    return sum(
        1 for line in (CORPORA / name).read_text(encoding="utf-8").splitlines() if re.match(pattern, line)
    )


def test_gan_list_reads_every_paper_bullet(corpus):
    _, stderr, _ = corpus
    # 186 bullets start with a link or bracket; 9 of them are the Overview's in-page links
    papers = _bullets(GAN, r"^\s*- \[") - _bullets(GAN, r"^\s*- \[[^\]]+\]\(#")
    summary = _summary(stderr, GAN)
    assert summary["read"] == papers == 177
    assert summary["skipped"] == 0


def test_registration_list_reads_every_paper_bullet(corpus):
    _, stderr, _ = corpus
    # papers are "* [Venue Year] Title ..." bullets; challenges and software are " - " links
    papers = _bullets(REG, r"^\s*\* \[[^\]]*\d{4}[^\]]*\]")
    summary = _summary(stderr, REG)
    assert summary["read"] == papers
    assert 125 <= papers <= 135 and summary["skipped"] == 0


def test_thesis_bibtex_imports_every_entry_with_its_keys(corpus):
    _, stderr, papers = corpus
    entries = _bullets(BIB, r"^@\w+\{")
    summary = _summary(stderr, BIB)
    assert summary["read"] == entries == 383 and summary["skipped"] == 0
    compact = one(papers, "On the Compactness, Efficiency, and Representation of 3D Convolutional Networks")
    assert compact["key"] == "li_compactness_2017"
    assert compact["venue"] == "Information Processing in Medical Imaging"
    assert compact["pages"] == "348-360" and compact["doi"] == "10.1007/978-3-319-59050-9_28"
    assert compact["authors"][:2] == ["Li, Wenqi", "Wang, Guotai"]
    assert (
        one(papers, "Cortical Mapping of Epileptic Symptomatology")["authors"][1] == "Pérez-García, Fernando"
    )
    video = one(papers, "Deep Learning for Video Captioning: A Review")  # @article with no journal field
    assert (video["venue"], video["venue_kind"]) == (None, "journal")


def test_list_shapes_give_venue_year_and_ids(corpus):
    _, _, papers = corpus
    dual = one(papers, "Dual-Stream Pyramid Registration Network")
    assert (dual["venue"], dual["year"], dual["tasks"]) == (
        "Medical Image Computing and Computer-Assisted Intervention",
        2019,
        ["registration"],
    )
    segan = one(papers, "SegAN: Adversarial Network with Multi-scale L1 Loss")
    assert (segan["arxiv"], segan["year"], segan["venue"]) == ("1706.01805", 2017, "arXiv")
    assert "segmentation" in segan["tasks"] and "GAN" in segan["techniques"]
    assert (
        one(papers, "Generative Adversarial Network in Medical Imaging: A Review")["venue"]
        == "Medical Image Analysis"
    )


def test_the_same_paper_in_a_list_and_the_thesis_is_one_record(corpus):
    _, _, papers = corpus
    paper = one(
        papers, "Deep Adversarial Networks for Biomedical Image Segmentation Utilizing Unannotated Images"
    )
    assert {s["file"].rsplit("/", 1)[-1] for s in paper["sources"]} == {GAN, BIB}
    assert paper["key"] == "zhang_deep_2017"  # the thesis's own key wins


TRANSFORMERS = "fahadshamshad_awesome-transformers-in-medical-imaging_README.md"
SAM = "YichiZhang98_SAM4MIS_README.md"


def _read(name: str):
    from medlit.readers import decode, read_text

    path = CORPORA / name
    text, _ = decode(path.read_bytes(), path.name)
    return text.splitlines(), read_text(text, path.name, path.suffix)


def _careful(lines: list[str], entry: str, dated: str) -> tuple[list[int], list[int]]:
    """The lines a careful reader counts as papers (each list's own entry pattern), and those
    of them that give a year."""
    papers = [i + 1 for i, line in enumerate(lines) if re.match(entry, line)]
    return papers, [n for n in papers if re.search(dated, lines[n - 1])]


def test_paragraph_block_list_reads_every_bold_title_with_its_year():
    # entries are paragraphs: `**Title.** [8th Feb., 2021] [⚡MICCAI, 2021].<br>` then an
    # italic author line and `[[PDF](url)]`; one sits four spaces in (an indented block)
    lines, result = _read(TRANSFORMERS)
    papers, dated = _careful(lines, r"^\s*\[?\*\*.+\*\*", r"\[[^\]]*\d{4}[^\]]*\]")
    assert len(papers) == 204 and len(dated) == 203
    got = {r.source.line: r for r in result.records}
    assert all(n in got for n in papers)
    assert all(got[n].year for n in dated)
    assert sum(bool(got[n].authors) for n in papers) >= 0.95 * len(papers)
    assert len(result.records) == len(papers) + 1  # and the "cite us" BibTeX block
    transfuse = next(r for r in result.records if r.title.startswith("TransFuse"))
    assert (transfuse.venue, transfuse.year, transfuse.fields["date"]) == ("MICCAI", 2021, "16th Feb., 2021")
    assert transfuse.authors == ["Zhang, Yundong", "Liu, Huiye", "Hu, Qiang"]
    assert {k.label for k in transfuse.links} == {"arxiv", "code"}


def test_date_table_list_reads_every_row_with_its_year():
    # `|Date|Authors|Title|Code|` without spaces, dates as YYYYMM, two BibTeX entries fenced
    lines, result = _read(SAM)
    papers, _ = _careful(lines, r"^\|\d{6}\|", r"^\|\d{6}\|")
    assert len(papers) == 425
    got = {r.source.line: r for r in result.records}
    assert all(n in got and got[n].year == int(lines[n - 1][1:5]) for n in papers)
    assert len(result.records) == 427 and not result.skips
    fenced = [r for r in result.records if r.key_hint]
    assert [r.key_hint for r in fenced] == ["SAM4MIS", "zhang2026gsfm"]
    medsam3 = next(r for r in result.records if r.title.startswith("MedSAM3"))
    assert medsam3.authors == ["Liu, A.", "others"] and medsam3.arxiv == "2511.19046"
    assert [k.label for k in medsam3.links] == ["arxiv", "code"]


def test_bullet_lists_read_every_paper_with_its_year():
    for name, entry, dated in (
        (GAN, r"^\s*- \[(?![^\]]+\]\(#)", r"\d{4}\]\]|\d{2}\]\]"),
        (REG, r"^\s*\* \[[^\]]*\d{4}[^\]]*\]", r"\d{4}"),
    ):
        lines, result = _read(name)
        papers, with_year = _careful(lines, entry, dated)
        got = {r.source.line: r for r in result.records}
        assert sorted(got) == papers, name
        assert all(got[n].year for n in with_year), name
