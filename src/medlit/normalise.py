"""Raw records -> canonical values, and a group of records of one paper -> one Paper.

Every function here is pure (its memos, kept on the Vocabulary, only save work): the
catalog decides *which* records belong together, this module decides what the merged paper
says. A value from a table cell, a tag or a section heading is curated; one read from the
title is inferred. When the title names organs and a curated organ is unrelated to all of
them, the cell is marked disputed (seed 001 tags a mammogram paper 心肌, myocardium): it is
kept and shown, but a search does not trust it.
"""

from __future__ import annotations

from functools import lru_cache

from medlit.listing import FACETS
from medlit.model import FacetValue, Paper, Record
from medlit.readers import inline
from medlit.readers.venue_text import kind_of
from medlit.vocab import Vocabulary, loose, remember


@lru_cache(maxsize=1 << 16)  # an import asks for each title's key three times
def title_key(title: str) -> str:
    """Titles that differ only in case, spacing, hyphens or punctuation share this key."""
    return loose(title)


def task_of_headings(vocab: Vocabulary, headings: list[str]) -> str | None:
    """The task a section heading names, innermost heading first (`分类问题`, `Segmentation`)."""
    key = tuple(headings)
    if key not in vocab.heading_tasks:  # every row of a section asks again
        return remember(vocab.heading_tasks, key, _task_of_headings(vocab, headings))
    return vocab.heading_tasks[key]


def _task_of_headings(vocab: Vocabulary, headings: list[str]) -> str | None:
    for heading in reversed(headings):
        exact = vocab.canonical("task", heading)
        if exact:
            return exact
        inferred = vocab.infer(heading)["task"]
        if len(inferred) == 1:
            return next(iter(inferred))
    return None


def curated_facets(vocab: Vocabulary, record: Record) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {f: set() for f in FACETS}
    for facet in FACETS:
        for cell in record.cells.get(facet, []):
            out[facet].update(vocab.split_cell(facet, cell))
    for tag in record.cells.get("tags", []):
        for facet in FACETS:
            value = vocab.canonical(facet, tag)
            if value:
                out[facet].add(value)
    task = task_of_headings(vocab, record.headings)
    if task:
        out["task"].add(task)
    return out


def venue_of(vocab: Vocabulary, record: Record) -> tuple[str | None, str | None, str | None]:
    """(canonical name, abbreviation, kind) of a record's venue; a list names a few venues
    on every row, so each (venue, kind) is worked out once."""
    key = (record.venue, record.venue_kind)
    found = vocab.venue_values.get(key)
    if found is None:
        found = remember(vocab.venue_values, key, _venue_of(vocab, *key))
    return found


def _venue_of(
    vocab: Vocabulary, venue: str | None, venue_kind: str | None
) -> tuple[str | None, str | None, str | None]:
    if venue:
        known = vocab.venue(venue)
        if known:
            return known.name, known.abbr, venue_kind if venue_kind == "thesis" else known.kind
        name = venue.strip()
        return name, None, venue_kind or kind_of(name)
    return None, None, venue_kind


def _richness(r: Record) -> int:
    named = [a for a in r.authors if a != "others"]
    return sum(bool(x) for x in (named, r.year, r.venue, r.volume, r.pages, r.doi, r.number))


def merge(vocab: Vocabulary, records: list[Record]) -> Paper:
    """What a paper says, from all its records (order-independent but for exact ties): each
    field from the best source that has it. The published venue wins over arXiv for the
    venue and entry type (the eprint is kept), the fullest author list wins, and the title
    is written as the record that keeps its acronyms writes it ("US images", not "us images")."""
    ordered = sorted(records, key=lambda r: (r.source.file, r.source.line))
    rich = sorted(ordered, key=_richness, reverse=True)
    venues = [(r, venue_of(vocab, r)) for r in rich if r.venue]
    published = next(((r, v) for r, v in venues if v[2] != "preprint"), None) or next(iter(venues), None)
    paper = Paper(title=_best_title([r.title for r in rich]))
    if published:
        with_venue, (paper.venue, paper.venue_abbr, paper.venue_kind) = published
        paper.volume, paper.number = with_venue.volume, with_venue.number
        paper.pages, paper.publisher = with_venue.pages, with_venue.publisher
        paper.year = with_venue.year
    paper.year = paper.year or next((r.year for r in rich if r.year), None)
    by_authors = max(rich, key=lambda r: len([a for a in r.authors if a != "others"]))
    paper.authors = list(by_authors.authors)
    for attr in ("url", "doi", "arxiv", "note"):
        setattr(paper, attr, next((getattr(r, attr) for r in rich if getattr(r, attr)), None))
    abstracts = [r.abstract for r in ordered if r.abstract]
    paper.abstract = max(abstracts, key=len) if abstracts else None
    if paper.year is None and paper.arxiv:
        paper.year = inline.arxiv_year(paper.arxiv)
    if paper.venue is None:
        if paper.arxiv:
            paper.venue, paper.venue_abbr, paper.venue_kind = "arXiv", "arXiv", "preprint"
        else:  # a BibTeX @article without a journal is still an article
            paper.venue_kind = next((r.venue_kind for r in rich if r.venue_kind), None)
        if paper.venue_kind is None and paper.url and not (paper.authors or paper.year or paper.doi):
            paper.venue_kind = "web"
    seen_links: set[str] = set()
    for r in ordered:
        for link in r.links:
            if link.url not in seen_links:
                seen_links.add(link.url)
                paper.links.append(link)
    paper.sources = [r.source for r in ordered]
    for r in ordered:  # the first .bib entry that gives a field keeps it
        for name, value in r.extra.items():
            paper.extra.setdefault(name, value)
    curated = _union([_curated_sets(vocab, r) for r in ordered])
    paper.facets = _facets(vocab, curated, _union([vocab.infer_sets(r.title) for r in ordered]))
    return paper


def _best_title(titles: list[str]) -> str:
    """The first of the titles (richest record first) that writes the most capitals without
    shouting: a list that lower-cases a title loses its acronyms, one in capitals its words."""

    def capitals(title: str) -> int:
        upper = sum(ch.isupper() for ch in title)
        return -1 if upper and not any(ch.islower() for ch in title) else upper

    if len(titles) == 1:
        return titles[0]
    same = [t for t in titles if title_key(t) == title_key(titles[0])]
    return max(same, key=capitals)


def _union(per_record: list[tuple[frozenset[str], ...]]) -> tuple[frozenset[str], ...]:
    """Per facet, the values any of the records gives."""
    if len(per_record) == 1:
        return per_record[0]
    return tuple(frozenset().union(*sets) for sets in zip(*per_record, strict=True))


def _curated_sets(vocab: Vocabulary, record: Record) -> tuple[frozenset[str], ...]:
    """curated_facets() as one frozenset per facet, looked up by the cells (and headings) of
    each facet: those repeat on every row of a list, where the whole record does not."""
    cells = record.cells
    if cells.get("tags"):  # a tag may name any facet: rare (BibTeX, front matter), not memoised
        found = curated_facets(vocab, record)
        return tuple(frozenset(found[f]) for f in FACETS)
    memo = vocab.curated_cells
    out = []
    for facet in FACETS:
        key = (facet, tuple(cells.get(facet, ())), tuple(record.headings) if facet == "task" else ())
        values = memo.get(key)
        if values is None:
            values = remember(memo, key, _cell_set(vocab, *key))
        out.append(values)
    return tuple(out)


def _cell_set(
    vocab: Vocabulary, facet: str, cells: tuple[str, ...], headings: tuple[str, ...]
) -> frozenset[str]:
    values = {v for cell in cells for v in vocab.split_cell(facet, cell)}
    if facet == "task":
        task = task_of_headings(vocab, list(headings))
        if task:
            values.add(task)
    return frozenset(values)


def _facets(
    vocab: Vocabulary, curated: tuple[frozenset[str], ...], inferred: tuple[frozenset[str], ...]
) -> dict[str, list[FacetValue]]:
    """Each facet's values: curated first, then inferred ones that add something. What they
    are is memoised per (facet, curated, inferred); the FacetValues are new for each paper."""
    memo = vocab.facet_values
    out: dict[str, list[FacetValue]] = {}
    for key in zip(FACETS, curated, inferred, strict=True):
        values = memo.get(key)
        if values is None:
            values = remember(memo, key, _combine(vocab, *key))
        out[key[0]] = [FacetValue(v, c, d) for v, c, d in values]
    return out


def _combine(
    vocab: Vocabulary, facet: str, curated: frozenset[str], inferred: frozenset[str]
) -> tuple[tuple[str, bool, bool], ...]:
    values = [(v, True, False) for v in sorted(curated)]
    # an inferred value that only says more broadly what another value says (CNN beside
    # 3D-CNN, NN beside CNN) adds nothing
    implied = {a for v in curated | inferred for a in vocab.lineage(facet, v)[1:]}
    if facet == "organ" and inferred:
        values = [(v, True, not _related(vocab, facet, v, inferred)) for v, _, _ in values]
    values += [(v, False, False) for v in sorted(inferred - curated - implied)]
    return tuple(values)


def _related(vocab: Vocabulary, facet: str, value: str, others: set[str]) -> bool:
    """Same value, or one is the other's broader value (brain and head)."""
    mine = set(vocab.lineage(facet, value))
    return any(value in vocab.lineage(facet, o) or o in mine for o in others)
