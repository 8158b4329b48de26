"""`medlit serve`: the catalog in a browser, read-only, through Datasette (the `web` extra)."""

from __future__ import annotations

import click

from medlit.cli.options import db_option


@click.command("serve")
@db_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", "-p", type=click.IntRange(0, 65535), default=8001, show_default=True)
@click.option("--open", "open_browser", is_flag=True, help="Open the reading list in a web browser.")
def command(db: str, host: str, port: int, open_browser: bool) -> None:
    """Browse the catalog in a web browser: facets, full-text search, canned queries.

    \b
    Needs Datasette: pip install 'medlit[web]'. Serves read-only, on this machine only
    unless --host names another address (--host 0.0.0.0 lets the whole network in).
      medlit serve --open
    """
    from medlit import web
    from medlit.cli.selection import open_catalog
    from medlit.cli.terminal import message

    catalog = open_catalog(db)
    where = "" if web.is_loopback(host) else " (reachable from other machines)"

    def announce(url: str) -> None:
        message(f"serving {catalog.path} read-only at {url}{where}; Ctrl-C stops")

    catalog.serve(host, port, open_browser, announce)
