"""BibTeX values are decoded without pylatexenc where they hold no more than accents, escapes,
braces and ligatures; what they give must be what pylatexenc gives."""

from __future__ import annotations

import re
import sys

import pytest
from conftest import CORPORA, ROOT
from hypothesis import given, settings
from hypothesis import strategies as st

from medlit.readers import bibtex


def _pylatexenc(value: str) -> str:
    return bibtex._safe(bibtex._decoder().latex_to_text, value)


def _values() -> list[str]:
    sys.path.insert(0, str(ROOT / "bench"))
    import reading

    texts = [reading.bib(300)]
    thesis = CORPORA / "fepegar_phd-thesis_phd.bib"
    if thesis.exists():
        texts.append(thesis.read_text(encoding="utf-8"))
    import bibtexparser

    values = set()
    for text in texts:
        for entry in bibtexparser.parse_string(text).entries:
            values.update(str(f.value) for f in entry.fields if f.key.lower() in bibtex.TEXT_FIELDS)
    return sorted(values)


def test_real_values_decode_as_pylatexenc_decodes_them():
    values = _values()
    fast = [v for v in values if bibtex._simple_latex(v) is not None and re.search(r"[\\{}~]|--", v)]
    assert len(fast) >= 50  # the check means something only if the own decoder is used
    decode = bibtex._Decoder()
    assert [decode(v) for v in values] == [_pylatexenc(v) for v in values]


_PIECES = st.sampled_from(
    ["a", "B", " ", "{", "}", "\\'e", '{\\"u}', "\\c{c}", "\\ss", "\\o", "--", "---", "``", "''", "~",
     "\\&", "\\%", "\\_", "x", "-", "'", "`", "\\v{S}", "{\\'\\i}", "\\emph{x}", "$x$", "\\AA{}"]
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECES, max_size=12).map("".join))
def test_generated_values_decode_as_pylatexenc_decodes_them(value):
    if value.count("{") != value.count("}"):
        return  # bibtexparser never hands over an unbalanced value
    assert bibtex._Decoder()(value) == _pylatexenc(value)


@pytest.mark.parametrize("name", ["Müller", "Pérez-García", "Çukur"])
def test_bench_names_are_accented(name):
    sys.path.insert(0, str(ROOT / "bench"))
    import reading

    assert name in {
        record.authors[0].split(",")[0] for record in bibtex.read_bibtex(reading.bib(200), "b.bib").records
    }


def _texts() -> list[str]:
    sys.path.insert(0, str(ROOT / "bench"))
    import reading

    texts = [reading.bib(500)]
    thesis = CORPORA / "fepegar_phd-thesis_phd.bib"
    if thesis.exists():
        texts.append(thesis.read_text(encoding="utf-8"))
    return texts


def test_the_splitter_reads_the_fields_bibtexparser_reads():
    import bibtexparser

    from medlit.readers.bibtex_split import split

    for text in _texts():
        mine = split(text)
        theirs = bibtexparser.parse_string(text).entries
        assert not mine.unread and len(mine.entries) == len(theirs)
        for a, b in zip(mine.entries, theirs, strict=True):
            assert (a.key, a.entry_type, a.line) == (b.key, b.entry_type, b.start_line)
            assert {k.lower(): v for k, v in a.fields.items()} == {
                f.key.lower(): str(f.value) for f in b.fields
            }


def test_broken_entries_are_named_and_the_others_read():
    text = (
        "@article{good1, title={First good entry}, year={2020}}\n"
        "@article{broken, title={Unclosed brace, year={2020}}\n"
        "@article{good2, title={Second good entry}, year={2021}}\n"
        "@article{good1, title={A duplicate key}}\n"
    )
    result = bibtex.read_bibtex(text, "b.bib")
    assert [(r.title, r.source.line) for r in result.records] == [
        ("First good entry", 1),
        ("Second good entry", 3),
    ]
    reasons = sorted((s.source.line, s.reason.split(" ")[0]) for s in result.skips)
    assert reasons == [(2, "BibTeX"), (4, "duplicate")]
