"""What each reader fast path saves: every bench list read with it and without it, in turn.

    python bench/fast_paths.py                 # 10k and 100k papers, 3 rounds
    python bench/fast_paths.py --sizes 10000

A fast path is a second implementation of something the readers already do (markdown-it
splitting a table or a cell, a regex cleaning a title); it stays only where it saves more
than 10 % of the whole import of 10k or 100k papers (issue 15). Reading time is CPU seconds
in this process, the import a whole `medlit import` process; the figures are in
bench/README.md ("Reader fast paths").
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))


def _variants():
    """name -> (patch, unpatch): each turns one fast path off."""
    from medlit.readers import inline, tables

    saved = {"simple": inline._simple_segments, "bodies": tables.fast_bodies}

    def set_simple(on):
        inline._simple_segments = saved["simple"] if on else (lambda content: None)
        inline._segments.cache_clear()
        inline.plain_text.cache_clear()

    def set_bodies(on):
        tables.fast_bodies = saved["bodies"] if on else (lambda lines: (lines, {}))

    return {
        "inline._SIMPLE (cells without markdown-it)": set_simple,
        "tables.fast_bodies": set_bodies,
    }


def read_all(files: list[Path]) -> float:
    from medlit.readers import read_bytes

    start = time.process_time()
    for path in files:
        read_bytes(path.read_bytes(), path.name, path.suffix)
    return time.process_time() - start


def main() -> None:
    import generate

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--medlit", default=str(Path(sys.executable).with_name("medlit")))
    args = parser.parse_args()
    variants = _variants()
    for size in args.sizes:
        with tempfile.TemporaryDirectory() as tmp:
            files = generate.write(size, Path(tmp) / "lists")
            db = Path(tmp) / "c.db"
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            subprocess.run(
                [args.medlit, "import", str(Path(tmp) / "lists"), "--db", str(db), "-q"], check=True
            )
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            # CPU seconds, as the reading is measured: a busy machine stretches wall time only
            whole = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
            print(f"{size:,} papers: whole import {whole:.2f} CPU s (one run)")
            for name, switch in variants.items():
                on, off = [], []
                for _ in range(args.rounds):  # in turn, so that a busy moment hits both
                    switch(True)
                    on.append(read_all(files))
                    switch(False)
                    off.append(read_all(files))
                switch(True)
                on_s, off_s = sorted(on)[len(on) // 2], sorted(off)[len(off) // 2]
                saved = off_s - on_s
                print(
                    f"  {name}: reading {on_s:.2f} s with, {off_s:.2f} s without: saves {saved:.2f} s, "
                    f"{saved / whole:.0%} of the import"
                )


if __name__ == "__main__":
    main()
