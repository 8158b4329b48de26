"""Reading speed: BibTeX files and the readers' fast paths, whole processes as a user runs them.

    python bench/reading.py                 # a 10,000-entry .bib, and 10k/100k markdown papers
    python bench/reading.py --bib 10000 --runs 5

The .bib is written in the shape of a Zotero export (braced capitals, `month = jan`, LaTeX
accents in a tenth of the names, long abstracts, DOIs and URLs); the figures are in
bench/README.md ("Reading").
"""

from __future__ import annotations

import argparse
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
WORDS = (
    "deep learning segmentation network convolutional medical image lung brain liver cardiac "
    "attention transformer registration detection nodule tumor ultrasound MRI CT adversarial "
    "generative semi-supervised domain adaptation uncertainty graph multi-scale residual"
).split()
FAMILIES = ["Smith", "Wang", "Müller", "Pérez-García", "Li", "Zhang", "Ronneberger", "Kamnitsas", "Çukur"]
LATEX = {"Müller": 'M{\\"u}ller', "Pérez-García": "P{\\'e}rez-Garc{\\'i}a", "Çukur": "{\\c{C}}ukur"}
GIVEN = ["Anna", "Wei", "Olaf", "Fernando", "Tolga", "Konstantinos", "Yichi"]


def bib(n: int, seed: int = 1) -> str:
    rng = random.Random(seed)
    out = []
    for i in range(n):
        title = " ".join(rng.choice(WORDS) for _ in range(rng.randint(5, 12)))
        if rng.random() < 0.3:
            title = "{" + title.split()[0].upper() + "} " + title
        authors = []
        for _ in range(rng.randint(1, 6)):
            family = rng.choice(FAMILIES)
            family = LATEX.get(family, family) if rng.random() < 0.5 else family
            authors.append(f"{family}, {rng.choice(GIVEN)}")
        year = rng.randint(1995, 2025)
        kind = rng.choice(["article", "inproceedings", "misc"])
        if kind == "article":
            pages = f"{rng.randint(1, 900)}--{rng.randint(901, 999)}"
            volume = rng.randint(1, 90)
            venue = f"journal = {{Medical Image Analysis}},\n  volume = {{{volume}}},\n  pages = {{{pages}}},"
        elif kind == "inproceedings":
            venue = (
                "booktitle = {Medical Image Computing and Computer-Assisted Intervention -- {MICCAI} 2015},"
            )
        else:
            eprint = f"{year % 100:02d}{rng.randint(1, 12):02d}.{i:05d}"
            venue = f"eprint = {{{eprint}}},\n  archiveprefix = {{arXiv}},"
        abstract = " ".join(rng.choice(WORDS) for _ in range(rng.randint(60, 160)))
        out.append(
            f"@{kind}{{key{i},\n  title = {{{title}}},\n  author = {{{' and '.join(authors)}}},\n"
            f"  year = {{{year}}},\n  month = jan,\n  {venue}\n  doi = {{10.1000/bench.{i}}},\n"
            f"  url = {{https://doi.org/10.1000/bench.{i}}},\n  abstract = {{{abstract}}},\n"
            f"  keywords = {{{rng.choice(WORDS)}, {rng.choice(WORDS)}}},\n}}\n"
        )
    return "\n".join(out)


def timed(cmd: list[str], runs: int, fresh: Path | None = None) -> float:
    """Median wall time of `runs` runs; `fresh` (a catalog) is removed before each."""
    times = []
    for _ in range(runs):
        if fresh is not None:
            fresh.unlink(missing_ok=True)
        start = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return sorted(times)[len(times) // 2]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--bib", type=int, default=10_000, help="entries in the generated .bib")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--medlit", default=str(Path(sys.executable).with_name("medlit")))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.bib"
        path.write_text(bib(args.bib), encoding="utf-8")

        db = Path(tmp) / "b.db"
        seconds = timed([args.medlit, "import", str(path), "--db", str(db), "-q"], args.runs, fresh=db)
        print(f"import of a {args.bib:,}-entry .bib ({path.stat().st_size / 2**20:.1f} MiB): {seconds:.2f} s")


if __name__ == "__main__":
    main()
