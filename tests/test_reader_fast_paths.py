"""The readers' fast paths read exactly what markdown-it reads.

`inline.segments` splits plain cells and `[label](url)` itself, and `tables.fast_bodies`
splits the rows of plain pipe tables itself; markdown-it reads everything else. Each is
checked against markdown-it alone on every line and cell of real documents (the seeds, the
corpora, a benchmark list), on documents built to trip the table path (tables in fences,
lists, quotes and comments, tables running into a paragraph, escaped pipes, ragged rows),
and on generated text.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from urllib.parse import unquote

import pytest
from conftest import CORPORA, ROOT, SEEDS
from hypothesis import given, settings
from hypothesis import strategies as st

from medlit.model import Link, Record, Source
from medlit.readers import inline, markdown, sanity, tables
from medlit.readers.citations import LINK_WORDS


def _documents() -> list[tuple[str, str]]:
    docs = [(p.name, p.read_text(encoding="utf-8")) for p in sorted(SEEDS.iterdir())]
    if CORPORA.is_dir():
        docs += [(p.name, p.read_text(encoding="utf-8")) for p in sorted(CORPORA.glob("*.md"))]
    sys.path.insert(0, str(ROOT / "bench"))
    import generate

    docs += [(f"bench-{n}.md", "\n".join(t)) for n, t in enumerate(generate.tables(1500, rows_per_file=800))]
    return docs


DOCUMENTS = _documents()


def _by_markdown_it(content: str) -> tuple[inline.Segment, ...]:
    return tuple(inline._merge(inline._markdown_segments(content)))


def test_real_documents_have_real_tables():
    # the checks below mean something only if the fast paths are taken on real text
    seed_001 = next(text for name, text in DOCUMENTS if name.startswith("001_"))
    _, bodies = tables.fast_bodies(seed_001.split("\n"))
    assert sum(len(rows) for rows in bodies.values()) >= 40
    cells = [c.strip() for _, t in DOCUMENTS for line in t.split("\n") for c in line.split("|")]
    assert sum(bool(inline._SIMPLE.fullmatch(c)) and "](" in c for c in cells) >= 1000


def test_cells_and_lines_of_real_documents_read_as_markdown_it_reads_them():
    pieces = set()
    for _, text in DOCUMENTS:
        for line in text.split("\n"):
            pieces.add(line)
            pieces.update(c.strip() for c in line.split("|"))
    differ = [p for p in pieces if inline._segments(p) != _by_markdown_it(p)]
    assert differ == []
    assert [p for p in pieces if (inline._simple_segments(p) is not None) != inline.is_simple(p)] == []


INLINE_BITS = [
    "[", "]", "(", ")", "](", "[[pdf]](", "https://", "http://", "arxiv.org/abs/1505.04597", "HTTPS://X.ORG",
    "doi.org/10.1109/TMI.2016", "?a=1&b=2", "#frag", "%7E", "%zz", "%", "*", "**", "_", "`", "\\", "!",
    "<", ">", "&amp;", "&", "~", "|", " ", "  ", "\t", "\n", "\xa0", "a", "Lung", "肺", "U-Net", ":", "@",
    "javascript:", "xn--", "-", ".", "..", "'", "$", "=", ";", ",", "[pdf]", "CT", "\u3000",
    "H&E", "&E", "&e;", "&amp", "&#", "&#38;", "&x", "&AMP;", "&ſhy;", "&Kelvin;", "&a1;", "&shy;",
    "adni.loni.usc.edu", "a.b", "www.", ".org", "/", ":80", "%41", "%2", "~", "@", "+", "\u212a",
]  # fmt: skip


@settings(max_examples=1500, deadline=None)
@given(st.lists(st.sampled_from(INLINE_BITS) | st.text(max_size=3), max_size=30).map("".join))
def test_any_inline_text_reads_as_markdown_it_reads_it(content):
    assert inline._segments(content) == _by_markdown_it(content)
    assert (inline._simple_segments(content) is not None) == inline.is_simple(content)


URL_BITS = ["http", "https", "://", "//", "www", ".", "a", "Z", "0", "-", "/", "?", "#", ":", "%41", "%zz",
            "@", "~", "_", "'", "*", "+", ",", ";", "=", "!", "$", "&", "(", ")", " ", "é", "xn--", "org",
            "javascript:", "data:", "adni.loni.usc.edu"]  # fmt: skip
LABEL_BITS = ["", "pdf", "[pdf]", "H&E", "&amp;", "&", "ADNI", "[", "]", " ", "*"]


@settings(max_examples=1500, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(LABEL_BITS),
            st.lists(st.sampled_from(URL_BITS), max_size=12).map("".join),
            st.sampled_from(["", ", ", " | ", " and ", "&", ")"]),
        ),
        min_size=1,
        max_size=3,
    )
)
def test_any_link_reads_as_markdown_it_reads_it(parts):
    content = "".join(f"[{label}]({url}){sep}" for label, url, sep in parts)
    assert inline._segments(content) == _by_markdown_it(content)
    assert (inline._simple_segments(content) is not None) == inline.is_simple(content)


def _read(text: str, fast: bool, monkeypatch):
    if not fast:
        monkeypatch.setattr(tables, "fast_bodies", lambda lines: (lines, {}))
    try:
        return markdown.read_markdown(text, "doc.md")
    finally:
        monkeypatch.undo()


def _same_reading(text: str, monkeypatch) -> None:
    slow, fast = _read(text, False, monkeypatch), _read(text, True, monkeypatch)
    assert [r.to_json() for r in fast.records] == [r.to_json() for r in slow.records]
    assert fast.datasets == slow.datasets
    assert fast.skips == slow.skips
    assert fast.notices == slow.notices


@pytest.mark.parametrize("name", [name for name, _ in DOCUMENTS])
def test_documents_read_the_same_with_and_without_the_table_fast_path(name, monkeypatch):
    _same_reading(dict(DOCUMENTS)[name], monkeypatch)


HEADER = "| Title | Modality | Organ | Year |\n|---|:---:|---|--:|\n"
ROWS = "".join(
    f"| [Lung nodule paper {n}](https://arxiv.org/abs/1701.0{n:04d}) | CT | lung | 2017 |\n" for n in range(5)
)
TRICKY = {
    "plain": HEADER + ROWS,
    "after a paragraph": "Some words.\n" + HEADER + ROWS,
    "runs into a paragraph": HEADER + ROWS + "a line that markdown reads as a row\n",
    "in a fence": "```\n" + HEADER + ROWS + "```\n",
    "in an unclosed fence": "~~~\n" + HEADER + ROWS,
    "in a list": "- item\n\n  " + HEADER.replace("\n", "\n  ") + ROWS,
    "in a quote": "> " + HEADER.replace("\n", "\n> ") + ROWS,
    "in a comment": "<!--\n" + HEADER + ROWS + "-->\n",
    "in an html block": "<div>\n" + HEADER + ROWS + "</div>\n",
    "escaped pipes": HEADER + "| a \\| b | CT \\\\| lung | 2017 |\n" * 4,
    "ragged": HEADER + "| Short row | CT |\n| Long row | CT | lung | 2017 | extra | more |\n|\n| x |\n",
    "indented": "   " + HEADER + ROWS,
    "two tables": HEADER + ROWS + "\n" + HEADER + ROWS,
    "bad delimiter": "| Title | Year |\n|---||---|\n" + ROWS,
    "header only": HEADER,
    "one row": HEADER + "| One | CT | lung | 2016 |\n",
    "white space": HEADER + "|\u3000Spaced title\xa0| CT\t| lung |  2016 |\n" * 3,
    "one row at the end": HEADER + "| One | CT | lung | 2016 |",
    "after a list item": "- item\n" + HEADER + ROWS,
    "after a list item's paragraph": "- item\n  more words\n" + HEADER + ROWS,
    "after a quote": "> quoted\n" + HEADER + ROWS,
    "after a heading": "## Papers\n" + HEADER + ROWS,
    "after a setext paragraph": "Words\n" + HEADER + ROWS,
    "back to back": HEADER + ROWS + HEADER + ROWS,
    "after an open comment": "<!-- not closed\n\n" + HEADER + ROWS + "| --> |\n",
    "then a paragraph": HEADER + ROWS + "\nAfter.\n",
    "then an indented block": HEADER + ROWS + "\n    code\n",
    "then a list": "- a\n\n" + HEADER + ROWS + "\n- b\n",
}


@pytest.mark.parametrize("shape", TRICKY)
def test_tricky_tables_read_the_same_with_and_without_the_fast_path(shape, monkeypatch):
    _same_reading(TRICKY[shape], monkeypatch)


def test_a_table_that_pads_too_many_cells_is_left_to_markdown_it(monkeypatch):
    wide = "|" + "|".join(f" c{n} " for n in range(8)) + "|\n|" + "---|" * 8 + "\n"
    text = wide.replace("c0", "Title") + "| t |\n" * (tables.MAX_AUTOCOMPLETED_CELLS // 7 + 10)
    assert tables.fast_bodies(text.split("\n"))[1] == {}
    _same_reading(text, monkeypatch)


TABLE_BITS = ["| ", " |", "|", "\n", "\n\n", "---", ":--", "|---|---|\n", "\\|", "\\", "Title", "Year",
              "[a](https://a.org)", "```\n", "> ", "- ", "1. ", "<div>\n", "<!--\n", "-->\n", "#", " ", "    ",
              "\t", "x"]  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(TABLE_BITS), max_size=60).map("".join))
def test_any_markdown_reads_the_same_with_and_without_the_table_fast_path(text):
    with pytest.MonkeyPatch.context() as monkeypatch:
        _same_reading(HEADER + ROWS + text, monkeypatch)


# ------------------------------------------------------------------ title cells and titles
# The readers' plain code for a title cell and a title, before the shortcuts: the fast code
# must give what this gives on every cell of the documents and on generated text.


def _plain_title_cell(segs):
    title_parts, note_parts, url, found, seen_link = [], [], None, [], False
    for label, href in inline.links(segs):
        absolute = inline.normalise_url(href)
        if absolute:
            found.append(Link(label or "pdf", absolute))
    current = None
    for seg in segs:
        if seg.href is not None:
            seen_link = True
            label = inline.label_text(seg.text)
            if seg.href != current and label and not LINK_WORDS.match(label) and not title_parts:
                title_parts.append(seg.text)
            current = seg.href
            if url is None:
                url = inline.normalise_url(seg.href)
            continue
        current = None
        (note_parts if seen_link else title_parts).append(seg.text)
    note = inline.squash("".join(note_parts)).strip("() ")
    return "".join(title_parts), url, note, found


def _plain_clean_title(text: str) -> str:
    text = unicodedata.normalize("NFC", text).translate(inline._HYPHENS)
    text = inline.squash(text.replace("[[pdf]]", "").replace("[pdf]", ""))
    previous = None
    while previous != text:
        previous = text
        text = text.strip().strip(inline._QUOTES).strip()
        text = re.sub(r"[\s,，;；:：、.。]+$", "", text)
        text = text.strip("*_ ")
    if text.endswith("?.") or text.endswith("!."):
        text = text[:-1]
    return text


def _cells() -> set[str]:
    return {c.strip() for _, t in DOCUMENTS for line in t.split("\n") for c in line.split("|")}


def test_title_cells_of_real_documents_read_as_the_plain_code_reads_them():
    cells = _cells()
    differ = [
        c for c in cells if tables._title_cell(inline._segments(c)) != _plain_title_cell(inline.segments(c))
    ]
    assert differ == []


def test_titles_of_real_documents_clean_as_the_plain_code_cleans_them():
    texts = _cells() | {tables._title_cell(inline._segments(c))[0] for c in _cells()}
    assert [t for t in texts if inline.clean_title(t) != _plain_clean_title(t)] == []


def test_the_white_space_clean_title_strips_is_res():
    every = "".join(c for c in map(chr, range(sys.maxunicode + 1)) if c.isspace())
    assert sorted(inline._SPACES) == sorted(every)
    assert [c for c in map(chr, range(sys.maxunicode + 1)) if re.fullmatch(r"\s", c)] == sorted(every)


TITLE_BITS = [" ", "\t", "\n", "\xa0", "\u3000", "\u2009", "\x85", "\x1c", ",", "，", ";", "；", ":", "：", "、", ".",
              "。", "?", "!", "?.", "!.", "*", "_", "**", '"', "'", "“", "”", "《", "》", "「", "[pdf]", "[[pdf]]",
              "[", "]", "\u2010", "\u2011", "\u00ad", "e\u0301", "U-Net", "Lung", "肺", "a"]  # fmt: skip


@settings(max_examples=3000, deadline=None)
@given(st.lists(st.sampled_from(TITLE_BITS) | st.text(max_size=2), max_size=25).map("".join))
def test_any_title_cleans_as_the_plain_code_cleans_it(text):
    assert inline.clean_title(text) == _plain_clean_title(text)


@settings(max_examples=1500, deadline=None)
@given(st.lists(st.sampled_from(INLINE_BITS + TITLE_BITS + ["[T](https://a.org)", "[[pdf]](#x)", "[](x.org)"]),
                max_size=20).map("".join))  # fmt: skip
def test_any_title_cell_reads_as_the_plain_code_reads_it(content):
    assert tables._title_cell(inline._segments(content)) == _plain_title_cell(inline.segments(content))


def test_white_space_squashes_as_str_split_squashes_it():
    assert [c for c in inline._SPACES if c.isprintable()] == [" "]  # why squash's shortcut holds
    texts = _cells() | {line for _, t in DOCUMENTS for line in t.split("\n")}
    assert [t for t in texts if inline.squash(t) != " ".join(t.split())] == []


@settings(max_examples=3000, deadline=None)
@given(st.lists(st.sampled_from(TITLE_BITS) | st.text(max_size=2), max_size=25).map("".join))
def test_any_text_squashes_as_str_split_squashes_it(text):
    assert inline.squash(text) == " ".join(text.split())


# ------------------------------------------------------------------ sanity


def _plain_oversized(record):
    if len(record.title) > sanity.MAX_TITLE:
        return f"a title of {len(record.title):,} characters is not a title"
    if record.abstract and len(record.abstract) > sanity.MAX_ABSTRACT:
        return f"an abstract of {len(record.abstract):,} characters is not an abstract"
    for name in sanity._FIELDS:
        value = getattr(record, name)
        if value and len(value) > sanity.MAX_FIELD:
            return f"its {name} is {len(value):,} characters long"
    values = [*record.authors, *(v for vs in record.cells.values() for v in vs)]
    values += [link.url for link in record.links]
    longest = max(values, key=len, default="")
    if len(longest) > sanity.MAX_FIELD:
        return f"a cell, author or link of {len(longest):,} characters"
    return None


def _sized_records():
    """Records with each value at its limit and one over, alone and two at a time."""
    limits = {"title": sanity.MAX_TITLE, "abstract": sanity.MAX_ABSTRACT}
    limits.update(dict.fromkeys(sanity._FIELDS, sanity.MAX_FIELD))
    limits.update(dict.fromkeys(["authors", "cells", "links"], sanity.MAX_FIELD))

    def value(name, size):
        text = "x" * size
        if name == "authors":
            return {"authors": ["Smith, J", text]}
        if name == "cells":
            return {"cells": {"modality": ["CT"], "organ": ["lung", text]}}
        if name == "links":
            return {"links": [Link("pdf", "https://a.org"), Link("code", text)]}
        return {name: text}

    names = list(limits)
    for a in names:
        for b in [None, *names]:
            for over_a in (0, 1):
                for over_b in (0, 1):
                    fields = {"title": "A title", "source": Source("f.md", 1)}
                    fields.update(value(a, limits[a] + over_a))
                    if b is not None and b != a:
                        fields.update(value(b, limits[b] + over_b))
                    yield Record(**fields)


def test_oversized_records_are_told_as_the_plain_code_tells_them():
    records = list(_sized_records())
    assert sum(_plain_oversized(r) is not None for r in records) > 100
    for record in records:
        told = sanity._oversized(record)
        plain = _plain_oversized(record)
        assert (told is None) == (plain is None)
        assert told is None or told.startswith(plain)


@pytest.mark.parametrize("name", [name for name, _ in DOCUMENTS])
def test_the_lines_a_reader_hands_to_the_checks_are_the_texts(name):
    text = dict(DOCUMENTS)[name]
    for variant in (text, text.replace("\n", "\r\n"), "---\ntitle: x\n---\n" + text):
        _, lines = markdown.read_markdown_lines(variant, name)
        assert lines == variant.replace("\r\n", "\n").replace("\r", "\n").split("\n")


# ------------------------------------------------------------------ identifiers


def _plain_doi(text):
    if not text:
        return None
    text = unquote(text)
    m = inline._DOI.search(text)
    if m:
        doi = m.group(1)
        previous = None
        while previous != doi:
            previous = doi
            doi = inline._DOI_TAIL.sub("", doi)
        return doi.lower() if doi.count("/") >= 1 and len(doi) > 8 else None
    m = inline._NATURE.search(text)
    return "10.1038/" + m.group(1).lower() if m and re.match(r"^s\d", m.group(1)) else None


def _plain_arxiv(text):
    m = (inline._ARXIV_URL.search(text) or inline._ARXIV_TEXT.search(text)) if text else None
    return m.group(1) if m else None


def test_identifiers_in_real_documents_are_found_as_the_plain_code_finds_them():
    texts = {line for _, t in DOCUMENTS for line in t.split("\n")}
    texts |= {href for c in _cells() for _, href in inline.links(inline.segments(c))}
    assert sum(_plain_doi(t) is not None for t in texts) > 50
    assert sum(_plain_arxiv(t) is not None for t in texts) > 50
    assert [t for t in texts if inline.doi_from(t) != _plain_doi(t)] == []
    assert [t for t in texts if inline.arxiv_from(t) != _plain_arxiv(t)] == []


ID_BITS = ["https://", "doi.org/", "10.", "1109", "/", "TMI.2019.1", ".pdf", "%2F", "10%2E", "nature.com/articles/",
           "NATURE.COM/ARTICLES/", "s41591-019", "arxiv.org/abs/", "ARXIV.ORG/PDF/", "arXiv:", "1706.03762", "v2",
           " ", "ı", "ſ", "\u212a", "İ", "é", "natureı.com", "artıcleſ", "arxıv", "arxıv.org/abs/"]  # fmt: skip


@settings(max_examples=3000, deadline=None)
@given(st.lists(st.sampled_from(ID_BITS) | st.text(max_size=2), max_size=12).map("".join))
def test_any_identifier_is_found_as_the_plain_code_finds_it(text):
    assert inline.doi_from(text) == _plain_doi(text)
    assert inline.arxiv_from(text) == _plain_arxiv(text)
