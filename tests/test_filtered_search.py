"""Filtered search on a generated catalog: exactly the papers whose trusted facet values
meet every filter, each once, newest first, in every listing path (all, --limit, --sort)."""

from __future__ import annotations

import sqlite3

import pytest
from conftest import run

from medlit import vocab
from medlit.search import query

FILTERS = [
    {"modality": ("CT",), "organ": ("lung",)},  # the benchmark's search
    {"technique": ("CNN",)},  # CNN and its narrower techniques: a paper may have several
    {"technique": ("CNN",), "organ": ("brain",), "task": ("segmentation",)},
    {"modality": ("MRI",), "organ": ("prostate",)},
]


def _expected(db, raw, curated=False) -> list[int]:
    """Ids by hand: every filter's values (with narrower ones) among the paper's trusted
    facet values; newest first, then title as COLLATE NOCASE compares, then id."""
    conn = sqlite3.connect(db)
    filters = query.resolve(conn, vocab.load(), raw, curated=curated)
    values: dict[int, set[tuple[str, str]]] = {}
    for pid, facet, value, is_curated, disputed in conn.execute("SELECT * FROM facets"):
        if not disputed and (is_curated or not curated):
            values.setdefault(pid, set()).add((facet, value))
    papers = conn.execute("SELECT id, year, title FROM papers").fetchall()
    hits = [
        (pid, year, title)
        for pid, year, title in papers
        if all(
            any((facet, v) in values.get(pid, set()) for v in wanted)
            for facet, wanted in filters.values.items()
            if wanted
        )
    ]
    nocase = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")
    hits.sort(key=lambda h: (h[1] is None, -(h[1] or 0), h[2].translate(nocase), h[0]))
    return [pid for pid, _, _ in hits]


@pytest.mark.parametrize("raw", FILTERS, ids=lambda r: "+".join(v[0] for v in r.values()))
@pytest.mark.parametrize("curated", [False, True])
def test_select_ids_and_listing_are_the_papers_the_facets_say(generated_db, raw, curated):
    conn = sqlite3.connect(generated_db)
    filters = query.resolve(conn, vocab.load(), raw, curated=curated)
    expected = _expected(generated_db, raw, curated)
    assert len(expected) > 20
    assert query.select_ids(conn, filters) == expected
    assert [p.id for p in query.select_listing(conn, filters)] == expected
    assert [p.id for p in query.select_listing(conn, filters, limit=7)] == expected[:7]
    assert [p.id for p in query.select_listing(conn, filters, ordered=False)] == sorted(expected)


def _search(db, *args):
    result = run("search", *args, "--db", db)
    assert result.exit_code == 0, result.stderr
    return result.stdout


@pytest.mark.parametrize("fmt", ["keys", "tsv"])
def test_listing_formats_agree_with_the_full_papers(generated_db, fmt):
    """keys and tsv read few columns and let Python sort; json reads whole papers in SQLite's
    order: they list the same papers in the same order, with --limit and --sort too."""
    import json

    for extra in ((), ("--limit", "9"), ("--sort", "venue"), ("--sort", "title")):
        args = ("--modality", "CT", "--organ", "lung", *extra)
        listed = _search(generated_db, *args, "--format", fmt).splitlines()[1 if fmt == "tsv" else 0 :]
        full = json.loads(_search(generated_db, *args, "--format", "json"))
        assert [line.split("\t")[0] for line in listed] == [p["key"] for p in full]


def test_year_order_is_newest_first_then_title_as_folded_then_as_nocase_then_id():
    """search._sorted's two plain-key sorts give the order of one sort on the full tuple,
    for titles equal but for case (ASCII or not), prefixes and missing years."""
    import random
    from types import SimpleNamespace

    from medlit.api import sort_papers as _sorted

    titles = ["Édition", "édition", "EDITION", "edition", "Straße", "STRASSE", "strasse", "Ωmega", "ωmega"]
    titles += ["a", "A", "ab", "AB", "a b", "_x", "[y", "Zeta", "zeta", "肺", "ÿ", "Ā", "Editorial"]
    rng = random.Random(3)
    years = [None, 0, 1999, 2019, 2020]
    papers = [SimpleNamespace(id=i, title=rng.choice(titles), year=rng.choice(years)) for i in range(3000)]
    expected = sorted(
        papers,
        key=lambda p: (p.year is None, -(p.year or 0), p.title.casefold(), p.title.encode().lower(), p.id),
    )
    assert _sorted(papers, "year") == expected
