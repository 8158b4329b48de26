"""Crossref's REST API: works by DOI (many in one `filter=doi:...` request) and by title.

Answers are JSON envelopes `{"status": "ok", "message-type": "work-list", "message":
{"items": [...]}}`; a DOI Crossref does not know is missing from the items (and a 404 from
`/works/DOI`).
"""

from __future__ import annotations

import json

from medlit.enrich.http import Client, NotFound
from medlit.enrich.metadata import Metadata, clean_text

SOURCE = "crossref"
BATCH = 100  # DOIs in one request: well under the 8 KiB a URL may take
KINDS = {"journal-article": "journal", "proceedings-article": "conference", "book": "book",
         "book-chapter": "book", "monograph": "book", "dissertation": "thesis",
         "posted-content": "preprint"}  # fmt: skip


def fetch(client: Client, dois: list[str]) -> dict[str, str | None]:
    """DOI -> the raw JSON of its work (None: Crossref has no such DOI), one request a batch
    (`/works/DOI` for a batch of one, which answers 404 for a DOI it does not have)."""
    found: dict[str, str | None] = dict.fromkeys(dois)
    if len(dois) == 1:
        from urllib.parse import quote

        try:
            work = _envelope(client.get(SOURCE, f"/works/{quote(dois[0], safe='/')}"))
        except NotFound:
            return found
        found[dois[0]] = json.dumps(work, ensure_ascii=False)
        return found
    params = {"filter": ",".join(f"doi:{d}" for d in dois), "rows": str(len(dois))}
    envelope = _envelope(client.get(SOURCE, "/works", params))
    for item in envelope.get("items", []):
        doi = (item.get("DOI") or "").lower()
        if doi in found:
            found[doi] = json.dumps(item, ensure_ascii=False)
    return found


def search(client: Client, title: str, rows: int = 5) -> str:
    """The raw answer of a bibliographic search for `title`."""
    return client.get(SOURCE, "/works", {"query.bibliographic": title, "rows": str(rows)})


def candidates(raw: str) -> list[Metadata]:
    return [parse(json.dumps(item)) for item in _envelope(raw).get("items", [])]


def _envelope(text: str) -> dict:
    from medlit.enrich.http import SourceError

    try:
        data = json.loads(text)
        message = data["message"]
        if data.get("status") != "ok" or not isinstance(message, dict):
            raise ValueError(data.get("status"))
    except (ValueError, KeyError, TypeError) as exc:
        raise SourceError(SOURCE, f"an answer that is not Crossref's JSON ({exc})") from None
    return message


def parse(raw: str) -> Metadata:
    item = json.loads(raw)
    doi = (item.get("DOI") or "").lower() or None
    authors = []
    for person in item.get("author") or []:
        if person.get("family"):
            given = person.get("given")
            authors.append(f"{person['family']}, {given}" if given else person["family"])
        elif person.get("name"):
            authors.append(person["name"])
    year = None
    for date in ("published-print", "published-online", "published", "issued"):
        parts = (item.get(date) or {}).get("date-parts") or [[None]]
        if parts and parts[0] and parts[0][0]:
            year = int(parts[0][0])
            break
    titles = item.get("title") or []
    # a proceedings paper lists its series beside its book: the book names the venue
    venues = [v for v in item.get("container-title") or [] if not v.lower().startswith("lecture notes in")]
    venues = venues or item.get("container-title") or []
    return Metadata(
        source=SOURCE,
        id=doi or "",
        title=clean_text(titles[0]) if titles else None,
        authors=authors,
        year=year,
        venue=clean_text(venues[0]) if venues else None,
        kind=KINDS.get(item.get("type") or ""),
        volume=item.get("volume"),
        number=item.get("issue"),
        pages=(item.get("page") or None),
        publisher=item.get("publisher"),
        doi=doi,
        abstract=clean_text(item.get("abstract")),
        url=item.get("URL"),
        language=item.get("language"),
    )
