"""`medlit render` writes entries in the shape the list already uses, with each paper's links;
the round trip of the seeds and corpora comes back byte for byte."""

from __future__ import annotations

import sys

import pytest
from conftest import CORPORA, ROOT, SEEDS, run

OTHER = """\
# Other

## Papers
* [MICCAI 2020] Learning a registration prior from unpaired scans of knees [[pdf]](https://example.org/knee) [[code]](https://github.com/x/knee)
* [MICCAI 2021] Deformable registration of whole-body scans with transformers [[pdf]](https://example.org/body)
"""

BLOCK = '<!-- medlit:begin section="Papers" -->\n<!-- medlit:end -->\n'
KNEE = "Learning a registration prior from unpaired scans of knees"
BODY = "Deformable registration of whole-body scans with transformers"


def rendered(tmp_path, text: str) -> list[str]:
    """The lines `render` writes between the markers of a list holding `text` (its own entries
    and a block of the other list's papers)."""
    (tmp_path / "other.md").write_text(OTHER, encoding="utf-8")
    readme = tmp_path / "README.md"
    readme.write_text(text, encoding="utf-8")
    db = tmp_path / "c.db"
    assert run("import", readme, tmp_path / "other.md", "--db", db).exit_code == 0
    result = run("render", readme, "--db", db)
    assert result.exit_code == 0, result.stderr
    out = readme.read_text(encoding="utf-8")
    assert out.startswith(text.split("<!--")[0])  # everything before the block kept
    return out.split("<!-- medlit:begin", 1)[1].split("\n<!-- medlit:end -->")[0].split("\n")[1:]


def test_bullets_in_the_lists_own_form(tmp_path):
    text = (
        "# L\n\n## Segmentation\n"
        "- [Adversarial training and dilated convolutions for brain MRI segmentation] "
        "[[scholar]](https://scholar.google.com/a) [[MICCAI2017]](https://arxiv.org/abs/1707.03195)\n\n"
        "## More\n" + BLOCK
    )
    assert rendered(tmp_path, text) == [
        f"- [{KNEE}] [[MICCAI2020]](https://example.org/knee)",  # no scholar link: none known
        f"- [{BODY}] [[MICCAI2021]](https://example.org/body)",
    ]


def test_venue_first_bullets_keep_code_links(tmp_path):
    text = (
        "# L\n\n## Registration\n"
        "* [CVPR 2018] An Unsupervised Learning Model for Deformable Medical Image Registration "
        "[[pdf]](https://arxiv.org/abs/1802.02604) [[code]](https://github.com/voxelmorph/voxelmorph)\n\n"
        "## More\n" + BLOCK
    )
    lines = rendered(tmp_path, text)
    assert lines == OTHER.strip().split("\n")[3:]  # the other list's own entries, in this shape


def test_table_of_the_section_it_fills(tmp_path):
    text = (
        "# L\n\n## Table\n| Paper Title | Venue | Year |\n| --- | --- | --- |\n"
        "| Cycle consistent registration of prostate scans [[pdf]](https://example.org/p) | TMI | 2019 |\n\n"
        + BLOCK
    )
    assert rendered(tmp_path, text) == [
        "| Paper Title | Venue | Year |",
        "| --- | --- | --- |",
        f"| {KNEE} [[pdf]](https://example.org/knee) | MICCAI | 2020 |",
        f"| {BODY} [[pdf]](https://example.org/body) | MICCAI | 2021 |",
    ]


def test_bold_title_block_with_author_line(tmp_path):
    text = (
        "# L\n\n## Deep Learning\n"
        "1. **Cardiologist-level arrhythmia detection with a deep neural network,**  Nature Medicine (2019)"
        "  [*[read]*](https://example.org/ecg)\n\n    *Awni Y. Hannun, Pranav Rajpurkar*\n\n"
        "## More\n" + BLOCK
    )
    lines = rendered(tmp_path, text)
    assert lines[0] == f"1. **{KNEE},**  MICCAI (2020)  [*[read]*](https://example.org/knee)"
    assert lines[1] == f"1. **{BODY},**  MICCAI (2021)  [*[read]*](https://example.org/body)"  # no authors


def test_author_line_filled(tmp_path):
    bib = tmp_path / "refs.bib"
    bib.write_text(
        "@inproceedings{knee2020,\n  title = {" + KNEE + "},\n  author = {Doe, Jane and Roe, Richard},\n"
        "  booktitle = {MICCAI},\n  year = {2020},\n  url = {https://example.org/knee}\n}\n",
        encoding="utf-8",
    )
    readme = tmp_path / "README.md"
    readme.write_text(
        "# L\n\n## Deep Learning\n"
        "1. **Cardiologist-level arrhythmia detection with a deep neural network,**  Nature Medicine (2019)"
        "  [*[read]*](https://example.org/ecg)\n\n    *Awni Y. Hannun, Pranav Rajpurkar*\n\n"
        "## More\n<!-- medlit:begin venue=MICCAI -->\n<!-- medlit:end -->\n",
        encoding="utf-8",
    )
    db = tmp_path / "c.db"
    assert run("import", readme, bib, "--db", db).exit_code == 0
    assert run("render", readme, "--db", db).exit_code == 0
    block = readme.read_text(encoding="utf-8").split("<!-- medlit:begin venue=MICCAI -->\n")[1]
    assert block.startswith(
        f"1. **{KNEE},**  MICCAI (2020)  [*[read]*](https://example.org/knee)\n\n    *Jane Doe, Richard Roe*\n"
    ), block


def test_template_and_diff(tmp_path):
    text = "# L\n\n" + BLOCK.replace(
        'section="Papers"', 'section="Papers" template="1. {title} ({venue}, {year}) [code]({links.code})"'
    )
    lines = rendered(tmp_path, text)
    assert lines == [
        f"1. {KNEE} (MICCAI, 2020) [code](https://github.com/x/knee)",
        f"1. {BODY} (MICCAI, 2021)",
    ]
    readme = tmp_path / "README.md"
    readme.write_text(text, encoding="utf-8")
    diff = run("render", readme, "--diff", "--db", tmp_path / "c.db")
    assert diff.exit_code == 1 and f"+1. {BODY} (MICCAI, 2021)" in diff.stdout
    assert readme.read_text(encoding="utf-8") == text  # --diff changes nothing


def test_bad_marker_attributes(tmp_path):
    readme = tmp_path / "README.md"
    readme.write_text('x\n<!-- medlit:begin template="no fields" -->\n<!-- medlit:end -->\n')
    (tmp_path / "other.md").write_text(OTHER, encoding="utf-8")
    run("import", tmp_path / "other.md", "--db", tmp_path / "c.db")
    result = run("render", readme, "--db", tmp_path / "c.db")
    assert result.exit_code == 1 and "README.md:2: template has no field" in result.stderr


def _measure():
    sys.path.insert(0, str(ROOT / "bench"))
    from roundtrip import measure

    return measure


@pytest.mark.parametrize("path", sorted(SEEDS.glob("*.txt")), ids=lambda p: p.name[:3])
def test_seed_round_trip(path):
    figures = _measure()(path)
    assert figures["entries"] and figures["same"] >= 0.95 * figures["entries"], figures["differ"]


@pytest.mark.skipif(not CORPORA.is_dir(), reason="no ../shared/corpora")
@pytest.mark.parametrize("name", [p.name for p in sorted(CORPORA.glob("*_README.md"))])
def test_corpora_round_trip(name):
    figures = _measure()(CORPORA / name)
    if figures["entries"]:  # a list the readers find no papers in has nothing to render
        assert figures["same"] >= 0.95 * figures["entries"], (name, figures["differ"][:5])


def test_layout_tags_do_not_stop_reuse_but_html_does():
    """`<br>` (paragraph-block lists join lines with it) is kept as written; other HTML is not."""
    from medlit.entries import Entry
    from medlit.model import Paper, Record, Source
    from medlit.shapes import Shape, own_text

    record = Record("A paper on registration of knees", Source("l.md", 3, "S"), year=2021)
    paper = Paper("A paper on registration of knees", year=2021)
    shape = Shape("**{title}.** [{year}].<br>", learned_from={"l.md"})
    kept = Entry(
        record, 3, ["**A paper on registration of knees.** [2021].<br>", "*A. Author.*<br>"], "block"
    )
    assert own_text(kept, paper, shape) == "\n".join(kept.lines)
    hostile = Entry(
        record, 3, ['**A paper on registration of knees.** <img src=x onerror="alert(1)">'], "block"
    )
    assert own_text(hostile, paper, shape) is None
