"""Records serialise exactly as dataclasses.asdict would, and read back to equal records."""

from __future__ import annotations

import dataclasses
import json

from conftest import SEEDS

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
