"""Raw records -> canonical values, and a group of records of one paper -> one Paper.

Every function here is pure: the catalog decides *which* records belong together,
this module decides what the merged paper says. A value from a table cell, a tag or a
section heading is curated; one read from the title is inferred. When the title names
organs and a curated organ is unrelated to all of them, the cell is marked disputed
(seed 001 tags a mammogram paper 心肌, myocardium): it is kept and shown, but a search
does not trust it.
"""

from __future__ import annotations

from medlit.model import FACETS, FacetValue, Paper, Record
from medlit.readers import inline
from medlit.readers.venue_text import kind_of
from medlit.vocab import Vocabulary, loose


def title_key(title: str) -> str:
    """Titles that differ only in case, spacing, hyphens or punctuation share this key."""
    return loose(title)


def task_of_headings(vocab: Vocabulary, headings: list[str]) -> str | None:
    """The task a section heading names, innermost heading first (`分类问题`, `Segmentation`)."""
    key = tuple(headings)
    if key not in vocab.heading_tasks:  # every row of a section asks again
        vocab.heading_tasks[key] = _task_of_headings(vocab, headings)
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
    """(canonical name, abbreviation, kind) of a record's venue."""
    if record.venue:
        known = vocab.venue(record.venue)
        if known:
            return known.name, known.abbr, record.venue_kind if record.venue_kind == "thesis" else known.kind
        name = record.venue.strip()
        return name, None, record.venue_kind or kind_of(name)
    return None, None, record.venue_kind


def _richness(r: Record) -> int:
    named = [a for a in r.authors if a != "others"]
    return sum(bool(x) for x in (named, r.year, r.venue, r.volume, r.pages, r.doi, r.number))


def merge(vocab: Vocabulary, records: list[Record]) -> Paper:
    """What a paper says, from all its records (order-independent but for exact ties)."""
    ordered = sorted(records, key=lambda r: (r.source.file, r.source.line))
    rich = sorted(ordered, key=_richness, reverse=True)
    best = rich[0]
    paper = Paper(title=best.title)
    with_venue = next((r for r in rich if r.venue), None)
    if with_venue:
        paper.venue, paper.venue_abbr, paper.venue_kind = venue_of(vocab, with_venue)
        paper.volume, paper.number = with_venue.volume, with_venue.number
        paper.pages, paper.publisher = with_venue.pages, with_venue.publisher
    paper.year = next((r.year for r in rich if r.year), None)
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
    paper.facets = _facets(vocab, ordered, paper.title)
    return paper


def _facets(vocab: Vocabulary, records: list[Record], title: str) -> dict[str, list[FacetValue]]:
    curated: dict[str, set[str]] = {f: set() for f in FACETS}
    inferred: dict[str, set[str]] = {f: set() for f in FACETS}
    for r in records:
        for facet, values in curated_facets(vocab, r).items():
            curated[facet] |= values
        for facet, values in vocab.infer(r.title).items():
            inferred[facet] |= values
    out: dict[str, list[FacetValue]] = {}
    for facet in FACETS:
        values = [FacetValue(v, True) for v in sorted(curated[facet])]
        # an inferred value that only says more broadly what another value says (CNN beside
        # 3D-CNN, NN beside CNN) adds nothing
        present = curated[facet] | inferred[facet]
        implied = {a for v in present for a in vocab.lineage(facet, v)[1:]}
        values += [FacetValue(v, False) for v in sorted(inferred[facet] - curated[facet] - implied)]
        if facet == "organ" and inferred[facet]:
            for fv in values:
                if fv.curated and not _related(vocab, facet, fv.value, inferred[facet]):
                    fv.disputed = True
        out[facet] = values
    return out


def _related(vocab: Vocabulary, facet: str, value: str, others: set[str]) -> bool:
    """Same value, or one is the other's broader value (brain and head)."""
    mine = set(vocab.lineage(facet, value))
    return any(value in vocab.lineage(facet, o) or o in mine for o in others)
