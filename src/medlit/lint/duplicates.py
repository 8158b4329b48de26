"""Papers listed more than once: ML101 (twice in one section), ML102 (in two sections), ML103
(a merge of entries whose titles differ, for the maintainer to confirm).

The lists are imported into a scratch catalog, so that "the same paper" means exactly what
it means to `medlit import` (same DOI or arXiv id, same title, a near-identical title)."""

from __future__ import annotations

import tempfile
from collections import defaultdict
from pathlib import Path

from medlit.lint import Finding
from medlit.readers.sanity import clip


def check(docs):
    """(doc, finding) pairs for the documents given, checked together."""
    if not any(doc.entries for doc in docs):
        return
    from medlit import catalog
    from medlit.importing.engine import run_import

    by_path = {doc.path.resolve().as_posix(): doc for doc in docs}
    with tempfile.TemporaryDirectory(prefix="medlit-lint-") as tmp:
        conn = catalog.connect(Path(tmp) / "lint.db", create=True)
        try:
            run_import(conn, [doc.path for doc in docs if doc.entries], Path(tmp))
            columns = {r[1] for r in conn.execute("PRAGMA table_info(records)")}
            # the evidence a merge was made on, where the importer keeps it
            evidence = "evidence" if "evidence" in columns else "NULL"
            rows = conn.execute(
                "SELECT paper_id, file, line, section, title_norm, doi, arxiv, "
                f"json_extract(data, '$.title'), {evidence} "
                "FROM records WHERE paper_id IN "
                "(SELECT paper_id FROM records GROUP BY paper_id HAVING COUNT(*) > 1) "
                "ORDER BY paper_id, file, line"
            ).fetchall()
        finally:
            conn.close()
    papers: dict[int, list[tuple]] = defaultdict(list)
    for row in rows:
        if row[1] in by_path:
            papers[row[0]].append(row)
    for group in papers.values():
        for i, first in enumerate(group):
            for second in group[i + 1 :]:
                yield from _pair(by_path, first, second)


def _pair(by_path, a, b):
    doc_a, doc_b = by_path[a[1]], by_path[b[1]]
    why = _evidence(a, b)
    if a[1] == b[1] and a[2] == b[2]:
        return  # one line read as two records
    if a[1] == b[1]:
        code = "ML101" if a[3] == b[3] else "ML102"
        where = "in this section" if code == "ML101" else f"under {a[3]!r} and {b[3]!r}"
        yield (
            doc_a,
            Finding(
                doc_a.name, a[2], code, f"{clip(a[7], 50)!r} listed again on line {b[2]} {where} ({why})"
            ),
        )
        yield (
            doc_b,
            Finding(
                doc_b.name, b[2], code, f"{clip(b[7], 50)!r} listed already on line {a[2]} {where} ({why})"
            ),
        )
    if a[4] != b[4]:
        there = f"line {a[2]}" if a[1] == b[1] else f"{doc_a.name}:{a[2]}"
        yield (
            doc_b,
            Finding(
                doc_b.name,
                b[2],
                "ML103",
                f"merged with {there} {clip(a[7], 50)!r} ({why}); split them if they differ",
            ),
        )


def _evidence(a, b) -> str:
    """Why the two are one paper: the importer's own evidence where it keeps it, with the id."""
    told = b[8] or a[8]
    if told == "doi" and a[5]:
        return f"same DOI {a[5]}"
    if told == "arxiv" and (a[6] or b[6]):
        return f"same arXiv id {a[6] or b[6]}"
    if told == "near title":
        return "near-identical title"
    if told:
        return str(told)
    if a[5] and a[5] == b[5]:
        return f"same DOI {a[5]}"
    if a[6] and a[6] == b[6]:
        return f"same arXiv id {a[6]}"
    if a[4] == b[4]:
        return "same title"
    return "near-identical title"
