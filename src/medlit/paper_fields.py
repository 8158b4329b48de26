"""One field of a paper as the papers table stores it: what an edit or an enriched value
writes, so that search, fuzzy ranking and the writers see it as if a document had said it.
"""

from __future__ import annotations

import json
import sqlite3

from medlit.errors import UserError

# the fields a user may set and enrichment may fill (name -> the column read back to compare)
FIELDS = (
    "title", "authors", "year", "venue", "kind", "volume", "number", "pages", "publisher",
    "url", "doi", "arxiv", "abstract",
)  # fmt: skip
KINDS = ("journal", "conference", "preprint", "thesis", "book", "web")
_COLUMN = {"kind": "venue_kind"}


def column(field: str) -> str:
    return _COLUMN.get(field, field)


def parse(field: str, text: str):
    """A value typed on the command line -> the value a Paper holds (authors split on ` and `)."""
    if field not in FIELDS:
        raise UserError(f"unknown field {field!r}; fields are: {', '.join(FIELDS)}")
    text = " ".join(text.split())
    if field == "authors":
        return [a.strip() for a in text.split(" and ") if a.strip()]
    if field == "year":
        if not (text.isdigit() and 1000 <= int(text) <= 2999):
            raise UserError(f"year {text!r} is not a year (e.g. 2016)")
        return int(text)
    if field == "kind" and text not in KINDS:
        raise UserError(f"kind {text!r} is not one of {', '.join(KINDS)}")
    if field == "doi":
        from medlit.enrich.ids import clean_doi

        return clean_doi(text) or text
    return text or None


def columns(field: str, value, vocab) -> dict[str, object]:
    """The papers columns that storing `value` in `field` sets."""
    if field == "title":
        from medlit.normalise import title_key
        from medlit.search.title_words import indexed

        search, hashes = indexed(value)
        return {
            "title": value,
            "title_norm": title_key(value),
            "title_search": search,
            "title_hashes": hashes,
        }
    if field == "authors":
        return {"authors": json.dumps(list(value or []), ensure_ascii=False)}
    if field == "venue":
        from medlit.model import Record, Source
        from medlit.normalise import venue_of

        if not value:
            return {"venue": None, "venue_abbr": None}
        name, abbr, kind = venue_of(vocab, Record(title="", source=Source("", 0), venue=value))
        out = {"venue": name, "venue_abbr": abbr}
        if kind:
            out["venue_kind"] = kind
        return out
    return {column(field): value}


def current(conn: sqlite3.Connection, paper_id: int, field: str):
    """What the paper holds in `field` now, as a Paper would hold it."""
    value = conn.execute(f"SELECT {column(field)} FROM papers WHERE id = ?", (paper_id,)).fetchone()[0]
    if field == "authors":
        return json.loads(value or "[]")
    return value


def is_empty(value) -> bool:
    return value is None or value == "" or value == []


def fillable(field: str, value, venue_kind: str | None, new=None) -> bool:
    """Whether enrichment may fill the field: empty; the venue `arXiv` that the merge gives a
    paper with an arXiv id and no venue (a preprint may have been published since); or
    authors ending in `et al.` that the `new` list completes."""
    if is_empty(value) or (field == "venue" and venue_kind == "preprint"):
        return True
    return field == "authors" and new is not None and completes(value, new)


def fillable_now(conn: sqlite3.Connection, paper_id: int, field: str, new=None) -> bool:
    kind = conn.execute("SELECT venue_kind FROM papers WHERE id = ?", (paper_id,)).fetchone()[0]
    return fillable(field, current(conn, paper_id, field), kind, new)


def _families(authors: list[str]) -> list[str]:
    from medlit.enrich.metadata import family
    from medlit.search.query import fold

    return [fold(family(a)).replace(" ", "") for a in authors if a.lower() not in ("others", "et al.")]


def same_authors(ours: list[str], theirs: list[str]) -> bool:
    """The documents' authors (maybe cut short by `et al.`) begin the service's list."""
    mine = _families(ours)
    return _families(theirs)[: len(mine)] == mine


def completes(ours: list[str], theirs: list[str]) -> bool:
    """`Tajbakhsh, Nima; others` is completed by a longer list that starts with Tajbakhsh."""
    named = [a for a in ours if a.lower() not in ("others", "et al.")]
    return bool(ours) and len(named) < len(ours) and len(theirs) > len(named) and same_authors(ours, theirs)


def stored_form(field: str, value, vocab):
    """What `current` would read back after `value` is written (a venue becomes canonical)."""
    return columns(field, value, vocab).get(column(field), value) if field != "authors" else list(value or [])


_INDEXED = ("title", "authors", "abstract")  # what the full-text index (catalog/browse.py) reads


def write(conn: sqlite3.Connection, paper_id: int, field: str, value, vocab) -> None:
    """Store the field, keeping the full-text index of titles, authors and abstracts current."""
    values = columns(field, value, vocab)
    indexed = field in _INDEXED and _has_index(conn)
    if indexed:
        old = conn.execute("SELECT title, authors, abstract FROM papers WHERE id = ?", (paper_id,)).fetchone()
    sets = ", ".join(f"{name} = ?" for name in values)
    conn.execute(f"UPDATE papers SET {sets} WHERE id = ?", (*values.values(), paper_id))
    if indexed:
        from medlit.catalog.browse import FTS_TABLE

        new = conn.execute("SELECT title, authors, abstract FROM papers WHERE id = ?", (paper_id,)).fetchone()
        forget = f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, title, authors, abstract) VALUES "
        forget += "('delete', ?, ?, ?, ?)"
        conn.execute(forget, (paper_id, *old))
        conn.execute(
            f"INSERT INTO {FTS_TABLE}(rowid, title, authors, abstract) VALUES (?, ?, ?, ?)", (paper_id, *new)
        )


def _has_index(conn: sqlite3.Connection) -> bool:
    from medlit.catalog.browse import FTS_TABLE

    return conn.execute("SELECT 1 FROM sqlite_master WHERE name = ?", (FTS_TABLE,)).fetchone() is not None
