"""Growing the catalog never renames a citation key: whatever later files say (the same paper
with more detail, new papers whose keys would clash, BibTeX entries claiming a key already
given), every paper keeps the key it had."""

from __future__ import annotations

import sqlite3

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from medlit import catalog
from medlit.importing.engine import run_import

WORDS = ["deep", "learning", "lung", "nodule", "unet", "brain", "segmentation", "liver", "net", "3d"]
AUTHORS = ["Smith, John", "Li, Wei", "Müller, Jörg", "王, 伟"]

paper = st.fixed_dictionaries(
    {
        "title": st.lists(st.sampled_from(WORDS), min_size=2, max_size=5).map(" ".join),
        "year": st.sampled_from([2015, 2016, 2016, 2017]),
        "author": st.sampled_from(["", *AUTHORS]),
        "doi": st.sampled_from(["", "", "10.1000/a", "10.1000/b"]),
    }
)


def _markdown(papers: list[dict]) -> str:
    rows = ["# Papers", "", "| Title | Authors | Year | Code |", "|---|---|---|---|"]
    for p in papers:
        link = f"[doi](https://doi.org/{p['doi']})" if p["doi"] else ""
        rows.append(f"| {p['title']} | {p['author']} | {p['year']} | {link} |")
    return "\n".join(rows) + "\n"


def _bibtex(papers: list[dict], keys: list[str]) -> str:
    entries = []
    for p, key in zip(papers, keys, strict=False):
        entries.append(
            f"@article{{{key},\n  title={{{p['title']}}},\n  author={{{p['author'] or 'Anon, A.'}}},\n"
            f"  year={{{p['year']}}}\n}}\n"
        )
    return "\n".join(entries)


def _keys(db) -> dict[int, str]:
    conn = sqlite3.connect(db)
    keys = dict(conn.execute("SELECT id, key FROM papers"))
    conn.close()
    return keys


def _import(db, folder, paths) -> None:
    conn = catalog.connect(db, create=True)
    try:
        run_import(conn, paths, folder)
    finally:
        conn.close()


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    first=st.lists(paper, min_size=1, max_size=8),
    later=st.lists(st.lists(paper, max_size=6), min_size=1, max_size=3),
    claimed=st.lists(st.integers(0, 20), max_size=4),
)
def test_keys_never_change_as_the_catalog_grows(tmp_path_factory, first, later, claimed):
    folder = tmp_path_factory.mktemp("grow")
    db = folder / "catalog.db"
    (folder / "first.md").write_text(_markdown(first), encoding="utf-8")
    _import(db, folder, [folder / "first.md"])
    given_keys = _keys(db)
    assert len(set(given_keys.values())) == len(given_keys)
    files = [folder / "first.md"]
    for step, papers in enumerate(later):
        md = folder / f"more{step}.md"
        md.write_text(_markdown(papers + first[:1]), encoding="utf-8")  # a known paper, restated
        bib = folder / f"more{step}.bib"
        taken = sorted(given_keys.values())
        hints = [taken[i % len(taken)] for i in claimed] + [f"fresh{step}{i}" for i in range(len(papers))]
        bib.write_text(_bibtex(papers[::-1] + first[-1:], hints), encoding="utf-8")
        files += [md, bib]
        _import(db, folder, files)
        now = _keys(db)
        assert {pid: now[pid] for pid in given_keys} == given_keys  # every earlier key kept
        assert len(set(now.values())) == len(now)
        given_keys = now


def test_resumed_key_search_gives_what_a_search_from_scratch_gives():
    from medlit.importing.keys import next_free, unique

    used = {"deep2024learning", "deep2024learningc", "deep2024learningaa"}
    after = -1
    for _ in range(60):
        expected = unique("deep2024learning", used.__contains__)
        key, after = next_free("deep2024learning", used.__contains__, after)
        assert key == expected
        used.add(key)
    assert "deep2024learningbh" in used and len(used) == 63


def _rows(n: int, start: int = 0) -> list[str]:
    """Papers whose keys clash (one first author, year and first word) and some with ids."""
    rows = []
    for i in range(start, start + n):
        link = f"[doi](https://doi.org/10.1000/fin.{i})" if i % 3 == 0 else ""
        link = f"[arXiv](https://arxiv.org/abs/1003.{1000 + i:05d})" if i % 3 == 1 else link
        rows.append(f"| FinViro {i}-stage analysis of retinal scans {link} | Dosshika A, Lee B | {2010} | |")
    return rows


def _list(rows: list[str]) -> str:
    return "# Papers\n\n| Title | Authors | Year | Code |\n|---|---|---|---|\n" + "\n".join(rows) + "\n"


def _by_title(db) -> dict[str, str]:
    conn = sqlite3.connect(db)
    keys = dict(conn.execute("SELECT title_norm, key FROM papers"))
    conn.close()
    return keys


def test_a_paper_that_returns_gets_its_old_key_back(tmp_path):
    db, path = tmp_path / "catalog.db", tmp_path / "list.md"
    rows = _rows(60)
    path.write_text(_list(rows), encoding="utf-8")
    _import(db, tmp_path, [path])
    first = _by_title(db)
    assert (
        len(set(first.values())) == 60
        and sum(k.startswith("dosshika2010finviro") for k in first.values()) == 60
    )
    path.write_text(_list(rows[:10] + rows[40:]), encoding="utf-8")  # 30 rows deleted
    _import(db, tmp_path, [path])
    assert len(_by_title(db)) == 30
    # a new paper of one of their titles but another DOI is another work: no key of theirs
    other = tmp_path / "other.md"
    other.write_text(_list([rows[12].replace("10.1000/fin.12", "10.1000/else.12")]), encoding="utf-8")
    _import(db, tmp_path, [path, other])
    stranger = set(_by_title(db).values()) - set(first.values())
    assert len(stranger) == 1
    path.write_text(_list(rows[::-1]), encoding="utf-8")  # re-added, in another order
    other.write_text(_list([]), encoding="utf-8")
    _import(db, tmp_path, [path, other])
    assert _by_title(db) == first


def test_an_overlapping_second_list_changes_no_key(tmp_path):
    db, a, b = tmp_path / "catalog.db", tmp_path / "a.md", tmp_path / "b.md"
    rows = _rows(40)
    a.write_text(_list(rows), encoding="utf-8")
    _import(db, tmp_path, [a])
    first = _by_title(db)
    # the second list repeats 20 of them (retyped in lower case) among 20 new ones
    b.write_text(_list([r.lower() for r in rows[10:30]] + _rows(20, start=100)), encoding="utf-8")
    _import(db, tmp_path, [a, b])
    now = _by_title(db)
    assert len(now) == 60
    assert {t: now[t] for t in first} == first
