"""JSON: an array of the paper objects scripts build on (see `medlit.views`)."""

from __future__ import annotations

import json

from medlit.views import paper_json


def write(papers, out, scores=None, **_options) -> None:
    def items():
        for paper in papers:
            item = paper_json(paper)
            if scores is not None:
                item["score"] = round(scores.get(paper.key, 0.0), 1)
            yield item

    write_array(items(), out)


def write_array(items, out) -> None:
    """What `json.dump(list(items), out, ensure_ascii=False, indent=2)` and a newline write,
    one item at a time: JSON escapes every newline inside a string, so each newline of an
    item's text is a line break that takes the array's indent."""
    separator = "[\n  "
    for item in items:
        out.write(separator + json.dumps(item, ensure_ascii=False, indent=2).replace("\n", "\n  "))
        separator = ",\n  "
    out.write("[]\n" if separator == "[\n  " else "\n]\n")
