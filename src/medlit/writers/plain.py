"""Plain text for pipes: `keys` (one key a line) and `tsv` (a header line, then key, year,
venue, title, score: the same columns with or without a query, score empty without one)."""

from __future__ import annotations

TSV_COLUMNS = ("key", "year", "venue", "title", "score")


def _cell(text) -> str:
    return str(text or "").replace("\t", " ").replace("\n", " ").replace("\r", " ")


def write(papers, out, scores=None, fmt="tsv", **_options) -> None:
    if fmt == "keys":
        out.write("".join([f"{p.key}\n" for p in papers]))  # one write: a search may list 150k
        return
    out.write("\t".join(TSV_COLUMNS) + "\n")
    for p in papers:
        score = f"{scores.get(p.key, 0.0):.0f}" if scores is not None else ""
        cells = (p.key, p.year or "", p.venue_abbr or p.venue or "", p.title, score)
        out.write("\t".join(_cell(c) for c in cells) + "\n")
