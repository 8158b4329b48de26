"""From command-line filters to papers: the one path search, export and stats share."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import click

from medlit import catalog
from medlit.options import FILTER_NAMES


def open_for_reading(db: str) -> sqlite3.Connection:
    conn = catalog.connect(Path(db))
    if catalog.needs_upgrade(conn):
        conn.close()
        _upgrade(Path(db))
        conn = catalog.connect(Path(db))
    return conn


def _upgrade(path: Path) -> None:
    """An older catalog is migrated in place, in one transaction, the first time it is read."""
    conn = catalog.connect(path)
    conn.execute("BEGIN IMMEDIATE")
    try:
        catalog.ensure_schema(conn)
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    finally:
        conn.close()


def resolve_filters(conn: sqlite3.Connection, params: dict):
    """Click params -> query.Filters; an unknown value is a usage error (exit 2)."""
    from medlit import query
    from medlit.vocab import load

    raw = {name: tuple(params.get(name) or ()) for name in FILTER_NAMES}
    try:
        return query.resolve(conn, load(), raw, params.get("years"), params.get("curated", False))
    except query.UnknownValue as exc:
        raise click.BadParameter(str(exc), param_hint=f"--{exc.facet}") from None
    except query.BadValue as exc:
        raise click.BadParameter(str(exc), param_hint="--year") from None
