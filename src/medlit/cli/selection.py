"""From command-line filters to papers: the one path search, export and stats share."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import click

from medlit import catalog
from medlit.cli.options import FILTER_NAMES


def open_for_reading(db: str) -> sqlite3.Connection:
    """The catalog, upgraded if older, inside one read transaction held until the command ends.

    Reads in one transaction see one state: an import that commits while a search runs
    waits for it (busy_timeout) instead of changing papers between the search's queries.
    """
    conn = catalog.connect(Path(db))
    if catalog.needs_upgrade(conn):
        conn.close()
        _upgrade(Path(db))
        conn = catalog.connect(Path(db))
    conn.execute("BEGIN")
    conn.execute("SELECT COUNT(*) FROM meta").fetchone()  # takes the read lock now
    ctx = click.get_current_context(silent=True)
    if ctx is not None:
        ctx.call_on_close(conn.close)  # the lock ends with the command, even when run in-process
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


_CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def _cleaned(value: str, option: str) -> str:
    """A value with control characters as spaces (a NUL would cut an SQL pattern short and
    match everything); nothing left is a usage error rather than no filter at all."""
    clean = " ".join(_CONTROLS.sub(" ", value).split())
    if not clean:
        raise click.BadParameter(f"{value!r} is empty: nothing to look for", param_hint=option)
    return clean


def query_text(words: tuple[str, ...]) -> str:
    """The search words as one query ("" when none were given)."""
    return _cleaned(" ".join(words), "QUERY") if words else ""


def resolve_filters(conn: sqlite3.Connection, params: dict):
    """Click params -> query.Filters; an unknown or empty value is a usage error (exit 2)."""
    from medlit.search import query
    from medlit.vocab import load

    raw = {name: tuple(_cleaned(v, f"--{name}") for v in params.get(name) or ()) for name in FILTER_NAMES}
    raw["tag"] = tuple(_cleaned(v, "--tag") for v in params.get("tag") or ())
    for name, values in raw.items():
        for value in values:
            if name != "author" and not any(ch.isalnum() for ch in value):
                # named values compare without punctuation: `!` would equal a venue written `~~`
                raise click.BadParameter(str(query.UnknownValue(name, value, [])), param_hint=f"--{name}")
    try:
        return query.resolve(conn, load(), raw, params.get("years"), params.get("curated", False))
    except query.UnknownValue as exc:
        raise click.BadParameter(str(exc), param_hint=f"--{exc.facet}") from None
    except query.BadValue as exc:
        raise click.BadParameter(str(exc), param_hint="--year") from None
