"""The arXiv API: many ids in one `id_list` request, answered as an Atom feed.

An id arXiv does not have is silently missing from the feed; a malformed one gives an
entry titled "Error" whose id is under http://arxiv.org/api/errors.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from medlit.enrich.http import Client, SourceError
from medlit.enrich.metadata import Metadata, clean_text

SOURCE = "arxiv"
BATCH = 200  # ids in one request (arXiv answers up to 2000 results a page)
NS = {"a": "http://www.w3.org/2005/Atom", "arxiv": "http://arxiv.org/schemas/atom"}
ERROR = "error"  # what the cache keeps for an id arXiv calls malformed
_ABS = re.compile(r"arxiv\.org/abs/(.+?)(?:v\d+)?$")


def fetch(client: Client, ids: list[str]) -> dict[str, str | None]:
    """id -> the raw XML of its entry; None when the feed lacks it; ERROR when arXiv refuses it."""
    params = {"id_list": ",".join(ids), "max_results": str(len(ids)), "start": "0"}
    text = client.get(SOURCE, "/query", params)
    try:
        feed = ET.fromstring(text)
    except ET.ParseError as exc:
        raise SourceError(SOURCE, f"an answer that is not an Atom feed ({exc})") from None
    if feed.tag != f"{{{NS['a']}}}feed":
        raise SourceError(SOURCE, "an answer that is not an Atom feed")
    found: dict[str, str | None] = dict.fromkeys(ids)
    for entry in feed.findall("a:entry", NS):
        entry_id = (entry.findtext("a:id", "", NS) or "").strip()
        if "/api/errors" in entry_id:
            summary = entry.findtext("a:summary", "", NS) or ""
            for bad in ids:
                if bad in summary or bad in entry_id:
                    found[bad] = ERROR
            continue
        m = _ABS.search(entry_id)
        if m and m.group(1) in found:
            found[m.group(1)] = ET.tostring(entry, encoding="unicode")
    refused = [i for i, body in found.items() if body == ERROR]
    if refused:
        # arXiv answers a list holding a malformed id with the Error entry alone: the
        # others are asked again without it
        rest = [i for i in ids if i not in refused]
        if rest:
            found.update(fetch(client, rest))
    return found


def parse(raw: str, arxiv_id: str) -> Metadata:
    entry = ET.fromstring(raw)
    authors = []
    for author in entry.findall("a:author", NS):
        name = " ".join((author.findtext("a:name", "", NS) or "").split())
        if name:
            given, _, fam = name.rpartition(" ")
            authors.append(f"{fam}, {given}" if given else fam)
    published = entry.findtext("a:published", "", NS) or ""
    doi = (entry.findtext("arxiv:doi", "", NS) or "").strip().lower() or None
    return Metadata(
        source=SOURCE,
        id=arxiv_id,
        title=clean_text(entry.findtext("a:title", "", NS)),
        authors=authors,
        year=int(published[:4]) if published[:4].isdigit() else None,
        doi=doi,
        arxiv=arxiv_id,
        abstract=clean_text(entry.findtext("a:summary", "", NS)),
        url=f"https://arxiv.org/abs/{arxiv_id}",
    )
