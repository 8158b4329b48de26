"""Text from documents, made safe for the one place a writer puts it.

Documents are untrusted: a title, a link or a file name may carry LaTeX, markdown, HTML, a
spreadsheet formula or a terminal escape. Every writer (and the terminal) goes through one
of these functions for each value it writes, so what a value may do is decided here only:

- `latex`, `bibtex_verbatim`, `bibtex_key`: BibTeX text fields, url/doi/eprint, entry keys;
- `md_text`, `md_cell`, `md_link_target`, `md_link`: markdown text, table cells, link targets;
- `csv_cell`: spreadsheet cells (formulas neutralised as OWASP advises);
- `terminal`: anything printed on a terminal (no control characters).

Nothing here imports more than `re`: the terminal's messages use it at start-up.
"""

from __future__ import annotations

import re

# ------------------------------------------------------------------ BibTeX

# Braces are written as commands, not as `\{` and `\}`: BibTeX counts a brace after a
# backslash like any other, so one lone `\{` in a title swallows the rest of the file.
_LATEX = {
    "\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_",
    "{": r"\textbraceleft{}", "}": r"\textbraceright{}", "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}  # fmt: skip
LATEX_SPECIAL = re.compile(r"[\\&%$#_{}~^]")


def latex(text: str) -> str:
    """Text for a BibTeX text field: LaTeX specials escaped, braces balanced as BibTeX
    counts them, everything else (UTF-8 included) as it is."""
    return LATEX_SPECIAL.sub(lambda m: _LATEX[m.group(0)], text)


# Not part of a URL or DOI as written anywhere sane, and able to close a BibTeX field, start
# a command or end the line: percent-encoded, which a resolver reads as the same address.
_VERBATIM_UNSAFE = re.compile(r"[{}\\\"\s\x00-\x1f\x7f-\x9f]")


def _percent(m: re.Match) -> str:
    return "".join(f"%{byte:02X}" for byte in m.group(0).encode("utf-8"))


def bibtex_verbatim(value: str) -> str:
    """A url, doi or eprint for a BibTeX field that stays verbatim (no LaTeX escapes):
    braces, backslashes, quotes, white space and control characters percent-encoded, so
    the value cannot close its field, open another or run a command."""
    return _VERBATIM_UNSAFE.sub(_percent, value.strip())


# BibTeX ends a key at white space, `,`, `{`, `}`; `\`, `"`, `#`, `%`, `'`, `(`, `)`, `=`
# and `~` break one style or another.
_KEY_UNSAFE = re.compile(r"[\s,{}\\\"#%'()=~\x00-\x1f\x7f-\x9f]")


def bibtex_key(key: str) -> str:
    """A citation key as BibTeX can read it: characters that would end or break it become `_`."""
    return _KEY_UNSAFE.sub("_", key) if _KEY_UNSAFE.search(key) else key


# ------------------------------------------------------------------ markdown

# `&` too (`\&amp;` stays text, not an entity), `<` and `>` (no raw HTML, no comment that
# could pass for a medlit marker), `~` (GitHub's strikethrough)
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|&~])")
_BREAKS = re.compile(r"[\r\n\x0b\x0c\x85\u2028\u2029]+")
# what opens a block at the start of a line: a heading, quote, list item, rule or setext line
_MD_LINE_START = re.compile(r"^(\s*(?:\d{1,9}(?=[.)]))?)([#>+=.)-])")


def md_cell(text: str) -> str:
    """Text that markdown reads back as the same text inside a table cell (or a link's label):
    no line break can end the row, no `|` split it, no `<` start HTML."""
    text = _BREAKS.sub(" ", text) if _BREAKS.search(text) else text
    return _MD_SPECIAL.sub(r"\\\1", text)


def md_text(text: str) -> str:
    """`md_cell`, and safe at the start of a line as well (a list item's or paragraph's text):
    a leading `#`, `>`, `-`, `+`, `=` or `1.` is escaped so it stays text."""
    return _MD_LINE_START.sub(r"\1\\\2", md_cell(text), count=1)


_SCHEMES = ("http://", "https://", "ftp://", "ftps://")
# characters a link target may not hold as such: percent-encoded (RFC 3986 allows none of them)
_TARGET_UNSAFE = re.compile(r"[\s<>\"\\^`{|}\x00-\x1f\x7f-\x9f]")


def md_link_target(url: str | None) -> str | None:
    """A URL as a markdown link target, or None when it is not a web address (`javascript:`,
    `data:`, a relative path): no space, `<`, `>`, `|` or quote reaches the markdown, and
    parentheses are encoded when they do not pair up."""
    if not url:
        return None
    url = url.strip()
    if not url.lower().startswith(_SCHEMES):
        return None
    url = _TARGET_UNSAFE.sub(_percent, url)
    if ("(" in url or ")" in url) and not _parens_pair(url):
        url = url.replace("(", "%28").replace(")", "%29")
    return url


def _parens_pair(text: str) -> bool:
    depth = 0
    for ch in text:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth < 0:
                return False
    return depth == 0


def md_link(label: str, url: str | None) -> str:
    """`[label](url)` with both escaped; the label alone when the url cannot be a link."""
    target = md_link_target(url)
    return f"[{md_cell(label)}]({target})" if target else md_cell(label)


# ------------------------------------------------------------------ CSV


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value) -> str:
    """A CSV cell a spreadsheet shows as text: one starting with `=`, `+`, `-`, `@`, a tab or a
    carriage return gets a leading `'` (OWASP's advice against CSV injection)."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


# ------------------------------------------------------------------ terminal

# C0 and C1 controls but tab and line feed (ESC starts colours, titles, hyperlinks, ...; CR
# and backspace overwrite what was shown), and the bidirectional overrides that reorder it
_TERMINAL_UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def terminal(text: str) -> str:
    """Text for a terminal: without control characters, so nothing read from a document or a
    file name can move the cursor, recolour, retitle or hyperlink the user's terminal."""
    return _TERMINAL_UNSAFE.sub("", text) if _TERMINAL_UNSAFE.search(text) else text
