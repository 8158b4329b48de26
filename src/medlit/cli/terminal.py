"""What the terminal allows: colour only for a terminal and never under NO_COLOR, and no
control character from a document or a file name, whatever is printed.

stdout carries data, stderr carries messages; both consoles are made on first use so a
command that prints plain data never imports rich. Every message (`message`) and everything
the consoles print goes through `printable` (writers/escape.terminal): a file name holding
`ESC ]8;;` or `ESC [31m` shows as text and cannot hyperlink, recolour or retitle the terminal.
"""

from __future__ import annotations

import io
import os
import re
import sys
import time
from contextlib import contextmanager
from functools import cache

from medlit.writers.escape import terminal as printable


def is_terminal(stream=None) -> bool:
    stream = stream or sys.stdout
    return bool(getattr(stream, "isatty", lambda: False)())


def color_allowed(stream=None) -> bool:
    return is_terminal(stream) and "NO_COLOR" not in os.environ and os.environ.get("TERM") != "dumb"


def _console_class():
    """rich's Console, printing every piece of text through `printable` (its own colour and
    hyperlink codes are added after, as styles, and stay)."""
    from rich.console import Console

    class PrintableConsole(Console):
        def _render_buffer(self, buffer):
            return super()._render_buffer(
                segment if segment.control else segment._replace(text=printable(segment.text))
                for segment in buffer
            )

    return PrintableConsole


@cache
def err_console():
    return _console_class()(
        stderr=True,
        no_color=not color_allowed(sys.stderr),
        highlight=False,
        force_terminal=None if color_allowed(sys.stderr) else False,
    )


def out_console():
    """The console for stdout: colour and wrapping decided by what stdout is now (a terminal,
    a pipe, or a pager's buffer, which counts as the terminal it stands for)."""
    return _out_console(is_terminal(sys.stdout), color_allowed(sys.stdout))


@cache
def _out_console(terminal: bool, color: bool):
    return _console_class()(
        no_color=not color,
        highlight=False,
        force_terminal=None if color else False,
        # in a pipe a line is a line: wrapped at 80 columns, a long title became two
        soft_wrap=not terminal,
    )


class _PagerBuffer(io.StringIO):
    """stdout while a command's output is held for the pager: a terminal to everything that
    asks, so tables, colour and widths come out as they would on the screen."""

    def __init__(self, real):
        super().__init__()
        self._encoding = getattr(real, "encoding", None) or "utf-8"

    @property
    def encoding(self) -> str:
        return self._encoding

    def isatty(self) -> bool:
        return True


# OSC 8 hyperlinks (rich's links in the table): less before version 566 shows them as text
_HYPERLINK = re.compile(r"\x1b\]8;[^\x1b\x07]*(?:\x1b\\|\x07)")


@contextmanager
def paged(enabled: bool = True):
    """What the block prints to stdout goes through a pager (click.echo_via_pager, $PAGER)
    when stdout and stdin are a terminal and it is longer than the screen; else it is
    printed as it comes. Output held for the pager is printed even if the block fails."""
    real = sys.stdout
    if not enabled or not is_terminal(real) or not is_terminal(sys.stdin):
        yield
        return
    buffer = _PagerBuffer(real)
    sys.stdout = buffer
    try:
        yield
    finally:
        sys.stdout = real
        import shutil

        text = buffer.getvalue()
        if text.count("\n") < shutil.get_terminal_size().lines - 1:
            real.write(text)
            real.flush()
        else:
            import click

            click.echo_via_pager(_HYPERLINK.sub("", text), color=None if color_allowed(real) else False)


def message(text: str) -> None:
    """One line for the user, on stderr, without control characters."""
    print(printable(text), file=sys.stderr)


def notice(text: str, passing: bool = False) -> None:
    """What the library tells while it works (catalog.connection.notice); a `passing` notice
    (a writer waiting for another) only when someone watches stderr on a terminal."""
    if not passing or is_terminal(sys.stderr):
        message(text)


class DelayedProgress:
    """A progress bar on a terminal's stderr that appears only when work takes a moment."""

    def __init__(self, total: int, label: str, delay: float = 0.7):
        self.total, self.label, self.delay = total, label, delay
        self.started = time.monotonic()
        self.done = 0
        self.bar = None
        self.task = None

    def update(self, what: str, done: float, total: int | None = None) -> None:
        """`done` units of `total` are finished; `what` says what is being done now."""
        self.done = done
        self.total = total or self.total
        if self.bar is None:
            if not is_terminal(sys.stderr) or time.monotonic() - self.started < self.delay:
                return
            from rich.progress import Progress

            self.bar = Progress(console=err_console(), transient=True)
            self.bar.start()
            self.task = self.bar.add_task(self.label, total=self.total)
        self.bar.update(
            self.task, completed=self.done, total=self.total, description=f"{self.label} {what}".strip()
        )

    def close(self) -> None:
        if self.bar is not None:
            self.bar.stop()
