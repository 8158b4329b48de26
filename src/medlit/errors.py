"""Turning failures into one clear line on stderr: users see no traceback.

Known errors (a missing catalog, an unreadable file, a bad value) carry their own message
and exit 1. Anything else is a bug: one line saying so, and MEDLIT_DEBUG=1 shows the trace.
The known errors are declared here, so that `handled` wraps every command without importing
the catalog and the readers (`medlit --help` needs neither).
"""

from __future__ import annotations

import os
import sqlite3
import sys
from contextlib import contextmanager


class UserError(Exception):
    """An error the user can fix; the message says how."""


class CatalogError(Exception):
    """A catalog that cannot be used; the message names the file and what to do."""


class ReadError(Exception):
    """A path that cannot be read at all; the message names it and says what to do."""


def fail(message: str, code: int = 1) -> None:
    print(f"medlit: {message}", file=sys.stderr)
    raise SystemExit(code)


@contextmanager
def handled():
    import click

    try:
        yield
    except (click.ClickException, click.exceptions.Exit, click.Abort):
        raise  # click prints these itself (usage errors exit 2)
    except (UserError, CatalogError, ReadError) as exc:
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
        name = f" {exc.filename}" if exc.filename else ""
        fail(f"cannot access{name}: {exc.strerror or exc}")
    except Exception as exc:
        if os.environ.get("MEDLIT_DEBUG"):
            raise
        fail(_internal(exc))


def _internal(exc: BaseException) -> str:
    return f"internal error ({type(exc).__name__}: {exc}); rerun with MEDLIT_DEBUG=1 and report it"
