"""CSV for spreadsheets: one row a paper, list fields joined with `; `.

A cell that a spreadsheet would take for a formula (starting with `=`, `+`, `-`, `@`, a tab
or a carriage return) is written with a leading `'` (see writers/escape.csv_cell)."""

from __future__ import annotations

import csv

from medlit.views import PLURAL
from medlit.writers.escape import csv_cell

COLUMNS = [
    "key",
    "year",
    "title",
    "authors",
    "venue",
    "venue_kind",
    *PLURAL.values(),
    "datasets",
    "volume",
    "number",
    "pages",
    "doi",
    "arxiv",
    "url",
    "score",  # always there, empty without a query: a script reads the same columns either way
]


def write(papers, out, scores=None, **_options) -> None:
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for p in papers:
        row = [p.key, p.year or "", p.title, "; ".join(p.authors), p.venue or "", p.venue_kind or ""]
        row += ["; ".join(p.values(facet)) for facet in PLURAL]
        row += [
            "; ".join(p.datasets),
            p.volume or "",
            p.number or "",
            p.pages or "",
            p.doi or "",
            p.arxiv or "",
            p.url or "",
        ]
        row.append(f"{scores.get(p.key, 0.0):.1f}" if scores is not None else "")
        writer.writerow([csv_cell(cell) for cell in row])
