"""`medlit tag KEY TAG...`: the user's own tags, kept apart from the documents."""

from __future__ import annotations

import click

from medlit.cli.options import db_option


@click.command("tag")
@click.argument("key")
@click.argument("tags", nargs=-1, required=True)
@click.option("--untag", is_flag=True, help="Remove these tags instead.")
@db_option
def command(key: str, tags: tuple[str, ...], untag: bool, db: str) -> None:
    """Tag the paper KEY (search --tag TAG finds it; BibTeX exports tags as keywords).

    \b
      medlit tag ronneberger2015unet thesis ch2
      medlit tag ronneberger2015unet ch2 --untag
    """
    from medlit.cli.selection import open_catalog
    from medlit.cli.terminal import message

    now = open_catalog(db).tag(key, tags, remove=untag)
    message(f"{key}: tags {', '.join(now) if now else '(none)'}")
