"""`medlit datasets [--organ ...]`: the datasets, their links, and the papers that use them."""

from __future__ import annotations

import click

from medlit.cli.options import complete, db_option, pager_option


@click.command("datasets")
@click.option("--organ", multiple=True, shell_complete=complete("organ"), help="lung, 肺, brain, ...")
@click.option("--name", "names", multiple=True, help="Only datasets whose name contains this.")
@click.option("--format", "-f", "fmt", type=click.Choice(["table", "json", "tsv"]), default=None)
@db_option
@pager_option
def command(organ: tuple[str, ...], names: tuple[str, ...], fmt: str | None, db: str) -> None:
    """List datasets with their links, organs and the papers that use them."""
    import json
    import sys

    from medlit.cli.handler import usage_errors
    from medlit.cli.selection import open_catalog

    with usage_errors():
        rows = open_catalog(db).datasets(organ=organ, name=names)
    fmt = fmt or ("table" if sys.stdout.isatty() else "tsv")
    if fmt == "json":
        json.dump(rows, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    elif fmt == "tsv":
        for r in rows:
            sys.stdout.write(
                "\t".join([r["name"], r["url"] or "", ", ".join(r["organs"]), " ".join(r["papers"])]) + "\n"
            )
    else:
        _table(rows)


def _table(rows: list[dict]) -> None:
    from rich.table import Table
    from rich.text import Text

    from medlit.cli.terminal import err_console, out_console

    table = Table(header_style="bold")
    for column in ("dataset", "organs", "papers"):
        table.add_column(column)
    for r in rows:
        name = Text(r["name"])
        if r["url"]:
            name.stylize(f"link {r['url']}")
        table.add_row(name, ", ".join(r["organs"]), "\n".join(r["papers"]))
    out_console().print(table)
    err_console().print(f"{len(rows)} datasets", style="dim")
