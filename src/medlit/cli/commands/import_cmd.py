"""`medlit import PATH...`: documents into the catalog, with a summary per file on stderr."""

from __future__ import annotations

import click

from medlit.cli.options import db_option


@click.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@db_option
@click.option("--quiet", "-q", is_flag=True, help="Print only errors and skips.")
def command(paths: tuple[str, ...], db: str, quiet: bool) -> None:
    """Read documents into the catalog (folders recursively).

    \b
    Markdown and text (.md, .markdown, .txt): pipe tables, numbered reference lists,
    bold-title lists, front-matter posts. BibTeX (.bib). The whole import is one
    transaction: if it fails, the catalog is left as it was. Importing a document
    again replaces what it said before; unchanged files are skipped.
    """
    from medlit.cli.selection import open_catalog
    from medlit.cli.terminal import DelayedProgress, message

    catalog = open_catalog(db)
    progress = DelayedProgress(len(paths) + 1, "importing")  # the import tells the total
    try:
        done = catalog.import_paths(paths, progress=progress.update)
    finally:
        progress.close()
    for problem in done.problems:
        message(f"medlit: {problem}")
    if not done.reports:
        raise SystemExit(1)  # nothing to read: the catalog is not even created
    for r in done.reports:
        if r.error:
            message(f"medlit: {r.error}")
            continue
        if r.unchanged:
            if not quiet:
                message(f"{r.file}: unchanged")
            continue
        if not quiet:
            parts = [f"{r.read} read", f"{r.new} new", f"{r.merged} merged"]
            if r.updated:
                parts.append(f"{r.updated} updated")
            if r.removed:
                parts.append(f"{r.removed} removed")
            parts.append(f"{len(r.skips)} skipped")
            if r.notices:
                parts.append(f"{len(r.notices)} warning" + ("s" if len(r.notices) > 1 else ""))
            if r.datasets:
                parts.append(f"{r.datasets} dataset links")
            if r.encoding != "utf-8":
                parts.append(f"decoded as {r.encoding}")
            message(f"{r.file}: " + ", ".join(parts))
        lines = [(s.source, f"skipped: {s.reason}") for s in r.skips]
        lines += [(n.source, f"warning: {n.text}") for n in r.notices]
        for source, text in sorted(lines, key=lambda item: item[0].line):
            message(f"  {source.file}:{source.line}: {text}")
    if not quiet:
        message(f"{catalog.path}: {done.papers} papers, {done.datasets} datasets")
    if done.failed:
        raise SystemExit(1)
