"""BibTeX files -> records, through bibtexparser v2; broken entries become skips with a line.

Text fields are LaTeX-decoded (`{\\'e}` -> é, `{CT}` -> CT); `url`, `doi` and `file` stay
verbatim. The entry's own key is offered to the catalog as the citation key: a thesis
that imports its .bib keeps citing the keys it already uses.
"""

from __future__ import annotations

import logging
import re

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
    result = ReadResult()
    decode = _decoder().latex_to_text
    for library, offset in _libraries(text):
        _failed(library, offset, file, result)
        for entry in library.entries:
            fields = {f.key.lower(): str(f.value) for f in entry.fields}
            for name in TEXT_FIELDS:
                if name in fields:
                    fields[name] = inline.squash(_safe(decode, fields[name]))
            source = Source(file, entry.start_line + offset + 1, None)
            title = inline.clean_title(fields.get("title", ""))
            if not title:
                result.skips.append(Skip(source, f"entry {entry.key!r} has no title"))
                continue
            result.records.append(_record(entry.entry_type.lower(), entry.key, fields, title, source))
    return result


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
        year=inline.year_cell(f.get("year") or f.get("date", "")),
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
