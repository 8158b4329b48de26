"""Readers: documents on disk -> records with provenance. One module per document shape.

`discover` expands the paths a user gives; `read_file` decodes a file (UTF-8, with or
without BOM; GB18030 for Chinese documents saved by older editors) and hands it to the
reader for its kind.
"""

from __future__ import annotations

from pathlib import Path

from medlit.errors import ReadError
from medlit.model import ReadResult

DOCUMENT_SUFFIXES = (".md", ".markdown", ".txt")
BIBTEX_SUFFIXES = (".bib", ".bibtex")
MAX_BYTES = 64 * 1024 * 1024


def discover(paths: list[str]) -> list[Path]:
    """Every document named, folders searched recursively (hidden folders skipped), in order."""
    found: list[Path] = []
    for name in paths:
        path = Path(name)
        if not path.exists():
            raise ReadError(f"{name}: no such file or folder")
        if path.is_dir():
            inside = sorted(
                p
                for p in path.rglob("*")
                if p.is_file()
                and p.suffix.lower() in DOCUMENT_SUFFIXES + BIBTEX_SUFFIXES
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
            if not inside:
                raise ReadError(f"{name}: the folder holds no .md, .markdown, .txt or .bib files")
            found.extend(inside)
        else:
            found.append(path)
    unique: list[Path] = []
    seen: set[Path] = set()
    for p in found:
        if p.resolve() not in seen:
            seen.add(p.resolve())
            unique.append(p)
    return unique


def decode(data: bytes, name: str) -> tuple[str, str]:
    """(text, encoding name); binary or undecodable input is a ReadError."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "utf-16"
    if b"\x00" in data[:8192]:
        raise ReadError(f"{name}: a binary file, not a text document")
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
    if suffix.lower() in BIBTEX_SUFFIXES:
        from medlit.readers.bibtex import read_bibtex

        return read_bibtex(text, file)
    from medlit.readers.markdown import read_markdown

    return read_markdown(text, file)


def read_bytes(data: bytes, file: str, suffix: str) -> tuple[ReadResult, str]:
    if len(data) > MAX_BYTES:
        raise ReadError(
            f"{file}: {len(data) // 2**20} MiB is larger than the {MAX_BYTES // 2**20} MiB medlit reads"
        )
    text, encoding = decode(data, file)
    return read_text(text, file, suffix), encoding
