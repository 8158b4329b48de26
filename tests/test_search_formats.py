"""Search prints the same papers in the same order whatever the format, with or without --limit."""

from __future__ import annotations

import json

import pytest
from conftest import run


def _keys(db, *args) -> list[str]:
    result = run("search", *args, "--format", "keys", "--db", db)
    assert result.exit_code == 0, result.stderr
    return result.stdout.split()


def _json_keys(db, *args) -> list[str]:
    result = run("search", *args, "--format", "json", "--db", db)
    assert result.exit_code == 0, result.stderr
    return [p["key"] for p in json.loads(result.stdout)]


@pytest.mark.parametrize(
    "args",
    [
        ("--modality", "CT", "--organ", "lung"),
        ("--organ", "brain"),
        ("unet biomedical segmentaton",),
        ("deep learning", "--sort", "year"),
        ("convolutional", "--modality", "MRI"),
    ],
)
def test_listing_formats_agree_with_json(seed_db, args):
    keys = _keys(seed_db, *args)
    assert keys and keys == _json_keys(seed_db, *args)
    tsv = run("search", *args, "--format", "tsv", "--db", seed_db).stdout.splitlines()
    assert tsv[0].startswith("key\t")
    assert [line.split("\t")[0] for line in tsv[1:]] == keys


@pytest.mark.parametrize(
    "args",
    [("convolutional neural networks",), ("lung nodule detection", "--sort", "title"), ("--organ", "lung")],
)
def test_limit_is_the_head_of_the_whole_answer(seed_db, args):
    everything = _json_keys(seed_db, *args)
    assert len(everything) > 3
    assert _json_keys(seed_db, *args, "--limit", "3") == everything[:3]
    assert _keys(seed_db, *args, "--limit", "3") == everything[:3]
