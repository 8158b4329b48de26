"""JSON: an array of the paper objects scripts build on (see `medlit.views`)."""

from __future__ import annotations

import json

from medlit.views import paper_json


def write(papers, out, scores=None, **_options) -> None:
    items = []
    for paper in papers:
        item = paper_json(paper)
        if scores is not None:
            item["score"] = round(scores.get(paper.key, 0.0), 1)
        items.append(item)
    json.dump(items, out, ensure_ascii=False, indent=2)
    out.write("\n")
