"""RIS for EndNote, Zotero and Mendeley: tagged lines, one record a paper, ending in `ER`."""

from __future__ import annotations

from medlit.readers.authors import OTHERS

TYPES = {"journal": "JOUR", "conference": "CONF", "thesis": "THES", "book": "BOOK",
         "preprint": "UNPB", "web": "ELEC"}  # fmt: skip


def _line(tag: str, value) -> str:
    text = " ".join(str(value).split())  # one physical line per tag
    return f"{tag}  - {text}\n"


def record(paper) -> str:
    kind = paper.venue_kind or ""
    lines = [_line("TY", TYPES.get(kind, "GEN")), _line("ID", paper.key), _line("TI", paper.title)]
    lines += [_line("AU", "et al." if a == OTHERS else a) for a in paper.authors]
    if paper.year:
        lines.append(_line("PY", paper.year))
    if paper.venue:
        if kind == "journal":
            lines.append(_line("JO", paper.venue))
        elif kind in ("thesis", "book"):
            lines.append(_line("PB", paper.publisher or paper.venue))
        else:
            lines.append(_line("T2", paper.venue))
    if paper.volume:
        lines.append(_line("VL", paper.volume))
    if paper.number:
        lines.append(_line("IS", paper.number))
    if paper.pages:
        start, _, end = paper.pages.partition("-")
        lines.append(_line("SP", start))
        if end:
            lines.append(_line("EP", end.lstrip("-")))
    if paper.doi:
        lines.append(_line("DO", paper.doi))
    if paper.url:
        lines.append(_line("UR", paper.url))
    if paper.abstract:
        lines.append(_line("AB", paper.abstract))
    for facet in ("modality", "organ", "technique", "task"):
        lines += [_line("KW", v) for v in paper.values(facet)]
    lines += [_line("KW", tag) for tag in paper.tags]
    for note in (paper.note, paper.user_note):
        if note:
            lines.append(_line("N1", note))
    lines.append("ER  - \n")
    return "".join(lines)


def write(papers, out, **_options) -> None:
    for i, paper in enumerate(papers):
        if i:
            out.write("\n")
        out.write(record(paper))
