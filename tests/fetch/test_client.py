"""The HTTP client against a real server on 127.0.0.1: timeouts, redirects, size caps,
retries with back-off and Retry-After, per-host politeness, robots.txt."""

from __future__ import annotations

import gzip
import itertools
import threading
import time
import zlib

import pytest

from storyline.config import Settings
from storyline.errors import BlockedError, FetchError
from storyline.fetch.client import Fetcher, Validators
from storyline.fetch.politeness import retry_after
from storyline.fetch.safety import LINKS, USER

from .conftest import Reply, Seen, Site


def test_conditional_get_returns_304_without_a_body(site: Site, fast: Settings) -> None:
    site.routes["/f"] = Reply(b"<rss/>")
    with Fetcher(fast) as fetcher:
        first = fetcher.get(site.url("/f"))
        again = fetcher.get(site.url("/f"), validators=first.validators)
        stale = fetcher.get(site.url("/f"), validators=Validators(etag='"other"'))
    assert first.status == 200 and first.body == b"<rss/>" and first.etag
    assert again.not_modified and again.body == b""
    assert stale.status == 200
    assert site.log[1].headers["if-none-match"] == first.etag


def test_a_slow_server_hits_the_timeout(site: Site, fast: Settings) -> None:
    site.routes["/slow"] = Reply(b"late", delay=1.5)
    started = time.monotonic()
    with Fetcher(fast.with_(fetch_timeout=0.3)) as fetcher, pytest.raises(FetchError) as caught:
        fetcher.get(site.url("/slow"))
    assert time.monotonic() - started < 1.2
    assert caught.value.transient and "timed out after 0.3 s" in caught.value.reason


def test_a_redirect_loop_is_stopped(site: Site, fast: Settings) -> None:
    site.routes["/a"] = Reply(status=302, headers={"Location": "/b"}, validators=False)
    site.routes["/b"] = Reply(status=301, headers={"Location": site.url("/a")}, validators=False)
    with Fetcher(fast) as fetcher, pytest.raises(FetchError, match="redirect loop"):
        fetcher.get(site.url("/a"))
    assert site.paths() == ["/a", "/b"]


def test_redirects_are_limited_in_number(site: Site, fast: Settings) -> None:
    def onwards(seen: Seen) -> Reply:
        n = int(seen.path.split("=")[1])
        return Reply(status=307, headers={"Location": f"/r?n={n + 1}"}, validators=False)

    site.routes["/r"] = onwards
    with Fetcher(fast.with_(fetch_max_redirects=3)) as fetcher:
        with pytest.raises(FetchError, match="more than 3 redirects"):
            fetcher.get(site.url("/r?n=0"))
        site.routes["/end"] = Reply(b"ok")
        site.routes["/hop"] = Reply(status=308, headers={"Location": "/end"}, validators=False)
        fetched = fetcher.get(site.url("/hop"))
    assert len(site.paths()) == 4 + 2
    assert fetched.final_url == site.url("/end") and fetched.body == b"ok"


@pytest.mark.parametrize(
    "location", ["file:///etc/passwd", "ftp://files.example/x", "data:text/html,<b>x</b>",
                 "javascript:alert(1)"],
)  # fmt: skip
def test_redirects_only_to_http(site: Site, fast: Settings, location: str) -> None:
    site.routes["/go"] = Reply(status=302, headers={"Location": location}, validators=False)
    refused = "only http and https URLs are fetched|redirect to one"
    with Fetcher(fast) as fetcher, pytest.raises(BlockedError, match=refused):
        fetcher.get(site.url("/go"))
    assert site.paths() == ["/go"]


def test_an_oversized_response_is_abandoned(site: Site, fast: Settings) -> None:
    site.routes["/big"] = Reply(b"x" * 300_000)
    site.routes["/chunked"] = Reply(b"y" * 300_000, headers={"Content-Length": ""})
    bomb = gzip.compress(b"\0" * 20_000_000)  # ~20 KB on the wire, 20 MB inflated
    site.routes["/bomb"] = Reply(bomb, headers={"Content-Encoding": "gzip"})
    small = fast.with_(fetch_max_bytes=100_000)
    with Fetcher(small) as fetcher:
        for path in ("/big", "/bomb"):
            with pytest.raises(FetchError, match=r"over 100,000 bytes \(setting fetch_max_bytes"):
                fetcher.get(site.url(path))
        assert fetcher.stats.snapshot().bytes < 100_000  # the big body was never read


def test_deflate_is_decoded_in_both_spellings(site: Site, fast: Settings) -> None:
    raw = zlib.compressobj(wbits=-15)
    site.routes["/zlib"] = Reply(
        zlib.compress(b"zlib body"), headers={"Content-Encoding": "deflate"}
    )
    site.routes["/raw"] = Reply(raw.compress(b"raw body") + raw.flush(),
                                headers={"Content-Encoding": "deflate"})  # fmt: skip
    with Fetcher(fast) as fetcher:
        assert fetcher.get(site.url("/zlib")).body == b"zlib body"
        assert fetcher.get(site.url("/raw")).body == b"raw body"


def test_5xx_is_retried_with_exponential_back_off(site: Site, fast: Settings) -> None:
    answers = iter([Reply(status=503, validators=False), Reply(status=502, validators=False),
                    Reply(b"finally")])  # fmt: skip
    site.routes["/wobbly"] = lambda seen: next(answers)
    with Fetcher(fast.with_(fetch_retries=2, fetch_backoff=0.1)) as fetcher:
        assert fetcher.get(site.url("/wobbly")).body == b"finally"
    times = [s.at for s in site.log]
    assert times[1] - times[0] >= 0.1 and times[2] - times[1] >= 0.2  # 0.1 s, then doubled


def test_retry_after_is_honoured(site: Site, fast: Settings) -> None:
    answers = iter([Reply(status=429, headers={"Retry-After": "1"}, validators=False),
                    Reply(b"now")])  # fmt: skip
    site.routes["/limited"] = lambda seen: next(answers)
    with Fetcher(fast.with_(fetch_retries=1, fetch_backoff=0.0)) as fetcher:
        assert fetcher.get(site.url("/limited")).body == b"now"
    assert site.log[1].at - site.log[0].at >= 0.95


def test_a_long_retry_after_is_not_waited_for(site: Site, fast: Settings) -> None:
    site.routes["/later"] = Reply(status=503, headers={"Retry-After": "3600"}, validators=False)
    with Fetcher(fast.with_(fetch_retries=3)) as fetcher, pytest.raises(FetchError) as caught:
        fetcher.get(site.url("/later"))
    assert caught.value.retry_after == 3600 and "asks to wait 3600 s" in caught.value.reason
    assert len(site.log) == 1


def test_retry_after_parses_seconds_and_dates() -> None:
    from datetime import UTC, datetime

    now = datetime(2024, 3, 5, 12, 0, tzinfo=UTC)
    assert retry_after("120", now) == 120
    assert retry_after("Tue, 05 Mar 2024 12:01:30 GMT", now) == 90
    assert retry_after("soon", now) is None and retry_after(None, now) is None


def test_one_request_at_a_time_per_host_with_a_minimum_delay(site: Site, fast: Settings) -> None:
    site.routes["/p"] = Reply(b"page", delay=0.1)
    with Fetcher(fast.with_(fetch_host_delay=0.15)) as fetcher:
        threads = [threading.Thread(target=fetcher.get, args=(site.url("/p"),)) for _ in range(3)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    spans = sorted((s.at, s.done) for s in site.log)
    assert len(spans) == 3
    for (_, end), (start, _) in itertools.pairwise(spans):
        assert start >= end + 0.14  # never overlapping, and the delay between them


def test_robots_txt_disallowing_a_path(site: Site, fast: Settings) -> None:
    site.routes["/robots.txt"] = Reply(
        b"User-agent: *\nDisallow: /private/\n\nUser-agent: storyline\nDisallow: /no-bots/\n"
    )
    with Fetcher(fast) as fetcher:
        robots = fetcher.robots
        assert robots.allowed(site.url("/news/1"), USER)
        assert not robots.allowed(site.url("/no-bots/2"), USER)
        assert robots.allowed(site.url("/private/3"), USER)  # the storyline group applies
    assert site.paths() == ["/robots.txt"]  # fetched once, then cached


def test_robots_txt_missing_allows_and_failing_disallows(site: Site, fast: Settings) -> None:
    with Fetcher(fast) as fetcher:
        assert fetcher.robots.allowed(site.url("/a"), USER)  # 404: no rules
    site.routes["/robots.txt"] = Reply(status=500, validators=False)
    with Fetcher(fast) as fetcher:
        assert not fetcher.robots.allowed(site.url("/a"), USER)  # unreachable: wait


def test_links_to_loopback_are_refused_before_and_at_connect(site: Site, fast: Settings) -> None:
    site.routes["/inside"] = Reply(b"secret")
    with Fetcher(fast) as fetcher:
        with pytest.raises(BlockedError, match="non-public address"):
            fetcher.get(site.url("/inside"), policy=LINKS)
        # the connection itself checks the address it opens (DNS rebinding): the client
        # for links refuses even when the URL check is skipped
        with pytest.raises(BlockedError, match="non-public address"):
            fetcher.client(LINKS).get(site.url("/inside"))
        assert fetcher.get(site.url("/inside"), policy=USER).body == b"secret"
    assert site.paths() == ["/inside"]  # only the request the user's policy allowed
