"""What a service says of one work, in the fields of a Paper (authors as `Family, Given`)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

FILLED = ("authors", "year", "venue", "volume", "number", "pages", "publisher", "doi", "arxiv", "abstract")


@dataclass
class Metadata:
    source: str  # crossref, arxiv, openalex
    id: str  # the identifier it was fetched by (DOI, arXiv id, OpenAlex id)
    title: str | None = None
    authors: list[str] = field(default_factory=list)
    year: int | None = None
    venue: str | None = None
    kind: str | None = None
    volume: str | None = None
    number: str | None = None
    pages: str | None = None
    publisher: str | None = None
    doi: str | None = None
    arxiv: str | None = None
    abstract: str | None = None
    url: str | None = None
    language: str | None = None

    def values(self) -> dict[str, object]:
        """The fields enrichment may fill, those the service gave."""
        data = asdict(self)
        return {name: data[name] for name in FILLED if data[name] not in (None, "", [])}


def family(author: str) -> str:
    """The family name of `Family, Given` or `Given Family`."""
    if "," in author:
        return author.split(",", 1)[0].strip()
    parts = author.split()
    return parts[-1] if parts else ""


def clean_text(text: str | None) -> str | None:
    """One line, markup (JATS `<jats:p>`, HTML) removed: abstracts and titles as plain text."""
    if not text:
        return None
    import html
    import re

    text = re.sub(r"<[^>]{0,200}>", " ", text)
    text = " ".join(html.unescape(text).split())
    return text or None
