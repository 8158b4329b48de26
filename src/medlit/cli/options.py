"""Options shared by several commands, as decorator factories (the sqlite-utils way)."""

from __future__ import annotations

import click


def db_option(fn):
    return click.option(
        "--db",
        "db",
        type=click.Path(dir_okay=False),
        default=None,
        help="The catalog file; else MEDLIT_DB, the nearest catalog.db here or above, the "
        "config file's db, ./catalog.db (see: medlit where).",
    )(fn)


class FormatChoice(click.Choice):
    """The registry's writers for `kind` ("listing": search, "export": export): a built-in
    name is accepted without scanning installed plugins; help and errors list them all."""

    def __init__(self, kind: str):
        self.kind = kind
        self.case_sensitive = False

    @property
    def choices(self) -> tuple[str, ...]:  # click reads it for help, completion and errors
        from medlit.registry import registry

        return tuple(n for n, spec in registry().all().writers.items() if getattr(spec, self.kind))

    def convert(self, value, param, ctx):
        from medlit.registry import registry

        spec = registry().writers.get(str(value).lower())
        if spec is not None and getattr(spec, self.kind):
            return spec.name
        return super().convert(value, param, ctx)


def pager_option(fn):
    """`--no-pager`, and the command's stdout through a pager when it is long on a terminal."""
    import functools

    @functools.wraps(fn)
    def paged_command(*args, no_pager: bool = False, **kwargs):
        from medlit.cli.terminal import paged

        with paged(not no_pager):
            return fn(*args, **kwargs)

    return click.option(
        "--no-pager",
        "no_pager",
        is_flag=True,
        help="On a terminal, print long output straight out, not through $PAGER.",
    )(paged_command)


def format_option(kind: str = "listing", help_text="Output format; table on a terminal, tsv in a pipe."):
    def decorator(fn):
        choice = FormatChoice(kind)
        return click.option("--format", "-f", "fmt", type=choice, default=None, help=help_text)(fn)

    return decorator


def complete(facet: str):
    """Shell completion for a filter: the values the catalog holds (or the vocabulary knows)."""

    def values(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[str]:
        import sqlite3
        from pathlib import Path

        from medlit.catalog.locate import locate
        from medlit.errors import UserError

        try:
            db: Path | None = locate(ctx.params.get("db")).path
        except UserError:  # a broken config file: complete from the vocabulary
            db = None
        found: list[str] = []
        if db is not None and db.is_file():
            sql = {
                "venue": "SELECT DISTINCT COALESCE(venue_abbr, venue) FROM papers WHERE venue IS NOT NULL",
                "dataset": "SELECT name FROM datasets",
            }.get(facet, "SELECT DISTINCT value FROM facets WHERE facet = ?")
            try:
                conn = sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True)
                found = [r[0] for r in conn.execute(sql, () if facet in ("venue", "dataset") else (facet,))]
            except sqlite3.Error:
                found = []
        if not found and facet not in ("venue", "dataset"):
            from medlit.vocab import load

            found = load().values(facet)
        low = incomplete.casefold()
        return sorted(v for v in found if v and v.casefold().startswith(low))

    return values


FACET_FILTERS = [  # (name, short flag, examples)
    ("modality", "-m", "CT, MRI, US, 超声, ... (repeat to OR)."),
    ("organ", None, "lung, brain, 肺, 肝, ..."),
    ("technique", "-t", "CNN, U-Net, GAN, ..."),
    ("task", None, "segmentation, detection, 分类, ..."),
    ("venue", None, "TMI, MICCAI, 'Medical Image Analysis', ..."),
    ("dataset", None, "LIDC-IDRI, ADNI, ..."),
]


def filter_options(fn):
    """The search filters, shared by search, export and stats."""
    options = [
        click.option(
            f"--{name}",
            *([short] if short else []),
            multiple=True,
            shell_complete=complete(name),
            help=examples,
        )
        for name, short, examples in FACET_FILTERS
    ]
    options += [
        click.option("--author", multiple=True, help="Any author's name, any case or accents."),
        click.option("--tag", multiple=True, help="Your own tags (medlit tag KEY TAG)."),
        click.option("--year", "years", default=None, help="2016, 2015-2017, 2016- or -2016."),
        click.option(
            "--curated", is_flag=True, help="Use only facets the lists give, not those inferred from titles."
        ),
    ]
    for option in reversed(options):
        fn = option(fn)
    return fn
