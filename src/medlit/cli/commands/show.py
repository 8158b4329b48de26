"""`medlit show KEY`: one paper in full, with every place it was read from."""

from __future__ import annotations

import click

from medlit.cli.options import db_option, pager_option


@click.command("show")
@click.argument("key")
@db_option
@click.option(
    "--format", "-f", "fmt", type=click.Choice(["text", "json", "bibtex"]), default="text", show_default=True
)
@pager_option
def command(key: str, db: str, fmt: str) -> None:
    """Print the paper with citation key KEY."""
    import sys

    from medlit.cli.selection import open_catalog

    catalog = open_catalog(db)
    paper = catalog.paper(key)
    if fmt == "json":
        import json

        from medlit.views import paper_json

        json.dump(paper_json(paper), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    elif fmt == "bibtex":
        from medlit.writers import write

        write(fmt, [paper], sys.stdout)
    else:
        _text(paper)
        _decided(catalog.decided(key))


def _text(paper) -> None:
    from rich.markup import escape

    from medlit.cli.terminal import out_console

    console = out_console()
    console.print(f"[bold]{escape(paper.title)}[/bold]", highlight=False)
    rows = [
        ("key", paper.key),
        ("authors", "; ".join(paper.authors)),
        ("year", paper.year),
        (
            "venue",
            " ".join(
                x for x in [paper.venue or "", f"({paper.venue_kind})" if paper.venue_kind else ""] if x
            ),
        ),
        ("volume", paper.volume),
        ("number", paper.number),
        ("pages", paper.pages),
        ("publisher", paper.publisher),
        ("note", paper.note),
        ("doi", paper.doi),
        ("arxiv", paper.arxiv),
        ("url", paper.url),
    ]
    # the other links by what they are: `code`, `project`, `dataset`, ...
    rows += [(link.label, link.url) for link in paper.links if link.url != paper.url]
    for facet, values in paper.facets.items():
        if values:
            shown = [
                v.value + ("" if v.curated else "*") + (" (disputed)" if v.disputed else "") for v in values
            ]
            rows.append((facet, ", ".join(shown)))
    rows.append(("datasets", ", ".join(paper.datasets)))
    rows.append(("tags", ", ".join(paper.tags)))
    rows.append(("your note", paper.user_note))
    for name, value in rows:
        if value:
            console.print(f"  [dim]{name:>9}[/dim]  {escape(str(value))}", highlight=False)
    if any(not v.curated for vs in paper.facets.values() for v in vs):
        console.print("  [dim]* inferred from the title[/dim]")
    if paper.abstract:
        console.print(f"\n  {escape(paper.abstract)}", highlight=False)
    console.print("\n  [dim]read from[/dim]")
    for s in paper.sources:
        where = f"    {s.file}:{s.line}" + (f"  ({s.section})" if s.section else "")
        console.print(escape(where), highlight=False)


def _decided(decided: dict) -> None:
    """Where fields that no document gave came from (a service, an edit), and disagreements."""
    from rich.markup import escape

    from medlit.cli.terminal import out_console

    lines = []
    if decided["removed"]:
        lines.append("removed from search and export (medlit rm --undo KEY shows it again)")
    for field, made_at in decided["edited"].items():
        lines.append(f"{field}: your edit, {made_at}")
    for p in decided["provenance"]:
        if p.applied:
            lines.append(f"{p.field}: from {p.source}, fetched {p.fetched_at}")
        else:
            said = f"{p.field}: {p.source} says {p.shown()!r} (fetched {p.fetched_at})"
            lines.append(f"{said}; kept the documents'")
    if lines:
        console = out_console()
        console.print("\n  [dim]besides the documents[/dim]")
        for line in lines:
            console.print(escape(f"    {line}"), highlight=False)
