"""Round trip of real lists: import a list, render each of its sections back from the catalog
(`section="..." source=LIST`), and count the entry lines that come back byte for byte.

Two figures per list: with each paper's own entry reused (what `medlit render` does), and
with every entry written from the section's learned shape alone (how good the shapes are).
`python bench/roundtrip.py [LIST...]` (default: the seeds and ../shared/corpora).
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def measure(path: Path) -> dict:
    """{'entries': entry lines, 'same': lines back byte for byte, 'shape_same': the same from
    shapes alone, 'sections': sections rendered, 'differ': [(section, original line)],
    'repeated': entries left out as a second listing of a paper in the same section}."""
    from medlit import catalog
    from medlit.entries import read_document
    from medlit.importing.engine import run_import
    from medlit.render import Block
    from medlit.render_blocks import BlockWriter

    with tempfile.TemporaryDirectory(prefix="medlit-roundtrip-") as tmp:
        copy = Path(tmp) / path.name
        shutil.copyfile(path, copy)
        conn = catalog.connect(Path(tmp) / "c.db", create=True)
        try:
            run_import(conn, [copy], Path(tmp))
            _lines, _result, entries = read_document(copy, copy.name)
            sections = list(
                dict.fromkeys(e.record.source.section for e in entries if e.record.source.section)
            )
            totals = {"entries": 0, "same": 0, "shape_same": 0, "sections": len(sections), "differ": []}
            totals["repeated"] = 0
            paper_of = dict(conn.execute("SELECT line, paper_id FROM records"))
            for section in sections:
                seen: set[int] = set()
                original = []
                for e in entries:
                    if (e.record.source.section or "").casefold() != section.casefold():
                        continue
                    paper = paper_of.get(e.line)
                    if paper in seen:
                        totals["repeated"] += 1  # a paper listed twice in one section is rendered once
                        continue
                    seen.add(paper)
                    original += [line for line in e.lines if line.strip()]
                block = Block(0, 0, 0, {"section": section, "source": str(copy)})
                counts = []
                for reuse in (True, False):
                    writer = BlockWriter(conn, Path(tmp), "", str(Path(tmp) / "none.md"), reuse=reuse)
                    rendered = writer.content(block, None).split("\n")
                    counts.append(sum((Counter(original) & Counter(rendered)).values()))
                    if reuse:
                        missing = Counter(original) - Counter(rendered)
                        totals["differ"] += [(section, line) for line in missing.elements()]
                totals["entries"] += len(original)
                totals["same"] += counts[0]
                totals["shape_same"] += counts[1]
        finally:
            conn.close()
    return totals


def lists() -> list[Path]:
    corpora = ROOT.parent / "shared" / "corpora"
    found = sorted((ROOT / "seeds").glob("*.txt"))
    if corpora.is_dir():
        found += sorted(p for p in corpora.glob("*.md") if p.name != "README.md")
    return found


def main(argv: list[str]) -> None:
    paths = [Path(a) for a in argv] or lists()
    print("| list | sections | entry lines | byte for byte | from the shape alone | repeats left out |")
    print("|---|---:|---:|---:|---:|---:|")
    for path in paths:
        t = measure(path)
        n = t["entries"] or 1
        print(
            f"| {path.name} | {t['sections']} | {t['entries']} | {t['same'] / n:.1%} "
            f"| {t['shape_same'] / n:.1%} | {t['repeated']} |"
        )


if __name__ == "__main__":
    main(sys.argv[1:])
