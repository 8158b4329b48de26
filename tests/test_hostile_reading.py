"""Every reader runs in linear time, whatever a document holds (issue 19, speed on hostile input).

One case per pattern that once made a reader quadratic: runs of spaces in an author line,
IEEE-style author lists, long digit runs in a venue, bracketed venue labels, arXiv-like text,
DOI tails in a .bib, cells full of brackets. Each document is built at 60 KB and 600 KB with
its hostile part growing with it. Times are CPU seconds of this process, compared only with
a plain document of the same size read in the same run: the 1 MB hostile document within a
few times the plain one, and 10 times the bytes at most 25 times the time (linear is 10;
quadratic would be 100).
"""

from __future__ import annotations

import time

import pytest

from medlit.readers import read_text

KB = 1000
# ten times the bytes: a quadratic reader would take a hundred times as long (the sizes keep
# the suite's run short: at 100 KB and 1 MB these cases took 50 s of it)
SMALL, LARGE = 60 * KB, 600 * KB
ITEM = "1. **A title of a medical imaging paper,** Radiology (2019) [read](https://x.org/a)\n\n"


def _plain(n: int) -> str:
    rows = []
    size = 0
    i = 0
    while size < n:
        row = f"- [MICCAI 2019] A title of a medical imaging paper number {i} [[pdf]](https://x.org/{i})\n"
        rows.append(row)
        size += len(row)
        i += 1
    return "# Papers\n\n" + "".join(rows)


HOSTILE = {
    "spaces in an author line": lambda n: ("md", f"# Papers\n\n{ITEM}    *Anna Smith{' ' * n}Bob Jones*\n"),
    "IEEE-style author list": lambda n: ("md", f"# Papers\n\n{ITEM}    *" + "A. Smith, Member, IEEE, " * (n // 24) + "B. Jones*\n"),
    "digit run in a venue": lambda n: ("md", "# Papers\n\n1. **A title of a paper,** Radiology 12" + "3" * n + "(2019)\n"),
    "numbers and spaces in a venue": lambda n: ("md", "# Papers\n\n1. **A title of a paper,** Radiology " + "1 " * (n // 2) + ": 5\n"),
    "bracketed venue label": lambda n: ("md", "# Papers\n\n- [MICCAI" + " 2019" * (n // 5) + "] A title of a paper [[pdf]](https://x.org/a)\n"),
    "brackets that never close": lambda n: ("md", "# Papers\n\n- " + "[" * n + " A title of a medical imaging paper\n"),
    "arXiv-like text": lambda n: ("md", "# Papers\n\n- [A title of a medical imaging paper](https://x.org/a) " + "arXiv " * (n // 6) + "\n"),
    "arXiv id of digits": lambda n: ("md", "# Papers\n\n- [A title of a medical imaging paper](https://x.org/a) arXiv:" + "1" * n + "\n"),
    "DOI tails in a .bib": lambda n: ("bib", "@article{a, title={A title of a paper}, doi={10.1234/abc" + "/pdf" * (n // 4) + "}}\n"),
    "DOI punctuation in a .bib": lambda n: ("bib", "@article{a, title={A title of a paper}, doi={10.1234/abc" + ".)" * (n // 2) + "}}\n"),
    "unclosed braces in a .bib": lambda n: ("bib", "@article{a, title={A title" + "{" * (n // 2) + "\n" + "@article{b, title={x}\n" * (n // 44)),
    "a cell full of brackets": lambda n: ("md", "| Title | Year |\n|---|---|\n| A paper " + "[" * (n // 2) + "]" * (n // 2) + " | 2019 |\n"),
    "a cell full of links": lambda n: ("md", "| Title | Year |\n|---|---|\n| A paper " + "[a](b)" * (n // 6) + " | 2019 |\n"),
    "line breaks with spaces": lambda n: ("md", "**A title of a medical imaging paper.** [8th Feb., 2021]" + "<br      >" * (n // 10) + "\n"),
    "a long Vancouver author list": lambda n: ("md", "# Papers\n\n- " + "Smith J, " * (n // 9) + "Jones K. A title of a paper. Radiology 2019.\n"),
    "a long APA author list": lambda n: ("md", "# Papers\n\n- " + "Smith, J. K., " * (n // 14) + "& Jones, K. (2019). A title of a paper. Radiology, 1(2), 3-4.\n"),
    "an unclosed quote": lambda n: ("md", "# Papers\n\n- \"" + "Title words, " * (n // 13) + "MIDL 2018.\n"),
    "labels and dates in brackets": lambda n: ("md", "**A title of a paper.** " + "[8th Feb., 2021] [⚡MICCAI, 2021] " * (n // 34) + "\n"),
}  # fmt: skip


def _cpu(kind: str, text: str) -> float:
    start = time.process_time()
    read_text(text, f"hostile.{kind}", f".{kind}")
    return time.process_time() - start


@pytest.fixture(scope="module")
def plain() -> dict[int, float]:
    return {n: _cpu("md", _plain(n)) for n in (SMALL, LARGE)}


@pytest.mark.parametrize("pattern", list(HOSTILE))
def test_hostile_document_reads_in_linear_time(pattern, plain):
    small, large = (HOSTILE[pattern](n) for n in (SMALL, LARGE))
    assert 0.9 * LARGE <= len(large[1].encode()) <= 1.3 * LARGE
    t_small = _cpu(*small)
    t_large = _cpu(*large)
    assert t_large <= 4 * plain[LARGE], (pattern, t_large, plain)
    # a floor from the plain document: a hostile case that is fast when small stays fast
    assert t_large <= 25 * max(t_small, plain[SMALL] / 20), (pattern, t_small, t_large)
