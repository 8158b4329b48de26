"""`medlit enrich [filters]`: fill what the lists leave out from Crossref, arXiv and OpenAlex."""

from __future__ import annotations

import click

from medlit.cli.options import db_option, filter_options


@click.command("enrich")
@filter_options
@db_option
@click.option(
    "--dry-run", is_flag=True, help="Say what would be filled; change no paper (answers are cached)."
)
@click.option("--offline", is_flag=True, help="Use only the answers cached by earlier runs: no request.")
def command(db: str, dry_run: bool, offline: bool, **params) -> None:
    """Fill missing authors, venue, volume, issue, pages, DOI, abstract and publisher.

    \b
    By DOI from Crossref, by arXiv id from arXiv (then Crossref by the DOI arXiv gives),
    by title from OpenAlex when the match is strict (titles 95% alike, years within one,
    the same first author); weaker matches are listed, never applied. A value a document
    gave is never overwritten: disagreements are listed. Every answer is cached in the
    catalog, so a second run asks nothing. Set MEDLIT_MAILTO to your e-mail address for
    Crossref's polite pool; MEDLIT_CROSSREF_URL, MEDLIT_ARXIV_URL, MEDLIT_OPENALEX_URL
    point at mirrors.
      medlit enrich --venue MICCAI --dry-run
      medlit enrich
    """
    from medlit.cli.selection import filter_values, open_catalog
    from medlit.cli.terminal import DelayedProgress

    bar = DelayedProgress(1, "enriching")

    def progress(what: str, done: int, total: int) -> None:
        bar.total = max(total, 1)
        bar.update(f"{what} ({done}/{total})", done)

    try:
        report = open_catalog(db).enrich(
            offline=offline, dry_run=dry_run, progress=progress, **filter_values(params)
        )
    finally:
        bar.close()
    _print(report, dry_run, offline)
    if report.failures:
        raise SystemExit(1)


def _print(report, dry_run: bool, offline: bool) -> None:
    from medlit.cli.terminal import message

    verb = "would fill" if dry_run else "filled"
    for key, fld, value, source in report.changes if dry_run else []:
        shown = "; ".join(value) if isinstance(value, list) else value
        message(f"  {key}: {fld} = {t(str(shown))[:100]} ({source})")
    for key, fld, source, theirs, ours in report.disagreements:
        theirs = "; ".join(theirs) if isinstance(theirs, list) else theirs
        ours = "; ".join(ours) if isinstance(ours, list) else ours
        message(
            f"  {key}: {fld}: {source} says {t(str(theirs))[:80]!r}, "
            f"the documents {t(str(ours))[:80]!r} (kept)"
        )
    for key, source, title, why in report.candidates:
        message(f"  {key}: candidate from {source}, not applied ({why}): {t(title)[:90]}")
    for key, source, ident, why in report.unknown:
        message(f"  {key}: {source} {t(ident)}: {why}")
    for line in report.failures.values():
        message(f"medlit: {line}; papers enriched so far are kept, run again later")
    fields = ", ".join(f"{n} {f}" for f, n in sorted(report.filled.items(), key=lambda x: -x[1]))
    asked = sum(report.requests.values())
    summary = f"{report.papers} papers: {verb} {len(report.enriched)}" + (f" ({fields})" if fields else "")
    summary += f"; {len(report.disagreements)} disagreements, {len(report.candidates)} candidates"
    summary += f"; {asked} requests" + (
        " (" + ", ".join(f"{s} {n}" for s, n in sorted(report.requests.items())) + ")" if asked else ""
    )
    if offline and report.uncached:
        summary += f"; {report.uncached} lookups not in the cache (run without --offline)"
    message(summary)


def t(text: str) -> str:
    """A service's text for the terminal: control characters (escape sequences) as spaces."""
    import re

    return re.sub(r"[\x00-\x1f\x7f-\x9f]", " ", text)
