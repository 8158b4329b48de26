"""What the terminal allows: colour only for a terminal and never under NO_COLOR.

stdout carries data, stderr carries messages; both consoles are made on first use so a
command that prints plain data never imports rich.
"""

from __future__ import annotations

import os
import sys
import time
from functools import cache


def is_terminal(stream=None) -> bool:
    stream = stream or sys.stdout
    return bool(getattr(stream, "isatty", lambda: False)())


def color_allowed(stream=None) -> bool:
    return is_terminal(stream) and "NO_COLOR" not in os.environ and os.environ.get("TERM") != "dumb"


@cache
def err_console():
    from rich.console import Console

    return Console(
        stderr=True,
        no_color=not color_allowed(sys.stderr),
        highlight=False,
        force_terminal=None if color_allowed(sys.stderr) else False,
    )


@cache
def out_console():
    from rich.console import Console

    return Console(
        no_color=not color_allowed(sys.stdout),
        highlight=False,
        force_terminal=None if color_allowed(sys.stdout) else False,
        soft_wrap=False,
    )


def message(text: str) -> None:
    """One line for the user, on stderr."""
    print(text, file=sys.stderr)


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
