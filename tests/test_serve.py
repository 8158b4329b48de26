"""`medlit serve` as a lab uses it: a real server on a free loopback port, asked over HTTP,
and the reading list opened in headless Chromium. Every expectation is computed from what
medlit itself says of the same catalog (export json, search, stats)."""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from conftest import exported, run

CHROMIUM = Path("/usr/bin/chromium")
needs_datasette = pytest.mark.skipif(
    __import__("importlib").util.find_spec("datasette") is None, reason="needs pip install 'medlit[web]'"
)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Served:
    def __init__(self, db: Path, port: int):
        self.db, self.port = db, port
        self.base = f"http://127.0.0.1:{port}/{db.stem}"

    def get(self, path: str, **params) -> tuple[int, str]:
        query = urllib.parse.urlencode(params, doseq=True)
        url = f"{self.base}{path}" + (f"?{query}" if query else "")
        try:
            with urllib.request.urlopen(url, timeout=30) as answer:
                return answer.status, answer.read().decode("utf-8")
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode("utf-8", "replace")

    def json(self, path: str, **params):
        status, body = self.get(path, **params)
        assert status == 200, body[:500]
        return json.loads(body)


@pytest.fixture(scope="module")
def served(seed_db, tmp_path_factory):
    """`medlit serve` on a copy of the seeds' catalog, in its own process, as a user starts it."""
    pytest.importorskip("datasette")
    db = tmp_path_factory.mktemp("served") / "catalog.db"
    shutil.copy(seed_db, db)
    for decision in (  # what a lab's user has decided: the browser must show it
        ("tag", "qayyum2017medical", "lab-reading", "review"),
        ("tag", "kim2021paip", "lab-reading"),
        ("note", "kim2021paip", "the liver challenge we entered"),
        ("rm", "zhao2019jiyu"),
    ):
        assert run(*decision, "--db", db).exit_code == 0, decision
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("MEDLIT_DEBUG", "MEDLIT_DB")}
    server = subprocess.Popen(
        [sys.executable, "-m", "medlit", "serve", "--db", str(db), "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    site = Served(db, port)
    deadline = time.monotonic() + 60
    while True:
        try:
            if site.get(".json")[0] == 200:
                break
        except OSError:
            pass
        if server.poll() is not None or time.monotonic() > deadline:
            server.kill()
            pytest.fail(f"medlit serve did not answer: {server.communicate()[1][-2000:]}")
        time.sleep(0.2)
    yield site
    server.terminate()
    server.wait(timeout=30)


@pytest.fixture(scope="module")
def papers(served):
    """The served catalog's papers as export json gives them (without the removed one)."""
    return {p["key"]: p for p in exported(served.db)}


def _keys(*args: str, db: Path) -> set[str]:
    result = run("search", *args, "-f", "keys", "--db", db)
    assert result.exit_code == 0, result.stderr
    return set(result.stdout.split())


@needs_datasette
def test_reading_list_shows_every_paper_as_export_json_does(served, papers):
    rows = served.json("/reading_list.json", _shape="array", _size="max")
    assert {r["key"] for r in rows} == set(papers)
    for row in rows:
        paper = papers[row["key"]]
        assert row["title"] == paper["title"]
        assert row["year"] == paper["year"]
        for column, field in (("modality", "modalities"), ("organ", "organs"), ("task", "tasks")):
            assert sorted(json.loads(row[column])) == sorted(paper[field]), (row["key"], column)
        assert sorted(json.loads(row["dataset"])) == sorted(paper["datasets"])
        names = [a for a in paper["authors"] if a != "others"]
        assert (row["authors"] or "").split("; ")[: len(names)] == names or not names
        assert row["doi"] == (f"https://doi.org/{paper['doi']}" if paper["doi"] else None)
        assert row["arxiv"] == (f"https://arxiv.org/abs/{paper['arxiv']}" if paper["arxiv"] else None)
        assert json.loads(row["tags"]) == sorted(paper["tags"])
        assert row["note"] == paper["user_note"]


@needs_datasette
def test_tags_notes_and_removals_show_as_the_user_decided(served, seed_db):
    assert "zhao2019jiyu" in _keys(db=seed_db) and "zhao2019jiyu" not in _keys(db=served.db)
    rows = served.json("/reading_list.json", _shape="array", _size="max", tags__arraycontains="lab-reading")
    assert {r["key"] for r in rows} == {"qayyum2017medical", "kim2021paip"}
    assert {r["key"] for r in rows} == _keys("--tag", "lab-reading", db=served.db)
    note = served.json("/reading_list.json", _shape="array", key="kim2021paip")[0]["note"]
    assert note == "the liver challenge we entered"
    facets = served.json("/reading_list.json", _size="0")["facet_results"]
    assert {f["value"]: f["count"] for f in facets["tags"]["results"]} == {"lab-reading": 2, "review": 1}
    assert served.json("/reading_list.json", _shape="array", key="zhao2019jiyu") == []


@needs_datasette
def test_disputed_organs_stay_out_of_the_view(served, seed_db):
    """Seed 001 tags a mammogram paper 心肌 (myocardium): the view must not say so."""
    import sqlite3

    conn = sqlite3.connect(seed_db)
    disputed = conn.execute(
        "SELECT p.key, f.value FROM facets f JOIN papers p ON p.id = f.paper_id WHERE f.disputed = 1"
    ).fetchall()
    conn.close()
    assert disputed
    rows = {r["key"]: r for r in served.json("/reading_list.json", _shape="array", _size="max")}
    for key, value in disputed:
        if key in rows:  # not removed
            assert value not in json.loads(rows[key]["organ"]), key


@needs_datasette
def test_arraycontains_filters_like_medlit_search(served, seed_db):
    for organ in ("liver", "lung", "brain"):
        rows = served.json("/reading_list.json", _shape="array", _size="max", organ__arraycontains=organ)
        assert rows, organ
        assert {r["key"] for r in rows} == _keys("--organ", organ, db=served.db), organ


@needs_datasette
def test_default_facets_count_what_stats_counts(served, seed_db):
    answer = served.json("/reading_list.json", _size="0")
    facets = answer["facet_results"]
    assert {"modality", "organ", "task", "year"} <= set(facets)
    result = run("stats", "--by", "organ", "-f", "json", "--db", served.db)
    expected = {k: v for k, v in json.loads(result.stdout)["counts"]["organ"].items() if k != "(none)"}
    got = {f["value"]: f["count"] for f in facets["organ"]["results"]}
    assert got == dict(list(expected.items())[: len(got)]) or got == expected


@needs_datasette
def test_full_text_search_finds_words_in_titles_authors_and_abstracts(served, papers):
    for word, pattern in (("nodule", r"\bnodules?\b"), ("Kermany", r"\bkermany\b"), ("dermatologist", None)):
        rows = served.json("/reading_list.json", _shape="array", _size="max", _search=word)
        pattern = re.compile(pattern or rf"\b{word}", re.I)
        expected = {
            k
            for k, p in papers.items()
            if pattern.search(" ".join([p["title"], " ".join(p["authors"]), p["abstract"] or ""]))
        }
        assert expected and len(expected) < len(papers), word
        assert {r["key"] for r in rows} == expected, word


@needs_datasette
def test_search_text_is_escaped_not_parsed(served):
    """Words a user types are words: FTS5 syntax such as a lone quote must not be an error."""
    status, _ = served.get("/reading_list.json", _search='u-net "unclosed')
    assert status == 200


@needs_datasette
def test_canned_query_by_organ_and_modality(served, seed_db):
    rows = served.json("/by_organ_and_modality.json", _shape="array", organ="lung", modality="CT")
    assert {r["key"] for r in rows} == _keys("--organ", "lung", "--modality", "CT", db=served.db)
    any_modality = served.json("/by_organ_and_modality.json", _shape="array", organ="liver", modality="")
    assert {r["key"] for r in any_modality} == _keys("--organ", "liver", db=served.db)


@needs_datasette
def test_canned_queries_for_missing_metadata_and_datasets(served, papers, seed_db):
    missing = served.json("/missing_metadata.json", _shape="array", _size="max")
    expected = {
        k
        for k, p in papers.items()
        if not [a for a in p["authors"] if a != "others"]
        or p["year"] is None
        or not p["venue"]
        or not (p["doi"] or p["arxiv"])
    }
    assert {r["key"] for r in missing} == expected
    datasets = served.json("/datasets_and_papers.json", _shape="array", _size="max")
    shown = json.loads(run("datasets", "-f", "json", "--db", served.db).stdout)
    assert {d["dataset"] for d in datasets} == {d["name"] for d in shown}
    users = {k for k, p in papers.items() if "LIDC-IDRI" in p["datasets"]}
    lidc = next(d for d in datasets if d["dataset"] == "LIDC-IDRI")
    assert set(lidc["keys"].split(", ")) == users and lidc["papers"] == len(users)


@needs_datasette
def test_internals_are_hidden_and_titles_shown(served):
    database = served.json(".json")
    hidden = {t["name"]: t["hidden"] for t in database["tables"]}
    assert not hidden["datasets"]
    assert all(hidden[name] for name in ("papers", "records", "facets", "keys", "meta", "papers_fts"))
    assert [v["name"] for v in database["views"]] == ["reading_list"]
    status, page = served.get("/reading_list")
    assert status == 200
    assert "Reading list" in page and "Citation key" in page  # title and a column description


@needs_datasette
def test_serve_is_read_only(served):
    status, _ = served.get("", sql="DELETE FROM papers")
    assert status >= 400
    assert len(served.json("/reading_list.json", _shape="array", _size="max")) == 89  # 90, one removed


@needs_datasette
def test_a_taken_port_is_one_line(seed_db):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run("serve", "--db", seed_db, "--port", port)
    assert result.exit_code == 1
    assert result.stderr.startswith(f"medlit: cannot listen on 127.0.0.1:{port}")
    assert result.stderr.count("\n") == 1


def test_without_datasette_one_line_says_what_to_install(seed_db, monkeypatch):
    monkeypatch.setitem(sys.modules, "datasette", None)  # as if not installed
    result = run("serve", "--db", seed_db)
    assert result.exit_code == 2
    assert result.stderr == "medlit: medlit serve needs Datasette: pip install 'medlit[web]'\n"


def test_loopback_is_the_default_and_only_loopback_counts_as_private():
    from medlit import web

    assert all(web.is_loopback(h) for h in ("127.0.0.1", "127.1.2.3", "::1", "[::1]", "localhost"))
    assert not any(web.is_loopback(h) for h in ("0.0.0.0", "192.168.1.2", "::", "example.org"))
    result = run("serve", "--help")
    assert "default: 127.0.0.1" in result.stdout


def test_no_other_command_imports_datasette(seed_db):
    probe = (
        "import sys\nfrom medlit.cli import cli\n"
        "try:\n    cli.main(args=sys.argv[1:], prog_name='medlit')\nexcept SystemExit:\n    pass\n"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in ('datasette', 'uvicorn', 'yaml'))\n"
        "print(heavy, file=sys.stderr)\n"
    )
    for args in (
        ["--help"],
        ["serve", "--help"],
        ["search", "--organ", "lung", "-f", "keys"],
        ["search", "unet", "-f", "json"],
        ["show", "tajbakhsh2016convolutional"],
        ["export", "json"],
        ["stats", "--by", "organ"],
        ["datasets"],
        ["vocab", "organ"],
    ):
        done = subprocess.run(
            [sys.executable, "-c", probe, *args, "--db", str(seed_db)]
            if args[0] != "--help"
            else [sys.executable, "-c", probe, *args],
            capture_output=True,
            text=True,
        )
        assert done.stderr.strip().splitlines()[-1] == "[]", (args, done.stderr[-500:])


# ------------------------------------------------------------------ a real browser

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


@needs_datasette
@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Chromium at /usr/bin/chromium")
def test_chromium_shows_the_reading_list(served, papers, tmp_path):
    url = f"{served.base}/reading_list?organ__arraycontains=liver"
    common = [str(CHROMIUM), *CHROMIUM_FLAGS, "--window-size=1400,1400"]
    shot = tmp_path / "reading_list.png"
    subprocess.run(
        [*common, f"--user-data-dir={tmp_path / 'profile-shot'}", f"--screenshot={shot}", url],
        capture_output=True,
        timeout=120,
        check=True,
    )
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 20_000
    if os.environ.get("MEDLIT_KEEP_SCREENSHOT"):
        shutil.copy(shot, os.environ["MEDLIT_KEEP_SCREENSHOT"])
    dom = subprocess.run(
        [*common, f"--user-data-dir={tmp_path / 'profile-dom'}", "--dump-dom", url],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", dom))
    assert "Reading list" in text
    assert 'where organ contains "liver"' in text.replace("&quot;", '"')
    liver = [p for p in papers.values() if "liver" in p["organs"]]
    for paper in liver:
        assert paper["key"] in text
    assert f"{len(liver)} rows" in text
    others = [p["key"] for p in papers.values() if "liver" not in p["organs"]]
    assert not any(f">{key}<" in dom for key in others)
