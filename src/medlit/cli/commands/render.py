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
    if check:
        for line in done.stale:
            message(f"{path}:{line}: table is stale; run: medlit render {path}")
        if done.stale:
            raise SystemExit(1)
        return
    if done.stale:
        with replace_atomically(path) as out:
            out.write(done.text)
    message(f"{path}: {len(done.stale)} of {done.blocks} tables updated")
