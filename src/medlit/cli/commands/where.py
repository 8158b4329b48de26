"""`medlit where`: which catalog the other commands would use here, and why."""

from __future__ import annotations

import click

from medlit.cli.options import db_option


@click.command("where")
@db_option
def command(db: str | None) -> None:
    """Print the catalog medlit uses from this folder (stdout) and why (stderr).

    \b
    In order: --db, MEDLIT_DB, the nearest catalog.db in this folder or one above, the
    `db = "..."` line of the config file (named below), else ./catalog.db.
      cd ~/thesis/chapter2 && medlit where
    """
    from medlit.catalog.locate import config_file
    from medlit.cli.selection import open_catalog
    from medlit.cli.terminal import message

    catalog = open_catalog(db)
    click.echo(str(catalog.path.absolute()))
    state = "" if catalog.exists() else " (no file there yet: medlit import makes it)"
    message(f"why: {catalog.located.why}{state}")
    config = config_file()
    message(f"config file: {config}" + ("" if config.is_file() else " (none)"))
