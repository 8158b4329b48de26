"""`medlit vocab [FACET]`: the canonical values, their aliases in both languages, and counts."""

from __future__ import annotations

import click

from medlit.cli.options import db_option, pager_option
from medlit.listing import FACETS

FACET_CHOICES = (*FACETS, "venue")


@click.command("vocab")
@click.argument("facet", required=False, type=click.Choice(FACET_CHOICES))
@click.option("--format", "-f", "fmt", type=click.Choice(["table", "json", "tsv"]), default=None)
@db_option
@pager_option
def command(facet: str | None, fmt: str | None, db: str) -> None:
    """List canonical values with their aliases (English and Chinese) and paper counts.

    Values that table cells used but the vocabulary does not know are listed too, marked
    "not in vocabulary": candidates for src/medlit/data/vocab.toml.
    """
    import sys

    from medlit.cli.selection import open_catalog
    from medlit.cli.terminal import message
    from medlit.vocab import load

    vocab = load()
    facets = [facet] if facet else list(FACET_CHOICES)
    used: dict[str, dict[str, int]] = {f: {} for f in facets}
    catalog = open_catalog(db)
    if catalog.exists():
        for f in facets:
            used[f] = catalog.usage(f)
    else:
        message(f"medlit: no catalog at {catalog.path}; showing the vocabulary without counts")
    rows = []
    for f in facets:
        if f == "venue":
            seen = {}
            for v in vocab.venues.values():
                seen.setdefault(v.name, v)
            for name, v in sorted(seen.items()):
                aliases = sorted({a for a, x in _venue_aliases(vocab) if x.name == name} - {name})
                rows.append(
                    {
                        "facet": f,
                        "value": name,
                        "label": v.abbr,
                        "kind": v.kind,
                        "aliases": aliases,
                        "papers": used[f].get(name, 0),
                        "known": True,
                    }
                )
        else:
            for value in vocab.values(f):
                rows.append(
                    {
                        "facet": f,
                        "value": value,
                        "label": vocab.label(f, value),
                        "broader": vocab.broader.get(f, {}).get(value),
                        "aliases": vocab.aliases_of(f, value),
                        "papers": used[f].get(value, 0),
                        "known": True,
                    }
                )
        known = {r["value"] for r in rows if r["facet"] == f}
        for value, n in sorted(used[f].items()):
            if value not in known:
                rows.append(
                    {"facet": f, "value": value, "label": value, "aliases": [], "papers": n, "known": False}
                )
    _emit(rows, fmt or ("table" if sys.stdout.isatty() else "tsv"))


def _venue_aliases(vocab):
    return [(alias, venue) for alias, venue in vocab.venue_alias_list]


def _emit(rows: list[dict], fmt: str) -> None:
    import sys

    if fmt == "json":
        import json

        json.dump(rows, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return
    if fmt == "tsv":
        for r in rows:
            note = "" if r["known"] else "not in vocabulary"
            sys.stdout.write(
                "\t".join([r["facet"], r["value"], str(r["papers"]), ", ".join(r["aliases"]), note]) + "\n"
            )
        return
    from rich.table import Table

    from medlit.cli.terminal import out_console

    table = Table(header_style="bold")
    for column in ("facet", "value", "papers", "aliases"):
        table.add_column(column, justify="right" if column == "papers" else "left")
    for r in rows:
        value = r["value"] if r["known"] else f"{r['value']} [yellow](not in vocabulary)[/yellow]"
        table.add_row(r["facet"], value, str(r["papers"]), ", ".join(r["aliases"]))
    out_console().print(table)
