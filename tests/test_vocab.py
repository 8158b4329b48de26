"""The vocabulary: aliases in both languages, cell splitting, title inference."""

from __future__ import annotations

import tomllib
from importlib import resources

import pytest

from medlit import vocab as vocab_module
from medlit.vocab import build, load


@pytest.fixture(scope="module")
def vocab():
    return load()


@pytest.mark.parametrize(
    ("facet", "alias", "canonical"),
    [
        ("organ", "肺", "lung"),
        ("organ", "Pulmonary", "lung"),
        ("organ", "肝脏", "liver"),
        ("organ", "肝癌", "liver"),
        ("modality", "超声", "US"),
        ("modality", "ultrasound", "US"),
        ("modality", "Diffusion MRI", "MRI"),
        ("modality", "cs-mri", "MRI"),
        ("modality", "mr", "MRI"),
        ("task", "分类问题", "classification"),
        ("task", "研究类综述", "annotation"),
        ("task", "正则化", "registration"),
        ("technique", "u-net", "U-Net"),
        ("technique", "UNet", "U-Net"),
    ],
)
def test_aliases_any_case_either_language(vocab, facet, alias, canonical):
    assert vocab.canonical(facet, alias) == canonical


@pytest.mark.parametrize(
    ("facet", "cell", "values"),
    [
        ("organ", "肝，肝癌", ["liver"]),
        ("organ", "皮肤,眼睛", ["skin", "eye"]),
        ("organ", "眼睛/视网膜", ["eye"]),
        ("modality", "PET/CT", ["PET", "CT"]),
        ("modality", "US, CT", ["US", "CT"]),
        ("technique", "CNN+RNN", ["CNN", "RNN"]),
        ("technique", "FCN + CNN", ["FCN", "CNN"]),
        ("technique", "3D-CNN, 3D-CAE", ["3D-CNN", "3D-CAE"]),
        ("organ", "无", []),
        ("organ", "-", []),
        ("organ", "", []),
        ("modality", "RGB (Microscopy)", ["microscopy"]),
        ("modality", "FUNDUS", ["fundus"]),
        ("organ", "not-an-organ", ["not-an-organ"]),  # unknown values are kept as written
    ],
)
def test_cells_split_into_canonical_values(vocab, facet, cell, values):
    assert vocab.split_cell(facet, cell) == values


def test_title_keywords_imply_facets(vocab):
    found = vocab.infer("Adversarial Deep Structured Nets for Mass Segmentation from Mammograms")
    assert found["modality"] == {"MG"} and found["organ"] == {"breast"}
    assert vocab.infer("Automated detection of pulmonary nodules in PET/CT images")["modality"] == {
        "PET",
        "CT",
    }
    assert vocab.infer("实时超声造影技术诊断肾脏实性占位病变的价值")["modality"] == {"US"}
    assert vocab.infer("Management of Thyroid Nodules Seen on US Images")["organ"] == {"thyroid"}
    assert vocab.infer("Lung nodules")["organ"] == {"lung"}
    assert vocab.infer("Let us see what the CT shows")["modality"] == {"CT"}  # "us" is not US


def test_broader_values_include_narrower(vocab):
    assert {"3D-CNN", "U-Net", "FCN", "2.5D-CNN"} <= vocab.narrower("technique", "CNN")


def test_suggestions_for_typos(vocab):
    assert vocab.suggest("organ", "lugn")[0] == "lung"
    assert "US" in vocab.suggest("modality", "ultrasond")


def test_an_ambiguous_alias_is_refused():
    data = tomllib.loads(resources.files(vocab_module.__package__).joinpath("data/vocab.toml").read_text())
    data["organ"]["heart"]["aliases"].append("肺")
    with pytest.raises(ValueError, match="肺"):
        build(data)
