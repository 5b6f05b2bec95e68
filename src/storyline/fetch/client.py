"""The HTTP client of ``storyline watch``: httpx with storyline's limits.

Every request sends a User-Agent naming storyline and its version, asks for gzip or deflate
only, and never follows a redirect by itself: ``Fetcher.get`` follows at most
``fetch_max_redirects`` of them, only to http(s) URLs, checks each hop (``safety``), and stops
at a loop. A request takes its host's slot (``politeness.HostGate``: one request at a time per
host, a minimum delay) and is retried on 429/5xx after the server's Retry-After or an
exponential back-off, when that wait is short enough (``fetch_max_wait``). The body is
streamed and decompressed here, chunk by chunk with a bound, so neither a huge response nor a
small compressed one that inflates enormously (a gzip bomb) can take more than
``fetch_max_bytes`` of memory; ``fetch_timeout`` bounds the whole request. Conditional GET:
``Validators`` (ETag, Last-Modified) become If-None-Match / If-Modified-Since, and an
unchanged resource costs one 304 with no body. Cookies are never kept; proxy environment
variables are ignored (setting ``fetch_proxy``). Errors are ``FetchError``s with a reason.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from http.cookiejar import CookieJar, DefaultCookiePolicy
from importlib import metadata
from typing import Self
from urllib.parse import urljoin, urlsplit

import httpcore
import httpx

from storyline.config import Settings
from storyline.errors import BlockedError, FetchError, StoppedError
from storyline.fetch.decode import Inflater, TooLarge
from storyline.fetch.politeness import RETRY_STATUSES, HostGate, backoff, retry_after
from storyline.fetch.robots import Robots
from storyline.fetch.safety import USER, GuardedBackend, Policy, check_url

REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
ACCEPT = {
    "feed": "application/atom+xml, application/rss+xml, application/xml;q=0.9, "
    "text/xml;q=0.9, */*;q=0.5",
    "page": "text/html, application/xhtml+xml;q=0.9, */*;q=0.5",
    "robots": "text/plain, */*;q=0.5",
}
_CHUNK = 64 * 1024


def user_agent(settings: Settings) -> str:
    """The User-Agent header: the setting, or storyline/<version> and what it is."""
    if settings.fetch_user_agent.strip():
        return settings.fetch_user_agent.strip()
    try:
        version = metadata.version("storyline")
    except metadata.PackageNotFoundError:
        version = "0"
    return f"storyline/{version} (news story clustering; feed reader) httpx/{httpx.__version__}"


@dataclass(frozen=True, slots=True)
class Validators:
    """What a server said about a resource's version, for a conditional GET."""

    etag: str | None = None
    last_modified: str | None = None

    def headers(self) -> dict[str, str]:
        found = {}
        if self.etag:
            found["If-None-Match"] = self.etag
        if self.last_modified:
            found["If-Modified-Since"] = self.last_modified
        return found


@dataclass(frozen=True, slots=True)
class Fetched:
    """One answered request: ``final_url`` is where redirects led; ``body`` is decoded."""

    url: str
    final_url: str
    status: int
    body: bytes
    etag: str | None = None
    last_modified: str | None = None
    content_type: str = ""

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    @property
    def validators(self) -> Validators:
        return Validators(self.etag, self.last_modified)


@dataclass(frozen=True, slots=True)
class FetchCounts:
    """Requests made (all, by purpose, answered 304) and body bytes received on the wire."""

    requests: int = 0
    feeds: int = 0
    pages: int = 0
    robots: int = 0
    not_modified: int = 0
    bytes: int = 0

    def minus(self, earlier: FetchCounts) -> FetchCounts:
        return FetchCounts(
            *(getattr(self, f) - getattr(earlier, f) for f in FetchCounts.__dataclass_fields__)
        )


@dataclass(slots=True)
class FetchStats:
    """Counters shared by the threads of one Fetcher."""

    counts: FetchCounts = field(default_factory=FetchCounts)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, purpose: str, status: int, nbytes: int) -> None:
        with self.lock:
            c = self.counts
            self.counts = FetchCounts(
                c.requests + 1,
                c.feeds + (purpose == "feed"),
                c.pages + (purpose == "page"),
                c.robots + (purpose == "robots"),
                c.not_modified + (status == 304),
                c.bytes + nbytes,
            )

    def snapshot(self) -> FetchCounts:
        with self.lock:
            return self.counts


class _GuardedTransport(httpx.HTTPTransport):
    """httpx's transport with a connection pool that connects only to the addresses
    ``policy`` allows (checked on the addresses the socket is opened to)."""

    def __init__(self, policy: Policy) -> None:
        super().__init__(trust_env=False)
        self._pool = httpcore.ConnectionPool(
            ssl_context=httpx.create_ssl_context(trust_env=False),
            max_connections=100,
            max_keepalive_connections=20,
            keepalive_expiry=5.0,
            network_backend=GuardedBackend(policy),
        )


@dataclass(frozen=True, slots=True)
class _Answer:
    status: int
    headers: httpx.Headers
    body: bytes


class Fetcher:
    """Polite, bounded HTTP GETs (thread-safe: one Fetcher serves every worker thread)."""

    def __init__(self, settings: Settings, stop: threading.Event | None = None) -> None:
        self.settings = settings
        self.stop = stop or threading.Event()
        self.gate = HostGate(settings.fetch_host_delay, self.stop)
        self.stats = FetchStats()
        self.robots = Robots(self)
        self._proxy = settings.fetch_proxy.strip() or None
        self._common = {
            "timeout": httpx.Timeout(settings.fetch_timeout),
            "follow_redirects": False,
            "trust_env": False,
            "cookies": CookieJar(policy=DefaultCookiePolicy(allowed_domains=[])),
            "headers": {"User-Agent": user_agent(settings), "Accept-Encoding": "gzip, deflate"},
        }
        self._open = httpx.Client(proxy=self._proxy, **self._common)  # type: ignore[arg-type]
        self._clients: dict[Policy, httpx.Client] = {}
        self._clients_lock = threading.Lock()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._open.close()
        for client in self._clients.values():
            client.close()

    def client(self, policy: Policy) -> httpx.Client:
        """The httpx client for ``policy``: one whose connections check addresses, unless
        the policy allows every address or a proxy is used (then the URL check is all)."""
        if not policy.checks or self._proxy:
            return self._open
        with self._clients_lock:
            if policy not in self._clients:
                transport = _GuardedTransport(policy)
                self._clients[policy] = httpx.Client(transport=transport, **self._common)  # type: ignore[arg-type]
            return self._clients[policy]

    def get(
        self,
        url: str,
        *,
        policy: Policy = USER,
        validators: Validators | None = None,
        purpose: str = "feed",
        raise_for_status: bool = True,
        max_bytes: int | None = None,
        retries: int | None = None,
    ) -> Fetched:
        """GET ``url``: redirects followed and checked, 429/5xx retried, the body bounded.
        A 304 is returned (``not_modified``); other statuses outside 2xx raise FetchError
        unless ``raise_for_status`` is False."""
        limit = self.settings.fetch_max_bytes if max_bytes is None else max_bytes
        headers = {"Accept": ACCEPT.get(purpose, "*/*"), **(validators or Validators()).headers()}
        current = check_url(url, policy)
        seen = {current}
        for _hop in range(self.settings.fetch_max_redirects + 1):
            answer = self._with_retries(current, headers, policy, purpose, limit, retries)
            location = answer.headers.get("location")
            if answer.status in REDIRECT_STATUSES and location:
                target = urljoin(current, location.strip())
                try:
                    target = check_url(target, policy)
                except BlockedError as exc:
                    raise BlockedError(url, f"redirected to {target[:200]}: {exc.reason}") from None
                if target in seen:
                    raise FetchError(url, f"redirect loop: {current} leads back to {target}")
                seen.add(target)
                current = target
                continue
            if answer.status != 304 and not 200 <= answer.status < 300 and raise_for_status:
                raise FetchError(
                    url, _status_reason(answer.status, current != url, current),
                    transient=answer.status in RETRY_STATUSES, status=answer.status,
                )  # fmt: skip
            return Fetched(
                url=url,
                final_url=current,
                status=answer.status,
                body=answer.body,
                etag=answer.headers.get("etag"),
                last_modified=answer.headers.get("last-modified"),
                content_type=answer.headers.get("content-type", ""),
            )
        raise FetchError(url, f"more than {self.settings.fetch_max_redirects} redirects "
                         "(setting fetch_max_redirects)")  # fmt: skip

    def _with_retries(
        self,
        url: str,
        headers: dict[str, str],
        policy: Policy,
        purpose: str,
        limit: int,
        retries: int | None,
    ) -> _Answer:
        host = (urlsplit(url).netloc or url).lower()
        tries = self.settings.fetch_retries if retries is None else retries
        for attempt in range(max(0, tries) + 1):
            with self.gate.slot(host):
                answer = self._once(url, headers, policy, purpose, limit)
            if answer.status not in RETRY_STATUSES:
                return answer
            asked = retry_after(answer.headers.get("retry-after"))
            wait = backoff(attempt, self.settings.fetch_backoff) if asked is None else asked
            if attempt >= tries or wait > self.settings.fetch_max_wait:
                if asked is not None and asked > self.settings.fetch_max_wait:
                    raise FetchError(
                        url, f"HTTP {answer.status}; the server asks to wait {asked:.0f} s "
                        "(longer than setting fetch_max_wait): polled again after that",
                        transient=True, status=answer.status, retry_after=asked,
                    )  # fmt: skip
                return answer
            self.gate.defer(host, wait)
        raise AssertionError("unreachable")  # pragma: no cover

    def _once(
        self, url: str, headers: dict[str, str], policy: Policy, purpose: str, limit: int
    ) -> _Answer:
        if self.stop.is_set():
            raise StoppedError(url, "not fetched: storyline is stopping")
        client = self.client(policy)
        timeout = self.settings.fetch_timeout
        deadline = time.monotonic() + timeout
        status, nbytes = 0, 0
        try:
            with client.stream("GET", url, headers=headers) as response:
                status = response.status_code
                try:
                    if not 200 <= status < 300:
                        return _Answer(status, response.headers, b"")
                    declared = response.headers.get("content-length", "")
                    if declared.isdigit() and int(declared) > limit:
                        raise TooLarge
                    body = self._read(response, url, limit, deadline)
                    return _Answer(status, response.headers, body)
                finally:
                    nbytes = response.num_bytes_downloaded
        except TooLarge:
            raise FetchError(
                url, f"response is over {limit:,} bytes (setting fetch_max_bytes)"
            ) from None
        except httpx.TimeoutException:
            raise FetchError(
                url, f"timed out after {timeout:g} s (setting fetch_timeout)", transient=True
            ) from None
        except BlockedError as exc:
            raise BlockedError(url, exc.reason) from None
        except FetchError as exc:
            raise FetchError(url, exc.reason, transient=exc.transient) from None
        except httpx.InvalidURL as exc:
            # also raised by httpx for a redirect whose Location is no valid http(s) URL
            raise BlockedError(url, f"invalid URL, or a redirect to one ({exc})") from None
        except httpx.HTTPError as exc:
            detail = str(exc) or type(exc).__name__
            raise FetchError(url, f"network error: {detail}", transient=True) from None
        finally:
            self.stats.add(purpose, status, nbytes)

    def _read(self, response: httpx.Response, url: str, limit: int, deadline: float) -> bytes:
        inflater = Inflater(response.headers.get("content-encoding"), url)
        chunks: list[bytes] = []
        size = 0
        for raw in response.iter_raw(_CHUNK):
            if time.monotonic() > deadline:
                raise httpx.ReadTimeout("body not received in time")
            if response.num_bytes_downloaded > limit:
                raise TooLarge
            out = inflater.feed(raw, limit - size)
            size += len(out)
            chunks.append(out)
        chunks.append(inflater.finish(limit - size))
        return b"".join(chunks)

    def __repr__(self) -> str:
        return f"Fetcher(user_agent={user_agent(self.settings)!r})"


def _status_reason(status: int, redirected: bool, final: str) -> str:
    phrase = httpx.codes.get_reason_phrase(status)
    where = f" (at {final[:200]})" if redirected else ""
    return f"HTTP {status}{' ' + phrase if phrase else ''}{where}"
