"""Pipe tables -> records (a title column) or dataset mentions (a dataset column only).

Columns are recognised by their header, in Chinese or English, in any order:
`| 计算机技术 | 医学技术 | 目标区域 | 标题| 数据库 | J/C | 年份 |` and
`| Technique | Modality | Area | Paper Title | DB | J/C | Year |` read the same.
"""

from __future__ import annotations

import re

from medlit.model import DatasetMention, Link, Record, Skip, Source
from medlit.readers import inline
from medlit.readers.authors import parse_authors
from medlit.readers.citations import LINK_WORDS
from medlit.vocab import loose

HEADERS = {
    "technique": ["计算机技术", "technique", "techniques", "method", "methods", "技术", "方法",
                  "network", "architecture", "model", "dl technique"],
    "modality": ["医学技术", "modality", "modalities", "模态", "成像模态", "imaging", "影像"],
    "organ": ["目标区域", "area", "organ", "organs", "region", "anatomy", "body part", "部位",
              "器官", "target area"],
    "title": ["标题", "title", "paper title", "paper", "papers", "论文", "文章", "题目", "论文标题"],
    "dataset": ["数据库", "数据集", "db", "dataset", "datasets", "database", "databases", "data"],
    "venue": ["j/c", "venue", "journal", "conference", "journal/conference", "期刊", "会议",
              "出处", "published", "publication", "published in", "期刊/会议"],
    "year": ["年份", "year", "年", "date", "年代"],
    "authors": ["authors", "author", "作者"],
    "task": ["task", "任务", "目标", "target", "application", "应用"],
    "code": ["code", "代码", "implementation"],
}  # fmt: skip
_HEADER_INDEX = {loose(alias): column for column, aliases in HEADERS.items() for alias in aliases}
_NOT_DATASET = re.compile(r"^(?:and\s+)?(?:others?|etc\.?|等|其他|无|-|none)$", re.IGNORECASE)


def cell_count(line: str) -> int:
    """Cells in a raw table line, split as markdown-it splits them (`\\|` is not a separator)."""
    text = re.sub(r"^[\s>]*", "", line).strip()
    parts = re.split(r"(?<!\\)\|", text)
    if parts and parts[0] == "":
        parts = parts[1:]
    if parts and parts[-1] == "":
        parts = parts[:-1]
    return len(parts)


def column_of(header: str) -> str | None:
    return _HEADER_INDEX.get(loose(inline.plain(inline.segments(header))))


def read_table(
    header: list[str],
    rows: list[tuple[int, list[str]]],
    file: str,
    headings: list[str],
    header_line: int = 0,
) -> tuple[list[Record], list[DatasetMention], list[Skip]]:
    """Rows are (1-based line, raw cell markdown); ragged rows are padded or cut."""
    columns = [column_of(h) for h in header]
    section = headings[-1] if headings else None
    records: list[Record] = []
    datasets: list[DatasetMention] = []
    skips: list[Skip] = []
    if "title" in columns:
        for line, cells in rows:
            source = Source(file, line, section)
            row = _by_column(columns, cells)
            record = _paper_row(row, source)
            if record is None:
                skips.append(Skip(source, "table row has no title"))
                continue
            record.headings = list(headings)
            records.append(record)
    elif "dataset" in columns:
        for line, cells in rows:
            source = Source(file, line, section)
            row = _by_column(columns, cells)
            context = " ".join(inline.plain(inline.segments(c)) for c in cells)
            found = dataset_mentions(row.get("dataset", ""), source, context)
            if not found:
                skips.append(Skip(source, "dataset table row names no dataset"))
            datasets.extend(found)
    else:
        from medlit.readers.sanity import clip

        shown = clip(" | ".join(h.strip() for h in header))
        skips.append(
            Skip(
                Source(file, header_line or (rows[0][0] - 2 if rows else 1), section),
                f"table header not recognised ({shown}); need a title or dataset column",
            )
        )
    return records, datasets, skips


def _by_column(columns: list[str | None], cells: list[str]) -> dict[str, str]:
    row: dict[str, str] = {}
    for column, cell in zip(columns, cells, strict=False):
        if column and column not in row:
            row[column] = cell
    return row


def _paper_row(row: dict[str, str], source: Source) -> Record | None:
    segs = inline.segments(row.get("title", ""))
    title, url, note, links = _title_cell(segs)
    title = inline.clean_title(title)
    if not title:
        return None
    record = Record(title=title, source=source, url=url, note=note or None, links=links)
    for facet in ("technique", "modality", "organ"):
        if facet in row:
            record.cells[facet] = [inline.plain(inline.segments(row[facet]))]
    if "task" in row:
        record.cells["task"] = [inline.plain(inline.segments(row["task"]))]
    venue = inline.plain(inline.segments(row.get("venue", "")))
    record.venue = venue if loose(venue) else None  # `-`, `?`, `~~` say "no venue"
    record.year = inline.year_cell(row.get("year", ""))
    if row.get("authors"):
        record.authors = parse_authors(inline.plain(inline.segments(row["authors"])))
    record.datasets = dataset_mentions(row.get("dataset", ""), source)
    for label, href in inline.links(inline.segments(row.get("code", ""))):
        if inline.normalise_url(href):
            record.links.append(Link(label or "code", inline.normalise_url(href)))
    for _label, href in [(lnk.label, lnk.url) for lnk in record.links]:
        record.doi = record.doi or inline.doi_from(href)
        record.arxiv = record.arxiv or inline.arxiv_from(href)
    return record


def _title_cell(segs: list[inline.Segment]) -> tuple[str, str | None, str, list[Link]]:
    """Title text, main URL, trailing note `(Section II.B.2)`, and links of a title cell."""
    title_parts: list[str] = []
    note_parts: list[str] = []
    url = None
    links: list[Link] = []
    seen_link = False
    for label, href in inline.links(segs):
        absolute = inline.normalise_url(href)
        if absolute:
            links.append(Link(label or "pdf", absolute))
    current = None
    for seg in segs:
        if seg.href is not None:
            seen_link = True
            label = inline.label_text(seg.text)
            if seg.href != current and label and not LINK_WORDS.match(label) and not title_parts:
                title_parts.append(seg.text)  # the title itself is the link
            current = seg.href
            if url is None:
                url = inline.normalise_url(seg.href)
            continue
        current = None
        (note_parts if seen_link else title_parts).append(seg.text)
    note = inline.squash("".join(note_parts)).strip("() ")
    return "".join(title_parts), url, note, links


def dataset_mentions(cell: str, source: Source, context: str = "") -> list[DatasetMention]:
    """`[LIDC-IDRI](url), [ADNI](adni.loni.usc.edu)`, `[[HCP]](url) and other` -> mentions."""
    segs = inline.segments(cell)
    found: list[DatasetMention] = []
    for label, href in inline.links(segs):
        name = inline.label_text(label)
        if loose(name):
            found.append(DatasetMention(name, inline.normalise_url(href), source, context))
    loose_text = inline.plain([s for s in segs if s.href is None])
    for part in re.split(r"\s*(?:[,，;；、]|\band\b)\s*", loose_text):
        part = part.strip(" .")
        if loose(part) and not _NOT_DATASET.match(part):
            found.append(DatasetMention(part, None, source, context))
    return found
