"""BibTeX files -> records, through bibtexparser v2; broken entries become skips with a line.

Text fields are LaTeX-decoded (`{\\'e}` -> é, `{CT}` -> CT); `url`, `doi` and `file` stay
verbatim. The entry's own key is offered to the catalog as the citation key: a thesis
that imports its .bib keeps citing the keys it already uses.
"""

from __future__ import annotations

import logging
import re
import unicodedata

from medlit.model import Link, ReadResult, Record, Skip, Source
from medlit.readers import inline
from medlit.readers.authors import OTHERS, format_name
from medlit.readers.sanity import clip

KINDS = {
    "article": "journal", "inproceedings": "conference", "conference": "conference",
    "proceedings": "conference", "phdthesis": "thesis", "mastersthesis": "thesis",
    "thesis": "thesis", "book": "book", "inbook": "book", "incollection": "book",
    "techreport": "preprint", "unpublished": "preprint", "online": "web", "electronic": "web",
    "www": "web",
}  # fmt: skip
TEXT_FIELDS = (
    "title",
    "journal",
    "booktitle",
    "school",
    "institution",
    "publisher",
    "author",
    "abstract",
    "keywords",
    "howpublished",
    "series",
    "journaltitle",
)


def _decoder():
    # pylatexenc comes with bibtexparser v2 (its LaTeX decoding middleware uses it)
    from pylatexenc.latex2text import LatexNodes2Text, MacroTextSpec, get_default_latex_context_db

    # pylatexenc prints \textasciicircum as U+02C6; LaTeX prints ^ (and medlit writes ^ so);
    # it drops \textbraceleft and \textbraceright, which medlit writes for a brace
    context = get_default_latex_context_db()
    macros = [
        MacroTextSpec("textasciicircum", simplify_repl="^"),
        MacroTextSpec("textbraceleft", simplify_repl="{"),
        MacroTextSpec("textbraceright", simplify_repl="}"),
    ]
    context.add_context_category("medlit", macros=macros, prepend=True)
    return LatexNodes2Text(latex_context=context, keep_braced_groups=False, math_mode="verbatim")


def read_bibtex(text: str, file: str) -> ReadResult:
    """Records of a .bib text: entries split by bibtex_split (linear), an entry it cannot
    read parsed by bibtexparser, which says what is wrong with it."""
    from medlit.readers.bibtex_split import split

    result = ReadResult()
    decode = _Decoder()
    found = split(text)
    keys: set[str] = set()
    for entry in found.entries:
        source = Source(file, entry.line + 1, None)
        if entry.key in keys:
            reason = f"duplicate entry key {entry.key!r}; the first entry with it was kept"
            result.skips.append(Skip(source, reason))
            continue
        keys.add(entry.key)
        fields, problem = _expanded(entry.fields, entry.joined, entry.bare, found.strings)
        _add(result, entry.entry_type, entry.key, fields, problem, source, decode)
    for start, end, line in found.unread:
        for library, offset in _libraries(text[start:end]):
            _failed(library, offset + line, file, result)
            strings = {**found.strings, **{k.lower(): str(s.value) for k, s in library.strings_dict.items()}}
            for entry in library.entries:
                source = Source(file, entry.start_line + offset + line + 1, None)
                enclosed = entry.parser_metadata.get("removed_enclosing", {}) or {}
                values = {f.key: str(f.value) for f in entry.fields}
                joined = {
                    k
                    for k, v in values.items()
                    if "#" in v and enclosed.get(k, "no-enclosing") == "no-enclosing"
                }
                fields, problem = _expanded(values, joined, set(), strings)  # bibtexparser resolved macros
                if entry.key in keys:
                    reason = f"duplicate entry key {entry.key!r}; the first entry with it was kept"
                    result.skips.append(Skip(source, reason))
                    continue
                keys.add(entry.key)
                _add(result, entry.entry_type, entry.key, fields, problem, source, decode)
    if found.unread:
        result.records.sort(key=lambda r: r.source.line)
    return result


def _add(result: ReadResult, entry_type: str, key: str, fields, problem, source: Source, decode) -> None:
    if problem:
        result.skips.append(Skip(source, f"entry {key!r}: {problem}"))
        return
    raw = dict(fields)  # as the .bib wrote them, for the fields kept whole (Record.extra)
    for name in TEXT_FIELDS:
        if name in fields:
            fields[name] = inline.squash(decode(fields[name]))
    title = inline.clean_title(fields.get("title", ""))
    if not title:
        result.skips.append(Skip(source, f"entry {key!r} has no title"))
        return
    record = _record(entry_type.lower(), key, fields, title, source)
    record.extra = {name: value for name, value in raw.items() if name not in REBUILT and value}
    if entry_type.lower() in ORIGINAL_TYPES:
        record.extra["@type"] = entry_type.lower()
    result.records.append(record)


# fields the writer makes again from the paper (writers/bibtex.py); every other field of an
# entry is kept as written and exported as it was (a field the paper lacks, such as the pages
# of an @article without a journal, is written as the entry had it; url, doi and eprint
# never are: they are checked where they are read)
REBUILT = frozenset(("title", "author", "doi", "url", "eprint", "archiveprefix", "abstract"))
ORIGINAL_TYPES = ("incollection", "inbook", "techreport", "online", "unpublished", "proceedings", "thesis")


# what LaTeX makes of text without these is the text itself; with only braces added, the
# text without its braces (tests/test_bibtex_reading.py holds both to pylatexenc)
_LATEX_FREE = re.compile(r"[\\{}$~%&]|--|``|''")
_LATEX_BRACES = re.compile(r"[\\$~%&]|--|``|''")
# the accents and letters of names: `{\"u}`, `\'e`, `{\c{C}}`, `\c c`, `\ss`, `{\o}`
_ACCENTS = {
    "'": "\u0301", "`": "\u0300", "^": "\u0302", '"': "\u0308", "~": "\u0303", "=": "\u0304",
    ".": "\u0307", "u": "\u0306", "v": "\u030c", "H": "\u030b", "c": "\u0327", "k": "\u0328",
    "d": "\u0323", "r": "\u030a", "b": "\u0331",
}  # fmt: skip
_LETTERS = {"ss": "ß", "o": "ø", "O": "Ø", "l": "ł", "L": "Ł", "ae": "æ", "AE": "Æ", "oe": "œ",
            "OE": "Œ", "aa": "å", "AA": "Å", "i": "ı", "j": "ȷ"}  # fmt: skip
_ACCENT = re.compile(
    r"\\([a-zA-Z]{1,2})(?![a-zA-Z])(?:\{\}|\s*)"  # \ss, \o, \c{C}'s macro
    r"|\\(['`^\"~=.])\s*"
)
_LIGATURES = {"---": "—", "--": "–", "``": "“", "''": "”"}  # longest first
_PLAIN_RUN = re.compile(r"[^\\{}$%&~`'-]*")
_ESCAPES = {"&": "&", "%": "%", "$": "$", "#": "#", "_": "_", "{": "{", "}": "}", " ": " "}


def _simple_latex(value: str) -> str | None:
    """The text of a value whose LaTeX is only accents, letters like `\\ss`, escapes, braces,
    dashes, quotes and `~`; None for anything else (a macro, math, a comment)."""
    out: list[str] = []
    i, n = 0, len(value)
    while i < n:
        m = _PLAIN_RUN.match(value, i)
        if m.end() > i:  # text up to the next character LaTeX reads as more than itself
            out.append(m.group())
            i = m.end()
            continue
        ch = value[i]
        if ch == "\\":
            nxt = value[i + 1 : i + 2]
            if nxt in _ESCAPES:
                out.append(_ESCAPES[nxt])
                i += 2
                continue
            m = _ACCENT.match(value, i)
            if not m:
                return None
            name = m.group(1) or m.group(2)
            i = m.end()
            if name in _LETTERS and m.group(1):
                out.append(_LETTERS[name])
                continue
            mark = _ACCENTS.get(name)
            if mark is None:
                return None
            # the accented letter: `e`, `{e}`, `{\i}`
            if value[i : i + 1] == "{":
                close = value.find("}", i)
                inner = value[i + 1 : close] if close > 0 else ""
                if len(inner) == 1 and inner.isalpha():
                    base, i = inner, close + 1
                elif inner in ("\\i", "\\j"):
                    base, i = inner[1], close + 1
                else:
                    return None
            elif value[i : i + 1].isalpha():
                base, i = value[i], i + 1
            else:
                return None
            out.append(unicodedata.normalize("NFC", base + mark))
            continue
        if ch in "$%&":
            return None
        if ch in "{}":
            i += 1
            continue
        ligature = next((lig for lig in _LIGATURES if value.startswith(lig, i)), None)
        if ligature:
            out.append(_LIGATURES[ligature])
            i += len(ligature)
            continue
        out.append("\xa0" if ch == "~" else ch)
        i += 1
    return "".join(out)


class _Decoder:
    """LaTeX -> text, through pylatexenc only for values that hold more than accents,
    escapes, braces and ligatures (a macro, math): pylatexenc costs about a millisecond a
    value, and a 10,000-entry .bib took 26 s when every field went through it."""

    def __init__(self):
        self.latex = None

    def __call__(self, value: str) -> str:
        if _LATEX_FREE.search(value) is None:
            return value
        if _LATEX_BRACES.search(value) is None:
            return value.replace("{", "").replace("}", "")
        simple = _simple_latex(value)
        if simple is not None:
            return simple
        if self.latex is None:
            self.latex = _decoder().latex_to_text
        return _safe(self.latex, value)


def _expanded(
    values: dict[str, str], joined: set[str], bare: set[str], strings: dict[str, str]
) -> tuple[dict[str, str], str | None]:
    """Every field by its lower-case name, `@string` macros and `#` concatenation expanded.
    An undefined macro inside a concatenation leaves the entry unread: better than a title
    that reads `pre # "..."`."""
    from medlit.readers.bibtex_split import concatenation

    fields: dict[str, str] = {}
    for name, value in values.items():
        if name in joined:
            expanded = concatenation(value, strings)
            if expanded is None:
                return fields, (
                    f"field {name!r} joins strings with `#` that cannot be read ({clip(value, 50)!r}); "
                    "define each @string before it is used"
                )
            value = expanded
        elif name in bare and value.lower() in strings:
            value = strings[value.lower()]  # `journal = mia`
        fields[name.lower()] = value
    return fields, None


def _libraries(text: str):
    """(parsed library, line offset): the whole file, or entry by entry if the parser gives up.

    bibtexparser logs each broken entry itself; medlit reports them as skips instead, so its
    log stays quiet. Should the parser raise (its own bug, on some input), the entries are
    parsed one at a time, so one bad entry does not cost the file.
    """
    import bibtexparser

    logger = logging.getLogger("bibtexparser")
    level = logger.level
    logger.setLevel(logging.CRITICAL + 1)
    try:
        try:
            yield bibtexparser.parse_string(text), 0
        except Exception:
            starts = [m.start() for m in re.finditer(r"^[ \t]*@", text, re.MULTILINE)] or [0]
            starts[0] = 0
            for begin, end in zip(starts, [*starts[1:], len(text)], strict=True):
                offset = text.count("\n", 0, begin)
                try:
                    yield bibtexparser.parse_string(text[begin:end]), offset
                except Exception:
                    yield _unparsable(text[begin:end]), offset
    finally:
        logger.setLevel(level)


def _unparsable(chunk: str):
    from bibtexparser import Library
    from bibtexparser.model import ParsingFailedBlock

    library = Library()
    library.add(ParsingFailedBlock(ValueError("the BibTeX parser failed on it"), 0, chunk))
    return library


def _failed(library, offset: int, file: str, result: ReadResult) -> None:
    from bibtexparser.model import DuplicateBlockKeyBlock

    for block in library.failed_blocks:
        line = (block.start_line or 0) + offset + 1
        key = re.match(r"\s*@\w+\s*[{(]\s*([^,\s{}()]+)", block.raw or "")
        name = f"entry {key.group(1)!r}" if key else "entry"
        if isinstance(block, DuplicateBlockKeyBlock):
            reason = f"duplicate entry key {block.key!r}; the first entry with it was kept"
        else:
            why = getattr(getattr(block, "error", None), "abort_reason", None) or ""
            why = f": {clip(why, 100)}" if why else ""
            reason = f"BibTeX {name} could not be parsed{why} (unbalanced braces or a missing comma?)"
        result.skips.append(Skip(Source(file, line, None), reason))


def _safe(decode, value: str) -> str:
    try:
        return decode(value)
    except Exception:  # pylatexenc on malformed LaTeX: keep the text, drop the braces
        return value.replace("{", "").replace("}", "")


def _record(entry_type: str, key: str, f: dict[str, str], title: str, source: Source) -> Record:
    kind = KINDS.get(entry_type)
    eprint = f.get("eprint", "")
    arxiv = inline.arxiv_from(f"arXiv:{eprint}") if eprint else None
    arxiv = arxiv or inline.arxiv_from(f.get("url")) or inline.arxiv_from(f.get("journal"))
    venue = (
        f.get("journal")
        or f.get("journaltitle")
        or f.get("booktitle")
        or f.get("school")
        or f.get("institution")
        or f.get("howpublished")
        or f.get("series")
    )
    if venue and venue.lower().startswith(("arxiv", "corr")):
        kind = "preprint"
    if not venue and entry_type in ("book", "misc") and f.get("publisher"):
        venue = f.get("publisher")
    if kind is None and (arxiv or (f.get("archiveprefix", "").lower() == "arxiv")):
        kind = "preprint"
    if kind is None and f.get("url") and not venue:
        kind = "web"
    authors = [a.strip() for a in re.split(r"\s+and\s+", f.get("author", "")) if a.strip()]
    authors = [OTHERS if a.lower() == "others" else (a if "," in a else format_name(a)) for a in authors]
    doi = f.get("doi", "").strip()
    doi = inline.doi_from(doi) if doi else inline.doi_from(f.get("url"))
    record = Record(
        title=title,
        source=source,
        authors=authors,
        year=inline.year_cell(f.get("year") or f.get("date", "")),  # 1800 to next year
        venue=venue,
        venue_kind=kind,
        volume=f.get("volume"),
        number=f.get("number") or f.get("issue"),
        pages=re.sub(r"\s*-+\s*", "-", f["pages"]) if f.get("pages") else None,
        publisher=f.get("publisher"),
        url=inline.normalise_url(f.get("url")),
        doi=doi,
        arxiv=arxiv,
        abstract=f.get("abstract") or None,
        key_hint=key,
        entry_type=entry_type,
    )
    if entry_type == "mastersthesis":
        record.note = "master's thesis"
    elif entry_type == "phdthesis":
        record.note = "PhD thesis"
    if f.get("keywords"):
        record.cells["tags"] = [k.strip() for k in re.split(r"[,;]", f["keywords"]) if k.strip()]
    if record.url:
        record.links.append(Link("url", record.url))
    return record
