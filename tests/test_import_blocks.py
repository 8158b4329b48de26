"""The in-memory title blocks answer the fuzzy same-paper rule exactly as the SQL query did."""

from __future__ import annotations

import random
import sqlite3
import sys
from bisect import bisect_left, bisect_right

import pytest
from conftest import ROOT, run
from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz import process
from rapidfuzz.distance import Indel
from rapidfuzz.fuzz import ratio

from medlit.importing.title_blocks import BLOCK, FUZZY_SAME_PAPER, TitleBlocks, most_edits, signature
from medlit.normalise import title_key


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
    from medlit.importing.keys import next_free, unique

    used = {"deep2024learning", "deep2024learningc", "deep2024learningaa"}
    after = -1
    for _ in range(60):
        expected = unique("deep2024learning", used.__contains__)
        key, after = next_free("deep2024learning", used.__contains__, after)
        assert key == expected
        used.add(key)
    assert "deep2024learningbh" in used and len(used) == 63


class _Reference:
    """The blocks as first kept in memory: every title of the length window scored by rapidfuzz."""

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn
        self.years: dict[int, tuple[dict, dict]] = {}

    def forget(self) -> None:
        self.years.clear()

    def add(self, year: int, record_id: int, paper_id: int, norm: str) -> None:
        if year in self.years:
            self._add(self.years[year], record_id, paper_id, norm)

    @staticmethod
    def _add(blocks: tuple[dict, dict], record_id: int, paper_id: int, norm: str) -> None:
        tail = norm[-BLOCK:]
        entry = (tail, record_id, paper_id)
        for index, key in ((0, norm[:BLOCK]), (1, tail)):
            lengths, titles, entries = blocks[index].setdefault(key, ([], [], []))
            at = bisect_right(lengths, len(norm))
            lengths.insert(at, len(norm))
            titles.insert(at, norm)
            entries.insert(at, entry)

    def _year(self, year: int) -> tuple[dict, dict]:
        if year not in self.years:
            blocks = self.years[year] = ({}, {})
            for row in self.conn.execute(
                "SELECT id, paper_id, title_norm FROM records WHERE year = ? AND head IS NOT NULL", (year,)
            ):
                self._add(blocks, *row)
        return self.years[year]

    def nearly_same(self, year: int, norm: str) -> int | None:
        by_head, by_tail = self._year(year)
        scores: dict[tuple, float] = {}
        slack = (100 - FUZZY_SAME_PAPER) / 100
        shortest = int(len(norm) * (1 - slack) / (1 + slack)) - 1
        longest = int(len(norm) * (1 + slack) / (1 - slack)) + 1
        for block in (by_head.get(norm[:BLOCK]), by_tail.get(norm[-BLOCK:])):
            if block is None:
                continue
            lengths, titles, entries = block
            lo, hi = bisect_left(lengths, shortest), bisect_right(lengths, longest)
            for _title, score, i in process.extract(
                norm, titles[lo:hi], scorer=ratio, score_cutoff=FUZZY_SAME_PAPER, limit=None
            ):
                scores[entries[lo + i]] = score
        if not scores:
            return None
        top = max(scores.values())
        return min(entry for entry, score in scores.items() if score == top)[2]


def _edited(rng: random.Random, norm: str, edits: int, kind: str) -> str:
    """`norm` with `edits` characters dropped, added or changed, away from its first and last BLOCK
    characters when it is long enough (so that it stays in one of its blocks)."""
    chars = list(norm)
    for _ in range(edits):
        keep = rng.choice((0, 1))  # keep the head or the tail
        lo, hi = (BLOCK, len(chars)) if keep == 0 else (0, len(chars) - BLOCK)
        if lo >= hi:
            lo, hi = 0, len(chars)
        at = rng.randrange(lo, hi)
        letter = rng.choice("niaetosrlcdmugfpvhwbykzx0123456789")
        if kind == "drop" and len(chars) > 2 * BLOCK:
            del chars[at]
        elif kind == "add":
            chars.insert(at, letter)
        else:  # equal length
            chars[at] = letter
    return "".join(chars)


def _stream(n: int, seed: int):
    """(year, norm) as an import meets them: generated titles, each now and then followed by near
    copies (a letter dropped, added or changed, words swapped, several edits around the 95
    threshold), exact copies and copies of copies (ties)."""
    sys.path.insert(0, str(ROOT / "bench"))
    import generate

    rng = random.Random(seed)
    papers = generate.Papers(random.Random(seed))
    tasks = list(generate.TASKS)
    recent: list[tuple[int, str, str]] = []
    for _ in range(n):
        paper = papers.make(rng.choice(tasks))
        year, title = rng.choice((2017, 2018, 2019)), paper["title"]  # few years: big blocks
        if rng.random() < 0.05:  # a long title: within 16 edits, as far as a filler signature
            title += " and " + papers.make(rng.choice(tasks))["title"]
        norm = title_key(title)
        yield year, norm
        recent.append((year, title, norm))
        if rng.random() < 0.5:
            year, title, norm = rng.choice(recent[-300:])
            kind = rng.choice(("drop", "add", "change", "swap", "copy", "threshold", "threshold"))
            if kind == "swap":
                words = title.split()
                if len(words) > 3:
                    i = rng.randrange(1, len(words) - 2)
                    words[i], words[i + 1] = words[i + 1], words[i]
                yield year, title_key(" ".join(words))
            elif kind == "copy":
                yield year, norm
            elif kind == "threshold":  # as many edits as a 95 allows, or one more or one fewer
                # k letters dropped score 100 * (1 - k / (2n - k)), k added 100 * (1 - k / (2n + k)),
                # k changed 100 * (1 - 2k / 2n)
                size, more = len(norm), rng.choice((-1, 0, 0, 1))
                yield year, _edited(rng, norm, max(1, 2 * size // 21 + more), "drop")
                yield year, _edited(rng, norm, max(1, 2 * size // 19 + more), "add")
                yield year, _edited(rng, norm, max(1, size // 20 + more), "change")
            else:
                variant = _edited(rng, norm, 1, kind)
                yield year, variant
                yield year, _edited(rng, variant, 1, "change")  # two near copies: a tie now and then


@pytest.mark.parametrize(
    ("numpy_from", "numpy_after", "bytewise"),
    [(10**9, 0, False), (24, 10**9, False), (0, 0, False), (4, 3000, False), (0, 0, True)],
    ids=["python", "python-before-numpy", "numpy", "python-then-numpy", "numpy-1.x"],
)
def test_filtered_blocks_answer_as_scoring_every_title_did(numpy_from, numpy_after, bytewise, monkeypatch):
    """Every answer equals the original scoring's, with the signature filter in Python, in numpy
    (also before numpy 2.0), and moving from one to the other; also after the catalog was read
    again."""
    from medlit.importing import title_blocks

    monkeypatch.setattr(title_blocks, "NUMPY_FROM", numpy_from)
    monkeypatch.setattr(title_blocks, "NUMPY_AFTER", numpy_after)
    _without_numpy(monkeypatch)
    if bytewise:
        title_blocks._import_numpy()
        monkeypatch.setattr(title_blocks, "_bitwise_count", title_blocks._bytewise_count)
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE records (id INTEGER PRIMARY KEY, paper_id, year, title_norm, head)")
    blocks, reference = TitleBlocks(conn), _Reference(conn)
    matched = near_threshold = just_below = long = papers = 0
    for record_id, (year, norm) in enumerate(_stream(1500, seed=numpy_from % 7 + bytewise), start=1):
        if record_id % 1000 == 0:  # records were deleted elsewhere: both read the catalog again
            blocks.forget()
            reference.forget()
        if len(norm) < 2 * BLOCK:
            continue
        expected = reference.nearly_same(year, norm)
        assert blocks.nearly_same(year, norm) == expected, norm
        if expected is None:
            papers += 1
            paper_id = papers
        else:
            paper_id = expected
            matched += 1
            long += most_edits(len(norm)) >= 16
        scores = [ratio(norm, t) for t in _block_titles(reference, year, norm)]
        near_threshold += any(FUZZY_SAME_PAPER <= s < FUZZY_SAME_PAPER + 0.5 for s in scores)
        just_below += any(FUZZY_SAME_PAPER - 0.5 <= s < FUZZY_SAME_PAPER for s in scores)
        conn.execute(
            "INSERT INTO records VALUES (?,?,?,?,?)", (record_id, paper_id, year, norm, norm[:BLOCK])
        )
        blocks.add(year, record_id, paper_id, norm)
        reference.add(year, record_id, paper_id, norm)
    assert matched > 500 and near_threshold > 20 and just_below > 20 and long > 5
    in_numpy = [type(b[0]) is title_blocks._Signatures for y in blocks.years.values() for b in y[1].values()]
    assert any(in_numpy) == (numpy_from < 10**9 and numpy_after < 10**9)


def _without_numpy(monkeypatch) -> None:
    """As in a new process: numpy not yet imported by the blocks (restored after the test)."""
    from medlit.importing import title_blocks

    monkeypatch.setattr(title_blocks, "_numpy", None)
    monkeypatch.setattr(title_blocks, "_bitwise_count", None)


def _block_titles(reference: _Reference, year: int, norm: str) -> list[str]:
    by_head, by_tail = reference._year(year)
    return [t for b in (by_head.get(norm[:BLOCK]), by_tail.get(norm[-BLOCK:])) if b for t in b[1]]


@settings(max_examples=500, deadline=None)
@given(st.text("naetsxq蛋 ", max_size=60), st.text("naetsxq蛋 ", max_size=60))
def test_signature_distance_never_exceeds_the_indel_distance(a, b):
    assert (signature(a) ^ signature(b)).bit_count() <= Indel.distance(a, b)


@settings(max_examples=300, deadline=None)
@given(st.integers(1, 400), st.integers(-40, 40), st.integers(0, 80))
def test_no_ratio_of_95_is_further_than_most_edits(size, longer, edits):
    """most_edits(size) bounds the Indel distance of every pair that scores 95 or more."""
    other = max(0, size + longer)
    if edits < abs(size - other) or (edits - abs(size - other)) % 2 or size + other == 0:
        return  # no pair of such lengths is that far apart
    if 100 * (1 - edits / (size + other)) >= FUZZY_SAME_PAPER:
        assert edits <= most_edits(size)


def test_bits_are_counted_alike_before_numpy_2(monkeypatch):
    import numpy

    from medlit.importing import title_blocks

    _without_numpy(monkeypatch)
    title_blocks._import_numpy()
    rng = random.Random(5)
    words = [rng.getrandbits(64) for _ in range(300)] + [0, 2**64 - 1]
    counted = title_blocks._bytewise_count(numpy.array(words, numpy.uint64))
    assert counted.tolist() == [w.bit_count() for w in words]


def test_room_left_in_a_numpy_block_is_never_a_candidate(monkeypatch):
    """A numpy block keeps room to grow, filled with a signature 16 bits from any title's: a
    title of 152 characters or more may be that close, and the room is still no record."""
    from medlit.importing import title_blocks

    monkeypatch.setattr(title_blocks, "NUMPY_FROM", 4)
    _without_numpy(monkeypatch)
    title_blocks._import_numpy()
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE records (id INTEGER PRIMARY KEY, paper_id, year, title_norm, head)")
    blocks, reference = TitleBlocks(conn), _Reference(conn)
    tail = "zzzzzzzzzzzz"
    query = "".join(letter * 5 for letter in "niaetosrlcdmugfp") + "x" * 60 + tail  # counts 5: 1110
    assert (
        len(query) >= 152
        and (signature(query) ^ title_blocks._ROOM).bit_count() == most_edits(len(query)) == 16
    )
    rng = random.Random(2)
    for record_id in range(1, 11):
        norm = "".join(rng.choice("niaetosrlcdmugfpx") for _ in range(150)) + tail
        blocks.nearly_same(2020, norm)
        reference.nearly_same(2020, norm)
        blocks.add(2020, record_id, record_id, norm)
        reference.add(2020, record_id, record_id, norm)
    sigs = blocks.years[2020][1][tail][0]
    assert type(sigs) is title_blocks._Signatures and len(sigs.words) > len(sigs)
    assert blocks.nearly_same(2020, query) == reference.nearly_same(2020, query) is None
