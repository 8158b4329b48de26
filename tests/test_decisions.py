"""The user's own decisions (edit, tag, note, rm, open) live apart from the documents and
survive every re-import of the seeds."""

from __future__ import annotations

import sys

import pytest
from conftest import exported, run


@pytest.fixture
def db(seeds_copy_db):
    return seeds_copy_db


def reimport(db) -> None:
    """Change every seed a little, so that the import reads and re-merges all of them."""
    for seed in (db.parent / "seeds").glob("*.txt"):
        seed.write_text(seed.read_text(encoding="utf-8") + "\n\n", encoding="utf-8")
    result = run("import", db.parent / "seeds", "--db", db)
    assert result.exit_code == 0 and "unchanged" not in result.stderr, result.stderr


def paper(db, key) -> dict:
    return next(p for p in exported(db) if p["key"] == key)


def keys(*args) -> list[str]:
    result = run("search", *args, "-f", "keys")
    assert result.exit_code == 0, result.stderr
    return result.stdout.split()


KEY = "tajbakhsh2016convolutional"


def test_tags_are_searched_exported_and_survive_reimport(db):
    assert run("tag", KEY, "thesis", "chapter 2", "--db", db).exit_code == 0
    assert run("tag", "ding2018deep", "thesis", "--db", db).exit_code == 0
    assert keys("--tag", "thesis", "--db", db) == ["ding2018deep", KEY]
    assert keys("--tag", "chapter 2", "--db", db) == [KEY]
    reimport(db)
    assert sorted(keys("--tag", "thesis", "--db", db)) == sorted(["ding2018deep", KEY])
    bib = run("export", "bibtex", "--keys", KEY, "--db", db).stdout
    assert "keywords = {" in bib and "thesis" in bib.split("keywords = {")[1].split("}")[0]
    assert run("tag", KEY, "thesis", "--untag", "--db", db).exit_code == 0
    assert keys("--tag", "thesis", "--db", db) == ["ding2018deep"]
    assert paper(db, KEY)["tags"] == ["chapter 2"]


def test_notes_export_as_note_and_survive_reimport(db):
    assert run("note", KEY, "Baseline for chapter 3 & the fine-tuning table", "--db", db).exit_code == 0
    reimport(db)
    bib = run("export", "bibtex", "--keys", KEY, "--db", db).stdout
    assert "note = {Baseline for chapter 3 \\& the fine-tuning table}" in bib
    csl = run("export", "csl-json", "--keys", KEY, "--db", db).stdout
    assert '"note": "Baseline for chapter 3 & the fine-tuning table"' in csl
    assert "N1  - Baseline for chapter 3" in run("export", "ris", "--keys", KEY, "--db", db).stdout
    assert run("note", KEY, "--clear", "--db", db).exit_code == 0
    assert "note = " not in run("export", "bibtex", "--keys", KEY, "--db", db).stdout


def test_edits_survive_reimport_and_reach_search(db):
    before = paper(db, KEY)
    assert "liver" not in before["organs"]
    result = run(
        "edit", KEY, "--set", "pages=1-12", "--set", "venue=MICCAI", "--add", "organ=肝",
        "--remove", "technique=transfer-learning", "--db", db,
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    reimport(db)
    after = paper(db, KEY)
    assert before["pages"] == "1299-1312" and after["pages"] == "1-12"  # the edit, not seed 000
    assert after["venue"] == "Medical Image Computing and Computer-Assisted Intervention"
    assert after["venue_kind"] == "conference"
    assert "liver" in after["organs"] and "transfer-learning" not in after["techniques"]
    assert "transfer-learning" in before["techniques"]
    assert KEY in keys("--organ", "liver", "--db", db)
    assert KEY in keys("--venue", "MICCAI", "--db", db)
    shown = run("show", KEY, "--db", db).stdout
    assert "pages: your edit" in shown and "venue: your edit" in shown


def test_edit_title_is_searched_fuzzily(db):
    assert (
        run(
            "edit", KEY, "--set", "title=Full training or fine tuning for CNNs in radiology", "--db", db
        ).exit_code
        == 0
    )
    assert keys("fine tuning radiology cnns", "--db", db)[0] == KEY
    import sqlite3

    conn = sqlite3.connect(db)
    found = conn.execute(
        "SELECT p.key FROM papers_fts f JOIN papers p ON p.id = f.rowid WHERE papers_fts MATCH 'radiology'"
    ).fetchall()
    assert (KEY,) in found  # the full-text index follows the edit
    assert conn.execute("INSERT INTO papers_fts(papers_fts) VALUES ('integrity-check')") is not None


def test_bad_edits_are_usage_errors(db):
    result = run("edit", KEY, "--set", "colour=blue", "--db", db)
    assert result.exit_code == 2 and "unknown field 'colour'" in result.stderr
    result = run("edit", KEY, "--add", "organ=spleeen", "--db", db)
    assert result.exit_code == 1 and "unknown organ 'spleeen'" in result.stderr
    result = run("edit", "nosuchkey2020", "--set", "year=2020", "--db", db)
    assert result.exit_code == 1 and "no paper with key 'nosuchkey2020'" in result.stderr
    assert run("edit", KEY, "--db", db).exit_code == 2


def test_rm_hides_from_search_and_export_and_undo_restores(db):
    total = len(exported(db))
    assert KEY in keys("--db", db)
    assert run("rm", KEY, "--db", db).exit_code == 0
    assert KEY not in keys("--db", db) and KEY not in keys("convolutional fine tuning", "--db", db)
    assert len(exported(db)) == total - 1
    assert "removed from search and export" in run("show", KEY, "--db", db).stdout
    reimport(db)
    assert KEY not in keys("--db", db)
    assert run("rm", KEY, "--undo", "--db", db).exit_code == 0
    assert KEY in keys("--db", db) and len(exported(db)) == total


def test_open_uses_the_opener_with_the_best_address(db, tmp_path, monkeypatch):
    record = tmp_path / "opened.txt"
    script = tmp_path / "opener.py"
    script.write_text(f"import sys; open({str(record)!r}, 'w').write(sys.argv[1])\n")
    monkeypatch.setenv("MEDLIT_OPENER", f"{sys.executable} {script}")
    result = run("open", "ding2018deep", "--db", db)
    assert result.exit_code == 0, result.stderr
    url = paper(db, "ding2018deep")["url"]
    assert record.read_text() == url and result.stdout.strip() == url
    assert (
        run("open", "survey2017deep", "--print", "--db", db).stdout.strip().startswith("https://arxiv.org/")
    )
    import webbrowser

    monkeypatch.delenv("MEDLIT_OPENER")
    opened = []
    monkeypatch.setattr(webbrowser, "open", lambda address: opened.append(address) or True)
    assert run("open", "ding2018deep", "--db", db).exit_code == 0 and opened == [url]


def test_decisions_table_holds_every_decision(db):
    import sqlite3

    run("tag", KEY, "x", "--db", db)
    run("note", KEY, "n", "--db", db)
    run("rm", KEY, "--db", db)
    run("rm", KEY, "--undo", "--db", db)
    run("edit", KEY, "--set", "year=2017", "--db", db)
    rows = sqlite3.connect(db).execute("SELECT kind, key, undone FROM decisions ORDER BY id").fetchall()
    assert rows == [("tag", KEY, 0), ("note", KEY, 0), ("rm", KEY, 1), ("edit", KEY, 0)]


def test_edits_and_tags_survive_a_join(db):
    """A join merges papers again from their records (importing.engine.settle): the user's
    edits are applied again there as after an import."""
    other = "ding2018deep"
    assert run("edit", KEY, "--set", "volume=99", "--add", "organ=liver", "--db", db).exit_code == 0
    assert run("tag", KEY, "thesis", "--db", db).exit_code == 0
    joined = run("join", KEY, other, "--db", db)
    assert joined.exit_code == 0, joined.stderr
    merged = paper(db, joined.stdout.strip())
    assert merged["volume"] == "99" and "liver" in merged["organs"] and "thesis" in merged["tags"]
