"""The structure issue 15 asked for, held: no import cycles between medlit's modules, the
exceptions in a module that imports nothing, and no click below the command layer."""

from __future__ import annotations

import ast
from pathlib import Path

from conftest import ROOT

PACKAGE = ROOT / "src" / "medlit"


def _module(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path, anywhere: bool) -> set[str]:
    """medlit modules `path` imports: at module level, or `anywhere` (function bodies too)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    nodes = ast.walk(tree) if anywhere else tree.body
    found: set[str] = set()
    for node in nodes:
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("medlit"):
            found.add(node.module)
            found.update(f"{node.module}.{a.name}" for a in node.names)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("medlit"))
    return found


MODULES = {_module(p): p for p in PACKAGE.rglob("*.py")}


def _graph(anywhere: bool) -> dict[str, set[str]]:
    """module -> the medlit modules it imports; a package a module sits in is not counted
    (Python imports it first, whatever the module says)."""
    return {
        name: {m for m in _imports(path, anywhere) if m in MODULES and not f"{name}.".startswith(f"{m}.")}
        for name, path in MODULES.items()
    }


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                return [*stack[stack.index(nxt) :], nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (found := visit(node)):
            return found
    return None


def test_no_import_cycles():
    assert _cycle(_graph(anywhere=False)) is None
    assert _cycle(_graph(anywhere=True)) is None  # nor through imports inside functions


def test_the_exceptions_import_nothing():
    tree = ast.parse((PACKAGE / "errors.py").read_text(encoding="utf-8"))
    imports = [n for n in tree.body if isinstance(n, ast.Import | ast.ImportFrom)]
    assert [ast.unparse(n) for n in imports] == ["from __future__ import annotations"]


def _top_level_names(path: Path) -> set[str]:
    """The top-level packages `path` imports anywhere in it."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module.split(".")[0])
    return names


def test_click_only_in_the_command_layer():
    using = {name for name, path in MODULES.items() if "click" in _top_level_names(path)}
    assert using and all(name.startswith("medlit.cli") for name in using), sorted(using)
