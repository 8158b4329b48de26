"""The general entry reader: one small document per shape and rule, written here."""

from __future__ import annotations

import pytest

from medlit.readers import read_text
from medlit.text import arxiv_year, date_year, is_year


def read(doc: str, name: str = "list.md"):
    return read_text(doc, name, "." + name.rsplit(".", 1)[-1])


def titles(doc: str) -> list[str]:
    return [r.title for r in read(doc).records]


def test_paragraph_blocks_joined_by_br():
    doc = (
        "# Segmentation\n\n"
        "**TransUNet: Transformers Make Strong Encoders for Medical Image Segmentation.** [8th Feb., 2021] [⚡MICCAI, 2021].<br>\n"
        "*Jieneng Chen, Yongyi Lu, Qihang Yu.*<br>\n"
        " [[PDF](https://arxiv.org/abs/2102.04306)] [[Github](https://github.com/Beckschen/TransUNet)]\n\n"
        "**Medical image analysis based on transformer: A Review.** [13th Aug., 2022].<br>\n"
        "*Zhaoshan Liu, Lei Shen.*<br>\n"
        " [[PDF](https://arxiv.org/abs/2208.06643)]\n"
    )
    first, second = read(doc).records
    assert first.title == "TransUNet: Transformers Make Strong Encoders for Medical Image Segmentation"
    assert (first.venue, first.year) == ("MICCAI", 2021)  # the venue label is the publication
    assert first.fields["date"] == "8th Feb., 2021"
    assert first.authors == ["Chen, Jieneng", "Lu, Yongyi", "Yu, Qihang"]
    assert first.arxiv == "2102.04306" and first.url == "https://arxiv.org/abs/2102.04306"
    assert [(k.label, k.url) for k in first.links] == [
        ("arxiv", "https://arxiv.org/abs/2102.04306"),
        ("code", "https://github.com/Beckschen/TransUNet"),
    ]
    assert first.headings == ["Segmentation"]
    assert (second.venue, second.year) == (None, 2022)  # only a date: its year


def test_paragraph_blocks_joined_by_trailing_backslash():
    doc = (
        "**Swin-Unet: Unet-like Pure Transformer for Medical Image Segmentation** [ECCV Workshop, 2022]\\\n"
        "Hu Cao, Yueyue Wang, Joy Chen\\\n"
        "[[Paper](https://arxiv.org/abs/2105.05537)]\n"
    )
    (record,) = read(doc).records
    assert (record.venue, record.year) == ("ECCV Workshop", 2022)
    assert record.authors[0] == "Cao, Hu"


def test_author_links_are_not_the_papers_links():
    doc = (
        "**A Systematic Review of Deep Learning for Radiology Report Generation** [Nov., 2023].<br>\n"
        "*[Chang Liu](https://scholar.google.com/citations?user=1), [Yan Song](https://scholar.google.com/citations?user=2).*<br>\n"
        "[[PDF](https://arxiv.org/abs/2311.14199)]\n"
    )
    (record,) = read(doc).records
    assert record.authors == ["Liu, Chang", "Song, Yan"]
    assert [k.label for k in record.links] == ["arxiv"]
    assert record.year == 2023


def test_prose_paragraphs_and_bold_phrases_are_not_papers():
    doc = (
        "A curated list of awesome resources (**in chronological order**), inspired by others.\n\n"
        "**Note:** we welcome pull requests.\n\n"
        "**本仓库主要分享医疗影像领域值得一读的文章和资源**:blush:\n"
    )
    assert titles(doc) == []


def test_details_blocks_with_authors_in_a_nested_bullet():
    doc = (
        "## Papers\n\n"
        "<details>\n<summary>Attention U-Net: Learning Where to Look for the Pancreas (2018)</summary>\n\n"
        "- Ozan Oktay, Jo Schlemper, Loic Le Folgoc\n"
        "- [paper](https://arxiv.org/abs/1804.03999) [code](https://github.com/ozan-oktay/Attention-Gated-Networks)\n\n"
        "</details>\n\n"
        "<details><summary><b>nnU-Net: a self-configuring method for segmentation</b> [Nature Methods 2021]</summary>\n"
        "Fabian Isensee, Paul F. Jaeger<br>\n</details>\n"
    )
    first, second = read(doc).records
    assert (first.title, first.year) == ("Attention U-Net: Learning Where to Look for the Pancreas", 2018)
    assert first.authors[:2] == ["Oktay, Ozan", "Schlemper, Jo"]
    assert first.arxiv == "1804.03999" and "code" in [k.label for k in first.links]
    assert (second.title, second.venue, second.year) == (
        "nnU-Net: a self-configuring method for segmentation",
        "Nature Methods",
        2021,
    )


def test_headings_inside_list_items():
    doc = (
        "# Papers\n\n"
        "1. ### [Segment Anything in Medical Images](https://arxiv.org/abs/2304.12306)\n"
        "   > A foundation model for universal medical image segmentation.\n\n"
        "2. ### [UNETR: Transformers for 3D Medical Image Segmentation](https://openaccess.thecvf.com/x.pdf)\n"
        "   [WACV 2022]\n"
    )
    first, second = read(doc).records
    assert first.title == "Segment Anything in Medical Images" and first.arxiv == "2304.12306"
    assert (second.venue, second.year) == ("WACV", 2022)
    assert first.headings == ["Papers"]


def test_a_heading_with_the_block_under_it():
    doc = (
        "# Papers\n\n"
        "### [MedSAM: Segment Anything in Medical Images](https://www.nature.com/articles/s41467-024-44824-z) [Nature Communications 2024]\n\n"
        "Jun Ma, Yuting He, Feifei Li\n\n"
        "### Related work\n\nSome words about it.\n"
    )
    (record,) = read(doc).records
    assert (record.venue, record.year) == ("Nature Communications", 2024)
    assert record.doi == "10.1038/s41467-024-44824-z"
    assert record.authors[0] == "Ma, Jun"
    assert record.headings == ["Papers"]


def test_html_tables_with_a_header_and_without():
    doc = (
        "# Papers\n\n"
        "<table>\n<tr><th>Title</th><th>Venue</th><th>Year</th></tr>\n"
        '<tr><td><a href="https://arxiv.org/abs/1505.04597">U-Net: Convolutional Networks for Biomedical Image Segmentation</a></td>'
        "<td>MICCAI</td><td>2015</td></tr>\n"
        "</table>\n\n"
        "<table>\n"
        '<tr><td><a href="https://arxiv.org/abs/1606.04797">V-Net: Fully Convolutional Neural Networks for Volumetric Segmentation</a></td>'
        "<td>3DV 2016</td></tr>\n"
        "</table>\n"
    )
    unet, vnet = read(doc).records
    assert (unet.venue, unet.year, unet.arxiv) == ("MICCAI", 2015, "1505.04597")
    assert (vnet.title, vnet.venue, vnet.year) == (
        "V-Net: Fully Convolutional Neural Networks for Volumetric Segmentation",
        "3DV",
        2016,
    )


def test_table_columns_by_meaning_in_chinese():
    doc = (
        "| 时间 | 机构 | 论文名 | 会议或期刊 | 作者 | 代码 | 备注 |\n|---|---|---|---|---|---|---|\n"
        "| 202301 | 清华大学 | [一种基于深度学习的肺结节检测方法](https://example.org/p) | 中国图象图形学报 | 张三，李四 | [code](https://github.com/a/b) | 综述 |\n"
    )
    (record,) = read(doc).records
    assert record.title == "一种基于深度学习的肺结节检测方法"
    assert (record.year, record.venue) == (2023, "中国图象图形学报")  # the institution is not the venue
    assert record.authors == ["张三", "李四"]
    assert record.fields == {"date": "202301", "institution": "清华大学", "remark": "综述"}
    assert [k.label for k in record.links] == ["paper", "code"]


def test_table_columns_by_meaning_in_english():
    doc = (
        "| Publication Year | The First and Last Authors | Paper Name | Reference | Link | Dice | Notes |\n"
        "|---|---|---|---|---|---|---|\n"
        "| 2025 | A. Smith, B. Jones | Lesion segmentation with diffusion priors | [TMI2025](https://doi.org/10.1109/TMI.2025.1) | [arXiv](https://arxiv.org/abs/2501.00001) | 0.91 | oral |\n"
        "| TBA | | TBA | | | | |\n"
    )
    result = read(doc)
    (record,) = result.records
    assert (record.venue, record.year) == ("TMI", 2025)
    assert record.doi == "10.1109/tmi.2025.1" and record.arxiv == "2501.00001"
    assert record.authors == ["Smith, A.", "Jones, B."]
    assert record.fields == {"remark": "oral"}  # the Dice column is a result, not a field
    assert any("no title" in s.reason for s in result.skips)  # the TBA row


@pytest.mark.parametrize(
    ("written", "year"),
    [
        ("202301", 2023),
        ("20201008", 2020),
        ("2023.5", 2023),
        ("2021-12", 2021),
        ("2024-09-01", 2024),
        ("8th Feb., 2021", 2021),
        ("17th Jan.,, 2023", 2023),
        ("15th, Sep. 2021", 2021),
        ("Nov., 2023", 2023),
        ("February 8, 2021", 2021),
        ("2019年12月", 2019),
        ("1947", 1947),
    ],
)
def test_each_date_form_gives_its_year(written, year):
    assert date_year(written) == year
    doc = f"| Date | Title |\n|---|---|\n| {written} | A study of lung nodule detection in CT |\n"
    (record,) = read(doc).records
    assert record.year == year


@pytest.mark.parametrize(
    ("venue", "year", "volume", "number", "pages"),
    [
        ("MICCAI 2015.", 2015, None, None, None),
        ("Radiology, 2019.", 2019, None, None, None),
        ("Nature 542(7639):115-118, 2017.", 2017, "542", "7639", "115-118"),
        ("IEEE TMI, 35(5), 2016.", 2016, "35", "5", None),
        ("Medical Physics 43.6 (2016): 2821-2835.", 2016, "43", "6", "2821-2835"),
        ("Radiology 2015.5", None, None, None, None),  # a number, not a year
    ],
)
def test_a_venue_that_ends_a_sentence_keeps_its_year_and_numbers(venue, year, volume, number, pages):
    doc = f"# Papers\n\n- **Deep learning for lung nodule detection in CT.** {venue}\n"
    (record,) = read(doc).records
    assert (record.year, record.volume, record.number, record.pages) == (year, volume, number, pages)


def test_a_linked_title_followed_by_its_authors_and_venue():
    doc = (
        "# Papers\n\n"
        "- [U-Net: Convolutional Networks for Biomedical Image Segmentation](https://arxiv.org/abs/1505.04597)"
        " - Ronneberger et al., MICCAI 2015\n"
        "- [Attention U-Net: Learning Where to Look for the Pancreas](https://arxiv.org/abs/1804.03999)"
        " - a gated attention model\n"
        "- [A survey on deep learning in medical image analysis](https://doi.org/10.1016/j.media.2017.07.005),"
        " Medical Image Analysis, 2017\n"
        "- [Medical Segmentation Decathlon](http://medicaldecathlon.com/) - ten segmentation tasks\n"
    )
    unet, attention, survey = read(doc).records  # the dataset's link says too little to be a paper
    assert (unet.title, unet.authors, unet.venue, unet.year) == (
        "U-Net: Convolutional Networks for Biomedical Image Segmentation",
        ["Ronneberger", "others"],
        "MICCAI",
        2015,
    )
    # the words after the link describe the paper: they are neither its title nor its venue
    assert (attention.title, attention.venue, attention.arxiv) == (
        "Attention U-Net: Learning Where to Look for the Pancreas",
        None,
        "1804.03999",
    )
    assert (survey.title, survey.venue, survey.year) == (
        "A survey on deep learning in medical image analysis",
        "Medical Image Analysis",
        2017,
    )


def test_references_written_out_without_markup():
    doc = (
        "## References\n\n"
        "1. Ronneberger O, Fischer P, Brox T. U-Net: Convolutional Networks for Biomedical Image"
        " Segmentation. MICCAI 2015: 234-241.\n"
        "2. Litjens G, et al. A survey on deep learning in medical image analysis. Med Image Anal."
        " 2017;42:60-88.\n"
        "3. Esteva, A., et al. Dermatologist-level classification of skin cancer with deep neural"
        " networks. Nature 542, 115-118 (2017).\n"
        "4. Isensee, F., Jaeger, P. F., Kohl, S. A., Petersen, J., & Maier-Hein, K. H. (2021). nnU-Net:"
        " a self-configuring method for deep learning-based biomedical image segmentation. Nature"
        " methods, 18(2), 203-211.\n"
        "5. Use CT. Segment the lungs first. Results from 2019 show more.\n"
    )
    unet, survey, esteva, nnunet = read(doc).records  # `Use CT.` is not an author
    assert (unet.authors, unet.venue, unet.year, unet.pages) == (
        ["Ronneberger, O.", "Fischer, P.", "Brox, T."],
        "MICCAI",
        2015,
        "234-241",
    )
    assert unet.title == "U-Net: Convolutional Networks for Biomedical Image Segmentation"
    assert (survey.title, survey.authors, survey.year, survey.volume, survey.pages) == (
        "A survey on deep learning in medical image analysis",
        ["Litjens, G.", "others"],
        2017,
        "42",
        "60-88",
    )
    assert (esteva.authors, esteva.venue, esteva.year, esteva.volume, esteva.pages) == (
        ["Esteva, A.", "others"],
        "Nature",
        2017,
        "542",
        "115-118",
    )
    assert nnunet.authors == [
        "Isensee, F.",
        "Jaeger, P. F.",
        "Kohl, S. A.",
        "Petersen, J.",
        "Maier-Hein, K. H.",
    ]
    assert (nnunet.year, nnunet.venue, nnunet.volume, nnunet.number, nnunet.pages) == (
        2021,
        "Nature methods",
        "18",
        "2",
        "203-211",
    )


@pytest.mark.parametrize(
    ("line", "year", "venue", "authors"),
    [
        ("- 2019 - {t} - [arXiv]({u})", 2019, None, []),
        ("- (2019) {t} [arXiv]({u})", 2019, None, []),
        ("- {t}. MIDL 2018. [[paper]]({u})", 2018, "MIDL", []),
        ("- {t}, Oktay et al., MIDL 2018. [paper]({u})", 2018, "MIDL", ["Oktay", "others"]),
        ("- {t} | MIDL 2018 | [paper]({u})", 2018, "MIDL", []),
        ("- {t}, part two of a series [arXiv]({u})", None, None, []),  # no year: the title whole
    ],
)
def test_a_plain_title_sheds_the_year_venue_and_authors_around_it(line, year, venue, authors):
    title = "Attention U-Net: Learning Where to Look for the Pancreas"
    doc = "# Papers\n\n" + line.format(t=title, u="https://arxiv.org/abs/1804.03999") + "\n"
    (record,) = read(doc).records
    whole = title + (", part two of a series" if "series" in line else "")
    assert (record.title, record.year, record.venue, record.authors) == (whole, year, venue, authors)


def test_a_venue_after_the_link_in_a_title_cell_when_no_column_gives_one():
    doc = (
        "| Paper | Code |\n|---|---|\n"
        "| [Attention U-Net: Learning Where to Look for the Pancreas](https://arxiv.org/abs/1804.03999)"
        " (MIDL 2018) | [code](https://github.com/a/b) |\n"
        "| [Deep learning for lung nodule detection in CT](https://x.org/a) (Section II.B.2) | |\n"
    )
    attention, lung = read(doc).records
    assert (attention.venue, attention.year, attention.note) == ("MIDL", 2018, None)
    assert (lung.venue, lung.year, lung.note) == (None, None, "Section II.B.2")  # a note stays one


def test_a_quoted_title_and_a_family_name_et_al_before_a_title():
    t = "Attention U-Net: Learning Where to Look for the Pancreas"
    doc = (
        "# Papers\n\n"
        f'- "{t}," O. Oktay et al., MIDL 2018.\n'
        f"- Oktay et al. {t}. MIDL 2018.\n"
        '- "Deep learning for everyone" is a phrase we used in 2019.\n'  # prose, not a title
        "- Oktay et al. showed that attention helps. In MICCAI 2018.\n"  # prose about a paper
    )
    quoted, named = read(doc).records
    assert (quoted.title, quoted.authors, quoted.venue, quoted.year) == (
        t,
        ["Oktay, O.", "others"],
        "MIDL",
        2018,
    )
    assert (named.title, named.authors, named.venue, named.year) == (t, ["Oktay", "others"], "MIDL", 2018)


def test_years_run_from_1800_to_next_year():
    assert is_year(1800) and is_year(1945) and not is_year(1799)
    import time

    assert is_year(time.gmtime().tm_year + 1) and not is_year(time.gmtime().tm_year + 2)
    assert date_year("2999") is None


def test_year_from_an_arxiv_id_when_nothing_else_gives_one():
    assert arxiv_year("1803.01229") == 2018 and arxiv_year("2401.00001v2") == 2024
    assert arxiv_year("0612.1234") is None  # the new scheme began in April 2007


def test_news_bullets_and_announcements_are_not_papers():
    doc = (
        "## News\n- **[2024-09]** 🎉 [CARES](https://arxiv.org/abs/2406.06007) was accepted at NeurIPS\n\n"
        "## Papers\n"
        "- **[2024-10]** 🔥 We released the code of [CARES](https://arxiv.org/abs/2406.06007)\n"
        "- **[New] We have transferred the list to a new home**\n"
        "- [24.1] We provide a comprehensive survey, see [(CIBM'24)](https://arxiv.org/pdf/2401.03495.pdf)\n"
        "- [MICCAI 2023] Ambiguous Medical Image Segmentation using Diffusion Models [[pdf]](https://arxiv.org/abs/2304.04745)\n"
    )
    assert titles(doc) == ["Ambiguous Medical Image Segmentation using Diffusion Models"]


def test_toc_links_badges_images_are_not_papers():
    doc = (
        "[![Awesome](https://awesome.re/badge.svg)](https://awesome.re)\n\n"
        "## Contents\n- [Segmentation of medical images](#segmentation)\n\n"
        "![framework of the method](figure.png)\n\n"
        "## Segmentation\n- [![badge](https://img.shields.io/x.svg)](https://github.com/x/y)\n"
    )
    result = read(doc)
    assert result.records == []
    assert "none read as a paper" in result.notices[-1].text


def test_fenced_bibtex_is_read_as_bibtex_and_other_fences_are_not():
    doc = (
        "# Citation\n\n```bibtex\n@article{zhang2024sam,\n  title={Segment Anything Model for Medical Image Segmentation},\n"
        "  author={Zhang, Yichi and Shen, Zhenrong},\n  journal={Computers in Biology and Medicine},\n  year={2024}\n}\n```\n\n"
        "## How to add a paper\n\n```markdown\n- [MICCAI 2023] Your Paper Title Here [[pdf]](https://arxiv.org/abs/2301.00001)\n```\n\n"
        "    @inproceedings{indented2020,\n      title={An Indented Citation of a Paper},\n      year={2020}\n    }\n"
    )
    result = read(doc)
    assert [(r.title, r.key_hint, r.source.line) for r in result.records] == [
        ("Segment Anything Model for Medical Image Segmentation", "zhang2024sam", 4),
        ("An Indented Citation of a Paper", "indented2020", 18),
    ]
    assert result.records[0].authors == ["Zhang, Yichi", "Shen, Zhenrong"]


def test_venue_labels_in_every_form():
    doc = "\n".join(
        [
            "- [**MICCAI 2023**] Diffusion models for lung nodule segmentation [[pdf]](https://x.org/1)",
            "- [⚡MICCAI, 2021] Transformers for brain tumour segmentation [[pdf]](https://x.org/2)",
            "- [👍 MICCAI MLMI Workshop, 2021] Contrastive learning for cardiac MRI [[pdf]](https://x.org/3)",
            "- Self-supervised pretraining for chest X-ray classification (MICCAI2019) [[pdf]](https://x.org/4)",
            "- [Adversarial learning for retinal vessel segmentation] [[ICCV2017 workshop]](https://x.org/5)",
            "- [MICCAI Workshop 2017] Weakly supervised detection of polyps [[pdf]](https://x.org/6)",
        ]
    )
    got = [(r.venue, r.year) for r in read(doc).records]
    assert got == [
        ("MICCAI", 2023),
        ("MICCAI", 2021),
        ("MICCAI MLMI Workshop", 2021),
        ("MICCAI", 2019),
        ("ICCV workshop", 2017),
        ("MICCAI Workshop", 2017),
    ]


def test_a_document_that_gives_nothing_says_what_was_seen():
    doc = "\n\n".join(f"**Some bold words number {i} here**" for i in range(12))
    notice = read(doc).notices[-1].text
    assert notice.startswith("no papers or datasets found: 12 bold-title paragraphs, none read as a paper")


def test_bibtex_string_macros_and_concatenation():
    doc = (
        '@string{mia = "Medical Image Analysis"}\n@string{pre = "Deep"}\n'
        '@article{a, title = pre # " learning for {CT}", journal = mia, year = 1947}\n'
        '@article{b, title = undefined # " words", year = 2020}\n'
    )
    result = read(doc, "refs.bib")
    (record,) = result.records
    assert (record.title, record.venue, record.year) == (
        "Deep learning for CT",
        "Medical Image Analysis",
        1947,
    )
    (skip,) = result.skips
    assert skip.source.line == 4 and "joins strings with `#`" in skip.reason


def test_bibtex_keeps_every_field():
    doc = (
        '@article{k, title = {A {CT} study}, author = {M{\\"u}ller, Anna}, journal = {Radiology},\n'
        "  year = {2020}, month = jan, issn = {0033-8419}, file = {C\\:\\\\papers\\\\a.pdf},\n"
        "  note = {in press}, keywords = {lung, CT}}\n"
    )
    (record,) = read(doc, "refs.bib").records
    assert record.authors == ["Müller, Anna"] and record.title == "A CT study"
    assert record.extra["month"] == "jan" and record.extra["issn"] == "0033-8419"
    assert record.extra["note"] == "in press" and record.extra["journal"] == "Radiology"
    assert record.extra["file"] == "C\\:\\\\papers\\\\a.pdf"  # as written, for export
    assert record.fields == {}  # kept once: not again as decoded text
