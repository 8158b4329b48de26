"""The plugin seam: a package adds a reader, a writer and a command through an entry point
in the group `medlit`, without touching medlit; built-ins come in through the same hook."""

from __future__ import annotations

import json
import os
import sys
import textwrap

import pytest
from conftest import SEED, run
from conftest import medlit as medlit_process

import medlit.registry
from medlit.registry import CommandSpec, ReaderSpec, WriterSpec

PLUGIN = '''
"""A reader of .titles files (one title a line), an entry shape `PAPER: Title, 2021` for
markdown lists, and a writer of numbered titles."""
import re

import click
from medlit.model import ReadResult, Record, Source
from medlit.registry import CommandSpec, ReaderSpec, ShapeSpec, WriterSpec

PAPER_LINE = re.compile(r"^PAPER:\\s*(.+?),\\s*((?:19|20)\\d\\d)\\s*$")


def paper_line(segs, text, links, source):
    m = PAPER_LINE.match(text)
    return Record(title=m.group(1), source=source, year=int(m.group(2))) if m else None


def read(text, file):
    result = ReadResult()
    for n, line in enumerate(text.splitlines(), 1):
        if line.strip():
            result.records.append(Record(title=line.strip(), source=Source(file, n, None)))
    return result


def write(papers, out, scores=None, fmt=None, **options):
    for n, paper in enumerate(papers, 1):
        out.write(f"{n}. {paper.title}\\n")


@click.command("hello")
def hello():
    """Say hello from a plugin."""
    click.echo("hello from a plugin")


def register(registry):
    registry.add_reader(ReaderSpec("titles", (".titles",), read))
    registry.add_shape(ShapeSpec("paper line", paper_line, order=5))
    registry.add_writer(WriterSpec("numbered", write, "numbered titles"))
    registry.add_command(CommandSpec("hello", hello, "Say hello from a plugin."))
'''


@pytest.fixture()
def installed(tmp_path):
    """A package made visible to importlib.metadata as pip would leave it: a module and its
    dist-info (with entry_points.txt) on the path."""
    site = tmp_path / "site"
    site.mkdir()
    (site / "medlit_titles.py").write_text(textwrap.dedent(PLUGIN), encoding="utf-8")
    info = site / "medlit_titles-0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: medlit-titles\nVersion: 0.1\n", encoding="utf-8"
    )
    (info / "entry_points.txt").write_text("[medlit]\ntitles = medlit_titles\n", encoding="utf-8")
    path = os.pathsep.join([str(site), *sys.path])
    return lambda *args: medlit_process(*args, cwd=tmp_path, env={"PYTHONPATH": path})


def test_an_installed_plugin_reads_writes_and_adds_a_command(installed, tmp_path):
    doc = tmp_path / "reading.titles"
    doc.write_text(
        "Deep learning for lung nodule detection in CT\n\nU-Net for liver segmentation\n", encoding="utf-8"
    )
    db = tmp_path / "catalog.db"
    done = installed("import", doc, "--db", db)
    assert done.returncode == 0, done.stderr
    listed = installed("search", "--db", db, "-f", "numbered", "--sort", "title")
    assert listed.returncode == 0, listed.stderr
    assert listed.stdout.splitlines() == [
        "1. Deep learning for lung nodule detection in CT",
        "2. U-Net for liver segmentation",
    ]
    assert installed("export", "numbered", "--db", db).stdout == listed.stdout
    assert installed("hello").stdout == "hello from a plugin\n"
    help_text = installed("--help").stdout
    assert "hello" in help_text and "Say hello from a plugin." in help_text
    shown = json.loads(installed("plugins", "-f", "json").stdout)
    assert shown["plugins"] == ["medlit", "titles"]
    assert {"name": "titles", "suffixes": [".titles"]} in shown["readers"]


def test_an_installed_entry_shape_reads_a_list_and_reads_it_again(installed, tmp_path):
    doc = tmp_path / "reading.md"
    doc.write_text(
        "# Reading\n\n- PAPER: Deep learning for lung nodule detection in CT, 2021\n"
        "- **U-Net: Convolutional Networks for Biomedical Image Segmentation.** MICCAI, 2015\n",
        encoding="utf-8",
    )
    db = tmp_path / "catalog.db"

    def titles(run):
        return {(p["title"], p["year"]) for p in json.loads(run("export", "json", "--db", db).stdout)}

    def plain(*args):
        return medlit_process(*args, cwd=tmp_path)

    assert plain("import", doc, "--db", db).returncode == 0
    unet = ("U-Net: Convolutional Networks for Biomedical Image Segmentation", 2015)
    assert titles(plain) == {unet}  # medlit alone does not read the PAPER: line
    # the same document, unchanged, with the plugin installed: read again, and its shape wins
    done = installed("import", doc, "--db", db)
    assert done.returncode == 0 and "unchanged" not in done.stderr, done.stderr
    assert titles(installed) == {("Deep learning for lung nodule detection in CT", 2021), unet}
    shown = json.loads(installed("plugins", "-f", "json").stdout)
    assert {"name": "paper line", "order": 5} in shown["shapes"]
    assert [s["name"] for s in shown["shapes"]][:2] == ["paper line", "bold title"]


def test_an_unknown_format_lists_the_plugins_formats_too(installed, tmp_path):
    done = installed("search", "-f", "nosuch", "--db", tmp_path / "x.db")
    assert done.returncode == 2 and "numbered" in done.stderr and "bibtex" in done.stderr


@pytest.fixture()
def fresh_registry():
    saved = medlit.registry._registry
    medlit.registry._registry = None
    yield medlit.registry
    medlit.registry._registry = saved


def test_a_script_registers_through_the_hook_entry_points_call(fresh_registry, seed_db):
    def register(registry):
        registry.add_writer(
            WriterSpec(
                "years",
                lambda papers, out, **_: out.write("".join(f"{p.year}\n" for p in papers)),
                "years only",
            )
        )

    fresh_registry.register(register, name="mine")
    result = run("search", "--organ", "lung", "--db", seed_db, "-f", "years")
    keys = run("search", "--organ", "lung", "--db", seed_db, "-f", "keys").stdout.split()
    assert result.exit_code == 0 and len(result.stdout.split()) == len(keys)
    assert all(y.isdigit() for y in result.stdout.split())
    assert "mine" in fresh_registry.registry().plugins


def test_built_ins_need_no_package_metadata(fresh_registry, monkeypatch):
    """Looking up a built-in never scans installed packages (a 35 ms import at start-up)."""
    import importlib.metadata

    def scanned(*_a, **_k):
        raise AssertionError("entry points were scanned for a built-in")

    monkeypatch.setattr(importlib.metadata, "entry_points", scanned)
    registry = fresh_registry.registry()
    assert registry.writer("bibtex").name == "bibtex"
    assert registry.reader_for(".md").name == "markdown" and registry.reader_for(SEED["001"].suffix)
    assert isinstance(registry.command("search"), CommandSpec)
    assert isinstance(registry.reader_for(".bib"), ReaderSpec)
