"""Writers: papers -> text in one format each. `write` picks the writer by format name."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:  # the terminal imports writers.escape at start-up: no dataclasses for that
    from medlit.model import Paper

WRITERS = {
    "json": "medlit.writers.jsonfmt",
    "csv": "medlit.writers.csvfmt",
    "tsv": "medlit.writers.plain",
    "keys": "medlit.writers.plain",
    "table": "medlit.writers.table",
    "bibtex": "medlit.writers.bibtex",
    "markdown": "medlit.writers.markdown",
    "csl-json": "medlit.writers.csljson",
    "ris": "medlit.writers.ris",
}


def write(
    fmt: str, papers: Iterable[Paper], out: TextIO, scores: dict[str, float] | None = None, **options
) -> None:
    """Write papers in `fmt`; `scores` (key -> 0-100) are added where the format can show them.

    Every format but `table` writes `papers` as it iterates them, so export can stream."""
    import importlib

    module = importlib.import_module(WRITERS[fmt])
    module.write(papers, out, scores=scores, fmt=fmt, **options)
