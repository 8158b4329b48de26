"""Plain data passed between the stages: readers -> normaliser -> catalog -> writers.

Readers produce `Record`s (one literature item as read from one place of one document)
and `DatasetMention`s; the catalog merges records into `Paper`s. Everything here is plain
data so that every stage can be tested without the CLI or the database.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any


@dataclass(frozen=True, slots=True)
class Source:
    """Where a record was read: file (as stored in the catalog), 1-based line, section heading."""

    file: str
    line: int
    section: str | None = None


@dataclass(frozen=True, slots=True)
class Link:
    label: str
    url: str


@dataclass(slots=True)
class DatasetMention:
    """A dataset named somewhere: a table cell, a 'Public Data' list, a dataset table."""

    name: str
    url: str | None = None
    source: Source | None = None
    text: str = ""  # the words around it (target, body part) used to infer organs


@dataclass(slots=True)
class Record:
    """One literature item as read from one place, before merging.

    `cells` holds the facet values exactly as a table cell gave them (curated); the
    normaliser maps them through the vocabulary. `venue` is the raw venue text.
    """

    title: str
    source: Source
    authors: list[str] = field(default_factory=list)
    year: int | None = None
    venue: str | None = None
    venue_kind: str | None = None  # set by readers that know it (BibTeX entry type)
    volume: str | None = None
    number: str | None = None
    pages: str | None = None
    publisher: str | None = None
    url: str | None = None
    doi: str | None = None
    arxiv: str | None = None
    abstract: str | None = None
    note: str | None = None
    cells: dict[str, list[str]] = field(default_factory=dict)
    datasets: list[DatasetMention] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    headings: list[str] = field(default_factory=list)  # outermost first; the task comes from here
    key_hint: str | None = None  # a citation key the source already uses (BibTeX)
    # fields of a BibTeX entry that no field above holds (editor, series, month, isbn, note,
    # ...), as the .bib wrote them: written back on export, so a .bib round-trips whole
    extra: dict[str, str] = field(default_factory=dict)
    entry_type: str | None = None  # a BibTeX entry's type (`book`, `article`...)
    # what a list's columns and labels give that no field above holds (date, institution,
    # remark), decoded; a .bib entry's other fields are in `extra`, as written
    fields: dict[str, str] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        """The fields that are set, as JSON values (each record's stored `data`): from_json
        gives the others their defaults (bench lists: 1.3 -> 0.7 KB of data a record)."""
        data = {
            name: value
            for name in _RECORD_FIELDS
            if (value := getattr(self, name)) is not None and value != [] and value != {}
        }
        data["source"] = _source_json(self.source)
        for name in ("authors", "headings"):
            if name in data:
                data[name] = list(data[name])
        if self.cells:
            data["cells"] = {facet: list(values) for facet, values in self.cells.items()}
        if self.datasets:
            data["datasets"] = [
                {"name": d.name, "url": d.url, "source": _source_json(d.source), "text": d.text}
                for d in self.datasets
            ]
        if self.links:
            data["links"] = [{"label": link.label, "url": link.url} for link in self.links]
        for name in ("fields", "extra"):
            if name in data:
                data[name] = dict(data[name])
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Record:
        data = dict(data)
        data["source"] = Source(**data["source"])
        data["datasets"] = [
            DatasetMention(
                name=d["name"],
                url=d.get("url"),
                source=Source(**d["source"]) if d.get("source") else None,
                text=d.get("text", ""),
            )
            for d in data.get("datasets", [])
        ]
        data["links"] = [Link(**x) for x in data.get("links", [])]
        return cls(**data)


@dataclass(slots=True)
class FacetValue:
    value: str
    curated: bool
    disputed: bool = False


@dataclass(slots=True)
class Paper:
    """One paper as the catalog shows it: merged from every record that cites it."""

    title: str
    authors: list[str] = field(default_factory=list)
    year: int | None = None
    venue: str | None = None
    venue_abbr: str | None = None
    venue_kind: str | None = None
    volume: str | None = None
    number: str | None = None
    pages: str | None = None
    publisher: str | None = None
    url: str | None = None
    doi: str | None = None
    arxiv: str | None = None
    abstract: str | None = None
    note: str | None = None
    facets: dict[str, list[FacetValue]] = field(default_factory=dict)
    links: list[Link] = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)
    key: str | None = None
    datasets: list[str] = field(default_factory=list)
    dataset_urls: dict[str, str] = field(default_factory=dict)
    tags: list[str] = field(default_factory=list)  # the user's (medlit tag)
    user_note: str | None = None  # the user's (medlit note); `note` is what documents say
    extra: dict[str, str] = field(default_factory=dict)  # BibTeX fields kept as read (Record.extra)

    def values(self, facet: str, curated_only: bool = False) -> list[str]:
        return [
            f.value for f in self.facets.get(facet, []) if not f.disputed and (f.curated or not curated_only)
        ]


_RECORD_FIELDS = tuple(f.name for f in fields(Record))


def _source_json(source: Source | None) -> dict[str, Any] | None:
    return None if source is None else {"file": source.file, "line": source.line, "section": source.section}


@dataclass
class Skip:
    """Something that looked like a record but could not be read, and why."""

    source: Source
    reason: str


@dataclass
class Notice:
    """Something read with a doubt: what was readable is kept, but the user should look at the line."""

    source: Source
    text: str


@dataclass
class ReadResult:
    """What a reader found in one file."""

    records: list[Record] = field(default_factory=list)
    datasets: list[DatasetMention] = field(default_factory=list)
    skips: list[Skip] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)
    seen: dict[str, int] = field(default_factory=dict)  # entry candidates by shape, read or not
