"""The readers' fast paths read exactly what markdown-it reads.

Both stay because bench/fast_paths.py shows they pay (CPU seconds, at 10k / 100k papers):
inline._SIMPLE saves 11-22 % / 17 % of the import, tables.fast_bodies 51-56 % / 40 %. The
smaller shortcuts that were here (clean_title, squash, DOI and arXiv pre-checks, the
one-segment title cell, the oversized pre-check) saved 1 % together and are gone.

`inline.segments` splits plain cells and `[label](url)` itself, and `tables.fast_bodies`
splits the rows of plain pipe tables itself; markdown-it reads everything else. Each is
checked against markdown-it alone on every line and cell of real documents (the seeds, the
corpora, a benchmark list), on documents built to trip the table path (tables in fences,
lists, quotes and comments, tables running into a paragraph, escaped pipes, ragged rows),
and on generated text.
"""

from __future__ import annotations

import sys

import pytest
from conftest import CORPORA, ROOT, SEEDS
from hypothesis import given, settings
from hypothesis import strategies as st

from medlit.readers import inline, markdown, tables


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
    """markdown-it's own reading: no fast path, no brackets hidden from it."""
    return tuple(inline._merge(inline._parsed(content)))


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


@pytest.mark.parametrize("name", [name for name, _ in DOCUMENTS])
def test_the_lines_a_reader_hands_to_the_checks_are_the_texts(name):
    text = dict(DOCUMENTS)[name]
    for variant in (text, text.replace("\n", "\r\n"), "---\ntitle: x\n---\n" + text):
        _, lines = markdown.read_markdown_lines(variant, name)
        assert lines == variant.replace("\r\n", "\n").replace("\r", "\n").split("\n")
