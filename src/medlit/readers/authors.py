"""Author lines as hand-written lists carry them -> names as "Family, Given".

Handles what the seeds really contain: affiliation digits (`Cikes1`, `石颉1, 2`), degrees
(`MD`, `PhD`), `•` and `&` separators, names run together (`TianjiaoLiu,QianqianGuo`),
"Member, IEEE", all-caps names, Vancouver style (`Bien N`), Chinese names with spaces
(`李 鑫`), and `et al.`, kept as "others" as BibTeX spells it.
"""

from __future__ import annotations

import re
import unicodedata

from medlit.text import CJK, CJK_ONLY, CJK_SPACE

OTHERS = "others"
DEGREES = {
    "md", "phd", "msc", "ms", "mbbs", "mhs", "bs", "bsc", "ma", "mph", "mba", "dphil", "frcr",
    "mrcp", "rn", "do", "meng", "beng", "mmed", "dds", "facr", "prof", "dr", "ieee", "member",
    "fellow", "senior member", "student member", "life fellow", "jr", "sr",
}  # fmt: skip
PARTICLES = {"van", "von", "de", "der", "den", "del", "della", "di", "da", "du", "le", "la",
             "dos", "das", "ter", "ten", "al", "el", "bin", "ibn"}  # fmt: skip
_IEEE = re.compile(r"\b(?:(?:senior|student|life)\s+)?(?:member|fellow)\s*,?\s*IEEE\b", re.I)
_ET_AL = re.compile(r"(?:,?\s*(?:and\s+)?\bet\s*\.?\s*al\b\.?|等(?:人)?\s*$)", re.I)
_AFFIL = re.compile(r"(?<=[^\W\d_])\d+(?:\s*[,，]\s*\d+)*\*?")
_SEP = re.compile(r"\s*(?:[;；•·&、,，]|\s{2,}|\band\b|\bAND\b)\s*")
_CAMEL = re.compile(r"^([A-Z][a-z]+)([A-Z][a-z]+)$")
_INITIAL_RUN = re.compile(r"^([A-Z])([A-Z][a-z]{2,})$")
_VANCOUVER = re.compile(r"^[A-Z]{1,3}$")
_PADDED = re.compile(r"(?<![\u3400-\u9fff])([\u3400-\u9fff])\s+([\u3400-\u9fff])(?![\u3400-\u9fff])")


def parse_authors(text: str | None, family_first: bool = False) -> list[str]:
    """Names as "Family, Given" (Chinese names whole), "others" last for et al."""
    if not text:
        return []
    text = unicodedata.normalize("NFKC", text).replace("\u3000", " ")
    text = text.strip().strip("*_ ").strip()
    text = _IEEE.sub("", text)
    others = bool(_ET_AL.search(text))
    text = _ET_AL.sub("", text)
    text = _AFFIL.sub(";", text)
    # a two-character Chinese name padded to the width of three (`徐  琪`) is one name
    text = _PADDED.sub(r"\1\2", text)
    if family_first:
        return _family_first(text, others)
    parts = [p.strip(" .") if CJK.search(p) else p.strip() for p in _SEP.split(text)]
    parts = [p for p in parts if p and p.strip(".").casefold() not in DEGREES]
    parts = [q for p in parts for q in _unrun(p)]
    if len(parts) % 2 == 0 and parts and all(_single_word(p) for p in parts):
        # "Family, Given, Family, Given": commas inside names, not between them
        names = [f"{parts[i]}, {parts[i + 1]}" for i in range(0, len(parts), 2)]
    else:
        names = [format_name(p) for p in parts]
    names = [n for n in names if n]
    if others:
        names.append(OTHERS)
    return names


def _family_first(text: str, others: bool) -> list[str]:
    """MLA's "Family, Given, and Given Family": only the first name is inverted."""
    chunks = [c.strip() for c in re.split(r"\s*(?:,\s*and\s+|\band\b|;)\s*", text) if c.strip()]
    names: list[str] = []
    if chunks:
        first = [p.strip() for p in chunks[0].split(",") if p.strip()]
        names.append(f"{first[0]}, {' '.join(first[1:])}".strip(", ") if len(first) > 1 else first[0])
        for extra in first[2:]:
            names.append(format_name(extra))
    names.extend(format_name(c) for c in chunks[1:])
    if others:
        names.append(OTHERS)
    return [n for n in names if n]


def _single_word(part: str) -> bool:
    return " " not in part and not CJK.search(part) and part[:1].isupper()


def _unrun(part: str) -> list[str]:
    """Split names written without separators: `TianjiaoLiu` -> `Tianjiao Liu`."""
    if CJK.search(part):
        return [CJK_SPACE.sub("", part)]
    m = _CAMEL.match(part)
    if m:
        return [f"{m.group(1)} {m.group(2)}"]
    m = _INITIAL_RUN.match(part)
    if m:
        return [f"{m.group(1)}. {m.group(2)}"]
    words = part.split()
    if len(words) > 1 and _CAMEL.match(words[-1]):
        m = _CAMEL.match(words[-1])
        return [" ".join([*words[:-1], m.group(1), m.group(2)])]
    return [part]


def format_name(name: str) -> str:
    """One name as written -> "Family, Given"."""
    name = " ".join(name.replace(",", " ").split()).strip(" .")
    if not name:
        return ""
    if CJK_ONLY.match(name.replace(" ", "")):
        return name.replace(" ", "")
    words = name.split()
    if name.isupper() and any(len(w) > 3 for w in words):
        words = [w.capitalize() for w in words]
    if len(words) == 1:
        return words[0]
    if _VANCOUVER.match(words[-1]) and not _VANCOUVER.match(words[0]):
        given = " ".join(f"{ch}." for ch in words[-1])
        return f"{' '.join(words[:-1])}, {given}"
    family_start = len(words) - 1
    while family_start > 1 and words[family_start - 1].casefold() in PARTICLES:
        family_start -= 1
    family = " ".join(words[family_start:])
    given = " ".join(words[:family_start])
    return f"{family}, {given}"


def family_name(author: str) -> str:
    """The family name of a stored author ("Family, Given", or a whole Chinese name)."""
    if author == OTHERS:
        return ""
    if "," in author:
        family = author.split(",", 1)[0].strip()
    else:
        family = author.strip()
        if CJK_ONLY.match(family):
            return family[:2] if family[:2] in COMPOUND_SURNAMES else family[:1]
    words = family.split()
    while len(words) > 1 and words[0] in PARTICLES:  # "van Walsum" -> Walsum; "De Fauw" stays
        words = words[1:]
    return "".join(words)


COMPOUND_SURNAMES = {"欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙",
                     "宇文", "司徒", "夏侯", "轩辕", "令狐", "端木", "西门", "南宫"}  # fmt: skip
