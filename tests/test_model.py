"""Records serialise as dataclasses.asdict would, less the fields left empty, and read back
to equal records."""

from __future__ import annotations

import dataclasses
import json

from conftest import SEEDS

from medlit.model import Record
from medlit.readers import read_bytes


def _set(value) -> bool:
    return value is not None and value != [] and value != {}


def test_to_json_is_asdict_of_the_fields_set_and_round_trips():
    count = 0
    for path in sorted(SEEDS.iterdir()):
        result, _ = read_bytes(path.read_bytes(), path.name, path.suffix)
        for record in result.records:
            data = record.to_json()
            full = {name: value for name, value in dataclasses.asdict(record).items() if _set(value)}
            assert json.dumps(data) == json.dumps(full)  # keys in order too
            assert Record.from_json(json.loads(json.dumps(data))) == record
            count += 1
    assert count > 90
