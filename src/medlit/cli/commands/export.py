"""`medlit export FORMAT`: the catalog (or a filtered part) as citations or tables."""

from __future__ import annotations

import click

from medlit.cli.options import db_option, filter_options

EXPORT_FORMATS = ("bibtex", "csl-json", "ris", "json", "csv", "markdown")


@click.command("export")
@click.argument("fmt", metavar="FORMAT", type=click.Choice(EXPORT_FORMATS, case_sensitive=False))
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
    "--strict", is_flag=True, help="Exit 1, writing nothing, when a wanted key is not in the catalog."
)
@click.option(
    "--lang",
    type=click.Choice(["zh", "en"]),
    default="en",
    show_default=True,
    help="Headers and organ names for markdown.",
)
@db_option
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
    from medlit import catalog
    from medlit.cli.selection import open_for_reading, resolve_filters
    from medlit.cli.terminal import message

    conn = open_for_reading(db)
    filters = resolve_filters(conn, params)
    wanted = _wanted_keys(key_list, aux)
    missing: list[str] = []
    if wanted is not None:
        present = _present(conn, wanted)
        missing = [k for k in wanted if k not in present]
        filters.keys = [k for k in wanted if k in present]
    if missing and strict:
        # before anything is written: a failed run leaves the -o file as it was
        for key in missing:
            message(f"medlit: key {key!r} is not in the catalog")
        message(f"medlit: --strict: {len(missing)} wanted key{'s' if len(missing) > 1 else ''} missing; nothing written")
        raise SystemExit(1)
    ids = _in_order(conn, filters, wanted, fmt)
    tally = _Tally()
    papers = tally.watch(catalog.iter_papers(conn, ids, with_sources=fmt == "json"))
    _emit(fmt, papers, output, lang)
    if fmt == "bibtex" and tally.anonymous:
        message(
            f"medlit: {tally.anonymous} of {tally.count} entries have no author in the sources "
            f"(e.g. {tally.first_anonymous}); BibTeX styles will warn about them"
        )
    for key in missing:
        message(f"medlit: key {key!r} is not in the catalog")


def _wanted_keys(key_list: str | None, aux: str | None) -> list[str] | None:
    if key_list is None and aux is None:
        return None
    keys: list[str] = []
    if key_list:
        keys += [k.strip() for k in key_list.split(",") if k.strip()]
    if aux:
        from medlit.aux import cited_keys

        keys += cited_keys(aux)
    return list(dict.fromkeys(keys))


def _present(conn, keys: list[str]) -> set[str]:
    """Which of `keys` the catalog has, asked in chunks: not a set of every key it has."""
    found: set[str] = set()
    for i in range(0, len(keys), 900):
        chunk = keys[i : i + 900]
        sql = f"SELECT key FROM papers WHERE key IN ({','.join('?' * len(chunk))})"
        found.update(r[0] for r in conn.execute(sql, chunk))
    return found


def _in_order(conn, filters, wanted: list[str] | None, fmt: str) -> list[int]:
    """The ids of the papers to write, in the order they are written: as given (--keys,
    --aux), by key, or for markdown as selected (its writer sorts by year). Ordering ids,
    not papers, lets the papers be loaded a batch at a time."""
    from medlit import catalog
    from medlit.search import query

    def by_key():
        # the key index's order: SQLite's binary collation orders UTF-8 as Python orders str
        return (r[0] for r in conn.execute("SELECT id FROM papers ORDER BY key"))

    if filters.is_empty() and fmt != "markdown":
        return list(by_key())  # every paper: no id list to select and filter
    ids = query.select_ids(conn, filters)
    if fmt == "markdown":
        return ids
    if wanted:
        order = {k: i for i, k in enumerate(wanted)}
        rows = catalog.rows_by_id(conn, "SELECT id, key FROM papers WHERE 1", ids, keep_order=False)
        return [r[0] for r in sorted(rows, key=lambda r: order[r[1]])]
    chosen = set(ids)
    return [pid for pid in by_key() if pid in chosen]


class _Tally:
    """Counts the papers (and those without authors) as they stream past the writer."""

    def __init__(self) -> None:
        self.count = 0
        self.anonymous = 0
        self.first_anonymous: str | None = None

    def watch(self, papers):
        for paper in papers:
            self.count += 1
            if not paper.authors:
                self.anonymous += 1
                if self.first_anonymous is None:
                    self.first_anonymous = paper.key
            yield paper


def _emit(fmt: str, papers, output: str | None, lang: str) -> None:
    import sys

    from medlit.writers import write

    if output is None:
        write(fmt, papers, sys.stdout, lang=lang)
        return
    from medlit.files import replace_atomically

    with replace_atomically(output) as out:
        write(fmt, papers, out, lang=lang)
