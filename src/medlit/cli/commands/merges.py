"""`medlit merges`: every paper merged from several records, with the evidence for each."""

from __future__ import annotations

import click

from medlit.cli.options import db_option


@click.command("merges")
@db_option
@click.option("--format", "-f", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def command(db: str, fmt: str) -> None:
    """List the papers merged from several records: each record (file:line, title, year,
    DOI, arXiv id) and what it was merged on (doi, arxiv, same title, near title, same
    entry, joined by you). Undo one with `medlit split KEY`, make one with `medlit join`."""
    import sys

    from medlit.cli.selection import open_catalog

    merged = open_catalog(db).merges()
    if fmt == "json":
        import json

        json.dump(merged, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return
    for paper in merged:
        print(f"{_plain(paper['key'])}  {_plain(paper['title'])}  ({len(paper['records'])} records)")
        for r in paper["records"]:
            ids = " ".join(
                x for x in (r["doi"] and f"doi:{r['doi']}", r["arxiv"] and f"arXiv:{r['arxiv']}") if x
            )
            parts = [
                f"{r['file']}:{r['line']}",
                r["title"],
                str(r["year"] or "-"),
                ids,
                r["evidence"] or "first",
            ]
            print("  " + "  ".join(_plain(p) for p in parts if p))


def _plain(text: str) -> str:
    """Text from a document, without the control characters a terminal would obey."""
    return "".join(ch if ch.isprintable() else " " for ch in str(text))
