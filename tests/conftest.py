"""Shared fixtures: the real seeds, a catalog built from them, and a CLI runner."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from hypothesis import settings

from medlit.cli import cli

# the property tests try the same examples on every run, so that a run cannot fail at random;
# HYPOTHESIS_PROFILE=explore draws new ones (what a property's author runs to find bugs)
settings.register_profile("fixed", derandomize=True)
settings.register_profile("explore", derandomize=False)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "fixed"))

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
# real public lists, beside a clone as ../shared/corpora; MEDLIT_CORPORA=none runs the suite
# as a user's clone would, without them (their tests skip)
CORPORA = Path(os.environ.get("MEDLIT_CORPORA") or ROOT.parent / "shared" / "corpora")
SEED = {n: next(SEEDS.glob(f"{n}_*.txt")) for n in ("000", "001", "002", "003", "004")}


def run(*args: str, input: str | None = None, env: dict | None = None):
    """Invoke the CLI in-process; stdout and stderr are kept apart."""
    return CliRunner().invoke(cli, [str(a) for a in args], input=input, env=env, catch_exceptions=False)


@click.command(context_settings={"ignore_unknown_options": True, "help_option_names": []})
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def _as_main(args: tuple[str, ...]) -> None:
    from medlit.cli.handler import handled

    with handled():
        cli.main(args=list(args), prog_name="medlit", standalone_mode=True)


def run_handled(*args: str, input: str | None = None):
    """In-process like `run`, but errors end as `medlit.cli.main` ends them: one stderr line and
    an exit code. For fault-injection tests that patch medlit's internals."""
    env = {"MEDLIT_DEBUG": None}
    return CliRunner().invoke(_as_main, [str(a) for a in args], input=input, env=env, catch_exceptions=False)


def medlit(
    *args, cwd: Path | None = None, input: str | None = None, timeout: float = 300, env: dict | None = None
):
    """Run medlit as a user does: its own process, stdout and stderr apart, no debug traces;
    `env` adds to (or with None values removes from) the environment."""
    env = {
        k: v
        for k, v in {**os.environ, **(env or {})}.items()
        if k not in ("MEDLIT_DEBUG", "MEDLIT_DB") and v is not None
    }
    return subprocess.run(
        [sys.executable, "-m", "medlit", *map(str, args)],
        cwd=cwd,
        input=input,
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        env=env,
        timeout=timeout,
    )


def exported(db: Path) -> list[dict]:
    """Every paper in a catalog, as `medlit export json` gives them."""
    result = run("export", "json", "--db", db)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


@pytest.fixture(scope="session")
def seed_db(tmp_path_factory) -> Path:
    """A catalog of the five seeds, built once per test session (tests must not change it)."""
    folder = tmp_path_factory.mktemp("seeded")
    shutil.copytree(SEEDS, folder / "seeds")
    db = folder / "catalog.db"
    result = run("import", folder / "seeds", "--db", db)
    assert result.exit_code == 0, result.stderr
    return db


@pytest.fixture(scope="session")
def generated_db(tmp_path_factory) -> Path:
    """3,000 papers written by bench/generate.py: thousands of titles share most of their
    words, a facet value is shared by hundreds of papers (tests must not change it)."""
    sys.path.insert(0, str(ROOT / "bench"))
    import generate

    folder = tmp_path_factory.mktemp("generated")
    generate.write(3000, folder / "lists")
    db = folder / "catalog.db"
    result = run("import", folder / "lists", "--db", db, "-q")
    assert result.exit_code == 0, result.stderr
    return db


@pytest.fixture()
def seeds_copy_db(tmp_path) -> Path:
    """A catalog a test may change, of its own copy of the seeds (tmp_path/seeds), which it
    may edit and import again."""
    shutil.copytree(SEEDS, tmp_path / "seeds")
    db = tmp_path / "catalog.db"
    result = run("import", tmp_path / "seeds", "--db", db, "-q")
    assert result.exit_code == 0, result.stderr
    return db


@pytest.fixture(scope="session")
def papers(seed_db) -> list[dict]:
    result = run("export", "json", "--db", seed_db)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def by_title(papers: list[dict], fragment: str) -> list[dict]:
    return [p for p in papers if fragment.lower() in p["title"].lower()]


def one(papers: list[dict], fragment: str) -> dict:
    found = by_title(papers, fragment)
    assert len(found) == 1, f"{fragment!r}: {len(found)} papers: {[p['title'] for p in found]}"
    return found[0]
