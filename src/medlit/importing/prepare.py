"""A document -> its entries, ready to be matched and written: the part of an import that is
the same work for every record and needs no catalog, so that worker processes can do it
(pool.py). Only the importer matches; an entry carries what the records, mentions and
papers tables store of its record, and the paper it makes when it is its paper's only one.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from medlit.importing import rows
from medlit.importing.identity import Identity
from medlit.importing.keybook import KeyFacts, key_sources
from medlit.model import Notice, Record, Skip
from medlit.normalise import merge
from medlit.readers import ReadError, load


@dataclass
class FileReport:
    file: str
    read: int = 0
    new: int = 0
    merged: int = 0
    updated: int = 0
    removed: int = 0
    datasets: int = 0
    skips: list[Skip] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)
    unchanged: bool = False
    encoding: str = "utf-8"
    error: str | None = None


class PaperParts(NamedTuple):
    """What the catalog stores of a merged paper but its id and key."""

    row: tuple  # rows.PAPER_COLUMNS
    facets: list[tuple]  # (facet, value, curated, disputed)
    facts: KeyFacts  # what its key is made of
    first: str  # where it is first listed (rows.first_source)
    hints: dict  # the keys its .bib entries give -> where each is first given


def paper_parts(vocab, records: list[Record], new: bool = False) -> PaperParts:
    """`new`: a paper that will need a key of its own (its key's base worked out now)."""
    paper = merge(vocab, records)
    first, hints = key_sources(records)
    return PaperParts(rows.paper_row(paper), rows.facet_values(paper), KeyFacts.of(paper, new), first, hints)


class Entry:
    """One record as the importer needs it. It crosses processes as rows, not as a Record
    (unpickling 50k records took 60% of the time to read them); the importer makes the
    Record again from its data only when its paper has other records too."""

    __slots__ = ("_alone", "data", "ident", "line", "mentions", "record", "section")

    def __init__(
        self, ident: Identity, line: int, section, data: str, mentions: list[tuple], record=None, alone=None
    ):
        self.ident = ident
        self.line = line
        self.section = section
        self.data = data  # the record as stored (Record.to_json)
        self.mentions = mentions  # its dataset mentions' rows, but the record's id
        self.record = record  # None once it has crossed processes
        self._alone = alone

    @classmethod
    def of(cls, vocab, record: Record) -> Entry:
        mentions = [rows.mention_row(m, None)[:-1] for m in record.datasets]
        src = record.source
        return cls(
            rows.identity(vocab, record),
            src.line,
            src.section,
            rows.encode(record.to_json()),
            mentions,
            record,
        )

    def alone(self, vocab) -> PaperParts:
        """The paper this record makes by itself, as most records do (a new paper)."""
        if self._alone is None:
            self._alone = paper_parts(vocab, [self.as_record()], new=True)
        return self._alone

    def as_record(self) -> Record:
        return self.record or Record.from_json(json.loads(self.data))

    def record_row(self, record_id: int, paper_id: int, evidence: str | None) -> tuple:
        """The records table's row (rows.RECORD_COLUMNS)."""
        i = self.ident
        return (
            record_id, paper_id, i.file, self.line, self.section, i.title_norm, i.marks, i.year, i.doi,
            i.arxiv, i.author, i.kind, i.cite_key, i.words, evidence, self.data,
        )  # fmt: skip

    def __reduce__(self):
        i = self.ident
        ident = (i.file, i.title_norm, i.marks, i.year, i.doi, i.arxiv, i.author, i.kind, i.cite_key, i.words)
        return _entry, (ident, self.line, self.section, self.data, self.mentions, self._alone)


def _entry(ident: tuple, line, section, data, mentions, alone) -> Entry:
    return Entry(Identity(*ident), line, section, data, mentions, None, alone)


@dataclass(slots=True)
class Prepared:
    """One document's entries, its dataset mentions outside any entry (rows but the record's
    id, None), and what the reader skipped or noticed."""

    entries: list[Entry]
    mentions: list[tuple]
    skips: list[Skip]
    notices: list[Notice]
    datasets: int  # mentions the document makes outside entries


def prepare_file(
    path: Path, name: str, known: str | None, fingerprint: str, alone: bool = False
) -> tuple[FileReport, str, Prepared | None]:
    """(report, digest, entries or None) of one file: None when it is unchanged since the
    last import (its digest is `known`) or cannot be read (the report says which).
    `alone`: work out now the paper each record makes by itself (in a worker process,
    where it costs the importer nothing; in-process it waits until it is needed)."""
    from medlit.readers import read_bytes
    from medlit.vocab import load as load_vocab

    report = FileReport(name)
    try:
        data = load(path, name)
    except ReadError as exc:
        report.error = str(exc)
        return report, "", None
    except OSError as exc:
        report.error = f"{name}: cannot read ({exc.strerror or exc})"
        return report, "", None
    digest = hashlib.sha256(data + fingerprint.encode()).hexdigest()
    if known == digest:
        report.unchanged = True
        return report, digest, None
    try:
        result, report.encoding = read_bytes(data, name, path.suffix)
        vocab = load_vocab()
        entries = [Entry.of(vocab, record) for record in result.records]
        if alone:
            for entry in entries:
                entry.alone(vocab)
    except ReadError as exc:
        report.error = str(exc)
        return report, digest, None
    except Exception as exc:  # a reader's bug costs this file, not the whole import
        if os.environ.get("MEDLIT_DEBUG"):
            raise
        report.error = (
            f"{name}: medlit could not read it ({type(exc).__name__}: {exc}); "
            "rerun with MEDLIT_DEBUG=1 and report it"
        )
        return report, digest, None
    mentions = [rows.mention_row(m, None) for m in result.datasets]
    return report, digest, Prepared(entries, mentions, result.skips, result.notices, len(result.datasets))
