"""What a user sees in a terminal and what a script reads from a pipe: the pager, the
table's authors and counts, TSV and CSV columns, `show` in a pipe, stats charts."""

from __future__ import annotations

import csv
import io
import json
import os
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import exported, medlit, run


def _keys(db, *args) -> list[str]:
    return run("search", *args, "-f", "keys", "--db", db).stdout.split()


# ------------------------------------------------------------------ TSV and CSV


@pytest.mark.parametrize("query", [(), ("unet segmentation",)])
def test_tsv_has_a_header_and_the_same_columns_with_or_without_a_query(seed_db, query):
    lines = run("search", *query, "--organ", "brain", "-f", "tsv", "--db", seed_db).stdout.splitlines()
    assert lines[0].split("\t") == ["key", "year", "venue", "title", "score"]
    rows = [line.split("\t") for line in lines[1:]]
    assert rows and all(len(r) == 5 for r in rows)
    assert [r[0] for r in rows] == _keys(seed_db, *query, "--organ", "brain")
    if query:
        assert all(0 < float(r[4]) <= 100 for r in rows)
    else:
        assert all(r[4] == "" for r in rows)


def test_tsv_columns_hold_what_export_json_says(seed_db):
    papers = {p["key"]: p for p in exported(seed_db)}
    lines = run("search", "--organ", "lung", "-f", "tsv", "--db", seed_db).stdout.splitlines()[1:]
    for key, year, _venue, title, _ in (line.split("\t") for line in lines):
        assert title == papers[key]["title"]
        assert year == str(papers[key]["year"] or "")


@pytest.mark.parametrize("query", [(), ("liver",)])
def test_csv_has_a_score_column_with_or_without_a_query(seed_db, query):
    text = run("search", *query, "--organ", "liver", "-f", "csv", "--db", seed_db).stdout
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][-1] == "score" and rows[0][0] == "key"
    assert all(len(r) == len(rows[0]) for r in rows[1:])
    scores = [r[-1] for r in rows[1:]]
    assert all(s for s in scores) if query else all(s == "" for s in scores)


def test_export_csv_has_the_same_header_as_search(seed_db):
    exported_head = run("export", "csv", "--db", seed_db).stdout.splitlines()[0]
    searched_head = run("search", "x-ray", "-f", "csv", "--db", seed_db).stdout.splitlines()[0]
    assert exported_head == searched_head


# ------------------------------------------------------------------ the table


def test_table_shows_first_authors_and_how_many_of_how_many(seed_db):
    everything = _keys(seed_db, "--organ", "brain")
    result = run(
        "search", "--organ", "brain", "-f", "table", "-n", "3", "--db", seed_db, env={"COLUMNS": "250"}
    )
    assert result.exit_code == 0, result.stderr
    assert f"3 of {len(everything)} shown" in result.stdout
    assert "author" in result.stdout.splitlines()[1]
    papers = {p["key"]: p for p in exported(seed_db)}
    for key in everything[:3]:
        authors = [a for a in papers[key]["authors"] if a != "others"]
        if authors:
            assert authors[0].split(",")[0] in result.stdout


def test_table_first_author_forms():
    from medlit.writers.table import first_author, shown

    assert first_author(["Ronneberger, Olaf", "Fischer, Philipp"]) == "Ronneberger et al."
    assert first_author(["Tajbakhsh, Nima", "others"]) == "Tajbakhsh et al."
    assert first_author(["叶明"]) == "叶明"
    assert first_author([]) == first_author(["others"]) == ""
    assert shown(20, 245) == "20 of 245 shown" and shown(7, 7) == "7 papers" and shown(1, None) == "1 paper"


def test_table_without_a_limit_says_how_many(seed_db):
    keys = _keys(seed_db, "--organ", "liver")
    result = run("search", "--organ", "liver", "-f", "table", "--db", seed_db, env={"COLUMNS": "200"})
    assert f"{len(keys)} papers" in result.stdout and " shown" not in result.stdout


# ------------------------------------------------------------------ show, stats


def test_show_in_a_pipe_never_wraps(seed_db):
    paper = next(p for p in exported(seed_db) if p["key"] == "qayyum2017medical")
    assert len(paper["abstract"]) > 500 and "\n" not in paper["abstract"]
    result = medlit("show", "qayyum2017medical", "--db", seed_db)  # a pipe, as in `| grep`
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert f"  {paper['abstract']}" in lines
    assert f"  {'authors':>9}  {'; '.join(paper['authors'])}" in lines


def test_stats_bars_scale_to_real_values_and_none_stands_apart(seed_db):
    counts = json.loads(run("stats", "--by", "organ", "-f", "json", "--db", seed_db).stdout)["counts"][
        "organ"
    ]
    assert counts["(none)"] > max(n for v, n in counts.items() if v != "(none)")  # the case that squashed
    chart = run("stats", "--by", "organ", "-f", "table", "--db", seed_db).stdout.splitlines()
    bars = {}
    for line in chart:
        parts = line.split()
        if len(parts) == 3 and set(parts[1]) == {"█"}:
            bars[parts[0]] = (len(parts[1]), int(parts[2]))
    real = {v: n for v, n in counts.items() if v != "(none)"}
    assert {v: n for v, (_, n) in bars.items()} == real
    peak = max(real.values())
    for value, (width, n) in bars.items():
        assert width == max(1, round(30 * n / peak)), value
    assert f"  (none): {counts['(none)']} with no organ" in chart


def test_stats_top_keeps_none_apart(seed_db):
    counts = json.loads(run("stats", "--by", "organ", "-f", "json", "--db", seed_db).stdout)["counts"][
        "organ"
    ]
    top = json.loads(run("stats", "--by", "organ", "--top", "2", "-f", "json", "--db", seed_db).stdout)
    real = [v for v in counts if v != "(none)"]
    assert list(top["counts"]["organ"]) == [*real[:2], "(none)"]


# ------------------------------------------------------------------ the pager, in a real terminal


def _in_terminal(args, tmp_path: Path, rows: int = 24, extra_env: dict | None = None) -> tuple[str, str]:
    """Run medlit on a pseudo-terminal of `rows` lines; PAGER is a script that keeps what it
    is given. Returns (what the terminal showed, what the pager got)."""
    import fcntl
    import pty
    import struct
    import termios

    paged = tmp_path / "paged.txt"
    pager = tmp_path / "pager.sh"
    pager.write_text(f"#!/bin/sh\ncat > '{paged}'\n")
    pager.chmod(0o755)
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, 120, 0, 0))
    env = {k: v for k, v in os.environ.items() if k not in ("MEDLIT_DEBUG", "MEDLIT_DB", "COLUMNS", "LINES")}
    env.update({"PAGER": str(pager), "TERM": "xterm", **(extra_env or {})})
    proc = subprocess.Popen(
        [sys.executable, "-m", "medlit", *map(str, args)], stdin=slave, stdout=slave, stderr=slave, env=env
    )
    os.close(slave)
    shown = b""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        ready, _, _ = select.select([master], [], [], 1)
        if ready:
            try:
                chunk = os.read(master, 65536)
            except OSError:  # the other side closed
                break
            if not chunk:
                break
            shown += chunk
        elif proc.poll() is not None:
            break
    proc.wait(timeout=60)
    os.close(master)
    assert proc.returncode == 0, shown.decode(errors="replace")[-2000:]
    return shown.decode(errors="replace"), paged.read_text() if paged.exists() else ""


def test_long_output_on_a_terminal_goes_through_the_pager(seed_db, tmp_path):
    shown, paged = _in_terminal(["search", "--db", seed_db], tmp_path)
    keys = _keys(seed_db)
    assert len(keys) > 24
    assert all(key in paged for key in keys)
    assert f"{len(keys)} papers" in paged
    assert keys[-1] not in shown  # the terminal itself got none of the table
    assert "\x1b]8;" not in paged  # no hyperlink escapes for a pager that would show them as text


def test_no_pager_prints_straight_to_the_terminal(seed_db, tmp_path):
    shown, paged = _in_terminal(["search", "--no-pager", "--db", seed_db], tmp_path)
    assert paged == ""
    assert _keys(seed_db)[-1] in shown


def test_short_output_needs_no_pager(seed_db, tmp_path):
    shown, paged = _in_terminal(["search", "--organ", "liver", "-n", "2", "--db", seed_db], tmp_path, rows=40)
    assert paged == ""
    assert "2 of " in shown


def test_show_pages_a_long_paper_on_a_small_terminal(seed_db, tmp_path):
    shown, paged = _in_terminal(["show", "qayyum2017medical", "--db", seed_db], tmp_path, rows=8)
    assert "qayyum2017medical" in paged and "read from" in paged
    assert "read from" not in shown
