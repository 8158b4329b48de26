"""Files the user owns (`export -o`, `render`) are replaced atomically: a run that fails half-way
leaves the old file byte for byte, with its permissions, and no temporary file behind."""

from __future__ import annotations

import json
import os

import pytest
from conftest import medlit, run_handled

from medlit.errors import UserError
from medlit.files import replace_atomically

OLD = "the user's old file\nwith two lines\n"


@pytest.fixture()
def owned(tmp_path):
    path = tmp_path / "refs.bib"
    path.write_text(OLD, encoding="utf-8")
    path.chmod(0o640)
    return path


def _left_behind(folder) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


@pytest.mark.parametrize("fault", [RuntimeError("writer bug"), KeyboardInterrupt(), OSError(28, "No space")])
def test_a_writer_failing_half_way_leaves_the_old_file(owned, fault):
    with pytest.raises(type(fault)), replace_atomically(owned) as out:
        out.write("half of the new content " * 1000)
        out.flush()
        raise fault
    assert owned.read_text(encoding="utf-8") == OLD
    assert owned.stat().st_mode & 0o777 == 0o640
    assert _left_behind(owned.parent) == []


def test_success_replaces_the_file_in_one_rename_keeping_permissions(owned):
    inode = owned.stat().st_ino
    with replace_atomically(owned) as out:
        out.write("new\n")
        assert owned.read_text(encoding="utf-8") == OLD  # untouched until the end
    assert owned.read_text(encoding="utf-8") == "new\n"
    assert owned.stat().st_ino != inode  # renamed over, not truncated and rewritten
    assert owned.stat().st_mode & 0o777 == 0o640
    assert _left_behind(owned.parent) == []


def test_a_new_file_gets_the_umask_permissions(tmp_path):
    mask = os.umask(0o027)
    try:
        with replace_atomically(tmp_path / "new.bib") as out:
            out.write("x")
    finally:
        os.umask(mask)
    assert (tmp_path / "new.bib").stat().st_mode & 0o777 == 0o640


def test_a_symlink_stays_a_link_and_its_file_is_replaced(owned):
    link = owned.parent / "link.bib"
    link.symlink_to(owned.name)
    with replace_atomically(link) as out:
        out.write("through the link\n")
    assert link.is_symlink()
    assert owned.read_text(encoding="utf-8") == "through the link\n"
    assert owned.stat().st_mode & 0o777 == 0o640


def test_a_missing_folder_is_named_and_nothing_is_created(tmp_path):
    with (
        pytest.raises(UserError, match=r"folder .*nowhere does not exist"),
        replace_atomically(tmp_path / "nowhere" / "refs.bib"),
    ):
        pass
    assert list(tmp_path.iterdir()) == []


def test_export_json_o_replaces_the_file_and_keeps_its_permissions(seed_db, owned, papers):
    result = medlit("export", "json", "-o", owned, "--db", seed_db)
    assert result.returncode == 0 and result.stdout == ""
    assert json.loads(owned.read_text(encoding="utf-8")) == papers
    assert owned.stat().st_mode & 0o777 == 0o640
    assert _left_behind(owned.parent) == []


@pytest.mark.parametrize(
    ("args", "code"),
    [(("--organ", "nowhere"), 2), (("--year", "0000"), 2), (("--db", "missing.db"), 1)],
)
def test_export_that_fails_before_writing_leaves_the_file(seed_db, owned, args, code):
    db_args = () if "--db" in args else ("--db", seed_db)
    result = medlit("export", "json", "-o", owned, *db_args, *args, cwd=owned.parent)
    assert result.returncode == code
    assert owned.read_text(encoding="utf-8") == OLD
    assert _left_behind(owned.parent) == []


def test_export_whose_writer_fails_half_way_leaves_the_file(seed_db, owned, monkeypatch):
    import medlit.writers.jsonfmt as jsonfmt

    def half_then_fail(papers, out, **options):
        out.write("[\n" + json.dumps(next(iter(papers)).title) + ",\n")
        raise MemoryError("out of memory half-way")

    monkeypatch.setattr(jsonfmt, "write", half_then_fail)
    result = run_handled("export", "json", "-o", owned, "--db", seed_db)
    assert result.exit_code == 1
    assert result.stderr.startswith("medlit: internal error (MemoryError: out of memory half-way)")
    assert owned.read_text(encoding="utf-8") == OLD
    assert owned.stat().st_mode & 0o777 == 0o640
    assert _left_behind(owned.parent) == []
