"""medlit: a literature catalog for deep learning in medical image analysis.

Data flows documents -> readers -> normalise -> importing -> catalog -> search -> writers.
`medlit.Catalog` (medlit.api) is the library every command calls; `medlit.registry` is the
seam readers, writers and commands plug into; `medlit.cli` is the thin click layer.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from medlit.api import Catalog

__all__ = ["Catalog"]


def __getattr__(name: str):
    # medlit.Catalog without importing the API for every `medlit` command's start-up
    if name == "Catalog":
        from medlit.api import Catalog

        return Catalog
    raise AttributeError(f"module 'medlit' has no attribute {name!r}")
