"""ML601: an entry out of order where its section is sorted by year (newest or oldest first).

A section counts as sorted when it has at least MIN_ENTRIES entries with years and at least
SORTED of its neighbouring pairs go one way; the entries that break that order are named."""

from __future__ import annotations

from itertools import groupby, pairwise

from medlit.lint import Finding
from medlit.readers.sanity import clip

MIN_ENTRIES = 4
SORTED = 0.8


def check(doc):
    from medlit.importing.rows import record_year

    dated = [(e, record_year(e.record)) for e in doc.entries]
    for _section, group in groupby(
        dated, key=lambda x: (x[0].record.source.section, tuple(x[0].record.headings))
    ):
        run = [(e, y) for e, y in group if y]
        if len(run) < MIN_ENTRIES:
            continue
        pairs = list(pairwise(run))
        up = sum(b[1] > a[1] for a, b in pairs)
        down = sum(b[1] < a[1] for a, b in pairs)
        moving = up + down
        if not moving:
            continue
        newest_first = down >= up
        if max(up, down) / moving < SORTED or min(up, down) == 0:
            continue
        for (entry_a, year_a), (entry, year) in pairs:
            if (year > year_a) if newest_first else (year < year_a):
                way = "newest first" if newest_first else "oldest first"
                yield Finding(
                    doc.name,
                    entry.line,
                    "ML601",
                    f"{year} after {year_a} (line {entry_a.line}) in a section sorted by year, {way}: "
                    f"{clip(entry.record.title, 40)!r}",
                )
