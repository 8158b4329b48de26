"""Which paper a record cites: the catalog's records (and this import's) by DOI, arXiv id,
title and near title, each candidate checked for contradictions (identity.py).

Everything is in memory: the identities of every record, a few columns each, read once at
the start of an import. Order of evidence: the user's joins, the record's own earlier
reading (a re-imported file keeps its papers), a shared DOI or arXiv id, the same title,
an edited title in the same section, a near-identical title of the same year.
"""

from __future__ import annotations

from collections.abc import Iterable

from medlit.importing.identity import (
    ARXIV,
    DOI,
    JOINED,
    NEAR,
    OWN,
    SHORT_TITLE,
    TITLE,
    Identity,
    bare_arxiv,
    contradiction,
    same_person,
    typos_apart,
)

FUZZY_SAME_PAPER = 95  # rapidfuzz ratio of two titles of one year that are one paper
FUZZY_EDITED = 85  # an edited title in the same file and section is still that paper
AGREEING_TITLES = 80  # two titles under one DOI that are plainly one title
BLOCK = 12  # a title is compared with others only from 2 * BLOCK characters on


class Matcher:
    def __init__(self, decisions: Decisions | None = None):
        self.paper_of: dict[int, int] = {}  # id(identity) -> paper, for identities still held
        self.members: dict[int, list[Identity]] = {}  # paper -> its records' identities
        self.by_doi: dict[str, list[Identity]] = {}
        self.by_arxiv: dict[str, list[Identity]] = {}
        self.by_title: dict[str, list[Identity]] = {}
        # near titles differ only by typos: they share a block (_blocks) of titles that
        # rapidfuzz scores at once, (titles, their identities)
        self.blocks: dict[tuple, tuple[list[str], list[Identity]]] = {}
        self.decisions = decisions or Decisions()

    # ------------------------------------------------------------------ holding identities

    def add(self, ident: Identity, paper: int) -> None:
        self.paper_of[id(ident)] = paper
        self.members.setdefault(paper, []).append(ident)
        if ident.doi:
            self.by_doi.setdefault(ident.doi, []).append(ident)
        if ident.arxiv:
            self.by_arxiv.setdefault(bare_arxiv(ident.arxiv), []).append(ident)
        self.by_title.setdefault(ident.title_norm, []).append(ident)
        for block in _blocks(ident):
            titles, idents = self.blocks.setdefault(block, ([], []))
            titles.append(ident.title_norm)
            idents.append(ident)
        self.decisions.held(ident, paper)

    def remove(self, idents: Iterable[Identity]) -> None:
        """Forget identities (a re-imported file's old records); indexes skip them from now."""
        for ident in idents:
            paper = self.paper_of.pop(id(ident), None)
            if paper is not None:
                members = self.members[paper]
                members.remove(ident)
                if not members:
                    del self.members[paper]

    def move(self, ident: Identity, paper: int) -> None:
        """An identity now belongs to another paper (a split or a join)."""
        self.remove([ident])
        self.add(ident, paper)

    # ------------------------------------------------------------------ matching

    def match(self, r: Identity, own: OwnRecords | None = None) -> tuple[int | None, str | None]:
        """(paper, evidence) of the record, or (None, None) for a new paper."""
        pid = self.decisions.joined(r, self)
        if pid is not None:
            return pid, JOINED
        if own is not None:  # the old record of the same year first: rows of one title may move
            for pid, old in sorted(own.same(r), key=lambda held: held[1].year != r.year):
                if not contradiction(r, old) and self.fits(r, pid):
                    return pid, OWN
        for value, index, evidence in (
            (r.doi, self.by_doi, DOI),
            (bare_arxiv(r.arxiv), self.by_arxiv, ARXIV),
        ):
            if value:
                for pid, other in self._held(index.get(value, ())):
                    if self._titles_or_authors_agree(r, other) and self.fits(r, pid, by_id=True):
                        return pid, evidence
        for pid, other in self._held(self.by_title.get(r.title_norm, ())):
            if _years_agree(r, other) and self.fits(r, pid):
                return pid, TITLE
        if own is not None:  # the old record itself must agree: its paper may hold no other yet
            for pid, old in own.edited(r):
                if not contradiction(r, old) and self.fits(r, pid):
                    return pid, OWN
        if r.year and len(r.title_norm) >= 2 * BLOCK:
            pid = self._near(r)
            if pid is not None:
                return pid, NEAR
        return None, None

    def fits(self, r: Identity, paper: int, by_id: bool = False) -> bool:
        """No record of `paper` contradicts `r`, and the user never split them apart."""
        members = self.members.get(paper, ())
        if any(contradiction(r, m, by_id) for m in members):
            return False
        return not self.decisions.apart(r, members)

    def why_not(self, r: Identity, paper: int) -> str | None:
        return next((why for m in self.members.get(paper, ()) if (why := contradiction(r, m))), None)

    def _held(self, idents: Iterable[Identity]) -> Iterable[tuple[int, Identity]]:
        """(paper, identity) of the identities still held, each paper once, oldest first."""
        seen: set[int] = set()
        for ident in idents:
            pid = self.paper_of.get(id(ident))
            if pid is not None and pid not in seen:
                seen.add(pid)
                yield pid, ident

    def _titles_or_authors_agree(self, r: Identity, other: Identity) -> bool:
        """A shared id with another title needs the same first author: lists link the wrong
        DOI now and then, and a title changes between an arXiv version and the journal."""
        if r.title_norm == other.title_norm:
            return True
        if r.author and other.author:
            return same_person(r.author, other.author)
        if r.title_norm in other.title_norm or other.title_norm in r.title_norm:
            return min(len(r.title_norm), len(other.title_norm)) >= 2 * BLOCK
        from rapidfuzz.fuzz import ratio

        return ratio(r.title_norm, other.title_norm) >= AGREEING_TITLES

    def _near(self, r: Identity) -> int | None:
        """The paper of the closest title of the same year within FUZZY_SAME_PAPER that fits."""
        from rapidfuzz.fuzz import ratio
        from rapidfuzz.process import extract

        norm = r.title_norm
        found = []
        for block in _blocks(r):
            titles, idents = self.blocks.get(block, ((), ()))
            if titles:
                hits = extract(norm, titles, scorer=ratio, score_cutoff=FUZZY_SAME_PAPER, limit=None)
                found += [(-score, i, idents[i]) for title, score, i in hits if title != norm]
        found = [f for f in found if typos_apart(r.words, f[2].words)]
        for _score, _i, ident in sorted(found, key=lambda f: f[:2]):  # best first, then the oldest
            pid = self.paper_of.get(id(ident))
            if pid is not None and self.fits(r, pid):
                return pid
        return None


def _blocks(ident: Identity) -> tuple[tuple, ...]:
    """The blocks a title is compared within: its year and number of significant words, with
    one of its first two words and one of its last two: titles with typos in two of these
    four words still share a block (with more, they stay two papers)."""
    if not ident.year or len(ident.title_norm) < 2 * BLOCK:
        return ()
    words = ident.words.split()
    if len(words) < SHORT_TITLE:
        return ()
    y, n = ident.year, len(words)
    return tuple((y, n, i, words[i], words[j]) for i in (0, 1) for j in (-1, -2))


def _years_agree(r: Identity, other: Identity) -> bool:
    """The same title is one work in the same year (a year apart: a preprint and its
    publication); without a year, only a title long enough to be specific, or by one author."""
    if r.year and other.year:
        return abs(r.year - other.year) <= 1
    if r.author and other.author and same_person(r.author, other.author):
        return True
    return min(r.count(), other.count()) >= SHORT_TITLE


class OwnRecords:
    """A re-imported file's previous records: an unchanged or edited entry keeps its paper."""

    def __init__(self, old: list[tuple[Identity, int, str | None, str | None]]):
        self.evidence: dict[int, str | None] = {}  # paper -> how the first old record joined it
        self.by_key: dict[str, list[tuple[int, Identity]]] = {}
        self.by_title: dict[str, list[tuple[int, Identity]]] = {}
        self.by_section: dict[str | None, tuple[list[str], list[tuple[int, Identity]]]] = {}
        for ident, pid, section, evidence in old:  # in file order: the first one wins
            self.evidence.setdefault(pid, evidence)
            if ident.cite_key:
                self.by_key.setdefault(ident.cite_key, []).append((pid, ident))
            self.by_title.setdefault(ident.title_norm, []).append((pid, ident))
            titles, held = self.by_section.setdefault(section, ([], []))
            titles.append(ident.title_norm)
            held.append((pid, ident))
        self.section: str | None = None  # of the record being matched

    def same(self, r: Identity) -> list[tuple[int, Identity]]:
        """(paper, old identity) of the previous records of the same entry: its .bib key, else its title."""
        if r.cite_key:
            return self.by_key.get(r.cite_key, [])
        return self.by_title.get(r.title_norm, [])

    def edited(self, r: Identity) -> list[tuple[int, Identity]]:
        """Previous records of the same section whose title is close to `r`'s, in file order."""
        titles, held = self.by_section.get(self.section, ((), ()))
        if not titles or r.cite_key:
            return []
        from rapidfuzz.fuzz import ratio
        from rapidfuzz.process import extract_iter

        found = extract_iter(r.title_norm, titles, scorer=ratio, score_cutoff=FUZZY_EDITED)
        return [held[i] for _t, _s, i in found]


class Decisions:
    """The user's splits and joins, as (file, title) of the records they name, or (file,
    title, year) where a split set apart rows of one title in one file.

    A split keeps its groups of records apart; a join puts a record with the records it was
    joined to. Records are named by file and normalised title, which survive re-reading.
    """

    def __init__(
        self, splits: list[list[list[tuple[str, str]]]] = (), joins: list[list[tuple[str, str]]] = ()
    ):
        self.group: dict[tuple[str, str], list[tuple[int, int]]] = {}  # record -> (split, group)
        for n, groups in enumerate(splits):
            for g, names in enumerate(groups):
                for name in names:
                    self.group.setdefault(tuple(name), []).append((n, g))
        self.join_of: dict[tuple[str, str], set[int]] = {}
        for n, names in enumerate(joins):
            for name in names:
                self.join_of.setdefault(tuple(name), set()).add(n)
        self.joined_papers: dict[int, list[int]] = {}  # join -> papers holding its records

    def apart(self, r: Identity, members: list[Identity]) -> bool:
        mine = self._groups(r)
        if not mine:
            return False
        for m in members:
            for split, group in self._groups(m):
                if any(split == s and group != g for s, g in mine):
                    return True
        return False

    def _groups(self, r: Identity) -> list[tuple[int, int]]:
        """(split, group) of a record: named by file and title, or by file, title and year
        (rows of one title in one file that a split set apart)."""
        if not self.group:
            return []
        return self.group.get((r.file, r.title_norm), []) + self.group.get((r.file, r.title_norm, r.year), [])

    def held(self, ident: Identity, paper: int) -> None:
        for n in self.join_of.get((ident.file, ident.title_norm), ()):
            self.joined_papers.setdefault(n, []).append(paper)

    def joined(self, r: Identity, matcher: Matcher) -> int | None:
        for n in self.join_of.get((r.file, r.title_norm), ()):
            for pid in self.joined_papers.get(n, ()):
                if pid in matcher.members and not self.apart(r, matcher.members[pid]):
                    return pid
        return None
