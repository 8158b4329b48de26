"""Venue rules: one venue written two ways in the list (ML301, with the usual spelling),
and venues the vocabulary does not know (ML302 with "did you mean", ML303 with nothing close)."""

from __future__ import annotations

from collections import Counter, defaultdict
from difflib import SequenceMatcher

from medlit.lint import Finding
from medlit.vocab import load, loose

CLOSE = 0.75  # difflib's ratio of the loose forms: TPMAI/TPAMI 0.8, TIP/IPMI 0.57


def check(doc):
    vocab = load()
    spellings: dict[str, Counter] = defaultdict(Counter)  # canonical venue -> how the list writes it
    written = []
    for entry in doc.entries:
        text = (entry.record.venue or "").strip()
        if not text or entry.record.venue_kind == "thesis":
            continue
        known = vocab.venue(text)
        if known is None:
            close = [s for s in vocab.suggest("venue", text) if _close(s, text)]
            if close:
                yield Finding(
                    doc.name, entry.line, "ML302", f"unknown venue {text!r}; did you mean {close[0]}?"
                )
            else:
                yield Finding(
                    doc.name,
                    entry.line,
                    "ML303",
                    f"venue {text!r} is not in the vocabulary (add it to vocab.toml)",
                )
            continue
        spellings[known.abbr][text] += 1
        written.append((entry, known.abbr, text))
    for entry, abbr, text in written:
        counts = spellings[abbr]
        usual, most = counts.most_common(1)[0]
        if len(counts) > 1 and text != usual and counts[text] < most and _workshop(text) == _workshop(usual):
            yield Finding(
                doc.name,
                entry.line,
                "ML301",
                f"venue written {text!r} here and {usual!r} in {most} other entries; did you mean {usual}?",
            )


def _close(known: str, text: str) -> bool:
    """Close enough to be a misspelling (TPMAI for TPAMI), not merely another short acronym."""
    a, b = loose(known), loose(text)
    return a != b and SequenceMatcher(None, a, b).ratio() >= CLOSE


def _workshop(text: str) -> bool:
    return "workshop" in text.lower()  # a workshop of a venue is not a spelling of it
