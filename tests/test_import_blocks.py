"""The in-memory title blocks answer the fuzzy same-paper rule exactly as the SQL query did."""

from __future__ import annotations

import sqlite3
import sys

from conftest import ROOT, run
from rapidfuzz.fuzz import ratio

from medlit.title_blocks import BLOCK, FUZZY_SAME_PAPER, TitleBlocks


def _as_the_query_did(conn: sqlite3.Connection, year: int, norm: str) -> int | None:
    """The rule as first written: the best-scoring candidate in the (year, tail) index order."""
    rows = conn.execute(
        "SELECT paper_id, title_norm FROM records "
        "WHERE year = ? AND (head = ? OR tail = ?) ORDER BY year, tail, id",
        (year, norm[:BLOCK], norm[-BLOCK:]),
    ).fetchall()
    best = max(rows, key=lambda r: ratio(r[1], norm), default=None)
    return best[0] if best and ratio(best[1], norm) >= FUZZY_SAME_PAPER else None


def test_blocks_agree_with_the_query_on_near_and_exact_titles(tmp_path):
    sys.path.insert(0, str(ROOT / "bench"))
    import generate

    generate.write(2000, tmp_path / "lists")
    db = tmp_path / "catalog.db"
    assert run("import", tmp_path / "lists", "--db", db, "-q").exit_code == 0
    conn = sqlite3.connect(db)
    blocks = TitleBlocks(conn)
    rows = conn.execute("SELECT year, title_norm FROM records WHERE head IS NOT NULL").fetchall()
    found = 0
    for year, norm in rows:
        # the title itself, one letter dropped, one added: near-identical titles of the same year
        for probe in (norm, norm[:30] + norm[31:], norm[:-5] + "x" + norm[-5:]):
            if len(probe) < 2 * BLOCK:
                continue
            expected = _as_the_query_did(conn, year, probe)
            assert blocks.nearly_same(year, probe) == expected, probe
            found += expected is not None
    assert found > len(rows)  # the rule fired, so the comparison meant something


def test_ties_go_to_the_smallest_tail_then_the_oldest_record(tmp_path):
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE records (id INTEGER PRIMARY KEY, paper_id, year, title_norm, head, tail)")
    query = "abcdefghijklmnopqrstuvwxyz0123456789abcdefghij"
    # two candidates at the same distance from the query: one shares its head, one its tail
    same_head = query[:-1] + "Q"
    same_tail = "Q" + query[1:]
    for rid, pid, norm in ((1, 10, same_head), (2, 20, same_tail), (3, 30, same_head)):
        conn.execute(
            "INSERT INTO records VALUES (?,?,?,?,?,?)", (rid, pid, 2016, norm, norm[:BLOCK], norm[-BLOCK:])
        )
    assert ratio(same_head, query) == ratio(same_tail, query) >= FUZZY_SAME_PAPER
    expected = 10 if same_head[-BLOCK:] < same_tail[-BLOCK:] else 20
    assert TitleBlocks(conn).nearly_same(2016, query) == expected == _as_the_query_did_simple(conn, query)


def _as_the_query_did_simple(conn: sqlite3.Connection, norm: str) -> int | None:
    rows = conn.execute(
        "SELECT paper_id, title_norm FROM records WHERE year = 2016 AND (head = ? OR tail = ?) ORDER BY tail, id",
        (norm[:BLOCK], norm[-BLOCK:]),
    ).fetchall()
    best = max(rows, key=lambda r: ratio(r[1], norm), default=None)
    return best[0] if best and ratio(best[1], norm) >= FUZZY_SAME_PAPER else None


def test_resumed_key_search_gives_what_a_search_from_scratch_gives():
    from medlit.keys import next_free, unique

    used = {"deep2024learning", "deep2024learningc", "deep2024learningaa"}
    after = -1
    for _ in range(60):
        expected = unique("deep2024learning", used.__contains__)
        key, after = next_free("deep2024learning", used.__contains__, after)
        assert key == expected
        used.add(key)
    assert "deep2024learningbh" in used and len(used) == 63
