"""The `medlit` command: a thin click layer whose subcommands load only when called.

Startup is felt on every command, so this module imports click and nothing heavy; each
subcommand lives in `medlit.cli.commands.<name>` and imports what it needs inside.
"""

from __future__ import annotations

import importlib

import click

COMMANDS = {
    "import": ("medlit.cli.commands.import_cmd", "Read documents (.md, .txt, .bib) into the catalog."),
    "search": ("medlit.cli.commands.search", "Find papers by facets, year and fuzzy title."),
    "show": ("medlit.cli.commands.show", "Print one paper in full, with where it came from."),
    "export": ("medlit.cli.commands.export", "Write papers as BibTeX, CSL-JSON, RIS, JSON, CSV or markdown."),
    "render": ("medlit.cli.commands.render", "Regenerate the tables between medlit markers in a README."),
    "stats": ("medlit.cli.commands.stats", "Count papers per facet value, or cross two facets."),
    "vocab": ("medlit.cli.commands.vocab", "List canonical facet values with their aliases and counts."),
    "datasets": ("medlit.cli.commands.datasets", "List datasets with links and the papers that use them."),
}


class LazyGroup(click.Group):
    """Imports a subcommand's module only when that subcommand runs (click's LazyGroup recipe)."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return [name for name, (module, _) in COMMANDS.items() if _exists(module)]

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in COMMANDS or not _exists(COMMANDS[cmd_name][0]):
            return None
        module = importlib.import_module(COMMANDS[cmd_name][0])
        return module.command

    def invoke(self, ctx: click.Context):
        """Known errors become one line on stderr and exit 1 here, so every caller gets it."""
        from medlit.errors import handled

        with handled():
            return super().invoke(ctx)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, COMMANDS[name][1]) for name in self.list_commands(ctx)]
        with formatter.section("Commands"):
            formatter.write_dl(rows)


def _exists(module: str) -> bool:
    from importlib.util import find_spec

    return find_spec(module) is not None


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="medlit")
def cli() -> None:
    """medlit: a literature catalog for deep learning in medical image analysis.

    \b
    Build the catalog from awesome-list style documents, then search and export it:
      medlit import seeds/
      medlit search --modality CT --organ lung
      medlit search "unet biomedical segmentaton"
      medlit export bibtex -o refs.bib
    """


def main() -> None:
    """Entry point for the `medlit` script."""
    _open_closed_streams()
    cli.main(prog_name="medlit")


def _open_closed_streams() -> None:
    """stdin, stdout or stderr closed by the caller (`medlit search >&-`) become /dev/null:
    output nobody can read is dropped as when a pipe's reader goes away, and no file this run
    opens can take descriptor 1 or 2 and receive what is printed."""
    import os
    import sys

    for fd, name, mode in ((0, "stdin", "r"), (1, "stdout", "w"), (2, "stderr", "w")):
        try:
            os.fstat(fd)
            continue
        except OSError:
            pass
        null = os.open(os.devnull, os.O_RDWR)  # the lowest free descriptor: `fd` itself
        if null != fd:
            os.dup2(null, fd)
            os.close(null)
        setattr(sys, name, open(fd, mode, encoding="utf-8", closefd=False))  # noqa: SIM115


if __name__ == "__main__":
    main()
