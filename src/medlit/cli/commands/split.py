"""`medlit split KEY`: undo a merge, and remember it across re-imports."""

from __future__ import annotations

import click

from medlit.cli.options import db_option


@click.command("split")
@click.argument("key")
@db_option
def command(key: str, db: str) -> None:
    """Make each entry of paper KEY (a file's records of one title) its own paper. The
    decision is kept: later imports never merge them again. Prints the papers' keys."""
    from medlit.cli.selection import open_catalog
    from medlit.cli.terminal import message

    keys = open_catalog(db).split(key)
    for k in keys:
        print(k)
    message(f"split {key} into {len(keys)} papers; `medlit join` makes them one again")
