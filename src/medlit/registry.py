"""The plugin seam: every reader, entry shape, writer and command medlit has is registered here.

A plugin is a Python entry point in the group `medlit` naming a module or function with a
`register(registry)` hook (as llm and datasette plugins do); medlit's own built-ins
(`medlit.builtins`) are registered through that same hook. A package adds a format with:

    [project.entry-points.medlit]
    myformat = "my_package.medlit_plugin"      # defines register(registry)

Scanning installed packages for entry points costs more than the rest of a search's
start-up (importlib.metadata alone imports in ~35 ms), so it happens only when a name is
not a built-in, when everything must be listed (`--help`, format choices), or when a list
is read (any plugin may add an entry shape).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from medlit.specs import CommandSpec, ReaderSpec, ShapeSpec, WriterSpec

ENTRY_POINT_GROUP = "medlit"
__all__ = ["CommandSpec", "ReaderSpec", "Registry", "ShapeSpec", "WriterSpec", "register", "registry"]


@dataclass
class Registry:
    writers: dict[str, WriterSpec] = field(default_factory=dict)
    readers: dict[str, ReaderSpec] = field(default_factory=dict)
    commands: dict[str, CommandSpec] = field(default_factory=dict)
    shapes: dict[str, ShapeSpec] = field(default_factory=dict)
    plugins: list[str] = field(default_factory=list)  # entry points loaded, by name
    _scanned: bool = False
    _ordered: dict[bool, tuple] = field(default_factory=dict)  # item_shapes(strict), made once

    def add_writer(self, spec: WriterSpec) -> None:
        self.writers[spec.name] = spec

    def add_reader(self, spec: ReaderSpec) -> None:
        self.readers[spec.name] = spec

    def add_command(self, spec: CommandSpec) -> None:
        self.commands[spec.name] = spec

    def add_shape(self, spec: ShapeSpec) -> None:
        self.shapes[spec.name] = spec
        self._ordered.clear()

    # ---------------------------------------------------------------- lookups

    def writer(self, name: str) -> WriterSpec | None:
        return self.writers.get(name) or self._scan().writers.get(name)

    def reader_for(self, suffix: str) -> ReaderSpec | None:
        """The reader of files ending in `suffix` (a plugin's only when no built-in reads them)."""
        suffix = suffix.lower()
        found = next((r for r in self.readers.values() if suffix in r.suffixes), None)
        if found is None and not self._scanned:
            return self._scan().reader_for(suffix)
        return found

    def command(self, name: str) -> CommandSpec | None:
        return self.commands.get(name) or self._scan().commands.get(name)

    def item_shapes(self, strict: bool = False) -> tuple[tuple[Any, str], ...]:
        """(parse, needs) of every entry shape in order, plugins' included (reading a list
        scans the installed packages once); `strict`: those for paragraphs and headings."""
        found = self._ordered.get(strict)
        if found is None:
            shapes = sorted(self._scan().shapes.values(), key=lambda s: (s.order, s.name))
            found = tuple((s.parser(), s.needs) for s in shapes if s.strict or not strict)
            self._ordered[strict] = found
        return found

    def shapes_signature(self) -> str:
        """What the entry shapes read, for the fingerprint of stored readings: a plugin's
        shape installed, removed or bumped reads every document again."""
        return ";".join(sorted(f"{s.name}:{s.order}:{s.version}" for s in self._scan().shapes.values()))

    def all(self) -> Registry:
        """This registry with every installed plugin loaded (for listings and help)."""
        return self._scan()

    def _scan(self) -> Registry:
        if not self._scanned:
            self._scanned = True
            from importlib.metadata import entry_points

            for ep in entry_points(group=ENTRY_POINT_GROUP):
                if ep.value.split(":")[0] == "medlit.builtins":
                    continue  # already registered, without reading package metadata
                load(self, ep.name, ep.load())
        return self


def load(registry: Registry, name: str, plugin: Any) -> None:
    """Call a plugin's hook: a module (or object) with `register`, or the function itself."""
    hook = getattr(plugin, "register", plugin)
    hook(registry)
    registry.plugins.append(name)


_registry: Registry | None = None


def registry() -> Registry:
    """The process's registry: built-ins now, installed plugins when first needed."""
    global _registry
    if _registry is None:
        from medlit import builtins

        _registry = Registry()
        load(_registry, "medlit", builtins)
    return _registry


def register(plugin: Any, name: str | None = None) -> None:
    """Register a plugin by hand (a script, a test): what an entry point does when loaded."""
    load(registry(), name or getattr(plugin, "__name__", repr(plugin)), plugin)
