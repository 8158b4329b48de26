"""A markdown (or plain .txt) document -> records, dataset mentions and skips.

markdown-it finds the blocks (headings, pipe tables, lists, block quotes, front matter
stays out of its way) with their line numbers; each block goes to the reader for its
shape. The heading path travels with every record: it names the section and the task.
"""

from __future__ import annotations

import re

from medlit.model import DatasetMention, Notice, ReadResult, Skip, Source
from medlit.readers import frontmatter, inline, tables
from medlit.readers.citations import parse_item

_DATA_WORDS = {"dataset", "datasets", "database", "databases", "challenge", "challenges",
               "benchmark", "benchmarks"}  # fmt: skip
_DATA_HEADINGS = {"data", "publicdata", "opendata", "数据", "公开数据", "数据集", "公开数据集"}
_IGNORED_WORDS = {"software", "tools", "toolbox", "toolkits", "toolkit", "platform", "platforms",
                  "contributing", "license", "contact", "todo", "acknowledgements",
                  "acknowledgments", "lists", "contents", "overview"}  # fmt: skip
_IGNORED_CJK = ("平台", "目录", "工具", "贡献")
_REFERENCE_WORDS = {"reference", "references", "bibliography", "papers", "readings", "citations"}
_REFERENCE_CJK = ("参考文献", "引用", "文献", "论文")
_PAPER_LINE = re.compile(r"^\s*(?:paper|论文|title|标题)\s*[:：]\s*", re.IGNORECASE)


def section_kind(headings: list[str]) -> str:
    """'data', 'ignored', 'references' or 'papers', from the innermost heading that says."""
    for depth, heading in enumerate(reversed(headings)):
        words = set(re.findall(r"[a-z]+", heading.lower()))
        squashed = re.sub(r"\W", "", heading.lower())
        if words & _DATA_WORDS or squashed in _DATA_HEADINGS:
            return "data"
        if words & _IGNORED_WORDS or any(w in heading for w in _IGNORED_CJK):
            return "ignored"
        if depth == 0 and (words & _REFERENCE_WORDS or any(w in heading for w in _REFERENCE_CJK)):
            return "references"  # only the nearest heading: a list's title says "papers" too
    return "papers"


def read_markdown(text: str, file: str) -> ReadResult:
    return read_markdown_lines(text, file)[0]


def read_markdown_lines(text: str, file: str) -> tuple[ReadResult, list[str]]:
    """read_markdown's result, and the document's lines (line breaks made `\\n`) for the
    checks after reading: splitting a large document is not free."""
    from markdown_it import MarkdownIt

    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    text, generated = _without_generated(text, file)
    meta, body = frontmatter.split(text)
    # blocks only: the walker reads each inline token's source, and inline.segments parses
    # the parts it needs; markdown-it's own inline pass over every cell was wasted work
    parser = MarkdownIt("commonmark").enable("table").disable("inline")
    lines = body.split("\n")
    # the rows of plain pipe tables are split here, and markdown-it sees blank lines in
    # their place; if it does not find each such table where expected, it reads it all
    shown, bodies = tables.fast_bodies(lines)
    tokens = parser.parse("\n".join(shown)) if bodies else None
    if tokens is None or not _tables_confirmed(tokens, bodies):
        tokens, bodies = parser.parse(body), {}
    walker = _Walker(file, lines, bodies)
    walker.walk(tokens)
    result = walker.result
    if generated:
        result.notices.append(generated)
    if meta is None:
        return result, lines  # the body is the text
    post = frontmatter.post_record(meta, walker.post_sections, file)
    if post is not None:
        result.records.insert(0, post)
    return result, text.split("\n")


def _without_generated(text: str, file: str) -> tuple[str, Notice | None]:
    """The text with what `medlit render` wrote between its markers blanked out (it comes from
    the catalog: read back, a paper deleted from the list would never leave), and one notice."""
    if "medlit:begin" not in text:
        return text, None
    from medlit.markers import blank_generated

    text, blocks = blank_generated(text)
    if not blocks:
        return text, None
    lines = ", ".join(f"{a}-{b}" for a, b in blocks)
    plural = "s" if len(blocks) > 1 else ""
    note = f"{len(blocks)} generated block{plural} between medlit markers not read (lines {lines})"
    return text, Notice(Source(file, blocks[0][0] - 1, None), note)


def _tables_confirmed(tokens, bodies: dict[int, list]) -> bool:
    """Every table whose body was taken out is a top-level table of header and delimiter,
    where it was expected: then markdown-it would have read the rows as its rows."""
    found = {tuple(t.map) for t in tokens if t.type == "table_open" and t.level == 0 and t.map}
    return all((start, start + 2) in found for start in bodies)


class _Walker:
    """Walks markdown-it's flat token stream, keeping the heading path and open list items."""

    def __init__(self, file: str, lines: list[str], bodies: dict[int, list] | None = None):
        self.file = file
        self.lines = lines
        self.bodies = bodies or {}  # 0-based header line -> rows read by tables.fast_bodies
        self.result = ReadResult()
        self.headings: list[tuple[int, str]] = []
        self.items: list[dict] = []  # open list items: line and their paragraphs
        self.post_sections: dict[str, list[str]] = {}

    # ------------------------------------------------------------------ helpers

    @property
    def path(self) -> list[str]:
        return [h for _, h in self.headings]

    def source(self, line: int) -> Source:
        return Source(self.file, line, self.path[-1] if self.headings else None)

    # ------------------------------------------------------------------ the walk

    def walk(self, tokens) -> None:
        i = 0
        while i < len(tokens):
            tok = tokens[i]
            if tok.type == "heading_open":
                self._heading(int(tok.tag[1]), tokens[i + 1].content)
                i += 3
                continue
            if tok.type == "table_open":
                i = self._table(tokens, i)
                continue
            if tok.type == "list_item_open":
                self.items.append({"line": tok.map[0] + 1 if tok.map else 0, "paras": []})
            elif tok.type == "list_item_close":
                self._list_item(self.items.pop())
            elif tok.type == "inline" and tokens[i - 1].type == "paragraph_open":
                line = tok.map[0] + 1 if tok.map else 0
                if self.items:
                    self.items[-1]["paras"].append((line, tok.content))
                else:
                    self._paragraph(line, tok.content)
            elif tok.type == "html_block":
                self._html(tok)
            i += 1

    def _heading(self, level: int, content: str) -> None:
        title = inline.plain(inline.segments(content)).strip("# ")
        while self.headings and self.headings[-1][0] >= level:
            self.headings.pop()
        self.headings.append((level, title))

    def _table(self, tokens, i: int) -> int:
        header: list[str] = []
        rows: list[tuple[int, list[str]]] = []
        row: list[str] | None = None
        line = header_line = 0
        while tokens[i].type != "table_close":
            tok = tokens[i]
            if tok.type == "tr_open":
                row, line = [], (tok.map[0] + 1 if tok.map else 0)
            elif tok.type == "inline" and row is not None:
                row.append(tok.content)
            elif tok.type == "tr_close" and row is not None:
                if not header:
                    header, header_line = row, line
                else:
                    rows.append((line, row))
                row = None
            i += 1
        rows += self.bodies.get(header_line - 1, [])
        records, datasets, skips = tables.read_table(header, rows, self.file, self.path, header_line)
        self.result.records.extend(records)
        self.result.datasets.extend(datasets)
        self.result.skips.extend(skips)
        self._ragged(header_line, [line for line, _ in rows])
        return i + 1

    def _ragged(self, header_line: int, row_lines: list[int]) -> None:
        """Rows with fewer or more cells than the header: markdown pads and cuts them silently."""
        width = tables.cell_count(self._line(header_line))
        for line in row_lines:
            count = tables.cell_count(self._line(line))
            if count < width:
                text = f"table row has {count} of {width} cells; the missing ones are read as empty"
            elif count > width:
                extra = count - width
                text = f"table row has {count} cells, the header {width}; the last {extra} are ignored"
            else:
                continue
            self.result.notices.append(Notice(self.source(line), text))

    def _line(self, number: int) -> str:
        return self.lines[number - 1] if 0 < number <= len(self.lines) else ""

    def _list_item(self, item: dict) -> None:
        if not item["paras"]:
            return
        line, content = item["paras"][0]
        kind = section_kind(self.path)
        if kind == "ignored":
            return
        segs = inline.segments(content)
        if kind == "data":
            for label, href in inline.links(segs):
                if label and not href.startswith("#"):
                    self.result.datasets.append(
                        DatasetMention(label, inline.normalise_url(href), self.source(line), label)
                    )
            return
        author_line = None
        if len(item["paras"]) > 1:
            author_line = "".join(s.text for s in inline.segments(item["paras"][1][1]))
        record = parse_item(segs, self.source(line), author_line, kind == "references")
        if record is not None:
            record.headings = self.path
            self.result.records.append(record)
        elif kind == "references" and inline.plain(segs):
            self.result.skips.append(Skip(self.source(line), "reference not understood"))

    def _paragraph(self, line: int, content: str) -> None:
        heading = self.path[-1].lower() if self.headings else ""
        self.post_sections.setdefault(heading, []).append(content)
        m = _PAPER_LINE.match(content)
        if not m:
            return
        segs = inline.segments(content[m.end() :])
        record = parse_item(segs, self.source(line), None, True)
        if record is not None:
            record.headings = self.path
            self.result.records.append(record)

    def _html(self, tok) -> None:
        if "<table" not in tok.content.lower():
            return
        hrefs = re.findall(r"href\s*=\s*[\"']([^\"']*)", tok.content)
        if hrefs and all(h.startswith("#") for h in hrefs):
            return  # a table of contents
        line = tok.map[0] + 1 if tok.map else 0
        self.result.skips.append(
            Skip(self.source(line), "HTML table not read; write it as a markdown pipe table")
        )
