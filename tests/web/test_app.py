"""The web UI through FastAPI's TestClient: pages, filters, the JSON API, errors, security."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from storyline.report.audit import active_content
from storyline.schema import problems
from storyline.store import Store
from storyline.web.app import create_app


@pytest.fixture(scope="module")
def db(hostile_corpus_db: Path) -> Path:
    return hostile_corpus_db


@pytest.fixture(scope="module")
def client(db: Path) -> Iterator[TestClient]:
    with TestClient(create_app(str(db)), base_url="http://127.0.0.1") as test_client:
        yield test_client


@pytest.fixture(scope="module")
def reports(db: Path) -> list[dict[str, object]]:
    with Store(db, readonly=True) as store:
        return store.story_reports()


def story_ids(html: str) -> list[str]:
    return re.findall(
        r'<tr class="story-row">\s*<td class="title"><a href="/stories/([^"]+)"', html
    )


def test_story_list_newest_first(client: TestClient, reports: list[dict[str, object]]) -> None:
    page = client.get("/")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert story_ids(page.text) == [r["id"] for r in reports]
    assert '<form class="filters"' in page.text


def test_search_filters_stories_and_lists_article_hits(client: TestClient, db: Path) -> None:
    page = client.get("/", params={"q": "Ferrandiz"})
    with Store(db, readonly=True) as store:
        hits = store.search("Ferrandiz", 100)
    assert hits
    assert set(story_ids(page.text)) == {h.story for h in hits}
    assert "Matching articles" in page.text and f"/articles/{hits[0].article}" in page.text
    assert re.search(r"<mark>Ferr.ndiz</mark>", page.text)  # FTS5 match marked in the snippet
    assert story_ids(client.get("/", params={"q": "zzzunknownword"}).text) == []
    assert story_ids(client.get("/", params={"q": '"*)( '}).text) == []  # no FTS5 syntax error


def test_date_outlet_and_entity_filters(
    client: TestClient, db: Path, reports: list[dict[str, object]]
) -> None:
    since = client.get("/", params={"since": "2024-03-13"}).text
    assert set(story_ids(since)) == {
        r["id"] for r in reports if r["last_seen"] and str(r["last_seen"]) >= "2024-03-13"
    }
    until = client.get("/", params={"until": "2024-03-05"}).text
    assert set(story_ids(until)) == {
        r["id"] for r in reports if r["first_seen"] and str(r["first_seen"]) <= "2024-03-05"
    }
    with Store(db, readonly=True) as store:
        expected = {a.id for a in store.articles("WHERE source = ?", ["Northgate Courier"])}
        links = store.article_links()
    outlet = client.get("/", params={"outlet": "Northgate Courier"}).text
    assert set(story_ids(outlet)) == {links[a][0] for a in expected}
    named = client.get("/", params={"entity": "halvergate"}).text
    assert set(story_ids(named)) == {
        r["id"] for r in reports
        if any("halvergate" in n.lower() for e in r["entities"]  # type: ignore[attr-defined]
               for n in [e["name"], *e["aliases"]])
    }  # fmt: skip
    assert client.get("/", params={"since": "last week"}).status_code == 400


def test_story_page_links_citations_to_highlighted_sentences(
    client: TestClient, reports: list[dict[str, object]]
) -> None:
    story = max(reports, key=lambda r: len(r["articles"]))  # type: ignore[arg-type]
    page = client.get(f"/stories/{story['id']}")
    assert page.status_code == 200
    assert '<svg class="timeline-chart"' in page.text
    cite = re.search(r'<a class="cite" href="/articles/(\w+)\?s=(\d+)#s\d+"', page.text)
    assert cite is not None
    article, sentence = cite.groups()
    view = client.get(f"/articles/{article}", params={"s": sentence})
    assert view.status_code == 200
    assert f'<span class="sent hl" id="s{sentence}"' in view.text
    assert view.text.count('class="sent hl"') == 1


def test_json_api_returns_storyline_v1(
    client: TestClient, reports: list[dict[str, object]]
) -> None:
    listed = client.get("/api/stories", params={"per_page": 3}).json()
    assert listed["schema"] == "storyline/v1" and listed["total"] == len(reports)
    assert [s["id"] for s in listed["stories"]] == [r["id"] for r in reports[:3]]
    one = client.get(f"/api/stories/{reports[0]['id']}").json()
    assert problems(one) == [] and one["stories"] == [reports[0]]
    assert {a["id"] for a in one["articles"]} == set(reports[0]["articles"])  # type: ignore[arg-type]
    article_id = one["articles"][0]["id"]
    article = client.get(f"/api/articles/{article_id}").json()
    assert problems(article) == []
    item = article["articles"][0]
    assert (
        item["sentences"][0]["text"]
        == item["text"][: item["sentences"][0]["end"]][item["sentences"][0]["start"] :]
    )
    found = client.get("/api/search", params={"q": "Halvergate"}).json()
    assert found["hits"] and all("Halvergate" in (h["title"] or "") + h["snippet"]
                                 for h in found["hits"])  # fmt: skip
    spec = client.get("/openapi.json").json()
    assert {"/api/stories", "/api/stories/{story_id}", "/api/articles/{article_id}",
            "/api/search"} <= set(spec["paths"])  # fmt: skip


def test_not_found_and_bad_requests(client: TestClient) -> None:
    assert client.get("/stories/nope").status_code == 404
    assert "no story with id" in client.get("/stories/nope").text
    assert client.get("/articles/nope").status_code == 404
    assert client.get("/api/stories/nope").json() == {"error": "no story with id 'nope'"}
    assert client.get("/api/articles/nope").status_code == 404
    assert client.get("/static/../../store.py").status_code == 404
    assert client.get("/no/such/page").status_code == 404
    assert client.post("/api/stories").status_code == 405
    assert client.get("/api/stories", params={"per_page": 1000}).status_code == 422


def test_security_headers_and_hosts(client: TestClient, db: Path) -> None:
    page = client.get("/")
    csp = page.headers["content-security-policy"]
    assert "default-src 'self'" in csp and "script-src 'self';" in csp
    assert "unsafe-inline" not in csp and "object-src 'none'" in csp
    assert page.headers["x-content-type-options"] == "nosniff"
    assert page.headers["referrer-policy"] == "no-referrer"
    assert client.get("/api/stories").headers["x-content-type-options"] == "nosniff"
    docs = client.get("/docs")
    assert docs.status_code == 200 and "swagger" in docs.text.lower()
    inline = re.findall(r"<script>(.*?)</script>", docs.text, re.S)
    assert inline and "'sha256-" in docs.headers["content-security-policy"]
    assert "unsafe-inline" not in docs.headers["content-security-policy"].split("style-src")[0]
    other = TestClient(create_app(str(db)), base_url="http://evil.example")
    assert other.get("/").status_code == 400  # DNS rebinding: unknown Host header


def test_hostile_article_has_no_active_content(client: TestClient, db: Path) -> None:
    with Store(db, readonly=True) as store:
        (evil,) = list(store.articles("WHERE url = ?", ["javascript:alert(1)"]))
        story = store.article_links()[evil.id][0]
    pages = [
        client.get("/").text,
        client.get("/", params={"q": "alert"}).text,
        client.get("/", params={"outlet": evil.source}).text,
        client.get(f"/articles/{evil.id}", params={"s": 1}).text,
        client.get(f"/stories/{story}").text,
    ]
    for html in pages:
        assert active_content(html) == []
        assert "<script>alert" not in html and "<img" not in html and "<b onclick" not in html
        assert not re.search(r'(href|src)="\s*javascript', html, re.I)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in pages[3]
    assert 'class="external"' not in pages[3]
    api = client.get(f"/api/articles/{evil.id}")
    assert api.headers["content-type"] == "application/json"
    assert api.json()["articles"][0]["url"] == "javascript:alert(1)"  # data, not a link
