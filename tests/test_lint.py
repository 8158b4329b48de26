"""`medlit lint`: each rule on a list the test writes, the output shapes, and switching rules off."""

from __future__ import annotations

import json

import pytest
from conftest import CORPORA, SEED, run

LIST = """\
# A list

## Segmentation
* [MICCAI 2019] Dual-Stream Pyramid Registration Network for brains [[pdf]](https://arxiv.org/pdf/1909.11966)
* [MICCAI 2020] Large Deformation Diffeomorphic Image Registration with Laplacian Pyramid Networks [[pdf]](https://arxiv.org/abs/2006.16148)
* [MICCAI 2021] A third paper on deformable image registration of lungs [[pdf]](https://example.org/3)
* [MICCAI 2017] An older paper on deformable image registration of hearts [[pdf]](https://example.org/4)
* [MICCAI 2019] Dual-Stream Pyramid Registration Network for brains [[pdf]](https://arxiv.org/abs/1909.11966)
* [TPMAI 2023] Learning deformable registration from optimization for knees [[pdf]](https://example.org/6)
* [MICCAI 2024] A paper on deformable registration with no address at all [[pdf]]()
* [MICCAI 2024] Registration of whole-body scans with a broken link [[pdf]](https://example.org/8
* [MICCAI 2024] Registration of retinal images with a spaced link [pdf] (https://example.org/9)

## Prostate
* [IEEE-TMI 2019] Cycle-consistent registration networks for the prostate [[pdf]](https://example.org/10)
* [TMI 2019] Another registration network for the prostate gland [[pdf]](https://example.org/11)
* [TMI 2020] A third registration network for the prostate gland [[pdf]](https://example.org/12)

## Detection
- [Unsupervised anomaly detection with adversarial networks in retinas] [[scholar]](https://scholar.google.com/a) [[arXiv]](https://example.org/a)
- [Generative adversarial networks for brain lesion detection in MRI] [[JMI2017]](https://example.org/13)

## Tables

| Technique | Modality | Area | Paper Title | DB | J/C | Year |
| --- | --- | --- | --- | --- | --- | --- |
| CNN | CT | lung | Multi-scale convolutional networks for lung nodule classification [[pdf]](https://example.org/14) (Section II) | | IPMI | 2015 |
| CNN | CT | lung | A row with one cell too few for its header [[pdf]](https://example.org/15) | | IPMI |
| CNN | CT | lung | Dual-Stream Pyramid Registration Network for brains [[pdf]](https://example.org/16) | | MICCAI | 2019 |
"""


def lint(tmp_path, text=LIST, *args, name="README.md"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return run("lint", path, "--format", "json", *args), path


def codes_at(result) -> dict[int, set[str]]:
    found: dict[int, set[str]] = {}
    for f in json.loads(result.stdout):
        found.setdefault(f["line"], set()).add(f["code"])
    return found


def test_each_rule_names_its_line(tmp_path):
    result, _ = lint(tmp_path)
    assert result.exit_code == 1  # errors present
    at = codes_at(result)
    assert (
        "ML101" in at[4] and "ML101" in at[8] and "ML101" not in at[29]
    )  # the same title twice in one section: both lines
    assert "ML102" in at[29]  # and again under another heading
    assert "ML601" in at[7]  # 2017 after 2021 in a section sorted oldest first
    assert "ML302" in at[9]  # TPMAI: did you mean TPAMI
    assert {"ML203", "ML202"} <= at[10]  # [[pdf]]()
    assert "ML502" in at[11] and "ML502" in at[12]  # not closed; `] (`
    assert "ML301" in at[15]  # IEEE-TMI where the list writes TMI
    assert "ML201" in at[20] and "ML202" not in at[20]  # no year; a scholar link is a link
    assert "ML303" in at[21]  # JMI: not in the vocabulary, nothing close
    assert "ML401" in at[27] and "ML401" not in at[11] | at[12]  # (Section II) after the title's link
    assert "ML501" in at[28]  # one cell short
    messages = {f["code"]: f["message"] for f in json.loads(result.stdout)}
    assert "did you mean TPAMI?" in messages["ML302"]
    assert "did you mean TMI?" in messages["ML301"]


def test_text_shape_and_exit_codes(tmp_path):
    path = tmp_path / "README.md"
    path.write_text(LIST, encoding="utf-8")
    result = run("lint", path)
    lines = result.stdout.splitlines()
    assert f"{path}:9: ML302 unknown venue 'TPMAI'; did you mean TPAMI?" in lines
    assert all(line.startswith(f"{path}:") and line.split(": ")[1][:2] == "ML" for line in lines)
    assert "errors" in result.stderr
    clean = tmp_path / "clean.md"
    clean.write_text(
        "# L\n\n* [MICCAI 2019] A paper on deformable image registration [[pdf]](https://x.org/1)\n"
    )
    ok = run("lint", clean)
    assert ok.exit_code == 0 and ok.stdout == ""


def test_merge_of_different_titles_is_shown(tmp_path):
    text = (
        "# L\n\n## A\n"
        "* [MICCAI 2018] Attention U-Net: learning where to look for the pancreas [[pdf]](https://arxiv.org/abs/1804.03999)\n\n"
        "## B\n"
        "* [MIDL 2018] Atention U-Net: learning where to lok for the pancreas [[pdf]](https://arxiv.org/pdf/1804.03999v3)\n"
    )
    result, _ = lint(tmp_path, text)
    found = [f for f in json.loads(result.stdout) if f["code"] == "ML103"]
    assert [f["line"] for f in found] == [7] and "1804.03999" in found[0]["message"]
    assert found[0]["level"] == "info"


def test_ignore_on_the_command_line_and_beside_the_list(tmp_path):
    result, path = lint(tmp_path, LIST, "--ignore", "ML501,ML502", "--ignore", "ml203", "--ignore", "ML101")
    codes = {c for cs in codes_at(result).values() for c in cs}
    assert not codes & {"ML501", "ML502", "ML203", "ML101"} and "ML302" in codes
    assert result.exit_code == 0  # no error-level rule left
    (tmp_path / "pyproject.toml").write_text('[tool.medlit.lint]\nignore = ["ML302", "ML601"]\n')
    codes = {c for cs in codes_at(run("lint", path, "-f", "json")).values() for c in cs}
    assert "ML302" not in codes and "ML601" not in codes and "ML501" in codes
    (tmp_path / "pyproject.toml").unlink()
    (tmp_path / "medlit.toml").write_text('[lint]\nignore = ["ML301"]\n')
    codes = {c for cs in codes_at(run("lint", path, "-f", "json")).values() for c in cs}
    assert "ML301" not in codes and "ML302" in codes
    (tmp_path / "medlit.toml").write_text('[lint]\nignore = ["ML999"]\n')
    bad = run("lint", path)
    assert bad.exit_code == 1 and "unknown lint code 'ML999'" in bad.stderr
    usage = run("lint", path, "--ignore", "XX1")
    assert usage.exit_code == 2 and "unknown code XX1" in usage.stderr


def test_generated_blocks_are_not_linted(tmp_path):
    text = (
        "# L\n\n* [MICCAI 2019] A paper on deformable image registration [[pdf]](https://x.org/1)\n\n"
        "<!-- medlit:begin -->\n| a | b |\n| --- | --- |\n| 1 |\n<!-- medlit:end -->\n"
    )
    result, _ = lint(tmp_path, text)
    assert result.exit_code == 0 and json.loads(result.stdout) == []


def test_readme_documents_every_code():
    from conftest import ROOT

    from medlit.lint import RULES

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for code, rule in RULES.items():
        assert f"| {code} | {rule.name} | {rule.level} |" in readme


def test_seed_findings():
    """Seed 001 gives its known faults: an empty link, text after a title's link, a paper
    under two headings (on purpose there: two tasks, so an info)."""
    result = run("lint", SEED["001"], "-f", "json")
    found = {(f["line"], f["code"]) for f in json.loads(result.stdout)}
    assert (76, "ML203") in found and (133, "ML401") in found and (149, "ML401") in found
    assert (92, "ML102") in found and (120, "ML102") in found  # DeepLung under two tasks
    assert not any(code == "ML101" for _, code in found)


@pytest.mark.skipif(not CORPORA.is_dir(), reason="no ../shared/corpora")
def test_registration_list_typo_and_duplicates():
    path = CORPORA / "Alison-brie_Awesome-Medical-Image-Registration_README.md"
    result = run("lint", path, "-f", "json")
    found = json.loads(result.stdout)
    assert any(f["code"] == "ML302" and "'TPMAI'; did you mean TPAMI?" in f["message"] for f in found)
    assert {(f["line"], f["code"]) for f in found} >= {(101, "ML102"), (155, "ML102")}


def test_bibtex_entries_are_checked_too(tmp_path):
    bib = tmp_path / "refs.bib"
    bib.write_text(
        "@article{a,\n  title = {A study of deformable registration of knees},\n  journal = {TPMAI},\n}\n\n"
        "@article{b,\n  title = {Another study of registration},\n  journal = {TMI},\n  year = {2020},\n"
        "  url = {https://example.org/b}\n}\n",
        encoding="utf-8",
    )
    found = {(f["line"], f["code"]) for f in json.loads(run("lint", bib, "-f", "json").stdout)}
    assert {(1, "ML201"), (1, "ML202"), (1, "ML302")} <= found
    assert not any(line == 6 for line, _ in found)
