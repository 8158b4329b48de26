"""`medlit note KEY TEXT`: the user's note on a paper, exported as BibTeX `note`."""

from __future__ import annotations

import click

from medlit.cli.options import db_option


@click.command("note")
@click.argument("key")
@click.argument("text", nargs=-1)
@click.option("--clear", is_flag=True, help="Remove the note.")
@db_option
def command(key: str, text: tuple[str, ...], clear: bool, db: str) -> None:
    """Set the note of paper KEY (the latest note replaces the one before).

    \b
      medlit note ronneberger2015unet "baseline for chapter 3"
      medlit note ronneberger2015unet --clear
    """
    from medlit.cli.selection import open_catalog
    from medlit.cli.terminal import message

    words = " ".join(text).strip()
    if not words and not clear:
        raise click.UsageError("give the note's TEXT, or --clear to remove it")
    open_catalog(db).note(key, None if clear else words)
    message(f"{key}: note {'cleared' if clear else 'set'}")
