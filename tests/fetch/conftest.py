"""A real HTTP server on 127.0.0.1 for the fetch tests, and small feed and page builders.

``site`` serves whatever a test puts in ``site.routes`` (a ``Reply``, or a function of the
request returning one) and logs every request it receives, so tests assert on what was (and
was not) asked for. Replies answer conditional GETs by themselves: a 200 carries an ETag
(a hash of the body) and a Last-Modified; a request naming that ETag gets a 304.
"""

from __future__ import annotations

import contextlib
import hashlib
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from email.utils import formatdate
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from storyline.config import Settings
from storyline.fetch.client import Fetcher
from storyline.fetch.poll import SourceResult
from storyline.fetch.sources import resolve_sources
from storyline.fetch.watch import PollReport, poll_once
from storyline.store import Store


@dataclass
class Reply:
    body: bytes = b""
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    validators: bool = True


@dataclass(frozen=True)
class Seen:
    path: str
    headers: dict[str, str]
    at: float
    done: float = 0.0


Route = Reply | Callable[[Seen], Reply]


class Site:
    """The routes and the request log of one test server."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.log: list[Seen] = []
        self.lock = threading.Lock()
        self.port = 0
        self.host = "127.0.0.1"

    def url(self, path: str) -> str:
        return f"http://{self.host}:{self.port}{path}"

    def paths(self) -> list[str]:
        with self.lock:
            return [s.path for s in self.log]

    def count(self, path: str) -> int:
        return self.paths().count(path)

    def clear(self) -> None:
        with self.lock:
            self.log.clear()


def _handler(site: Site) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True  # no 40 ms delayed-ACK stall per answer

        def handle(self) -> None:
            with contextlib.suppress(ConnectionResetError, BrokenPipeError):
                super().handle()  # the client may close a kept-alive connection

        def do_GET(self) -> None:
            start = time.monotonic()
            headers = {k.lower(): v for k, v in self.headers.items()}
            route = site.routes.get(self.path) or site.routes.get(self.path.split("?")[0])
            seen = Seen(self.path, headers, start)
            with site.lock:
                site.log.append(seen)
                number = len(site.log) - 1
            if route is None:
                reply = Reply(b"not here", 404, validators=False)
            else:
                reply = route(seen) if callable(route) else route
            if reply.delay:
                time.sleep(reply.delay)
            status, body, out = reply.status, reply.body, dict(reply.headers)
            if reply.validators and status == 200:
                tag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
                out.setdefault("ETag", tag)
                out.setdefault("Last-Modified", formatdate(0, usegmt=True))
                if headers.get("if-none-match") == out["ETag"]:
                    status, body = 304, b""
            try:
                self.send_response(status)
                for key, value in out.items():
                    self.send_header(key, value)
                if "Content-Length" not in out:
                    self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if body:
                    self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass
            finally:
                with site.lock:
                    if number < len(site.log) and site.log[number] is seen:
                        site.log[number] = Seen(self.path, headers, start, time.monotonic())

        def log_message(self, format: str, *args: object) -> None:
            return None

    return Handler


@pytest.fixture
def site() -> Iterator[Site]:
    served = Site()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(served))
    server.daemon_threads = True
    served.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.daemon = True
    thread.start()
    try:
        yield served
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def fast(tmp_path: Path) -> Settings:
    """Settings with small timeouts and no delays, so the whole fetch test set is quick."""
    return Settings().with_(
        db=str(tmp_path / "watch.db"), workers=1, fetch_timeout=2.0, fetch_host_delay=0.0,
        fetch_retries=0, fetch_backoff=0.05, fetch_max_wait=2.0, teaser_chars=200,
        sitemap_max_age_days=0, fetch_workers=2,
    )  # fmt: skip


def poll(settings: Settings, *sources: str) -> PollReport:
    """One poll of ``sources`` without the analysis stages (no spaCy)."""
    with Store(settings.db) as store, Fetcher(settings) as fetcher:
        return poll_once(resolve_sources(list(sources)), store, settings, fetcher,
                         process_new=False)  # fmt: skip


def result_for(report: PollReport, url: str) -> SourceResult:
    (found,) = [r for r in report.sources if r.url == url]
    return found


# -- documents ------------------------------------------------------------------------
WORDS = (
    "harbour council ferry union minister river valley bridge vote strike port court "
    "budget storm flood school hospital station market festival election mayor police"
).split()


def text(seed: int, sentences: int = 8) -> str:
    """A distinct, article-like text of ``sentences`` sentences."""
    out = []
    for i in range(sentences):
        a, b, c = (WORDS[(seed * 7 + i * k) % len(WORDS)] for k in (1, 3, 5))
        out.append(
            f"Officials in Halvik {seed} said on Tuesday that the {a} and the {b} would "
            f"meet again over the {c} dispute, report {seed}-{i} noted."
        )
    return " ".join(out)


@dataclass
class Item:
    title: str
    link: str | None = None
    guid: str | None = None
    full: str | None = None  # full text (content:encoded)
    teaser: str | None = None  # description only
    date: str = "Tue, 05 Mar 2024 18:00:00 +0000"


def rss(title: str, items: list[Item]) -> bytes:
    parts = [
        '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>',
        f"<title>{escape(title)}</title><link>https://outlet.example/</link>",
        "<description>test feed</description>",
    ]
    for item in items:
        parts.append(f"<item><title>{escape(item.title)}</title>")
        if item.link:
            parts.append(f"<link>{escape(item.link)}</link>")
        if item.guid:
            parts.append(f'<guid isPermaLink="false">{escape(item.guid)}</guid>')
        parts.append(f"<pubDate>{item.date}</pubDate>")
        if item.teaser is not None:
            parts.append(f"<description>{escape(item.teaser)}</description>")
        if item.full is not None:
            paragraphs = "".join(f"<p>{escape(p)}</p>" for p in item.full.split("\n\n"))
            parts.append(f"<content:encoded><![CDATA[{paragraphs}]]></content:encoded>")
        parts.append("</item>")
    parts.append("</channel></rss>")
    return "".join(parts).encode("utf-8")


def html_page(title: str, body: str, canonical: str | None = None, site_name: str = "") -> bytes:
    """An article page with navigation, a cookie banner and a footer around the text."""
    head = f'<link rel="canonical" href="{escape(canonical)}">' if canonical else ""
    if site_name:
        head += f'<meta property="og:site_name" content="{escape(site_name)}">'
    paragraphs = "".join(f"<p>{escape(p)}</p>" for p in body.split("\n\n"))
    return (
        f"<!doctype html><html><head><title>{escape(title)}</title>{head}</head><body>"
        "<nav><a href='/'>Home</a> <a href='/world'>World</a> <a href='/sport'>Sport</a></nav>"
        "<div class='cookie'>We use cookies to improve your experience. Accept all cookies.</div>"
        f"<article><h1>{escape(title)}</h1>{paragraphs}</article>"
        "<footer>Copyright 2024 Test Outlet. All rights reserved. Contact us. Privacy policy."
        "</footer></body></html>"
    ).encode()
