"""merge() and infer() with their memos and the one-record path give what they first gave.

The first-written computation is kept below as the oracle: every record merged alone and in
groups of 2-4, from the seeds, the shared corpora (when present) and a benchmark list, must
give an equal Paper with its facet values in the same order; title inference must find the
same values in any text. The memos are also held to MEMO_LIMIT while still giving the same
papers when they empty every few entries.
"""

from __future__ import annotations

import dataclasses
import random
import string
import sys
import unicodedata

import pytest
from conftest import CORPORA, ROOT, SEEDS
from hypothesis import given, settings
from hypothesis import strategies as st

from medlit import readers
from medlit import vocab as vocab_module
from medlit.importing.prepare import paper_values
from medlit.model import FACETS, FacetValue, Link, Paper, Record, Source
from medlit.normalise import alone, merge, title_key
from medlit.readers import inline
from medlit.readers.venue_text import kind_of
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


def _task_of_headings(vocab: Vocabulary, headings: list[str]) -> str | None:
    for heading in reversed(headings):
        exact = vocab.canonical("task", heading)
        if exact:
            return exact
        inferred = _infer(vocab, heading)["task"]
        if len(inferred) == 1:
            return next(iter(inferred))
    return None


def _curated_facets(vocab: Vocabulary, record: Record) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {f: set() for f in FACETS}
    for facet in FACETS:
        for cell in record.cells.get(facet, []):
            out[facet].update(vocab._split_cell(facet, cell))
    for tag in record.cells.get("tags", []):
        for facet in FACETS:
            value = vocab.canonical(facet, tag)
            if value:
                out[facet].add(value)
    task = _task_of_headings(vocab, record.headings)
    if task:
        out["task"].add(task)
    return out


def _venue_of(vocab: Vocabulary, record: Record):
    if record.venue:
        known = vocab.venue(record.venue)
        if known:
            return known.name, known.abbr, record.venue_kind if record.venue_kind == "thesis" else known.kind
        name = record.venue.strip()
        return name, None, record.venue_kind or kind_of(name)
    return None, None, record.venue_kind


def _richness(r: Record) -> int:
    named = [a for a in r.authors if a != "others"]
    return sum(bool(x) for x in (named, r.year, r.venue, r.volume, r.pages, r.doi, r.number))


def _merge(vocab: Vocabulary, records: list[Record]) -> Paper:
    ordered = sorted(records, key=lambda r: (r.source.file, r.source.line))
    rich = sorted(ordered, key=_richness, reverse=True)
    paper = Paper(title=rich[0].title)
    with_venue = next((r for r in rich if r.venue), None)
    if with_venue:
        paper.venue, paper.venue_abbr, paper.venue_kind = _venue_of(vocab, with_venue)
        paper.volume, paper.number = with_venue.volume, with_venue.number
        paper.pages, paper.publisher = with_venue.pages, with_venue.publisher
    paper.year = next((r.year for r in rich if r.year), None)
    by_authors = max(rich, key=lambda r: len([a for a in r.authors if a != "others"]))
    paper.authors = list(by_authors.authors)
    for attr in ("url", "doi", "arxiv", "note"):
        setattr(paper, attr, next((getattr(r, attr) for r in rich if getattr(r, attr)), None))
    abstracts = [r.abstract for r in ordered if r.abstract]
    paper.abstract = max(abstracts, key=len) if abstracts else None
    if paper.year is None and paper.arxiv:
        paper.year = inline.arxiv_year(paper.arxiv)
    if paper.venue is None:
        if paper.arxiv:
            paper.venue, paper.venue_abbr, paper.venue_kind = "arXiv", "arXiv", "preprint"
        else:
            paper.venue_kind = next((r.venue_kind for r in rich if r.venue_kind), None)
        if paper.venue_kind is None and paper.url and not (paper.authors or paper.year or paper.doi):
            paper.venue_kind = "web"
    seen_links: set[str] = set()
    for r in ordered:
        for link in r.links:
            if link.url not in seen_links:
                seen_links.add(link.url)
                paper.links.append(link)
    paper.sources = [r.source for r in ordered]
    paper.facets = _facets(vocab, ordered)
    return paper


def _facets(vocab: Vocabulary, records: list[Record]) -> dict[str, list[FacetValue]]:
    curated: dict[str, set[str]] = {f: set() for f in FACETS}
    inferred: dict[str, set[str]] = {f: set() for f in FACETS}
    for r in records:
        for facet, values in _curated_facets(vocab, r).items():
            curated[facet] |= values
        for facet, values in _infer(vocab, r.title).items():
            inferred[facet] |= values
    out: dict[str, list[FacetValue]] = {}
    for facet in FACETS:
        values = [FacetValue(v, True) for v in sorted(curated[facet])]
        present = curated[facet] | inferred[facet]
        implied = {a for v in present for a in vocab.lineage(facet, v)[1:]}
        values += [FacetValue(v, False) for v in sorted(inferred[facet] - curated[facet] - implied)]
        if facet == "organ" and inferred[facet]:
            for fv in values:
                if fv.curated and not _related(vocab, facet, fv.value, inferred[facet]):
                    fv.disputed = True
        out[facet] = values
    return out


def _related(vocab: Vocabulary, facet: str, value: str, others: set[str]) -> bool:
    mine = set(vocab.lineage(facet, value))
    return any(value in vocab.lineage(facet, o) or o in mine for o in others)


# ---------------------------------------------------------------------- records


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


def _same(vocab: Vocabulary, records: list[Record]) -> None:
    new, old = merge(vocab, records), _merge(vocab, records)
    assert new == old, records[0].source
    assert list(new.facets) == list(old.facets)  # the dict order too


@pytest.fixture
def vocab():
    """A vocabulary of its own, with empty memos (load() is shared by the whole run)."""
    return vocab_module.load.__wrapped__()


# ---------------------------------------------------------------------- tests


def test_records_merge_alone_as_first_written(vocab):
    assert len(RECORDS) > 4000
    for r in RECORDS:
        _same(vocab, [r])
    for r in RECORDS[:500]:  # again, from warm memos
        _same(vocab, [r])


def test_groups_merge_as_first_written(vocab):
    groups = _groups(RECORDS, 1500)
    assert sum(title_key(g[0].title) == title_key(g[1].title) for g in groups) > 100
    for group in groups:
        _same(vocab, group)
        _same(vocab, group[::-1])


def test_corpora_merge_as_first_written(vocab):
    if not CORPORA.is_dir():
        pytest.skip("no shared corpora beside the repository")
    records = [r for p in sorted(CORPORA.iterdir()) if p.is_file() for r in _read(p)]
    assert records
    for r in records:
        _same(vocab, [r])
    for group in _groups(records, 300):
        _same(vocab, group)


def test_a_record_alone_is_its_merge_with_facets_as_rows(vocab):
    """What the import works out for every row: the paper merge() makes of the record alone,
    its facets given as the rows paper_values() makes of them, memoised or not."""
    records = RECORDS + (
        [r for p in sorted(CORPORA.iterdir()) if p.is_file() for r in _read(p)] if CORPORA.is_dir() else []
    )
    for r in records + records[:500]:
        paper, rows = alone(vocab, r)
        merged = merge(vocab, [r])
        assert paper.facets == {}
        assert dataclasses.replace(paper, facets=merged.facets) == merged, r.source
        assert list(rows) == paper_values(merged)[1], r.source
    assert sum(bool(rows) for _, rows in (alone(vocab, r) for r in records)) > len(records) // 2


def test_papers_hold_their_own_facet_values(vocab):
    """The values are memoised, the FacetValues are not: changing one paper changes no other."""
    one, two = merge(vocab, [RECORDS[0]]), merge(vocab, [RECORDS[0]])
    assert one == two
    for facet in FACETS:
        for a, b in zip(one.facets[facet], two.facets[facet], strict=True):
            assert a is not b
    assert one.facets is not two.facets and one.authors is not two.authors and one.links is not two.links


def test_memos_stay_within_their_limit(vocab, monkeypatch):
    monkeypatch.setattr(vocab_module, "MEMO_LIMIT", 11)
    for r in RECORDS:
        _same(vocab, [r])
        assert list(alone(vocab, r)[1]) == paper_values(merge(vocab, [r]))[1]
    for group in _groups(RECORDS, 200):
        _same(vocab, group)
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
