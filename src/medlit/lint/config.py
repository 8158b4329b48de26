"""Which rules a list switches off: `ignore = ["ML302"]` in `[tool.medlit.lint]` of a
pyproject.toml, or in a medlit.toml (`[tool.medlit.lint]` or `[lint]`), beside the list."""

from __future__ import annotations

import tomllib
from pathlib import Path

from medlit.errors import UserError


def ignored(path: Path) -> set[str]:
    from medlit.lint import RULES

    codes: set[str] = set()
    for name in ("pyproject.toml", "medlit.toml"):
        file = path.parent / name
        if not file.is_file():
            continue
        try:
            data = tomllib.loads(file.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise UserError(f"{file}: not valid TOML ({exc}); fix it or remove [tool.medlit.lint]") from None
        table = data.get("tool", {}).get("medlit", {}).get("lint")
        if table is None and name == "medlit.toml":
            table = data.get("lint")
        if not table:
            continue
        values = table.get("ignore", [])
        if isinstance(values, str):
            values = [values]
        if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
            raise UserError(f'{file}: [tool.medlit.lint] ignore must be a list of codes, e.g. ["ML302"]')
        unknown = [v for v in values if v.upper() not in RULES]
        if unknown:
            raise UserError(f"{file}: unknown lint code {unknown[0]!r} in ignore; see medlit lint --help")
        codes |= {v.upper() for v in values}
    return codes
