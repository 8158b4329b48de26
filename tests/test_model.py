"""Records serialise exactly as dataclasses.asdict would, and read back to equal records."""

from __future__ import annotations

import dataclasses
import json
import sys

from conftest import CORPORA, ROOT, SEEDS

from medlit.model import Record
from medlit.readers import read_bytes


def test_to_json_is_asdict_and_round_trips():
    count = 0
    for path in sorted(SEEDS.iterdir()):
        result, _ = read_bytes(path.read_bytes(), path.name, path.suffix)
        for record in result.records:
            data = record.to_json()
            assert json.dumps(data) == json.dumps(dataclasses.asdict(record))  # keys in order too
            assert Record.from_json(data) == record
            count += 1
    assert count > 90


def test_json_text_is_what_json_dumps_writes(tmp_path):
    """The records table keeps Record.json_text(): the text json.dumps makes of to_json(), on
    every record of the seeds, the corpora (BibTeX abstracts, key hints, escapes) and a
    generated list (Chinese cells and headings)."""
    sys.path.insert(0, str(ROOT / "bench"))
    import generate

    generate.write(300, tmp_path)
    paths = [*SEEDS.iterdir(), *tmp_path.iterdir()] + (
        sorted(CORPORA.rglob("*.*")) if CORPORA.is_dir() else []
    )
    checked = with_datasets = 0
    for path in sorted(paths):
        result, _ = read_bytes(path.read_bytes(), path.name, path.suffix)
        for record in result.records:
            assert record.json_text() == json.dumps(record.to_json(), ensure_ascii=False), path
            checked += 1
            with_datasets += bool(record.datasets)
    assert checked > 390 and with_datasets > 10
