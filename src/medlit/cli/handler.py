"""The one place that turns failures into exit codes: users see no traceback.

Known errors (a missing catalog, an unreadable file, a bad value) carry their own message
and exit 1, filter values exit 2 as click's usage errors do. Anything else is a bug: one
line saying so, and MEDLIT_DEBUG=1 shows the trace.
"""

from __future__ import annotations

import os
import sqlite3
import sys
from contextlib import contextmanager

from medlit.errors import BadFilter, MedlitError, MissingExtra


def fail(message: str, code: int = 1) -> None:
    from medlit.cli.terminal import message as say  # without control characters

    say(f"medlit: {message}")
    raise SystemExit(code)


@contextmanager
def usage_errors():
    """Inside a command: a bad filter value becomes click's usage error for that option, so
    it prints the command's usage line and exits 2."""
    import click

    try:
        yield
    except BadFilter as exc:
        raise click.BadParameter(str(exc), param_hint=exc.option) from None


@contextmanager
def handled():
    import click

    try:
        yield
    except (click.ClickException, click.exceptions.Exit, click.Abort):
        raise  # click prints these itself (usage errors exit 2)
    except BadFilter as exc:
        fail(f"{exc.option}: {exc}", 2)
    except MissingExtra as exc:
        fail(str(exc), 2)  # installing is a change to how medlit is run, as a usage error is
    except MedlitError as exc:
        fail(str(exc))
    except BrokenPipeError:
        # the reader of our stdout went away (`medlit export json | head`): not an error
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        raise SystemExit(0) from None
    except sqlite3.Error as exc:
        if os.environ.get("MEDLIT_DEBUG"):
            raise
        if type(exc) in (sqlite3.OperationalError, sqlite3.DatabaseError):
            # the catalog failed under us (damaged, locked too long, read-only): name it
            from medlit.catalog import explain

            fail(explain(exc))
        fail(_internal(exc))
    except KeyboardInterrupt:
        print("medlit: interrupted; nothing was changed", file=sys.stderr)
        raise SystemExit(130) from None
    except OSError as exc:
        if os.environ.get("MEDLIT_DEBUG"):
            raise
        from medlit.files import advice

        name = f" {exc.filename}" if exc.filename else ""
        notes = "".join(f"; {note}" for note in getattr(exc, "__notes__", ()))
        fail(f"cannot access{name}: {exc.strerror or exc}{notes}{advice(exc)}")
    except Exception as exc:
        if os.environ.get("MEDLIT_DEBUG"):
            raise
        fail(_internal(exc))


def _internal(exc: BaseException) -> str:
    return f"internal error ({type(exc).__name__}: {exc}); rerun with MEDLIT_DEBUG=1 and report it"
