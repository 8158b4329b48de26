"""Readers: documents on disk -> records with provenance. One module per document shape.

`discover` expands the paths a user gives; `load` reads a file without trusting its size or
kind; `decode` makes text of it (UTF-8, with or without BOM; UTF-16 with a BOM; GB18030 for
Chinese documents saved by older editors); `read_text` hands it to the reader for its kind.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from medlit.errors import ReadError
from medlit.model import ReadResult

MAX_BYTES = 64 * 1024 * 1024


def discover(paths: list[str]) -> tuple[list[Path], list[str]]:
    """Every document named, folders searched recursively (hidden folders skipped), in order.

    A path that does not exist or a folder without documents is a problem reported for that
    path, not the end of the import: the other paths are still read.
    """
    from medlit.registry import registry

    readable: dict[str, bool] = {}  # suffix -> a reader takes it (plugins looked up only for others)

    def reads(path: Path) -> bool:
        suffix = path.suffix.lower()
        if suffix not in readable:
            readable[suffix] = registry().reader_for(suffix) is not None
        return readable[suffix]

    found: list[Path] = []
    problems: list[str] = []
    for name in paths:
        path = Path(name)
        if not path.exists():
            problems.append(f"{name}: no such file or folder")
        elif path.is_dir():
            inside = sorted(
                p
                for p in path.rglob("*")
                if p.is_file()
                and reads(p)
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
            if not inside:
                problems.append(f"{name}: the folder holds no .md, .markdown, .txt or .bib files")
            found.extend(inside)
        else:
            found.append(path)
    unique: list[Path] = []
    seen: set[Path] = set()
    for p in found:
        if p.resolve() not in seen:
            seen.add(p.resolve())
            unique.append(p)
    return unique, problems


def load(path: Path, name: str) -> bytes:
    """A document's bytes. A pipe or device is refused before reading (it may never end) and a
    file over MAX_BYTES is refused without reading it whole."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise ReadError(f"{name}: not a regular file (a pipe or a device); save it to a file first")
        data = handle.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise ReadError(f"{name}: larger than the {MAX_BYTES // 2**20} MiB medlit reads; split it")
    return data


def decode(data: bytes, name: str) -> tuple[str, str]:
    """(text, encoding name); binary or undecodable input is a ReadError."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as exc:
            line = data[: exc.start].decode("utf-16", errors="replace").count("\n") + 1
            raise ReadError(f"{name}:{line}: broken UTF-16 text; save it again as UTF-8") from None
    if b"\x00" in data[:8192]:
        raise ReadError(f"{name}: a binary file, not a text document (medlit reads .md, .txt and .bib text)")
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError as exc:
        utf8_error = exc
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        line = data[: utf8_error.start].count(b"\n") + 1
        raise ReadError(
            f"{name}:{line}: not UTF-8 or GB18030 text; convert it, e.g. iconv -f LATIN1 -t UTF-8"
        ) from None
    return text, "gb18030"


def read_text(text: str, file: str, suffix: str) -> ReadResult:
    """Records, dataset mentions, skips and notices of one document's text; never raises.
    The reader is the registry's for the file's suffix (markdown when none claims it)."""
    from medlit.readers import sanity
    from medlit.registry import registry

    text, removed = sanity.without_controls(text, file)
    spec = registry().reader_for(suffix) or registry().readers["markdown"]
    result = spec.reader()(text, file)
    result.notices[:0] = removed
    sanity.check(result, text, file, markdown=spec.markdown)
    return result


def read_bytes(data: bytes, file: str, suffix: str) -> tuple[ReadResult, str]:
    if len(data) > MAX_BYTES:
        raise ReadError(f"{file}: larger than the {MAX_BYTES // 2**20} MiB medlit reads; split it")
    text, encoding = decode(data, file)
    return read_text(text, file, suffix), encoding
