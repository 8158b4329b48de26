"""Near-identical titles of the same year: the import's last way to find a record's paper.

Two listings of one paper often differ by a typo, a hyphen or a dropped word. Comparing a new
title with every record would be quadratic; comparing it with the records of its year that
share its first or its last BLOCK characters finds those listings at a cost that stays flat.
"""

from __future__ import annotations

import sqlite3
from array import array
from collections.abc import Callable

FUZZY_SAME_PAPER = 95  # rapidfuzz ratio for "near-identical title, same year"
BLOCK = 12  # characters of the normalised title used to find fuzzy candidates
NUMPY_FROM = 28  # blocks this long are filtered by numpy in one call, shorter ones in Python

# A title's signature: how often each of the 16 letters most common in titles occurs in it,
# modulo 8, each count as the 4-bit Johnson code 0000 0001 0011 0111 1111 1110 1100 1000: the
# bits two codes differ in are the circular distance of their counts, at most the counts'
# difference. Other characters are left out: titles with few of these letters (Chinese ones)
# are told apart less well, and more of them are scored, never fewer than the rule needs.
_JOHNSON = (0b0000, 0b0001, 0b0011, 0b0111, 0b1111, 0b1110, 0b1100, 0b1000)
_LETTERS = "niaetosrlcdmugfp"
_C0, _C1, _C2, _C3, _C4, _C5, _C6, _C7, _C8, _C9, _C10, _C11, _C12, _C13, _C14, _C15 = (
    tuple(code << 4 * i for code in _JOHNSON) for i in range(len(_LETTERS))
)

# numpy is imported on first use: a small catalog never has a block of NUMPY_FROM titles
_numpy = _bitwise_count = None
_at_most: list = []
assert array("Q").itemsize == 8  # signatures are read by numpy as uint64


def signature(norm: str) -> int:
    """64 bits whose Hamming distance to another title's is at most the two titles' Indel distance.

    Indel distance = len1 + len2 - 2 * LCS >= the sum over characters of the difference of
    their counts (a common subsequence has a character no more often than the rarer side)
    >= that sum over 16 letters >= the sum of the counts' circular distances modulo 8, which
    is the number of bits their Johnson codes differ in.
    """
    count = norm.count
    return (
        _C0[count("n") & 7] | _C1[count("i") & 7] | _C2[count("a") & 7] | _C3[count("e") & 7]
        | _C4[count("t") & 7] | _C5[count("o") & 7] | _C6[count("s") & 7] | _C7[count("r") & 7]
        | _C8[count("l") & 7] | _C9[count("c") & 7] | _C10[count("d") & 7] | _C11[count("m") & 7]
        | _C12[count("u") & 7] | _C13[count("g") & 7] | _C14[count("f") & 7] | _C15[count("p") & 7]
    )  # fmt: skip


def most_edits(size: int) -> int:
    """The largest Indel distance at which a title of `size` characters can score FUZZY_SAME_PAPER.

    ratio = 100 * (1 - indel / (size + other)) >= P needs 100 * indel <= (100 - P) * (size + other),
    and other <= size + indel (an edit changes the length by one), so P * indel <= 2 * (100 - P) * size:
    at P = 95, indel <= 2 * size / 19, 9 edits for a title of 87 characters.
    """
    return 2 * (100 - FUZZY_SAME_PAPER) * size // FUZZY_SAME_PAPER


class TitleBlocks:
    """Records of a year by the first and by the last BLOCK characters of their title, in memory.

    A new title is compared with every record of its year that shares its head or its tail.
    Titles end alike ("...neural networks", "...segmentation"), so a block holds a fair share
    of a year: hundreds of titles. Scoring them all would cost tens of microseconds a record;
    instead each title keeps a 64-bit signature whose Hamming distance to another's never
    exceeds their Indel distance, and only the titles whose signature is within the distance
    a FUZZY_SAME_PAPER ratio allows are scored (almost always none). A year is read from the
    catalog on first use, then kept up to date.
    """

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn
        self.years: dict[int, tuple[dict, dict]] = {}  # year -> (by head, by tail)
        self.before_read: Callable[[], None] = lambda: None  # writes what is pending
        self._last: tuple[str, int] = ("", signature(""))  # the importer adds what it just asked

    def forget(self) -> None:
        """Records were deleted: read the catalog again when next asked."""
        self.years.clear()

    def add(self, year: int, record_id: int, paper_id: int, norm: str) -> None:
        if year in self.years:
            self._add(self.years[year], record_id, paper_id, norm, self._signature(norm))

    def _signature(self, norm: str) -> int:
        last, sig = self._last
        if norm is not last and norm != last:
            sig = signature(norm)
            self._last = (norm, sig)
        return sig

    @staticmethod
    def _add(blocks: tuple[dict, dict], record_id: int, paper_id: int, norm: str, sig: int) -> None:
        tail = norm[-BLOCK:]
        entry = (tail, record_id, paper_id)  # sorts as the catalog's (year, tail) index did
        for index, key in ((0, norm[:BLOCK]), (1, tail)):
            block = blocks[index].get(key)
            if block is None:
                block = blocks[index][key] = (array("Q"), [], [])
            sigs, titles, entries = block  # in the order added
            sigs.append(sig)
            titles.append(norm)
            entries.append(entry)

    def _year(self, year: int) -> tuple[dict, dict]:
        blocks = self.years.get(year)
        if blocks is None:
            self.before_read()
            blocks = ({}, {})
            for record_id, paper_id, norm in self.conn.execute(
                "SELECT id, paper_id, title_norm FROM records WHERE year = ? AND head IS NOT NULL", (year,)
            ):
                self._add(blocks, record_id, paper_id, norm, signature(norm))
            self.years[year] = blocks
        return blocks

    def nearly_same(self, year: int, norm: str) -> int | None:
        """The paper of the closest record at FUZZY_SAME_PAPER or above; ties go to the
        smallest (tail, record id), the order in which the catalog used to return them."""
        blocks = self.years.get(year)
        by_head, by_tail = self._year(year) if blocks is None else blocks
        head, tail = by_head.get(norm[:BLOCK]), by_tail.get(norm[-BLOCK:])
        if head is None and tail is None:
            return None
        sig = self._signature(norm)
        most = most_edits(len(norm))
        scores: dict[tuple, float] = {}
        for block in (head, tail):
            if block is None:
                continue
            sigs, titles, entries = block
            if len(sigs) < NUMPY_FROM:
                near = [i for i, other in enumerate(sigs) if (sig ^ other).bit_count() <= most]
            else:
                near = _near(sigs, sig, most)
            if near:  # titles within reach (almost never): score them as the rule says
                from rapidfuzz import fuzz, process

                chosen = [titles[i] for i in near]
                for _title, score, i in process.extract(
                    norm, chosen, scorer=fuzz.ratio, score_cutoff=FUZZY_SAME_PAPER, limit=None
                ):
                    scores[entries[near[i]]] = score
        if not scores:
            return None
        top = max(scores.values())
        return min(entry for entry, score in scores.items() if score == top)[2]


def _near(sigs: array, sig: int, most: int) -> list[int]:
    """Where in `sigs` the signatures that differ from `sig` in at most `most` bits are."""
    if not _at_most:
        _import_numpy()
    differ = _numpy.frombuffer(sigs, _numpy.uint64) ^ sig  # the view is gone before sigs grows again
    return (_bitwise_count(differ) <= _at_most[min(most, 64)]).nonzero()[0].tolist()


def _import_numpy() -> None:
    global _numpy, _bitwise_count
    import numpy

    _numpy = numpy
    _bitwise_count = getattr(numpy, "bitwise_count", _bytewise_count)  # numpy >= 2.0 has it
    _at_most[:] = [numpy.uint8(n) for n in range(65)]  # numpy compares faster with its own scalars


def _bytewise_count(words):
    """The number of bits set in each of `words`, on numpy before 2.0."""
    table = _numpy.array([bin(b).count("1") for b in range(256)], _numpy.uint8)
    return table[words.view(_numpy.uint8)].reshape(-1, 8).sum(1, dtype=_numpy.uint8)
