"""Writers: papers -> text in one format each, found by name in the registry
(medlit.builtins lists medlit's own; plugins add theirs)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:  # the terminal imports writers.escape at start-up: no dataclasses for that
    from medlit.model import Paper


def write(
    fmt: str, papers: Iterable[Paper], out: TextIO, scores: dict[str, float] | None = None, **options
) -> None:
    """Write papers in `fmt`; `scores` (key -> 0-100) are added where the format can show them.

    Every format but `table` writes `papers` as it iterates them, so export can stream."""
    from medlit.registry import registry

    spec = registry().writer(fmt)
    if spec is None:
        raise KeyError(f"no writer {fmt!r} is registered")
    spec.writer()(papers, out, scores=scores, fmt=spec.name, **options)
