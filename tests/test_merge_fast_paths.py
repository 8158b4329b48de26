"""infer() with its memos gives what it first gave, and merge()'s memos change no answer.

The first-written inference is kept below as the oracle: title inference must find the same
values in any text. The memos are also held to MEMO_LIMIT while still giving the same
papers when they empty every few entries.
"""

from __future__ import annotations

import random
import string
import sys
import unicodedata

import pytest
from conftest import ROOT, SEEDS
from hypothesis import given, settings
from hypothesis import strategies as st

from medlit import readers
from medlit import vocab as vocab_module
from medlit.listing import FACETS
from medlit.model import Link, Record, Source
from medlit.normalise import merge, title_key
from medlit.vocab import _TOKEN, Vocabulary, has_cjk, words

# ---------------------------------------------------------------------- the oracle (872787d)


def _infer(vocab: Vocabulary, text: str) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {f: set() for f in FACETS}
    weak: dict[str, set[str]] = {f: set() for f in FACETS}
    tokens = _TOKEN.findall(unicodedata.normalize("NFKC", text))
    lower = [t.casefold() for t in tokens]
    for i, low in enumerate(lower):
        for kw in vocab._keywords_from(low):
            if _matches(kw, tokens, lower, i):
                (weak if kw.weak else found)[kw.facet].update(kw.values)
    if has_cjk(text):
        for word, kw in vocab._cjk:
            if word in text:
                (weak if kw.weak else found)[kw.facet].update(kw.values)
    for facet in FACETS:
        if not found[facet]:
            found[facet] = weak[facet]
    return found


def _matches(kw, tokens: list[str], lower: list[str], i: int) -> bool:
    n = len(kw.tokens)
    if i + n > len(tokens):
        return False
    seq = tokens[i : i + n] if kw.exact else lower[i : i + n]
    for j, want in enumerate(kw.tokens):
        got = seq[j]
        if j == n - 1 and kw.prefix:
            if not got.startswith(want):
                return False
        elif got != want:
            return False
    return True


def _read(path) -> list[Record]:
    result, _ = readers.read_bytes(readers.load(path, path.name), path.name, path.suffix)
    return result.records


def _generated() -> list[Record]:
    sys.path.insert(0, str(ROOT / "bench"))
    import generate

    records = []
    for n, lines in enumerate(generate.tables(4000, seed=3, rows_per_file=1500)):
        records += readers.read_text("\n".join(lines), f"bench-{n}.md", ".md").records
    return records


_BIBTEX = r"""
@article{a, title = {Lung nodule detection in {CT} with deep convolutional neural networks},
  author = {Doe, Jane and others}, year = {2019}, keywords = {CT, lung; Segmentation, U-Net, 肺}}
@article{b, title = {A journal-less article on mammography}, author = {Roe, R.}, year = {2018}}
@phdthesis{c, title = {Brain MRI registration}, school = {UCL}, year = {2020}, journal = {MedIA}}
@misc{d, title = {A web page on ultrasound}, url = {https://example.org/us}}
@misc{e, title = {An arXiv preprint on X-ray images}, eprint = {2101.00001}, archiveprefix = {arXiv}}
@inproceedings{f, title = {Cardiac MR segmentation}, booktitle = {MICCAI}, pages = {1--9},
  volume = {3}, number = {2}, publisher = {Springer}, doi = {10.1/x}, abstract = {Short.}}
@mastersthesis{g, title = {Retinal fundus images}, year = {2017}, keywords = {retina}}
"""


def _edges() -> list[Record]:
    """Records that take the rarer branches: BibTeX kinds, tags, repeated links, odd venues."""
    records = readers.read_text(_BIBTEX, "edges.bib", ".bib").records
    source = Source("edges.md", 1)
    records += [
        Record("Twice linked CT", source, links=[Link("a", "u1"), Link("b", "u1"), Link("c", "u2")]),
        Record("Spaces for a venue", source, venue="   ", venue_kind="thesis", year=0),
        Record("Known venue, thesis kind", source, venue="MedIA", venue_kind="thesis", arxiv="1901.00002"),
        Record("Only a url", source, url="https://x.org"),
        Record(
            "Tags and cells",
            source,
            cells={"tags": ["MRI", "brain", ""], "organ": ["肺"]},
            headings=["分类问题"],
        ),
        Record("Empty tags", source, cells={"tags": [], "modality": ["CT, MRI"]}, authors=["others"]),
        Record("Unknown venue", source, venue="Proc. of Something", abstract="", note="n"),
    ]
    return records


SEED_RECORDS = [r for p in sorted(SEEDS.iterdir()) for r in _read(p)]
RECORDS = SEED_RECORDS + _edges() + _generated()


def _groups(records: list[Record], n: int) -> list[list[Record]]:
    """Records of one title key (as the catalog groups them), then random groups of 2-4."""
    by_key: dict[str, list[Record]] = {}
    for r in records:
        by_key.setdefault(title_key(r.title), []).append(r)
    groups = [rs[:4] for rs in by_key.values() if len(rs) > 1]
    rng = random.Random(7)
    groups += [rng.sample(records, rng.randint(2, 4)) for _ in range(n)]
    return groups


@pytest.fixture
def vocab():
    """A vocabulary of its own, with empty memos (load() is shared by the whole run)."""
    return vocab_module.load.__wrapped__()


# ---------------------------------------------------------------------- tests


def test_papers_hold_their_own_facet_values(vocab):
    """The values are memoised, the FacetValues are not: changing one paper changes no other."""
    one, two = merge(vocab, [RECORDS[0]]), merge(vocab, [RECORDS[0]])
    assert one == two
    for facet in FACETS:
        for a, b in zip(one.facets[facet], two.facets[facet], strict=True):
            assert a is not b
    assert one.facets is not two.facets and one.authors is not two.authors and one.links is not two.links


def test_memos_stay_within_their_limit(vocab, monkeypatch):
    fresh = vocab_module.load.__wrapped__()
    monkeypatch.setattr(vocab_module, "MEMO_LIMIT", 11)
    for r in RECORDS:
        assert merge(vocab, [r]) == merge(fresh, [r])
    for group in _groups(RECORDS, 200):
        assert merge(vocab, group) == merge(fresh, group)
    memos = {k: v for k, v in vars(vocab).items() if isinstance(v, dict) and k not in _TABLES}
    assert len(memos) >= 8
    assert all(0 < len(m) <= 11 for m in memos.values()), {k: len(m) for k, m in memos.items()}


_TABLES = {"aliases", "names", "broader", "alias_lists", "venues", "_by_first", "_prefixes"}


def test_title_words_as_first_read():
    """`words` takes a shortcut for ASCII text: it must split every ASCII character as the
    Unicode rule does."""
    text = "".join(map(chr, range(128))) * 2 + "a_b c-d 3D-CNN x·y"
    assert words(text) == _TOKEN.findall(text)
    for ch in map(chr, range(128)):
        assert words(f"a{ch}b") == _TOKEN.findall(f"a{ch}b")


def test_infer_as_first_written_on_titles_and_headings():
    vocab = vocab_module.load.__wrapped__()
    texts = {r.title for r in RECORDS} | {h for r in RECORDS for h in r.headings}
    for text in sorted(texts):
        assert vocab.infer(text) == _infer(vocab, text), text


_WORDS = ["CT", "ct", "Ct", "MRI", "mr", "x", "X", "ray", "Ray", "rays", "U", "Net", "u", "net", "3D", "CNN",
          "convolutional", "neural", "network", "networks", "deep", "learning", "lung", "mammogram",
          "mammography", "US", "us", "PET", "18F", "FDG", "multi", "scale", "auto", "encoder", "肺",
          "超声", "肝脏", "ＣＴ", "ﬁ", "segmentation", "Segmentation", "分类", "-", "/", " ", "_", "·"]  # fmt: skip


@settings(max_examples=1500, deadline=None)
@given(
    st.lists(
        st.sampled_from(_WORDS) | st.text(string.printable, max_size=4) | st.text(max_size=3), max_size=12
    )
)
def test_infer_as_first_written_on_any_text(parts):
    vocab = vocab_module.load()
    text = " ".join(parts) if len(parts) % 2 else "".join(parts)
    assert vocab.infer(text) == _infer(vocab, text)
