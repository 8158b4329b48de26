"""What says two records are one work, and what says they are not.

A merge needs evidence (the same DOI or arXiv id, the same title with the same year, a
near-identical title of the same year) and no contradiction. A contradiction always wins:
two DOIs, two arXiv ids, a book beside an article, years more than one apart, first authors
that plainly differ, titles that differ in a number or a suffix (`Study 1`/`Study 10`,
`SAME`/`SAME++`, `Part I`/`Part II`), two entries of one .bib file. A wrong merge exports the
wrong paper under a key a thesis cites; a missed one shows a duplicate line: when unsure,
two papers.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from medlit.readers.authors import OTHERS, family_name

# evidence, as `medlit merges` names it
DOI, ARXIV, TITLE, NEAR, OWN, JOINED = (
    "doi",
    "arxiv",
    "same title",
    "near title",
    "same entry",
    "joined by you",
)

_NUMBER = re.compile(r"\d+")
_ROMAN = re.compile(r"\b(?:II|III|IV|VI{1,3}|IX|XI{1,3})\b(?!-)")
_ROMAN_AFTER = re.compile(
    r"\b(?:part|vol|volume|phase|study|chapter|stage|type|grade|level)\.?\s+([ivx]+)\b", re.I
)
_PLUS = re.compile(r"\++")
SHORT_TITLE = 4  # significant words: a title this short ("Deep learning") needs a year to match on


@dataclass(slots=True)
class Identity:
    """What one record says about which work it is (a row of the records table)."""

    file: str
    title_norm: str
    marks: str  # the title's numbers and suffixes (title_marks)
    year: int | None
    doi: str | None
    arxiv: str | None
    author: str | None  # the first named author, as stored ("Family, Given")
    kind: str | None  # "book", "thesis", "article" or None (see work_kind)
    cite_key: str | None  # the key a .bib entry gave: its file's entries are distinct works
    words: str = ""  # the title's significant words (significant_words)

    def count(self) -> int:
        return self.words.count(" ") + 1 if self.words else 0


def title_marks(title: str) -> str:
    """The numbers, Roman numerals and `+`/`++` suffixes of a title, in order: two titles
    that differ here are two works however alike the rest is."""
    text = title if title.isascii() else unicodedata.normalize("NFKC", title)
    roman = {m.upper() for m in _ROMAN_AFTER.findall(text)} | set(_ROMAN.findall(text))
    return " ".join([*_NUMBER.findall(text), *sorted(roman), *_PLUS.findall(text)])


def work_kind(entry_type: str | None, venue_kind: str | None) -> str | None:
    """The kinds of work that cannot be one another: a whole book, a thesis, an article
    (journal or conference). A chapter (`@incollection`) is an article here."""
    if entry_type:
        entry_type = entry_type.lower()
        if entry_type == "book":
            return "book"
        if entry_type in ("phdthesis", "mastersthesis", "thesis"):
            return "thesis"
        if entry_type in ("article", "inproceedings", "conference", "incollection", "inbook"):
            return "article"
    if venue_kind in ("journal", "conference"):
        return "article"
    if venue_kind in ("book", "thesis"):
        return venue_kind
    return None


def bare_arxiv(arxiv: str | None) -> str | None:
    """An arXiv id without its version: versions of one id are one work."""
    return arxiv.split("v")[0] if arxiv else arxiv


@lru_cache(maxsize=1 << 14)
def _name_parts(author: str) -> tuple[str, frozenset[str]]:
    """A first author's family name and every word of the name, in lower-case ASCII."""
    from medlit.importing.keys import ascii_lower

    words = frozenset(w for w in (ascii_lower(p) for p in re.split(r"[\s,.\-]+", author)) if len(w) > 1)
    return ascii_lower(family_name(author)), words


def same_person(a: str, b: str) -> bool:
    """Whether two first authors may be one person: the family name of either is a word of
    the other's name, or one family name begins the other (`Zhang` and `ZhangSan`)."""
    family_a, words_a = _name_parts(a)
    family_b, words_b = _name_parts(b)
    if not family_a or not family_b:
        return True  # nothing to compare (a name in a script anyascii cannot write)
    if family_a == family_b or family_a in words_b or family_b in words_a:
        return True
    return family_a.startswith(family_b) or family_b.startswith(family_a)


def contradiction(a: Identity, b: Identity, by_id: bool = False) -> str | None:
    """Why records `a` and `b` cannot be one work, or None. `by_id`: they share a DOI or an
    arXiv id, the one thing two entries of one .bib file may share."""
    if a.doi and b.doi and a.doi != b.doi:
        return "different DOIs"
    if a.arxiv and b.arxiv and bare_arxiv(a.arxiv) != bare_arxiv(b.arxiv):
        return "different arXiv ids"
    if a.cite_key and b.cite_key and a.file == b.file and a.cite_key != b.cite_key and not by_id:
        return "two entries of one .bib file"
    if a.kind and b.kind and a.kind != b.kind:
        return f"a {a.kind} and a {b.kind}"
    if a.year and b.year and abs(a.year - b.year) > 1:
        return "years apart"
    if a.author and b.author and not same_person(a.author, b.author):
        return "different first authors"
    if a.marks != b.marks and not (by_id and a.title_norm != b.title_norm):
        # by id with another title (an arXiv title changed when published): the id speaks
        return "titles differ in a number or suffix"
    return None


_TOKEN = re.compile(r"[a-z0-9]+")
_CJK_PAIR = re.compile(r"[\u3400-\u9fff]{1,2}")


def significant_words(title: str) -> str:
    """A title's words in lower-case ASCII, stop words left out, space-separated (hyphens
    split words: "contrast-enhanced" is "contrast enhanced"; two Chinese characters are a word)."""
    from medlit.importing.keys import STOP_WORDS

    if title.isascii():
        text = title.lower()
    else:
        from anyascii import anyascii

        text = anyascii(_CJK_PAIR.sub(lambda m: f" {m.group()} ", title)).lower()
    return " ".join(w for w in _TOKEN.findall(text) if w not in STOP_WORDS)


def typos_apart(a: str, b: str) -> bool:
    """Whether two titles' significant words differ only by typos: word for word, one edit
    apart. Another word, or a word more, is another work ("Graph convolutional networks for
    ..." beside "Deep convolutional networks for ...", "... of breast mass" / "... of breast
    density"), however alike the letters."""
    from rapidfuzz.distance import Levenshtein

    wa, wb = a.split(), b.split()
    if len(wa) != len(wb):
        return False
    return all(x == y or Levenshtein.distance(x, y) <= 1 for x, y in zip(wa, wb, strict=True))


def first_author(authors: list[str]) -> str | None:
    return next((a for a in authors if a and a != OTHERS), None)
