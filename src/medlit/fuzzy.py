"""Fuzzy title search: typos, word order and missing words, in English and Chinese.

Two stages. rapidfuzz's WRatio scores every candidate title in C (fast, good recall);
the best few hundred are then re-scored by aligning each query word with its closest
title word, so `unet biomedical segmentaton` puts U-Net first rather than any title that
happens to share two long words. Authors and abstracts are matched by whole words and
count a little less than titles.
"""

from __future__ import annotations

import re
import sqlite3
import unicodedata

RECALL = 300  # candidates kept from the first stage
MIN_SCORE = 62.0
# a joiner between two word characters; the class comes first so that re scans for it fast
_JOINERS = re.compile(r"[-‐‑'’](?<=\w.)(?=\w)")
_WORD = re.compile(r"[^\W_]+")
_CJK = re.compile(r"[\u3400-\u9fff]")
_STOP = frozenset("a an the of for in on and with to from by via using".split())


def process(text: str) -> str:
    """Lower case, `U-Net` -> `unet`, punctuation -> spaces (runs every search on every title)."""
    text = unicodedata.normalize("NFKC", text or "").casefold()
    return " ".join(_WORD.findall(_JOINERS.sub("", text)))


def align(query_words: list[str], title: str) -> float:
    """0-100: how well every query word finds a close word in the title."""
    from rapidfuzz.fuzz import partial_ratio, ratio

    words = title.split()
    if not words or not query_words:
        return 0.0
    total = weight = 0.0
    matched: set[int] = set()
    for q in query_words:
        w = max(len(q), 2) if q not in _STOP else 0.5
        if _CJK.search(q):
            best = partial_ratio(q, title)
        else:
            # a word inside a compound counts nearly whole: `lung` finds `DeepLung`
            scores = [90.0 if len(q) >= 4 and q in t and q != t else ratio(q, t) for t in words]
            i = max(range(len(words)), key=scores.__getitem__)
            best = scores[i]
            if best >= 80:
                matched.add(i)
        total += w * (best if best >= 60 else 0.0)
        weight += w
    coverage = total / weight
    tightness = 100.0 * len(matched) / len(words)
    return 0.9 * coverage + 0.1 * tightness


def rank(conn: sqlite3.Connection, query: str, ids: list[int] | None) -> list[tuple[int, float]]:
    """(paper id, score 0-100), best first, for papers that match well enough."""
    from rapidfuzz import fuzz
    from rapidfuzz import process as rf

    q = process(query)
    if not q:
        return []
    rows = _rows(conn, ids, "title")
    titles = [process(r[1]) for r in rows]
    first = rf.extract(q, titles, scorer=fuzz.WRatio, processor=None, limit=RECALL, score_cutoff=50)
    words = q.split()
    scores: dict[int, float] = {}
    for _title, _score, index in first:
        score = align(words, titles[index])
        if score >= MIN_SCORE:
            scores[rows[index][0]] = score
    for column, factor in (("authors", 0.9), ("abstract", 0.8)):
        # most papers have no authors ("[]") and no abstract: nothing there can reach the
        # cut-off, so only the others are read (in the same order)
        present = f"{column} IS NOT NULL AND {column} NOT IN ('', '[]')"
        texts = [(r[0], process(r[1])) for r in _rows(conn, ids, column, present)]
        for _t, score, index in rf.extract(
            q,
            [t for _, t in texts],
            scorer=fuzz.token_set_ratio,
            processor=None,
            limit=RECALL,
            score_cutoff=90,
        ):
            pid = texts[index][0]
            scores[pid] = max(scores.get(pid, 0.0), score * factor)
    return sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))


def _rows(conn: sqlite3.Connection, ids: list[int] | None, column: str, where: str = "1") -> list[tuple]:
    """(id, column) of every paper, or of those in `ids`, where `where` holds."""
    sql = f"SELECT id, {column} FROM papers WHERE {where}"
    if ids is None:
        return conn.execute(sql).fetchall()
    from medlit.catalog import rows_by_id

    return rows_by_id(conn, sql, ids, keep_order=False)
