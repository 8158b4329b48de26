"""What `medlit render` wrote between its markers is never read back as a source."""

from __future__ import annotations

import json

from conftest import run

LIST = """\
# A list

## Segmentation
- [SegAN: Adversarial Network with Multi-scale L1 Loss for Medical Image Segmentation] [[scholar]](https://scholar.google.com/a) [[arXiv]](https://arxiv.org/abs/1706.01805)
- [Automatic Liver Segmentation Using an Adversarial Image-to-Image Network] [[scholar]](https://scholar.google.com/b) [[arXiv]](https://arxiv.org/abs/1707.08037)

## Every paper (generated)
<!-- medlit:begin -->
<!-- medlit:end -->
"""


def titles(db) -> set[str]:
    return {p["title"] for p in json.loads(run("export", "json", "--db", db).stdout)}


def test_deleted_paper_leaves_catalog_and_render(tmp_path):
    readme, db = tmp_path / "README.md", tmp_path / "c.db"
    readme.write_text(LIST, encoding="utf-8")
    assert run("import", readme, "--db", db).exit_code == 0
    assert run("render", readme, "--db", db).exit_code == 0
    rendered = readme.read_text(encoding="utf-8")
    assert rendered.count("Automatic Liver Segmentation") == 2  # the entry, and the generated copy
    imported = run("import", readme, "--db", db)
    assert "1 generated block between medlit markers not read" in imported.stderr
    assert imported.stderr.count("generated block") == 1  # said once
    assert len(titles(db)) == 2
    # the maintainer deletes the liver paper from the list; the generated copy is still there
    kept = [line for line in rendered.split("\n") if not line.startswith("- [Automatic Liver")]
    readme.write_text("\n".join(kept), encoding="utf-8")
    assert run("import", readme, "--db", db).exit_code == 0
    assert titles(db) == {
        "SegAN: Adversarial Network with Multi-scale L1 Loss for Medical Image Segmentation"
    }
    assert run("render", readme, "--db", db).exit_code == 0
    assert "Automatic Liver Segmentation" not in readme.read_text(encoding="utf-8")


def test_unclosed_marker_is_read_as_text(tmp_path):
    readme, db = tmp_path / "README.md", tmp_path / "c.db"
    readme.write_text(LIST.replace("<!-- medlit:end -->\n", ""), encoding="utf-8")
    result = run("import", readme, "--db", db)
    assert result.exit_code == 0 and "generated block" not in result.stderr and len(titles(db)) == 2
