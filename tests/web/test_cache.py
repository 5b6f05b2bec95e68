"""Kept responses (storyline.web.cache): served again only while the database is unchanged."""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from storyline import api
from storyline.config import Settings
from storyline.store import Store
from storyline.web.app import create_app
from storyline.web.cache import ResponseCache


@pytest.fixture
def db(hostile_corpus_db: Path, tmp_path: Path) -> Path:
    target = tmp_path / "copy.db"
    shutil.copyfile(hostile_corpus_db, target)
    return target


class Counting:
    """A real ASGI app answering every request with its count so far (200, or 404 on
    /missing)."""

    def __init__(self) -> None:
        self.calls = 0

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        self.calls += 1
        status = 404 if scope["path"] == "/missing" else 200
        await send({"type": "http.response.start", "status": status, "headers": []})
        await send({"type": "http.response.body", "body": str(self.calls).encode()})


def _get(app: ResponseCache, path: str, query: bytes = b"", cookie: bytes = b"",
         method: str = "GET", conditional: bool = False) -> tuple[int, bytes]:  # fmt: skip
    sent: list[dict[str, Any]] = []

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b""}

    headers = [(b"host", b"127.0.0.1")] + ([(b"cookie", cookie)] if cookie else [])
    headers += [(b"If-None-Match", b'"x"')] if conditional else []
    scope = {"type": "http", "method": method, "path": path, "query_string": query,
             "headers": headers}  # fmt: skip
    asyncio.run(app(scope, receive, send))
    return int(sent[0]["status"]), b"".join(m.get("body", b"") for m in sent[1:])


def test_a_page_is_kept_until_another_connection_commits(db: Path) -> None:
    inner = Counting()
    cache = ResponseCache(inner, str(db), cookies=("storyline_seen",))
    assert _get(cache, "/") == (200, b"1")
    assert _get(cache, "/") == (200, b"1")  # kept
    assert _get(cache, "/", b"page=2") == (200, b"2")  # another query is another page
    assert _get(cache, "/", cookie=b"other=1; storyline_seen=x") == (200, b"3")
    assert _get(cache, "/", cookie=b"other=2") == (200, b"1")  # other cookies do not count
    with Store(db) as store:  # a writer commits
        store.db.execute("UPDATE story_list SET title = title || ''")
        store.db.commit()
    assert _get(cache, "/") == (200, b"4")
    assert _get(cache, "/") == (200, b"4")
    assert (cache.hits, cache.misses) == (3, 4)


def test_only_successful_gets_are_kept_and_the_oldest_go_first(db: Path) -> None:
    inner = Counting()
    cache = ResponseCache(inner, str(db), entries=2)
    assert _get(cache, "/missing")[0] == 404
    assert _get(cache, "/missing")[0] == 404
    assert inner.calls == 2
    _get(cache, "/", method="POST")
    _get(cache, "/", method="POST")
    assert inner.calls == 4
    for path in ("/a", "/b", "/c"):
        _get(cache, path)
    assert _get(cache, "/c") == (200, b"7") and _get(cache, "/a") == (200, b"8")
    _get(cache, "/c", conditional=True)
    assert inner.calls == 9  # a conditional request is the app's to answer


def test_an_unreadable_database_keeps_nothing(tmp_path: Path) -> None:
    inner = Counting()
    cache = ResponseCache(inner, str(tmp_path / "absent.db"))
    assert [_get(cache, "/") for _ in range(2)] == [(200, b"1"), (200, b"2")]


def test_served_pages_follow_a_rename_at_once(db: Path) -> None:
    """The real app: the story list is kept, and a rename by another process shows on the
    next request."""
    with TestClient(create_app(str(db)), base_url="http://127.0.0.1") as client:
        first = client.get("/")
        assert first.status_code == 200 and "Northgate Courier" in first.text
        assert client.get("/").text == first.text
        api.outlets(Settings().with_(db=str(db)), rename=("Northgate Courier", "Northgate Daily"))
        after = client.get("/")
        assert "Northgate Daily" in after.text and "Northgate Courier" not in after.text
        assert client.get("/", headers={"host": "evil.example"}).status_code == 400
