"""Rendered responses kept while the database has not changed.

Many readers ask for the same few pages (the story list, its first pages, the API's story
list, common searches), and each costs ~10-20 ms of one core to query and render. A
response to a GET is kept, keyed by its path, query string and the cookies the pages read,
as long as the database is unchanged: SQLite's ``PRAGMA data_version`` on one connection
kept open by the server changes whenever another connection (``storyline run``, ``watch``,
an edit) commits. So a reader never gets a page older than the last commit when it asked;
a writer that commits every few seconds just makes the kept pages expire that often.

Conditional requests (``If-None-Match``...) go to the app, which answers them (the Atom
feed's 304s). Only successful (200) responses of a bounded size are kept, at most
``entries`` of them, the least recently used dropped first. The key holds the ``Host``
header too, and the middleware sits inside the Host check, so what it serves was rendered
for an allowed host.
"""

from __future__ import annotations

import sqlite3
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

from storyline.web.security import ASGIApp, Message, Receive, Scope, Send

MAX_BODY = 2_000_000


class DataVersion:
    """A read-only connection to the database whose ``data_version`` changes when another
    connection commits (None when the database cannot be read: then nothing is kept)."""

    def __init__(self, db_path: str) -> None:
        self.path = Path(db_path)
        self._conn: sqlite3.Connection | None = None

    def current(self) -> int | None:
        try:
            if self._conn is None:
                uri = f"{self.path.resolve().as_uri()}?mode=ro"
                self._conn = sqlite3.connect(uri, uri=True, check_same_thread=False)
            return int(self._conn.execute("PRAGMA data_version").fetchone()[0])
        except sqlite3.Error:
            self.close()
            return None

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None


@dataclass(frozen=True, slots=True)
class Kept:
    version: int
    start: Message
    body: bytes


class ResponseCache:
    """ASGI middleware keeping GET responses of ``app`` while the database is unchanged;
    ``cookies`` are the names of the cookies that change what a page shows."""

    def __init__(
        self, app: ASGIApp, db_path: str, cookies: tuple[str, ...] = (), entries: int = 512
    ) -> None:
        self.app = app
        self.cookies = cookies
        self.version = DataVersion(db_path)
        self.entries = entries
        self.kept: OrderedDict[tuple[str, ...], Kept] = OrderedDict()
        self.hits = 0
        self.misses = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("method") != "GET" or _conditional(scope):
            await self.app(scope, receive, send)
            return
        version = self.version.current()
        if version is None:
            await self.app(scope, receive, send)
            return
        key = _key(scope, self.cookies)
        found = self.kept.get(key)
        if found is not None and found.version == version:
            self.hits += 1
            self.kept.move_to_end(key)
            await send(dict(found.start))
            await send({"type": "http.response.body", "body": found.body})
            return
        self.misses += 1
        start: Message = {}
        parts: list[bytes] = []
        size = 0

        async def keep(message: Message) -> None:
            nonlocal start, size
            if message["type"] == "http.response.start":
                start = dict(message)
            elif message["type"] == "http.response.body" and size <= MAX_BODY:
                body = bytes(message.get("body", b""))
                parts.append(body)
                size += len(body)
                if not message.get("more_body", False) and start.get("status") == 200:
                    self._store(key, Kept(version, start, b"".join(parts)))
            await send(message)

        await self.app(scope, receive, keep)

    def _store(self, key: tuple[str, ...], kept: Kept) -> None:
        if len(kept.body) > MAX_BODY:
            return
        self.kept[key] = kept
        self.kept.move_to_end(key)
        while len(self.kept) > self.entries:
            self.kept.popitem(last=False)


def _key(scope: Scope, cookies: tuple[str, ...]) -> tuple[str, ...]:
    """Path, query string, Host and the ``cookies`` of a request."""
    headers = {k.lower(): v for k, v in scope.get("headers", [])}
    sent = headers.get(b"cookie", b"").decode("latin-1")
    varying = sorted(
        part.strip() for part in sent.split(";") if part.strip().split("=", 1)[0] in cookies
    )
    return (
        str(scope.get("path", "")),
        bytes(scope.get("query_string", b"")).decode("latin-1"),
        headers.get(b"host", b"").decode("latin-1"),
        *varying,
    )


_CONDITIONS = {b"if-none-match", b"if-modified-since", b"if-match", b"if-unmodified-since"}


def _conditional(scope: Scope) -> bool:
    """Whether a request is conditional (the app answers those itself, with 304s)."""
    return any(k.lower() in _CONDITIONS for k, _ in scope.get("headers", []))
