"""Questions to the catalog: facet filters (OR within a facet, AND across), years, fuzzy titles.

Filter values go through the vocabulary first, so `--organ 肺` and `--organ lung` are one
query and a value nobody knows fails with suggestions instead of silently matching
nothing. Filters become indexed SQL; `medlit.search.fuzzy` ranks titles within what is left.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass, field

from medlit.errors import BadValue, UnknownValue
from medlit.listing import FACETS, Listed
from medlit.vocab import Vocabulary, loose


@dataclass
class Filters:
    """Canonical filter values; each list is OR-ed, the lists are AND-ed."""

    values: dict[str, list[str]] = field(default_factory=dict)  # facet -> canonical values
    venues: list[str] = field(default_factory=list)
    dataset_ids: list[int] | None = None
    authors: list[str] = field(default_factory=list)
    year_from: int | None = None
    year_to: int | None = None
    curated: bool = False
    keys: list[str] | None = None
    tags: list[str] = field(default_factory=list)  # the user's tags (medlit tag), OR-ed
    hide_removed: bool = False  # leave out the papers the user removed (medlit rm)

    def is_empty(self) -> bool:
        return not (
            any(self.values.values())
            or self.tags
            or self.hide_removed
            or self.venues
            or self.dataset_ids is not None
            or self.authors
            or self.year_from
            or self.year_to
            or self.keys is not None
        )


def parse_years(text: str | None) -> tuple[int | None, int | None]:
    """`2016`, `2015-2017`, `2016-`, `-2016` -> (from, to)."""
    if not text:
        return None, None
    m = re.fullmatch(r"\s*(\d{4})?\s*(-)?\s*(\d{4})?\s*", text)
    if not m or not (m.group(1) or m.group(3)) or (m.group(1) and m.group(3) and not m.group(2)):
        raise BadValue(f"year {text!r} is not YEAR, FROM-TO, FROM- or -TO (e.g. 2015-2017)")
    lo = int(m.group(1)) if m.group(1) else None
    hi = int(m.group(3)) if m.group(3) else None
    if not m.group(2):
        hi = lo
    if any(y is not None and y < 1000 for y in (lo, hi)):
        raise BadValue(f"year {text!r} is not a year a paper could have")
    if lo and hi and lo > hi:
        raise BadValue(f"year range {text!r} ends before it starts")
    return lo, hi


def resolve(
    conn: sqlite3.Connection,
    vocab: Vocabulary,
    raw: dict[str, tuple[str, ...]],
    years: str | None = None,
    curated: bool = False,
) -> Filters:
    """Raw option values -> canonical Filters, or UnknownValue with suggestions."""
    filters = Filters(curated=curated)
    filters.year_from, filters.year_to = parse_years(years)
    for facet in FACETS:
        wanted: list[str] = []
        for value in raw.get(facet, ()):
            canon = vocab.canonical(facet, value) or _in_catalog(conn, facet, value)
            if canon is None:
                raise UnknownValue(facet, value, vocab.suggest(facet, value))
            for narrower in sorted(vocab.narrower(facet, canon)):
                if narrower not in wanted:
                    wanted.append(narrower)
        filters.values[facet] = wanted
    for value in raw.get("venue", ()):
        filters.venues.append(_venue(conn, vocab, value))
    if raw.get("dataset"):
        filters.dataset_ids = []
        for value in raw["dataset"]:
            filters.dataset_ids.extend(_datasets(conn, value))
    filters.authors = [fold(a) for a in raw.get("author", ()) if a.strip()]
    filters.tags = list(raw.get("tag", ()))
    filters.hide_removed = _any_removed(conn)
    return filters


# the papers the user removed (medlit rm; medlit.decisions writes these rows)
REMOVED_KEYS = "SELECT key FROM decisions WHERE kind = 'rm' AND undone = 0"


def _any_removed(conn: sqlite3.Connection) -> bool:
    try:
        return conn.execute(REMOVED_KEYS + " LIMIT 1").fetchone() is not None
    except sqlite3.OperationalError:  # a catalog from before decisions
        return False


def _in_catalog(conn: sqlite3.Connection, facet: str, value: str) -> str | None:
    """A facet value the vocabulary does not know but some cell used as written."""
    for (stored,) in conn.execute("SELECT DISTINCT value FROM facets WHERE facet = ?", (facet,)):
        if loose(stored) == loose(value):
            return stored
    return None


def _venue(conn: sqlite3.Connection, vocab: Vocabulary, value: str) -> str:
    known = vocab.venue(value)
    if known:
        return known.name
    names = [r[0] for r in conn.execute("SELECT DISTINCT venue FROM papers WHERE venue IS NOT NULL")]
    for name in names:
        if loose(name) == loose(value):
            return name
    import difflib

    pool = {loose(n): n for n in names} | {loose(v.abbr): v.abbr for v in vocab.venues.values()}
    close = difflib.get_close_matches(loose(value), list(pool), n=3, cutoff=0.5)
    raise UnknownValue("venue", value, [pool[c] for c in close])


def _datasets(conn: sqlite3.Connection, value: str) -> list[int]:
    import json

    rows = conn.execute("SELECT id, name, names FROM datasets").fetchall()
    hits = [r[0] for r in rows if loose(value) in {loose(n) for n in [*json.loads(r[2]), r[1]]}]
    if hits:
        return hits
    import difflib

    pool = {loose(r[1]): r[1] for r in rows}
    close = difflib.get_close_matches(loose(value), list(pool), n=3, cutoff=0.5)
    raise UnknownValue("dataset", value, [pool[c] for c in close])


def fold(text: str) -> str:
    """Lower-case ASCII: `Pérez-García`, `Biering-Sørensen` match `perez-garcia`, `sorensen`."""
    from anyascii import anyascii

    return anyascii(text).casefold()


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


# ties by id: the order SQLite gave them when it read papers in id order
NEWEST_FIRST = " ORDER BY p.year IS NULL, p.year DESC, p.title COLLATE NOCASE, p.id"


def select_ids(conn: sqlite3.Connection, filters: Filters) -> list[int]:
    """Ids of the papers that pass every filter, newest first."""
    source, params = _source(conn, filters)
    return [r[0] for r in conn.execute(f"SELECT p.id FROM {source}{NEWEST_FIRST}", params)]


def select_listing(
    conn: sqlite3.Connection, filters: Filters, limit: int | None = None, ordered: bool = True
) -> list[Listed]:
    """The (first `limit`) papers that pass every filter, newest first, as a listing shows
    them: select_ids' query, reading the few columns on the way instead of in a second pass.
    ordered=False skips the ORDER BY, for a caller that sorts them itself: they come by id."""
    source, params = _source(conn, filters)
    sql = f"SELECT p.id, p.key, p.title, p.year, p.venue, p.venue_abbr FROM {source}"
    if ordered or limit is not None:
        sql += NEWEST_FIRST
    if limit is not None and limit < 2**63:  # SQLite integers are 64-bit; larger means all
        sql += f" LIMIT {int(limit)}"
    rows = conn.execute(sql, params).fetchall()
    if not ordered and limit is None:
        rows.sort()  # ids are unique: a few sorted runs (facets_lookup's order) merged in C
    return [Listed(*row) for row in rows]


def _source(conn: sqlite3.Connection, filters: Filters) -> tuple[str, list]:
    """`papers p` and the conditions on it (a FROM clause for `SELECT p.…`), and its parameters.

    With facet filters, the facet with the fewest index entries drives the query: its
    entries are read from facets_lookup in order and each paper is checked against the
    other facets by primary key, so no list of every paper with a common value (15% of a
    catalog for CT) is built before the first row."""
    facets = [(facet, values) for facet, values in filters.values.items() if values]
    if not facets:
        where, params = _where(conn, filters, facets)
        return f"papers p{where}", params
    counts = [_entries(conn, facet, values, filters.curated) for facet, values in facets]
    facet, values = facets.pop(counts.index(min(counts)))
    marks = ",".join("?" * len(values))
    on = [f"d.facet = ? AND d.value IN ({marks}) AND {_trusted('d', filters.curated)}"]
    params: list = [facet, *values]
    if len(values) > 1:  # a paper with two of the values is listed once, for the first
        on.append(
            f"NOT EXISTS (SELECT 1 FROM facets e WHERE e.paper_id = d.paper_id AND e.facet = d.facet "
            f"AND e.value IN ({marks}) AND e.value < d.value AND {_trusted('e', filters.curated)})"
        )
        params += values
    where, more = _where(conn, filters, facets, "d.paper_id")  # checked before the paper is read
    return f"facets d CROSS JOIN papers p ON p.id = d.paper_id AND {' AND '.join(on)}{where}", params + more


def _trusted(alias: str, curated: bool) -> str:
    """The facet values a filter believes: not disputed (and, for --curated, from a cell)."""
    return f"{alias}.disputed = 0" + (f" AND {alias}.curated = 1" if curated else "")


def _entries(conn: sqlite3.Connection, facet: str, values: list[str], curated: bool) -> int:
    """How many facet rows a filter matches (read from facets_lookup alone)."""
    marks = ",".join("?" * len(values))
    trusted = _trusted("f", curated)
    sql = f"SELECT COUNT(*) FROM facets f WHERE f.facet = ? AND f.value IN ({marks}) AND {trusted}"
    return conn.execute(sql, [facet, *values]).fetchone()[0]


def _where(
    conn: sqlite3.Connection, filters: Filters, facets: list[tuple[str, list[str]]], paper: str = "p.id"
) -> tuple[str, list]:
    """The WHERE clause on papers p (with a leading space, or empty) and its parameters; the
    facet filters are those in `facets`, checked for the paper whose id is `paper`."""
    where: list[str] = []
    params: list = []
    for facet, values in facets:
        marks = ",".join("?" * len(values))
        where.append(
            f"EXISTS (SELECT 1 FROM facets f WHERE f.paper_id = {paper} AND f.facet = ? "
            f"AND f.value IN ({marks}) AND {_trusted('f', filters.curated)})"
        )
        params += [facet, *values]
    if filters.venues:
        where.append(f"p.venue IN ({','.join('?' * len(filters.venues))})")
        params += filters.venues
    if filters.dataset_ids is not None:
        marks = ",".join("?" * len(filters.dataset_ids)) or "NULL"
        where.append(f"p.id IN (SELECT paper_id FROM paper_datasets WHERE dataset_id IN ({marks}))")
        params += filters.dataset_ids
    if filters.authors:
        conn.create_function("medlit_fold", 1, lambda s: fold(s or ""), deterministic=True)
        ors = " OR ".join("medlit_fold(p.authors) LIKE ? ESCAPE '\\'" for _ in filters.authors)
        where.append(f"({ors})")
        params += [_like(a) for a in filters.authors]
    if filters.year_from is not None:
        where.append("p.year >= ?")
        params.append(filters.year_from)
    if filters.year_to is not None:
        where.append("p.year <= ?")
        params.append(filters.year_to)
    if filters.keys is not None:
        marks = ",".join("?" * len(filters.keys)) or "NULL"
        where.append(f"p.key IN ({marks})")
        params += filters.keys
    if filters.tags:
        marks = ",".join("?" * len(filters.tags))
        where.append(f"p.key IN (SELECT key FROM tags WHERE tag IN ({marks}))")
        params += filters.tags
    if filters.hide_removed:
        where.append(f"p.key NOT IN ({REMOVED_KEYS})")
    return (" WHERE " + " AND ".join(where) if where else ""), params
