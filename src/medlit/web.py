"""The catalog in a browser: Datasette serving it read-only, with medlit's own metadata.

Datasette is an optional extra (`pip install 'medlit[web]'`) and is imported here only, inside
the functions that need it: no other command pays for it. The metadata (titles, column
descriptions, default facets, hidden tables, canned queries) is shipped in
`data/datasette-metadata.yaml`.
"""

from __future__ import annotations

import ipaddress
import socket
import threading
import time
from pathlib import Path

INSTALL_HINT = "medlit serve needs Datasette: pip install 'medlit[web]'"
METADATA = "datasette-metadata.yaml"
# Datasette's defaults, but for facets: an array facet over a few thousand papers of the
# reading_list view takes longer than its 200 ms
SETTINGS = {"facet_time_limit_ms": 1000, "default_page_size": 50}
STATIC = "medlit-static"  # data/web/, served at /medlit-static/


def require() -> None:
    """Raise MissingExtra unless Datasette (and the server it runs on) can be imported."""
    from importlib.util import find_spec

    from medlit.errors import MissingExtra

    if find_spec("datasette") is None or find_spec("uvicorn") is None:
        raise MissingExtra(INSTALL_HINT)


def is_loopback(host: str) -> bool:
    """True for an address only this machine reaches (127.0.0.0/8, ::1, localhost)."""
    if host.casefold() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def database_name(path: Path) -> str:
    """The name Datasette serves a catalog file under: its name without the suffix."""
    return path.stem


def metadata(name: str) -> dict:
    """medlit's Datasette metadata, its database entry filed under `name`."""
    import yaml  # Datasette depends on PyYAML

    data = yaml.safe_load((Path(__file__).parent / "data" / METADATA).read_text(encoding="utf-8"))
    data["databases"] = {name: data["databases"]["catalog"]}
    return data


def datasette(path: Path):
    """A Datasette instance serving `path` read-only (mode=ro), not yet started."""
    require()
    from datasette.app import Datasette

    return Datasette(
        files=[str(path)],
        metadata=metadata(database_name(path)),
        settings=SETTINGS,
        static_mounts=[(STATIC, str(Path(__file__).parent / "data" / "web"))],
    )


def url(host: str, port: int, path: Path) -> str:
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}/{database_name(path)}/reading_list"


def serve(path: Path, host: str, port: int, open_browser: bool = False, announce=None) -> None:
    """Serve until interrupted; `announce(url)` hears where, once the port is known to be
    free; with `open_browser`, the reading list opens once the server answers."""
    import asyncio

    ds = datasette(path)
    _check_free(host, port)
    if announce:
        announce(url(host, port, path))
    asyncio.run(ds.invoke_startup())
    import uvicorn

    if open_browser:
        threading.Thread(target=_open_when_up, args=(host, port, url(host, port, path)), daemon=True).start()
    uvicorn.run(ds.app(), host=host, port=port, log_level="warning", lifespan="on", workers=1)


def _check_free(host: str, port: int) -> None:
    """A port taken by another server is the user's to change: one line, before starting."""
    from medlit.errors import UserError

    try:
        info = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
        with socket.socket(info[0], socket.SOCK_STREAM) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind(info[4])
    except OSError as exc:
        raise UserError(
            f"cannot listen on {host}:{port} ({exc.strerror or exc}); pick another --port"
        ) from None


def _open_when_up(host: str, port: int, address: str, wait: float = 10.0) -> None:
    import webbrowser

    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        try:
            socket.create_connection((host, port), timeout=0.5).close()
            break
        except OSError:
            time.sleep(0.1)
    webbrowser.open(address)
