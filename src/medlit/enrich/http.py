"""Polite, robust requests to the metadata services: timeouts, a pause between requests to
one service, 429 and Retry-After honoured, retries with backoff on failures that pass.

httpx is imported here only, so that commands that never fetch start as fast as before.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field

TIMEOUT = 20.0  # seconds for one answer
RETRIES = 3  # attempts after the first, for a timeout, a dropped connection, a 5xx or a 429
MAX_WAIT = 120.0  # the longest Retry-After honoured; longer is a failure of that service
# seconds between two requests to one service: arXiv asks for one every 3 s
INTERVALS = {"arxiv": 3.0, "crossref": 0.1, "openalex": 0.1}
BASES = {
    "crossref": ("MEDLIT_CROSSREF_URL", "https://api.crossref.org"),
    "arxiv": ("MEDLIT_ARXIV_URL", "https://export.arxiv.org/api"),
    "openalex": ("MEDLIT_OPENALEX_URL", "https://api.openalex.org"),
}


class SourceError(Exception):
    """A service that could not answer (no network, timeouts, a bad answer): one line."""

    def __init__(self, source: str, text: str):
        self.source = source
        super().__init__(f"{source}: {text}")


class NotFound(Exception):
    """A 404: the service does not know this identifier (an answer, cached like any other)."""


def base_url(source: str) -> str:
    variable, default = BASES[source]
    return (os.environ.get(variable) or default).rstrip("/")


def mailto() -> str | None:
    return os.environ.get("MEDLIT_MAILTO") or None


@dataclass
class Client:
    """One client for a run: counts requests per service and keeps each service's pace."""

    intervals: dict[str, float] = field(default_factory=lambda: dict(INTERVALS))
    backoff: float = 1.0  # first pause before a retry, doubled each time
    requests: dict[str, int] = field(default_factory=dict)
    _last: dict[str, float] = field(default_factory=dict)
    _http: object = None

    def __post_init__(self):
        for source in self.intervals:  # a mirror (or a test) may allow more: MEDLIT_ARXIV_INTERVAL=0.3
            interval = os.environ.get(f"MEDLIT_{source.upper()}_INTERVAL")
            if interval:
                self.intervals[source] = float(interval)
        backoff = os.environ.get("MEDLIT_HTTP_BACKOFF")
        if backoff:
            self.backoff = float(backoff)

    def _client(self):
        if self._http is None:
            from importlib.metadata import PackageNotFoundError, version

            import httpx

            try:
                __version__ = version("medlit")
            except PackageNotFoundError:
                __version__ = "dev"
            contact = mailto()
            agent = f"medlit/{__version__} (https://pypi.org/project/medlit/"
            agent += f"; mailto:{contact})" if contact else ")"
            self._http = httpx.Client(
                timeout=httpx.Timeout(TIMEOUT, connect=10.0),
                headers={"User-Agent": agent},
                follow_redirects=True,
            )
        return self._http

    def close(self) -> None:
        if self._http is not None:
            self._http.close()
            self._http = None

    def get(self, source: str, path: str, params: dict | None = None) -> str:
        """The body of a 200 answer; NotFound for a 404; SourceError when it cannot be had."""
        import httpx

        url = base_url(source) + path
        params = dict(params or {})
        if source == "crossref" and mailto():
            params["mailto"] = mailto()  # Crossref's polite pool
        if source == "openalex" and mailto():
            params["mailto"] = mailto()
        pause = self.backoff
        last_problem = "no answer"
        for attempt in range(RETRIES + 1):
            self._keep_pace(source)
            self.requests[source] = self.requests.get(source, 0) + 1
            try:
                answer = self._client().get(url, params=params)
            except httpx.TimeoutException:
                self._last[source] = time.monotonic()
                last_problem = f"no answer within {TIMEOUT:g} s from {base_url(source)}"
            except httpx.TransportError as exc:
                self._last[source] = time.monotonic()
                last_problem = f"cannot reach {base_url(source)} ({type(exc).__name__}: {exc})"
            else:
                self._last[source] = time.monotonic()  # the pause runs from the answer's end
                status = answer.status_code
                if status == 200:
                    return answer.text
                if status == 404:
                    raise NotFound(url)
                if status == 429 or status >= 500:
                    wait = _retry_after(answer.headers.get("Retry-After"))
                    last_problem = f"HTTP {status} from {base_url(source)}"
                    if wait is not None:
                        if wait > MAX_WAIT:
                            raise SourceError(
                                source, f"{last_problem}; it asks to wait {wait:g} s, try later"
                            )
                        pause = max(pause, wait)
                else:
                    text = " ".join(answer.text.split())[:120]
                    raise SourceError(source, f"HTTP {status} from {base_url(source)}: {text}")
            if attempt < RETRIES:
                time.sleep(pause)
                pause *= 2
        raise SourceError(source, f"{last_problem} (tried {RETRIES + 1} times)")

    def _keep_pace(self, source: str) -> None:
        interval = self.intervals.get(source, 0.0)
        last = self._last.get(source)
        if last is not None:
            wait = last + interval - time.monotonic()
            if wait > 0:
                time.sleep(wait)


def _retry_after(value: str | None) -> float | None:
    """Retry-After in seconds (a number, or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.replace(".", "", 1).isdigit():
        return float(value)
    from email.utils import parsedate_to_datetime

    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())
