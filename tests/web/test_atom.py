"""The Atom feed of stories: served at /feeds/stories.atom and written by the static report;
valid Atom (feedparser), one entry per story, escaped, filtered like the story list."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import feedparser
import pytest
from fastapi.testclient import TestClient

from storyline.config import Settings
from storyline.report.atom import AtomLinks, stories_atom
from storyline.report.audit import active_content
from storyline.report.html import write_report
from storyline.report.queries import StoryFilter, story_rows
from storyline.report.views import Urls
from storyline.store import Store
from storyline.web.app import create_app

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(scope="module")
def client(hostile_corpus_db: Path) -> Iterator[TestClient]:
    with TestClient(create_app(str(hostile_corpus_db)), base_url="http://127.0.0.1") as client:
        yield client


def test_served_feed_has_one_valid_entry_per_story(
    client: TestClient, hostile_corpus_db: Path
) -> None:
    answer = client.get("/feeds/stories.atom")
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "application/atom+xml"
    parsed = feedparser.parse(answer.content)
    assert not parsed.bozo and parsed.version == "atom10"
    with Store(hostile_corpus_db, readonly=True) as store:
        rows = {row.id: row for row in story_rows(store).rows}
        updated = dict(store.db.execute("SELECT id, updated_at FROM stories").fetchall())
    assert len(parsed.entries) == len(rows) > 0
    assert parsed.feed.links[0]["href"] == "http://127.0.0.1/feeds/stories.atom"
    for entry in parsed.entries:
        story = entry.id.removeprefix("urn:storyline:story:")
        row = rows[story]
        assert entry.title == row.title
        assert entry.link == f"http://127.0.0.1/stories/{story}"
        assert entry.updated.startswith(updated[story][:19])
        counts = f"{row.articles} article{'s' * (row.articles != 1)} from {row.sources} "
        assert entry.summary.startswith(counts)
        assert counts in entry.content[0].value
    times = [e.updated for e in parsed.entries]
    assert times == sorted(times, reverse=True)  # the latest changed first


def test_entry_content_is_escaped_html_linking_only_http_urls(client: TestClient) -> None:
    root = ET.fromstring(client.get("/feeds/stories.atom").content)
    contents = [e.find(f"{ATOM}content") for e in root.iter(f"{ATOM}entry")]
    assert all(c is not None and c.get("type") == "html" for c in contents)
    html = "".join(c.text or "" for c in contents if c is not None)
    assert "<li>" in html and 'href="http://127.0.0.1/stories/' in html
    assert active_content(html) == []
    assert "<script>" not in html and "&lt;script&gt;" in html  # the hostile article's text
    assert "javascript:" not in html
    for href in re.findall(r'href="([^"]*)"', html):
        assert href.startswith(("http://", "https://")), href


def test_feed_filters_like_the_story_list(client: TestClient, hostile_corpus_db: Path) -> None:
    with Store(hostile_corpus_db, readonly=True) as store:
        expected = {r.id for r in story_rows(store, StoryFilter(query="Ferrandiz")).rows}
    parsed = feedparser.parse(client.get("/feeds/stories.atom", params={"q": "Ferrandiz"}).content)
    assert {e.id.removeprefix("urn:storyline:story:") for e in parsed.entries} == expected
    assert "Ferrandiz" in parsed.feed.title and "q=Ferrandiz" in parsed.feed.id
    assert client.get("/feeds/stories.atom", params={"since": "soon"}).status_code == 400
    outlet = client.get("/feeds/stories.atom", params={"outlet": "no such outlet"})
    assert feedparser.parse(outlet.content).entries == []


def test_feed_answers_conditional_requests(client: TestClient) -> None:
    first = client.get("/feeds/stories.atom")
    again = client.get("/feeds/stories.atom", headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304 and again.content == b""


def test_static_report_writes_stories_atom(tmp_path: Path, hostile_corpus_db: Path) -> None:
    with Store(hostile_corpus_db, readonly=True) as store:
        write_report(store, tmp_path / "out")
        count = store.count("stories")
    parsed = feedparser.parse((tmp_path / "out" / "stories.atom").read_bytes())
    assert not parsed.bozo and len(parsed.entries) == count
    for entry in parsed.entries:  # links relative to the report folder, to pages that exist
        assert (tmp_path / "out" / entry.link).is_file(), entry.link


def test_hostile_story_fields_are_escaped_and_control_characters_dropped(tmp_path: Path) -> None:
    evil = 'Toll <script>alert(1)</script> & "x" \x01\x0b ]]> rises'
    report = {
        "id": "s1", "title": evil, "articles": ["a1"], "reuse": [], "conflicts": [],
        "summary": [{"text": evil, "citations": [{"article": "a1", "sentence": 0}], "sources": 1}],
    }  # fmt: skip
    with Store(tmp_path / "t.db") as store:
        store.db.execute(
            "INSERT INTO articles(id, source, url, text, ingested_at) VALUES"
            " ('a1', 'Evil <b>Outlet</b>', 'javascript:alert(1)', 'text', '2024-03-05')"
        )
        store.db.execute(
            "INSERT INTO stories(id, title, first_seen, last_seen, report, updated_at)"
            " VALUES ('s1', ?, '2024-03-05', '2024-03-05', ?, '2024-03-06T10:00:00+00:00')",
            (evil, json.dumps(report)),
        )
        body = stories_atom(store, StoryFilter(), AtomLinks(Urls(static_site=True)), Settings())
    root = ET.fromstring(body)  # well-formed despite the control characters
    (entry,) = root.iter(f"{ATOM}entry")
    assert entry.findtext(f"{ATOM}title") == 'Toll <script>alert(1)</script> & "x"  ]]> rises'
    assert entry.findtext(f"{ATOM}updated") == "2024-03-06T10:00:00Z"
    html = entry.findtext(f"{ATOM}content") or ""
    assert "&lt;script&gt;" in html and "<script>" not in html
    assert "Evil &lt;b&gt;Outlet&lt;/b&gt;" in html and "javascript:" not in html
    assert active_content(html) == []
    assert not feedparser.parse(body).bozo
