"""`medlit search [QUERY...] [filters]`: what a researcher does all day with the catalog."""

from __future__ import annotations

import click

from medlit.cli.options import FORMATS, db_option, filter_options, format_option

LISTING_FORMATS = ("keys", "tsv")  # print key, year, venue and title only


@click.command("search")
@click.argument("query", nargs=-1)
@filter_options
@db_option
@format_option(FORMATS)
@click.option("--limit", "-n", type=click.IntRange(min=1), default=None, help="At most N papers.")
@click.option(
    "--sort",
    type=click.Choice(["score", "year", "venue", "title"]),
    default=None,
    help="Order; score (best match first) when a QUERY is given, else year (newest first).",
)
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

    from medlit import catalog
    from medlit.cli.selection import open_for_reading, query_text, resolve_filters
    from medlit.cli.terminal import is_terminal
    from medlit.search import query as q
    from medlit.writers import write

    conn = open_for_reading(db)
    filters = resolve_filters(conn, params)
    text = query_text(query)
    fmt = fmt or ("table" if is_terminal() else "tsv")
    listing = fmt in LISTING_FORMATS
    scores: dict[int, float] | None = None
    papers = None
    if text:
        from medlit.search import fuzzy  # only a QUERY needs it: filters alone start faster

        ranked = fuzzy.rank(conn, text, q.select_ids(conn, filters) if not filters.is_empty() else None)
        scores = dict(ranked)
        ids = [pid for pid, _ in ranked]
    elif listing:
        # newest first is the default order: then only the first --limit are read; all of
        # them are sorted here (_sorted), not by SQLite as well
        by_year = not sort or sort == "year"
        papers = q.select_listing(conn, filters, limit if by_year else None, ordered=not by_year)
        ids = [p.id for p in papers]
    else:
        ids = q.select_ids(conn, filters)
    order = sort or ("score" if text else "year")
    if limit and order == ("score" if text else "year"):
        ids = ids[:limit]  # already in this order: load only what is shown
        papers = papers[:limit] if papers is not None else None
    if papers is None:
        papers = (
            catalog.load_listing(conn, ids)
            if listing
            else catalog.load_papers(conn, ids, with_sources=fmt == "json")
        )
    by_key = {p.key: scores[pid] for pid, p in zip(ids, papers, strict=True)} if scores else None
    papers = _sorted(papers, order)[:limit]
    write(fmt, papers, sys.stdout, scores=by_key if text else None)


_NO_YEAR = 1 << 62  # after every year


def _sorted(papers, order):
    if order == "score":
        return papers  # already in rank order
    if order == "year":
        # newest first, then titles; titles equal but for case keep query.NEWEST_FIRST's
        # order (COLLATE NOCASE folds ASCII letters only, as bytes.lower does; then ids, and
        # a listing comes in id order). Two stable sorts on a str and an int are several
        # times faster than one on tuples: a search may list 150k papers.
        papers = sorted(papers, key=lambda p: f"{p.title.casefold()}\0{p.title.encode().lower().decode()}")
        papers.sort(key=lambda p: _NO_YEAR if p.year is None else -p.year)
        return papers
    if order == "venue":
        return sorted(papers, key=lambda p: ((p.venue or "~").casefold(), -(p.year or 0)))
    return sorted(papers, key=lambda p: p.title.casefold())
