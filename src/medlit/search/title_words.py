"""A title as fuzzy search reads it: what the import stores and every search compares.

Kept apart from fuzzy.py (and its numpy and rapidfuzz) so that the catalog's migrations and
the import can make it without importing search."""

from __future__ import annotations

import re
import sys
import unicodedata
import zlib
from array import array

# a joiner between two word characters; the class comes first so that re scans for it fast
_JOINERS = re.compile(r"[-‐‑'’](?<=\w.)(?=\w)")
_WORD = re.compile(r"[^\W_]+")


def process(text: str) -> str:
    """Lower case, `U-Net` -> `unet`, punctuation -> spaces (runs every search on every title)."""
    text = unicodedata.normalize("NFKC", text or "").casefold()
    return " ".join(_WORD.findall(_JOINERS.sub("", text)))


def indexed(title: str) -> tuple[str, bytes]:
    """(processed title, its words' CRC-32s as little-endian uint32): what the import stores
    so that a search reads each title's words without splitting or hashing text."""
    text = process(title)
    hashes = array("I", map(zlib.crc32, text.encode().split()))
    if sys.byteorder == "big":
        hashes.byteswap()
    return text, hashes.tobytes()
