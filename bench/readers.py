"""How long searches take while an import runs: readers must never wait for a writer.

    python bench/readers.py                          # this build, 30k papers
    python bench/readers.py --papers 100000 --medlit /other/venv/bin/medlit

Imports the seeds into a fresh catalog, then starts `medlit import` of a generated list of
N papers into it and runs `medlit search --organ lung -f keys` again and again until the
import ends; prints how many searches ran and their median and longest wall time. Run two
builds in turn (`--medlit`) to compare them: the machine's load moves every figure.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--papers", type=int, default=30_000)
    # medlit beside this python, as run.py does: the venv need not be on PATH
    parser.add_argument("--medlit", default=str(Path(sys.executable).with_name("medlit")))
    args = parser.parse_args()
    sys.path.insert(0, str(HERE))
    import generate

    lists = HERE / "out" / f"readers-{args.papers}"
    if not lists.exists():
        generate.write(args.papers, lists)
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "catalog.db"
        seeds = [args.medlit, "import", ROOT / "seeds", "--db", db, "-q"]
        subprocess.run(seeds, check=True, capture_output=True)
        writer = subprocess.Popen([args.medlit, "import", lists, "--db", db, "-q"])
        times = []
        while writer.poll() is None:
            started = time.monotonic()
            search = [args.medlit, "search", "--organ", "lung", "-f", "keys", "--db", db]
            done = subprocess.run(search, capture_output=True, text=True)
            times.append(time.monotonic() - started)
            if done.returncode:
                sys.exit(f"a search failed during the import: {done.stderr.strip()}")
        if writer.returncode:
            sys.exit(f"the import failed ({writer.returncode})")
    if not times:
        sys.exit("the import ended before the first search")
    print(
        f"{len(times)} searches during an import of {args.papers:,} papers: "
        f"median {statistics.median(times):.2f} s, longest {max(times):.2f} s"
    )


if __name__ == "__main__":
    main()
