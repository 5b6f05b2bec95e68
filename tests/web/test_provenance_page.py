"""Sources and copying on the story page and in the API: outlets, why grouped, the copy
graph, coverage, first reporters; all untrusted text escaped."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from storyline.report.audit import active_content
from storyline.store import Store
from storyline.web.app import create_app


@pytest.fixture(scope="module")
def client(hostile_corpus_db: Path) -> Iterator[TestClient]:
    with TestClient(create_app(str(hostile_corpus_db)), base_url="http://127.0.0.1") as test:
        yield test


@pytest.fixture(scope="module")
def stories(hostile_corpus_db: Path) -> dict[str, dict[str, object]]:
    with Store(hostile_corpus_db, readonly=True) as store:
        return {str(r["id"]): r for r in store.story_reports()}


def _story_with(stories: dict[str, dict[str, object]], db: Path, sql: str) -> str:
    with Store(db, readonly=True) as store:
        wanted = {r[0] for r in store.db.execute(sql)}
    return next(sid for sid, r in stories.items() if wanted & set(r["articles"]))  # type: ignore[call-overload]


def test_story_page_shows_sources_copy_graph_and_why(
    client: TestClient, stories: dict[str, dict[str, object]], hostile_corpus_db: Path
) -> None:
    sid = _story_with(stories, hostile_corpus_db,
                      "SELECT id FROM articles WHERE duplicate_of IS NOT NULL")  # fmt: skip
    html = client.get(f"/stories/{sid}").text
    assert '<section id="sources">' in html and "First reported by" in html
    assert '<svg class="copy-graph"' in html and '<svg class="coverage-chart"' in html
    assert html.count('<details class="why">') == len(stories[sid]["articles"])  # type: ignore[arg-type]
    assert "A near-duplicate of an earlier article" in html
    assert "Joined with similarity" in html and "strongest shared terms" in html
    assert "first reported by" in html
    assert "harbor-herald" not in html.split('<section id="sources">')[1]  # outlet, not folder


def test_hostile_outlet_is_escaped_everywhere(
    client: TestClient, stories: dict[str, dict[str, object]], hostile_corpus_db: Path
) -> None:
    sid = _story_with(stories, hostile_corpus_db,
                      "SELECT id FROM articles WHERE source LIKE 'Evil%'")  # fmt: skip
    html = client.get(f"/stories/{sid}").text
    assert "Evil &lt;b onclick=alert(1)&gt;Outlet&lt;/b&gt;" in html
    assert "<b onclick" not in html
    assert active_content(html) == []


def test_api_provenance(
    client: TestClient, stories: dict[str, dict[str, object]], hostile_corpus_db: Path
) -> None:
    sid = _story_with(stories, hostile_corpus_db,
                      "SELECT id FROM articles WHERE duplicate_of IS NOT NULL")  # fmt: skip
    response = client.get(f"/api/stories/{sid}/provenance")
    assert response.status_code == 200
    data = response.json()
    articles = set(stories[sid]["articles"])  # type: ignore[call-overload]
    assert set(data["why"]) == articles and set(data["outlets"]) == articles
    kinds = {w["kind"] for w in data["why"].values()}
    assert "copy" in kinds and kinds <= {"copy", "join", "founded"}
    for why in data["why"].values():
        if why["kind"] == "join":
            assert why["score"] > 0 and why["terms"] and why["closest"] in articles | {None}
    assert sorted(a for f in data["families"] for a in f) == sorted(articles)
    assert data["first"] in articles and 0 <= data["copy_share"] < 1
    assert all({"a", "b", "score", "shared", "family"} == set(e) for e in data["edges"])
    assert "graph" not in data and "coverage" not in data
    assert client.get("/api/stories/nope/provenance").status_code == 404
    json.dumps(data)


def test_export_marks_first_reporters(stories: dict[str, dict[str, object]]) -> None:
    entries = [t for s in stories.values() for t in s["timeline"]]  # type: ignore[attr-defined]
    assert entries and all("first_reported" in t for t in entries)
    named = [t for t in entries if t["first_reported"]]
    assert named and all(t["first_reported"]["article"] in {c["article"] for c in t["citations"]}
                         for t in named)  # fmt: skip
