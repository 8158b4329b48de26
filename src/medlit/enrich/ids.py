"""The identifiers a paper carries, in its own fields or hidden in its links."""

from __future__ import annotations

import re

from medlit.readers.inline import arxiv_from, doi_from

_OLD_ARXIV = re.compile(r"^[a-z-]+(?:\.[A-Z]{2})?/\d{7}$")
_NEW_ARXIV = re.compile(r"^\d{4}\.\d{4,5}$")
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def clean_doi(text: str | None) -> str | None:
    """`https://doi.org/10.1/X`, `doi:10.1/x` -> `10.1/x` (DOIs compare without case)."""
    return doi_from(text) if text else None


def clean_arxiv(text: str | None) -> str | None:
    """`arXiv:1505.04597v2`, an arxiv.org link or a bare id -> `1505.04597`; old ids kept."""
    if not text:
        return None
    text = text.strip()
    bare = re.sub(r"^arxiv\s*:\s*", "", text, flags=re.IGNORECASE)
    bare = re.sub(r"v\d+$", "", bare)
    if _NEW_ARXIV.match(bare) or _OLD_ARXIV.match(bare):
        return bare
    return arxiv_from(text)


def of_paper(paper) -> tuple[str | None, str | None]:
    """(DOI, arXiv id): the paper's own, else the first its url or links reveal."""
    doi = clean_doi(paper.doi) if paper.doi else None
    arxiv = clean_arxiv(paper.arxiv) if paper.arxiv else None
    for url in [paper.url, *(link.url for link in paper.links)]:
        if not url:
            continue
        doi = doi or clean_doi(url)
        arxiv = arxiv or arxiv_from(url)
    return doi, arxiv


def is_chinese(paper) -> bool:
    """A Chinese-language paper: its title is written in Chinese (matched by DOI only)."""
    return bool(_CJK.search(paper.title or ""))
