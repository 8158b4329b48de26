"""`medlit render README.md [--check]`: refresh a list's tables from the catalog."""

from __future__ import annotations

import click

from medlit.cli.options import db_option


@click.command("render")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--check", is_flag=True, help="Change nothing; exit 1 when a table is stale (for CI).")
@db_option
def command(path: str, check: bool, db: str) -> None:
    """Regenerate the tables between <!-- medlit:begin ... --> and <!-- medlit:end --> in PATH.

    \b
    Marker attributes are search filters plus lang, e.g.
      <!-- medlit:begin task=segmentation lang=zh -->
      <!-- medlit:end -->
    Everything outside the markers is left byte for byte.
    """
    from pathlib import Path

    from medlit import catalog, render
    from medlit.cli.selection import open_for_reading, resolve_filters
    from medlit.cli.terminal import message
    from medlit.errors import UserError
    from medlit.files import replace_atomically
    from medlit.search import query
    from medlit.writers import markdown

    raw = Path(path).read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise UserError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    conn = open_for_reading(db)

    def content(block: render.Block) -> str:
        filters = resolve_filters(conn, render.raw_filters(block.attrs))
        papers = catalog.load_papers(conn, query.select_ids(conn, filters), with_sources=False)
        lang = block.attrs.get("lang", "en")
        if "task" in block.attrs:
            return markdown.table(papers, lang).rstrip("\n")
        return markdown.document(papers, lang).rstrip("\n")

    try:
        count = len(render.blocks(text, path))
        if not count:
            raise UserError(f"{path}: no <!-- medlit:begin --> markers; add one where a table belongs")
        new, stale = render.regenerate(text, content, path)
    except render.MarkerError as exc:
        raise UserError(str(exc)) from None
    if check:
        for line in stale:
            message(f"{path}:{line}: table is stale; run: medlit render {path}")
        if stale:
            raise SystemExit(1)
        return
    if stale:
        with replace_atomically(path) as out:
            out.write(new)
    message(f"{path}: {len(stale)} of {count} tables updated")
