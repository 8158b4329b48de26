"""medlit as a library: `medlit.Catalog` does what the commands do, raises medlit errors,
and needs no click."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from conftest import SEEDS, exported, run

import medlit
from medlit.api import MissingKeys
from medlit.errors import BadFilter, CatalogError, UnknownValue, UserError


@pytest.fixture(scope="module")
def cat(tmp_path_factory):
    folder = tmp_path_factory.mktemp("api")
    with medlit.Catalog.open(folder / "catalog.db") as catalog:
        done = catalog.import_paths([SEEDS])
        assert done.failed == 0 and done.papers == len(exported(catalog.path))
        yield catalog


def test_search_gives_what_the_command_lists(cat):
    found = cat.search(modality="CT", organ="lung")
    listed = run("search", "--modality", "CT", "--organ", "lung", "--db", cat.path, "-f", "keys")
    assert [p.key for p in found.papers] == listed.stdout.split() and found.papers
    assert found.scores is None


def test_a_query_ranks_with_scores(cat):
    found = cat.search("unet biomedical segmentaton", limit=3)
    assert found.papers[0].title.casefold().startswith("u-net")
    assert set(found.scores) == {p.key for p in found.papers}
    assert found.scores[found.papers[0].key] >= found.scores[found.papers[-1].key]


def test_filters_take_a_value_or_a_list_and_chinese(cat):
    one = {p.key for p in cat.search(organ="肺").papers}
    assert one == {p.key for p in cat.search(organ=["lung"]).papers} and one
    both = {p.key for p in cat.search(organ=["lung", "brain"]).papers}
    assert one < both
    assert all(p.year >= 2017 for p in cat.search(year="2017-").papers)


def test_errors_are_medlit_errors_not_click(cat):
    with pytest.raises(UnknownValue) as unknown:
        cat.search(organ="lugn")
    assert unknown.value.option == "--organ" and "lung" in str(unknown.value)
    with pytest.raises(BadFilter):
        cat.search(year="2020-1990")
    with pytest.raises(UserError, match="did you mean"):
        cat.paper(cat.search(limit=1).papers[0].key + "x")
    with pytest.raises(CatalogError, match="no catalog"):
        medlit.Catalog.open(cat.path.parent / "none.db").search()
    assert not (cat.path.parent / "none.db").exists()


def test_paper_and_papers(cat):
    first = cat.search(limit=1).papers[0]
    assert cat.paper(first.key).title == first.title
    keys = [p.key for p in cat.search(organ="lung").papers][:3][::-1]
    assert [p.key for p in cat.papers(keys=keys)] == keys  # in the order asked for


def test_export_to_a_path_matches_the_command(cat, tmp_path):
    out = tmp_path / "refs.bib"
    done = cat.export("bibtex", out, organ="lung")
    command = run("export", "bibtex", "--organ", "lung", "--db", cat.path)
    assert out.read_text(encoding="utf-8") == command.stdout
    assert done.count == command.stdout.count("\n@") + command.stdout.startswith("@")


def test_strict_export_leaves_the_file_as_it_was(cat, tmp_path):
    out = tmp_path / "refs.bib"
    out.write_text("mine\n", encoding="utf-8")
    key = cat.search(limit=1).papers[0].key
    with pytest.raises(MissingKeys) as missing:
        cat.export("bibtex", out, keys=[key, "nosuch2099"], strict=True)
    assert missing.value.missing == ["nosuch2099"]
    assert out.read_text(encoding="utf-8") == "mine\n"


def test_stats_and_datasets(cat):
    total, counts = cat.stats(["organ"], modality="CT")
    assert total == len(cat.search(modality="CT").papers)
    assert counts["organ"]["lung"] == len(cat.search(modality="CT", organ="lung").papers)
    lung = cat.datasets(organ="肺")
    assert lung and all("lung" in d["organs"] for d in lung)


def test_the_library_does_not_import_click(cat):
    code = (
        "import sys, medlit; c = medlit.Catalog.open(sys.argv[1]);"
        "print(len(c.search(organ='lung').papers), 'click' in sys.modules, 'rich' in sys.modules)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(cat.path)], capture_output=True, text=True, check=True
    )
    count, click_loaded, rich_loaded = done.stdout.split()
    assert int(count) > 0 and click_loaded == "False" and rich_loaded == "False"


def test_json_of_the_api_and_the_command_agree(cat):
    from medlit.views import paper_json

    found = cat.search(organ="lung", with_sources=True)
    command = json.loads(run("search", "--organ", "lung", "--db", cat.path, "-f", "json").stdout)
    assert [paper_json(p)["title"] for p in found.papers] == [p["title"] for p in command]
