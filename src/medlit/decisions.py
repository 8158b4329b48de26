"""The user's own decisions about papers, kept apart from what documents say.

Each decision is a row of `decisions` (when, what kind, which citation key, its data as
JSON, whether it was undone): edits, tags, notes, removals. Keys never change, so a
decision finds its paper again after any re-import; `apply` writes enriched fields and
edits over the papers rows after every import (the import rewrites what documents say).
Tags are also kept as rows of `tags`, so that `search --tag` is an indexed lookup.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from datetime import UTC, datetime

from medlit import paper_fields
from medlit.errors import UserError

KINDS = ("edit", "tag", "untag", "note", "rm", "add")


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def record(conn: sqlite3.Connection, kind: str, key: str, data: dict | None = None) -> int:
    """Store one decision; the caller holds the write transaction."""
    cur = conn.execute(
        "INSERT INTO decisions (made_at, kind, key, data) VALUES (?, ?, ?, ?)",
        (now(), kind, key, json.dumps(data or {}, ensure_ascii=False)),
    )
    return cur.lastrowid


def paper_id(conn: sqlite3.Connection, key: str) -> int:
    """The paper with `key`, or a UserError with the closest keys."""
    row = conn.execute("SELECT id FROM papers WHERE key = ?", (key,)).fetchone()
    if row:
        return row[0]
    import difflib

    known = [r[0] for r in conn.execute("SELECT key FROM papers WHERE key IS NOT NULL")]
    close = difflib.get_close_matches(key, known, n=3, cutoff=0.6)
    hint = f"; did you mean {', '.join(close)}?" if close else " (list keys with: medlit search -f keys)"
    raise UserError(f"no paper with key {key!r}{hint}")


# ------------------------------------------------------------------ tags, notes, removal


def clean_tag(tag: str) -> str:
    text = " ".join(tag.split())
    if not text or "," in text:
        raise UserError(f"tag {tag!r} must be a non-empty word or phrase without commas")
    return text


def tag(conn: sqlite3.Connection, key: str, tags: Iterable[str], remove: bool = False) -> list[str]:
    """Add (or remove) tags; returns the paper's tags after."""
    paper_id(conn, key)
    wanted = [clean_tag(t) for t in tags]
    record(conn, "untag" if remove else "tag", key, {"tags": wanted})
    if remove:
        conn.executemany("DELETE FROM tags WHERE key = ? AND tag = ?", [(key, t) for t in wanted])
    else:
        conn.executemany("INSERT OR IGNORE INTO tags VALUES (?, ?)", [(key, t) for t in wanted])
    return tags_of(conn, [key]).get(key, [])


def note(conn: sqlite3.Connection, key: str, text: str | None) -> None:
    """Set the paper's note (None clears it): the latest note is the one shown and exported."""
    paper_id(conn, key)
    record(conn, "note", key, {"text": " ".join(text.split()) if text else None})


def remove(conn: sqlite3.Connection, key: str, undo: bool = False) -> bool:
    """Hide a paper from search and export (or show it again); False if nothing changed."""
    paper_id(conn, key)
    if undo:
        cur = conn.execute(
            "UPDATE decisions SET undone = 1 WHERE kind = 'rm' AND key = ? AND undone = 0", (key,)
        )
        return cur.rowcount > 0
    if is_hidden(conn, key):
        return False
    record(conn, "rm", key)
    return True


def is_hidden(conn: sqlite3.Connection, key: str) -> bool:
    sql = "SELECT 1 FROM decisions WHERE kind = 'rm' AND undone = 0 AND key = ?"
    return conn.execute(sql, (key,)).fetchone() is not None


def tags_of(conn: sqlite3.Connection, keys: list[str]) -> dict[str, list[str]]:
    return _by_key(conn, "SELECT key, tag FROM tags WHERE key IN ({marks}) ORDER BY key, tag", keys)


def notes_of(conn: sqlite3.Connection, keys: list[str]) -> dict[str, str]:
    """The latest note of each paper (undone notes and cleared ones give none)."""
    sql = (
        "SELECT key, data FROM decisions WHERE kind = 'note' AND undone = 0 AND key IN ({marks}) ORDER BY id"
    )
    notes: dict[str, str] = {}
    for key, texts in _by_key(conn, sql, keys).items():
        last = json.loads(texts[-1]).get("text")
        if last:
            notes[key] = last
    return notes


def _by_key(conn: sqlite3.Connection, sql: str, keys: list[str]) -> dict[str, list]:
    found: dict[str, list] = {}
    if not keys or not _has_table(conn, "decisions"):
        return found
    for start in range(0, len(keys), 900):  # SQLite takes at most 999 variables a statement
        part = keys[start : start + 900]
        for key, value in conn.execute(sql.format(marks=",".join("?" * len(part))), part):
            found.setdefault(key, []).append(value)
    return found


def _has_table(conn: sqlite3.Connection, name: str) -> bool:
    return (
        conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (name,)).fetchone()
        is not None
    )


# ------------------------------------------------------------------ edits


def edit(
    conn: sqlite3.Connection,
    key: str,
    sets: dict[str, object],
    adds: dict[str, list[str]],
    removes: dict[str, list[str]],
) -> None:
    """Record an edit (fields set, facet values added or removed) and apply it now."""
    from medlit.vocab import load

    vocab = load()
    pid = paper_id(conn, key)
    data = {
        "set": sets,
        "add": {f: [_facet_value(vocab, f, v) for v in vs] for f, vs in adds.items()},
        "remove": {f: [_facet_value(vocab, f, v) for v in vs] for f, vs in removes.items()},
    }
    record(conn, "edit", key, data)
    _apply_edit(conn, vocab, pid, data)


def _facet_value(vocab, facet: str, value: str) -> str:
    from medlit.listing import FACETS

    if facet not in FACETS:
        raise UserError(f"unknown facet {facet!r}; facets are: {', '.join(FACETS)}")
    canon = vocab.canonical(facet, value)
    if canon is None:
        suggestions = vocab.suggest(facet, value)
        hint = f"; did you mean {', '.join(suggestions)}?" if suggestions else ""
        raise UserError(f"unknown {facet} {value!r}{hint} (see: medlit vocab {facet})")
    return canon


def _apply_edit(conn: sqlite3.Connection, vocab, pid: int, data: dict) -> None:
    for field, value in data.get("set", {}).items():
        paper_fields.write(conn, pid, field, value, vocab)
    for facet, values in data.get("add", {}).items():
        conn.executemany(
            "INSERT OR REPLACE INTO facets VALUES (?, ?, ?, 1, 0)", [(pid, facet, v) for v in values]
        )
    for facet, values in data.get("remove", {}).items():
        conn.executemany(
            "DELETE FROM facets WHERE paper_id = ? AND facet = ? AND value = ?",
            [(pid, facet, v) for v in values],
        )


def edited_fields(conn: sqlite3.Connection, key: str) -> dict[str, str]:
    """field -> when the user last set it."""
    rows = conn.execute(
        "SELECT made_at, data FROM decisions WHERE kind = 'edit' AND undone = 0 AND key = ? ORDER BY id",
        (key,),
    )
    return {field: made_at for made_at, data in rows for field in json.loads(data).get("set", {})}


# ------------------------------------------------------------------ after every import


def apply(conn: sqlite3.Connection, paper_ids: Iterable[int] | None = None) -> None:
    """Write enriched fields into papers that lack them, then the user's edits, in order.

    Run whenever papers are merged again from their records (importing.engine.settle: an
    import, a split, a join; inside its transaction), for those papers (`paper_ids`; None:
    all): a merge rewrites papers from their records alone. A field a document now gives is
    left to the document and its enriched value is kept as a disagreement (applied = 0)."""
    if not _has_table(conn, "provenance"):
        return
    from medlit.vocab import load

    vocab = load()
    ids = dict(conn.execute("SELECT key, id FROM papers WHERE key IS NOT NULL"))
    if paper_ids is not None:
        wanted = set(paper_ids)
        ids = {key: pid for key, pid in ids.items() if pid in wanted}
        if not ids:
            return
    edits: dict[str, list[dict]] = {}
    for key, data in conn.execute(
        "SELECT key, data FROM decisions WHERE kind = 'edit' AND undone = 0 ORDER BY id"
    ):
        edits.setdefault(key, []).append(json.loads(data))
    edited = {key: {f for d in ds for f in d.get("set", {})} for key, ds in edits.items()}
    rows = conn.execute("SELECT key, field, source, value FROM provenance WHERE applied = 1").fetchall()
    for key, field, source, value in rows:
        pid = ids.get(key)
        if pid is None or field in edited.get(key, ()):
            continue
        value = json.loads(value)
        now_value = paper_fields.current(conn, pid, field)
        if paper_fields.fillable_now(conn, pid, field, value):
            paper_fields.write(conn, pid, field, value, vocab)
        elif now_value != paper_fields.stored_form(field, value, vocab):
            conn.execute(
                "UPDATE provenance SET applied = 0 WHERE key = ? AND field = ? AND source = ?",
                (key, field, source),
            )
    for key, datas in edits.items():
        pid = ids.get(key)
        if pid is not None:
            for data in datas:
                _apply_edit(conn, vocab, pid, data)
