"""What goes between one pair of markers: which papers, in which shape, from which entries.

Papers come from the marker's filters, or from the section it names (in the order the
sources list them). Each paper's own entry is found by reading again the file its record
came from (an entry that no longer reads as that record is not used); the list's shape is
learned from entries as shapes.py says. Without any entry to learn from, seed 001's tables.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from medlit import catalog, shapes
from medlit.entries import Entry, read_document
from medlit.errors import ReadError
from medlit.normalise import title_key
from medlit.render import Block, heading_path

SEED_ROLES = ["technique", "modality", "organ", "title", "datasets", "venue", "year"]


class BlockWriter:
    def __init__(self, conn: sqlite3.Connection, catalog_dir: Path, text: str, name: str, reuse: bool = True):
        self.conn = conn
        self.reuse = reuse  # False: every entry written from the shape (to measure the shapes)
        self.notes: list[tuple[int, str]] = []  # (marker line, what the user should know)
        self.catalog_dir = catalog_dir
        self.text = text
        self._files: dict[str, dict[int, Entry]] = {}
        path = Path(name)
        # named as the catalog names files, so that its entries and the catalog's records meet
        self.document = read_document(path, self._stored(name))[2] if path.is_file() else []

    # ------------------------------------------------------------------ papers

    def content(self, block: Block, ids: list[int] | None) -> str:
        """The block's text (no line break at either end). `ids`: the papers the marker's
        filters select, or None when it has none."""
        attrs = block.attrs
        section = attrs.get("section")
        records = self._records(ids, section, attrs.get("source"))
        if section and not records:
            self._nothing_under(block, section, attrs.get("source"))
        order = list(dict.fromkeys(pid for pid, *_ in records)) if section else ids
        if order is None:
            order = [r[0] for r in self.conn.execute("SELECT id FROM papers ORDER BY key")]
        papers = catalog.load_papers(self.conn, order, with_sources=False)
        ids_of = {p.key: pid for p, pid in zip(papers, order, strict=True)}
        papers = _sorted(papers, attrs.get("sort", "source" if section else "year"))
        own = self._own(records) if section else {}
        shape = self._shape(block, [own[pid] for pid in order if pid in own] if section else None)
        if shape is None:
            return self._seed_tables(block, papers)
        if not section and self.reuse and "template" not in attrs:
            own = self._own(self._records(order, None, None))  # the sources are read only now
        by_key = {p.key: own[ids_of[p.key]] for p in papers if ids_of[p.key] in own and self.reuse}
        return shapes.write(shape, papers, by_key)

    def _records(self, ids, section, source) -> list[tuple]:
        """(paper id, file, line, title_norm) of records: of the papers `ids`, or listed under
        `section` (in `source`), in the sources' order."""
        sql = "SELECT paper_id, file, line, title_norm FROM records"
        where, params = [], []
        if section:
            where.append("section = ? COLLATE NOCASE")
            params.append(section)
        if source:
            where.append("file = ?")
            params.append(self._stored(source))
        rows = self.conn.execute(
            sql + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY file, line", params
        ).fetchall()
        if ids is not None:
            wanted = set(ids)
            rows = [r for r in rows if r[0] in wanted]
        return rows

    def _nothing_under(self, block: Block, section: str, source: str | None) -> None:
        """A note for a section that lists no paper, with the sections that do if one is close."""
        import difflib

        sql = "SELECT DISTINCT section FROM records WHERE section IS NOT NULL"
        params = []
        if source:
            sql += " AND file = ?"
            params.append(self._stored(source))
        known = [r[0] for r in self.conn.execute(sql, params)]
        close = difflib.get_close_matches(section, known, n=1, cutoff=0.6)
        where = f" of {source}" if source else ""
        hint = f"; did you mean {close[0]!r}?" if close else ""
        self.notes.append((block.line, f"no paper is listed under section {section!r}{where}{hint}"))

    def _stored(self, source: str) -> str:
        from medlit.importing.engine import stored_name

        return stored_name(Path(source), self.catalog_dir)

    # ------------------------------------------------------------------ entries

    def _own(self, records) -> dict[int, Entry]:
        """Each paper's first entry that still reads as its record."""
        found: dict[int, Entry] = {}
        for pid, file, line, norm in records:
            if pid in found and found[pid].kind != "entry":
                continue
            entry = self._entries(file).get(line)
            if entry is None or title_key(entry.record.title) != norm:
                continue
            if pid not in found or entry.kind != "entry":  # markdown the list wrote, over BibTeX
                found[pid] = entry
        return found

    def _entries(self, file: str) -> dict[int, Entry]:
        if file not in self._files:
            path = Path(file) if Path(file).is_absolute() else self.catalog_dir / file
            try:
                found = read_document(path, file)[2] if path.is_file() else []
            except (OSError, ReadError):  # a source that no longer reads gives no entries, not a failure
                found = []
            self._files[file] = {e.line: e for e in found}
        return self._files[file]

    # ------------------------------------------------------------------ shape

    def _shape(self, block: Block, section_entries: list[Entry] | None) -> shapes.Shape | None:
        attrs = block.attrs
        if "template" in attrs:
            template = attrs["template"].replace("\\n", "\n")
            return shapes.Shape(template, None, "\n", attrs.get("lang", "en"))
        path = heading_path(self.text, block.line)
        here = [e for e in self.document if e.record.headings == path and e.line < block.line]
        candidates = [here, self.document, section_entries or []]
        for entries in candidates:
            shape = shapes.learned_shape(entries)
            if shape is None:
                continue
            if shape.frame and shape.roles == SEED_ROLES and "task" not in attrs and not section_entries:
                return None  # a seed-001 list: its tables with a heading per task
            if "lang" in attrs:
                shape.lang = attrs["lang"]
            return shape
        return None

    def _seed_tables(self, block: Block, papers) -> str:
        from medlit.writers import markdown

        lang = block.attrs.get("lang", "en")
        if "task" in block.attrs or "section" in block.attrs:
            return markdown.table(papers, lang).rstrip("\n")
        return markdown.document(papers, lang).rstrip("\n")


def _sorted(papers, how: str):
    if how == "source":
        return papers
    if how == "title":
        return sorted(papers, key=lambda p: p.title.casefold())
    newest = how == "-year"
    return sorted(
        papers, key=lambda p: ((-(p.year or 0)) if newest else (p.year or 9999), p.title.casefold())
    )
