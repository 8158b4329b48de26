"""A rich table for a terminal: key, first author, year, venue, title (a link where the
terminal can), facets; under it how many papers, and "N of M shown" when a limit cut it."""

from __future__ import annotations


def first_author(authors: list[str]) -> str:
    """`Family et al.` from "Family, Given" names (a name without a comma is kept whole)."""
    if not authors or authors[0] == "others":
        return ""
    family = authors[0].split(",", 1)[0].strip()
    return f"{family} et al." if len(authors) > 1 else family


def shown(count: int, total: int | None) -> str:
    if total is not None and total > count:
        return f"{count} of {total} shown"
    return f"{count} paper" + ("" if count == 1 else "s")


def write(papers, out, scores=None, total: int | None = None, **_options) -> None:
    from rich.style import Style
    from rich.table import Table
    from rich.text import Text

    from medlit.cli.terminal import out_console
    from medlit.writers.escape import terminal

    papers = list(papers)
    table = Table(
        show_lines=False,
        header_style="bold",
        expand=False,
        pad_edge=False,
        caption=shown(len(papers), total),
        caption_justify="left",
        caption_style="dim",
    )
    if scores is not None:
        table.add_column("score", justify="right", style="cyan", no_wrap=True)
    table.add_column("key", style="green", no_wrap=True)
    table.add_column("author", no_wrap=True, max_width=18)
    table.add_column("year", justify="right", no_wrap=True)
    table.add_column("venue", no_wrap=True, max_width=14)
    table.add_column("title", ratio=3)
    table.add_column("facets", ratio=1, style="dim")
    for p in papers:
        title = Text(terminal(p.title))
        if p.url:
            title.stylize(Style(link=p.url))  # a Style, not markup: a URL may hold spaces
        facets = ", ".join(dict.fromkeys(p.values("modality") + p.values("organ") + p.values("task")))
        row = [
            terminal(p.key),
            terminal(first_author(p.authors)),
            str(p.year or ""),
            terminal(p.venue_abbr or p.venue or ""),
            title,
            terminal(facets),
        ]
        if scores is not None:
            row.insert(0, f"{scores.get(p.key, 0.0):.0f}")
        table.add_row(*row)
    out_console().print(table)
