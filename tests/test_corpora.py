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
