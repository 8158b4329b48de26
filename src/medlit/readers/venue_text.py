"""A free-text venue string -> venue name, kind, volume, number, pages, year.

Lists write venues every which way: `IEEE transactions on medical imaging 35.5 (2016):
1299-1312.`, `Radiology  292:540–549(2019)`, `Medical Image Analysis, 58(2019)`,
`Conference Paper in Lecture Notes in Computer Science · August 2017`,
`浙江大学，硕士学位论文（2012）`, `生物医学工程学杂志，2019年12月第36卷第6期`.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from medlit.text import is_year

MONTHS = {m: i for i, m in enumerate("jan feb mar apr may jun jul aug sep oct nov dec".split(), start=1)}


@dataclass
class VenueText:
    venue: str | None = None
    kind: str | None = None  # journal, conference, preprint, thesis, book, web
    thesis_type: str | None = None  # masters or phd
    volume: str | None = None
    number: str | None = None
    pages: str | None = None
    year: int | None = None
    month: int | None = None
    publisher: str | None = None


_CN_ISSUE = re.compile(
    r"((?:1[89]|20)\d{2})\s*年\s*(?:(\d{1,2})\s*月)?\s*(?:第\s*(\d+)\s*卷)?\s*(?:第\s*(\d+)\s*期)?"
)
_YEAR_PAREN = re.compile(r"\(\s*((?:1[89]|20)\d{2})\s*\)")
_MONTH_YEAR = re.compile(r"\b([A-Z][a-z]{2,8})\.?\s+((?:1[89]|20)\d{2})\b")
# a year ends a sentence ("Radiology 2015."), but not a number (2015.5, 20150)
_YEAR = re.compile(r"(?<![\d.])((?:1[89]|20)\d{2})(?!\d|\.\d)")
_PAGES = r"([eE]?\d+(?:\s*[-–—]+\s*[eE]?\d+)?)"
_PATTERNS = [  # each starts where a number starts (`(?<!\d)`), so a long digit run is tried once
    ("vnp", re.compile(rf"(?<!\d)(\d+)\s*\.\s*(\d+)\s*:\s*{_PAGES}")),  # 35.5: 1299-1312
    ("vnp", re.compile(rf"(?<!\d)(\d+)\s*\(\s*([\w\-–]+)\s*\)\s*:\s*{_PAGES}")),  # 15(11): e1002699
    ("vnp", re.compile(rf"(?<!\d)(\d+)\s*\(\s*(\d+)\s*\)\s*,\s*{_PAGES}")),  # 18(2), 203-211 (APA)
    ("vp", re.compile(rf"(?<!\d)(\d+)\s*:\s*{_PAGES}")),  # 292:540–549
    ("vp", re.compile(r"(?<!\d)(\d+)\s*,\s*([eE]?\d+\s*[-–—]+\s*[eE]?\d+)")),  # 25, 65–69
    ("vn", re.compile(r"(?<!\d)(\d+)\s*\(\s*(\d+)\s*\)")),  # 5(2)
    ("p", re.compile(rf"^\s*:\s*{_PAGES}")),  # (2018): 180958
    ("v", re.compile(r"^[\s,]*(\d+)\s*$")),  # , 58
]
THESIS = re.compile(
    r"(硕士|博士)?(?:学位)?论文|(master'?s?|ph\.?\s?d\.?|doctoral)\s+thesis|dissertation", re.I
)
BOOK = re.compile(r"出版社|\bpress\b|\bpublishers?\b|\bverlag\b", re.I)
CONFERENCE = re.compile(r"conference|proceedings|symposium|workshop|\bproc\.|会议|研讨会", re.I)
JOURNAL = re.compile(r"journal|transactions|letters|学报|杂志|期刊", re.I)
PREPRINT = re.compile(r"\barxiv\b|\bbiorxiv\b|\bmedrxiv\b|e-?prints?|preprint", re.I)
REVIEW_MARK = re.compile(r"^\s*综述\s*$")


def parse_venue(text: str | None) -> VenueText:
    out = VenueText()
    if not text:
        return out
    text = unicodedata.normalize("NFKC", text)
    text = re.sub(r"[_*]{2}(.*?)[_*]{2}", r"\1", text)
    text = text.replace("·", ",").strip()
    if re.search(r"\bconference paper\b", text, re.I):
        out.kind = "conference"
        text = re.sub(r"\bconference paper\b\s*(in\b)?", "", text, flags=re.I)
    m = _CN_ISSUE.search(text)
    if m and ("年" in m.group(0)):
        out.year = int(m.group(1))
        out.month = int(m.group(2)) if m.group(2) else None
        out.volume, out.number = m.group(3), m.group(4)
        text = text[: m.start()] + text[m.end() :]
    m = _MONTH_YEAR.search(text)
    if m and m.group(1)[:3].lower() in MONTHS:
        out.month = MONTHS[m.group(1)[:3].lower()]
        out.year = out.year or int(m.group(2))
        text = text[: m.start()] + text[m.end() :]
    m = _YEAR_PAREN.search(text)
    if m:
        out.year = out.year or int(m.group(1))
        text = text[: m.start()] + " " + text[m.end() :]
    else:
        years = list(_YEAR.finditer(text))
        if years:
            out.year = out.year or int(years[-1].group(1))
            text = text[: years[-1].start()] + text[years[-1].end() :]
    segments = [_trimmed(s) for s in re.split(r"[,;]", text)]
    name_parts: list[str] = []
    numbers = ""
    for i, seg in enumerate(segments):
        if not seg:
            continue
        if THESIS.search(seg):
            out.kind = "thesis"
            out.thesis_type = "phd" if re.search(r"博士|ph\.?\s?d|doctoral", seg, re.I) else "masters"
            continue
        if REVIEW_MARK.match(seg):
            continue
        if BOOK.search(seg) and not name_parts:
            out.kind = out.kind or "book"
            out.publisher = seg
            continue
        if re.match(r"^[\d(:]", seg):
            numbers = ", ".join(s for s in segments[i:] if s)
            break
        m2 = re.search(r"\s((?::\s*)?\d[\d.():\s\-–—eE]*)$", seg)
        if m2:
            name_parts.append(seg[: m2.start()].strip())
            numbers = ", ".join(s for s in [m2.group(1), *segments[i + 1 :]] if s)
            break
        name_parts.append(seg)
    name = ", ".join(p for p in name_parts if p).strip(" .,:;-")
    name = re.sub(r"^(?:in|In)\s+", "", name).strip()
    if name:
        out.venue = name
    if numbers:
        _numbers(numbers, out)
    if out.kind is None and name:
        out.kind = kind_of(name)
    if out.publisher and not out.venue:
        out.venue = out.publisher
    if out.year and not is_year(out.year):
        out.year = None
    return out


def _trimmed(segment: str) -> str:
    """A segment without the punctuation around it; parentheses only when they do not pair
    (`35(5)` keeps its issue, `(Oral` loses its stray one)."""
    segment = segment.strip(" .,;")
    if segment.count("(") != segment.count(")"):
        segment = segment.strip(" .,;()")
    return segment


def _numbers(text: str, out: VenueText) -> None:
    text = text.strip()
    for shape, pattern in _PATTERNS:
        m = pattern.search(text)
        if not m:
            continue
        groups = list(m.groups())
        if shape == "vnp":
            out.volume, out.number, out.pages = groups
        elif shape == "vp":
            out.volume, out.pages = groups
        elif shape == "vn":
            out.volume, out.number = groups
        elif shape == "p":
            out.pages = groups[0]
        elif shape == "v":
            out.volume = groups[0]
        break
    if out.pages:
        out.pages = re.sub(r"\s*[-–—]+\s*", "-", out.pages)


def kind_of(name: str) -> str | None:
    """Guess a venue's kind from its name when the vocabulary does not know it."""
    if PREPRINT.search(name):
        return "preprint"
    if THESIS.search(name):
        return "thesis"
    if CONFERENCE.search(name):
        return "conference"
    if BOOK.search(name):
        return "book"
    if JOURNAL.search(name):
        return "journal"
    return None
