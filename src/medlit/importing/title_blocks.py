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
# A block is filtered title by title in Python (about 0.1 us a title), or, once numpy is
# imported, in three numpy calls (about 3 us) when it holds NUMPY_FROM titles or more. numpy's
# import costs 85 ms: it is imported once NUMPY_AFTER titles of such blocks have been filtered
# in Python, about half as long. A catalog of 10k papers never imports it, one of 100k does
# within its first tenth.
NUMPY_FROM = 24
NUMPY_AFTER = 300_000

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

_numpy = _bitwise_count = None  # imported when worth it (NUMPY_AFTER)
_ROOM = 0xAAAAAAAAAAAAAAAA  # 1010 in every group: no title's signature, a bit from any code
assert array("Q").itemsize == 8  # numpy reads signatures as uint64


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
    of a year: hundreds of titles. Scoring them all costs tens of microseconds a record, to
    find a match almost never. Instead each title keeps a signature whose Hamming distance to
    another's is at most their Indel distance, and only the titles whose signature is within
    the distance a FUZZY_SAME_PAPER ratio allows are scored, as the rule says: the answers are
    the rule's. A year is read from the catalog on first use, then kept up to date.
    """

    def __init__(self, conn: sqlite3.Connection, empty: bool = False):
        self.conn = conn
        self.empty = empty  # the catalog has no records: all are added here, none read
        self.years: dict[int, tuple[dict, dict]] = {}  # year -> (by head, by tail)
        self.before_read: Callable[[], None] = lambda: None  # writes what is pending
        self._last: tuple[str, int] = ("", signature(""))  # the importer adds what it just asked
        self._filtered = 0  # titles of NUMPY_FROM blocks filtered in Python

    def forget(self) -> None:
        """Records were deleted: read the catalog again when next asked."""
        self.years.clear()

    def add(self, year: int, record_id: int, paper_id: int, norm: str, sig: int | None = None) -> None:
        """A record to compare later titles with; `sig`: its signature, if worked out already."""
        blocks = self.years.get(year)
        if blocks is None:
            if not self.empty:
                return  # read from the catalog with the rest of its year, when first asked
            blocks = self.years[year] = ({}, {})
        if sig is None:
            last, sig = self._last
            if norm is not last and norm != last:
                sig = signature(norm)
        self._add(blocks, record_id, paper_id, norm, sig)

    @staticmethod
    def _add(blocks: tuple[dict, dict], record_id: int, paper_id: int, norm: str, sig: int) -> None:
        tail = norm[-BLOCK:]
        entry = (tail, record_id, paper_id)  # sorts as the catalog's (year, tail) index did
        for by_key, key in ((blocks[0], norm[:BLOCK]), (blocks[1], tail)):
            block = by_key.get(key)
            if block is None:
                by_key[key] = (array("Q", (sig,)), [norm], [entry])
                continue
            sigs, titles, entries = block  # in the order added
            if type(sigs) is array and _numpy is not None and len(sigs) >= NUMPY_FROM:
                sigs = _Signatures(sigs)
                by_key[key] = (sigs, titles, entries)
            sigs.append(sig)
            titles.append(norm)
            entries.append(entry)

    def _year(self, year: int) -> tuple[dict, dict]:
        blocks = self.years.get(year)
        if blocks is None:
            blocks = ({}, {})
            if self.empty:
                self.years[year] = blocks
                return blocks
            self.before_read()
            for record_id, paper_id, norm in self.conn.execute(
                "SELECT id, paper_id, title_norm FROM records WHERE year = ? AND head IS NOT NULL", (year,)
            ):
                self._add(blocks, record_id, paper_id, norm, signature(norm))
            self.years[year] = blocks
        return blocks

    def nearly_same(self, year: int, norm: str, sig: int | None = None) -> int | None:
        """The paper of the closest record at FUZZY_SAME_PAPER or above; ties go to the
        smallest (tail, record id), the order in which the catalog used to return them.
        `sig`: the title's signature, if worked out already."""
        blocks = self.years.get(year)
        by_head, by_tail = self._year(year) if blocks is None else blocks
        head, tail = by_head.get(norm[:BLOCK]), by_tail.get(norm[-BLOCK:])
        if head is None and tail is None:
            return None
        if sig is None:
            last, sig = self._last
            if norm is not last and norm != last:
                sig = signature(norm)
                self._last = (norm, sig)
        most = 2 * (100 - FUZZY_SAME_PAPER) * len(norm) // FUZZY_SAME_PAPER  # most_edits(), inlined
        near = []
        for block in (head, tail):
            if block is None:
                continue
            sigs = block[0]
            if type(sigs) is array:
                if _numpy is None and len(sigs) >= NUMPY_FROM:
                    self._filtered += len(sigs)
                    if self._filtered > NUMPY_AFTER:
                        _import_numpy()  # blocks move to numpy as they grow
                for other in sigs:
                    if (sig ^ other).bit_count() <= most:
                        break
                else:  # the usual answer
                    continue
                within = [i for i, other in enumerate(sigs) if (sig ^ other).bit_count() <= most]
            else:
                bits = _bitwise_count(sigs.words ^ sig)
                if bits.min() > most:  # the usual answer
                    continue
                within = [i for i in (bits <= most).nonzero()[0].tolist() if i < sigs.size]
            near.append((block, within))
        return _closest(norm, near) if near else None


def _closest(norm: str, near: list[tuple[tuple, list[int]]]) -> int | None:
    """The rule itself, for the titles of each block that may be within its reach."""
    from rapidfuzz import fuzz, process

    scores: dict[tuple, float] = {}
    for (_sigs, titles, entries), within in near:
        chosen = [titles[i] for i in within]
        for _title, score, i in process.extract(
            norm, chosen, scorer=fuzz.ratio, score_cutoff=FUZZY_SAME_PAPER, limit=None
        ):
            scores[entries[within[i]]] = score
    if not scores:
        return None
    top = max(scores.values())
    return min(entry for entry, score in scores.items() if score == top)[2]


class _Signatures:
    """A block's signatures in a numpy array with room to grow, so that a query reads it whole.

    The room holds _ROOM, at least 16 bits from any title's signature: within reach of titles of
    152 characters or more only, and even then left out by its place.
    """

    __slots__ = ("size", "words")

    def __init__(self, sigs: array):
        self.size = len(sigs)
        self.words = _numpy.full(2 * self.size, _ROOM, _numpy.uint64)
        self.words[: self.size] = _numpy.frombuffer(sigs, _numpy.uint64)

    def __len__(self) -> int:
        return self.size

    def append(self, sig: int) -> None:
        if self.size == len(self.words):
            words = _numpy.full(2 * self.size, _ROOM, _numpy.uint64)
            words[: self.size] = self.words
            self.words = words
        self.words[self.size] = sig
        self.size += 1


def _import_numpy() -> None:
    global _numpy, _bitwise_count
    import numpy

    _numpy = numpy
    _bitwise_count = getattr(numpy, "bitwise_count", _bytewise_count)  # numpy >= 2.0 has it


def _bytewise_count(words):
    """The number of bits set in each of `words`, on numpy before 2.0."""
    table = _numpy.array([bin(b).count("1") for b in range(256)], _numpy.uint8)
    return table[words.view(_numpy.uint8)].reshape(-1, 8).sum(1, dtype=_numpy.uint8)
