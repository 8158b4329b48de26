"""The command line as a user meets it: help, errors, the catalog option, show."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from conftest import ROOT, run

from medlit.builtins import COMMANDS as BUILT_IN

COMMANDS = [name for name, _module, _help in BUILT_IN]


def test_help_lists_every_command():
    result = run("--help")
    assert result.exit_code == 0
    for name in COMMANDS:
        assert name in result.stdout


@pytest.mark.parametrize("name", list(COMMANDS))
def test_every_command_has_help(name):
    result = run(name, "--help")
    assert result.exit_code == 0 and "Usage: " in result.stdout
    if name not in ("import", "plugins", "lint"):  # plugins and lint read no catalog
        assert "--db" in result.stdout


@pytest.mark.parametrize("args", [["search"], ["show", "x"], ["export", "json"], ["stats"], ["datasets"]])
def test_a_read_without_catalog_says_how_to_build_one_and_creates_nothing(tmp_path, args):
    db = tmp_path / "none.db"
    result = run(*args, "--db", db)
    assert result.exit_code == 1
    assert (
        result.stderr.strip() == f"medlit: no catalog at {db}; build one with: medlit import seeds/ --db {db}"
    )
    assert not db.exists()


def test_medlit_db_variable_picks_the_catalog(seed_db):
    result = run("search", "--organ", "lung", "-f", "keys", env={"MEDLIT_DB": str(seed_db)})
    assert result.exit_code == 0 and len(result.stdout.split()) == 6


def test_show_prints_one_paper_with_its_sources(seed_db):
    result = run("show", "deeplung2018deep", "--db", seed_db)
    assert result.exit_code == 0
    assert "DeepLung: Deep 3D Dual Path Nets" in result.stdout
    assert "001_a83cd7c3531bd76a.txt:92  (分类问题)" in result.stdout
    assert "001_a83cd7c3531bd76a.txt:120  (检测问题)" in result.stdout
    data = json.loads(run("show", "deeplung2018deep", "--db", seed_db, "-f", "json").stdout)
    assert data["key"] == "deeplung2018deep" and len(data["sources"]) == 2


def test_show_unknown_key_suggests(seed_db):
    result = run("show", "deeplung2018dep", "--db", seed_db)
    assert result.exit_code == 1 and "did you mean deeplung2018deep" in result.stderr


def test_titles_with_markup_characters_print_as_text(tmp_path):
    doc = tmp_path / "list.md"
    doc.write_text(
        '## References\n1. Doe, Jane, et al. ["[bold] and [/] brackets in a title."](https://x.org/a) '
        "Radiology (2019): 1-2.\n",
        encoding="utf-8",
    )
    db = tmp_path / "c.db"
    run("import", doc, "--db", db)
    key = run("search", "--db", db, "-f", "keys").stdout.strip()
    assert "[bold] and [/] brackets in a title" in run("show", key, "--db", db).stdout


def test_installed_script_runs_the_main_job():
    """The README's main job, as a new user runs it: a real process on the shipped catalog."""
    result = subprocess.run(
        [sys.executable, "-m", "medlit", "search", "--modality", "CT", "--organ", "lung", "--format", "json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert len(json.loads(result.stdout)) == 6 and result.stderr == ""
