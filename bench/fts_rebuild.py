"""What rebuilding the full-text index costs at the end of an import (catalog/browse.py).

    python bench/fts_rebuild.py CATALOG [--runs 5]

Times `refresh_search_index` inside a transaction that is rolled back, on a copy of CATALOG
(upgraded to the current schema first), and prints the median and the papers indexed.
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import statistics
import tempfile
import time
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("catalog", type=Path)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    from medlit.api import Catalog
    from medlit.catalog import browse

    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "catalog.db"
        shutil.copy(args.catalog, db)
        with Catalog.open(db) as cat:
            papers, _ = cat.count()  # opens it, upgrading an older schema
        conn = sqlite3.connect(db, isolation_level=None)
        times = []
        for _ in range(args.runs):
            conn.execute("BEGIN IMMEDIATE")
            started = time.perf_counter()
            browse.refresh_search_index(conn)
            times.append(time.perf_counter() - started)
            conn.execute("ROLLBACK")
        conn.close()
    print(f"{papers} papers: rebuild median {statistics.median(times):.3f} s (min {min(times):.3f} s)")


if __name__ == "__main__":
    main()
