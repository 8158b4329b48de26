"""The `medlit` command: a thin click layer whose subcommands load only when called.

Startup is felt on every command, so this module imports click and nothing heavy; each
subcommand lives in `medlit.cli.commands.<name>` and imports what it needs inside.
"""

from __future__ import annotations

import click


class LazyGroup(click.Group):
    """Subcommands come from the registry (medlit's own and plugins'); a command's module is
    imported only when that command runs (click's LazyGroup recipe)."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        from medlit.registry import registry

        return list(registry().all().commands)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        from medlit.registry import registry

        spec = registry().command(cmd_name)
        return spec.click_command() if spec else None

    def invoke(self, ctx: click.Context):
        """Known errors become one line on stderr and exit 1 here, so every caller gets it."""
        from medlit.cli.handler import handled

        with handled():
            return super().invoke(ctx)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        from medlit.registry import registry

        rows = [(spec.name, spec.help) for spec in registry().all().commands.values()]
        with formatter.section("Commands"):
            formatter.write_dl(rows)


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
