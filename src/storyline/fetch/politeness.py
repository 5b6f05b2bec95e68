"""Politeness towards the servers polled: one request at a time per host, a minimum delay
between two requests to a host, Retry-After honoured, exponential back-off on 429/5xx.

``HostGate`` is shared by every thread of one watcher: a thread that wants to talk to a host
takes the host's slot (waiting for the other thread that holds it, then for the host's next
allowed time); when it is done the host's next allowed time is set ``delay`` seconds later.
A Retry-After or a back-off pushes that time further. Waiting ends early, with a
StoppedError, when the watcher is stopping.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

from storyline.errors import StoppedError

#: statuses answered by waiting and trying again
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
#: the longest Crawl-delay from robots.txt that is honoured, in seconds
MAX_CRAWL_DELAY = 30.0


class HostGate:
    """Per-host slots: one request at a time per host, ``delay`` seconds apart."""

    def __init__(self, delay: float, stop: threading.Event | None = None) -> None:
        self.delay = max(0.0, delay)
        self.stop = stop or threading.Event()
        self._guard = threading.Lock()
        self._locks: dict[str, threading.Lock] = {}
        self._next: dict[str, float] = {}
        self._delays: dict[str, float] = {}

    def _lock(self, host: str) -> threading.Lock:
        with self._guard:
            return self._locks.setdefault(host, threading.Lock())

    @contextmanager
    def slot(self, host: str) -> Iterator[None]:
        """Hold ``host``'s slot for one request."""
        with self._lock(host):
            while True:
                with self._guard:
                    wait = self._next.get(host, 0.0) - time.monotonic()
                if self.stop.is_set():
                    raise StoppedError(host, "not fetched: storyline is stopping")
                if wait <= 0:
                    break
                self.stop.wait(wait)
            try:
                yield
            finally:
                with self._guard:
                    delay = max(self.delay, self._delays.get(host, 0.0))
                    self._next[host] = max(self._next.get(host, 0.0), time.monotonic() + delay)

    def defer(self, host: str, seconds: float) -> None:
        """No request to ``host`` before ``seconds`` from now."""
        with self._guard:
            self._next[host] = max(self._next.get(host, 0.0), time.monotonic() + seconds)

    def set_crawl_delay(self, host: str, seconds: float) -> None:
        """A host's own minimum delay (robots.txt Crawl-delay), capped at MAX_CRAWL_DELAY."""
        with self._guard:
            self._delays[host] = min(max(0.0, seconds), MAX_CRAWL_DELAY)


def retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delay-seconds or an HTTP date); None when
    there is no usable value."""
    if not value:
        return None
    text = value.strip()
    if text.isdigit():
        return float(int(text))
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def backoff(attempt: int, base: float) -> float:
    """The wait before retry number ``attempt + 1``: ``base`` doubled ``attempt`` times."""
    return max(0.0, base) * (2.0 ** max(0, attempt))
