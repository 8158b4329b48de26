"""medlit's benchmark: start-up against the interpreter floor, then import, search and export
at several catalog sizes, as whole-process wall times (median of several runs) and peak memory.

    python bench/run.py                          # 1k, 10k and 100k papers
    python bench/run.py --sizes 100000,1000000   # any sizes
    python bench/run.py --small                  # what CI runs: small sizes, quickly
    python bench/run.py --json results.json      # the figures for scripts too

Corpora come from bench/generate.py and are cached in bench/out/ (regenerated when the
generator changes); each import goes into a fresh catalog there. Before every timed run
the runner calls sync(), so that a run does not pay for writing back the previous run's
hundreds of MiB; searches get one untimed warm-up run, as a catalog in use is in the page
cache. Standard library only.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import os
import platform
import shutil
import sqlite3
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
OUT = BENCH / "out"
sys.path.insert(0, str(BENCH))

import generate  # noqa: E402 - the sibling module, found through the line above
from measure import Measurement, measure  # noqa: E402

DEFAULT_SIZES = (1_000, 10_000, 100_000)
SMALL_SIZES = (500, 2_000)
FUZZY_QUERY = "unet convolutonal segmentaton lung"
STARTUP_RATIO = 5.0

# measure -> {size: (limit, unit)}; size None is the shipped catalog. Units: "x" is the ratio
# to the interpreter floor, "s" seconds, "MiB" peak memory.
TARGETS: dict[str, dict[int | None, list[tuple[float, str]]]] = {
    "help": {None: [(STARTUP_RATIO, "x")]},
    "search (shipped)": {None: [(STARTUP_RATIO, "x")]},
    "import": {10_000: [(2.0, "s")], 100_000: [(15.0, "s")]},
    "filtered search": {100_000: [(0.35, "s")], 1_000_000: [(1.0, "s")]},
    "fuzzy search": {100_000: [(0.6, "s"), (250.0, "MiB")], 1_000_000: [(3.0, "s")]},
    "bibtex export": {100_000: [(8.0, "s")]},
}
# growth exponent k in time ~ N^k between the smallest and largest size: (largest k allowed, text)
GROWTH_TARGETS = {
    "filtered search": (0.99, "sublinear: k < 1"),
    "fuzzy search": (1.0, "at most linear: k <= 1"),
}


@dataclass
class Row:
    measure: str
    size: int | None  # papers; None for the shipped catalog
    result: Measurement
    note: str = ""  # ratio to the floor, throughput, result count
    ratio: float | None = None
    papers: int | None = None  # papers in the catalog an import built: exactly the size generated

    def checks(self) -> list[tuple[str, bool | None]]:
        """(target text, met?) for every target of this measure at this size."""
        out = self._time_checks()
        if self.papers is not None:  # a wrong merge or a missed one is a bug, whatever the time
            out.append((f"= {self.size:,} papers", self.papers == self.size))
        return out

    def _time_checks(self) -> list[tuple[str, bool | None]]:
        out = []
        for limit, unit in TARGETS.get(self.measure, {}).get(self.size, []):
            if unit == "x":
                value = self.ratio
                text = f"<= {limit:g}x"
            elif unit == "MiB":
                value = self.result.peak_mib
                text = f"<= {limit:g} MiB"
            else:
                value = self.result.seconds
                text = f"<= {limit:g} s"
            out.append((text, None if value is None else value <= limit))
        return out

    def as_json(self) -> dict:
        return {
            "measure": self.measure,
            "papers": self.size,
            "runs": len(self.result.times),
            "seconds": self.result.seconds,
            "times": self.result.times,
            "peak_mib": self.result.peak_mib,
            "ratio_to_floor": self.ratio,
            "note": self.note,
            "error": self.result.error,
            "targets": [{"target": t, "met": ok} for t, ok in self.checks()],
        }


# ------------------------------------------------------------------ the commands


def medlit_command(explicit: str | None) -> list[str]:
    """The `medlit` a user runs: the console script beside this interpreter, else `-m medlit`."""
    if explicit:
        return explicit.split()
    beside = Path(sys.executable).parent / "medlit"
    if beside.exists():
        return [str(beside)]
    found = shutil.which("medlit")
    return [found] if found else [sys.executable, "-m", "medlit"]


def child_env() -> dict[str, str]:
    """The environment of a user's shell: no catalog override, and Python may cache bytecode
    (PYTHONDONTWRITEBYTECODE would make every run compile medlit's modules afresh)."""
    dropped = ("MEDLIT_DB", "MEDLIT_DEBUG", "PYTHONDONTWRITEBYTECODE")
    env = {k: v for k, v in os.environ.items() if k not in dropped}
    env["NO_COLOR"] = "1"
    return env


def corpus(size: int, out: Path) -> Path:
    """The generated lists for `size` papers, made once per version of the generator."""
    digest = hashlib.sha256(Path(generate.__file__).read_bytes()).hexdigest()[:10]
    folder = out / f"corpus-{size}-{digest}"
    if not folder.exists():
        partial = out / f".partial-{size}-{os.getpid()}"
        shutil.rmtree(partial, ignore_errors=True)
        generate.write(size, partial)
        partial.rename(folder)
    return folder


def paper_rows(path: Path) -> int:
    """Table rows that name a paper (headers and rules excluded)."""
    with open(path, encoding="utf-8") as f:
        return sum(
            line.startswith("| ") and not line.startswith(("| 计算机", "| Technique", "| ---")) for line in f
        )


def line_count(path: Path) -> int:
    with open(path, "rb") as f:
        return sum(1 for _ in f)


def papers_in(db: Path) -> int:
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT COUNT(*) FROM papers").fetchone()[0]


# ------------------------------------------------------------------ the measures


def progress(row: Row) -> Row:
    """Say on stderr what was just measured: a 1M-paper run takes a while."""
    r = row.result
    figure = f"failed: {r.error}" if r.error else f"{r.seconds:.3f} s, {r.peak_mib:.0f} MiB {row.note}"
    print(f"    {row.measure}: {figure}", file=sys.stderr, flush=True)
    return row


def startup(medlit: list[str], runs: int, env: dict) -> tuple[Measurement, list[Row]]:
    floor = measure([sys.executable, "-c", "import sqlite3"], runs, env=env, warmup=True)
    rows = []
    shipped = ROOT / "catalog.db"
    for name, argv in (
        ("help", [*medlit, "--help"]),
        ("search (shipped)", [*medlit, "search", "--modality", "CT", "--organ", "lung", "--format", "json",
                              "--db", str(shipped)]),
    ):  # fmt: skip
        result = measure(argv, runs, cwd=ROOT, env=env, warmup=True)
        ratio = result.seconds / floor.seconds if result.seconds and floor.seconds else None
        rows.append(progress(Row(name, None, result, f"{ratio:.1f}x floor" if ratio else "", ratio)))
    return floor, rows


def at_size(medlit: list[str], size: int, runs: int, env: dict, timeout: float, out: Path) -> list[Row]:
    lists = corpus(size, out)
    files = sorted(lists.glob("*.md"))
    table_rows = sum(paper_rows(f) for f in files)
    print(f"  {size:,} papers: {len(files)} files, {table_rows:,} rows", file=sys.stderr)
    db = out / f"catalog-{size}.db"
    scratch = out / f"scratch-{size}"
    scratch.mkdir(parents=True, exist_ok=True)

    def fresh() -> None:
        for suffix in ("", "-journal", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
        os.sync()

    rows = []
    imported = measure([*medlit, "import", str(lists), "--db", str(db), "-q"], runs, env=env,
                       before=fresh, timeout=timeout, stdout=scratch / "import.out")  # fmt: skip
    note, papers = "", None
    if imported.seconds:
        papers = papers_in(db)
        note = f"{table_rows / imported.seconds:,.0f} rows/s, {papers:,} papers"
    rows.append(progress(Row("import", size, imported, note, papers=papers)))
    if imported.error:
        return rows
    searches = (
        ("filtered search", ["search", "--modality", "CT", "--organ", "lung", "--format", "keys"]),
        ("fuzzy search", ["search", FUZZY_QUERY, "--format", "keys", "--limit", "20"]),
    )
    for name, words in searches:
        printed = scratch / f"{name.replace(' ', '-')}.out"
        result = measure([*medlit, *words, "--db", str(db)], runs, env=env, stdout=printed, timeout=timeout,
                         before=os.sync, warmup=True)  # fmt: skip
        note = "" if result.error else f"{line_count(printed):,} results"
        rows.append(progress(Row(name, size, result, note)))
    bib = scratch / "export.bib"
    result = measure([*medlit, "export", "bibtex", "-o", str(bib), "--db", str(db)], runs, env=env,
                     timeout=timeout, stdout=scratch / "export.out", before=os.sync)  # fmt: skip
    note = "" if result.error else f"{bib.stat().st_size / 2**20:,.1f} MiB written"
    rows.append(progress(Row("bibtex export", size, result, note)))
    return rows


def growth(rows: list[Row]) -> list[dict]:
    """How time grows with the catalog: the exponent k in time ~ N^k, smallest to largest N."""
    out = []
    for name, (limit, text) in GROWTH_TARGETS.items():
        points = sorted((r.size, r.result.seconds) for r in rows if r.measure == name and r.result.seconds)
        if len(points) < 2:
            continue
        (n0, t0), (n1, t1) = points[0], points[-1]
        k = math.log(t1 / t0) / math.log(n1 / n0)
        out.append({"measure": name, "from": n0, "to": n1, "exponent": k, "target": text, "met": k <= limit})
    return out


# ------------------------------------------------------------------ report


def table(floor: Measurement, rows: list[Row], grows: list[dict]) -> str:
    """A plain text table: one line per measure and size, targets and verdicts beside the figures."""
    head = ("measure", "papers", "runs", "median s", "peak MiB", "target", "verdict", "")
    lines = [head]
    floor_cells = (str(len(floor.times)), _f(floor.seconds, 3), _f(floor.peak_mib, 0))
    lines.append(("interpreter floor", "-", *floor_cells, "", "", "python -c 'import sqlite3'"))
    for r in rows:
        checks = r.checks()
        if r.result.error:
            verdict = "MISS" if checks else "SKIP"
            note = f"not run: {r.result.error}"
        else:
            verdict = " ".join("PASS" if ok else "MISS" for _, ok in checks)
            note = r.note
        size = "shipped" if r.size is None else f"{r.size:,}"
        figures = (str(len(r.result.times)), _f(r.result.seconds, 3), _f(r.result.peak_mib, 0))
        lines.append((r.measure, size, *figures, ", ".join(t for t, _ in checks), verdict, note))
    for g in grows:
        span = f"{g['from']:,}-{g['to']:,}"
        verdict = "PASS" if g["met"] else "MISS"
        note = f"time ~ N^k, k = {g['exponent']:.2f}"
        lines.append((f"{g['measure']} growth", span, "", "", "", g["target"], verdict, note))
    widths = [max(len(line[i]) for line in lines) for i in range(len(head))]
    text = []
    for n, line in enumerate(lines):
        cells = [c.rjust(widths[i]) if i in (2, 3, 4) else c.ljust(widths[i]) for i, c in enumerate(line)]
        text.append("  ".join(cells).rstrip())
        if n == 0:
            text.append("  ".join("-" * w for w in widths).rstrip())
    return "\n".join(text)


def _f(value: float | None, digits: int) -> str:
    return "-" if value is None else f"{value:,.{digits}f}"


def machine() -> dict:
    mem = ""
    try:
        total = next(
            line for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal")
        )
        mem = f"{int(total.split()[1]) / 2**20:.0f} GiB"
    except (OSError, StopIteration):
        pass
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    return {
        "cpus": os.cpu_count(),
        "memory": mem,
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "platform": platform.platform(),
        "commit": commit.stdout.strip(),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", help="comma-separated catalog sizes in papers (default 1000,10000,100000)")
    parser.add_argument("--small", action="store_true", help=f"sizes {SMALL_SIZES}, fewer runs: for CI")
    parser.add_argument("--runs", type=int, default=5, help="runs per measure at each size (default 5)")
    parser.add_argument("--startup-runs", type=int, default=11, help="runs per start-up measure (default 11)")
    parser.add_argument("--timeout", type=float, default=1800, help="seconds before a run is stopped")
    parser.add_argument("--medlit", help="the command to measure (default: medlit beside this python)")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument("--out", type=Path, default=OUT, help="where corpora and catalogs go (bench/out)")
    args = parser.parse_args()
    sizes = SMALL_SIZES if args.small else DEFAULT_SIZES
    if args.sizes:
        sizes = tuple(int(s.replace("_", "")) for s in args.sizes.split(","))
    runs = 1 if args.small else args.runs
    startup_runs = 3 if args.small else args.startup_runs
    medlit = medlit_command(args.medlit)
    env = child_env()
    args.out.mkdir(parents=True, exist_ok=True)

    print(f"medlit: {' '.join(medlit)}", file=sys.stderr)
    print("start-up", file=sys.stderr)
    floor, rows = startup(medlit, startup_runs, env)
    for size in sizes:
        rows += at_size(medlit, size, runs, env, args.timeout, args.out)
    grows = growth(rows)
    info = machine()
    print(f"\nmachine: {info['cpus']} cores, {info['memory']}, Python {info['python']}, "
          f"SQLite {info['sqlite']}, commit {info['commit']}")  # fmt: skip
    print(table(floor, rows, grows))
    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    "machine": info,
                    "floor": {"seconds": floor.seconds, "times": floor.times, "peak_mib": floor.peak_mib},
                    "rows": [r.as_json() for r in rows],
                    "growth": grows,
                },
                indent=2,
            )
            + "\n"
        )
    wrong = [r for r in rows if r.papers is not None and r.papers != r.size]
    for r in wrong:
        print(f"import of {r.size:,} generated papers built {r.papers:,}: a merge is wrong or missed",
              file=sys.stderr)  # fmt: skip
    return 1 if wrong else 0


if __name__ == "__main__":
    sys.exit(main())
