"""Near-identical titles of the same year: the import's last way to find a record's paper.

Two listings of one paper often differ by a typo, a hyphen or a dropped word. Comparing a new
title with every record would be quadratic; comparing it with the records of its year that
share its first or its last BLOCK characters finds those listings at a cost that stays flat.
"""

from __future__ import annotations

import sqlite3
from bisect import bisect_left, bisect_right
from collections.abc import Callable

FUZZY_SAME_PAPER = 95  # rapidfuzz ratio for "near-identical title, same year"
BLOCK = 12  # characters of the normalised title used to find fuzzy candidates


class TitleBlocks:
    """Records of a year by the first and by the last BLOCK characters of their title, in memory.

    A new title is compared with every record of its year that shares its head or its tail.
    Titles end alike ("...neural networks", "...segmentation"), so a block holds a fair share
    of a year: scored in one rapidfuzz call instead of fetched row by row, it costs
    microseconds. A year is read from the catalog on first use, then kept up to date.
    """

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn
        self.years: dict[int, tuple[dict, dict]] = {}  # year -> (by head, by tail)
        self.before_read: Callable[[], None] = lambda: None  # writes what is pending

    def forget(self) -> None:
        """Records were deleted: read the catalog again when next asked."""
        self.years.clear()

    def add(self, year: int, record_id: int, paper_id: int, norm: str) -> None:
        if year in self.years:
            self._add(self.years[year], record_id, paper_id, norm)

    @staticmethod
    def _add(blocks: tuple[dict, dict], record_id: int, paper_id: int, norm: str) -> None:
        tail = norm[-BLOCK:]
        entry = (tail, record_id, paper_id)  # sorts as the catalog's (year, tail) index did
        size = len(norm)
        for index, key in ((0, norm[:BLOCK]), (1, tail)):
            block = blocks[index].get(key)
            if block is None:
                block = blocks[index][key] = ([], [], [])
            lengths, titles, entries = block  # kept in order of length
            at = bisect_right(lengths, size)
            lengths.insert(at, size)
            titles.insert(at, norm)
            entries.insert(at, entry)

    def _year(self, year: int) -> tuple[dict, dict]:
        blocks = self.years.get(year)
        if blocks is None:
            self.before_read()
            blocks = ({}, {})
            for record_id, paper_id, norm in self.conn.execute(
                "SELECT id, paper_id, title_norm FROM records WHERE year = ? AND head IS NOT NULL", (year,)
            ):
                self._add(blocks, record_id, paper_id, norm)
            self.years[year] = blocks
        return blocks

    def nearly_same(self, year: int, norm: str) -> int | None:
        """The paper of the closest record at FUZZY_SAME_PAPER or above; ties go to the
        smallest (tail, record id), the order in which the catalog used to return them."""
        from rapidfuzz import fuzz, process

        by_head, by_tail = self._year(year)
        scores: dict[tuple, float] = {}
        # ratio >= 95 needs |len1 - len2| <= 5% of len1 + len2: only those lengths (and one
        # more each side) are scored, a third of a block
        slack = (100 - FUZZY_SAME_PAPER) / 100
        shortest = int(len(norm) * (1 - slack) / (1 + slack)) - 1
        longest = int(len(norm) * (1 + slack) / (1 - slack)) + 1
        for block in (by_head.get(norm[:BLOCK]), by_tail.get(norm[-BLOCK:])):
            if block is None:
                continue
            lengths, titles, entries = block
            lo, hi = bisect_left(lengths, shortest), bisect_right(lengths, longest)
            if lo < hi:
                for _title, score, i in process.extract(
                    norm, titles[lo:hi], scorer=fuzz.ratio, score_cutoff=FUZZY_SAME_PAPER, limit=None
                ):
                    scores[entries[lo + i]] = score
        if not scores:
            return None
        top = max(scores.values())
        return min(entry for entry, score in scores.items() if score == top)[2]
