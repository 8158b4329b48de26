"""Round trips through the writers (hypothesis): any title survives BibTeX export and import,
any catalog survives markdown export and import, any table survives import, export, import."""

from __future__ import annotations

import json

from conftest import run
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from medlit.normalise import Paper, title_key
from medlit.readers.bibtex import read_bibtex
from medlit.readers.inline import clean_title
from medlit.readers.labels import is_placeholder
from medlit.readers.sanity import without_controls
from medlit.writers.bibtex import to_string
from medlit.writers.markdown import escape

# characters that mean something to LaTeX, BibTeX, markdown or HTML, and the words around them
HOSTILE = [*"\\{}$%&#_^~`'\"-.,;:!?()[]<>|@=*+/", "--", "``", "''", "?`", "!`", "&amp;", "&#65;", "&copy"]
HOSTILE += ["CT", "U-Net", "DeepLung", "3D", "é", "ß", "Å", "肺结节", " ", "a", "Z", "http://x.org", "<br>"]
HOSTILE += ["1.", "# ", "- ", "> ", "***", "{\\'e}", "$x^2$", "\\textbf{x}", "\u00a0", "\u2013"]
TITLES = st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=80) | st.lists(
    st.sampled_from(HOSTILE), min_size=1, max_size=24
).map("".join)
SLOW = [HealthCheck.function_scoped_fixture, HealthCheck.too_slow]


def catalog_title(raw: str) -> str:
    """A title as the catalog holds one: what the readers make of any text."""
    return clean_title(without_controls(raw, "x")[0])


def _distinct(raws: list[str]) -> list[str]:
    """The distinct titles of table rows; a placeholder (`TBA`, `None`) is a row kept for a
    paper to come, which the reader skips."""
    titles, seen = [], set()
    for raw in raws:
        title = catalog_title(raw)
        if title and not is_placeholder(title) and title_key(title) and title_key(title) not in seen:
            seen.add(title_key(title))
            titles.append(title)
    return titles


def _titles(db) -> list[str]:
    result = run("export", "json", "--db", db)
    assert result.exit_code == 0, result.stderr
    return sorted(p["title"] for p in json.loads(result.stdout))


@settings(max_examples=300, deadline=None)
@given(raw=TITLES, kind=st.sampled_from(["journal", "conference", "thesis", "book", "preprint", None]))
def test_any_title_survives_bibtex_export_and_parse(raw, kind):
    title = catalog_title(raw)
    if not title:
        return
    paper = Paper(title=title, key="k2020x", year=2020, venue="Medical Image Analysis", venue_kind=kind)
    result = read_bibtex(to_string([paper]), "refs.bib")
    assert not result.skips
    assert [r.title for r in result.records] == [title]


@settings(max_examples=40, deadline=None, suppress_health_check=SLOW)
@given(raws=st.lists(TITLES, min_size=1, max_size=6), lang=st.sampled_from(["en", "zh"]))
def test_any_titles_survive_bibtex_then_markdown_through_the_cli(tmp_path_factory, raws, lang):
    titles = _distinct(raws)
    if not titles:
        return
    folder = tmp_path_factory.mktemp("roundtrip")
    papers = [Paper(title=t, key=f"k{i}", year=2000 + i, venue_kind="journal") for i, t in enumerate(titles)]
    (folder / "in.bib").write_text(to_string(papers), encoding="utf-8")
    assert run("import", folder / "in.bib", "--db", folder / "a.db").exit_code == 0
    assert _titles(folder / "a.db") == sorted(titles)
    for fmt, suffix in (("bibtex", "bib"), ("markdown", "md")):
        exported = run("export", fmt, "--lang", lang, "--db", folder / "a.db")
        (folder / f"out.{suffix}").write_text(exported.stdout, encoding="utf-8")
        again = folder / f"{fmt}.db"
        result = run("import", folder / f"out.{suffix}", "--db", again)
        assert result.exit_code == 0 and "skipped:" not in result.stderr, result.stderr
        assert _titles(again) == sorted(titles), exported.stdout


MODALITIES = ["CT", "MRI", "US", "PET", "X-ray", "超声", "-", ""]
ORGANS = ["lung", "brain", "liver", "肺", "breast", "乳腺", "-", ""]
TECHNIQUES = ["CNN", "U-Net", "GAN", "FCN", "3D-CNN", "-", ""]
VENUES = ["MICCAI", "TMI", "MedIA", "Nature", "ISBI", "Radiology", ""]
HEADINGS = ["Segmentation", "分类问题", "Detection", "Registration", "Other"]
ROW = st.tuples(
    TITLES,
    st.sampled_from(MODALITIES),
    st.sampled_from(ORGANS),
    st.sampled_from(TECHNIQUES),
    st.sampled_from(VENUES),
)


def _facts(db) -> list[tuple]:
    result = run("export", "json", "--db", db)
    return sorted(
        (
            p["title"],
            p["year"],
            p["venue"],
            sorted(p["modalities"]),
            sorted(p["organs"]),
            sorted(p["techniques"]),
            sorted(p["tasks"]),
        )
        for p in json.loads(result.stdout)
    )


@settings(max_examples=40, deadline=None, suppress_health_check=SLOW)
@given(
    rows=st.lists(ROW, min_size=1, max_size=8),
    heading=st.sampled_from(HEADINGS),
    lang=st.sampled_from(["en", "zh"]),
)
def test_any_table_round_trips_through_markdown_export(tmp_path_factory, rows, heading, lang):
    folder = tmp_path_factory.mktemp("table")
    titles = _distinct([row[0] for row in rows])
    lines = [
        f"| {escape(title)} | {2000 + i} | {m} | {o} | {t} | {v} |"
        for i, (title, (_raw, m, o, t, v)) in enumerate(zip(titles, rows, strict=False))
    ]
    if not lines:
        return
    table = "| Title | Year | Modality | Organ | Technique | Venue |\n|---|---|---|---|---|---|\n"
    (folder / "list.md").write_text(f"## {heading}\n\n{table}" + "\n".join(lines) + "\n", encoding="utf-8")
    assert run("import", folder / "list.md", "--db", folder / "a.db").exit_code == 0
    first = _facts(folder / "a.db")
    assert sorted(f[0] for f in first) == sorted(titles)
    exported = run("export", "markdown", "--lang", lang, "--db", folder / "a.db").stdout
    (folder / "again.md").write_text(exported, encoding="utf-8")
    result = run("import", folder / "again.md", "--db", folder / "b.db")
    assert result.exit_code == 0 and "skipped:" not in result.stderr, result.stderr
    assert _facts(folder / "b.db") == first, exported
