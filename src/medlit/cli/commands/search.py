"""`medlit search [QUERY...] [filters]`: what a researcher does all day with the catalog."""

from __future__ import annotations

import click

from medlit.cli.options import db_option, filter_options, format_option, pager_option


@click.command("search")
@click.argument("query", nargs=-1)
@filter_options
@db_option
@format_option("listing")
@click.option("--limit", "-n", type=click.IntRange(min=1), default=None, help="At most N papers.")
@click.option(
    "--sort",
    type=click.Choice(["score", "year", "venue", "title"]),
    default=None,
    help="Order; score (best match first) when a QUERY is given, else year (newest first).",
)
@pager_option
def command(
    query: tuple[str, ...], db: str, fmt: str | None, limit: int | None, sort: str | None, **params
) -> None:
    """Find papers: filters narrow, a QUERY ranks titles despite typos.

    \b
    Filters repeat to mean OR; different filters AND together. Values go through the
    vocabulary in English or Chinese: --organ 肺 is --organ lung.
      medlit search --modality CT --organ lung
      medlit search --venue TMI --year 2016-2017
      medlit search "unet biomedical segmentaton"
    """
    import gc

    # a search may hold a million rows, none of them garbage: collecting would rescan them
    gc.disable()
    try:
        _search(query, db, fmt, limit, sort, params)
    finally:
        gc.enable()


def _search(
    query: tuple[str, ...], db: str, fmt: str | None, limit: int | None, sort: str | None, params
) -> None:
    import sys

    from medlit.cli.handler import usage_errors
    from medlit.cli.selection import filter_values, open_catalog
    from medlit.cli.terminal import is_terminal
    from medlit.registry import registry
    from medlit.writers import write

    fmt = fmt or ("table" if is_terminal() else "tsv")
    brief = registry().writer(fmt).brief
    with usage_errors():
        found = open_catalog(db).search(
            " ".join(query) if query else None,
            sort=sort,
            limit=limit,
            listing=brief,
            with_sources=fmt == "json",
            **filter_values(params),
        )
    write(fmt, found.papers, sys.stdout, scores=found.scores, total=found.total)
