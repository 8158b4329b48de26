"""`medlit add DOI | arXiv:ID | URL` or `medlit add --title T ...`: a paper no list holds."""

from __future__ import annotations

import click

from medlit.cli.options import db_option


@click.command("add")
@click.argument("spec", required=False)
@click.option("--title", help="The title (by hand, or over what the services say).")
@click.option("--author", "authors", multiple=True, help="An author, `Family, Given` (repeat in order).")
@click.option("--year", type=click.IntRange(1000, 2999))
@click.option("--venue", help="Journal, conference or school (TMI, MICCAI, ...).")
@click.option("--tag", "tags", multiple=True, help="Tag it (repeatable).")
@click.option("--modality", multiple=True)
@click.option("--organ", multiple=True)
@click.option("--technique", multiple=True)
@click.option("--task", multiple=True)
@click.option("--offline", is_flag=True, help="Use only cached answers.")
@db_option
def command(spec, title, authors, year, venue, tags, modality, organ, technique, task, offline, db) -> None:
    """Add a paper by DOI, arXiv id or link (its metadata fetched), or by hand.

    \b
      medlit add 10.1109/TMI.2016.2535302 --tag thesis
      medlit add arXiv:1505.04597 --organ brain
      medlit add --title "My workshop paper" --author "Doe, Jane" --year 2024 --venue MICCAI
    """
    from medlit.cli.selection import open_catalog
    from medlit.cli.terminal import message

    if not spec and not title:
        raise click.UsageError("give a DOI, arXiv:ID or URL, or --title (with --author, --year, --venue)")
    facets = {"modality": modality, "organ": organ, "technique": technique, "task": task}
    added = open_catalog(db).add(
        spec, title=title, authors=authors, year=year, venue=venue, tags=tags, facets=facets, offline=offline
    )
    said = "added" if added.new else "already in the catalog"
    message(f"{added.key}: {said} ({added.title[:80]})")
    click.echo(added.key)
