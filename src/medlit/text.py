"""Pure text rules every stage shares: which characters are Chinese, what is a year, dates.

One place for them, so that the readers, the vocabulary, fuzzy search and the keys agree
(the CJK ranges were once written five times, with two different ranges). Imports only re.
"""

from __future__ import annotations

import re
import time

# CJK ideographs: Extension A and the URO (U+3400-U+9FFF), compatibility ideographs, and
# the supplementary planes' extensions B-H
_CJK_SPANS = ((0x3400, 0x9FFF), (0xF900, 0xFAFF), (0x20000, 0x3134F))
CJK_RANGES = "".join(f"{chr(lo)}-{chr(hi)}" for lo, hi in _CJK_SPANS)  # for a character class
# compiled when first imported (module __getattr__): ranges this wide take 1-4 ms each to
# compile, and only the readers and fuzzy search use them, never a filtered search
_LAZY = {
    "CJK": f"[{CJK_RANGES}]",
    "CJK_ONLY": f"^[{CJK_RANGES}·]+$",
    "CJK_SPACE": f"(?<=[{CJK_RANGES}])\\s+(?=[{CJK_RANGES}])",
}


def __getattr__(name: str) -> re.Pattern:
    if name in _LAZY:
        pattern = globals()[name] = re.compile(_LAZY[name])
        return pattern
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


# A year is from 1800 (the thesis .bib cites Wilcoxon 1945 and Mann-Whitney 1947; statistics
# older still) to next year (a paper "to appear").
YEAR_MIN = 1800
YEAR_MAX = time.gmtime().tm_year + 1
YEAR = re.compile(r"(?<!\d)(1[89]\d\d|2[01]\d\d)(?!\d)")


def path_text(name: str) -> str:
    """A file name as text that can be stored and printed: the bytes a name that is not
    UTF-8 holds (Python gives them as lone surrogates, os.fsdecode's surrogateescape) are
    written as `\\xe9`; every other name is itself."""
    if name.isascii():
        return name
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def has_cjk(text: str) -> bool:
    """Whether the text has a CJK ideograph (no pattern compiled: the vocabulary asks this
    of its words on every command)."""
    return not text.isascii() and any(lo <= ord(ch) <= hi for ch in text for lo, hi in _CJK_SPANS)


def cjk_count(text: str) -> int:
    return len(__getattr__("CJK").findall(text))


def is_year(value: int) -> bool:
    return YEAR_MIN <= value <= YEAR_MAX


def years(text: str) -> list[int]:
    """Every plausible year in a text, in order (4 digits standing alone)."""
    return [int(y) for y in YEAR.findall(text or "") if is_year(int(y))]


def first_year(text: str | None) -> int | None:
    found = years(text) if text else []
    return found[0] if found else None


def last_year(text: str | None) -> int | None:
    found = years(text) if text else []
    return found[-1] if found else None


MONTHS = {
    m: i
    for i, names in enumerate(
        (
            "jan january", "feb february", "mar march", "apr april", "may", "jun june",
            "jul july", "aug august", "sep sept september", "oct october", "nov november",
            "dec december",
        ),
        start=1,
    )
    for m in names.split()
}  # fmt: skip

# Dates as lists write them. Each pattern is anchored and bounded, so matching is linear.
_COMPACT = re.compile(r"^((?:18|19|20|21)\d\d)(0[1-9]|1[0-2])(\d\d)?$")  # 202301, 20201008
_NUMERIC = re.compile(r"^((?:18|19|20|21)\d\d)\s*[-./年]\s*(\d{1,2})(?:\s*[-./月]\s*(\d{1,2})\s*日?|\s*月)?$")
_DMY = re.compile(r"^(\d{1,2})\s*[-./]\s*(\d{1,2})\s*[-./]\s*((?:18|19|20|21)\d\d)$")  # 08/02/2021
_SHORT = re.compile(r"^(\d\d)\s*\.\s*(\d{1,2})$")  # [24.1]: 2024, January
_WORDY = re.compile(
    r"^(?:(\d{1,2})(?:st|nd|rd|th)?[\s,]{0,4})?([A-Za-z]{3,9})\.?[\s,]{0,4}(?:(\d{1,2})(?:st|nd|rd|th)?[\s,]{0,4})?"
    r"((?:18|19|20|21)\d\d)$"
)  # 8th Feb., 2021 / Nov., 2023 / February 8, 2021 / 12 June, 2021 / 15th, Sep. 2021
# a day and month without a year (`9th, Sep.,`): a date that gives no year
_DAY_MONTH = re.compile(
    r"^(?:\d{1,2}(?:st|nd|rd|th)?[\s,]{0,4})?([A-Za-z]{3,9})\.?[\s,]{0,4}(?:\d{1,2}(?:st|nd|rd|th)?)?$"
)
_YEAR_ONLY = re.compile(r"^((?:18|19|20|21)\d\d)$")


def is_date_without_year(text: str) -> bool:
    """`9th, Sep.,`, `Nov.`: a day and a month, or a month alone."""
    m = _DAY_MONTH.match(text.strip(" \t[]()*_,.:;"))
    return bool(m) and m.group(1).lower() in MONTHS and any(ch.isdigit() for ch in text)


def date_year(text: str | None, short: bool = False) -> int | None:
    """The year of a date written whole (`202301`, `20201008`, `2023.5`, `2021-12`,
    `2024-09-01`, `8th Feb., 2021`, `Nov., 2023`, `2019年12月`, `2021`), else None.
    `short` also reads `24.1` (two-digit year and month) as 2024, for news labels."""
    if not text:
        return None
    text = text.strip(" \t[]()*_,.:;")
    if len(text) > 40:
        return None
    m = _COMPACT.match(text) or _NUMERIC.match(text) or _YEAR_ONLY.match(text)
    if m:
        year = int(m.group(1))
        return year if is_year(year) else None
    m = _DMY.match(text)
    if m:
        year = int(m.group(3))
        return year if is_year(year) else None
    m = _WORDY.match(text)
    if m and m.group(2).lower().rstrip(".") in MONTHS:
        year = int(m.group(4))
        return year if is_year(year) else None
    if short:
        m = _SHORT.match(text)
        if m and 1 <= int(m.group(2)) <= 12:
            return 2000 + int(m.group(1))
    return None


def arxiv_year(arxiv_id: str | None) -> int | None:
    """The year an arXiv id was first submitted: `1803.01229` -> 2018 (ids since April 2007)."""
    m = re.match(r"^(\d{2})(\d{2})\.\d{4,5}", arxiv_id or "")
    if not m or not 1 <= int(m.group(2)) <= 12 or int(m.group(1)) < 7:
        return None
    year = 2000 + int(m.group(1))
    return year if is_year(year) else None
