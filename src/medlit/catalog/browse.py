"""What a browser needs from the catalog: the `reading_list` view and a full-text index.

`reading_list` is a paper as a person reads it: authors joined, facets as JSON arrays (so
Datasette can facet and filter them with `?organ__arraycontains=liver`), the user's tags
and note (medlit tag, medlit note), DOI and arXiv as links; disputed facet values and the
papers the user removed (medlit rm) are left out, as searches leave them out. `papers_fts` indexes
title, authors and abstract (English words by their stem: `networks` finds `network`), read
from `papers` itself (an external-content FTS5 table: nothing is stored twice). It is
rebuilt whole at the end of an import: cheaper than triggers firing row by row.
"""

from __future__ import annotations

import sqlite3

from medlit.listing import FACETS

FTS_TABLE = "papers_fts"

_FACET_ARRAY = (
    "(SELECT json_group_array(value) FROM (SELECT value FROM facets f WHERE f.paper_id = p.id "
    "AND f.facet = '{facet}' AND f.disputed = 0 ORDER BY f.curated DESC, f.value)) AS {facet}"
)

VIEW = f"""
CREATE VIEW reading_list AS SELECT
    p.id,
    p.key,
    p.title,
    (SELECT group_concat(CASE WHEN value = 'others' THEN 'et al.' ELSE value END, '; ')
        FROM json_each(p.authors)) AS authors,
    p.year,
    COALESCE(p.venue_abbr, p.venue) AS venue,
    p.venue_kind AS kind,
    {", ".join(_FACET_ARRAY.format(facet=facet) for facet in FACETS)},
    (SELECT json_group_array(name) FROM (SELECT d.name FROM paper_datasets pd
        JOIN datasets d ON d.id = pd.dataset_id WHERE pd.paper_id = p.id ORDER BY d.name)) AS dataset,
    (SELECT json_group_array(tag) FROM (SELECT tag FROM tags t WHERE t.key = p.key ORDER BY tag)) AS tags,
    (SELECT json_extract(n.data, '$.text') FROM decisions n
        WHERE n.kind = 'note' AND n.undone = 0 AND n.key = p.key ORDER BY n.id DESC LIMIT 1) AS note,
    CASE WHEN p.doi IS NOT NULL AND p.doi <> '' THEN 'https://doi.org/' || p.doi END AS doi,
    CASE WHEN p.arxiv IS NOT NULL AND p.arxiv <> '' THEN 'https://arxiv.org/abs/' || p.arxiv END AS arxiv,
    p.url
FROM papers p
WHERE NOT EXISTS (SELECT 1 FROM decisions r WHERE r.key = p.key AND r.kind = 'rm' AND r.undone = 0)
"""

FTS = (
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5(title, authors, abstract, "
    "content='papers', content_rowid='id', tokenize='porter unicode61 remove_diacritics 2')"
)


def drop_view(conn: sqlite3.Connection) -> None:
    conn.execute("DROP VIEW IF EXISTS reading_list")


def create(conn: sqlite3.Connection) -> None:
    """Make the view (anew: a schema change may change it) and the index if missing."""
    drop_view(conn)
    conn.execute(VIEW)
    conn.execute(FTS)


def refresh_search_index(conn: sqlite3.Connection) -> None:
    """Re-read every paper into the full-text index (in the caller's transaction)."""
    conn.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')")
