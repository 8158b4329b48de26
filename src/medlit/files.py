"""Files the user owns are replaced atomically: a failed run leaves the old file as it was.

Only regular files are replaced. A named pipe, a terminal or a device (`-o /dev/stdout`,
`-o fifo`, `-o /dev/null`) is written to directly: renaming over it would put a regular file
where the pipe or the device node was.
"""

from __future__ import annotations

import errno
import os
import stat
import tempfile
from contextlib import contextmanager
from pathlib import Path

from medlit.errors import UserError


@contextmanager
def replace_atomically(path: str | os.PathLike, encoding: str = "utf-8"):
    """Write to a temporary file beside `path`, then rename it over `path` on success only.

    The old file keeps its permissions; a symbolic link stays a link and the file it points
    to is the one replaced. A failure to write names the file (a full disk says which).
    """
    target = Path(path)
    if target.is_symlink():
        target = target.resolve()
    kind = _kind(target)
    if kind == "folder":
        raise UserError(f"{target} is a folder; name a file to write")
    if kind is not None:
        with _written_directly(target, kind, encoding) as out:
            yield out
        return
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise UserError(f"{target}: folder {folder} does not exist")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise UserError(f"{target}: cannot write in {folder} ({exc.strerror}){advice(exc)}") from None
    existed = target.exists()
    try:
        with os.fdopen(fd, "w", encoding=encoding, newline="") as out:
            yield out
            out.flush()
            os.fsync(out.fileno())
        if existed:
            os.chmod(tmp, target.stat().st_mode & 0o777)
        else:
            os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, target)
    except BaseException as exc:
        Path(tmp).unlink(missing_ok=True)
        if isinstance(exc, OSError) and exc.filename is None:
            # a write, flush or rename that failed: ours, though the error does not say so
            exc.filename = str(target)
            exc.add_note("the old file is as it was" if existed else "nothing was written")
        raise
    _sync_folder(folder)


def _kind(target: Path) -> str | None:
    """None for a regular file or nothing there (replaced atomically), else what is there."""
    try:
        mode = target.stat().st_mode
    except OSError:
        return None
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "folder"
    if stat.S_ISFIFO(mode):
        return "named pipe"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "device"
    return "special file"


@contextmanager
def _written_directly(target: Path, kind: str, encoding: str):
    """A pipe or a device, opened for writing as it is (a pipe waits for its reader)."""
    try:
        out = open(target, "w", encoding=encoding, newline="")  # noqa: SIM115 (closed below)
    except OSError as exc:
        raise UserError(f"{target} is a {kind} that cannot be written ({exc.strerror})") from None
    try:
        with out:
            yield out
    except OSError as exc:
        if exc.filename is not None or exc.errno == errno.EPIPE:
            raise  # a pipe whose reader went away ends as on stdout
        raise UserError(f"{target}: cannot write to this {kind} ({exc.strerror or exc})") from None


def advice(exc: OSError) -> str:
    """What to do about a failed write, as the end of a message ("" when there is nothing)."""
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return "; free some space and run again"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return "; check the permissions of the file and its folder"
    if exc.errno == errno.EROFS:
        return "; it is on a read-only file system: write somewhere else"
    return ""


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable (a crash right after it could otherwise undo it)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return  # some systems cannot open a folder; the rename is still atomic
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
