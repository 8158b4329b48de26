"""What a listing of papers is made of: the facet names, what a search filters by, and a
listed paper. Imports nothing, so that a search need not build the model's dataclasses
(model.py takes 10 ms to import, most of it making dataclasses)."""

from __future__ import annotations

from typing import NamedTuple

FACETS = ("modality", "organ", "technique", "task")
# what a search can filter by: the facets, three fields every paper has, and the user's tags
FILTERS = (*FACETS, "venue", "dataset", "author", "tag")


class Listed(NamedTuple):
    """A paper as a listing shows it (`keys`, `tsv`): a search of a large catalog can list
    a hundred thousand, and a tuple is made ten times faster than a Paper."""

    id: int
    key: str | None
    title: str
    year: int | None
    venue: str | None
    venue_abbr: str | None
