"""`medlit open KEY`: the paper's PDF or page in the browser."""

from __future__ import annotations

import click

from medlit.cli.options import db_option


@click.command("open")
@click.argument("key")
@click.option("--print", "print_only", is_flag=True, help="Print the address instead of opening it.")
@db_option
def command(key: str, print_only: bool, db: str) -> None:
    """Open the PDF (or else the page, the DOI, the arXiv abstract) of paper KEY.

    MEDLIT_OPENER names a program to open it with instead of the system's browser.
    """
    import os

    from medlit.cli.selection import open_catalog
    from medlit.errors import UserError

    paper = open_catalog(db).paper(key)
    address = best_address(paper)
    if address is None:
        raise UserError(
            f"{key} has no link, DOI or arXiv id to open (add one: medlit edit {key} --set url=...)"
        )
    if print_only:
        click.echo(address)
        return
    opener = os.environ.get("MEDLIT_OPENER")
    if opener:
        import shlex
        import subprocess

        try:
            subprocess.run([*shlex.split(opener), address], check=True)
        except (OSError, subprocess.CalledProcessError) as exc:
            raise UserError(f"MEDLIT_OPENER {opener!r} could not open {address} ({exc})") from None
    else:
        import webbrowser

        if not webbrowser.open(address):
            raise UserError(f"no browser to open {address}; set MEDLIT_OPENER or use --print")
    click.echo(address)


def best_address(paper) -> str | None:
    """A PDF link first, then the paper's link, its DOI, its arXiv page."""
    for link in paper.links:
        if ("pdf" in link.label.lower() or link.url.lower().endswith(".pdf")) and _web(link.url):
            return link.url
    if paper.url and _web(paper.url):
        return paper.url
    if paper.doi:
        return f"https://doi.org/{paper.doi}"
    if paper.arxiv:
        return f"https://arxiv.org/abs/{paper.arxiv}"
    return None


def _web(url: str) -> bool:
    """Only web addresses: a document's `file:` or `javascript:` link is never opened."""
    from urllib.parse import urlsplit

    parts = urlsplit(url.strip())
    return parts.scheme in ("http", "https") and bool(parts.netloc)
