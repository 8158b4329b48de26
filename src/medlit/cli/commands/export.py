"""`medlit export FORMAT`: the catalog (or a filtered part) as citations or tables."""

from __future__ import annotations

import click

from medlit.cli.options import FormatChoice, db_option, filter_options, pager_option


@click.command("export")
@click.argument("fmt", metavar="FORMAT", type=FormatChoice("export"))
@filter_options
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False),
    default=None,
    help="Write to FILE (replaced atomically) instead of stdout.",
)
@click.option("--keys", "key_list", default=None, help="Only these keys, comma separated.")
@click.option(
    "--aux",
    type=click.Path(dir_okay=False),
    default=None,
    help="Only the keys a LaTeX run cited (\\citation and biber's \\abx@aux@cite).",
)
@click.option(
    "--strict",
    is_flag=True,
    help="Exit 1 when a wanted key is not in the catalog (-o FILE is then left as it was).",
)
@click.option(
    "--lang",
    type=click.Choice(["zh", "en"]),
    default="en",
    show_default=True,
    help="Headers and organ names for markdown.",
)
@db_option
@pager_option
def command(
    fmt: str,
    output: str | None,
    key_list: str | None,
    aux: str | None,
    strict: bool,
    lang: str,
    db: str,
    **params,
) -> None:
    """Write papers as FORMAT: bibtex, csl-json, ris, json, csv or markdown.

    \b
      medlit export bibtex -o refs.bib
      medlit export bibtex --aux thesis.aux --strict -o thesis.bib
      medlit export markdown --lang zh --modality CT
    """
    import sys

    from medlit.api import MissingKeys
    from medlit.cli.handler import usage_errors
    from medlit.cli.selection import filter_values, open_catalog
    from medlit.cli.terminal import message

    keys = None if key_list is None else key_list.split(",")
    try:
        with usage_errors():
            done = open_catalog(db).export(
                fmt,
                output or sys.stdout,
                keys=keys,
                aux=aux,
                strict=strict,
                lang=lang,
                **filter_values(params),
            )
    except MissingKeys as exc:
        for key in exc.missing:
            message(f"medlit: key {key!r} is not in the catalog")
        if output:
            message(f"medlit: --strict: {output} was left as it was")
        raise SystemExit(1) from None
    if fmt == "bibtex" and done.anonymous:
        message(
            f"medlit: {done.anonymous} of {done.count} entries have no author in the sources "
            f"(e.g. {done.first_anonymous}); BibTeX styles will warn about them"
        )
    if done.everything:
        message(f"medlit: {aux} cites every entry (\\nocite{{*}}): exported all {done.count} papers")
    for key in done.missing:
        message(f"medlit: key {key!r} is not in the catalog")
