"""Plain text for pipes: `keys` (one key a line) and `tsv` (key, year, venue, title)."""

from __future__ import annotations


def _cell(text) -> str:
    return str(text or "").replace("\t", " ").replace("\n", " ")


def write(papers, out, scores=None, fmt="tsv", **_options) -> None:
    if fmt == "keys":
        out.write("".join([f"{p.key}\n" for p in papers]))  # one write: a search may list 150k
        return
    for p in papers:
        cells = [p.key, p.year or "", p.venue_abbr or p.venue or "", p.title]
        if scores is not None:
            cells.insert(1, f"{scores.get(p.key, 0.0):.0f}")
        out.write("\t".join(_cell(c) for c in cells) + "\n")
