"""Search on the seeds: answers derived by reading the documents, checked in and out."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from conftest import run

from medlit.cli import cli


def keys(db, *args) -> list[str]:
    result = run("search", *args, "--db", db, "-f", "keys")
    assert result.exit_code == 0, result.stderr
    return result.stdout.split()


def test_ct_lung_includes_the_papers_whose_organ_cell_is_mistranslated(seed_db):
    found = set(keys(seed_db, "--modality", "CT", "--organ", "lung"))
    assert found == {
        "multiscale2015convolutional",  # 001 classification, CT 肺
        "pulmonary2016nodule",  # CT 肺
        "deeplung2018deep",  # in two sections, listed once
        "deepem2018deep",
        "computeraided2016diagnosis",  # cell says 乳腺,大脑; the title says pulmonary nodules in CT
        "automated2016detection",  # PET/CT, cell says 心脏; the title says pulmonary nodules
    }


def test_chinese_and_english_filter_values_are_one_query(seed_db):
    assert keys(seed_db, "--organ", "肺", "--modality", "ct") == keys(
        seed_db, "--organ", "lung", "--modality", "CT"
    )
    assert keys(seed_db, "--modality", "超声") == keys(seed_db, "--modality", "US")
    assert keys(seed_db, "--organ", "肝脏") == keys(seed_db, "--organ", "Liver")


def test_mri_brain(seed_db):
    found = set(keys(seed_db, "--modality", "MRI", "--organ", "brain"))
    for key in (
        "predicting2015alzheimers",
        "alzheimers2016disease",
        "3d2016deep",
        "spectral2017graph",
        "automatic2016detection",
        "qspace2016deep",
        "unsupervised2017domain",
        "learning2018data",
        "medical2018image",
        "gan2018augmentation",
        "efficient2016multiscale",
    ):
        assert key in found
    assert "ding2018deep" not in found  # Alzheimer's, but FDG PET
    assert "computeraided2016diagnosis" not in found  # its 大脑 cell is disputed, and it is US/CT
    assert "bien2018deeplearningassisted" not in found  # MRI of the knee


def test_ultrasound_reaches_chinese_titled_papers(seed_db):
    found = set(keys(seed_db, "--modality", "US"))
    assert {
        "li2014shishi",
        "shi2019mianxiang",
        "liu2019shendu",
        "standard2015plane",
        "yang2019performance",
        "computeraided2016diagnosis",
    } <= found
    assert "pulmonary2016nodule" not in found and "deeplung2018deep" not in found


def test_miccai_2016(seed_db):
    found = keys(seed_db, "--venue", "MICCAI", "--year", "2016")
    assert sorted(found) == sorted(
        [
            "3d2016deep",
            "regressing2016heatmaps",
            "artificial2016agent",
            "realtime2016standard",
            "recognizing2016enddiastole",
            "selftransfer2016learning",
            "fast2016convolutional",
            "automatic2016liver",
            "modelbased2016segmentation",
        ]
    )


def test_ieee_tmi_across_documents_under_any_name(seed_db):
    expected = {
        "tajbakhsh2016convolutional",  # 000: "IEEE transactions on medical imaging"
        "aggnet2016deep",
        "pulmonary2016nodule",
        "unsupervised2016deep",
        "improving2016computeraided",
        "automatic2016detection",
        "qspace2016deep",
        "deep2017cascade",
    }  # 001: IEEE-TMI
    for name in ("TMI", "IEEE-TMI", "IEEE Transactions on Medical Imaging", "ieee tmi"):
        assert set(keys(seed_db, "--venue", name)) == expected


def test_gan_inferred_and_curated(seed_db):
    found = set(keys(seed_db, "--technique", "GAN"))
    curated = set(keys(seed_db, "--technique", "GAN", "--curated"))
    assert len(curated) == 8 and curated < found
    assert "unsupervised2017domain" in found - curated  # "...with adversarial networks", cell 3D-CNN
    assert "tajbakhsh2016convolutional" not in found


def test_unet_and_broader_techniques(seed_db):
    assert set(keys(seed_db, "--technique", "U-Net")) == {"unet2015convolutional", "anatomynet2018deep"}
    assert {"unet2015convolutional", "anatomynet2018deep", "deeplung2018deep"} <= set(
        keys(seed_db, "--technique", "CNN")
    )


def test_dataset_filter(seed_db):
    assert set(keys(seed_db, "--dataset", "LIDC-IDRI")) == {
        "multiscale2015convolutional",
        "pulmonary2016nodule",
        "deeplung2018deep",
        "deepem2018deep",
        "computeraided2016diagnosis",
    }
    assert keys(seed_db, "--dataset", "lidc-idri") == keys(seed_db, "--dataset", "LIDC-IDRI")


def test_author_any_case_and_accents(seed_db):
    assert set(keys(seed_db, "--author", "rajpurkar")) == {
        "rajpurkar2018deep",
        "bien2018deeplearningassisted",
        "hannun2019cardiologistlevel",
    }
    assert keys(seed_db, "--author", "biering-sorensen") == ["cikes2018machine"]  # Biering-Sørensen
    assert keys(seed_db, "--author", "叶萌萌") == ["ye2012jiyu"]


def test_filters_or_within_and_across(seed_db):
    lung_or_liver = set(keys(seed_db, "--organ", "lung", "--organ", "liver"))
    assert lung_or_liver == set(keys(seed_db, "--organ", "lung")) | set(keys(seed_db, "--organ", "liver"))
    assert set(keys(seed_db, "--organ", "liver", "--modality", "US")) == (
        set(keys(seed_db, "--organ", "liver")) & set(keys(seed_db, "--modality", "US"))
    )


@pytest.mark.parametrize(
    ("years", "low", "high"),
    [("2016", 2016, 2016), ("2015-2016", 2015, 2016), ("2019-", 2019, 9999), ("-2014", 0, 2014)],
)
def test_year_ranges(seed_db, papers, years, low, high):
    expected = {p["key"] for p in papers if p["year"] and low <= p["year"] <= high}
    assert set(keys(seed_db, "--year", years)) == expected


@pytest.mark.parametrize("bad", ["20x6", "2017-2015", "16", "--", "2016-2017-2018"])
def test_bad_years_are_usage_errors(seed_db, bad):
    result = run("search", "--year", bad, "--db", seed_db)
    assert result.exit_code == 2 and "--year" in result.stderr


def test_unknown_value_suggests_known_ones(seed_db):
    result = run("search", "--organ", "lugn", "--db", seed_db)
    assert result.exit_code == 2
    assert "unknown organ 'lugn'; did you mean 'lung'" in result.stderr
    result = run("search", "--venue", "MICAI", "--db", seed_db)
    assert result.exit_code == 2 and "MICCAI" in result.stderr


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("unet convolutional networks biomedical segmentaton", "unet2015convolutional"),
        ("unet biomedical segmentaton", "unet2015convolutional"),
        ("segmentation biomedical unet", "unet2015convolutional"),  # word order
        ("deeplung", "deeplung2018deep"),
        ("convolutional neural netwrks fine tuning", "tajbakhsh2016convolutional"),
        ("肝纤维化", "zhao2019jiyu"),  # Chinese titles
        ("qayyum", "qayyum2017medical"),  # reaches authors
    ],
)
def test_fuzzy_titles_best_first(seed_db, query, first):
    assert keys(seed_db, query)[0] == first


def test_a_query_word_inside_a_compound_title_word(seed_db):
    assert set(keys(seed_db, "lung")[:2]) == {"multiscale2015convolutional", "deeplung2018deep"}


def test_fuzzy_ranking_combined_with_filters(seed_db):
    ranked = keys(seed_db, "pulmonry nodule detecton", "--modality", "CT")
    assert set(ranked[:4]) == {
        "deepem2018deep",
        "pulmonary2016nodule",
        "deeplung2018deep",
        "automated2016detection",
    }
    assert set(ranked) <= set(keys(seed_db, "--modality", "CT"))


def test_abstracts_are_searched(seed_db):
    assert keys(seed_db, "handcrafted features extraction")[0] == "qayyum2017medical"


@pytest.mark.parametrize(
    "hostile",
    ["'; DROP TABLE papers; --", "%", "_", '" OR 1=1 --', "title:*", "NEAR(a b)", "*", "\\", "[[pdf]]()"],
)
def test_hostile_query_text_is_just_text(seed_db, papers, hostile):
    result = run("search", hostile, "--db", seed_db, "-f", "json")
    assert result.exit_code == 0, result.stderr
    assert len(json.loads(result.stdout)) < len(papers) // 4  # no pattern that matches everything
    assert len(keys(seed_db)) == len(papers)  # the catalog is intact


def test_hostile_filter_values_match_nothing_rather_than_everything(seed_db):
    assert keys(seed_db, "--author", "%") == []
    assert keys(seed_db, "--author", "_") == []


def test_json_has_scores_and_the_export_fields(seed_db):
    result = run("search", "unet segmentation", "--db", seed_db, "-f", "json", "--limit", "2")
    items = json.loads(result.stdout)
    assert len(items) == 2 and items[0]["key"] == "unet2015convolutional"
    assert items[0]["score"] >= items[1]["score"]
    for field in (
        "key",
        "title",
        "authors",
        "year",
        "venue",
        "modalities",
        "organs",
        "techniques",
        "tasks",
        "datasets",
        "url",
        "doi",
        "arxiv",
        "sources",
    ):
        assert field in items[0]


def test_sort_and_limit(seed_db):
    by_title = keys(seed_db, "--organ", "brain", "--sort", "title")
    assert by_title == sorted(by_title, key=lambda k: k) or len(by_title) > 1
    result = run("search", "--organ", "brain", "--sort", "year", "--db", seed_db, "-f", "json")
    years = [p["year"] for p in json.loads(result.stdout)]
    assert years == sorted(years, reverse=True)
    assert len(keys(seed_db, "--limit", "3")) == 3
    assert run("search", "--limit", "-1", "--db", seed_db).exit_code == 2
    assert run("search", "--limit", "0", "--db", seed_db).exit_code == 2


def test_no_filter_no_query_lists_everything(seed_db, papers):
    assert len(keys(seed_db)) == len(papers)


def test_csv_and_tsv_and_markdown_and_bibtex_formats(seed_db):
    csv_out = run("search", "--organ", "lung", "--db", seed_db, "-f", "csv").stdout.splitlines()
    assert csv_out[0].startswith("key,year,title,authors,venue") and len(csv_out) == 7
    tsv = run("search", "--organ", "lung", "--db", seed_db).stdout.splitlines()  # not a terminal
    assert len(tsv) == 7 and tsv[0] == "key\tyear\tvenue\ttitle\tscore"  # a header, then 6 papers
    assert all(line.count("\t") == 4 for line in tsv)
    md = run("search", "--organ", "lung", "--db", seed_db, "-f", "markdown").stdout
    assert "| Technique | Modality | Area | Paper Title |" in md
    bib = run("search", "--organ", "lung", "--db", seed_db, "-f", "bibtex").stdout
    assert bib.count("@") == 6


def test_table_format_prints_a_table_without_colour_under_no_color(seed_db):
    result = run("search", "--organ", "lung", "--db", seed_db, "-f", "table", env={"NO_COLOR": "1"})
    assert "DeepLung" in result.stdout and "\x1b[" not in result.stdout
    assert "6 papers" in result.stdout  # the table's caption


def test_stats_counts_and_cross_table(seed_db):
    out = json.loads(run("stats", "--by", "organ", "--db", seed_db, "-f", "json").stdout)
    assert out["counts"]["organ"]["lung"] == 6 and out["papers"] == 90
    cross = json.loads(
        run("stats", "--by", "organ", "--by", "modality", "--db", seed_db, "-f", "json").stdout
    )
    assert cross["by"] == ["organ", "modality"] and cross["counts"]["lung"]["CT"] == 6
    assert cross["counts"]["brain"]["MRI"] == len(keys(seed_db, "--organ", "brain", "--modality", "MRI"))
    filtered = json.loads(
        run("stats", "--by", "venue", "--year", "2016", "--db", seed_db, "-f", "json").stdout
    )
    assert filtered["counts"]["venue"]["MICCAI"] == 9
    assert run("stats", "--by", "organ", "--by", "year", "--by", "venue", "--db", seed_db).exit_code == 2


def test_vocab_lists_aliases_in_both_languages_with_counts(seed_db):
    rows = json.loads(run("vocab", "organ", "--db", seed_db, "-f", "json").stdout)
    lung = next(r for r in rows if r["value"] == "lung")
    assert "肺" in lung["aliases"] and "pulmonary" in lung["aliases"] and lung["papers"] == 6
    venues = json.loads(run("vocab", "venue", "--db", seed_db, "-f", "json").stdout)
    tmi = next(r for r in venues if r["value"] == "IEEE Transactions on Medical Imaging")
    assert tmi["papers"] == 8 and "IEEE-TMI" in tmi["aliases"]


def test_datasets_with_links_and_papers(seed_db):
    rows = json.loads(run("datasets", "--organ", "肺", "--db", seed_db, "-f", "json").stdout)
    lidc = next(r for r in rows if r["name"] == "LIDC-IDRI")
    assert lidc["url"] == "https://wiki.cancerimagingarchive.net/display/Public/LIDC-IDRI"
    assert len(lidc["papers"]) == 5 and "肺部图像数据库联盟" in lidc["names"]
    assert all("lung" in r["organs"] for r in rows)
    everything = json.loads(run("datasets", "--db", seed_db, "-f", "json").stdout)
    assert {"BRATS", "Sliver07", "ADNI", "INbreast"} <= {r["name"] for r in everything}


def test_shell_completion_offers_catalog_values(seed_db):
    env = {
        "_MEDLIT_COMPLETE": "bash_complete",
        "COMP_WORDS": f"medlit search --db {seed_db} --organ lu",
        "COMP_CWORD": "5",
    }
    result = CliRunner().invoke(cli, [], env=env, prog_name="medlit")
    assert "plain,lung" in result.stdout.splitlines()
