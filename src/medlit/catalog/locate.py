"""Which catalog a command uses when none is named, and why (`medlit where` tells).

In order: the path given (`--db`), else $MEDLIT_DB, else the nearest `catalog.db` in the
current folder or a folder above it (as git finds `.git`: a student runs medlit from any
folder of a thesis), else the `db` of the user's config file, else `./catalog.db`.
A `catalog.db` above the current folder that another user owns is passed over (a shared
/tmp must not choose anyone's catalog), as git passes over repositories it does not trust.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import NamedTuple

from medlit.errors import UserError

FILE_NAME = "catalog.db"
CONFIG_NAME = "config.toml"


class Located(NamedTuple):  # not a dataclass: defined at every start, a NamedTuple costs less
    path: Path
    source: str  # "--db", "MEDLIT_DB", "nearest", "config" or "default"
    why: str  # a sentence for `medlit where`


def config_dir(env=os.environ, platform: str = sys.platform) -> Path:
    """The user's config folder for medlit, by each platform's rule (as platformdirs has it:
    XDG_CONFIG_HOME or ~/.config, ~/Library/Application Support, %APPDATA%)."""
    home = Path(env.get("HOME") or Path.home())
    if platform == "win32":
        base = env.get("APPDATA")
        return Path(base) / "medlit" if base else home / "AppData" / "Roaming" / "medlit"
    if platform == "darwin":
        return home / "Library" / "Application Support" / "medlit"
    base = env.get("XDG_CONFIG_HOME", "")
    return (Path(base) if os.path.isabs(base) else home / ".config") / "medlit"


def config_file(env=os.environ) -> Path:
    return config_dir(env) / CONFIG_NAME


def locate(given: str | os.PathLike | None = None, env=os.environ, cwd: Path | None = None) -> Located:
    if given:
        return Located(Path(given), "--db", "given with --db")
    if env.get("MEDLIT_DB"):
        return Located(Path(env["MEDLIT_DB"]), "MEDLIT_DB", "set by MEDLIT_DB")
    here = Path.cwd() if cwd is None else cwd
    found = nearest(here)
    if found is not None:
        where = "the current folder" if found.parent == here else f"{found.parent}, above the current folder"
        return Located(found, "nearest", f"the nearest {FILE_NAME}: in {where}")
    configured = configured_db(config_file(env))
    if configured is not None:
        return Located(configured, "config", f"the db of {config_file(env)}")
    return Located(
        Path(FILE_NAME),
        "default",
        f"the default: no --db, no MEDLIT_DB, no {FILE_NAME} here or above, no db in {config_file(env)}",
    )


def nearest(start: Path) -> Path | None:
    """The first catalog.db in `start` or a folder above it that is this user's to trust."""
    folder = start.absolute()
    uid = os.getuid() if hasattr(os, "getuid") else None
    for candidate_dir in (folder, *folder.parents):
        candidate = candidate_dir / FILE_NAME
        try:
            info = candidate.stat()
        except OSError:
            continue
        if not candidate.is_file():
            continue
        if uid is not None and info.st_uid != uid and candidate_dir != folder:
            continue  # someone else's, above us: not chosen behind the user's back
        return candidate
    return None


def configured_db(path: Path) -> Path | None:
    """`db = "..."` of the config file (~ expanded, relative to the file's folder); None
    without a file or without `db`. A file that cannot be read is the user's to fix."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        raise UserError(f"{path} cannot be read ({exc}); fix or remove it") from None
    import tomllib

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise UserError(f"{path} is not valid TOML ({exc}); fix or remove it") from None
    value = data.get("db")
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        raise UserError(f'{path}: db must be a path in quotes, like db = "~/thesis/catalog.db"')
    db = Path(value).expanduser()
    return db if db.is_absolute() else path.parent / db
