"""Each reader on the seed document it exists for: what a careful reader counts and sees."""

from __future__ import annotations

from conftest import SEED

from medlit.readers import decode, read_text


def read(n: str):
    text, _ = decode(SEED[n].read_bytes(), SEED[n].name)
    return read_text(text, SEED[n].name, SEED[n].suffix)


def test_001_reads_every_table_row_with_provenance():
    result = read("001")
    assert len(result.records) == 59  # 3+17+17+12+1+2+2+5 rows under eight task headings
    assert not result.skips
    lines = {r.source.line for r in result.records}
    assert 76 in lines and 164 in lines
    deeplung = [r for r in result.records if r.title.startswith("DeepLung")]
    assert [r.source.section for r in deeplung] == ["分类问题", "检测问题"]


def test_001_cells_titles_and_links_are_clean():
    records = {r.source.line: r for r in read("001").records}
    q_space = records[133]
    assert q_space.title == "q-Space Deep Learning: Twelve-Fold Shorter and Model-Free Diffusion MRI"
    assert q_space.note == "Section II.B.2"
    assert q_space.url == "http://ieeexplore.ieee.org/document/7448418/"
    assert records[76].url is None  # [[pdf]]() is an empty link
    assert records[136].url == "https://arxiv.org/pdf/1612.08894.pdf"  # trailing space inside ( )
    assert "‐" not in records[128].title and "whole-volume" in records[128].title
    adni = records[84].datasets[0]
    assert (adni.name, adni.url) == ("ADNI", "http://adni.loni.usc.edu")
    assert [d.name for d in records[149].datasets] == ["HCP"]  # "and other" is not a dataset
    assert records[88].year == 2016  # row without a trailing pipe
    assert records[99].cells["organ"] == ["肝，肝癌"]
    assert records[121].arxiv == "1805.05373"


def test_000_both_citation_styles():
    records = {r.source.line: r for r in read("000").records}
    assert len(records) == 9  # the heading paper and eight references
    taj = records[30]
    assert taj.authors == ["Tajbakhsh, Nima", "others"]
    assert (taj.venue, taj.volume, taj.number, taj.pages, taj.year) == (
        "IEEE transactions on medical imaging",
        "35",
        "5",
        "1299-1312",
        2016,
    )
    assert taj.title.endswith("Full training or fine tuning?")
    mrnet = records[35]
    assert mrnet.doi == "10.1371/journal.pmed.1002699"
    assert mrnet.authors[:3] == ["Bien, N.", "Rajpurkar, P.", "Ball, R. L."]
    assert (mrnet.venue, mrnet.volume, mrnet.number, mrnet.pages) == ("PLOS Medicine", "15", "11", "e1002699")
    assert records[29].doi == "10.1148/radiol.2018180958"
    assert records[31].doi == "10.1038/s41591-018-0107-6"


def test_002_bold_titles_authors_and_chinese_venues():
    result = read("002")
    records = {r.source.line: r for r in result.records}
    assert len(records) == 25
    thesis = records[75]
    assert thesis.title == "基于支持向量机的肝脏肿瘤良、恶性识别研究"
    assert (thesis.venue, thesis.venue_kind, thesis.year) == ("浙江大学", "thesis", 2012)
    assert thesis.authors == ["叶萌萌"]
    assert records[48].venue_kind == "book" and records[48].title == "医学成像技术"
    radiology = records[67]
    assert (radiology.venue, radiology.volume, radiology.pages, radiology.year) == (
        "Radiology",
        "292",
        "540-549",
        2019,
    )
    assert radiology.authors[:2] == ["Yang, Shanling", "Gao, Xican"]  # MD, • removed
    assert records[71].authors[:2] == ["Barinov, L.", "Jairaj, A."]  # affiliation digits removed
    assert records[100].authors[0] == "Liu, Tianjiao"  # names run together
    assert records[116].authors[0] == "石颉"  # "石颉1, 2，"
    assert records[116].volume == "36" and records[116].number == "6"
    assert records[96].venue == "Lecture Notes in Computer Science"
    assert records[96].title == "Breast Tumor Detection in Ultrasound Images Using Deep Learning"
    assert records[63].authors[:2] == ["Hannun, Awni Y.", "Rajpurkar, Pranav"]  # two spaces between
    # Related Research Platform holds labs, Public Data holds datasets: neither are papers
    assert len(result.datasets) == 18
    assert not any("实验室" in r.title for r in result.records)


def test_003_front_matter_post_is_one_paper():
    (record,) = read("003").records
    assert record.title == "Medical Image Analysis using Convolutional Neural Networks: A Review"
    assert record.arxiv == "1709.02250"
    assert record.authors[0] == "Qayyum, Adnan" and len(record.authors) == 5
    assert record.abstract.startswith("Medical image analysis is the science")


def test_004_dataset_table_and_references():
    result = read("004")
    assert [r.title for r in result.records] == [
        "A Survey on Deep Learning in Medical Image Analysis",
        "皮肤癌据说有了新诊断神器，名叫 IBM 图像识别",
    ]
    assert [d.name for d in result.datasets][:3] == ["BRATS", "Diabetic Retinopathy Detection", "LUNA16"]
    assert len(result.datasets) == 8


def test_english_header_of_the_original_list_in_any_order(tmp_path):
    doc = (
        "#### Segmentation\n"
        "| Paper Title | Year | Technique | Modality | Area | DB | J/C |\n"
        "|---|---|---|---|---|---|---|\n"
        "| U-Net: Convolutional Networks for Biomedical Image Segmentation [[pdf]](https://arxiv.org/abs/1505.04597) | 2015 | U-Net | EM | Cell | [ISBI 2012](http://brainiac2.mit.edu/isbi_challenge/) | MICCAI |\n"
    )
    (record,) = read_text(doc, "en.md", ".md").records
    assert record.year == 2015 and record.venue == "MICCAI"
    assert record.cells == {"technique": ["U-Net"], "modality": ["EM"], "organ": ["Cell"]}
    assert record.arxiv == "1505.04597"
    assert record.headings == ["Segmentation"]
