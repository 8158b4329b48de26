"""Crossref, arXiv and OpenAlex as a local server on 127.0.0.1, answering in each API's own
format from the works in tests/data/services (Crossref's JSON envelope, arXiv's Atom feed
with its Error entry, OpenAlex's meta/results), for the enrich tests and the bench.

Every request is logged; `fail` queues answers (a 429 with Retry-After, a 503) to give
before the real ones. With `synthetic=True`, any well-formed new-style arXiv id is a paper
(for the request-count figures on thousands of papers).
"""

from __future__ import annotations

import json
import re
import threading
import time
import xml.etree.ElementTree as ET
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

DATA = Path(__file__).parent / "data" / "services"
ATOM = "http://www.w3.org/2005/Atom"
ET.register_namespace("", ATOM)
ET.register_namespace("arxiv", "http://arxiv.org/schemas/atom")
ET.register_namespace("opensearch", "http://a9.com/-/spec/opensearch/1.1/")
_NEW_ID = re.compile(r"^\d{4}\.\d{4,5}$")
SYNTHETIC_DOI = "10.5555/synthetic."


class Services:
    def __init__(self, synthetic: bool = False):
        self.crossref = {w["DOI"].lower(): w for w in json.loads((DATA / "crossref_works.json").read_text())}
        feed = ET.parse(DATA / "arxiv_entries.xml").getroot()
        self.arxiv = {}
        for entry in feed.findall(f"{{{ATOM}}}entry"):
            ident = entry.findtext(f"{{{ATOM}}}id").rsplit("/abs/", 1)[1]
            self.arxiv[re.sub(r"v\d+$", "", ident)] = ET.tostring(entry, encoding="unicode")
        self.openalex = json.loads((DATA / "openalex_works.json").read_text())
        self.synthetic = synthetic
        self.log: list[tuple[str, str, dict, float]] = []  # (service, path, query, monotonic time)
        self.failures: dict[str, list[tuple[int, dict]]] = {}
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    # ------------------------------------------------------------------ running

    def __enter__(self) -> Services:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def env(self) -> dict[str, str]:
        """The environment pointing medlit at this server (and a short arXiv pause for tests)."""
        return {
            "MEDLIT_CROSSREF_URL": f"{self.url}/crossref",
            "MEDLIT_ARXIV_URL": f"{self.url}/arxiv/api",
            "MEDLIT_OPENALEX_URL": f"{self.url}/openalex",
            "MEDLIT_ARXIV_INTERVAL": "0.3",
            "MEDLIT_CROSSREF_INTERVAL": "0.01",
            "MEDLIT_OPENALEX_INTERVAL": "0.01",
            "MEDLIT_HTTP_BACKOFF": "0.05",
            "MEDLIT_MAILTO": "student@example.org",
        }

    def fail(self, service: str, status: int, headers: dict | None = None, times: int = 1) -> None:
        self.failures.setdefault(service, []).extend([(status, headers or {})] * times)

    def requests(self, service: str | None = None) -> list[tuple[str, str, dict, float]]:
        return [r for r in self.log if service is None or r[0] == service]

    # ------------------------------------------------------------------ answers

    def _handler(self):
        services = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # quiet
                pass

            def do_GET(self):
                parts = urlsplit(self.path)
                service, _, rest = parts.path.lstrip("/").partition("/")
                query = {k: v[0] for k, v in parse_qs(parts.query).items()}
                services.log.append((service, "/" + rest, query, time.monotonic()))
                queued = services.failures.get(service)
                if queued:
                    status, headers = queued.pop(0)
                    self._send(status, "Rate exceeded." if status == 429 else "Service Unavailable", headers)
                    return
                answer = {
                    "crossref": services._crossref,
                    "arxiv": services._arxiv,
                    "openalex": services._openalex,
                }
                status, body, kind = answer.get(service, lambda r, q: (404, "no such service", "text/plain"))(
                    "/" + rest, query
                )
                self._send(status, body, {"Content-Type": kind})

            def _send(self, status: int, body: str, headers: dict) -> None:
                data = body.encode()
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        return Handler

    def _crossref(self, path: str, query: dict):
        kind = "application/json"
        if path.startswith("/works/"):
            work = self.crossref.get(unquote(path[len("/works/") :]).lower())
            if work is None:
                return 404, "Resource not found.", "text/plain"
            return 200, json.dumps({"status": "ok", "message-type": "work", "message-version": "1.0.0",
                                    "message": work}), kind  # fmt: skip
        items = []
        if "filter" in query:
            dois = [f[len("doi:") :].lower() for f in query["filter"].split(",") if f.startswith("doi:")]
            items = [self.crossref[d] for d in dois if d in self.crossref]
            if self.synthetic:
                items += [_synthetic_work(d) for d in dois if d.startswith(SYNTHETIC_DOI)]
        elif "query.bibliographic" in query:
            items = _ranked(
                list(self.crossref.values()), query["query.bibliographic"], lambda w: w["title"][0]
            )
            items = items[: int(query.get("rows", 20))]
        message = {"facets": {}, "total-results": len(items), "items": items, "items-per-page": len(items),
                   "query": {"start-index": 0, "search-terms": query.get("query.bibliographic")}}  # fmt: skip
        return 200, json.dumps({"status": "ok", "message-type": "work-list", "message-version": "1.0.0",
                                "message": message}), kind  # fmt: skip

    def _arxiv(self, path: str, query: dict):
        ids = [i for i in query.get("id_list", "").split(",") if i]
        entries = []
        for ident in ids:
            bare = re.sub(r"v\d+$", "", ident)
            if bare in self.arxiv:
                entries.append(self.arxiv[bare])
            elif not (_NEW_ID.match(bare) and bare[2:4] <= "12"):
                # what arXiv says of an id it cannot parse: one Error entry, HTTP 200
                entries = [_error_entry(ident)]
                break
            elif self.synthetic:
                entries.append(_synthetic_entry(bare))
            # else: a well-formed id arXiv does not have is silently missing from the feed
        feed = (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<feed xmlns="{ATOM}" xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">\n'
            f'  <link href="http://arxiv.org/api/query?id_list={",".join(ids)}" rel="self" type="application/atom+xml"/>\n'
            f'  <title type="html">ArXiv Query: id_list={",".join(ids)}</title>\n'
            "  <id>http://arxiv.org/api/cHxbiOdZaP56ODnBPIenZhzg5f8</id>\n"
            "  <updated>2026-12-02T00:00:00-05:00</updated>\n"
            f"  <opensearch:totalResults>{len(entries)}</opensearch:totalResults>\n"
            "  <opensearch:startIndex>0</opensearch:startIndex>\n"
            f"  <opensearch:itemsPerPage>{query.get('max_results', 10)}</opensearch:itemsPerPage>\n"
            + "\n".join(entries)
            + "\n</feed>\n"
        )
        return 200, feed, "application/atom+xml; charset=utf-8"

    def _openalex(self, path: str, query: dict):
        if path.startswith("/works/"):
            return (
                404,
                json.dumps({"error": "404 Not Found", "message": "The requested URL was not found."}),
                "application/json",
            )
        wanted = query.get("filter", "")
        results = []
        if wanted.startswith("title.search:"):
            results = _ranked(self.openalex, wanted[len("title.search:") :], lambda w: w["title"])
        elif wanted.startswith("doi:"):
            dois = {d.lower().removeprefix("https://doi.org/") for d in wanted[4:].split("|")}
            results = [w for w in self.openalex if w["doi"].removeprefix("https://doi.org/") in dois]
        results = results[: int(query.get("per-page", 25))]
        meta = {
            "count": len(results),
            "db_response_time_ms": 12,
            "page": 1,
            "per_page": 25,
            "groups_count": None,
        }
        return 200, json.dumps({"meta": meta, "results": results, "group_by": []}), "application/json"


def _words(text: str) -> set[str]:
    return set(re.findall(r"[a-z0-9]+", text.lower()))


def _ranked(works: list, text: str, title) -> list:
    """Works sharing at least half the query's words, most shared first (a search engine's rough cut)."""
    query = _words(text)
    scored = [(len(query & _words(title(w))), w) for w in works]
    return [w for n, w in sorted(scored, key=lambda x: -x[0]) if query and n >= len(query) / 2]


def _error_entry(ident: str) -> str:
    return (
        "  <entry>\n"
        f"    <id>http://arxiv.org/api/errors#incorrect_id_format_for_{ident}</id>\n"
        "    <title>Error</title>\n"
        f"    <summary>incorrect id format for {ident}</summary>\n"
        "    <updated>2026-12-02T00:00:00-05:00</updated>\n"
        f'    <link href="http://arxiv.org/api/errors#incorrect_id_format_for_{ident}" rel="alternate" type="text/html"/>\n'
        "    <author><name>arXiv api core</name></author>\n"
        "  </entry>"
    )


def _synthetic_entry(ident: str) -> str:
    year = 2000 + int(ident[:2])
    return (
        "  <entry>\n"
        f"    <id>http://arxiv.org/abs/{ident}v1</id>\n"
        f"    <published>{year}-{ident[2:4]}-01T00:00:00Z</published>\n"
        f"    <title>Synthetic paper {ident}</title>\n"
        "    <summary>A paper the bench makes up.</summary>\n"
        "    <author><name>Ada Lovelace</name></author>\n"
        "    <author><name>Alan Turing</name></author>\n"
        + (  # every other paper was published since, with a DOI
            f'    <arxiv:doi xmlns:arxiv="http://arxiv.org/schemas/atom">{SYNTHETIC_DOI}{ident}</arxiv:doi>\n'
            if int(ident[-1]) % 2 == 0
            else ""
        )
        + f'    <link href="http://arxiv.org/abs/{ident}v1" rel="alternate" type="text/html"/>\n'
        "  </entry>"
    )


def _synthetic_work(doi: str) -> dict:
    ident = doi[len(SYNTHETIC_DOI) :]
    return {
        "DOI": doi, "type": "journal-article", "title": [f"Synthetic paper {ident}"],
        "author": [{"given": "Ada", "family": "Lovelace", "sequence": "first", "affiliation": []},
                   {"given": "Alan", "family": "Turing", "sequence": "additional", "affiliation": []}],
        "container-title": ["Journal of Synthetic Results"], "volume": "1", "page": "1-10",
        "publisher": "Synthetic Press", "issued": {"date-parts": [[2021]]},
        "published-print": {"date-parts": [[2021]]},
    }  # fmt: skip
