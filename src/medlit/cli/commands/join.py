"""`medlit join KEY1 KEY2`: make two papers one, and remember it across re-imports."""

from __future__ import annotations

import click

from medlit.cli.options import db_option


@click.command("join")
@click.argument("key")
@click.argument("other")
@db_option
def command(key: str, other: str, db: str) -> None:
    """Make papers KEY and OTHER one paper, keyed KEY; OTHER keeps citing it (an alias).
    The decision is kept: later imports keep them one. Prints the paper's key."""
    from medlit.cli.selection import open_catalog
    from medlit.cli.terminal import message

    print(open_catalog(db).join(key, other))
    message(f"joined {other} into {key}; `medlit split {key}` undoes it")
