"""The JSON view of a paper: what `export json`, `search --format json` and scripts share."""

from __future__ import annotations

from medlit.model import Paper

PLURAL = {"modality": "modalities", "organ": "organs", "technique": "techniques", "task": "tasks"}


def paper_json(paper: Paper, detail: bool = True) -> dict:
    """The stable fields first; `facets` keeps curated/inferred/disputed apart."""
    out: dict = {
        "key": paper.key,
        "title": paper.title,
        "authors": paper.authors,
        "year": paper.year,
        "venue": paper.venue,
        "venue_kind": paper.venue_kind,
    }
    for facet, plural in PLURAL.items():
        out[plural] = paper.values(facet)
    out.update(
        {
            "datasets": paper.datasets,
            "url": paper.url,
            "doi": paper.doi,
            "arxiv": paper.arxiv,
            "volume": paper.volume,
            "number": paper.number,
            "pages": paper.pages,
            "publisher": paper.publisher,
            "abstract": paper.abstract,
            "note": paper.note,
            "tags": paper.tags,
            "user_note": paper.user_note,
            "sources": [{"file": s.file, "line": s.line, "section": s.section} for s in paper.sources],
        }
    )
    if detail:
        out["facets"] = {
            facet: [{"value": f.value, "curated": f.curated, "disputed": f.disputed} for f in values]
            for facet, values in paper.facets.items()
            if values
        }
        out["links"] = [{"label": lk.label, "url": lk.url} for lk in paper.links]
    return out
