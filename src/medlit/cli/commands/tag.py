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
    from pathlib import Path

    from medlit import catalog, decisions
    from medlit.cli.terminal import message

    with catalog.writing(Path(db)) as conn:
        now = decisions.tag(conn, key, tags, remove=untag)
    message(f"{key}: tags {', '.join(now) if now else '(none)'}")
