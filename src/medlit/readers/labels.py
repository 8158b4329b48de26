"""Fields recognised by their form wherever they stand in an entry.

- venue labels: `[MICCAI 2019]`, `[**MICCAI 2023**]`, `[⚡MICCAI, 2021]`, `(MICCAI2019)`,
  `[👍 MICCAI MLMI Workshop, 2021]`, `[[ICCV2017 workshop]]`, a link labelled `[TMI2025]`;
- dates: `[8th Feb., 2021]`, `[2021-12]`, `202301` (medlit.text.date_year);
- links by what they are: paper, pdf, arxiv, code, project, scholar, dataset, video, slides;
- author lines: a run of names;
- news and announcements, placeholders (TBA, TBD): not papers.

Every pattern is bounded or anchored: a label is at most LABEL_MAX characters, so a document
full of brackets is read in linear time.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from medlit.readers.authors import DEGREES
from medlit.text import CJK, date_year, is_date_without_year, is_year

LABEL_MAX = 80  # longer bracketed text is not a label

# ------------------------------------------------------------------ links


_LINK_KIND_WORDS = {
    "pdf": "pdf", "paper": "paper", "read": "paper", "link": "paper", "html": "paper",
    "url": "paper", "doi": "paper", "abstract": "paper", "download": "paper", "article": "paper",
    "论文": "paper", "原文": "paper", "全文": "paper", "链接": "paper", "英文原文": "paper",
    "下载": "paper", "publication": "paper", "proceeding": "paper", "proceedings": "paper",
    "arxiv": "arxiv", "preprint": "arxiv",
    "code": "code", "github": "code", "gitlab": "code", "official code": "code",
    "pytorch": "code", "tensorflow": "code", "implementation": "code", "repo": "code",
    "代码": "code", "源码": "code",
    "project": "project", "page": "project", "project page": "project", "website": "project",
    "web": "project", "homepage": "project", "home": "project", "demo": "project",
    "项目": "project", "主页": "project", "项目主页": "project",
    "scholar": "scholar", "google scholar": "scholar",
    "dataset": "dataset", "data": "dataset", "datasets": "dataset", "数据": "dataset",
    "数据集": "dataset",
    "video": "video", "youtube": "video", "talk": "video",
    "slides": "slides", "slide": "slides", "poster": "slides",
    "supp": "supplement", "supplementary": "supplement", "supplement": "supplement",
    "blog": "blog", "知乎": "blog", "zhihu": "blog",
}  # fmt: skip
_URL_KINDS = (
    ("arxiv.org/", "arxiv"),
    ("scholar.google.", "scholar"),
    ("github.com/", "code"),
    ("gitlab.com/", "code"),
    ("huggingface.co/spaces", "project"),
    ("youtube.com/", "video"),
    ("youtu.be/", "video"),
)


def _label_key(label: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", label.casefold()).split())


def link_kind(label: str, url: str) -> str | None:
    """What a link is by its label, else by its address; None for a label that names the
    paper's venue or anything else (`[MICCAI2018]`, a title)."""
    key = _label_key(label)
    kind = _LINK_KIND_WORDS.get(key)
    if kind in ("paper", "pdf") or kind is None:
        low = url.lower()
        if "arxiv.org/" in low:
            return "arxiv"
        for part, by_url in _URL_KINDS:
            if part in low:
                by_label = kind is None and by_url in ("arxiv", "scholar")
                if by_label or (kind == "paper" and by_url == "arxiv"):
                    return by_url
                if kind is None and by_url == "code" and key in ("", "code", "github"):
                    return by_url
        if kind is None and low.endswith(".pdf") and key in ("", "pdf"):
            return "pdf"
    return kind


LINK_KINDS_OF_PAPER = frozenset({"paper", "pdf", "arxiv"})
NOT_PAPER_KINDS = frozenset(
    {"code", "project", "scholar", "dataset", "video", "slides", "supplement", "blog"}
)


# ------------------------------------------------------------------ venue labels


@dataclass(frozen=True)
class VenueLabel:
    venue: str
    year: int | None


# symbols lists decorate labels with: emoji, stars, arrows, dingbats
def _undecorated(text: str) -> str:
    out = []
    for ch in text:
        cat = unicodedata.category(ch)
        if cat in ("So", "Sk", "Cf", "Mn", "Co") or ch in "*_`~\ufe0f":
            out.append(" ")
        else:
            out.append(ch)
    return " ".join("".join(out).split())


_TRAILING_NOTE = re.compile(r"\s*\((?:oral|poster|spotlight|highlight|best paper[^)]{0,30}|award[^)]{0,30}|"
                            r"early accept[^)]{0,20}|accepted|in press|to appear)\)\s*$", re.I)  # fmt: skip
_YEAR_AT_END = re.compile(r"^(.*?)[\s,'’-]*((?:18|19|20)\d\d)$")
_YEAR_GLUED = re.compile(r"^(.*?[A-Za-z])[’']?(\d\d)$")  # MICCAI17, MICCAI'17
_YEAR_TOKEN = re.compile(r"(?<![\w])((?:18|19|20)\d\d)(?![\w])|(?<=[A-Za-z])((?:18|19|20)\d\d)(?![\w])")
_VENUE_WORD = re.compile(r"^[A-Za-z0-9][\w&.+/-]*$")
_NOT_VENUE = re.compile(r"^(?:new|update[sd]?|news|hot|tba|tbd|todo|online|code|pdf|paper|arxiv preprint|"
                        r"accepted|submitted|under review|in press|coming soon|released?)$",
                        re.I)  # fmt: skip


@lru_cache(maxsize=1 << 12)
def venue_label(text: str) -> VenueLabel | None:
    """`MICCAI 2019`, `⚡MICCAI, 2021`, `MICCAI2019`, `ICCV2017 workshop`, `MICCAI17`,
    `NeurIPS 2018 ML4H`, `MIDL, 2022 (Oral)` -> venue and year; `arXiv` alone -> no year.
    A date (`8th Feb., 2021`) or prose is not a venue label."""
    if not text or len(text) > LABEL_MAX:
        return None
    text = _TRAILING_NOTE.sub("", _undecorated(text).strip(" [].,;:"))
    text = text.strip(" []().,;:")
    if not text or date_year(text) or CJK.search(text):
        return None
    year = None
    m = _YEAR_TOKEN.search(text)
    if m:
        year = int(m.group(1) or m.group(2))
        venue = (text[: m.start()] + " " + text[m.end() :]).strip(" ,.;:'’-")
    else:
        m2 = _YEAR_GLUED.match(text)
        if m2 and m2.group(1).split()[-1].isupper() and len(m2.group(1).split()[-1]) >= 2:
            year, venue = 2000 + int(m2.group(2)), m2.group(1)
            if year > 2000 + int(str(_max_year())[2:]):
                year -= 100
        elif text.lower() in ("arxiv", "biorxiv", "medrxiv"):
            return VenueLabel(text, None)
        else:
            return None
    venue = " ".join(venue.replace(",", " ").split())
    if year is not None and not is_year(year):
        return None
    words = venue.split()
    if not words or len(words) > 12 or _NOT_VENUE.match(venue):
        return None
    if not all(_VENUE_WORD.match(w) for w in words) or not any(ch.isalpha() for ch in words[0]):
        return None
    if not any(ch.isupper() for ch in venue) and venue.lower() not in ("arxiv",):
        return None  # venues are written with capitals: `MICCAI`, `Nature`, `MedIA`
    return VenueLabel(venue, year)


def _max_year() -> int:
    from medlit.text import YEAR_MAX

    return YEAR_MAX


# ------------------------------------------------------------------ bracket groups in text


# a bracketed or parenthesised group without nested brackets, bounded: `[...]`, `【...】`, `(...)`
_GROUP = re.compile(
    rf"\[([^\[\]\n]{{1,{LABEL_MAX}}})\]|【([^【】\n]{{1,{LABEL_MAX}}})】|\(([^()\n]{{1,{LABEL_MAX}}})\)"
)


@dataclass
class Labels:
    venue: VenueLabel | None = None
    date: str | None = None  # as written
    date_year: int | None = None
    news: bool = False


def take_labels(text: str, found: Labels) -> str:
    """The text without its date and venue labels, which go into `found`. `(2018)` stays: a
    citation's year in parentheses is read with its venue."""
    if "[" not in text and "(" not in text and "【" not in text:
        return text

    def replace(m: re.Match) -> str:
        inner = m.group(1) or m.group(2)
        paren = m.group(3)
        if inner is not None:
            year = date_year(inner, short=True)
            if year:
                if found.date is None:
                    found.date, found.date_year = inner.strip(" *_"), year
                return " "
            if is_date_without_year(inner):
                found.date = found.date or inner.strip(" *_")
                return " "
            if _undecorated(inner).lower().strip(" .") in ("new", "news", "update", "updated", "hot"):
                found.news = True
                return " "
            label = venue_label(inner)
            if label and found.venue is None and (label.year or label.venue.lower() == "arxiv"):
                found.venue = label
                return " "
            return m.group(0)
        label = venue_label(paren) if paren and not paren.strip().isdigit() else None
        if label and label.year and found.venue is None and any(c.isalpha() for c in paren):
            found.venue = label
            return " "
        return m.group(0)

    return _GROUP.sub(replace, text)


# ------------------------------------------------------------------ not papers


_PLACEHOLDER = re.compile(r"^\W*(?:tba|tbd|todo|coming soon|to be (?:announced|added|released)|"
                          r"待定|待补充|n/?a|none|\.\.\.|…|xxx+|title|paper title|论文标题|example)\W*$",
                          re.I)  # fmt: skip
_NEWS_WORDS = re.compile(
    r"\b(?:we|our|is accepted|was accepted|were accepted|has been accepted|have been accepted|"
    r"accepted (?:by|to|at|in)|"
    r"released?|is available|are available|now available|is out|announce[sd]?|welcome|congratulations|"
    r"we(?:'ve| have) (?:transferred|moved|added|updated)|updated?|check out|stay tuned|"
    r"star|stars|pull request)\b|[🎉🔥📢🚀✨🎊📣⭐]|已被|被接收|更新|发布",
    re.I,
)


def is_placeholder(title: str) -> bool:
    return len(title) <= 40 and _PLACEHOLDER.match(title) is not None


def is_news(text: str, dated: bool) -> bool:
    """An announcement: a dated item (`**[2024-09]** 🎉 ...`) that speaks of acceptance, releases,
    'we' and 'our', or any item that starts with `[New]` or `We have ...`."""
    head = text[:200]
    if dated and _NEWS_WORDS.search(head):
        return True
    return bool(
        re.match(r"^\W*(?:we|our)\s+(?:have|are|will|release|released|provide|propose)\b", head, re.I)
    )


# ------------------------------------------------------------------ author lines


_NAME_SPLIT = re.compile(r"\s*(?:,|;|，|、|•|·|\band\b|&|\s{2,})\s*")
_LOWER_WORDS = {"van", "von", "de", "der", "den", "del", "della", "di", "da", "du", "le", "la", "dos", "das",
                "ter", "ten", "al", "el", "bin", "ibn", "y", "et", "al."}  # fmt: skip
_TITLE_WORDS = {"the", "of", "for", "with", "in", "on", "via", "using", "a", "an", "to", "from",
                "by", "is", "are", "network", "networks", "learning", "segmentation", "image",
                "images"}  # fmt: skip


def looks_like_names(text: str) -> bool:
    """A run of people's names: `Jieneng Chen, Yongyi Lu, Alan L. Yuille`, `R. Zhai et al.`,
    `叶萌萌，李鑫`; not a title, a sentence or a venue."""
    text = text.strip(" .*_")
    if not text or len(text) > 5000:
        return False
    if CJK.search(text):
        parts = [p for p in _NAME_SPLIT.split(text) if p]
        return len(parts) >= 1 and all(1 <= len(p.strip()) <= 6 for p in parts)
    text = re.sub(r"\bet\.?\s*al\b\.?", "", text)
    text = re.sub(r"(?<=[^\W\d_])\d+(?:\s*,\s*\d+)*\*?", ";", text)  # affiliation digits
    parts = [p.strip() for p in _NAME_SPLIT.split(text) if p.strip()]
    parts = [p for p in parts if p.strip(".").casefold() not in DEGREES]
    if not parts:
        return False
    good = 0
    for part in parts:
        words = part.split()
        if not 1 <= len(words) <= 5:
            return False
        if any(w.lower() in _TITLE_WORDS for w in words):
            return False
        if all(
            w[:1].isupper() or w.lower() in _LOWER_WORDS or (w[:1].isalpha() and any(c.isupper() for c in w))
            for w in words
        ):
            good += 1
    return good >= max(1, (len(parts) * 4 + 4) // 5)
