"""Hostile queries: SQL and pattern metacharacters, NUL, impossible years and limits never inject,
never crash, never match everything, and never change the catalog."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3

import pytest
from conftest import medlit, run, run_handled

SQL_AND_PATTERNS = [
    "'; DROP TABLE papers; --",
    '" OR 1=1 --',
    "') OR ('1'='1",
    "unet%",
    "u_et",
    "lung*",
    "NEAR(lung ct)",
    "title:unet OR abstract:*",
    "segmentation AND NOT lung",
    "[a-z]",
    "^unet$",
    "%%%%u",
]


@pytest.fixture()
def guard(seed_db, papers):
    """Checks after a test that the catalog did not change and still opens."""
    before = hashlib.sha256(seed_db.read_bytes()).hexdigest()
    yield len(papers)
    assert hashlib.sha256(seed_db.read_bytes()).hexdigest() == before
    assert len(papers) == run("search", "--db", seed_db, "-f", "keys").stdout.count("\n")


def _keys(result) -> list[str]:
    return result.stdout.split()


@pytest.mark.parametrize("text", SQL_AND_PATTERNS)
def test_metacharacters_in_a_query_are_just_text(seed_db, guard, text):
    result = run("search", text, "--db", seed_db, "-f", "keys")
    assert result.exit_code == 0, result.stderr
    assert len(_keys(result)) < guard  # a pattern does not match everything


@pytest.mark.parametrize("text", ["'; DROP TABLE papers; --", "O'Brien", "a%", "wildman_tobriner", "\\%x"])
def test_metacharacters_in_an_author_are_just_text(seed_db, guard, text):
    result = run("search", "--author", text, "--db", seed_db, "-f", "keys")
    assert result.exit_code == 0, result.stderr
    assert _keys(result) == []


def test_an_author_with_percent_is_matched_literally(seed_db, guard):
    assert _keys(run("search", "--author", "wildman-tobriner", "--db", seed_db, "-f", "keys"))
    assert not _keys(run("search", "--author", "wildman%tobriner", "--db", seed_db, "-f", "keys"))
    assert not _keys(run("search", "--author", "wildman_tobriner", "--db", seed_db, "-f", "keys"))


@pytest.mark.parametrize("text", ["%", "_", "*", "\\", "%%", "?!"])
def test_punctuation_alone_is_text_that_matches_nothing(seed_db, guard, text):
    result = run("search", text, "--db", seed_db, "-f", "keys")
    assert result.exit_code == 0 and result.stdout == ""
    author = run("search", "--author", text, "--db", seed_db, "-f", "keys")
    assert author.exit_code == 0 and author.stdout == ""


@pytest.mark.parametrize(
    ("option", "value"),
    [
        ("QUERY", "\x00"),
        ("QUERY", ""),
        ("QUERY", " \t "),
        ("--author", "\x00"),
        ("--author", ""),
        ("--venue", " "),
    ],
)
def test_an_empty_value_is_a_usage_error_not_no_filter(seed_db, guard, option, value):
    args = [value] if option == "QUERY" else [option, value]
    result = run("search", *args, "--db", seed_db, "-f", "keys")
    assert result.exit_code == 2 and result.stdout == ""
    assert f"Invalid value for {option}: " in result.stderr
    assert "is empty: nothing to look for" in result.stderr


@pytest.mark.parametrize(("option", "value"), [("--venue", "!"), ("--dataset", "#"), ("--organ", "%")])
def test_a_named_value_without_letters_is_unknown(seed_db, tmp_path, option, value):
    db = tmp_path / "catalog.db"
    shutil.copy(seed_db, db)
    conn = sqlite3.connect(db)  # values an older medlit kept from cells like `~~` or `--`
    conn.execute("UPDATE papers SET venue = '~~' WHERE key = 'tajbakhsh2016convolutional'")
    conn.execute("UPDATE datasets SET name = '--' WHERE name = 'LIDC-IDRI'")
    conn.execute("UPDATE facets SET value = '??' WHERE facet = 'organ' AND value = 'lung'")
    conn.commit()
    conn.close()
    result = run("search", option, value, "--db", db, "-f", "keys")
    assert result.exit_code == 2 and result.stdout == ""
    assert f"unknown {option[2:]} {value!r}" in result.stderr


def test_nul_inside_words_is_a_space(seed_db, guard):
    plain = run("search", "unet biomedical", "--db", seed_db, "-f", "keys")
    with_nul = run("search", "unet\x00biomedical", "--db", seed_db, "-f", "keys")
    assert with_nul.exit_code == 0 and _keys(with_nul) == _keys(plain) != []
    author = run("search", "--author", "wildman\x00tobriner", "--db", seed_db, "-f", "keys")
    assert author.exit_code == 0 and _keys(author) == []  # not `wildman%`, which would match


@pytest.mark.parametrize(
    ("years", "why"),
    [
        ("0000", "is not a year a paper could have"),
        ("0999-2016", "is not a year a paper could have"),
        ("99999", "is not YEAR, FROM-TO, FROM- or -TO"),
        ("2020-1990", "ends before it starts"),
        ("-5", "is not YEAR, FROM-TO, FROM- or -TO"),
        ("2016--2017", "is not YEAR, FROM-TO, FROM- or -TO"),
        ("1e3", "is not YEAR, FROM-TO, FROM- or -TO"),
        ("2016; DROP TABLE papers", "is not YEAR, FROM-TO, FROM- or -TO"),
        ("20\x0016", "is not YEAR, FROM-TO, FROM- or -TO"),
    ],
)
def test_impossible_years_are_usage_errors(seed_db, guard, years, why):
    result = run("search", "--year", years, "--db", seed_db, "-f", "keys")
    assert result.exit_code == 2 and result.stdout == ""
    assert "Invalid value for --year: " in result.stderr and why in result.stderr


def test_a_future_year_matches_nothing(seed_db, guard):
    result = run("search", "--year", "2999", "--db", seed_db, "-f", "keys")
    assert result.exit_code == 0 and result.stdout == ""


@pytest.mark.parametrize("limit", ["-1", "0", "-99999999999999999999", "ten", "1.5"])
def test_bad_limits_are_usage_errors(seed_db, guard, limit):
    result = run("search", "--limit", limit, "--db", seed_db, "-f", "keys")
    assert result.exit_code == 2 and result.stdout == ""
    assert "Invalid value for '--limit'" in result.stderr


def test_a_huge_limit_is_all_papers(seed_db, guard):
    result = run("search", "--limit", "99999999999999999999999", "--db", seed_db, "-f", "keys")
    assert result.exit_code == 0 and len(_keys(result)) == guard


@pytest.mark.parametrize("key", ["'; DROP TABLE papers; --", "%", "_", "\x00", "ronneberger%"])
def test_hostile_keys_are_not_found(seed_db, guard, key):
    shown = run_handled("show", key, "--db", seed_db)
    assert shown.exit_code == 1 and shown.stdout == ""
    assert shown.stderr.startswith("medlit: no paper with key ")
    exported = run("export", "json", "--keys", f"{key},tajbakhsh2016convolutional", "--db", seed_db)
    assert exported.exit_code == 0
    assert exported.stdout.count('"key"') == 1


def test_an_aux_file_with_nul_bytes_and_patterns(seed_db, guard, tmp_path):
    aux = tmp_path / "thesis.aux"
    aux.write_bytes(b"\\citation{tajbakhsh2016convolutional}\n\\citation{a\x00b,%,_}\n\\citation{\xff\xfe}\n")
    result = medlit("export", "json", "--aux", aux, "--strict", "--db", seed_db)
    assert result.returncode == 1  # --strict: some cited keys are not in the catalog
    assert result.stdout.count('"key"') == 1
    assert "Traceback" not in result.stderr
    assert "medlit: key '%' is not in the catalog" in result.stderr.splitlines()
