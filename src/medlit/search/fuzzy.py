"""Fuzzy title search: typos, word order and missing words, in English and Chinese.

A title's score aligns each query word with its closest title word (`align`), so
`unet biomedical segmentaton` puts U-Net first rather than any title that happens to
share two long words. Scoring every title that way in Python is too slow for a large
catalog, so `rank` first computes, for every title at once (numpy), an upper bound of that
score from the title's words: the import stores each title's words as hashes, and each
distinct word is compared with the query once. Titles are then scored exactly in order of
their bound until no unscored title can beat the RECALL best: the best titles are found
however many titles tie. Authors and abstracts are matched by whole words and count a
little less than titles.
"""

from __future__ import annotations

import os
import sqlite3

from medlit.search.title_words import process
from medlit.text import CJK

RECALL = 300  # at most this many titles are ranked
MIN_SCORE = 62.0
_STOP = frozenset("a an the of for in on and with to from by via using".split())


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
        if CJK.search(q):
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
    """(paper id, score 0-100), best first, for papers that match well enough: the RECALL
    best titles, and papers whose authors or abstract match."""
    from rapidfuzz import fuzz
    from rapidfuzz import process as rf

    q = process(query)
    if not q:
        return []

    def titles(wanted: list[int] | None) -> dict[int, str]:
        if wanted is None:
            return dict(_rows(conn, ids, "title_search"))
        from medlit.catalog import rows_by_id

        sql = "SELECT id, title_search FROM papers WHERE 1"
        return dict(rows_by_id(conn, sql, wanted, keep_order=False))

    scores = dict(_best_titles(_rows(conn, ids, "title_hashes"), titles, q, RECALL))
    for column, factor in (("authors", 0.9), ("abstract", 0.8)):
        # most papers have no authors ("[]") and no abstract: nothing there can reach the
        # cut-off, so only the others are read, through a partial index (catalog.SCHEMA)
        present = f"{column} NOT IN ('', '[]')"
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


def _best_titles(rows: list[tuple], titles, query: str, k: int) -> list[tuple[int, float]]:
    """The k best (id, align score) of rows (id, word hashes) scoring at least MIN_SCORE,
    best first, ties by id; titles(ids, or None for all) reads processed titles. Titles are
    scored in order of an upper bound of their score (`_bounds`) until the k-th best beats
    every bound left. A title must also be somewhat like the whole query (WRatio >= 50):
    that keeps `gan` from finding `agent`."""
    import heapq

    # medlit does no linear algebra: numpy starts twice as fast without BLAS's thread pool
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    import numpy as np
    from rapidfuzz.fuzz import WRatio

    words = query.split()
    if not rows:
        return []
    ids, blobs = zip(*rows, strict=True)
    pids = np.array(ids, np.int64)
    bound = _bounds(pids, blobs, titles, words)
    cand = np.flatnonzero(bound >= MIN_SCORE)
    cand = cand[np.lexsort((pids[cand], -bound[cand]))]
    best: list[tuple[float, int]] = []  # min-heap of (score, -id): best[0] is the k-th best
    for start in range(0, len(cand), 256):
        if len(best) == k and best[0][0] > bound[cand[start]]:
            break
        batch = pids[cand[start : start + 256]].tolist()
        text = titles(batch)
        for pid in batch:
            score = align(words, text[pid])
            if score >= MIN_SCORE and WRatio(query, text[pid], score_cutoff=50):
                item = (score, -pid)
                if len(best) < k:
                    heapq.heappush(best, item)
                elif item > best[0]:
                    heapq.heapreplace(best, item)
    return [(-neg, score) for score, neg in sorted(best, reverse=True)]


def _bounds(pids, blobs: tuple[bytes, ...], titles, words: list[str]):
    """For every title (its id, its word hashes), a number >= align(words, its text).

    align sums, for each query word, its best score over the title's words: that best is
    computed once per distinct word and then taken per title with numpy, over the words
    that score at all. Its tightness term is bounded by counting query words that match
    some title word (two may share one)."""
    import numpy as np
    from rapidfuzz import fuzz
    from rapidfuzz import process as rf

    n = len(blobs)
    counts = np.fromiter(map(len, blobs), np.int64, n) // 4
    hashes = np.frombuffer(b"".join(blobs), "<u4")
    codes, reps = _vocabulary(hashes)
    del hashes
    # each distinct word, read from one title that has it
    ends = np.cumsum(counts)
    owner = np.searchsorted(ends, reps, side="right")
    owner_ids = pids[owner].tolist()
    text = titles(sorted(set(owner_ids)))  # in id order: SQLite reads neighbouring pages
    vocab = []
    for pid, at in zip(owner_ids, (reps - (ends[owner] - counts[owner])).tolist(), strict=True):
        split = text.get(pid, "").split()
        vocab.append(split[at] if at < len(split) else "")
    scored = np.zeros((len(words), len(vocab)), np.float32)  # query word x distinct word
    weights = np.zeros(len(words))
    cjk = []
    for j, q in enumerate(words):
        weights[j] = max(len(q), 2) if q not in _STOP else 0.5
        if CJK.search(q):  # align compares it with the whole title: below
            cjk.append(j)
            continue
        per_word = rf.cdist([q], vocab, scorer=fuzz.ratio, dtype=np.float32, workers=-1)[0]
        if len(q) >= 4:
            per_word[[i for i, v in enumerate(vocab) if q in v and q != v]] = 90.0
        per_word[per_word < 60] = 0.0
        scored[j] = per_word
    # only the words that score for some query word matter: their occurrences, by title
    at = np.flatnonzero(scored.any(axis=0)[codes])
    title_of = np.searchsorted(ends, at, side="right")
    first = np.flatnonzero(np.diff(title_of, prepend=-1))
    hit = title_of[first]
    word_at = codes[at]
    total = np.zeros(n)
    matched = np.zeros(n, np.int64)
    for j in range(len(words)):
        if j in cjk:
            every = titles(None)
            whole = [every.get(pid, "") for pid in pids.tolist()]
            best = rf.cdist([words[j]], whole, scorer=fuzz.partial_ratio, workers=-1)[0]
            total += weights[j] * np.where(best >= 60, best, 0.0)
            continue
        best = np.zeros(n, np.float32)
        if len(at):
            best[hit] = np.maximum.reduceat(scored[j][word_at], first)
        total += weights[j] * best
        matched += best >= 80
    tightness = 100.0 * np.minimum(matched, counts) / np.maximum(counts, 1)
    bound = 0.9 * (total / weights.sum()) + 0.1 * tightness + 1e-3  # float32 ratios: a margin
    bound[counts == 0] = 0.0
    return bound


def _vocabulary(hashes):
    """(code of each hash, position of one occurrence of each code): distinct words numbered
    in O(n) through a table indexed by the hashes' top bits; hashes that share their top bits
    with another get codes of their own."""
    import numpy as np

    bits = 20
    slot = (hashes >> (32 - bits)).astype(np.intp)
    table = np.zeros(1 << bits, np.int32)  # 1 + the position of some occurrence; 0: none
    table[slot] = np.arange(1, len(hashes) + 1, dtype=np.int32)
    used = np.flatnonzero(table)
    reps = table[used].astype(np.intp) - 1
    table[used] = np.arange(len(used), dtype=np.int32)  # now each slot's code
    owner_hash = np.zeros(1 << bits, hashes.dtype)
    owner_hash[used] = hashes[reps]
    codes = table[slot]
    clash = np.flatnonzero(owner_hash[slot] != hashes)
    if len(clash):
        _other, first, inverse = np.unique(hashes[clash], return_index=True, return_inverse=True)
        codes[clash] = len(reps) + inverse
        reps = np.concatenate([reps, clash[first]])
    return codes, reps


def _rows(conn: sqlite3.Connection, ids: list[int] | None, column: str, where: str = "1") -> list[tuple]:
    """(id, column) of every paper, or of those in `ids`, where `where` holds."""
    sql = f"SELECT id, {column} FROM papers WHERE {where}"
    if ids is None:
        return conn.execute(sql).fetchall()
    from medlit.catalog import rows_by_id

    return rows_by_id(conn, sql, ids, keep_order=False)
