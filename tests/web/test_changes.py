"""The story list's "what changed" box: since the last poll, or since the reader marked
everything as seen (a cookie); new stories, stories with new articles, new conflicts."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from storyline.report.audit import active_content
from storyline.report.changes import changes_since
from storyline.store import Store
from storyline.web.app import SEEN_COOKIE, create_app

OLD, POLL, NEW = (
    "2024-03-01T08:00:00+00:00",
    "2024-03-05T12:00:00+00:00",
    "2024-03-05T12:01:00+00:00",
)
EVIL = "Flood <script>alert(1)</script> toll"


def _story(store: Store, sid: str, title: str, members: dict[str, str], conflict: str = "") -> None:
    for article, when in members.items():
        store.db.execute(
            "INSERT INTO articles(id, source, text, ingested_at, story) VALUES (?,?,?,?,?)",
            (article, "Outlet", f"text of {article}", when, sid),
        )
    conflicts = []
    if conflict:
        values = [{"value": 9, "articles": [a], "text": "nine"} for a in members]
        conflicts = [{"kind": "number", "topic": conflict, "values": values}]
    report = {"id": sid, "title": title, "articles": list(members), "summary": [], "timeline": [],
              "entities": [], "quotes": [], "claims": [], "conflicts": conflicts, "reuse": [],
              "first_seen": "2024-03-01", "last_seen": "2024-03-05"}  # fmt: skip
    store.db.execute(
        "INSERT INTO stories(id, title, first_seen, last_seen, report, updated_at)"
        " VALUES (?,?,?,?,?,?)",
        (sid, title, "2024-03-01", "2024-03-05", json.dumps(report), max(members.values())),
    )


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "changes.db"
    with Store(path) as store:
        _story(store, "old", "Old story", {"a1": OLD})
        _story(store, "grew", "Dam story", {"b1": OLD, "b2": NEW}, conflict="dead")
        _story(store, "fresh", EVIL, {"c1": NEW})
        store.db.execute(
            "INSERT INTO polls(started, finished, added) VALUES (?, ?, 2)", (POLL, NEW)
        )
    return path


@pytest.fixture
def client(db: Path) -> Iterator[TestClient]:
    with TestClient(create_app(str(db)), base_url="http://127.0.0.1") as test_client:
        yield test_client


def test_changes_since_the_last_poll(db: Path) -> None:
    with Store(db, readonly=True) as store:
        changes = changes_since(store, POLL, "the last poll")
    assert [s.id for s in changes.new_stories] == ["fresh"]
    assert [(s.id, s.new_articles, s.articles) for s in changes.grown] == [("grew", 1, 2)]
    assert [(s.id, s.topics) for s in changes.conflicts] == [("grew", ("dead",))]
    assert changes.totals == (1, 1, 1)


def test_story_list_shows_changes_escaped_and_marking_them_seen(client: TestClient) -> None:
    page = client.get("/")
    assert "What changed since the last poll" in page.text
    box = page.text[page.text.index('<section class="changes"') : page.text.index("</section>")]
    assert "1 new story" in box and "/stories/fresh" in box
    assert "1 story with new articles" in box and "Dam story</a> (+1)" in box
    assert "new conflicts in 1 story" in box and "(dead)" in box
    assert "&lt;script&gt;" in box and "<script>" not in box and active_content(box) == []
    assert "/stories/old" not in box

    seen = client.get("/seen", follow_redirects=False)
    assert seen.status_code == 303 and seen.headers["location"] == "/"
    cookie = seen.headers["set-cookie"]
    assert cookie.startswith(f"{SEEN_COOKIE}=") and "HttpOnly" in cookie and "strict" in cookie
    client.cookies.clear()  # the jar kept the cookie /seen set: send chosen ones instead
    client.cookies.set(SEEN_COOKIE, "2024-03-06T00:00:00+00:00")
    after = client.get("/")
    assert "What changed since your last visit" in after.text and "Nothing new." in after.text
    client.cookies.set(SEEN_COOKIE, "<b>not a time</b>")
    bogus = client.get("/")
    assert "since the last poll" in bogus.text  # an unusable cookie is ignored
    assert '<section class="changes"' not in client.get("/", params={"q": "dam"}).text
