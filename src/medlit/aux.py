"""The keys a LaTeX run cited, read from its .aux file (BibTeX and biber styles)."""

from __future__ import annotations

import re
from pathlib import Path

from medlit.errors import UserError

_CITATION = re.compile(r"\\citation\{([^}]*)\}")
_BIBER = re.compile(r"\\abx@aux@cite\{(?:\d+\}\{)?([^}]*)\}")
_INPUT = re.compile(r"\\@input\{([^}]*)\}")


def cites_everything(path: str | Path) -> bool:
    """Whether the run cited `*` (\\nocite{*}): every entry of the bibliography, as BibTeX
    reads it."""
    return "*" in _cited(Path(path), set())


def cited_keys(path: str | Path) -> list[str]:
    """Keys in citation order, without duplicates; follows \\@input of included .aux files."""
    return [k for k in dict.fromkeys(_cited(Path(path), set())) if k and k != "*"]


def _cited(path: Path, seen: set[Path]) -> list[str]:
    """Every key cited, `*` and repeats included, in order; each included file read once."""
    if path.resolve() in seen:
        return []
    seen.add(path.resolve())
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        raise UserError(f"{path}: cannot read the .aux file ({exc.strerror or exc})") from None
    keys: list[str] = []
    for line in text.splitlines():
        for m in _CITATION.finditer(line):
            keys += [k.strip() for k in m.group(1).split(",")]
        for m in _BIBER.finditer(line):
            keys.append(m.group(1).strip())
        for m in _INPUT.finditer(line):
            keys += _cited(path.parent / m.group(1), seen)
    return keys
