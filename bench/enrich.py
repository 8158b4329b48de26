"""How many requests `medlit enrich` makes: N papers with arXiv ids, against the local
server of tests/services.py (arXiv's Atom format, every well-formed id a paper), twice.

    python bench/enrich.py                 # 1,000 papers (about 20 s: arXiv's 3 s pause)
    python bench/enrich.py --papers 5000 --interval 0.1

Prints the requests of each run per service and the papers given authors; the first run
must stay within ceil(N / 200) arXiv requests, the second make none. Standard library only
(besides medlit and its dependencies); no network beyond 127.0.0.1.
"""

from __future__ import annotations

import argparse
import math
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from services import Services  # noqa: E402


def write_list(path: Path, papers: int) -> None:
    """A numbered list of papers, each linking its arXiv abstract page (ids 2101.10000 on)."""
    lines = ["# Preprints", ""]
    for n in range(papers):
        ident = f"{21 + n // 90000:02d}{1 + (n // 9000) % 9:02d}.{10000 + n % 9000}"
        lines.append(f"{n + 1}. **Synthetic paper {ident}** [arXiv](https://arxiv.org/abs/{ident})")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def medlit(*args: str, env: dict) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "medlit", *args]
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=3600)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--papers", type=int, default=1000)
    parser.add_argument("--interval", type=float, default=None, help="seconds between arXiv requests")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, Services(synthetic=True) as services:
        folder = Path(tmp)
        write_list(folder / "preprints.md", args.papers)
        db = folder / "catalog.db"
        env = {k: v for k, v in os.environ.items() if not k.startswith("MEDLIT_")}
        env.update(services.env())
        for source in ("ARXIV", "CROSSREF", "OPENALEX"):  # each service's own pace
            env.pop(f"MEDLIT_{source}_INTERVAL")
        if args.interval is not None:
            env["MEDLIT_ARXIV_INTERVAL"] = str(args.interval)
        done = medlit("import", str(folder), "--db", str(db), "-q", env=env)
        if done.returncode:
            print(done.stderr, file=sys.stderr)
            return 1
        rows = []
        for run in (1, 2):
            before = len(services.requests())
            started = time.monotonic()
            done = medlit("enrich", "--db", str(db), env=env)
            seconds = time.monotonic() - started
            if done.returncode:
                print(done.stderr, file=sys.stderr)
                return 1
            asked = services.requests()[before:]
            per = {s: sum(1 for r in asked if r[0] == s) for s in ("arxiv", "crossref", "openalex")}
            rows.append((run, len(asked), per, seconds, done.stderr.strip().splitlines()[-1]))
        budget = math.ceil(args.papers / 200)
        print(f"enrich {args.papers:,} papers with arXiv ids (local server, arXiv batches of 200)")
        print(f"{'run':>3}  {'requests':>8}  {'arxiv':>5}  {'crossref':>8}  {'openalex':>8}  {'seconds':>7}")
        for run, total, per, seconds, _ in rows:
            counts = f"{per['arxiv']:>5}  {per['crossref']:>8}  {per['openalex']:>8}"
            print(f"{run:>3}  {total:>8}  {counts}  {seconds:>7.1f}")
        print(f"summary of run 1: {rows[0][4]}")
        ok = rows[0][1] <= max(budget, 15) and rows[1][1] == 0
        print(f"target: run 1 at most {max(budget, 15)} requests, run 2 none: {'PASS' if ok else 'MISS'}")
        return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
