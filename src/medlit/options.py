"""Options shared by several commands, as decorator factories (the sqlite-utils way)."""

from __future__ import annotations

import click

FORMATS = ("table", "tsv", "json", "csv", "keys", "bibtex", "markdown")


def db_option(fn):
    return click.option(
        "--db",
        "db",
        type=click.Path(dir_okay=False),
        envvar="MEDLIT_DB",
        default="catalog.db",
        show_default=True,
        help="The catalog file (or set MEDLIT_DB).",
    )(fn)


def format_option(choices=FORMATS, help_text="Output format; table on a terminal, tsv in a pipe."):
    def decorator(fn):
        return click.option(
            "--format",
            "-f",
            "fmt",
            type=click.Choice(choices, case_sensitive=False),
            default=None,
            help=help_text,
        )(fn)

    return decorator


def filter_options(fn):
    """The search filters, shared by search, export, stats and datasets."""
    options = [
        click.option("--modality", "-m", multiple=True, help="CT, MRI, US, 超声, ... (repeat to OR)."),
        click.option("--organ", multiple=True, help="lung, brain, 肺, 肝, ..."),
        click.option("--technique", "-t", multiple=True, help="CNN, U-Net, GAN, ..."),
        click.option("--task", multiple=True, help="segmentation, detection, 分类, ..."),
        click.option("--venue", multiple=True, help="TMI, MICCAI, 'Medical Image Analysis', ..."),
        click.option("--dataset", multiple=True, help="LIDC-IDRI, ADNI, ..."),
        click.option("--author", multiple=True, help="Any author's name, any case or accents."),
        click.option("--year", "years", default=None, help="2016, 2015-2017, 2016- or -2016."),
        click.option(
            "--curated", is_flag=True, help="Use only facets given by the lists, not inferred from titles."
        ),
    ]
    for option in reversed(options):
        fn = option(fn)
    return fn


FILTER_NAMES = ("modality", "organ", "technique", "task", "venue", "dataset", "author")
