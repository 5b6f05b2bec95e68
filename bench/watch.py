"""Benchmark of `storyline watch`: a local server with 50 feeds x 20 entries.

The entries are the sample corpus recombined (``corpus_gen``): every feed is an outlet, every
entry a synthetic article of 4-8 paragraphs of one of the corpus's stories. Half of the
entries carry their full text; the other half are teasers whose article page (with navigation
and footer boilerplate) must be fetched and extracted. Three polls are measured:

1. the first poll: every feed, every teaser page (and robots.txt once);
2. a poll with nothing new: one conditional request per feed, each answered 304, no page;
3. a poll after one feed gained one entry: 50 conditional requests, one 200, one page.

The server logs every request; the script asserts that poll 2 made exactly one conditional
request per feed and fetched no article page. Politeness delays are set to 0 (every feed is on
the same local host; with the default fetch_host_delay of 1 s, 50 feeds plus 500 pages on one
host would take over nine minutes by design). ``--process`` also runs every analysis stage
after each poll (spaCy; minutes on a small machine).

    python bench/watch.py [--process] [--workers N]
"""

from __future__ import annotations

import argparse
import hashlib
import random
import sys
import tempfile
import threading
from email.utils import formatdate
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus_gen import paragraphs_by_story
from storyline.config import Settings
from storyline.fetch.client import Fetcher
from storyline.fetch.sources import resolve_sources
from storyline.fetch.watch import PollReport, poll_once
from storyline.store import Store

FEEDS, ENTRIES = 50, 20


class Corpus:
    """The documents served: feeds by path, pages by path; feeds can grow."""

    def __init__(self, seed: int = 7) -> None:
        self.rng = random.Random(seed)
        self.templates = sorted(paragraphs_by_story().items())
        self.items: dict[int, list[str]] = {f: [] for f in range(FEEDS)}
        self.pages: dict[str, bytes] = {}
        self.feeds: dict[str, bytes] = {}
        self.serial = 0
        for feed in range(FEEDS):
            for _ in range(ENTRIES):
                self.add_entry(feed)
            self.render(feed)

    def add_entry(self, feed: int) -> None:
        key, paragraphs = self.templates[self.rng.randrange(len(self.templates))]
        body = self.rng.sample(paragraphs, min(len(paragraphs), self.rng.randint(4, 8)))
        while sum(map(len, body)) < 800 and len(body) < len(paragraphs):  # not a teaser
            body.append(self.rng.choice([q for q in paragraphs if q not in body]))
        n = self.serial
        self.serial += 1
        title = f"Outlet {feed} on {key}: report {n}"
        day = 1 + n % 28
        published = formatdate(1709251200 + day * 86400, usegmt=True)
        item = [f"<item><title>{escape(title)}</title><guid>urn:bench:{n}</guid>",
                f"<pubDate>{published}</pubDate>"]  # fmt: skip
        if n % 2 == 0:
            text = "".join(f"<p>{escape(p)}</p>" for p in body)
            item.append(f"<link>https://outlet{feed}.example/a/{n}</link>")
            item.append(f"<content:encoded><![CDATA[{text}]]></content:encoded>")
        else:
            path = f"/articles/{feed}/{n}.html"
            item.append(f"<link>{{BASE}}{path}</link>")
            item.append(f"<description>{escape(body[0][:120])}… Read more</description>")
            self.pages[path] = page(title, body, feed)
        item.append("</item>")
        self.items[feed].insert(0, "".join(item))

    def render(self, feed: int) -> None:
        self.feeds[f"/feeds/{feed}.xml"] = (
            '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" '
            'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>'
            f"<title>Outlet {feed}</title><link>https://outlet{feed}.example/</link>"
            f"<description>bench feed {feed}</description>{''.join(self.items[feed])}"
            "</channel></rss>"
        ).encode()


def page(title: str, paragraphs: list[str], feed: int) -> bytes:
    text = "".join(f"<p>{escape(p)}</p>" for p in paragraphs)
    return (
        f"<!doctype html><html><head><title>{escape(title)}</title>"
        f'<meta property="og:site_name" content="Outlet {feed}"></head><body>'
        "<nav><a href='/'>Home</a> <a href='/world'>World</a></nav>"
        f"<article><h1>{escape(title)}</h1>{text}</article>"
        "<footer>Copyright Outlet. All rights reserved.</footer></body></html>"
    ).encode()


class Log:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.requests: list[tuple[str, bool, int, int]] = []  # path, conditional, status, bytes

    def take(self) -> list[tuple[str, bool, int, int]]:
        with self.lock:
            taken, self.requests = self.requests, []
        return taken


def serve(corpus: Corpus, log: Log) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True  # no 40 ms delayed-ACK stall per answer

        def do_GET(self) -> None:
            path = self.path
            base = f"http://127.0.0.1:{self.server.server_address[1]}"
            body = corpus.feeds.get(path) or corpus.pages.get(path)
            if path == "/robots.txt":
                body = b"User-agent: *\nAllow: /\n"
            status, headers = 200, {}
            if body is None:
                status, body = 404, b"no"
            else:
                body = body.replace(b"{BASE}", base.encode())
                tag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
                headers["ETag"] = tag
                if self.headers.get("If-None-Match") == tag:
                    status, body = 304, b""
            conditional = "If-None-Match" in self.headers
            self.send_response(status)
            for key, value in headers.items():
                self.send_header(key, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            with log.lock:
                log.requests.append((path, conditional, status, len(body)))

        def log_message(self, format: str, *args: object) -> None:
            return None

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def row(name: str, report: PollReport, seen: list[tuple[str, bool, int, int]]) -> str:
    c = report.counts
    pages = sum(1 for p, *_ in seen if p.startswith("/articles/"))
    return (f"| {name} | {report.seconds:.2f} | {c.requests} | {c.feeds} | {pages} | {c.robots} "
            f"| {c.not_modified} | {c.bytes:,} | {report.added} |")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--process", action="store_true", help="also run every stage")
    parser.add_argument("--workers", type=int, default=4, help="fetch_workers (threads)")
    args = parser.parse_args()
    corpus = Corpus()
    log = Log()
    server = serve(corpus, log)
    port = server.server_address[1]
    urls = [f"http://127.0.0.1:{port}/feeds/{f}.xml" for f in range(FEEDS)]
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings().with_(
            db=str(Path(tmp) / "bench.db"), workers=1, fetch_host_delay=0.0,
            fetch_workers=args.workers, teaser_chars=500,
        )  # fmt: skip
        sources = resolve_sources(urls)
        lines = ["| poll | wall s | requests | feeds | pages | robots | 304 | bytes | added |",
                 "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]  # fmt: skip
        with Store(settings.db) as store, Fetcher(settings) as fetcher:

            def one(number: int) -> tuple[PollReport, list[tuple[str, bool, int, int]]]:
                report = poll_once(sources, store, settings, fetcher, number,
                                   process_new=args.process)  # fmt: skip
                return report, log.take()

            first, seen1 = one(1)
            lines.append(row("first", first, seen1))
            quiet, seen2 = one(2)
            lines.append(row("nothing new", quiet, seen2))
            corpus.add_entry(0)
            corpus.render(0)
            grown, seen3 = one(3)
            lines.append(row("one new entry", grown, seen3))
            articles = store.count("articles")
    server.shutdown()
    processing = "on" if args.process else "off"
    print(f"{FEEDS} feeds x {ENTRIES} entries ({len(corpus.pages)} teaser pages), "
          f"fetch_workers={args.workers}, processing {processing}")  # fmt: skip
    print("\n".join(lines))
    print(f"articles stored: {articles}")
    feeds_asked = [p for p, *_ in seen2 if p.startswith("/feeds/")]
    assert len(seen2) == FEEDS and sorted(feeds_asked) == sorted(
        f"/feeds/{f}.xml" for f in range(FEEDS)
    )
    assert all(conditional and status == 304 for _, conditional, status, _ in seen2)
    assert not any(p.startswith("/articles/") for p, *_ in seen2)
    assert quiet.added == 0 and quiet.counts.pages == 0 and quiet.counts.requests == FEEDS
    assert grown.added == 1 and len(seen3) in (FEEDS, FEEDS + 1)
    print(
        "ok: a poll with nothing new made one conditional request per feed (all 304) "
        "and fetched no article page"
    )


if __name__ == "__main__":
    main()
