"""The catalog built from the seeds: one record per paper, merged facets, stable keys."""

from __future__ import annotations

import json
import shutil
import sqlite3

from conftest import ROOT, SEEDS, by_title, one, run


def test_about_ninety_distinct_items(papers):
    # 001: 59 rows, 55 papers; 000: 9 citations, 7 papers; 002: 25; 003: 1; 004: 2
    assert len(papers) == 90
    per_file: dict[str, set[str]] = {}
    for p in papers:
        for s in p["sources"]:
            per_file.setdefault(s["file"].split("/")[-1][:3], set()).add(p["key"])
    assert {f: len(k) for f, k in per_file.items()} == {"000": 7, "001": 55, "002": 25, "003": 1, "004": 2}


def test_named_papers_exist_exactly_once(papers):
    for fragment in (
        "DeepLung",
        "CheXNeXt",
        "SurvivalNet",
        "q-Space Deep Learning",
        "landmark detection ondistal femur",
        "Full training or fine tuning",
    ):
        one(papers, fragment)


def test_merged_paper_unites_tasks_facets_datasets_and_sources(papers):
    deeplung = one(papers, "DeepLung")
    assert deeplung["tasks"] == ["classification", "detection"]
    assert deeplung["datasets"] == ["LIDC-IDRI", "LUNA16"]
    assert [s["section"] for s in deeplung["sources"]] == ["分类问题", "检测问题"]
    q_space = one(papers, "q-Space")
    assert set(q_space["tasks"]) == {"segmentation", "regression"}
    assert q_space["datasets"] == ["HCP"]
    femur = one(papers, "distal femur")
    assert femur["organs"] == ["femur"]  # one of its two rows has an empty organ cell


def test_tajbakhsh_2016_merged_across_heading_and_reference(papers):
    taj = one(papers, "Full training or fine tuning")
    assert taj["key"] == "tajbakhsh2016convolutional"
    assert taj["year"] == 2016  # the citation's year, not the arXiv id's 2017
    assert taj["venue"] == "IEEE Transactions on Medical Imaging" and taj["venue_kind"] == "journal"
    assert (taj["volume"], taj["number"], taj["pages"]) == ("35", "5", "1299-1312")
    assert taj["arxiv"] == "1706.00712"
    assert len(taj["sources"]) == 2


def test_chexnext_keeps_the_fuller_author_list(papers):
    chex = one(papers, "CheXNeXt")
    assert chex["authors"][:2] == ["Rajpurkar, P.", "Irvin, J."] and chex["authors"][-1] == "others"
    assert chex["doi"] == "10.1371/journal.pmed.1002686"


def test_mrnet_doi_and_thesis_and_review_arxiv(papers):
    assert one(papers, "MRNet")["doi"] == "10.1371/journal.pmed.1002699"
    thesis = one(papers, "基于支持向量机的肝脏肿瘤")
    assert (thesis["venue"], thesis["venue_kind"], thesis["year"], thesis["note"]) == (
        "浙江大学",
        "thesis",
        2012,
        "master's thesis",
    )
    assert thesis["key"] == "ye2012jiyu"
    review = one(papers, "Medical Image Analysis using Convolutional Neural Networks: A Review")
    assert review["arxiv"] == "1709.02250" and review["year"] == 2017
    assert review["venue"] == "arXiv" and review["venue_kind"] == "preprint"


def test_venues_are_canonical(papers):
    assert one(papers, "AggNet")["venue"] == "IEEE Transactions on Medical Imaging"  # IEEE-TMI
    assert one(papers, "Development and validation of a deep learning algorithm")["venue"] == "JAMA"
    assert one(papers, "Ensembled deep learning")["venue"] == "Nature Communications"
    assert one(papers, "医学成像技术")["venue_kind"] == "book"


def test_mistranslated_organs_are_fixed_from_titles(papers):
    mammo = one(papers, "Mass Segmentation from Mammograms")
    assert mammo["organs"] == ["breast"]  # the cell says 心肌 (myocardium)
    heart = [f for f in mammo["facets"]["organ"] if f["value"] == "heart"]
    assert heart == [{"value": "heart", "curated": True, "disputed": True}]
    petct = one(papers, "pulmonary nodules in PET/CT")
    assert petct["organs"] == ["lung"] and set(petct["modalities"]) == {"PET", "CT"}
    usct = one(papers, "Breast Lesions in US Images and Pulmonary Nodules")
    assert set(usct["organs"]) == {"breast", "lung"}  # 大脑 (brain) is disputed


def test_curated_and_inferred_are_kept_apart(papers):
    unet = one(papers, "U-net: Convolutional networks")
    facets = {f["value"]: f["curated"] for f in unet["facets"]["technique"]}
    assert facets["U-Net"] is True
    assert one(papers, "Liver fibrosis classification")["facets"]["modality"] == [
        {"value": "US", "curated": False, "disputed": False}
    ]


def test_mistranslated_headings_map_to_annotation_and_registration(papers):
    assert one(papers, "AggNet")["tasks"] == ["annotation", "detection"]
    assert one(papers, "Robust Image Registration")["tasks"] == ["registration"]


def test_keys_are_lowercase_ascii_and_unique(papers):
    keys = [p["key"] for p in papers]
    assert len(keys) == len(set(keys))
    assert all(k.isascii() and k == k.lower() and k.isalnum() for k in keys)
    agents = sorted(p["key"] for p in by_title(papers, "artificial agent"))
    assert agents == ["artificial2016agent", "artificial2016agenta"]


def test_datasets_table(seed_db):
    conn = sqlite3.connect(seed_db)
    rows = {r[0]: (r[1], json.loads(r[2])) for r in conn.execute("SELECT name, url, organs FROM datasets")}
    assert rows["ADNI"][0] == "http://adni.loni.usc.edu"
    assert "lung" in rows["LIDC-IDRI"][1]
    assert "brain" in rows["BRATS"][1]
    users = conn.execute(
        "SELECT COUNT(*) FROM paper_datasets pd JOIN datasets d ON d.id = pd.dataset_id "
        "WHERE d.name = 'LIDC-IDRI'"
    ).fetchone()[0]
    assert users == 5
    # 002's 肺部图像数据库联盟 links the same page: one dataset, both names kept
    names = json.loads(conn.execute("SELECT names FROM datasets WHERE name = 'LIDC-IDRI'").fetchone()[0])
    assert "肺部图像数据库联盟" in names


def _copy_seeds(tmp_path):
    shutil.copytree(SEEDS, tmp_path / "seeds")
    return tmp_path / "seeds", tmp_path / "catalog.db"


def _dump(db):
    return run("export", "json", "--db", db).stdout


def test_importing_again_changes_nothing(tmp_path):
    seeds, db = _copy_seeds(tmp_path)
    run("import", seeds, "--db", db)
    before = _dump(db)
    again = run("import", seeds, "--db", db)
    assert again.exit_code == 0
    assert again.stderr.count("unchanged") == 5
    assert _dump(db) == before


def test_an_edited_document_updates_its_records_in_place(tmp_path):
    seeds, db = _copy_seeds(tmp_path)
    run("import", seeds, "--db", db)
    old = {p["key"]: p for p in json.loads(_dump(db))}
    doc = next(seeds.glob("001_*"))
    text = doc.read_text(encoding="utf-8")
    text = text.replace("| MICCAI | 2017 |\n#### 分类问题", "| MICCAI | 2018 |\n#### 分类问题")
    text = text.replace(
        "Automated anatomical landmark detection ondistal",
        "Automated anatomical landmark detection on distal",
    )
    text = text.replace(
        "Dermatologist-level classification of skin cancer",
        "Dermatologist-level classification of skin cancers",
    )
    doc.write_text(text, encoding="utf-8")
    result = run("import", seeds, "--db", db)
    assert result.exit_code == 0
    assert "4 merged" in result.stderr and "0 new" in result.stderr
    new = {p["key"]: p for p in json.loads(_dump(db))}
    assert set(new) == set(old)  # same papers, same keys
    assert new["suggestive2017annotation"]["year"] == 2018
    assert new["dermatologistlevel2017classification"]["title"].endswith(
        "skin cancers with deep neural networks"
    )


def test_keys_never_change_when_the_catalog_grows(tmp_path):
    seeds, db = _copy_seeds(tmp_path)
    run("import", seeds / next(seeds.glob("001_*")).name, "--db", db)
    first = {p["title"]: p["key"] for p in json.loads(_dump(db))}
    extra = tmp_path / "more.md"
    extra.write_text(
        "# More\n## References\n"
        '1. Ronneberger, Olaf, et al. ["U-net: Convolutional networks for biomedical image segmentation."](https://arxiv.org/abs/1505.04597) MICCAI (2015): 234-241.\n'
        '2. Zhu, Wentao, et al. ["AnatomyNet: a different paper with the same first word."](https://example.org/x) Medical Physics (2018): 1.\n',
        encoding="utf-8",
    )
    run("import", extra, seeds, "--db", db)
    after = {p["title"]: p["key"] for p in json.loads(_dump(db))}
    for title, key in first.items():
        assert after[title] == key
    assert first["U-net: Convolutional networks for biomedical image segmentation"] == "unet2015convolutional"


def test_a_removed_paper_gets_its_key_back_when_it_returns(tmp_path):
    seeds, db = _copy_seeds(tmp_path)
    run("import", seeds, "--db", db)
    doc = next(seeds.glob("004_*"))
    original = doc.read_text(encoding="utf-8")
    doc.write_text(
        original.replace(
            "- [A Survey on Deep Learning in Medical Image Analysis](https://arxiv.org/abs/1702.05747)\n", ""
        ),
        encoding="utf-8",
    )
    assert "1 removed" in run("import", seeds, "--db", db).stderr
    assert not by_title(json.loads(_dump(db)), "A Survey on Deep Learning in Medical Image Analysis")
    doc.write_text(original, encoding="utf-8")
    run("import", seeds, "--db", db)
    assert (
        one(json.loads(_dump(db)), "A Survey on Deep Learning in Medical Image Analysis")["key"]
        == "survey2017deep"
    )


def test_summary_per_file_on_stderr(tmp_path):
    seeds, db = _copy_seeds(tmp_path)
    result = run("import", seeds, "--db", db)
    assert result.stdout == ""
    assert "001_a83cd7c3531bd76a.txt: 59 read, 55 new, 4 merged, 0 skipped" in result.stderr
    assert "000_e36df22f87507f9f.txt: 9 read, 7 new, 2 merged, 0 skipped" in result.stderr


def test_shipped_catalog_is_what_import_builds(tmp_path):
    seeds, db = _copy_seeds(tmp_path)
    run("import", seeds, "--db", db)
    shipped = ROOT / "catalog.db"
    assert shipped.exists(), "catalog.db is missing: run medlit import seeds/"
    assert _dump(shipped) == _dump(db), "catalog.db is stale: run medlit import seeds/ and commit it"
    files = "SELECT path, sha256 FROM files ORDER BY path"
    assert sqlite3.connect(shipped).execute(files).fetchall() == sqlite3.connect(db).execute(files).fetchall()
