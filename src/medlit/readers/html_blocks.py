"""HTML inside markdown -> the inline markdown the entry reader reads.

`<table><tr><td>` rows become lists of cells, `<details><summary>` blocks a summary and the
lines under it. Links become `[label](href)`, `<b>`/`<strong>` become `**`, `<br>`, `<p>`,
`<div>` and `<li>` break lines, images and everything else are dropped. The standard
library's HTMLParser reads in one pass (linear time).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

_BREAKS = {"br", "p", "div", "li", "ul", "ol", "tr", "table", "h1", "h2", "h3", "h4", "h5", "h6", "hr"}
_BOLD = {"b", "strong"}
_ITALIC = {"i", "em"}


@dataclass
class Row:
    line: int  # 1-based, in the document
    cells: list[str] = field(default_factory=list)
    header: bool = False


class _Reader(HTMLParser):
    def __init__(self, first_line: int):
        super().__init__(convert_charrefs=True)
        self.first_line = first_line
        self.rows: list[Row] = []
        self.cell: list[str] | None = None
        self.row: Row | None = None
        self.summary: list[str] | None = None
        self.summaries: list[tuple[int, str]] = []
        self.text: list[str] = []  # everything outside cells and summaries
        self.href: list[str | None] = []
        self.label_start: list[int] = []

    def _out(self) -> list[str]:
        if self.summary is not None:
            return self.summary
        if self.cell is not None:
            return self.cell
        return self.text

    def _line(self) -> int:
        return self.first_line + self.getpos()[0] - 1

    def handle_starttag(self, tag, attrs):
        out = self._out()
        if tag == "tr":
            self.row = Row(self._line())
        elif tag in ("td", "th") and self.row is not None:
            self.cell = []
            self.row.header = self.row.header or tag == "th"
        elif tag == "summary":
            self.summary = []
        elif tag == "a":
            href = dict(attrs).get("href")
            self.href.append(href)
            self.label_start.append(len(out))
            out.append("[")
        else:
            _markup(tag, out)

    def handle_endtag(self, tag):
        out = self._out()
        if tag in ("td", "th") and self.cell is not None and self.row is not None:
            self.row.cells.append(" ".join("".join(self.cell).split()))
            self.cell = None
        elif tag == "tr" and self.row is not None:
            if self.row.cells:
                self.rows.append(self.row)
            self.row = None
        elif tag == "summary" and self.summary is not None:
            self.summaries.append((self._line(), " ".join("".join(self.summary).split())))
            self.summary = None
        elif tag == "a" and self.href:
            href = self.href.pop()
            self.label_start.pop()
            if href and not href.startswith("javascript:"):
                out.append(f"]({href.replace(' ', '%20').replace(')', '%29')})")
            else:
                out.append("]")
        else:
            _markup(tag, out)

    def handle_data(self, data):
        self._out().append(data.replace("[", "\\[").replace("]", "\\]") if self.href else data)


def _markup(tag: str, out: list[str]) -> None:
    """Bold, italic and line breaks, opening or closing alike."""
    if tag in _BOLD:
        out.append("**")
    elif tag in _ITALIC:
        out.append("*")
    elif tag in _BREAKS:
        out.append("\n")


def read(html: str, first_line: int) -> _Reader:
    reader = _Reader(first_line)
    try:
        reader.feed(html)
        reader.close()
    except Exception:  # HTMLParser is lenient; keep whatever it read
        pass
    return reader


def table_rows(html: str, first_line: int) -> list[Row]:
    return read(html, first_line).rows


def details(html: str, first_line: int) -> tuple[list[tuple[int, str]], list[str]]:
    """(summaries with their lines, the text lines outside them)."""
    reader = read(html, first_line)
    lines = [" ".join(x.split()) for x in "".join(reader.text).split("\n")]
    return reader.summaries, [x for x in lines if x]
