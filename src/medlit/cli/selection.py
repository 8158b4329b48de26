"""From command-line options to the library: the catalog a command reads, and its filters."""

from __future__ import annotations

import click

from medlit.listing import FILTERS


def open_catalog(db: str):
    """The `medlit.api.Catalog` at `db`, closed when the command ends (even in-process)."""
    from medlit.api import Catalog
    from medlit.catalog import connection
    from medlit.cli.terminal import notice

    connection.notice = notice  # a catalog read from a copy, a writer waiting: said on stderr
    catalog = Catalog.open(db)
    ctx = click.get_current_context(silent=True)
    if ctx is not None:
        ctx.call_on_close(catalog.close)
    return catalog


def filter_values(params: dict) -> dict:
    """The filter options' values as the keyword arguments Catalog methods take."""
    values = {name: params.get(name) or () for name in FILTERS}
    values["year"] = params.get("years")
    values["curated"] = params.get("curated", False)
    return values
