"""`medlit lint`: what is wrong with a list, as `FILE:LINE: CODE message` findings.

Each rule family is a small module with a `check(doc)` that yields findings; `RULES` names
every code, its level and what it means (the README's table is this one). A rule is
switched off with `--ignore CODE` or in `[tool.medlit.lint]` beside the list (config.py).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

ERROR, WARNING, INFO = "error", "warning", "info"


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    level: str
    summary: str


@dataclass(frozen=True, order=True)
class Finding:
    file: str
    line: int
    code: str
    message: str

    @property
    def level(self) -> str:
        return RULES[self.code].level

    def text(self) -> str:
        return f"{self.file}:{self.line}: {self.code} {self.message}"

    def to_json(self) -> dict:
        return {**asdict(self), "level": self.level, "rule": RULES[self.code].name}


RULES = {
    rule.code: rule
    for rule in (
        Rule("ML101", "duplicate", ERROR, "the same paper listed twice in one section (both lines)"),
        Rule("ML102", "listed-again", INFO, "the same paper listed in two sections (both lines)"),
        Rule("ML103", "merged", INFO, "medlit made one paper of entries whose titles differ: confirm it"),
        Rule("ML201", "no-year", WARNING, "an entry with no year (none written, none in its arXiv id)"),
        Rule("ML202", "no-link", WARNING, "an entry with no link"),
        Rule("ML203", "empty-link", ERROR, "a link with no address: `[[pdf]]()`"),
        Rule("ML301", "venue-spelling", WARNING, "a venue spelled differently from the rest of the list"),
        Rule(
            "ML302", "venue-unknown", WARNING, "a venue the vocabulary does not know, with a close known one"
        ),
        Rule("ML303", "venue-new", INFO, "a venue the vocabulary does not know, nothing close"),
        Rule(
            "ML401", "title-junk", WARNING, "a title with trailing junk: `[[pdf]]` remnants, `(Section II)`"
        ),
        Rule("ML501", "table-cells", ERROR, "a table row with more or fewer cells than its header"),
        Rule("ML502", "link-syntax", ERROR, "broken link syntax: `[label](url` not closed, `[label] (url)`"),
        Rule("ML601", "order", WARNING, "an entry out of order in a section sorted by year"),
    )
}


def lint_paths(paths, ignore=()) -> list[Finding]:
    """Findings for every file, sorted by file and line; codes in `ignore` (and in each
    list's config) left out."""
    from medlit.lint import config, document, duplicates, entries, order, structure, venues

    found: list[Finding] = []
    docs = [document.read(path) for path in paths]
    checks = (structure.check, entries.check, venues.check, order.check)
    for doc in docs:
        off = set(ignore) | config.ignored(doc.path)
        for check in checks:
            found += [f for f in check(doc) if f.code not in off]
        doc.ignored = off
    for doc, finding in duplicates.check(docs):
        if finding.code not in doc.ignored:
            found.append(finding)
    return sorted(set(found))
