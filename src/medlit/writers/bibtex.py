"""BibTeX a thesis can use (DESIGN.md section 4), in the layout of bibtexparser v2's writer.

Entry types follow the venue's kind; text fields escape `& % $ # _ { } ~ ^ \\` while url,
doi and eprint stay verbatim (but percent-encoded where they could close their field, see
writers/escape.py); UTF-8 is kept (biber reads it); acronyms and CamelCase words in
titles are braced so styles that lower-case titles keep `CT`, `MRI`, `DeepLung`.
"""

from __future__ import annotations

import re

from medlit.normalise import Paper
from medlit.writers.escape import LATEX_SPECIAL as _SPECIAL
from medlit.writers.escape import bibtex_key, bibtex_verbatim
from medlit.writers.escape import latex as escape  # text fields: LaTeX specials, braces BibTeX counts

_EDGES = re.compile(r"^([(\[\"']*)(.*?)([.,:;!?)\]\"']*)$", re.S)


def _needs_braces(core: str) -> bool:
    """Acronyms and CamelCase (`CT`, `DeepLung`, `U-Net`, `3D`): a capital after the first letter."""
    return any(ch.isupper() for ch in core[1:]) or (core[:1].isupper() and any(c.isdigit() for c in core))


def protect_title(title: str) -> str:
    """Escape, then brace the words a lower-casing style must not touch (`{CT}`, `{U-Net}`)."""
    parts = _SPACES.split(title)  # words at the even places, the spaces between them kept
    get = _PROTECTED.get
    parts[::2] = [get(word) or _protected_word(word) for word in parts[::2]]
    text = "".join(parts)
    if "--" in text or "``" in text or "''" in text or "!`" in text or "?`" in text:
        return _LIGATURE.sub("{}", text)
    return text


def _protected_word(word: str) -> str:
    if word.islower() and not _SPECIAL.search(word):
        done = word  # no capital to brace, nothing to escape: most words of a title
    else:
        lead, core, tail = _EDGES.match(word).groups()
        braced = core and _needs_braces(core)
        done = f"{escape(lead)}{{{escape(core)}}}{escape(tail)}" if braced else escape(word)
    if len(_PROTECTED) < 100_000:  # titles share their words: an export does each once
        _PROTECTED[word] = done
    return done


# `--`, ``` `` ```, `''`, `!``, `?`` are ligatures to LaTeX (and to BibTeX readers): an en dash, curly
# quotes, ¡ and ¿. A title that has them literally keeps them with an empty group between.
_LIGATURE = re.compile(r"(?<=-)(?=-)|(?<=`)(?=`)|(?<=')(?=')|(?<=[!?])(?=`)")
_SPACES = re.compile(r"(\s+)")
_PROTECTED: dict[str, str] = {}
_KEYWORDS = ("modality", "organ", "technique", "task")  # paper.values() of each, inlined
# entry types a .bib may use beyond those written here, with the kind of venue each is
ORIGINAL_KINDS = {"incollection": "book", "inbook": "book", "techreport": "preprint", "online": "web",
                  "unpublished": "preprint", "proceedings": "conference", "thesis": "thesis"}  # fmt: skip


# where the venue of a .bib's own entry type goes: that of the type written like it
_AS = {"incollection": "inproceedings", "inbook": "inproceedings", "proceedings": "inproceedings",
       "thesis": "phdthesis"}  # fmt: skip


def entry_type(paper: Paper) -> str:
    kind = paper.venue_kind
    original = paper.extra.get("@type")  # a .bib's own type, while it still fits the venue
    if original and ORIGINAL_KINDS.get(original) == kind:
        return original
    if kind == "journal":
        return "article"
    if kind == "conference":
        return "inproceedings"
    if kind == "thesis":
        return "phdthesis" if (paper.note or "").lower().startswith("phd") else "mastersthesis"
    if kind == "book":
        return "book"
    return "misc"


def fields(paper: Paper) -> list[tuple[str, str]]:
    """(name, value) in the order a reader expects, values ready to be braced."""
    kind = _AS.get(entry_type(paper), entry_type(paper))
    out: list[tuple[str, str]] = [("title", protect_title(paper.title))]
    if paper.authors:
        out.append(("author", " and ".join(braced_initials(escape(a)) for a in paper.authors)))
    if paper.year:
        out.append(("year", str(paper.year)))
    venue = escape(paper.venue) if paper.venue else None
    if kind == "article" and venue:
        out.append(("journal", venue))
    elif kind == "inproceedings" and venue:
        out.append(("booktitle", venue))
    elif kind in ("mastersthesis", "phdthesis") and venue:
        out.append(("school", venue))
    elif kind == "techreport" and venue:
        out.append(("institution", venue))
    elif kind == "book":
        if paper.publisher or venue:
            out.append(("publisher", escape(paper.publisher or paper.venue)))
    elif venue and paper.venue_kind != "preprint":
        out.append(("howpublished", venue))
    for name in ("volume", "number"):
        if getattr(paper, name):
            out.append((name, escape(getattr(paper, name))))
    if paper.pages:
        out.append(("pages", escape(paper.pages.replace("-", "--"))))
    if paper.doi:
        out.append(("doi", bibtex_verbatim(paper.doi)))
    if paper.arxiv:
        out += [("eprint", bibtex_verbatim(paper.arxiv)), ("archiveprefix", "arXiv")]
    if paper.url:
        out.append(("url", bibtex_verbatim(paper.url)))
    keywords = [f.value for facet in _KEYWORDS for f in paper.facets.get(facet, ()) if not f.disputed]
    keywords += paper.tags  # the user's tags, as Zotero exports its tags
    extra = paper.extra
    kept = extra.get("keywords")  # a .bib's own keywords, as it wrote them, come first
    if kept:
        said = {k.strip().casefold() for k in kept.split(",")}
        added = [k for k in dict.fromkeys(keywords) if k.casefold() not in said]
        out.append(("keywords", kept_value(kept) + "".join(", " + escape(k) for k in added)))
    elif keywords:
        out.append(("keywords", escape(", ".join(dict.fromkeys(keywords)))))
    notes = [kept_value(extra["note"])] if extra.get("note") else []
    if paper.user_note:
        notes.append(escape(paper.user_note))
    if notes:
        out.append(("note", ". ".join(notes)))
    if paper.abstract:
        out.append(("abstract", escape(paper.abstract)))
    if extra:
        written = {name for name, _ in out}
        out += [
            (name, kept_value(value))
            for name, value in extra.items()
            if name not in written and name not in ("keywords", "note") and not name.startswith("@")
        ]
    return out


MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


def kept_value(value: str) -> str:
    """A field a .bib wrote, as it wrote it (its LaTeX is the author's); escaped as text if its
    braces do not balance, which could end the field early."""
    depth = 0
    for ch in value:
        depth += (ch == "{") - (ch == "}")
        if depth < 0:
            break
    return value if depth == 0 else escape(value)


_INITIAL = re.compile(r"(?:^|(?<=[\s~.\-]))([^\x00-\x7f])")


def braced_initials(name: str) -> str:
    """`Özkara, Çigdem` -> `{Ö}zkara, {Ç}igdem`: a non-ASCII letter starting a name part is
    braced, so BibTeX abbreviates it whole (`{Ç}.`) and IEEEtran compiles under pdflatex."""
    if name.isascii():
        return name
    return _INITIAL.sub(lambda m: f"{{{m.group(1)}}}" if _latin(m.group(1)) else m.group(1), name)


def _latin(ch: str) -> bool:
    """Latin, Greek and Cyrillic letters: the scripts whose names BibTeX abbreviates."""
    return ch.isalpha() and ord(ch) < 0x0530


def entry(paper: Paper) -> str:
    """One entry exactly as bibtexparser v2's writer puts it (a tab, `name = {value}`, no
    trailing comma), written directly: its Library, middleware and writer held every entry
    in memory and cost half of a large export."""
    body = ",\n".join(
        [
            f"\t{name} = {value}" if name == "month" and value in MONTHS else f"\t{name} = {{{value}}}"
            for name, value in fields(paper)
        ]
    )
    return f"@{entry_type(paper)}{{{bibtex_key(paper.key)},\n{body}\n}}\n"


def to_string(papers) -> str:
    from io import StringIO

    out = StringIO()
    write(papers, out)
    return out.getvalue()


def write(papers, out, **_options) -> None:
    """Entries one by one as `papers` yields them, a blank line between (bibtexparser's
    block separator)."""
    separator = ""
    for paper in papers:
        out.write(separator + entry(paper))
        separator = "\n\n"
