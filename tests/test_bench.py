"""The benchmark runs end to end at a tiny size, so that it cannot rot (times are never asserted)."""

from __future__ import annotations

import json
import subprocess
import sys

from conftest import ROOT

MEASURES = ("help", "search (shipped)", "import", "filtered search", "fuzzy search", "bibtex export")


def test_runner_measures_everything_at_small_sizes(tmp_path):
    figures = tmp_path / "figures.json"
    done = subprocess.run(
        [
            sys.executable,
            str(ROOT / "bench" / "run.py"),
            "--small",
            "--out",
            str(tmp_path),
            "--json",
            str(figures),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert "interpreter floor" in done.stdout
    for name in MEASURES:
        assert f"\n{name} " in done.stdout, f"{name} missing from:\n{done.stdout}"
    report = json.loads(figures.read_text())
    rows = {(r["measure"], r["papers"]): r for r in report["rows"]}
    assert report["floor"]["seconds"] > 0
    for size in (500, 2000):
        imported = rows["import", size]
        assert imported["error"] is None and imported["runs"] >= 1
        assert f"{size:,} papers" in imported["note"]  # every generated paper is one catalog paper
        for name in ("filtered search", "fuzzy search"):
            assert rows[name, size]["error"] is None and rows[name, size]["seconds"] > 0
        assert ("bibtex export", size) in rows
    assert {g["measure"] for g in report["growth"]} == {"filtered search", "fuzzy search"}


def test_generator_is_deterministic_and_splits_large_lists(tmp_path):
    sys.path.insert(0, str(ROOT / "bench"))
    import generate

    first = generate.write(300, tmp_path / "a", rows_per_file=120)
    second = generate.write(300, tmp_path / "b", rows_per_file=120)
    assert len(first) >= 3
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in second]
    texts = [p.read_text(encoding="utf-8") for p in first]
    assert all(sum(line.startswith("| ") for line in t.splitlines()) <= 120 + 2 * 20 for t in texts)
    assert any(generate.HEADER_ZH in t for t in texts) and any(generate.HEADER_EN in t for t in texts)
