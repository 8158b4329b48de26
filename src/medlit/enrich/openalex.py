"""OpenAlex: works by title search, and by DOI (many in one `filter=doi:a|b`).

Answers are `{"meta": {"count": ...}, "results": [work, ...]}`; a work's DOI is a
`https://doi.org/...` URL and its abstract an inverted index of words to positions.
"""

from __future__ import annotations

import json

from medlit.enrich.http import Client, SourceError
from medlit.enrich.metadata import Metadata, clean_text

SOURCE = "openalex"
BATCH = 50
KINDS = {"article": "journal", "book": "book", "book-chapter": "book", "dissertation": "thesis",
         "preprint": "preprint"}  # fmt: skip


def search(client: Client, title: str, rows: int = 5) -> str:
    """The raw answer of a title search (titles only: no abstracts or full text)."""
    cleaned = title.replace(",", " ").replace(":", " ")  # a comma would end the filter
    return client.get(SOURCE, "/works", {"filter": f"title.search:{cleaned}", "per-page": str(rows)})


def fetch(client: Client, dois: list[str]) -> dict[str, str | None]:
    params = {"filter": "doi:" + "|".join(dois), "per-page": str(len(dois))}
    found: dict[str, str | None] = dict.fromkeys(dois)
    for work in _results(client.get(SOURCE, "/works", params)):
        doi = _doi(work)
        if doi in found:
            found[doi] = json.dumps(work, ensure_ascii=False)
    return found


def candidates(raw: str) -> list[Metadata]:
    return [parse(json.dumps(work)) for work in _results(raw)]


def _results(text: str) -> list[dict]:
    try:
        data = json.loads(text)
        results = data["results"]
        if not isinstance(results, list):
            raise TypeError("results is not a list")
    except (ValueError, KeyError, TypeError) as exc:
        raise SourceError(SOURCE, f"an answer that is not OpenAlex's JSON ({exc})") from None
    return results


def _doi(work: dict) -> str | None:
    doi = work.get("doi") or (work.get("ids") or {}).get("doi")
    if not doi:
        return None
    return doi.lower().removeprefix("https://doi.org/").removeprefix("http://doi.org/")


def _abstract(index: dict | None) -> str | None:
    if not index:
        return None
    places = sorted((at, word) for word, ats in index.items() for at in ats)
    return clean_text(" ".join(word for _, word in places))


def parse(raw: str) -> Metadata:
    work = json.loads(raw)
    authors = []
    for authorship in work.get("authorships") or []:
        name = (authorship.get("author") or {}).get("display_name") or authorship.get("raw_author_name")
        if name:
            given, _, fam = " ".join(name.split()).rpartition(" ")
            authors.append(f"{fam}, {given}" if given else fam)
    location = work.get("primary_location") or {}
    source = location.get("source") or {}
    # a book series (Lecture Notes in Computer Science) is not where a paper appeared
    venue = source.get("display_name") if source.get("type") != "book series" else None
    biblio = work.get("biblio") or {}
    first, last = biblio.get("first_page"), biblio.get("last_page")
    pages = f"{first}-{last}" if first and last and first != last else first
    doi = _doi(work)
    return Metadata(
        source=SOURCE,
        id=(work.get("id") or "").rsplit("/", 1)[-1],
        title=clean_text(work.get("title") or work.get("display_name")),
        authors=authors,
        year=work.get("publication_year"),
        venue=clean_text(venue),
        kind=KINDS.get(work.get("type") or ""),
        volume=biblio.get("volume"),
        number=biblio.get("issue"),
        pages=pages,
        doi=doi,
        abstract=_abstract(work.get("abstract_inverted_index")),
        language=work.get("language"),
    )
