"""`medlit render README.md [--check] [--diff]`: refresh a list's generated blocks from the catalog."""

from __future__ import annotations

import click

from medlit.cli.options import db_option


@click.command("render")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--check", is_flag=True, help="Change nothing; exit 1 when a block is stale (for CI).")
@click.option("--diff", "show_diff", is_flag=True, help="Change nothing; print what would change as a diff.")
@db_option
def command(path: str, check: bool, show_diff: bool, db: str) -> None:
    """Regenerate the blocks between <!-- medlit:begin ... --> and <!-- medlit:end --> in PATH,
    in the shape the list already uses (its table, or the form of its bullets).

    \b
    Marker attributes: the search filters, lang, section, source, template and sort:
      <!-- medlit:begin task=segmentation lang=zh -->
      <!-- medlit:begin section="Segmentation" -->
      <!-- medlit:begin venue=MICCAI template="* [{venue} {year}] {title} [[code]]({links.code})" -->
      <!-- medlit:end -->
    Everything outside the markers is left byte for byte.
    """
    import difflib
    from pathlib import Path

    from medlit import render
    from medlit.cli.selection import open_for_reading, resolve_filters
    from medlit.cli.terminal import message
    from medlit.errors import UserError
    from medlit.files import replace_atomically
    from medlit.render_blocks import BlockWriter
    from medlit.search import query

    raw = Path(path).read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise UserError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    conn = open_for_reading(db)
    writer = BlockWriter(conn, Path(db).parent, text, path)

    def content(block: render.Block) -> str:
        ids = None
        if render.has_filters(block.attrs) or "section" not in block.attrs:
            ids = query.select_ids(conn, resolve_filters(conn, render.raw_filters(block.attrs)))
        return writer.content(block, ids)

    try:
        count = len(render.blocks(text, path))
        if not count:
            raise UserError(f"{path}: no <!-- medlit:begin --> markers; add one where a block belongs")
        new, stale = render.regenerate(text, content, path)
    except render.MarkerError as exc:
        raise UserError(str(exc)) from None
    if show_diff:
        old_lines, new_lines = text.splitlines(keepends=True), new.splitlines(keepends=True)
        click.echo("".join(difflib.unified_diff(old_lines, new_lines, path, path)), nl=False)
        if stale:
            raise SystemExit(1)
        return
    if check:
        for line in stale:
            message(f"{path}:{line}: block is stale; run: medlit render {path}")
        if stale:
            raise SystemExit(1)
        return
    if stale:
        with replace_atomically(path) as out:
            out.write(new)
    message(f"{path}: {len(stale)} of {count} blocks updated")
