"""The shape a list writes its entries in, learned from the entries, and papers written in it.

A shape is a template in the language of a marker's `template="..."`: fields `{title}`
`{url}` `{venue}` `{year}` `{authors}` `{links.code}` (any link label) `{doi}` `{arxiv}`
`{key}` `{technique}` `{modality}` `{organ}` `{task}` `{datasets}`; a link whose address
field is empty is left out, and so is a `[...]` label whose fields are all empty. Learning
turns an entry into such a template: its title, venue, year, authors and link addresses
become fields, everything else stays as the list wrote it. A table's shape is its header and
delimiter lines and a template per cell.

Every value is escaped for where it goes (writers.escape); a paper's own entry is reused as
written only when the catalog says nothing else about it and the text holds no HTML.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from dataclasses import dataclass, field

from medlit.entries import Entry
from medlit.readers.inline import label_text, normalise_url
from medlit.vocab import loose
from medlit.writers.escape import md_cell, md_link_target

FIELD = re.compile(r"\{([a-z][a-z0-9_]*(?:\.[^{}\s]+)?)\}")
# a link: `[label](target)` or `[[label]](target)`
LINK = re.compile(r"\[((?:[^\[\]\n]|\[[^\[\]\n]*\])*)\]\(([^()\s]*(?:\([^()\s]*\)[^()\s]*)*)\)")
LABEL = re.compile(r"\[([^\[\]\n]*)\](?!\()")  # a bracketed label that is not a link
# HTML, but for the few bare tags lists write for layout (`<br>`, `<sup>`), and control characters
_UNSAFE_VERBATIM = re.compile(
    r"<(?!/?(?:br|b|i|em|strong|sup|sub|u|s|del|code|kbd)[ \t]*/?>)[A-Za-z/!?]|[\x00-\x08\x0b-\x1f\x7f]"
)
_YEARLIKE = re.compile(r"(?<!\d)(19|20)\d\d(?!\d)")


# ------------------------------------------------------------------ filling a template


def values(paper, lang: str = "en") -> dict[str, str]:
    """Plain (unescaped) field values of a paper; links by lower-case label."""
    from medlit.writers.markdown import organ_name

    found = {
        "title": paper.title or "",
        "url": paper.url or "",
        "venue": paper.venue_abbr or paper.venue or "",
        "year": str(paper.year or ""),
        "authors": ", ".join(map(given_first, paper.authors)),
        "doi": paper.doi or "",
        "arxiv": paper.arxiv or "",
        "key": paper.key or "",
        "datasets": ", ".join(paper.datasets),
    }
    for facet in ("technique", "modality", "task"):
        found[facet] = ", ".join(paper.values(facet))
    found["organ"] = ", ".join(organ_name(v, lang) for v in paper.values("organ"))
    for link in paper.links:
        found.setdefault(f"links.{link.label.lower()}", link.url)
    if paper.arxiv:
        found.setdefault("links.arxiv", f"https://arxiv.org/abs/{paper.arxiv}")
    if paper.url:
        found.setdefault("links.pdf", paper.url)
        found.setdefault("links.paper", paper.url)
    return found


def given_first(name: str) -> str:
    """`Doe, Jane` -> `Jane Doe`: lists write names in reading order."""
    family, sep, given = name.partition(", ")
    return f"{given} {family}" if sep and given and "," not in given else name


def fill(template: str, fields: dict[str, str]) -> str:
    """A template with every field filled (escaped for markdown text or a link target). A
    line after the first whose fields are all empty (an author line, no authors) is left out."""
    if "\n" in template:
        lines = [
            line
            for i, line in enumerate(template.split("\n"))
            if i == 0 or not FIELD.search(line) or any(fields.get(f) for f in FIELD.findall(line))
        ]
        while len(lines) > 1 and not lines[-1].strip():
            lines.pop()
        return "\n".join(_fill_line(line, fields) for line in lines)
    return _fill_line(template, fields)


def _fill_line(template: str, fields: dict[str, str]) -> str:

    def text(m: re.Match) -> str:
        return md_cell(fields.get(m.group(1), ""))

    def link(m: re.Match) -> str:
        target = m.group(2)
        if FIELD.search(target):
            target = md_link_target(FIELD.sub(lambda f: fields.get(f.group(1), ""), target))
            if not target:
                return "\0"  # dropped, with the space before it
        label = FIELD.sub(text, m.group(1))
        if FIELD.search(m.group(1)) and not label_text(label):
            return "\0"
        return f"[{label}]({target})"

    def label(m: re.Match) -> str:
        inner = m.group(1)
        if FIELD.search(inner) and not any(fields.get(f) for f in FIELD.findall(inner)):
            return "\0"
        return "[" + " ".join(FIELD.sub(text, inner).split(" ")) + "]"

    out = LINK.sub(link, template)
    out = LABEL.sub(label, out)
    out = FIELD.sub(text, out)
    if "\0" in out:
        out = re.sub(r"[ \t]?\0", "", out)
    return out


def field_names(template: str) -> list[str]:
    return FIELD.findall(template)


# ------------------------------------------------------------------ learning a template


def learn(entry: Entry) -> str | None:
    """The template an entry is an instance of, or None when its title cannot be found in it."""
    if entry.kind in ("row", "entry"):
        return None
    record = entry.record
    lines = list(entry.lines)
    first = _fields(lines[0], record)
    if first is None:
        return None
    lines[0] = first
    if record.authors:
        for i in range(1, len(lines)):
            authored = _authors(lines[i], record.authors)
            if authored:
                lines[i] = authored
                break
    return "\n".join(lines)


def learn_row(entry: Entry, roles: list[str | None]) -> str | None:
    """A table row's template: each cell's text becomes the field its column holds."""
    cells = split_row(entry.lines[0])
    if cells is None:
        return None
    lead, parts, tail = cells
    out = []
    for i, raw in enumerate(parts):
        role = roles[i] if i < len(roles) else None
        content = raw.strip()
        pad_left = raw[: len(raw) - len(raw.lstrip())]
        pad_right = raw[len(raw.rstrip()) :]
        if role == "title":
            learned = _fields(content, entry.record)
            if learned is None:
                return None
            content = learned
        elif role in ("year", "venue", "technique", "modality", "organ", "task", "datasets", "authors"):
            content = "{" + role + "}"
        elif role == "code":
            content = _links_only(content, entry.record)
        else:
            content = ""
        out.append(pad_left + content + pad_right)
    return lead + "|".join(out) + tail


def split_row(line: str) -> tuple[str, list[str], str] | None:
    """(text before the first `|` and the `|`, raw cells, the last `|` and after) of a row."""
    parts = re.split(r"(?<!\\)\|", line)
    if len(parts) < 2:
        return None
    lead = parts[0] + "|"
    tail = ""
    inner = parts[1:]
    if inner and not inner[-1].strip():
        tail = "|" + inner[-1]
        inner = inner[:-1]
    return lead, inner, tail


def _fields(text: str, record) -> str | None:
    """The text with the record's title, links, venue and year made fields."""
    title = record.title
    marks: list[tuple[int, int, str]] = []  # spans of the text replaced, and by what

    for m in LINK.finditer(text):
        label, target = m.group(1), m.group(2)
        url = normalise_url(target)
        plain = label_text(label)
        if plain and loose(plain) == loose(title):
            marks.append((m.start(), m.end(), "[{title}]({url})"))
            continue
        if not url:
            continue
        name = re.sub(r"[\[\]*_\s]", "", plain).lower() or "link"
        venue_label = _venue_label(label, record)
        if venue_label is not None:
            marks.append((m.start(), m.end(), f"[{venue_label}]({{url}})"))
        elif url == record.url and name in ("pdf", "paper", "link", "read", "html"):
            marks.append((m.start(2), m.end(2), "{url}"))
        else:
            marks.append((m.start(2), m.end(2), "{links." + name + "}"))
    if not any("{title}" in repl for *_, repl in marks):
        start = _outside(text, title, marks)
        if start < 0:
            return None
        marks.append((start, start + len(title), "{title}"))
    for what, value in (("venue", (record.venue or "").strip()), ("year", str(record.year or ""))):
        if not value:
            continue
        at = _outside(text, value, marks)
        if at >= 0:
            marks.append((at, at + len(value), "{" + what + "}"))
    marks.sort()
    out, last = [], 0
    for a, b, repl in marks:
        if a < last:
            continue
        out += [text[last:a], repl]
        last = b
    out.append(text[last:])
    return "".join(out)


def _venue_label(label: str, record) -> str | None:
    """`[MICCAI2018]` -> `[{venue}{year}]` when the label names the record's venue or year."""
    inner = label[1:-1] if label.startswith("[") and label.endswith("]") else label
    venue, year = (record.venue or "").strip(), str(record.year or "")
    if not venue or venue.lower() not in inner.lower():
        return None
    at = inner.lower().index(venue.lower())
    learned = inner[:at] + "{venue}" + inner[at + len(venue) :]
    if year and year in learned:
        learned = learned.replace(year, "{year}", 1)
    elif _YEARLIKE.search(learned):
        return None
    return f"[{learned}]" if label.startswith("[") and label.endswith("]") else learned


def _links_only(text: str, record) -> str:
    def field(m: re.Match) -> str:
        name = re.sub(r"[\[\]*_\s]", "", m.group(1)).lower() or "link"
        return f"[{m.group(1)}]({{links.{name}}})"

    return LINK.sub(field, text)


def _outside(text: str, value: str, marks) -> int:
    """Where `value` first occurs in `text` outside the spans already marked, or -1."""
    if not value:
        return -1
    at = text.find(value)
    while at >= 0:
        if not any(a < at + len(value) and at < b for a, b, _ in marks):
            return at
        at = text.find(value, at + 1)
    return -1


def _authors(line: str, authors: list[str]) -> str | None:
    """An author line's names made `{authors}`, its emphasis and indent kept."""
    last = authors[0].split()[-1] if authors[0].split() else ""
    if not last or last not in line:
        return None
    m = re.match(r"^([ \t>]*[*_]*)(.*?)([*_]*[ \t]*)$", line)
    return f"{m.group(1)}{{authors}}{m.group(3)}" if m and m.group(2) else None


# ------------------------------------------------------------------ a section's shape


@dataclass
class Shape:
    template: str  # an entry, or a table row
    frame: tuple[str, str] | None = None  # a table's header and delimiter lines
    separator: str = "\n"  # between entries
    lang: str = "en"
    roles: list[str | None] = field(default_factory=list)
    learned_from: set[str] = field(default_factory=set)  # the files of the entries it was learned from
    venues: dict[str, str] = field(default_factory=dict)  # a venue's abbreviation -> as the list writes it


def column_roles(header: str) -> list[str | None]:
    """What each column of a table header holds, by the readers' names for columns."""
    from medlit.readers import tables

    index = {loose(alias): column for column, aliases in tables.HEADERS.items() for alias in aliases}
    parts = split_row(header)
    if parts is None:
        return []
    roles = []
    for raw in parts[1]:
        name = loose(label_text(raw))
        role = index.get(name)
        roles.append("datasets" if role == "dataset" else role)
    return roles


def learned_shape(entries: list[Entry]) -> Shape | None:
    """The shape most of these entries share, or None when none can be learned."""
    entries = [e for e in entries if e.kind != "entry"]
    if not entries:
        return None
    kinds = Counter("row" if e.kind == "row" else "text" for e in entries)
    if kinds["row"] >= kinds["text"]:
        rows = [e for e in entries if e.kind == "row" and e.frame]
        if not rows:
            return None
        frame = Counter(e.frame for e in rows).most_common(1)[0][0]
        roles = column_roles(frame[0])
        if "title" not in roles:
            return None
        learned = [t for e in rows if e.frame == frame and (t := learn_row(e, roles))]
        if not learned:
            return None
        lang = "zh" if re.search(r"[\u4e00-\u9fff]", frame[0]) else "en"
        files = {e.record.source.file for e in rows}
        return Shape(Counter(learned).most_common(1)[0][0], frame, "\n", lang, roles, files, _venues(rows))
    texts = [e for e in entries if e.kind != "row"]
    learned = [t for e in texts if (t := learn(e))]
    if not learned:
        return None
    files = {e.record.source.file for e in texts}
    template = Counter(learned).most_common(1)[0][0]
    return Shape(template, None, _separator(texts), learned_from=files, venues=_venues(texts))


def _venues(entries: list[Entry]) -> dict[str, str]:
    """How the list writes each venue it names (TMI where the vocabulary says IEEE-TMI)."""
    from medlit.vocab import load

    vocab = load()
    written: dict[str, Counter] = {}
    for entry in entries:
        text = (entry.record.venue or "").strip()
        known = vocab.venue(text) if text else None
        if known is not None:
            written.setdefault(known.abbr, Counter())[text] += 1
    return {abbr: counts.most_common(1)[0][0] for abbr, counts in written.items()}


def _separator(entries: list[Entry]) -> str:
    """A blank line between entries when most entries of the list are followed by one."""
    blank = sum(1 for a, b in itertools.pairwise(entries) if b.line > a.line + len(a.lines))
    return "\n\n" if blank * 2 > max(1, len(entries) - 1) else "\n"


def own_text(entry: Entry, paper, shape: Shape) -> str | None:
    """The paper's own entry, as written, with what the catalog knows better put in: None when
    it cannot be reused (another table's row, HTML in it)."""
    if entry.kind == "entry" or _UNSAFE_VERBATIM.search(entry.text):
        return None
    if (entry.kind == "row") != (shape.frame is not None):
        return None
    if shape.frame and (entry.frame is None or entry.frame[0].strip() != shape.frame[0].strip()):
        return None
    foreign = entry.record.source.file not in shape.learned_from
    if not shape.frame and foreign and learn(entry) != shape.template:
        return None  # written in another shape than the block's
    text = entry.text
    record = entry.record
    if paper.title and paper.title != record.title and record.title and text.count(record.title) == 1:
        text = text.replace(record.title, md_cell(paper.title))
    if paper.year and record.year and paper.year != record.year and text.count(str(record.year)) == 1:
        text = text.replace(str(record.year), str(paper.year))
    return text


def write(shape: Shape, papers, own: dict) -> str:
    """The block's text: a table's frame and rows, or entries apart by the list's separator.
    `own` maps a paper's id (its key) to the entry it was read from, when it can be reused."""
    out = []
    for paper in papers:
        entry = own.get(paper.key)
        text = own_text(entry, paper, shape) if entry is not None else None
        if text is None:
            fields = values(paper, shape.lang)
            fields["venue"] = shape.venues.get(paper.venue_abbr or "", fields["venue"])
            text = fill(shape.template, fields)
        out.append(text)
    if shape.frame:
        return "\n".join([*shape.frame, *out])
    return shape.separator.join(out)
