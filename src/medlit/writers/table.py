"""A rich table for a terminal: key, year, venue, title (a link where the terminal can), facets."""

from __future__ import annotations


def write(papers, out, scores=None, **_options) -> None:
    from rich.table import Table
    from rich.text import Text

    from medlit.cli.terminal import err_console, out_console

    console = out_console()
    table = Table(show_lines=False, header_style="bold", expand=False, pad_edge=False)
    if scores is not None:
        table.add_column("score", justify="right", style="cyan", no_wrap=True)
    table.add_column("key", style="green", no_wrap=True)
    table.add_column("year", justify="right", no_wrap=True)
    table.add_column("venue", no_wrap=True, max_width=14)
    table.add_column("title", ratio=3)
    table.add_column("facets", ratio=1, style="dim")
    for p in papers:
        title = Text(p.title)
        if p.url:
            title.stylize(f"link {p.url}")
        facets = ", ".join(dict.fromkeys(p.values("modality") + p.values("organ") + p.values("task")))
        row = [p.key, str(p.year or ""), p.venue_abbr or p.venue or "", title, facets]
        if scores is not None:
            row.insert(0, f"{scores.get(p.key, 0.0):.0f}")
        table.add_row(*row)
    console.print(table)
    err_console().print(f"{len(papers)} papers", style="dim")
