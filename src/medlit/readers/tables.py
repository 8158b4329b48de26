"""Pipe tables -> records (a title column) or dataset mentions (a dataset column only).

Columns are recognised by their header, in Chinese or English, in any order:
`| 计算机技术 | 医学技术 | 目标区域 | 标题| 数据库 | J/C | 年份 |` and
`| Technique | Modality | Area | Paper Title | DB | J/C | Year |` read the same.
"""

from __future__ import annotations

import re
from functools import lru_cache

from medlit.model import DatasetMention, Link, Record, Skip, Source
from medlit.readers import inline, labels
from medlit.readers.authors import parse_authors
from medlit.readers.citations import LINK_WORDS
from medlit.vocab import loose

HEADERS = {
    "technique": ["计算机技术", "technique", "techniques", "method", "methods", "技术", "方法",
                  "network", "architecture", "model", "dl technique", "backbone"],
    "modality": ["医学技术", "modality", "modalities", "模态", "成像模态", "imaging", "影像"],
    "organ": ["目标区域", "area", "organ", "organs", "region", "anatomy", "body part", "部位",
              "器官", "target area"],
    "title": ["标题", "title", "paper title", "paper", "papers", "论文", "文章", "题目", "论文标题",
              "论文名", "论文名称", "文章标题", "paper name", "name of paper", "publication title",
              "article", "title of paper"],
    "dataset": ["数据库", "数据集", "db", "dataset", "datasets", "database", "databases", "data"],
    "venue": ["j/c", "venue", "journal", "conference", "journal/conference", "期刊", "会议",
              "出处", "published", "publication", "published in", "期刊/会议", "会议或期刊",
              "期刊或会议", "会议/期刊", "发表", "发表于", "journal or conference", "conference/journal",
              "source", "pub"],
    "year": ["年份", "year", "年", "年代", "publication year", "pub year", "published year",
             "year of publication"],
    "date": ["date", "时间", "日期", "发表时间", "发布时间", "published date", "publication date",
             "release date", "time", "month"],
    "authors": ["authors", "author", "作者", "author(s)", "first author", "first authors",
                "the first and last authors", "first and last authors", "第一作者", "作者列表"],
    "task": ["task", "任务", "目标", "target", "application", "应用"],
    "code": ["code", "代码", "implementation", "github", "code link", "official code", "source code",
             "代码链接", "开源代码", "repo", "repository"],
    "link": ["link", "links", "url", "paper link", "pdf", "链接", "论文链接", "paper url", "arxiv"],
    "reference": ["reference", "references", "ref", "citation", "引用", "出处链接"],
    "institution": ["机构", "institution", "institutions", "affiliation", "affiliations", "单位",
                    "organization", "organisation", "lab", "university", "研究机构"],
    "remark": ["remark", "remarks", "note", "notes", "comment", "comments", "备注", "说明",
               "highlight", "highlights", "keywords", "关键词", "contribution"],
    # challenge and leaderboard columns: a paper's result, not a field of the paper
    "metric": ["dice", "dsc", "hd", "hd95", "asd", "assd", "auc", "acc", "accuracy", "miou", "iou",
               "f1", "f1 score", "sensitivity", "specificity", "precision", "recall", "psnr",
               "ssim", "score", "rank", "ranking", "mae", "rmse", "nsd", "map", "top-1", "kappa"],
}  # fmt: skip
_HEADER_INDEX = {loose(alias): column for column, aliases in HEADERS.items() for alias in aliases}
_NOT_DATASET = re.compile(r"^(?:and\s+)?(?:others?|etc\.?|等|其他|无|-|none)$", re.IGNORECASE)


def cell_count(line: str) -> int:
    """Cells in a raw table line, split as markdown-it splits them (`\\|` is not a separator)."""
    if line.startswith("|") and "\\" not in line:  # most rows: every `|` separates
        text = line.strip()
        return text.count("|") - text.endswith("|")
    text = re.sub(r"^[\s>]*", "", line).strip()
    parts = re.split(r"(?<!\\)\|", text)
    if parts and parts[0] == "":
        parts = parts[1:]
    if parts and parts[-1] == "":
        parts = parts[:-1]
    return len(parts)


# markdown-it's table rule, for the tables it can be spared: a header and a delimiter row at
# the start of a line, then rows that each start with `|` up to a blank line or the end.
# Such rows cannot end the table early (no other block starts with `|`), so markdown-it
# would read every one of them; splitting them here is the same as its escapedSplit.
# Whether it reads the header and delimiter as a table depends only on them and on the
# lines before them, so markdown-it is shown those two and blank lines for the rows.
_DELIMITER = re.compile(r"^[|:-][-:| \t]*$")
_CELL_BORDER = re.compile(r"(?<!\\)\|")
# markdown-it's mdTrim set: CommonMark's white space and what JavaScript's trim() removes
_MD_SPACE = "\t\n\v\f\r \xa0\u1680\u2028\u2029\u202f\u205f\u3000" + "".join(map(chr, range(0x2000, 0x200B)))
MAX_AUTOCOMPLETED_CELLS = 0x10000  # markdown-it stops a table that pads more cells than this


# bench/fast_paths.py: it saves 51-56 % of a 10k-paper import and 40 % at 100k (CPU seconds)
def fast_bodies(lines: list[str]) -> tuple[list[str], dict[int, list[tuple[int, list[str]]]]]:
    """(lines with each table's rows blanked, {0-based header line: rows}).

    Rows are (1-based line, cells) as markdown-it gives them: trimmed, `\\|` unescaped,
    padded with empty cells or cut to the header's width. A table whose rows run into a
    line that is not blank, or that pads too many cells, is left to markdown-it.
    """
    shown = lines
    bodies: dict[int, list[tuple[int, list[str]]]] = {}
    i, count = 0, len(lines)
    while i < count - 2:
        if not (lines[i].startswith("|") and _DELIMITER.match(lines[i + 1])):
            i += 1
            continue
        end = i + 2
        while end < count and lines[end].startswith("|"):
            end += 1
        width = len(_split_row(lines[i]))
        rows = [] if end - i < 3 or (end < count and lines[end].strip(" \t")) else _rows(lines, i, end, width)
        if rows:
            if shown is lines:
                shown = list(lines)
            shown[i + 2 : end] = [""] * (end - i - 2)
            bodies[i] = rows
        i = end
    return shown, bodies


def _rows(lines: list[str], header: int, end: int, width: int) -> list[tuple[int, list[str]]]:
    rows = []
    padded = 0
    for number in range(header + 2, end):
        cells = _split_row(lines[number])
        missing = width - len(cells)
        padded += missing
        if padded > MAX_AUTOCOMPLETED_CELLS:
            return []
        cells = [c.strip(_MD_SPACE) for c in (cells if missing >= 0 else cells[:width])]
        if missing > 0:
            cells += [""] * missing
        rows.append((number + 1, cells))
    return rows


def _split_row(line: str) -> list[str]:
    """markdown-it's escapedSplit of a trimmed row, without the empty outer cells."""
    text = line.strip(_MD_SPACE)
    cells = _CELL_BORDER.split(text) if "\\" in text else text.split("|")
    if "\\" in text:
        cells = [c.replace("\\|", "|") for c in cells]
    if cells and cells[0] == "":
        cells.pop(0)
    if cells and cells[-1] == "":
        cells.pop()
    return cells


def column_of(header: str) -> str | None:
    return _HEADER_INDEX.get(loose(inline.plain_text(header)))


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
        picks = _picks(columns)
        for line, cells in rows:
            source = Source(file, line, section)
            width = len(cells)
            row = {column: cells[i] for column, i in picks if i < width}
            record = _paper_row(row, source, headings)
            if record is None:
                skips.append(Skip(source, "table row has no title"))
                continue
            records.append(record)
    elif "dataset" in columns:
        for line, cells in rows:
            source = Source(file, line, section)
            row = _by_column(columns, cells)
            context = " ".join(inline.plain_text(c) for c in cells)
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


def _picks(columns: list[str | None]) -> list[tuple[str, int]]:
    """(column, index of its first cell), in the order _by_column fills a row."""
    picks: list[tuple[str, int]] = []
    for i, column in enumerate(columns):
        if column and all(column != c for c, _ in picks):
            picks.append((column, i))
    return picks


_FACETS = ("technique", "modality", "organ", "task")


def _paper_row(row: dict[str, str], source: Source, headings: list[str]) -> Record | None:
    title, url, note, links = _title_cell(inline.read_segments(row.get("title", "")))
    title = inline.clean_title(title)
    if not title:
        return None
    if labels.is_placeholder(title):
        return None  # `TBA`, `TBD`: a row kept for a paper to come
    cells = {facet: [inline.plain_text(row[facet])] for facet in _FACETS if facet in row}
    for column, default in (("code", "code"), ("link", "paper"), ("reference", "paper")):
        if row.get(column):
            for label, href in inline.links(inline._segments(row[column])):
                absolute = inline.normalise_url(href)
                if absolute:
                    links.append(Link(label or default, absolute))
    links = [Link(labels.link_kind(k.label, k.url) or "paper", k.url) for k in links]
    if url is None:
        url = next((k.url for k in links if k.label in labels.LINK_KINDS_OF_PAPER), None)
    doi = arxiv = None
    for link in links:
        doi = doi or inline.doi_from(link.url)
        arxiv = arxiv or inline.arxiv_from(link.url)
    authors = row.get("authors")
    venue, year = _venue(row.get("venue", "")), _year(row.get("year", ""))
    label = _reference(row.get("reference", "")) or (venue and labels.venue_label(venue))
    if label and label.year:
        venue, year = label.venue, year or label.year  # `MICCAI 2023`, `[TMI2025](url)`
    noted = note and not (venue or year) and labels.venue_label(note)
    if noted and noted.year:  # `[Title](url) (MIDL 2018)` in the title cell: no venue column
        venue, year, note = noted.venue, noted.year, ""
    fields = {}
    for column in ("date", "institution", "remark"):
        if row.get(column) and inline.plain_text(row[column]):
            fields[column] = inline.plain_text(row[column])
    if "date" in fields and not year:
        year = _year(row["date"])
    return Record(
        title=title,
        source=source,
        authors=parse_authors(inline.plain_text(authors)) if authors else [],
        year=year,
        venue=venue,
        url=url,
        doi=doi,
        arxiv=arxiv,
        note=note or None,
        cells=cells,
        datasets=dataset_mentions(row.get("dataset", ""), source),
        links=links,
        headings=list(headings),
        fields=fields,
    )


def _reference(cell: str) -> labels.VenueLabel | None:
    """A reference cell: `[TMI2025](url)`, `MICCAI 2023`."""
    if not cell:
        return None
    return labels.venue_label(inline.plain_text(cell))


@lru_cache(maxsize=1 << 12)  # venue cells repeat: `MICCAI`, `IEEE-TMI`
def _venue(cell: str) -> str | None:
    venue = inline.plain_text(cell)
    return venue if loose(venue) else None  # `-`, `?`, `~~` say "no venue"


@lru_cache(maxsize=1 << 12)
def _year(cell: str) -> int | None:
    return inline.year_cell(cell)


def _title_cell(segs: tuple[inline.Segment, ...]) -> tuple[str, str | None, str, list[Link]]:
    """Title text, main URL, trailing note `(Section II.B.2)`, and links of a title cell."""
    links: list[Link] = []
    for label, href in inline.links(segs):
        absolute = inline.normalise_url(href)
        if absolute:
            links.append(Link(label or "pdf", absolute))
    title_parts: list[str] = []
    note_parts: list[str] = []
    seen_link = False
    current = None
    for seg in segs:
        if seg.href is not None:
            seen_link = True
            if seg.href != current and not title_parts:
                label = inline.label_text(seg.text)
                if label and not LINK_WORDS.match(label):
                    title_parts.append(seg.text)  # the title itself is the link
            current = seg.href
            continue
        current = None
        (note_parts if seen_link else title_parts).append(seg.text)
    # the main URL is the first link's that normalise_url keeps, the first of `links`
    note = inline.squash("".join(note_parts)).strip("() ") if note_parts else ""
    return "".join(title_parts), links[0].url if links else None, note, links


def dataset_mentions(cell: str, source: Source, context: str = "") -> list[DatasetMention]:
    """`[LIDC-IDRI](url), [ADNI](adni.loni.usc.edu)`, `[[HCP]](url) and other` -> mentions."""
    if not cell:
        return []  # most rows
    return [DatasetMention(name, url, source, context) for name, url in _datasets_of(cell)]


@lru_cache(maxsize=1 << 14)  # dataset cells repeat from row to row
def _datasets_of(cell: str) -> tuple[tuple[str, str | None], ...]:
    segs = inline.segments(cell)
    found: list[tuple[str, str | None]] = []
    for label, href in inline.links(segs):
        name = inline.label_text(label)
        if loose(name):
            found.append((name, inline.normalise_url(href)))
    loose_text = inline.plain([s for s in segs if s.href is None])
    for part in re.split(r"\s*(?:[,，;；、]|\band\b)\s*", loose_text):
        part = part.strip(" .")
        if loose(part) and not _NOT_DATASET.match(part):
            found.append((part, None))
    return tuple(found)
