"""Property-based tests (hypothesis): readers never crash on arbitrary text or bytes, and what
they return is always well formed; the import of any such text keeps the catalog consistent."""

from __future__ import annotations

import re
import sqlite3

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from medlit import catalog
from medlit.importing.engine import run_import
from medlit.readers import ReadError, read_bytes, read_text
from medlit.readers.sanity import MAX_TITLE

# pieces of the shapes the readers look for, so random text reaches deep into them
FRAGMENTS = [
    "| Title | Year | Modality | Organ | Venue | Dataset |\n|---|---|---|---|---|---|\n",
    "| 标题 | 年份 | 医学技术 | 目标区域 | 数据库 | J/C |\n| --- | --- | --- | --- | --- | --- |\n",
    "| Dataset | Organ |\n|---|---|\n", "| a | b |\n|---|---|\n", "|", " | ", "\n", "\n\n", "\r\n", "\r", "# ", "## References\n",
    "## Datasets\n", "### 分割问题\n", "- ", "1. ", "* ", "> ", "**", "*", "_", "`", "\\", "[", "]", "(",
    ")", "](", "[[pdf]](", "http://", "https://arxiv.org/abs/1505.04597", "10.1000/xyz", "arXiv:1234.56789",
    "---\ntitle: T\nauthors: A\n---\n", "<table><tr><td>x</td></tr></table>", "et al.", "Smith, J., ",
    "(2018)", "2016", "MICCAI", "TMI", "CT", "lung", "U-Net", "肺", "基于深度学习", "\t", "\x00", "\x1b",
    "\u200b", "\ufeff", "\u2028", "\u0301", "😀", "&amp;", "&#0;", "@article{k,\n title={", "},\n", "}\n",
    "@inproceedings{", "author = {", " and ", "year = 2019,", "{\\'e}", "$x^2$", "\\textbf{", "%",
]  # fmt: skip
MARKDOWNISH = st.lists(st.sampled_from(FRAGMENTS) | st.text(max_size=6), max_size=80).map("".join)
ANY_TEXT = st.text(max_size=500)
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def _line_count(text: str) -> int:
    return text.replace("\r\n", "\n").replace("\r", "\n").count("\n") + 1


@settings(max_examples=300, deadline=None)
@given(text=MARKDOWNISH | ANY_TEXT, suffix=st.sampled_from([".md", ".txt", ".bib"]))
def test_readers_never_crash_and_return_well_formed_results(text, suffix):
    result = read_text(text, "doc" + suffix, suffix)
    last = _line_count(text)
    for record in result.records:
        assert record.title and record.title == record.title.strip()
        assert len(record.title) <= MAX_TITLE
        assert not _CONTROLS.search(record.title)
        assert 1 <= record.source.line <= last
    for where in [s.source for s in result.skips] + [n.source for n in result.notices]:
        assert where.file == "doc" + suffix and 1 <= where.line <= last
    for mention in result.datasets:
        assert mention.name.strip()


@settings(max_examples=200, deadline=None)
@given(data=st.binary(max_size=3000) | MARKDOWNISH.map(lambda t: t.encode("gb18030", "replace")))
def test_bytes_are_text_or_one_clear_error(data):
    try:
        result, encoding = read_bytes(data, "doc.md", ".md")
    except ReadError as exc:
        message = str(exc)
        assert message.startswith("doc.md") and "\n" not in message
        return
    assert encoding in ("utf-8", "utf-16", "gb18030")
    assert all(record.title for record in result.records)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(documents=st.lists(MARKDOWNISH, min_size=1, max_size=3), suffix=st.sampled_from([".md", ".bib"]))
def test_importing_any_text_keeps_the_catalog_consistent(tmp_path_factory, documents, suffix):
    folder = tmp_path_factory.mktemp("fuzz")
    paths = []
    for n, text in enumerate(documents):
        path = folder / f"doc{n}{suffix}"
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
        paths.append(path)
    db = folder / "catalog.db"
    conn = catalog.connect(db, create=True)
    run_import(conn, paths, folder)
    paths[0].write_text(documents[-1] + "\n" + documents[0], encoding="utf-8", errors="surrogatepass")
    run_import(conn, paths, folder)  # an edited document replaces its records
    conn.close()
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    keys = [k for (k,) in conn.execute("SELECT key FROM papers")]
    assert None not in keys and len(keys) == len(set(keys))
    orphans = conn.execute(
        "SELECT COUNT(*) FROM papers p WHERE NOT EXISTS (SELECT 1 FROM records r WHERE r.paper_id = p.id)"
    ).fetchone()[0]
    assert orphans == 0
    conn.close()
