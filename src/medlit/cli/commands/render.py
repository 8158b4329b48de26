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
    from pathlib import Path

    from medlit.cli.handler import usage_errors
    from medlit.cli.selection import open_catalog
    from medlit.cli.terminal import message
    from medlit.errors import UserError
    from medlit.files import replace_atomically

    raw = Path(path).read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise UserError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    with usage_errors():
        done = open_catalog(db).render(text, path)
    for line, note in done.notes:
        message(f"{path}:{line}: warning: {note}")
    if show_diff:
        click.echo(done.diff(path), nl=False)
        if done.stale:
            raise SystemExit(1)
        return
    if check:
        for line in done.stale:
            message(f"{path}:{line}: block is stale; run: medlit render {path}")
        if done.stale:
            raise SystemExit(1)
        return
    if done.stale:
        with replace_atomically(path) as out:
            out.write(done.text)
    message(f"{path}: {len(done.stale)} of {done.blocks} blocks updated")
