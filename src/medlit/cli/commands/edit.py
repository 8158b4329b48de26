"""`medlit edit KEY --set F=V --add FACET=V --remove FACET=V`: corrections that survive re-import."""

from __future__ import annotations

import click

from medlit.cli.options import db_option


def _pairs(values: tuple[str, ...], option: str) -> list[tuple[str, str]]:
    pairs = []
    for value in values:
        name, sep, text = value.partition("=")
        if not sep or not name.strip():
            raise click.BadParameter(f"{value!r} is not NAME=VALUE", param_hint=option)
        pairs.append((name.strip().lower(), text))
    return pairs


@click.command("edit")
@click.argument("key")
@click.option("--set", "sets", multiple=True, metavar="FIELD=VALUE", help="Set a field (authors: A and B).")
@click.option("--add", "adds", multiple=True, metavar="FACET=VALUE", help="Add a facet value (organ=liver).")
@click.option("--remove", "removes", multiple=True, metavar="FACET=VALUE", help="Remove a facet value.")
@db_option
def command(
    key: str, sets: tuple[str, ...], adds: tuple[str, ...], removes: tuple[str, ...], db: str
) -> None:
    """Correct the paper KEY; the correction is kept apart and re-applied after every import.

    \b
    Fields: title, authors, year, venue, kind, volume, number, pages, publisher, url, doi,
    arxiv, abstract. Facets: modality, organ, technique, task.
      medlit edit ronneberger2015unet --set venue=MICCAI --set pages=234-241
      medlit edit tajbakhsh2016convolutional --add organ=liver --remove organ=heart
    """
    from medlit import paper_fields
    from medlit.cli.selection import open_catalog
    from medlit.cli.terminal import message
    from medlit.errors import UserError

    if not (sets or adds or removes):
        raise click.UsageError("nothing to change: give --set, --add or --remove")
    set_values = dict(_pairs(sets, "--set"))
    try:
        for name, text in set_values.items():
            paper_fields.parse(name, text)
    except UserError as exc:
        raise click.BadParameter(str(exc), param_hint="--set") from None
    grouped: dict[str, dict[str, list[str]]] = {"add": {}, "remove": {}}
    for kind, values in (("add", adds), ("remove", removes)):
        for facet, value in _pairs(values, f"--{kind}"):
            grouped[kind].setdefault(facet, []).append(value)
    open_catalog(db).edit(key, set=set_values, add=grouped["add"], remove=grouped["remove"])
    message(f"{key}: edited (kept across imports; medlit show {key} lists the edits)")
