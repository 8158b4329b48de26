"""The controlled vocabulary: canonical facet and venue values, aliases, title keywords.

The words live in `data/vocab.toml` so a list maintainer can extend them without touching
code. This module turns them into fast lookups: whole-cell aliases (any case, any
punctuation, English or Chinese) and a token index for inferring facets from titles.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from medlit.model import FACETS

NONE_CELLS = {"", "无", "-", "–", "—", "none", "n/a", "na", "null", "/", "暂无", "?"}
CELL_SEPARATORS = re.compile(r"\s*(?:[,，、;；/+]|\band\b|\s&\s)\s*")
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_TOKEN = re.compile(r"[^\W_]+", re.UNICODE)
_NOT_ALNUM = re.compile(r"[\W_]+")  # exactly the characters for which str.isalnum() is false


def loose(text: str) -> str:
    """The key two spellings share when they differ only in case, spacing or punctuation."""
    return _NOT_ALNUM.sub("", unicodedata.normalize("NFKC", text).casefold())


_NONE_KEYS = frozenset(loose(x) for x in NONE_CELLS)


def has_cjk(text: str) -> bool:
    return bool(_CJK.search(text))


def _is_acronym(word: str) -> bool:
    return sum(ch.isupper() for ch in word) >= 2


@dataclass
class Venue:
    id: str
    name: str
    kind: str
    abbr: str


@dataclass
class _Keyword:
    facet: str
    values: tuple[str, ...]
    tokens: tuple[str, ...]  # compared lower-cased unless `exact`
    prefix: bool  # the last token may continue (mammogra* -> mammogram)
    exact: bool  # acronyms compare with their case
    weak: bool


@dataclass
class Vocabulary:
    """Lookups built once from the TOML data."""

    aliases: dict[str, dict[str, str]] = field(default_factory=dict)  # facet -> loose -> canon
    names: dict[str, dict[str, str]] = field(default_factory=dict)  # facet -> canon -> label
    broader: dict[str, dict[str, str]] = field(default_factory=dict)  # facet -> canon -> parent
    alias_lists: dict[str, dict[str, list[str]]] = field(default_factory=dict)  # as written
    venues: dict[str, Venue] = field(default_factory=dict)  # loose alias -> venue
    venue_alias_list: list[tuple[str, Venue]] = field(default_factory=list)  # as written
    _by_first: dict[str, list[_Keyword]] = field(default_factory=dict)
    _prefixes: dict[str, list[_Keyword]] = field(default_factory=dict)
    _prefix_lengths: set[int] = field(default_factory=set)
    _cjk: list[tuple[str, _Keyword]] = field(default_factory=list)
    # memos: a catalog repeats the same cells (CT, 肺) and title words on every row
    _cell_values: dict[tuple[str, str], tuple[str, ...]] = field(default_factory=dict, repr=False)
    _word_keywords: dict[str, tuple[_Keyword, ...]] = field(default_factory=dict, repr=False)
    heading_tasks: dict[tuple[str, ...], str | None] = field(default_factory=dict, repr=False)

    # ------------------------------------------------------------------ facets

    def canonical(self, facet: str, text: str) -> str | None:
        """The canonical value a whole cell or filter value names, or None."""
        return self.aliases.get(facet, {}).get(loose(text))

    def values(self, facet: str) -> list[str]:
        return sorted(self.names.get(facet, {}))

    def label(self, facet: str, value: str) -> str:
        return self.names.get(facet, {}).get(value, value)

    def aliases_of(self, facet: str, value: str) -> list[str]:
        """The aliases as the vocabulary file writes them, English and Chinese."""
        return self.alias_lists.get(facet, {}).get(value, [])

    def chinese(self, facet: str, value: str) -> str | None:
        """The first Chinese alias of a value (`lung` -> 肺), for Chinese tables."""
        return next((a for a in self.aliases_of(facet, value) if has_cjk(a)), None)

    def narrower(self, facet: str, value: str) -> set[str]:
        """The value and every value below it (a search for CNN also finds U-Net)."""
        parents = self.broader.get(facet, {})
        out = {value}
        changed = True
        while changed:
            changed = False
            for child, parent in parents.items():
                if parent in out and child not in out:
                    out.add(child)
                    changed = True
        return out

    def lineage(self, facet: str, value: str) -> list[str]:
        """The value and its broader values, nearest first."""
        chain, parents = [value], self.broader.get(facet, {})
        while chain[-1] in parents and parents[chain[-1]] not in chain:
            chain.append(parents[chain[-1]])
        return chain

    def split_cell(self, facet: str, cell: str) -> list[str]:
        """Values of one table cell: `US, CT`, `肝，肝癌`, `PET/CT`, `CNN+RNN`, `无` -> [...]

        Known values come back canonical; unknown ones as written, so nothing is lost.
        """
        values = self._cell_values.get((facet, cell))
        if values is None:
            values = self._cell_values[facet, cell] = tuple(self._split_cell(facet, cell))
        return list(values)

    def _split_cell(self, facet: str, cell: str) -> list[str]:
        cell = cell.strip().strip("*_` ")
        if loose(cell) in _NONE_KEYS or not cell.strip("-–— "):
            return []
        whole = self.canonical(facet, cell)
        if whole:
            return [whole]
        out: list[str] = []
        for part in CELL_SEPARATORS.split(cell):
            part = part.strip(" .")
            if loose(part) in NONE_CELLS or not part:
                continue
            value = self.canonical(facet, part)
            if value is None:
                bare = re.sub(r"\s*[(（].*?[)）]\s*", " ", part).strip()
                value = self.canonical(facet, bare) or part
            if value not in out:
                out.append(value)
        return out

    # ------------------------------------------------------------------ inference

    def infer(self, text: str) -> dict[str, set[str]]:
        """Facet values implied by the words of a title (or any text)."""
        found: dict[str, set[str]] = {f: set() for f in FACETS}
        weak: dict[str, set[str]] = {f: set() for f in FACETS}
        tokens = _TOKEN.findall(unicodedata.normalize("NFKC", text))
        lower = [t.casefold() for t in tokens]
        for i, low in enumerate(lower):
            for kw in self._keywords_from(low):
                if self._matches(kw, tokens, lower, i):
                    (weak if kw.weak else found)[kw.facet].update(kw.values)
        if has_cjk(text):
            for word, kw in self._cjk:
                if word in text:
                    (weak if kw.weak else found)[kw.facet].update(kw.values)
        for facet in FACETS:
            if not found[facet]:
                found[facet] = weak[facet]
        return found

    def _keywords_from(self, low: str) -> tuple[_Keyword, ...]:
        """Keywords that may start at a (lower-cased) word: whole words, then prefixes."""
        found = self._word_keywords.get(low)
        if found is None:
            candidates = list(self._by_first.get(low, ()))
            for n in self._prefix_lengths:
                if len(low) >= n:
                    candidates.extend(self._prefixes.get(low[:n], ()))
            found = self._word_keywords[low] = tuple(candidates)
        return found

    @staticmethod
    def _matches(kw: _Keyword, tokens: list[str], lower: list[str], i: int) -> bool:
        n = len(kw.tokens)
        if i + n > len(tokens):
            return False
        seq = tokens[i : i + n] if kw.exact else lower[i : i + n]
        for j, want in enumerate(kw.tokens):
            got = seq[j]
            if j == n - 1 and kw.prefix:
                if not got.startswith(want):
                    return False
            elif got != want:
                return False
        return True

    # ------------------------------------------------------------------ venues

    def venue(self, text: str) -> Venue | None:
        return self.venues.get(loose(text))

    # ------------------------------------------------------------------ suggestions

    def suggest(self, facet: str, text: str, n: int = 3) -> list[str]:
        """Known values close to an unknown one, for 'did you mean'."""
        import difflib

        if facet == "venue":
            pool = {loose(v.abbr): v.abbr for v in self.venues.values()}
            pool.update({loose(v.name): v.name for v in self.venues.values()})
        else:
            pool = {loose(c): c for c in self.names.get(facet, {})}
            pool.update({k: v for k, v in self.aliases.get(facet, {}).items() if k not in pool})
        hits = difflib.get_close_matches(loose(text), list(pool), n=n * 3, cutoff=0.5)
        out: list[str] = []
        for hit in hits:
            if pool[hit] not in out:
                out.append(pool[hit])
        return out[:n]


def _keyword(facet: str, values: tuple[str, ...], word: str, weak: bool) -> _Keyword:
    prefix = word.endswith("*")
    word = word.rstrip("*")
    exact = _is_acronym(word)
    tokens = tuple(_TOKEN.findall(unicodedata.normalize("NFKC", word)))
    if not exact:
        tokens = tuple(t.casefold() for t in tokens)
    return _Keyword(facet, values, tokens, prefix, exact, weak)


def build(data: dict) -> Vocabulary:
    """Index the parsed TOML; an alias that names two values of one facet is an error."""
    vocab = Vocabulary()
    keywords: list[tuple[str, _Keyword]] = []
    for facet in FACETS:
        table = data.get(facet, {})
        vocab.aliases[facet] = {}
        vocab.names[facet] = {}
        vocab.broader[facet] = {}
        vocab.alias_lists[facet] = {}
        for canon, entry in table.items():
            vocab.names[facet][canon] = entry.get("name", canon)
            vocab.alias_lists[facet][canon] = list(entry.get("aliases", []))
            if entry.get("broader"):
                vocab.broader[facet][canon] = entry["broader"]
            for alias in [canon, entry.get("name", canon), *entry.get("aliases", [])]:
                key = loose(alias)
                other = vocab.aliases[facet].get(key)
                if other and other != canon:
                    raise ValueError(f"vocabulary: {facet} alias {alias!r} names {other} and {canon}")
                vocab.aliases[facet][key] = canon
            for word in entry.get("keywords", []):
                keywords.append((word, _keyword(facet, (canon,), word, False)))
            for word in entry.get("weak", []):
                keywords.append((word, _keyword(facet, (canon,), word, True)))
    for rule in data.get("infer", []):
        for facet in FACETS:
            if rule.get(facet):
                for word in rule["keywords"]:
                    keywords.append((word, _keyword(facet, tuple(rule[facet]), word, False)))
    for word, kw in keywords:
        if has_cjk(word):
            vocab._cjk.append((word.rstrip("*"), kw))
        elif not kw.tokens:
            continue
        elif kw.prefix and len(kw.tokens) == 1:
            first = kw.tokens[0].casefold()
            vocab._prefixes.setdefault(first, []).append(kw)
            vocab._prefix_lengths.add(len(first))
        else:
            vocab._by_first.setdefault(kw.tokens[0].casefold(), []).append(kw)
    for vid, entry in data.get("venue", {}).items():
        venue = Venue(vid, entry["name"], entry.get("kind", "journal"), entry.get("abbr", entry["name"]))
        for alias in [entry["name"], venue.abbr, *entry.get("aliases", [])]:
            key = loose(alias)
            other = vocab.venues.get(key)
            if other and other.id != vid:
                raise ValueError(f"vocabulary: venue alias {alias!r} names {other.name} and {venue.name}")
            vocab.venues[key] = venue
            vocab.venue_alias_list.append((alias, venue))
    return vocab


@cache
def load() -> Vocabulary:
    """The shipped vocabulary (read once per process; a plain file read, as importlib.resources
    would cost more to import than the whole lookup)."""
    text = (Path(__file__).parent / "data" / "vocab.toml").read_text(encoding="utf-8")
    return build(tomllib.loads(text))
