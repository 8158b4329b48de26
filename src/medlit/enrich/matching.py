"""Whether a service's work is the paper: strict enough that a title search never applies
another paper's metadata (normalised titles 95% alike, years within one, same first author)."""

from __future__ import annotations

from medlit.enrich.metadata import Metadata, family

STRICT = 95  # normalised title similarity a title search must reach to be applied
CANDIDATE = 50  # a weaker match is listed for the user to judge
SAME_DOI = 80  # a DOI's work whose title is further from the paper's names another paper


def title_similarity(a: str | None, b: str | None) -> float:
    from rapidfuzz.fuzz import ratio

    from medlit.normalise import title_key

    if not a or not b:
        return 0.0
    return ratio(title_key(a), title_key(b))


def same_first_author(paper_authors: list[str], found: list[str]) -> bool | None:
    """True/False when both name a first author; None when either is unknown."""
    from medlit.search.query import fold

    mine = [a for a in paper_authors if a and a.lower() not in ("others", "et al.", "et al")]
    if not mine or not found:
        return None
    return fold(family(mine[0])).replace(" ", "") == fold(family(found[0])).replace(" ", "")


def judge(paper, found: Metadata) -> tuple[bool, str]:
    """(strict match, why not): the rule for a work found by title alone."""
    score = title_similarity(paper.title, found.title)
    if score < STRICT:
        return False, f"title {score:.0f}% alike"
    if paper.year and found.year and abs(paper.year - found.year) > 1:
        return False, f"year {found.year} against {paper.year}"
    if same_first_author(paper.authors, found.authors) is False:
        return False, f"first author {family(found.authors[0])}"
    return True, ""


def names_the_paper(paper, found: Metadata) -> bool:
    """A work fetched by the paper's own identifier is it, unless its title is another's."""
    from medlit.enrich.ids import is_chinese

    if is_chinese(paper):
        return True  # its DOI is the only evidence there is: Crossref has its English title
    return not found.title or title_similarity(paper.title, found.title) >= SAME_DOI
