"""`medlit lint FILE...`: what is wrong with a list, one `FILE:LINE: CODE message` a line."""

from __future__ import annotations

import click


def _codes(ctx, param, values: tuple[str, ...]) -> set[str]:
    from medlit.lint import RULES

    codes = {c.strip().upper() for value in values for c in value.split(",") if c.strip()}
    unknown = sorted(codes - set(RULES))
    if unknown:
        raise click.BadParameter(f"unknown code {unknown[0]}; the codes are {', '.join(RULES)}")
    return codes


@click.command("lint")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@click.option(
    "--format", "-f", "fmt", type=click.Choice(["text", "json"]), default="text", help="Output format."
)
@click.option(
    "--ignore", multiple=True, callback=_codes, help="Codes to leave out (repeatable, or CODE,CODE)."
)
def command(paths: tuple[str, ...], fmt: str, ignore: set[str]) -> None:
    """Check lists for duplicates, missing years and links, odd venues, junk in titles,
    ragged table rows, broken links and entries out of year order.

    \b
    Exits 1 when any error-level finding is present (for a list's CI). Switch rules off
    with --ignore ML302, or beside the list in pyproject.toml / medlit.toml:
      [tool.medlit.lint]
      ignore = ["ML302", "ML601"]
    The codes are listed in the README; --format json gives each finding's level and rule.
    """
    import json

    from medlit.api import lint
    from medlit.cli.terminal import message
    from medlit.lint import ERROR

    findings = lint(paths, ignore)
    if fmt == "json":
        click.echo(json.dumps([f.to_json() for f in findings], ensure_ascii=False, indent=2))
    else:
        for finding in findings:
            click.echo(finding.text())
    levels = [f.level for f in findings]
    counts = {level: levels.count(level) for level in ("error", "warning", "info")}
    message(
        f"{len(paths)} file{'s' if len(paths) > 1 else ''}: "
        + ", ".join(f"{n} {level}{'s' if n != 1 and level != 'info' else ''}" for level, n in counts.items())
    )
    if counts[ERROR]:
        raise SystemExit(1)
