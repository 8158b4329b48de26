"""Issue 19's hostile outputs: what a document says can never inject into the BibTeX, markdown,
CSV or terminal output that medlit writes from it. Each test is one of the issue's cases,
imported from a document the test writes and exported through the CLI."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
from conftest import medlit, run

TABLE_HEAD = "#### Segmentation\n| Technique | Modality | Area | Paper Title | DB | J/C | Year |\n|---|---|---|---|---|---|---|\n"


def _catalog(tmp_path, name: str, text: str):
    doc = tmp_path / name
    doc.write_text(text, encoding="utf-8")
    db = tmp_path / "c.db"
    result = run("import", doc, "--db", db)
    assert result.exit_code == 0, result.stderr
    return db


def _export(db, fmt: str, *args: str) -> str:
    result = run("export", fmt, "--db", db, *args)
    assert result.exit_code == 0, result.stderr
    return result.stdout


def bibtex_entries(text: str) -> list[tuple[str, str, dict[str, str]]]:
    """The .bib as BibTeX itself scans it (bibtex.web's scan_balanced_braces): a braced value
    ends at the brace that brings the count back to zero, and every brace counts, `\\{` too.
    (type, key, {field: value}); a value that never closes takes the rest of the file."""
    entries = []
    pos = 0
    while (at := text.find("@", pos)) >= 0:
        head = re.compile(r"@(\w+)\{([^,\s]*),").match(text, at)
        assert head, text[at : at + 80]
        kind, key, pos = head.group(1), head.group(2), head.end()
        fields: dict[str, str] = {}
        while True:
            m = re.compile(r"\s*(\w+)\s*=\s*\{").match(text, pos)
            if not m:
                break
            depth, i = 1, m.end()
            while i < len(text) and depth:
                depth += {"{": 1, "}": -1}.get(text[i], 0)
                i += 1
            fields[m.group(1).lower()] = text[m.end() : i - 1]
            pos = i
            if depth:
                break  # unbalanced: BibTeX has lost the rest of the file
            comma = re.compile(r"\s*,").match(text, pos)
            if comma:
                pos = comma.end()
        end = re.compile(r"\s*\}").match(text, pos)
        assert end, f"entry {key} does not end where BibTeX expects: {text[pos : pos + 60]!r}"
        pos = end.end()
        entries.append((kind, key, fields))
    return entries


# ------------------------------------------------------------------ 1: DOI/URL injection


INJECTING_LINK = "https://doi.org/10.1234/abc%7D,note=%7B%5Cinput%7B/etc/passwd%7D%7D"


def _no_injection(out: str, entries: int) -> None:
    assert "\\input" not in out
    found = bibtex_entries(out)
    assert len(found) == len(re.findall(r"^@", out, re.M)) == entries
    for _kind, _key, fields in found:
        assert "note" not in fields
        for name in ("doi", "url", "eprint"):
            value = fields.get(name, "")
            assert not set(value) & set("{}\\ \n"), (name, value)


def test_a_doi_link_cannot_inject_a_field_or_a_command_into_bibtex(tmp_path):
    row = f"| CNN | CT | lung | Lung nodules [[pdf]]({INJECTING_LINK}) | | MICCAI | 2020 |\n"
    bib = "@article{evil2020,\n  title = {Evil entry},\n  year = {2020},\n  doi = {10.1234/{\\input{/etc/shadow}}}\n}\n"
    db = _catalog(tmp_path, "list.md", TABLE_HEAD + row)
    (tmp_path / "evil.bib").write_text(bib, encoding="utf-8")
    assert run("import", tmp_path / "evil.bib", "--db", db).exit_code == 0
    _no_injection(_export(db, "bibtex"), 2)


def test_the_bibtex_writer_cannot_be_injected_whatever_the_catalog_holds():
    from medlit.model import Paper
    from medlit.writers.bibtex import to_string

    hostile = "10.1234/abc},note={\\input{/etc/passwd}}"
    paper = Paper(
        title="T", key="k2020t", year=2020, doi=hostile, arxiv="2001.00001}, note={x",
        url="https://x.org/a}\n  note = {\\input{/etc/passwd}}", venue="V", venue_kind="journal",
    )  # fmt: skip
    out = to_string([paper, Paper(title="Next", key="k2021n", year=2021)])
    _no_injection(out, 2)
    (_, _, fields), _ = bibtex_entries(out)
    assert fields["doi"] == "10.1234/abc%7D,note=%7B%5Cinput%7B/etc/passwd%7D%7D"


def test_an_injecting_doi_is_refused_with_its_file_and_line(tmp_path):
    row = f"| CNN | CT | lung | Lung nodules [[pdf]]({INJECTING_LINK}) | | MICCAI | 2020 |\n"
    doc = tmp_path / "list.md"
    doc.write_text(TABLE_HEAD + row, encoding="utf-8")
    result = run("import", doc, "--db", tmp_path / "c.db")
    assert result.exit_code == 0
    assert re.search(r"list\.md:4: warning: .*not a well-formed DOI", result.stderr), result.stderr
    (paper,) = json.loads(_export(tmp_path / "c.db", "json"))
    assert paper["doi"] is None


# ------------------------------------------------------------------ 2: braces BibTeX counts


def test_every_exported_entry_is_brace_balanced_as_bibtex_counts(tmp_path):
    titles = ["A lone { opens", "A lone } closes", "Both } then {", "Plain title", "Set {a, b} kept"]
    rows = "".join(f"| CNN | CT | lung | {t} | | MICCAI | {2015 + i} |\n" for i, t in enumerate(titles))
    db = _catalog(tmp_path, "braces.md", TABLE_HEAD + rows)
    out = _export(db, "bibtex")
    entries = bibtex_entries(out)
    assert len(entries) == 5
    assert all(set(fields) >= {"title", "year", "booktitle"} for _, _, fields in entries)
    # and what a reader makes of them is the titles again
    from medlit.readers.bibtex import read_bibtex

    assert sorted(r.title for r in read_bibtex(out, "x.bib").records) == sorted(titles)


# ------------------------------------------------------------------ 3: markdown


MARKER_URL = "https://evil.example/x<!-- medlit:end -->y"
SCRIPT_URL = "https://evil.example/<script>alert(1)</script>"
HOSTILE_BIB = f"""@article{{script2020,
  title = {{Segmentation of the lung <script>alert(2)</script>}},
  journal = {{Medical Image Analysis}},
  year = {{2020}},
  url = {{{SCRIPT_URL}}}
}}
@article{{marker2021,
  title = {{Lung nodules <!-- medlit:end --> detected}},
  journal = {{Medical Image Analysis}},
  year = {{2021}},
  url = {{{MARKER_URL}}}
}}
@article{{js2022,
  title = {{Lung CT with a javascript link}},
  journal = {{Medical Image Analysis}},
  year = {{2022}},
  url = {{javascript://%0Aalert(3)}}
}}
"""


def test_markdown_export_writes_no_html_and_no_marker(tmp_path):
    db = _catalog(tmp_path, "hostile.bib", HOSTILE_BIB)
    out = _export(db, "markdown")
    assert not re.search(r"(?<!\\)<", out), out  # every `<` escaped: no tag, no comment, no marker
    assert "javascript:" not in out
    # every row is still one row of seven cells, and reads back as the same papers
    rows = [line for line in out.splitlines() if line.startswith("| ") and "Paper Title" not in line]
    assert all(len(re.split(r"(?<!\\)\|", line)) == 9 for line in rows), rows
    again = tmp_path / "again.md"
    again.write_text(out, encoding="utf-8")
    result = run("import", again, "--db", tmp_path / "again.db")
    assert result.exit_code == 0 and "skipped:" not in result.stderr, result.stderr
    titles = lambda db: sorted(p["title"] for p in json.loads(_export(db, "json")))  # noqa: E731
    assert titles(tmp_path / "again.db") == titles(db)


def test_render_of_a_hostile_catalog_is_stable_and_keeps_the_rest(tmp_path):
    db = _catalog(tmp_path, "hostile.bib", HOSTILE_BIB)
    readme = tmp_path / "README.md"
    before, after = "# My list\n\nIntro.\n\n", "\nOutro, by hand.\n"
    readme.write_text(before + "<!-- medlit:begin -->\n<!-- medlit:end -->" + after, encoding="utf-8")
    assert run("render", readme, "--db", db).exit_code == 0
    first = readme.read_text(encoding="utf-8")
    assert not re.search(r"(?<!\\)<(?!!-- medlit:(begin|end) -->)", first)
    assert first.startswith(before) and first.endswith("<!-- medlit:end -->" + after)
    assert first.count("<!--") == 2
    assert run("render", readme, "--db", db).exit_code == 0
    assert readme.read_text(encoding="utf-8") == first  # no growth, nothing outside changed
    assert run("render", readme, "--check", "--db", db).exit_code == 0


def test_markdown_escapes_for_each_place():
    from medlit.writers import escape

    assert escape.md_cell("a | b\nc <b>") == "a \\| b c \\<b\\>"
    assert escape.md_text("# not a heading") == "\\# not a heading"
    assert escape.md_text("1. not a list") == "1\\. not a list"
    assert escape.md_link_target("https://x.org/a b|c") == "https://x.org/a%20b%7Cc"
    assert (
        escape.md_link_target("https://en.wikipedia.org/wiki/A_(b)") == "https://en.wikipedia.org/wiki/A_(b)"
    )
    assert escape.md_link_target("https://x.org/a)") == "https://x.org/a%29"
    assert escape.md_link_target("javascript:alert(1)") is None
    assert escape.md_link("[x]", "data:text/html,hi") == "\\[x\\]"


# ------------------------------------------------------------------ 4: CSV formulas


def test_csv_cells_cannot_be_formulas(tmp_path):
    titles = ['=HYPERLINK("http://evil.example","click")', "+1+cmd' /C calc'!A0", "-2+3", "@SUM(A1:A9)"]
    rows = "".join(f"| CNN | CT | lung | {t} | | MICCAI | {2015 + i} |\n" for i, t in enumerate(titles))
    db = _catalog(tmp_path, "formulas.md", TABLE_HEAD + rows)
    table = list(csv.DictReader(io.StringIO(_export(db, "csv"))))
    assert sorted(r["title"] for r in table) == sorted("'" + t for t in titles)
    assert all(r["key"][0].isalnum() for r in table)
    from medlit.writers.escape import csv_cell

    assert [csv_cell(x) for x in ("\tx", "\rx", "ok", 2020, None)] == ["'\tx", "'\rx", "ok", "2020", ""]


# ------------------------------------------------------------------ 5: terminal escapes

ESCAPING_NAME = "list\x1b]8;;http:evil\x1b\\x\x1b[31mred\u009b2J\u202e.md"


def test_a_file_name_with_terminal_escapes_prints_as_text(tmp_path):
    folder = tmp_path / "lists"
    folder.mkdir()
    (folder / ESCAPING_NAME).write_text(
        TABLE_HEAD + "| CNN | CT | lung | Lung nodule detection | | MICCAI | 2019 |\n"
    )
    db = tmp_path / "c.db"
    imported = medlit("import", folder, "--db", db)
    assert imported.returncode == 0, imported.stderr
    assert "list]8;;http:evil\\x[31mred2J.md: 1 read" in imported.stderr
    key = medlit("search", "--db", db, "-f", "keys").stdout.strip()
    shown = medlit("show", key, "--db", db)
    assert shown.returncode == 0 and "read from" in shown.stdout
    for text in (imported.stderr, shown.stdout):
        assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e]", text), repr(text)


def test_the_terminal_keeps_its_own_colour_codes(monkeypatch):
    from medlit.cli import terminal

    console = terminal._console_class()(
        force_terminal=True, color_system="standard", width=80, highlight=False
    )
    with console.capture() as captured:
        console.print("[red]\x1b]0;retitled\x07x[/red]", "\x1b[2Jplain")
    assert captured.get() == "\x1b[31m]0;retitledx\x1b[0m [2Jplain\n"


# ------------------------------------------------------------------ 6: pipes and devices


def test_export_o_writes_into_a_named_pipe_and_leaves_it_a_pipe(seed_db, tmp_path):
    import os
    import stat
    import threading

    fifo = tmp_path / "refs.fifo"
    os.mkfifo(fifo)
    got: list[bytes] = []
    # a daemon: if the pipe were replaced, its reader would wait for a writer for ever
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()), daemon=True)
    reader.start()
    result = medlit("export", "json", "-o", fifo, "--db", seed_db, timeout=60)
    assert result.returncode == 0, result.stderr
    assert stat.S_ISFIFO(fifo.stat().st_mode)
    reader.join(30)
    assert len(json.loads(got[0])) == 90
    assert [p.name for p in tmp_path.iterdir()] == ["refs.fifo"]  # no temporary file left


def test_export_o_onto_a_character_device_writes_to_it(seed_db, tmp_path):
    import os
    import stat

    device = tmp_path / "null"
    try:
        os.mknod(device, 0o666 | stat.S_IFCHR, os.makedev(1, 3))  # a node of /dev/null's device
    except (PermissionError, OSError) as exc:
        pytest.skip(f"cannot make a device node here: {exc}")
    result = medlit("export", "bibtex", "-o", device, "--db", seed_db)
    assert result.returncode == 0, result.stderr
    assert stat.S_ISCHR(device.stat().st_mode) and device.stat().st_rdev == os.makedev(1, 3)
    assert [p.name for p in tmp_path.iterdir()] == ["null"]


# ------------------------------------------------------------------ 9: --strict leaves the file


def test_export_strict_with_a_missing_key_leaves_the_file(seed_db, tmp_path):
    target = tmp_path / "thesis.bib"
    target.write_text("% the thesis' own file\n", encoding="utf-8")
    aux = tmp_path / "thesis.aux"
    aux.write_text("\\citation{tajbakhsh2016convolutional}\n\\citation{nosuchkey2099}\n")
    for wanted in (("--keys", "tajbakhsh2016convolutional,nosuchkey2099"), ("--aux", aux)):
        result = medlit("export", "bibtex", *wanted, "--strict", "-o", target, "--db", seed_db)
        assert result.returncode == 1
        assert "key 'nosuchkey2099' is not in the catalog" in result.stderr
        assert target.read_text(encoding="utf-8") == "% the thesis' own file\n"
        assert [p.name for p in tmp_path.iterdir()] == ["thesis.aux", "thesis.bib"]
    relaxed = medlit("export", "bibtex", "--aux", aux, "-o", target, "--db", seed_db)
    assert relaxed.returncode == 0 and target.read_text(encoding="utf-8").startswith("@article{tajbakhsh")


# ------------------------------------------------------------------ 11: stdout closed


def test_search_with_stdout_closed_exits_quietly(seed_db):
    import subprocess
    import sys

    for args in (("search", "--organ", "lung"), ("export", "json"), ("show", "tajbakhsh2016convolutional")):
        result = subprocess.run(
            [sys.executable, "-m", "medlit", *args, "--db", str(seed_db)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            pass_fds=(),
            preexec_fn=lambda: __import__("os").close(1),
        )
        assert (result.returncode, result.stderr) == (0, ""), args


# ------------------------------------------------------------------ 12: full disk, read-only media


def test_a_full_disk_names_the_file(seed_db, tmp_path, monkeypatch):
    from conftest import run_handled

    from medlit.writers import jsonfmt

    target = tmp_path / "refs.json"
    target.write_text("old\n", encoding="utf-8")

    def disk_full(papers, out, **options):
        out.write("[" * 1000)
        raise OSError(28, "No space left on device")  # as a write() onto a full disk raises it

    monkeypatch.setattr(jsonfmt, "write", disk_full)
    result = run_handled("export", "json", "-o", target, "--db", seed_db)
    assert result.exit_code == 1
    assert result.stderr == (
        f"medlit: cannot access {target}: No space left on device; the old file is as it was; "
        "free some space and run again\n"
    )
    assert target.read_text(encoding="utf-8") == "old\n"


@pytest.fixture()
def read_only_folder(tmp_path):
    """A folder that cannot be written, sealed when the test says: chmod for a user, a
    read-only bind mount for root (whom permissions do not stop)."""
    import os
    import subprocess

    folder = tmp_path / "media"
    folder.mkdir()
    sealed = []

    def seal():
        if os.geteuid() != 0:
            folder.chmod(0o555)
            sealed.append(lambda: folder.chmod(0o755))
            return
        for args in (["--bind", folder, folder], ["-o", "remount,bind,ro", folder]):
            done = subprocess.run(["mount", *map(str, args)], capture_output=True, text=True)
            if done.returncode:
                if sealed:
                    sealed.pop()()
                pytest.skip(f"cannot make a read-only folder as root here: {done.stderr.strip()}")
            if not sealed:
                sealed.append(lambda: subprocess.run(["umount", str(folder)], check=True))

    yield folder, seal
    for undo in sealed:
        undo()


def test_a_hot_journal_in_a_read_only_folder_is_explained(seed_db, read_only_folder):
    import shutil
    import sqlite3
    import subprocess
    import sys

    folder, seal = read_only_folder
    db = folder / "catalog.db"
    shutil.copy(seed_db, db)
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA journal_mode = DELETE")  # as a catalog of an older medlit
    conn.close()
    # a writer stopped mid-transaction, its changes spilled into the file: a hot journal
    stopped = (
        "import os, sqlite3, sys; c = sqlite3.connect(sys.argv[1], isolation_level=None); "
        "c.execute('PRAGMA cache_size = 1'); c.execute('BEGIN'); c.execute('DELETE FROM records'); "
        "c.execute('UPDATE papers SET title = title || title'); os._exit(0)"
    )
    subprocess.run([sys.executable, "-c", stopped, str(db)], check=True)
    assert (folder / "catalog.db-journal").stat().st_size > 0
    seal()
    result = medlit("search", "unet", "--db", db)
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr == (
        f"medlit: {db} has an unfinished write in catalog.db-journal (a medlit stopped mid-import) "
        "that must be rolled back before it can be read, and its folder cannot be written; make the "
        "folder writable, or copy catalog.db and catalog.db-journal together to one that is, and run "
        "medlit again: it rolls the write back by itself\n"
    )


def test_a_catalog_on_read_only_media_is_searched_as_it_is(seed_db, read_only_folder):
    import shutil

    folder, seal = read_only_folder
    db = folder / "catalog.db"
    shutil.copy(seed_db, db)
    assert db.read_bytes()[18:20] == b"\x02\x02"  # a WAL catalog: readers would make a -shm file
    seal()
    result = medlit("search", "unet", "--organ", "brain", "-f", "json", "--db", db)
    assert result.returncode == 0, result.stderr
    assert result.stdout == medlit("search", "unet", "--organ", "brain", "-f", "json", "--db", seed_db).stdout
    assert result.stderr == ""
    assert sorted(p.name for p in folder.iterdir()) == ["catalog.db"]


def test_an_older_catalog_on_read_only_media_is_searched_without_upgrading(seed_db, read_only_folder):
    import shutil

    from test_catalog_faults import _make_v2

    from medlit.catalog import SCHEMA_VERSION

    folder, seal = read_only_folder
    db = folder / "catalog.db"
    shutil.copy(seed_db, db)
    _make_v2(db)
    before = db.read_bytes()
    seal()
    query = ("unet segmentaton", "--format", "json")
    result = medlit("search", *query, "--db", db)
    assert result.returncode == 0, result.stderr
    assert result.stdout == medlit("search", *query, "--db", seed_db).stdout
    assert result.stderr == (
        f"medlit: {db} is a catalog of schema 2 that cannot be written, so it was not upgraded to "
        f"schema {SCHEMA_VERSION}: read from an upgraded temporary copy. To upgrade it for good, "
        "run medlit once on it where it can be written (or on a copy of it)\n"
    )
    assert db.read_bytes() == before


# ------------------------------------------------------------------ 13: readers never wait


def test_a_reader_never_waits_for_a_writer(seed_db, tmp_path, monkeypatch):
    import shutil
    import sqlite3

    from medlit import catalog

    db = tmp_path / "catalog.db"
    shutil.copy(seed_db, db)
    expected = run("search", "unet", "--db", db, "-f", "json").stdout
    monkeypatch.setattr(catalog.connection, "BUSY_TIMEOUT_MS", 0)  # a reader that would wait fails at once
    writer = sqlite3.connect(db, isolation_level=None)
    writer.execute("BEGIN EXCLUSIVE")  # a writer in the middle of its commit
    writer.execute("DELETE FROM facets")
    writer.execute("UPDATE papers SET title = 'changed'")
    try:
        reads = [("search", "unet", "-f", "json"), ("export", "json", "-o", tmp_path / "out.json")]
        for args in [*reads, ("show", "unet2015convolutional")]:
            result = run(*args, "--db", db)
            assert result.exit_code == 0, (args, result.stderr)
        assert run("search", "unet", "--db", db, "-f", "json").stdout == expected  # the state before
    finally:
        writer.execute("ROLLBACK")
        writer.close()


def test_a_writer_waiting_for_another_says_so_on_a_terminal(seed_db, tmp_path):
    import os
    import pty
    import shutil
    import sqlite3
    import subprocess
    import sys
    import time

    db = tmp_path / "catalog.db"
    shutil.copy(seed_db, db)
    doc = tmp_path / "new.md"
    doc.write_text(TABLE_HEAD + "| CNN | CT | lung | A paper imported after the wait | | MICCAI | 2020 |\n")
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another import at work
    master, slave = pty.openpty()
    env = {k: v for k, v in os.environ.items() if k not in ("MEDLIT_DEBUG", "MEDLIT_DB")}
    writer = subprocess.Popen(
        [sys.executable, "-m", "medlit", "import", doc, "--db", db, "-q"],
        stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=slave, env=env,
    )  # fmt: skip
    os.close(slave)
    said = b""
    deadline = time.monotonic() + 60
    while b"waiting" not in said and time.monotonic() < deadline and writer.poll() is None:
        said += os.read(master, 4096)
    holder.execute("ROLLBACK")
    holder.close()
    assert writer.wait(60) == 0
    os.close(master)
    assert f"medlit: {db} is being written by another medlit; waiting for it (up to 120 s)".encode() in said
    assert "A paper imported after the wait" in {p["title"] for p in json.loads(_export(db, "json"))}
