"""The SQLite catalog: opening it (connection.py), its schema and migrations (schema.py),
reading papers back (papers.py), the browser's view and full-text index (browse.py), and
where a command's catalog is (locate.py).

Everything goes through the standard library's sqlite3, which starts fast. What a command
needs is imported from here; a test or a caller that changes a setting (BUSY_TIMEOUT_MS,
EXPORT_BATCH, notice) changes it in the module that defines it.
"""

from __future__ import annotations

from medlit.catalog.connection import (
    BUSY_TIMEOUT_MS,
    DEFAULT_DB,
    PAGE_SIZE,
    begin_write,
    check_integrity,
    connect,
    db_path,
    explain,
    open_current,
    writing,
)
from medlit.catalog.papers import (
    EXPORT_BATCH,
    PAPER_COLUMNS,
    chunks,
    iter_cited,
    iter_papers,
    load_listing,
    load_papers,
    next_id,
    paper_id_by_key,
    papers_by_key,
    rows_by_id,
)
from medlit.catalog.schema import (
    MIGRATIONS,
    SCHEMA,
    SCHEMA_VERSION,
    ensure_schema,
    indexes,
    needs_upgrade,
    schema_version,
)

__all__ = [
    "BUSY_TIMEOUT_MS", "DEFAULT_DB", "EXPORT_BATCH", "MIGRATIONS", "PAGE_SIZE", "PAPER_COLUMNS",
    "SCHEMA", "SCHEMA_VERSION", "begin_write", "check_integrity", "chunks", "connect", "db_path",
    "ensure_schema", "explain", "indexes", "iter_cited", "iter_papers", "load_listing",
    "load_papers", "needs_upgrade", "next_id", "open_current", "paper_id_by_key", "papers_by_key",
    "rows_by_id", "schema_version", "writing",
]  # fmt: skip
