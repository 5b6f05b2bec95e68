"""The /timeline page: a topic timeline over stored articles, escaped, with the headers."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from storyline import api
from storyline.config import Settings
from storyline.report.audit import active_content
from storyline.store import Store
from storyline.web.app import create_app


@pytest.fixture(scope="module")
def client(hostile_corpus_db: Path) -> Iterator[TestClient]:
    app = create_app(str(hostile_corpus_db))
    with TestClient(app, base_url="http://127.0.0.1") as test_client:
        yield test_client


def test_timeline_of_a_search_lists_days_with_citation_links(
    client: TestClient, hostile_corpus_db: Path
) -> None:
    page = client.get("/timeline", params={"q": "strike"})
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    with Store(hostile_corpus_db, readonly=True) as store:
        found = api.stored_timeline(store, Settings(), query="strike")
    assert found.days and found.articles > 0
    days = re.findall(r'<span class="when">(\d{4}-\d\d-\d\d)</span>', page.text)
    assert days == [d.date for d in found.days]
    for day in found.days:
        for sentence in day.sentences:
            c = sentence.citations[0]
            assert f"/articles/{c.article}?s={c.sentence}" in page.text.replace("&amp;", "&")
    few = client.get("/timeline", params={"q": "strike", "dates": 1, "per_date": 1}).text
    assert len(re.findall(r'<span class="when">', few)) == 1


def test_entity_timeline_and_empty_or_bad_requests(client: TestClient) -> None:
    named = client.get("/timeline", params={"entity": "Halvergate"})
    assert named.status_code == 200 and '<span class="when">2024-03-1' in named.text
    assert "Search for words" in client.get("/timeline").text
    nothing = client.get("/timeline", params={"q": "zzzunknownword"})
    assert nothing.status_code == 200 and "No dated events found" in nothing.text
    assert (
        client.get("/timeline", params={"q": " ".join(f"w{i}" for i in range(40))}).status_code
        == 400
    )
    assert client.get("/timeline", params={"q": "x", "dates": 0}).status_code == 422
    assert client.get("/timeline", params={"q": '"*)( '}).status_code == 200  # no FTS5 syntax


def test_timeline_page_escapes_and_sets_security_headers(client: TestClient) -> None:
    page = client.get("/timeline", params={"q": "<script>alert(1)</script> Halvergate"})
    html = page.text
    assert active_content(html) == []
    assert "<script>alert" not in html and "<img" not in html and "<b onclick" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html  # the query, shown as text
    evil = client.get("/timeline", params={"entity": "Halvergate"}).text
    assert active_content(evil) == [] and "<img src=x" not in evil
    csp = page.headers["content-security-policy"]
    assert "default-src 'self'" in csp and "unsafe-inline" not in csp
    assert page.headers["x-content-type-options"] == "nosniff"
