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
    from pathlib import Path

    from medlit import catalog, decisions
    from medlit.cli.terminal import message
    from medlit.enrich import add
    from medlit.enrich.http import Client
    from medlit.enrich.provenance import Provenance, store

    if not spec and not title:
        raise click.UsageError("give a DOI, arXiv:ID or URL, or --title (with --author, --year, --venue)")
    doi = arxiv_id = url = None
    if spec:
        doi, arxiv_id, url = add.identify(spec)
        if not (doi or arxiv_id or url):
            raise click.BadParameter(f"{spec!r} is no DOI, arXiv id or link", param_hint="SPEC")
    given = {"title": title, "authors": list(authors), "year": year, "venue": venue}
    facets = {"modality": modality, "organ": organ, "technique": technique, "task": task}
    path = Path(db)
    with catalog.writing(path):
        pass  # the schema brought up to date
    conn = catalog.connect(path)
    client = None if offline else Client()
    try:
        found = add.fetch_metadata(conn, client, doi, arxiv_id, offline) if (doi or arxiv_id) else []
    finally:
        if client is not None:
            client.close()
    record = add.record_of(found, given, url)
    conn.execute("BEGIN IMMEDIATE")
    try:
        key = add.existing(conn, record)
        if key is None:
            key = add.insert(conn, record, facets)
            rows = []
            for meta in found:
                for fld, value in meta.values().items():
                    if given.get(fld) in (None, "", []) and not any(r.field == fld for r in rows):
                        rows.append(Provenance(key, fld, meta.source, value, decisions.now(), True))
            store(conn, rows)
            said = f"{key}: added"
        else:
            extra = {f: list(v) for f, v in facets.items() if v}
            if extra:
                decisions.edit(conn, key, {}, extra, {})
            said = f"{key}: already in the catalog"
        if tags:
            decisions.tag(conn, key, tags)
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    finally:
        conn.close()
    message(f"{said} ({record.title[:80]})")
    click.echo(key)
