"""Front-matter posts (Jekyll, Hexo): a post about one paper becomes that paper's record.

A post is about a paper when its front matter names authors and its body gives an
abstract or an arXiv/DOI link (seed 003). A post with only a title and tags is a blog
post, not a paper (seed 000); its body is read like any other document.
"""

from __future__ import annotations

import re

from medlit.model import Record, Source
from medlit.readers import inline
from medlit.readers.authors import parse_authors

_FENCE = re.compile(r"^---\s*$")


def split(text: str) -> tuple[dict | None, str]:
    """(front matter as a dict, the body with the front matter blanked to keep line numbers)."""
    if not _FENCE.match(text.split("\n", 1)[0]):  # most documents: no need to split them
        return None, text
    lines = text.split("\n")
    for end in range(1, min(len(lines), 400)):
        if _FENCE.match(lines[end]):
            meta = _parse(lines[1:end])
            meta["_line"] = {k: v for k, v in meta.get("_line", {}).items()}
            body = "\n" * (end + 1) + "\n".join(lines[end + 1 :])
            return meta, body
    return None, text


def _parse(lines: list[str]) -> dict:
    """The YAML subset front matter uses: `key: value` and `- item` lists."""
    meta: dict = {"_line": {}}
    key = None
    for number, line in enumerate(lines, start=2):
        m = re.match(r"^([A-Za-z_][\w-]*)\s*:\s*(.*)$", line)
        if m:
            key, value = m.group(1).lower(), m.group(2).strip()
            meta[key] = _unquote(value) if value else []
            meta["_line"][key] = number
            continue
        m = re.match(r"^\s*-\s+(.*)$", line)
        if m and key is not None:
            if not isinstance(meta.get(key), list):
                meta[key] = [meta[key]] if meta.get(key) else []
            meta[key].append(_unquote(m.group(1).strip()))
    return meta


def _unquote(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return value[1:-1]
    return value


def post_record(meta: dict, sections: dict[str, list[str]], file: str) -> Record | None:
    title = meta.get("title")
    authors = meta.get("author") or meta.get("authors")
    if not isinstance(title, str) or not title or not authors:
        return None
    abstract = next((" ".join(v) for k, v in sections.items() if k == "abstract"), None)
    hrefs: list[str] = []
    for paragraphs in sections.values():
        for content in paragraphs:
            hrefs.extend(href for _, href in inline.links(inline.segments(content)))
    arxiv = next((a for a in map(inline.arxiv_from, hrefs) if a), None)
    doi = next((d for d in map(inline.doi_from, hrefs) if d), None)
    if not (abstract or arxiv or doi):
        return None
    if isinstance(authors, list):
        authors = ", ".join(authors)
    url_section = sections.get("url", [])
    url = None
    for content in url_section + [h for h in hrefs]:
        links = inline.links(inline.segments(content)) if content in url_section else [("", content)]
        url = next((inline.normalise_url(h) for _, h in links if inline.normalise_url(h)), None)
        if url:
            break
    tags = meta.get("tags") or []
    if isinstance(tags, str):
        tags = tags.split()
    record = Record(
        title=inline.clean_title(title),
        source=Source(file, meta["_line"].get("title", 1), "front matter"),
        authors=parse_authors(authors),
        url=url,
        doi=doi,
        arxiv=arxiv,
        abstract=inline.squash(abstract) if abstract else None,
    )
    if tags:
        record.cells["tags"] = [t.replace("_", " ") for t in tags]
    return record
