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

from medlit.listing import FACETS
from medlit.text import has_cjk

NONE_CELLS = {"", "无", "-", "–", "—", "none", "n/a", "na", "null", "/", "暂无", "?"}
CELL_SEPARATORS = re.compile(r"\s*(?:[,，、;；/+]|\band\b|\s&\s)\s*")
_TOKEN = re.compile(r"[^\W_]+", re.UNICODE)
_NOT_ALNUM = re.compile(r"[\W_]+")  # exactly the characters for which str.isalnum() is false
_ASCII_TOKEN = re.compile(r"[A-Za-z0-9]+")  # _TOKEN on ASCII text, at half its cost


def loose(text: str) -> str:
    """The key two spellings share when they differ only in case, spacing or punctuation."""
    return _NOT_ALNUM.sub("", unicodedata.normalize("NFKC", text).casefold())


_NONE_KEYS = frozenset(loose(x) for x in NONE_CELLS)

MEMO_LIMIT = 50_000  # entries a memo keeps: the cells and words of a large list, a few MiB


def remember(memo: dict, key, value):
    """memo[key] = value, emptying a full memo first, so that memos stay bounded."""
    if len(memo) >= MEMO_LIMIT:
        memo.clear()
    memo[key] = value
    return value


def words(text: str) -> list[str]:
    """The words of a text as title inference reads them: NFKC letters and digits."""
    if text.isascii():  # NFKC leaves ASCII as it is
        return _ASCII_TOKEN.findall(text)
    return _TOKEN.findall(unicodedata.normalize("NFKC", text))


def _is_acronym(word: str) -> bool:
    return sum(ch.isupper() for ch in word) >= 2


@dataclass
class Venue:
    id: str
    name: str
    kind: str
    abbr: str


@dataclass(eq=False)  # hashed by identity: the keywords a title holds are a memo key
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
    # memos: a catalog repeats the same cells (CT, 肺) and title words on every row; each is
    # filled through `remember`, so an import of any size keeps at most MEMO_LIMIT entries
    _cell_values: dict[tuple[str, str], tuple[str, ...]] = field(default_factory=dict, repr=False)
    _token_hits: dict[str, tuple] = field(default_factory=dict, repr=False)
    _run_hits: dict[tuple[str, ...], tuple[_Keyword, ...]] = field(default_factory=dict, repr=False)
    _keyword_sets: dict[tuple[_Keyword, ...], tuple[frozenset[str], ...]] = field(
        default_factory=dict, repr=False
    )
    _value_sets: dict[frozenset[str], frozenset[str]] = field(default_factory=dict, repr=False)
    heading_tasks: dict[tuple[str, ...], str | None] = field(default_factory=dict, repr=False)
    # normalise's memos, here because what they hold depends on the vocabulary
    curated_cells: dict[tuple, frozenset[str]] = field(default_factory=dict, repr=False)
    facet_values: dict[tuple, tuple[tuple[str, bool, bool], ...]] = field(default_factory=dict, repr=False)
    venue_values: dict[tuple, tuple[str | None, str | None, str | None]] = field(
        default_factory=dict, repr=False
    )

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
            values = remember(self._cell_values, (facet, cell), tuple(self._split_cell(facet, cell)))
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
        return {facet: set(values) for facet, values in zip(FACETS, self.infer_sets(text), strict=True)}

    def infer_sets(self, text: str) -> tuple[frozenset[str], ...]:
        """What `infer` finds, one frozenset per facet in FACETS order: hashable, for memos.

        Whether a word starts a keyword depends on the word alone, so that is looked up once
        per distinct word; whether a keyword of several words matches depends on the words
        from there on, looked up once per distinct run of them. What the keywords found say
        is looked up once per distinct set of them.
        """
        tokens = words(text)
        memo, runs = self._token_hits, self._run_hits
        hits: list[_Keyword] = []
        for i, starts in enumerate(map(memo.get, tokens)):
            if starts is None:
                starts = remember(memo, tokens[i], self._starting_at(tokens[i]))
            if starts:
                whole, partial, width = starts
                hits += whole
                if partial:
                    run = tuple(tokens[i : i + width])
                    found = runs.get(run)
                    if found is None:
                        found = remember(runs, run, tuple(kw for kw in partial if _rest_matches(kw, run)))
                    hits += found
        if not text.isascii() and has_cjk(text):
            hits.extend(kw for word, kw in self._cjk if word in text)
        if not hits:
            return _NOTHING
        key = tuple(hits)  # in title order: a few more entries than sets, a sixth of the memory
        values = self._keyword_sets.get(key)
        if values is None:
            values = remember(self._keyword_sets, key, self._by_facet(key))
        return values

    def _by_facet(self, keywords: tuple[_Keyword, ...]) -> tuple[frozenset[str], ...]:
        """The values keywords name, per facet; a weak keyword counts only where no strong one
        does. Equal sets are one object: a few hundred serve every title."""
        strong: dict[str, set[str]] = {}
        weak: dict[str, set[str]] = {}
        for kw in keywords:
            (weak if kw.weak else strong).setdefault(kw.facet, set()).update(kw.values)
        out = []
        for f in FACETS:
            values = frozenset(strong.get(f) or weak.get(f, ()))
            shared = self._value_sets.get(values)
            out.append(remember(self._value_sets, values, values) if shared is None else shared)
        return tuple(out)

    def _starting_at(self, token: str) -> tuple:
        """(keywords this token is the whole of, keywords it is the first word of, the longest
        of those), or () if none: a title's other words cost one look-up each."""
        low = token.casefold()
        whole, partial = [], []
        for kw in self._keywords_from(low):
            got, want, n = token if kw.exact else low, kw.tokens[0], len(kw.tokens)
            if got.startswith(want) if n == 1 and kw.prefix else got == want:
                (whole if n == 1 else partial).append(kw)
        if not (whole or partial):
            return ()
        return tuple(whole), tuple(partial), max((len(kw.tokens) for kw in partial), default=1)

    def _keywords_from(self, low: str) -> list[_Keyword]:
        """Keywords that may start at a (lower-cased) word: whole words, then prefixes."""
        candidates = list(self._by_first.get(low, ()))
        for n in self._prefix_lengths:
            if len(low) >= n:
                candidates.extend(self._prefixes.get(low[:n], ()))
        return candidates

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


_NOTHING: tuple[frozenset[str], ...] = tuple(frozenset() for _ in FACETS)


def _rest_matches(kw: _Keyword, run: tuple[str, ...]) -> bool:
    """Whether a run of words that starts with a keyword's first word holds the rest of it."""
    n = len(kw.tokens)
    if n > len(run):
        return False
    for j in range(1, n):
        got, want = run[j] if kw.exact else run[j].casefold(), kw.tokens[j]
        if not (got.startswith(want) if j == n - 1 and kw.prefix else got == want):
            return False
    return True


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
