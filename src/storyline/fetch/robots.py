"""robots.txt for article pages, fetched once per host and kept for a day.

Follows RFC 9309: a robots.txt answered 4xx (none there) allows everything; one that cannot be
had (5xx, timeout, network error) disallows the whole host until it is asked again, ten
minutes later. Rules are matched for the product token ``storyline`` (else ``*``) by the
standard library's parser; a Crawl-delay becomes that host's minimum delay between requests.
Feeds and sitemaps the user named are not checked: robots.txt is about crawling pages.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlsplit, urlunsplit
from urllib.robotparser import RobotFileParser

from storyline.errors import BlockedError, FetchError
from storyline.fetch.safety import Policy

if TYPE_CHECKING:
    from storyline.fetch.client import Fetcher

TOKEN = "storyline"
ROBOTS_MAX_BYTES = 512_000
FOUND_TTL = 24 * 3600.0
UNAVAILABLE_TTL = 600.0


@dataclass(frozen=True, slots=True)
class _Rules:
    parser: RobotFileParser | None  # None: everything allowed
    deny_all: bool
    expires: float


class Robots:
    """The robots.txt rules of every host a Fetcher asks about (thread-safe)."""

    def __init__(self, fetcher: Fetcher) -> None:
        self.fetcher = fetcher
        self._guard = threading.Lock()
        self._locks: dict[str, threading.Lock] = {}
        self._rules: dict[str, _Rules] = {}

    def allowed(self, url: str, policy: Policy) -> bool:
        """Whether robots.txt of ``url``'s host lets storyline fetch it."""
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}".lower()
        with self._guard:
            lock = self._locks.setdefault(origin, threading.Lock())
        with lock:
            rules = self._rules.get(origin)
            if rules is None or rules.expires < time.monotonic():
                rules = self._load(origin, policy)
                self._rules[origin] = rules
        if rules.deny_all:
            return False
        if rules.parser is None:
            return True
        return rules.parser.can_fetch(TOKEN, url)

    def _load(self, origin: str, policy: Policy) -> _Rules:
        robots_url = urlunsplit((*urlsplit(origin)[:2], "/robots.txt", "", ""))
        now = time.monotonic()
        try:
            fetched = self.fetcher.get(
                robots_url,
                policy=policy,
                purpose="robots",
                raise_for_status=False,
                max_bytes=ROBOTS_MAX_BYTES,
                retries=0,
            )
        except FetchError as exc:
            # unreachable, or refused by the address checks: nothing may be fetched for now;
            # otherwise (too large, a redirect loop) it is treated as absent
            deny = exc.transient or isinstance(exc, BlockedError)
            return _Rules(None, deny, now + (UNAVAILABLE_TTL if deny else FOUND_TTL))
        if 400 <= fetched.status < 500:
            return _Rules(None, False, now + FOUND_TTL)
        if not 200 <= fetched.status < 300:
            return _Rules(None, True, now + UNAVAILABLE_TTL)
        parser = RobotFileParser(robots_url)
        parser.parse(fetched.body.decode("utf-8", errors="replace").splitlines())
        delay = parser.crawl_delay(TOKEN)
        if delay is not None:
            host = (urlsplit(origin).netloc or origin).lower()
            self.fetcher.gate.set_crawl_delay(host, float(delay))
        return _Rules(parser, False, now + FOUND_TTL)
