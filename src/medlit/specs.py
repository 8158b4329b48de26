"""What a plugin registers (see medlit.registry): a reader, a writer or a command, each named
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
