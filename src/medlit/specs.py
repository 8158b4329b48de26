"""What a plugin registers (see medlit.registry): a reader, an entry shape, a writer or a command, each named
with the callable that does the work, or "module:attribute" imported on first use."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class WriterSpec:
    """A format papers can be written in. `write(papers, out, *, scores, fmt, **options)` is
    called with an iterable of `medlit.model.Paper` and a text stream."""

    name: str
    write: str | Callable[..., None]  # a callable, or "module:function" imported on first use
    description: str
    export: bool = True  # offered by `medlit export FORMAT`
    listing: bool = True  # offered by `medlit search --format`
    shows_scores: bool = False
    brief: bool = False  # reads only key, title, year and venue: a search loads no more

    def writer(self) -> Callable[..., None]:
        return _resolve(self.write)


@dataclass(frozen=True)
class ReaderSpec:
    """A kind of document, by file suffix. `read(text, file) -> medlit.model.ReadResult`."""

    name: str
    suffixes: tuple[str, ...]
    read: str | Callable[..., Any]
    markdown: bool = False  # checked by the markdown sanity rules (links, ragged rows)

    def reader(self) -> Callable[..., Any]:
        return _resolve(self.read)


@dataclass(frozen=True)
class ShapeSpec:
    """A way an entry of a list cites a paper (a bold title, `Authors. Title. Venue`, a bare
    link...). `parse(segs, text, links, source) -> Record | None` reads the entry's first
    line: its `medlit.readers.inline.Segment`s (text, href), their plain text, its (label,
    url) links, and where it is. Shapes are tried in `order` (medlit's own: 10 to 80); the
    first that gives a Record reads the entry, and the import still checks that it cites a
    paper (a year, an id, a link, a venue or a reference section)."""

    name: str
    parse: str | Callable[..., Any]
    order: int = 65  # after medlit's own specific shapes, before a bare link (70) and plain text (80)
    strict: bool = True  # also for paragraphs and headings, which need a title set apart
    # "evidence": read only with a label, an author line or an id; "reference": or in a
    # reference section too (a title alone says too little)
    needs: str = ""
    version: str = "1"  # bump when what it reads changes: documents are read again

    def parser(self) -> Callable[..., Any]:
        return _resolve(self.parse)


@dataclass(frozen=True)
class CommandSpec:
    """A `medlit` subcommand: `command` is a click command or "module:attribute"."""

    name: str
    command: str | Any
    help: str

    def click_command(self):
        return _resolve(self.command)


def _resolve(target):
    if not isinstance(target, str):
        return target
    import importlib

    module, _, attribute = target.partition(":")
    return getattr(importlib.import_module(module), attribute)
