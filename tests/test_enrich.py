"""medlit enrich and medlit add against Crossref, arXiv and OpenAlex served from 127.0.0.1
in their own formats (tests/services.py): what is filled, what is never overwritten, what is
only a candidate, how failures read, and that a second run asks nothing."""

from __future__ import annotations

import json
import sqlite3

import pytest
from conftest import exported, run
from services import Services


@pytest.fixture
def services():
    with Services() as s:
        yield s


@pytest.fixture
def db(seeds_copy_db):
    return seeds_copy_db


def papers(db) -> dict[str, dict]:
    return {p["key"]: p for p in exported(db)}


def enrich(db, services, *args):
    return run("enrich", "--db", db, *args, env=services.env())


def test_arxiv_then_crossref_fill_what_the_list_left_out(db, services):
    before = papers(db)["survey2017deep"]
    assert before["authors"] == [] and before["doi"] is None and before["venue"] == "arXiv"
    result = enrich(db, services)
    assert result.exit_code == 0, result.stderr
    survey = papers(db)["survey2017deep"]
    # arXiv gave the DOI, Crossref (asked by it) the journal's metadata
    assert survey["doi"] == "10.1016/j.media.2017.07.005"
    assert survey["authors"][0] == "Litjens, Geert" and survey["authors"][-1] == "Sánchez, Clara I."
    assert (survey["venue"], survey["venue_kind"]) == ("Medical Image Analysis", "journal")
    assert (survey["volume"], survey["pages"], survey["publisher"]) == ("42", "60-88", "Elsevier BV")
    assert survey["abstract"].startswith("Deep learning algorithms")
    assert survey["year"] == 2017
    # a batch of arXiv ids and a batch of DOIs: one request each
    assert len(services.requests("arxiv")) == 1 and len(services.requests("crossref")) == 1
    ids = services.requests("arxiv")[0][2]["id_list"].split(",")
    assert "1702.05747" in ids and "1706.00712" in ids
    assert services.requests("crossref")[0][2]["mailto"] == "student@example.org"  # the polite pool


def test_a_value_the_list_gave_is_never_overwritten_and_disagreement_is_reported(db, services):
    result = enrich(db, services)
    ding = papers(db)["ding2018deep"]
    assert ding["year"] == 2018  # the list's year; Crossref's print year is 2019
    assert ding["pages"] == "180958"
    assert "ding2018deep: year: crossref says '2019', the documents '2018' (kept)" in result.stderr
    # authors cut short by et al. are completed by the same first author's full list
    assert ding["authors"][:2] == ["Ding, Yiming", "Sohn, Jae Ho"] and len(ding["authors"]) == 20
    tajbakhsh = papers(db)["tajbakhsh2016convolutional"]
    assert tajbakhsh["venue"] == "IEEE Transactions on Medical Imaging"
    assert (tajbakhsh["volume"], tajbakhsh["number"], tajbakhsh["pages"]) == ("35", "5", "1299-1312")
    shown = run("show", "ding2018deep", "--db", db).stdout
    assert "year: crossref says '2019'" in shown and "authors: from crossref, fetched" in shown


def test_title_search_applies_strict_matches_only(db, services):
    result = enrich(db, services)
    catalog = papers(db)
    unet = catalog["unet2015convolutional"]
    assert unet["authors"] == ["Ronneberger, Olaf", "Fischer, Philipp", "Brox, Thomas"]
    assert unet["doi"] == "10.1007/978-3-319-24574-4_28"  # found by title, then asked of Crossref
    assert unet["venue"] == "Medical Image Computing and Computer-Assisted Intervention"  # the list's
    esteva = catalog["dermatologistlevel2017classification"]
    assert esteva["authors"][0] == "Esteva, Andre" and esteva["volume"] == "542"
    # a similar title of another paper is a candidate, listed and never applied
    vertebral = catalog["modelbased2016segmentation"]
    assert vertebral["authors"] == [] and vertebral["doi"] is None
    assert "modelbased2016segmentation: candidate from openalex, not applied (title" in result.stderr
    # Chinese-language papers are matched by DOI only: their titles are never searched
    searched = " ".join(r[2].get("filter", "") for r in services.requests("openalex"))
    assert "人工智能时代超声医学新发展" not in searched and "医学成像技术" not in searched
    assert "Model-Based Segmentation of Vertebral Bodies" in searched


def test_a_second_run_asks_nothing_and_offline_works_from_the_cache(db, services):
    assert enrich(db, services).exit_code == 0
    asked = len(services.requests())
    first = papers(db)
    again = enrich(db, services)
    assert again.exit_code == 0 and len(services.requests()) == asked
    assert "0 requests" in again.stderr
    offline = run("enrich", "--db", db, "--offline")  # no service address at all
    assert offline.exit_code == 0 and papers(db) == first
    conn = sqlite3.connect(db)
    sources = {r[0] for r in conn.execute("SELECT DISTINCT source FROM fetched")}
    assert sources == {"arxiv", "crossref", "openalex-title"}
    assert conn.execute("SELECT COUNT(*) FROM fetched WHERE fetched_at = ''").fetchone()[0] == 0


def test_offline_without_a_cache_asks_nothing_and_says_so(db, services):
    result = run("enrich", "--db", db, "--offline", env=services.env())
    assert result.exit_code == 0 and services.requests() == []
    assert "lookups not in the cache" in result.stderr


def test_dry_run_changes_no_paper(db, services):
    before = papers(db)
    result = enrich(db, services, "--dry-run")
    assert result.exit_code == 0
    assert papers(db) == before
    assert "survey2017deep: doi = 10.1016/j.media.2017.07.005 (arxiv)" in result.stderr
    assert "would fill" in result.stderr


def test_filters_choose_the_papers(db, services):
    result = enrich(db, services, "--venue", "TMI")
    assert result.exit_code == 0
    assert services.requests("openalex") == [] or all(
        "title.search" in r[2]["filter"] for r in services.requests("openalex")
    )
    assert papers(db)["tajbakhsh2016convolutional"]["volume"] == "35"
    assert papers(db)["survey2017deep"]["doi"] is None  # not a TMI paper


def test_a_429_is_waited_out_and_retried(db, services):
    services.fail("arxiv", 429, {"Retry-After": "1"})
    result = enrich(db, services)
    assert result.exit_code == 0, result.stderr
    arxiv = services.requests("arxiv")
    assert len(arxiv) == 2 and arxiv[1][3] - arxiv[0][3] >= 0.9  # Retry-After: 1 honoured
    assert papers(db)["survey2017deep"]["doi"] == "10.1016/j.media.2017.07.005"


def test_a_failing_source_is_one_line_and_the_others_still_fill(db, services):
    services.fail("crossref", 503, times=4)
    result = enrich(db, services)
    assert result.exit_code == 1
    lines = [line for line in result.stderr.splitlines() if line.startswith("medlit: crossref")]
    assert len(lines) == 1 and "HTTP 503" in lines[0] and "tried 4 times" in lines[0]
    # arXiv's answers were applied and kept
    assert papers(db)["survey2017deep"]["doi"] == "10.1016/j.media.2017.07.005"
    # the next run asks Crossref again (a failure is not an answer) and arXiv not at all
    asked = len(services.requests("arxiv"))
    assert enrich(db, services).exit_code == 0
    assert len(services.requests("arxiv")) == asked
    assert papers(db)["survey2017deep"]["volume"] == "42"


def test_no_network_is_one_line_per_source(db, tmp_path):
    dead = {
        "MEDLIT_CROSSREF_URL": "http://127.0.0.1:9/crossref",
        "MEDLIT_ARXIV_URL": "http://127.0.0.1:9/arxiv",
        "MEDLIT_OPENALEX_URL": "http://127.0.0.1:9/openalex",
        "MEDLIT_HTTP_BACKOFF": "0.01",
        "MEDLIT_ARXIV_INTERVAL": "0",
    }
    result = run("enrich", "--db", db, env=dead)
    assert result.exit_code == 1
    failures = [line for line in result.stderr.splitlines() if line.startswith("medlit: ")]
    assert sorted(line.split(":")[1].strip() for line in failures) == ["arxiv", "crossref", "openalex"]
    assert all("cannot reach http://127.0.0.1:9" in line for line in failures)
    assert "Traceback" not in result.stderr


def test_bad_and_missing_arxiv_ids(tmp_path, services, monkeypatch):
    doc = tmp_path / "list.md"
    doc.write_text(
        "# Papers\n\n"
        "1. **A Survey on Deep Learning in Medical Image Analysis** [arXiv](https://arxiv.org/abs/1702.05747)\n"
        "2. **A paper arXiv never had** [arXiv](https://arxiv.org/abs/1712.99999)\n",
        encoding="utf-8",
    )
    db = tmp_path / "c.db"
    assert run("import", doc, "--db", db, "-q").exit_code == 0
    result = enrich(db, services)
    assert result.exit_code == 0, result.stderr
    assert "arxiv 1712.99999: not on arXiv" in result.stderr  # silently missing from the batch
    from medlit.enrich import arxiv
    from medlit.enrich.http import Client

    for name, value in services.env().items():
        monkeypatch.setenv(name, value)
    asked = len(services.requests("arxiv"))
    found = arxiv.fetch(Client(), ["1702.05747", "1234.1234x"])
    assert found["1234.1234x"] == arxiv.ERROR  # arXiv's Error entry
    # the Error entry answered for the whole list: the good id was asked again alone
    assert found["1702.05747"] is not None and "Litjens" in found["1702.05747"]
    assert len(services.requests("arxiv")) == asked + 2


def test_add_by_doi_arxiv_and_by_hand(db, services):
    env = services.env()
    result = run("add", "10.1016/j.eng.2018.11.020", "--db", db, env=env)
    assert result.exit_code == 0 and "already in the catalog" in result.stderr  # liu2019shendu
    # U-Net is in seed 001 (by title): the tag and the organ go to that paper
    result = run("add", "arXiv:1505.04597", "--tag", "thesis", "--organ", "brain", "--db", db, env=env)
    assert result.exit_code == 0 and result.stdout.strip() == "unet2015convolutional"
    unet = papers(db)["unet2015convolutional"]
    assert "brain" in unet["organs"] and unet["tags"] == ["thesis"]
    result = run("add", "https://arxiv.org/abs/1606.04797v1", "--organ", "prostate", "--db", db, env=env)
    assert result.exit_code == 0, result.stderr
    key = result.stdout.strip()
    assert key == "milletari2016vnet"
    added = papers(db)[key]
    assert added["authors"] == ["Milletari, Fausto", "Navab, Nassir", "Ahmadi, Seyed-Ahmad"]
    assert added["organs"] == ["prostate"] and added["year"] == 2016 and added["arxiv"] == "1606.04797"
    assert added["sources"] == [{"file": "medlit add", "line": 1, "section": None}]
    assert "authors: from arxiv" in run("show", key, "--db", db).stdout
    result = run("add", "--title", "My workshop paper on liver CT", "--author", "Doe, Jane", "--year",
                 "2024", "--venue", "MICCAI", "--db", db)  # fmt: skip
    assert result.exit_code == 0
    mine = papers(db)[result.stdout.strip()]
    assert (
        mine["venue"] == "Medical Image Computing and Computer-Assisted Intervention" and mine["year"] == 2024
    )
    unknown = run("add", "10.9999/no.such.doi", "--db", db, env=env)
    assert unknown.exit_code == 1
    assert unknown.stderr.strip() == (
        "medlit: Crossref has no work with DOI 10.9999/no.such.doi (check it, or add by hand with --title)"
    )
    assert ("crossref", "/works/10.9999/no.such.doi") in [(r[0], r[1]) for r in services.requests()]


def test_added_and_enriched_papers_survive_reimport(db, services, tmp_path):
    assert run("add", "arXiv:1606.04797", "--db", db, env=services.env()).exit_code == 0
    assert enrich(db, services).exit_code == 0
    before = papers(db)
    seed = next((tmp_path / "seeds").glob("004_*.txt"))
    seed.write_text(seed.read_text(encoding="utf-8") + "\n", encoding="utf-8")  # imported again
    result = run("import", tmp_path / "seeds", "--db", db)
    assert "004_" in result.stderr and "unchanged" not in [
        line.split(": ")[-1] for line in result.stderr.splitlines() if "004_" in line
    ]
    after = papers(db)
    for key in ("survey2017deep", "milletari2016vnet", "ding2018deep"):
        assert {k: v for k, v in after[key].items() if k != "sources"} == {
            k: v for k, v in before[key].items() if k != "sources"
        }


def test_batches_keep_to_the_request_budget(tmp_path):
    """250 papers with arXiv ids, half of them published since: four requests, then none."""
    lines = ["# Synthetic", ""]
    for n in range(250):
        lines.append(
            f"{n + 1}. **Synthetic paper 2101.{10000 + n}** [arXiv](https://arxiv.org/abs/2101.{10000 + n})"
        )
    (tmp_path / "many.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    db = tmp_path / "c.db"
    assert run("import", tmp_path / "many.md", "--db", db, "-q").exit_code == 0
    with Services(synthetic=True) as services:
        result = enrich(db, services)
        assert result.exit_code == 0, result.stderr
        # 250 arXiv ids: two requests (200 a batch); the 125 DOIs arXiv gives: two (100 a batch)
        assert len(services.requests("arxiv")) == 2 and len(services.requests("crossref")) == 2
        assert len(services.requests()) == 4
        arxiv = services.requests("arxiv")
        assert arxiv[1][3] - arxiv[0][3] >= 0.3  # the pause between two arXiv requests
        assert enrich(db, services).exit_code == 0
        assert len(services.requests()) == 4
    catalog = exported(db)
    assert all(p["authors"] == ["Lovelace, Ada", "Turing, Alan"] for p in catalog) and len(catalog) == 250
    published = [p for p in catalog if p["venue"] == "Journal of Synthetic Results"]
    assert len(published) == 125 and all(p["doi"].startswith("10.5555/synthetic.") for p in published)


def test_arxiv_pause_defaults_to_three_seconds_and_each_pause_can_be_set(monkeypatch):
    from medlit.enrich.http import Client

    for source in ("ARXIV", "CROSSREF", "OPENALEX"):
        monkeypatch.delenv(f"MEDLIT_{source}_INTERVAL", raising=False)
    assert Client().intervals == {"arxiv": 3.0, "crossref": 0.1, "openalex": 0.1}
    monkeypatch.setenv("MEDLIT_OPENALEX_INTERVAL", "0.5")
    assert Client().intervals == {"arxiv": 3.0, "crossref": 0.1, "openalex": 0.5}


def test_provenance_rows_name_source_and_time(db, services):
    enrich(db, services)
    conn = sqlite3.connect(db)
    rows = conn.execute(
        "SELECT field, source, value, applied FROM provenance WHERE key = 'survey2017deep' ORDER BY field"
    ).fetchall()
    by_field = {f: (s, json.loads(v), a) for f, s, v, a in rows}
    assert by_field["doi"] == ("arxiv", "10.1016/j.media.2017.07.005", 1)
    assert by_field["volume"] == ("crossref", "42", 1)


def test_crossref_searches_titles_when_openalex_cannot_be_reached(db, services):
    services.fail("openalex", 503, times=4)
    result = enrich(db, services)
    assert result.exit_code == 1  # OpenAlex's failure is still said, once
    assert len([line for line in result.stderr.splitlines() if line.startswith("medlit: openalex")]) == 1
    searched = [r for r in services.requests("crossref") if "query.bibliographic" in r[2]]
    assert searched and all("人工智能" not in r[2]["query.bibliographic"] for r in searched)
    unet = papers(db)["unet2015convolutional"]
    assert unet["authors"] == ["Ronneberger, Olaf", "Fischer, Philipp", "Brox, Thomas"]
