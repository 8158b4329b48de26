"""CSL-JSON for pandoc and Zotero: one item a paper, `id` = the citation key."""

from __future__ import annotations

import re

from medlit.readers.authors import OTHERS

TYPES = {"journal": "article-journal", "conference": "paper-conference", "thesis": "thesis",
         "book": "book", "preprint": "article", "web": "webpage"}  # fmt: skip


def name(author: str) -> dict:
    if "," in author:
        family, given = (part.strip() for part in author.split(",", 1))
        return {"family": family, "given": given} if given else {"family": family}
    return {"literal": author}


def nocase_title(title: str) -> str:
    """The title with the words BibTeX would brace (`3D`, `18F-FDG`, `CT`, `DeepLung`) marked
    `<span class="nocase">`, so that pandoc and citeproc-js keep their case in sentence case."""
    from medlit.writers.bibtex import _EDGES, _needs_braces

    words = re.split(r"(\s+)", title)
    for i in range(0, len(words), 2):
        lead, core, tail = _EDGES.match(words[i]).groups()
        if core and _needs_braces(core):
            words[i] = f'{lead}<span class="nocase">{core}</span>{tail}'
    return "".join(words)


def item(paper) -> dict:
    out: dict = {
        "id": paper.key,
        "type": TYPES.get(paper.venue_kind or "", "document"),
        "title": nocase_title(paper.title),
    }
    # `et al.` stays, as pandoc's own BibTeX reader gives it: citeproc renders a last
    # literal name "others" as et al.
    authors = [{"literal": "others"} if a == OTHERS else name(a) for a in paper.authors]
    if authors:
        out["author"] = authors
    if paper.year:
        out["issued"] = {"date-parts": [[paper.year]]}
    if paper.venue_kind == "thesis":
        out["publisher"] = paper.venue
        out["genre"] = "Master's thesis" if "master" in (paper.note or "") else "PhD thesis"
    elif paper.venue_kind == "book":
        if paper.publisher or paper.venue:
            out["publisher"] = paper.publisher or paper.venue
    elif paper.venue_kind == "preprint" and paper.arxiv:
        out["publisher"] = "arXiv"
        out["number"] = f"arXiv:{paper.arxiv}"
    elif paper.venue:
        out["container-title"] = paper.venue
    for source, target in (
        ("volume", "volume"),
        ("number", "issue"),
        ("doi", "DOI"),
        ("url", "URL"),
        ("abstract", "abstract"),
    ):
        if getattr(paper, source):
            out[target] = getattr(paper, source)
    if paper.pages:
        out["page"] = re.sub(r"-+", "-", paper.pages)
    keywords = [v for f in ("modality", "organ", "technique", "task") for v in paper.values(f)]
    keywords += paper.tags
    if keywords:
        out["keyword"] = ", ".join(dict.fromkeys(keywords))
    if paper.user_note:
        out["note"] = paper.user_note
    return out


def write(papers, out, **_options) -> None:
    from medlit.writers.jsonfmt import write_array

    write_array((item(p) for p in papers), out)
