"""`medlit stats [filters] [--by FACET]...`: how the catalog spreads over facets."""

from __future__ import annotations

import click

from medlit.cli.options import db_option, filter_options, pager_option
from medlit.listing import FACETS

DIMENSIONS = (*FACETS, "venue", "year", "kind", "dataset")


@click.command("stats")
@filter_options
@click.option(
    "--by",
    "by",
    multiple=True,
    type=click.Choice(DIMENSIONS),
    help="Count per value of this facet; twice for a cross table (--by organ --by modality).",
)
@click.option(
    "--format",
    "-f",
    "fmt",
    type=click.Choice(["table", "json", "csv"]),
    default=None,
    help="table (bar charts) on a terminal; json or csv for scripts.",
)
@click.option("--top", type=click.IntRange(min=1), default=None, help="Only the N largest values.")
@db_option
@pager_option
def command(by: tuple[str, ...], fmt: str | None, top: int | None, db: str, **params) -> None:
    """Count papers per facet value, as bar charts or a cross table.

    \b
      medlit stats --by organ
      medlit stats --by organ --by modality --modality CT --modality MRI
    """
    import sys

    from medlit.cli.handler import usage_errors
    from medlit.cli.selection import filter_values, open_catalog

    if len(by) > 2:
        raise click.UsageError("--by takes one facet, or two for a cross table")
    catalog = open_catalog(db)
    fmt = fmt or ("table" if sys.stdout.isatty() else "csv")
    with usage_errors():
        if len(by) == 2:
            _emit_cross(catalog.cross(by[0], by[1], **filter_values(params)), by, fmt, top)
            return
        total, result = catalog.stats(
            by or ("modality", "organ", "task", "venue"), top, **filter_values(params)
        )
    _emit_counts(result, total, fmt)


def _emit_counts(result: dict[str, dict[str, int]], total: int, fmt: str) -> None:
    import sys

    if fmt == "json":
        import json

        json.dump({"papers": total, "counts": result}, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return
    if fmt == "csv":
        import csv

        from medlit.writers.escape import csv_cell

        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(["facet", "value", "papers"])
        for dim, values in result.items():
            for value, n in values.items():
                writer.writerow([csv_cell(dim), csv_cell(value), n])
        return
    from medlit.cli.terminal import out_console

    console = out_console()
    console.print(f"[bold]{total}[/bold] papers")
    for dim, values in result.items():
        console.print(f"\n[bold]{dim}[/bold]")
        console.print(chart(values, dim), highlight=False)


BAR = 30  # cells of the longest bar


def chart(values: dict[str, int], dim: str):
    """Bars scaled to the largest real value; papers without a value are counted on a line
    of their own, not drawn: 745 papers without an organ would squash every organ's bar."""
    from rich.cells import cell_len
    from rich.text import Text

    from medlit.search.stats import NONE
    from medlit.writers.escape import terminal

    real = {terminal(v): n for v, n in values.items() if v != NONE}
    out = Text()
    if real:
        peak = max(real.values())
        width = max(cell_len(v) for v in real)
        for value, n in real.items():
            out.append(f"  {value}{' ' * (width - cell_len(value))}  ")
            out.append("█" * max(1, round(BAR * n / peak)), style="cyan")
            out.append(f" {n}\n")
    if values.get(NONE):
        out.append(f"  {NONE}: {values[NONE]} with no {dim}\n", style="dim")
    if not values:
        out.append("  (no papers)\n", style="dim")
    out.rstrip()
    return out


def _emit_cross(table: dict[str, dict[str, int]], by: tuple[str, str], fmt: str, top: int | None) -> None:
    import sys

    rows = list(table)[:top] if top else list(table)
    columns = sorted(
        {c for r in table.values() for c in r}, key=lambda c: -sum(t.get(c, 0) for t in table.values())
    )
    if top:
        columns = columns[:top]
    if fmt == "json":
        import json

        json.dump(
            {"by": list(by), "counts": {r: table[r] for r in rows}}, sys.stdout, ensure_ascii=False, indent=2
        )
        sys.stdout.write("\n")
        return
    if fmt == "csv":
        import csv

        from medlit.writers.escape import csv_cell

        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow([f"{by[0]}\\{by[1]}", *map(csv_cell, columns)])
        for r in rows:
            writer.writerow([csv_cell(r), *(table[r].get(c, 0) for c in columns)])
        return
    from rich.table import Table

    from medlit.cli.terminal import out_console

    grid = Table(title=f"{by[0]} × {by[1]}", header_style="bold")
    grid.add_column(by[0])
    for c in columns:
        grid.add_column(c, justify="right")
    for r in rows:
        grid.add_row(r, *(str(table[r].get(c, "")) or "·" for c in columns))
    out_console().print(grid)
