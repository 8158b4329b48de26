"""`medlit rm KEY`: hide a paper from search and export, whatever documents say (--undo)."""

from __future__ import annotations

import click

from medlit.cli.options import db_option


@click.command("rm")
@click.argument("keys", nargs=-1, required=True)
@click.option("--undo", is_flag=True, help="Show the papers again.")
@db_option
def command(keys: tuple[str, ...], undo: bool, db: str) -> None:
    """Remove papers from searches and exports; their records stay, so --undo restores them.

    \b
      medlit rm smith2019unrelated
      medlit rm smith2019unrelated --undo
    """
    from medlit.cli.selection import open_catalog
    from medlit.cli.terminal import message

    catalog = open_catalog(db)
    changed = [key for key in keys if catalog.remove(key, undo=undo)]
    for key in keys:
        if key in changed:
            message(f"{key}: {'restored' if undo else 'removed (medlit rm --undo ' + key + ' restores it)'}")
        else:
            message(f"{key}: already {'shown' if undo else 'removed'}")
