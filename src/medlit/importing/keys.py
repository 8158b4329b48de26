"""Citation keys in the Better BibTeX style: family name, year, first significant title word.

`ronneberger2015unet`; lower-case ASCII, Chinese transliterated to pinyin (`ye2012jiyu`);
no author -> title words (`unet2015convolutional`). The catalog makes a key unique with
`a`, `b`, ... and never changes one once given: a thesis cites it.
"""

from __future__ import annotations

import re
from functools import lru_cache

from medlit.readers.authors import OTHERS, family_name
from medlit.text import CJK_RANGES

STOP_WORDS = frozenset(
    "a an the and or of on in at to for from with without by via using use into onto over under "
    "towards toward is are be as its it their what how do does can new based through than".split()
)
_CJK_RUN = re.compile(f"[{CJK_RANGES}]+")
_WORD = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*")
_CJK_SPLIT = re.compile(f"([{CJK_RANGES}]+)")


@lru_cache(maxsize=1 << 16)  # title words repeat from paper to paper
def ascii_lower(text: str) -> str:
    from anyascii import anyascii

    return re.sub(r"[^a-z0-9]", "", anyascii(text).lower())


def title_words(title: str, wanted: int | None = None) -> list[str]:
    """Significant title words as ASCII; a run of Chinese counts two characters a word.

    With `wanted`, it stops once it has that many (a key needs two, and titles are long).
    """
    words: list[str] = []
    for match in _WORD.finditer(title):
        for token in _CJK_SPLIT.split(match.group()):
            if not token:
                continue
            if _CJK_RUN.fullmatch(token):
                pairs = (ascii_lower(token[i : i + 2]) for i in range(0, len(token), 2))
                words.extend(w for w in pairs if w)
            elif token.lower() not in STOP_WORDS:
                word = ascii_lower(token)
                if word:
                    words.append(word)
        if wanted is not None and len(words) >= wanted:
            break
    return words


def base_key(authors: list[str], year: int | None, title: str) -> str:
    named = [a for a in authors if a != OTHERS]
    words = title_words(title, wanted=2)
    year_part = str(year) if year else ""
    family = ascii_lower(family_name(named[0])) if named else ""
    if family:
        return f"{family}{year_part}{words[0] if words else ''}"
    if words:
        return f"{words[0]}{year_part}{words[1] if len(words) > 1 else ''}"
    return f"anon{year_part}"


def unique(base: str, taken) -> str:
    """`base`, else `base` + a, b, ..., z, aa, ab, ... whichever is free (`taken(key)` says)."""
    return next_free(base, taken)[0]


def next_free(base: str, taken, after: int = -1) -> tuple[str, int]:
    """The first free key of `base`, `base`+a, `base`+b, ... after position `after` (the bare
    base is position 0, `a` is 1), and its position.

    A catalog of tables without authors gives hundreds of papers the key `deep2024learning`;
    a caller that remembers where the last search for a base stopped makes giving them all
    keys linear instead of quadratic (keys once taken stay taken).
    """
    n = after + 1
    while True:
        key = base if n == 0 else base + _suffix(n - 1)
        if not taken(key):
            return key, n
        n += 1


def _suffix(n: int) -> str:
    """0 -> a, 25 -> z, 26 -> aa, 27 -> ab, ..."""
    suffix = ""
    while True:
        suffix = chr(ord("a") + n % 26) + suffix
        n = n // 26 - 1
        if n < 0:
            return suffix
