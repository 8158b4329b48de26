"""A markdown (or plain .txt) document -> records, dataset mentions and skips.

markdown-it finds the blocks (headings, pipe tables, lists, block quotes, front matter
stays out of its way) with their line numbers; each block goes to the reader for its
shape. The heading path travels with every record: it names the section and the task.

Entry candidates (list items at any depth, paragraph blocks, a heading with the block under
it, `<details>` blocks, HTML table rows, indented lines) all go to entries.read_entry; pipe
tables go to tables.read_table, fenced or indented BibTeX to the BibTeX reader, and other
fenced code (a list's example entry) is not read.
"""

from __future__ import annotations

import re

from medlit.model import DatasetMention, Notice, ReadResult, Skip, Source
from medlit.readers import frontmatter, html_blocks, inline, tables
from medlit.readers.citations import parse_item
from medlit.readers.entries import Entry, read_entry, split_lines

_DATA_WORDS = {"dataset", "datasets", "database", "databases", "challenge", "challenges",
               "benchmark", "benchmarks"}  # fmt: skip
_DATA_HEADINGS = {"data", "publicdata", "opendata", "数据", "公开数据", "数据集", "公开数据集"}
_IGNORED_WORDS = {"software", "tools", "toolbox", "toolkits", "toolkit", "platform", "platforms",
                  "contributing", "license", "contact", "todo", "acknowledgements",
                  "acknowledgments", "lists", "contents", "overview", "news", "updates",
                  "announcements", "changelog", "star", "stars"}  # fmt: skip
_IGNORED_CJK = ("平台", "目录", "工具", "贡献", "新闻", "动态", "更新日志")
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
    result.seen = {_SHAPE_NAMES.get(k, k): v for k, v in walker.seen.items() if v}
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


_BIBTEX_START = re.compile(r"^\s*@[A-Za-z]{2,20}\s*[{(]", re.MULTILINE)
_BIBTEX_INFO = {"bibtex", "bib", "latex", "tex", "biblatex"}
_TABLE_CLOSE = re.compile(r"</table\s*>", re.IGNORECASE)
_SHAPE_NAMES = {
    "item": "list items", "paragraph": "paragraphs", "bold-paragraph": "bold-title paragraphs",
    "heading": "headings with a link or label", "details": "<details> blocks", "html-row": "HTML table rows",
    "code": "indented blocks",
}  # fmt: skip


class _Walker:
    """Walks markdown-it's flat token stream, keeping the heading path and open list items."""

    def __init__(self, file: str, lines: list[str], bodies: dict[int, list] | None = None):
        self.file = file
        self.lines = lines
        self.bodies = bodies or {}  # 0-based header line -> rows read by tables.fast_bodies
        self.result = ReadResult()
        self.headings: list[tuple[int, str]] = []
        self.items: list[dict] = []  # open list items: line, their lines, their children's
        self.post_sections: dict[str, list[str]] = {}
        self.details: Entry | None = None  # an open <details> block
        self.heading_entry: tuple[Entry, list[tuple[int, str]]] | None = None
        self.code: Entry | None = None  # an indented block waiting for the lines after it
        self.skip_to = 0  # tokens starting before this 0-based line were read already
        self.seen: dict[str, int] = {}  # candidates by shape, for the message when none is a paper

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
            if self.skip_to and tok.map and tok.map[0] < self.skip_to:
                i += 1
                continue
            if tok.type == "heading_open":
                line = tok.map[0] + 1 if tok.map else 0
                if (self.items or self.details is not None) and "](" in tokens[i + 1].content:
                    self._into_item(line, tokens[i + 1].content, heading=True)  # `1. ### [Title](url)`
                else:
                    self._heading(int(tok.tag[1]), tokens[i + 1].content, line)
                i += 3
                continue
            if tok.type == "table_open":
                self._flush_code()
                i = self._table(tokens, i)
                continue
            if tok.type == "list_item_open":
                self._flush_code()
                self.items.append({"line": tok.map[0] + 1 if tok.map else 0, "lines": [], "heading": False})
            elif tok.type == "list_item_close":
                self._list_item(self.items.pop())
            elif tok.type == "inline" and tokens[i - 1].type == "paragraph_open":
                line = tok.map[0] + 1 if tok.map else 0
                if self.items or self.details is not None:
                    self._into_item(line, tok.content)
                else:
                    self._paragraph(line, tok.content)
            elif tok.type == "html_block":
                self._flush_code()
                self._html(tok)
            elif tok.type == "fence":
                self._flush_code()
                self._fence(tok)
            elif tok.type == "code_block":
                self._flush_code()
                self._code_block(tok)
            i += 1
        self._flush_code()
        self._end_heading_entry()
        if self.details is not None:
            self._end_details()

    def _count(self, shape: str) -> None:
        self.seen[shape] = self.seen.get(shape, 0) + 1

    def _add(self, entry: Entry, kind: str | None = None, headings: list[str] | None = None) -> bool:
        """Read an entry candidate; True if it was a paper."""
        kind = kind or section_kind(self.path)
        if kind == "ignored":
            return False
        self._count(entry.shape)
        source = self.source(entry.line)
        # a reference section's bare links are papers; its prose paragraphs are not
        outcome = read_entry(entry, source, kind == "references" and entry.shape == "item")
        if outcome.record is None:
            if kind == "references" and outcome.why is None and entry.shape == "item":
                self.result.skips.append(Skip(source, "reference not understood"))
            return False
        outcome.record.headings = self.path if headings is None else headings
        self.result.records.append(outcome.record)
        return True

    def _heading(self, level: int, content: str, line: int) -> None:
        self._flush_code()
        self._end_heading_entry()
        if self.details is not None:
            self._end_details()
        title = inline.plain(inline.segments(content)).strip("# ")
        while self.headings and self.headings[-1][0] >= level:
            self.headings.pop()
        parent = self.path
        self.headings.append((level, title))
        if _may_be_paper(content):
            entry = Entry(line, "heading", [(line, content)], title_markup=False)
            self.heading_entry = (entry, [])
            self._heading_parent = parent

    def _end_heading_entry(self) -> None:
        """A heading with a link or label and the paragraphs under it: a paper if they read
        as one; else the paragraphs are read by themselves."""
        if self.heading_entry is None:
            return
        entry, paragraphs = self.heading_entry
        self.heading_entry = None
        for line, content in paragraphs:
            entry.lines.extend(split_lines(line, content))
        if not self._add(entry, section_kind(self._heading_parent), headings=self._heading_parent):
            for line, content in paragraphs:
                self._paragraph(line, content, in_heading=False)

    def _into_item(self, line: int, content: str, heading: bool = False) -> None:
        target = self.items[-1] if self.items else None
        if target is None:  # in a <details> block
            if self.details is not None:
                self.details.lines.extend(split_lines(line, content))
            return
        if heading and not target["lines"]:
            target["heading"] = True
        target["lines"].extend(split_lines(line, content))

    def _table(self, tokens, i: int) -> int:
        self._end_heading_entry()
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
        self._rows(header, rows, header_line)
        self._ragged(header_line, [line for line, _ in rows])
        return i + 1

    def _rows(self, header: list[str], rows: list[tuple[int, list[str]]], header_line: int) -> None:
        records, datasets, skips = tables.read_table(header, rows, self.file, self.path, header_line)
        self.seen["table rows"] = self.seen.get("table rows", 0) + len(rows)
        self.result.records.extend(records)
        self.result.datasets.extend(datasets)
        self.result.skips.extend(skips)

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
        if self.details is not None and not self.items:
            self.details.lines.extend(item["lines"])  # a bullet inside <details>: part of it
            return
        if not item["lines"]:
            return
        kind = section_kind(self.path)
        if kind == "ignored":
            return
        line = item["line"]
        if kind == "data":
            segs = inline.segments(item["lines"][0][1])
            for label, href in inline.links(segs):
                if label and not href.startswith("#"):
                    self.result.datasets.append(
                        DatasetMention(label, inline.normalise_url(href), self.source(line), label)
                    )
            return
        entry = Entry(line, "item", item["lines"], title_markup=item["heading"])
        if not self._add(entry, kind) and self.items:
            # not a paper by itself: a nested bullet of its parent (an author line, links)
            self.items[-1]["lines"].extend(item["lines"])

    def _paragraph(self, line: int, content: str, in_heading: bool = True) -> None:
        heading = self.path[-1].lower() if self.headings else ""
        self.post_sections.setdefault(heading, []).append(content)
        if in_heading and self.heading_entry is not None:
            self.heading_entry[1].append((line, content))
            return
        if self.code is not None:
            if self.code.lines and line <= self.code.lines[-1][0] + 1:
                self.code.lines.extend(split_lines(line, content))
                self._flush_code()
                return
            self._flush_code()
        m = _PAPER_LINE.match(content)
        if m:
            segs = inline.segments(content[m.end() :])
            record = parse_item(segs, self.source(line), None, True)
            if record is not None:
                record.headings = self.path
                self.result.records.append(record)
            return
        lines = split_lines(line, content)
        shape = "bold-paragraph" if content.lstrip().startswith(("**", "[**", "__")) else "paragraph"
        entry = Entry(line, "paragraph", lines)
        if self._add(entry) or shape == "paragraph":
            return
        self.seen["paragraph"] -= 1
        self._count(shape)

    # ------------------------------------------------------------------ code

    def _fence(self, tok) -> None:
        """A fenced block: BibTeX (a list's "cite us") is read as BibTeX; anything else, an
        example entry or a script, is not read at all."""
        info = (tok.info or "").strip().lower().split()
        content = tok.content
        if (info and info[0] in _BIBTEX_INFO) or _BIBTEX_START.search(content):
            self._bibtex(content, (tok.map[0] + 1) if tok.map else 0)

    def _code_block(self, tok) -> None:
        """An indented block: BibTeX, or lines that lost their place in a paragraph by being
        indented four spaces (read as a paragraph, with the lines that follow it)."""
        line = tok.map[0] + 1 if tok.map else 0
        if _BIBTEX_START.search(tok.content):
            self._bibtex(tok.content, line - 1)
            return
        if self.items or self.details is not None:
            return
        self.code = Entry(line, "code", split_lines(line, tok.content.strip("\n")))

    def _flush_code(self) -> None:
        if self.code is not None:
            entry, self.code = self.code, None
            self._add(entry)

    def _bibtex(self, content: str, offset: int) -> None:
        from medlit.readers.bibtex import read_bibtex

        found = read_bibtex(content, self.file)
        for record in found.records:
            record.source = Source(
                self.file, record.source.line + offset, self.path[-1] if self.headings else None
            )
            record.headings = self.path
            self.result.records.append(record)
        for skip in found.skips:
            self.result.skips.append(Skip(Source(self.file, skip.source.line + offset, None), skip.reason))
        self.result.notices.extend(found.notices)

    # ------------------------------------------------------------------ HTML

    def _html(self, tok) -> None:
        content = tok.content
        low = content.lower()
        line = tok.map[0] + 1 if tok.map else 0
        if "<table" in low:
            self._html_table(content, line, tok)
        elif "<details" in low or "<summary" in low or "</details" in low:
            self._html_details(content, line)

    def _html_table(self, content: str, line: int, tok) -> None:
        if not _TABLE_CLOSE.search(content) and tok.map:
            # the table runs past a blank line: read its lines whole, skip their tokens
            end = tok.map[1]
            while end < len(self.lines) and not _TABLE_CLOSE.search(self.lines[end]):
                end += 1
            content = "\n".join(self.lines[tok.map[0] : end + 1])
            self.skip_to = end + 1
        hrefs = re.findall(r"href\s*=\s*[\"']([^\"']*)", content[:200_000])
        if hrefs and all(h.startswith("#") for h in hrefs):
            return  # a table of contents
        rows = html_blocks.table_rows(content, line)
        if not rows:
            return
        header_row = rows[0]
        columns = [tables.column_of(c) for c in header_row.cells]
        if "title" in columns or "dataset" in columns:
            self._rows(header_row.cells, [(r.line, r.cells) for r in rows[1:]], header_row.line)
            return
        kind = section_kind(self.path)
        body = rows[1:] if header_row.header else rows
        papers = 0
        for row in body:
            cells = [c for c in row.cells if c.strip()]
            if cells:
                papers += self._add(Entry(row.line, "html-row", [(row.line, c) for c in cells]), kind)
        if not papers and kind != "ignored":
            self.result.skips.append(
                Skip(
                    self.source(line), "HTML table without a title column, and no row of it reads as a paper"
                )
            )

    def _html_details(self, content: str, line: int) -> None:
        summaries, text = html_blocks.details(content, line)
        low = content.lower()
        if "<details" in low or summaries:
            if self.details is not None:
                self._end_details()
            if summaries:
                s_line, summary = summaries[0]
                self.details = Entry(line, "details", [(s_line, summary)], title_markup=True)
                self.details.lines.extend((line, t) for t in text)
        if "</details" in low and self.details is not None:
            self._end_details()

    def _end_details(self) -> None:
        entry, self.details = self.details, None
        if entry is not None:
            self._add(entry)


_LABELISH = re.compile(r"\[[^\[\]]{0,80}(?:18|19|20)\d\d[^\[\]]{0,80}\]|\]\((?!#)")


def _may_be_paper(content: str) -> bool:
    """A heading that may cite a paper: it holds a link (not an in-page anchor) or a label
    with a year. Headings are sections otherwise."""
    return _LABELISH.search(content) is not None and len(content) < 2000
