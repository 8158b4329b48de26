"""Which catalog a command uses when no --db is given: MEDLIT_DB, the nearest catalog.db in
this folder or above, the config file's db, ./catalog.db; `medlit where` says which and why."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT


def _medlit(*args, cwd: Path, home: Path, **env):
    """medlit in its own process, with a home and config folder of the test's own."""
    clean = {k: v for k, v in os.environ.items() if k not in ("MEDLIT_DB", "MEDLIT_DEBUG", "XDG_CONFIG_HOME")}
    clean.update({"HOME": str(home), "XDG_CONFIG_HOME": str(home / ".config"), **env})
    return subprocess.run(
        [sys.executable, "-m", "medlit", *map(str, args)], cwd=cwd, env=clean, capture_output=True, text=True
    )


@pytest.fixture
def thesis(seed_db, tmp_path):
    """A thesis folder with the seeds' catalog at its top and a chapter folder below."""
    top = tmp_path / "thesis"
    (top / "chapter2" / "figures").mkdir(parents=True)
    shutil.copy(seed_db, top / "catalog.db")
    (tmp_path / "home").mkdir()
    return top


def _config(home: Path, text: str) -> Path:
    path = home / ".config" / "medlit" / "config.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_the_nearest_catalog_above_is_used_from_a_subfolder(thesis, seed_db):
    home = thesis.parent / "home"
    where = _medlit("where", cwd=thesis / "chapter2" / "figures", home=home)
    assert where.returncode == 0, where.stderr
    assert where.stdout == f"{thesis / 'catalog.db'}\n"
    assert f"the nearest catalog.db: in {thesis}, above the current folder" in where.stderr
    found = _medlit("search", "--organ", "liver", "-f", "keys", cwd=thesis / "chapter2", home=home)
    named = _medlit("search", "--organ", "liver", "-f", "keys", "--db", seed_db, cwd=thesis, home=home)
    assert found.returncode == 0 and found.stdout == named.stdout and found.stdout


def test_db_then_environment_then_nearest_then_config_then_default(thesis, tmp_path):
    home = tmp_path / "home"
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    other = tmp_path / "other.db"
    shutil.copy(thesis / "catalog.db", other)
    _config(home, f'db = "{tmp_path / "configured.db"}"\n')

    def where(cwd, *args, **env):
        result = _medlit("where", *args, cwd=cwd, home=home, **env)
        assert result.returncode == 0, result.stderr
        return Path(result.stdout.strip()), result.stderr

    assert where(thesis, "--db", other, MEDLIT_DB="env.db")[0] == other
    path, why = where(thesis, MEDLIT_DB=str(tmp_path / "env.db"))
    assert path == tmp_path / "env.db" and "set by MEDLIT_DB" in why
    assert where(thesis / "chapter2")[0] == thesis / "catalog.db"
    path, why = where(elsewhere)
    assert path == tmp_path / "configured.db" and "the db of " in why and "no file there yet" in why
    (home / ".config" / "medlit" / "config.toml").unlink()
    path, why = where(elsewhere)
    assert path == elsewhere / "catalog.db" and why.startswith("why: the default")


def test_a_config_path_may_start_with_a_tilde_or_be_relative_to_the_config(thesis, tmp_path):
    home = tmp_path / "home"
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    shutil.copy(thesis / "catalog.db", home / "refs.db")
    _config(home, 'db = "~/refs.db"  # my reading list\n')
    result = _medlit("search", "--organ", "lung", "-f", "keys", cwd=elsewhere, home=home)
    assert result.returncode == 0, result.stderr
    assert len(result.stdout.split()) == 6
    config = _config(home, 'db = "lists/catalog.db"\n')
    where = _medlit("where", cwd=elsewhere, home=home)
    assert where.stdout.strip() == str(config.parent / "lists" / "catalog.db")


@pytest.mark.parametrize(
    "text, says",
    [
        ("db = [\n", "is not valid TOML"),
        ("db = 3\n", 'db must be a path in quotes, like db = "~/thesis/catalog.db"'),
    ],
)
def test_a_broken_config_is_one_line_naming_it(tmp_path, text, says):
    home = tmp_path / "home"
    config = _config(home, text)
    result = _medlit("search", "--organ", "lung", cwd=tmp_path, home=home)
    assert result.returncode == 1
    assert result.stderr.startswith(f"medlit: {config}") and says in result.stderr
    assert result.stderr.count("\n") == 1


def test_an_import_without_db_goes_to_the_nearest_catalog(thesis, tmp_path):
    home = tmp_path / "home"
    chapter = thesis / "chapter2"
    (chapter / "new.md").write_text("| Title | Year |\n|---|---|\n| A chapter two paper on livers | 2024 |\n")
    result = _medlit("import", "new.md", "-q", cwd=chapter, home=home)
    assert result.returncode == 0, result.stderr
    assert not (chapter / "catalog.db").exists()
    exported = _medlit("export", "json", "--db", thesis / "catalog.db", cwd=thesis, home=home)
    assert "A chapter two paper on livers" in exported.stdout


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs root to give a file away")
def test_someone_elses_catalog_above_is_passed_over(thesis, tmp_path):
    os.chown(thesis / "catalog.db", 65534, 65534)  # nobody's
    result = _medlit("where", cwd=thesis / "chapter2", home=tmp_path / "home")
    assert result.stdout.strip() == str(thesis / "chapter2" / "catalog.db")
    here = _medlit("where", cwd=thesis, home=tmp_path / "home")  # in the folder itself it is chosen
    assert here.stdout.strip() == str(thesis / "catalog.db")


def test_config_folders_by_platform():
    from medlit.catalog.locate import config_dir

    assert config_dir({"HOME": "/h"}, "linux") == Path("/h/.config/medlit")
    assert config_dir({"HOME": "/h", "XDG_CONFIG_HOME": "/x"}, "linux") == Path("/x/medlit")
    assert config_dir({"HOME": "/h", "XDG_CONFIG_HOME": "rel"}, "linux") == Path("/h/.config/medlit")
    assert config_dir({"HOME": "/h"}, "darwin") == Path("/h/Library/Application Support/medlit")
    assert config_dir({"HOME": "/h", "APPDATA": "C:/Users/a/AppData/Roaming"}, "win32") == Path(
        "C:/Users/a/AppData/Roaming/medlit"
    )


def test_the_readme_main_command_uses_the_shipped_catalog(tmp_path):
    result = _medlit("where", cwd=ROOT, home=tmp_path)
    assert result.stdout.strip() == str(ROOT / "catalog.db")
    assert "in the current folder" in result.stderr
