"""Corrections from the web UI (``serve --allow-edits``): refused without the token, from
another site, and when edits are not enabled; applied, kept by a later run, and undone."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from storyline.config import Settings
from storyline.errors import ConfigError
from storyline.pipeline import run
from storyline.report.audit import active_content
from storyline.store import Store
from storyline.web.app import create_app
from storyline.web.serve import serve

BASE = "http://127.0.0.1"


def _copy(source: Path, target: Path) -> Path:
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    return target


@pytest.fixture
def db(hostile_corpus_db: Path, tmp_path: Path) -> Path:
    return _copy(hostile_corpus_db, tmp_path / "edit.db")


@pytest.fixture
def client(db: Path) -> Iterator[TestClient]:
    with TestClient(create_app(str(db), allow_edits=True), base_url=BASE) as test:
        yield test


def _biggest(db: Path) -> tuple[str, list[str]]:
    with Store(db, readonly=True) as store:
        rows = store.db.execute(
            "SELECT story, group_concat(id) FROM articles WHERE duplicate_of IS NULL"
            " GROUP BY story ORDER BY count(*) DESC, story LIMIT 1"
        ).fetchone()
    return str(rows[0]), sorted(str(rows[1]).split(","))


def _token(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found, "no CSRF token in the page"
    return found.group(1)


def _shown(db: Path, article: str) -> str:
    with Store(db, readonly=True) as store:
        return str(store.story_of_shown(article))


def test_read_only_server_has_no_forms_and_refuses_edits(db: Path) -> None:
    story, articles = _biggest(db)
    with TestClient(create_app(str(db)), base_url=BASE) as test:
        html = test.get(f"/stories/{story}").text
        assert 'name="csrf"' not in html and "/edit/" not in html
        refused = test.post("/edit/detach", data={"article": articles[0], "csrf": "x"})
        assert refused.status_code == 403 and "--allow-edits" in refused.text
        assert "read-only" in test.get("/corrections").text
    assert _shown(db, articles[0]) == story


def test_edit_without_or_with_a_wrong_token_is_refused(client: TestClient, db: Path) -> None:
    story, articles = _biggest(db)
    html = client.get(f"/stories/{story}").text
    assert html.count('action="/edit/detach"') == html.count('<details class="why">')
    for data in ({"article": articles[0]}, {"article": articles[0], "csrf": "forged"}):
        answer = client.post("/edit/detach", data=data)
        assert answer.status_code == 403 and "CSRF" in answer.text
    for headers in ({"Origin": "http://evil.example"},
                    {"Origin": "null", "Sec-Fetch-Site": "cross-site"}):  # fmt: skip
        cross = client.post("/edit/detach", data={"article": articles[0], "csrf": _token(html)},
                            headers=headers)  # fmt: skip
        assert cross.status_code == 403 and "cross-site" in cross.text
    as_json = client.post("/edit/detach", json={"article": articles[0], "csrf": _token(html)})
    assert as_json.status_code == 415
    assert _shown(db, articles[0]) == story
    with Store(db, readonly=True) as store:
        assert store.corrections() == []


def test_split_through_the_ui_lasts_a_later_run_and_can_be_undone(
    client: TestClient, db: Path, tmp_path: Path
) -> None:
    story, articles = _biggest(db)
    assert len(articles) >= 3
    leaving = articles[:2]
    token = _token(client.get(f"/stories/{story}").text)
    answer = client.post(
        "/edit/split",
        data={"csrf": token, "story": story, "article": leaving, "note": "two <b>stories</b>"},
        headers={"Origin": BASE},
        follow_redirects=False,
    )
    assert answer.status_code == 303
    new = answer.headers["location"].removeprefix("/stories/")
    assert new != story and {_shown(db, a) for a in leaving} == {new}
    page = client.get(f"/stories/{new}").text
    assert all(a in page for a in leaving) and articles[2] not in page
    listed = client.get("/corrections").text
    assert "two &lt;b&gt;stories&lt;/b&gt;" in listed and active_content(listed) == []

    extra = tmp_path / "later.jsonl"
    extra.write_text('{"title": "Unrelated", "text": "A bakery in Lindholm opened on '
                     'Monday, its owner said."}\n', encoding="utf-8")  # fmt: skip
    run([extra], Settings().with_(db=str(db), workers=1))
    assert {_shown(db, a) for a in leaving} == {new}

    with Store(db, readonly=True) as store:
        (made,) = store.corrections()
    undo = client.post("/edit/undo", data={"csrf": token, "correction": str(made.id)},
                       follow_redirects=False)  # fmt: skip
    assert undo.status_code == 303
    assert {_shown(db, a) for a in leaving} == {story}


def test_move_and_merge_and_bad_input(client: TestClient, db: Path) -> None:
    story, articles = _biggest(db)
    with Store(db, readonly=True) as store:
        other = next(r[0] for r in store.db.execute("SELECT id FROM stories") if r[0] != story)
    token = _token(client.get(f"/stories/{story}").text)
    moved = client.post("/edit/move", data={"csrf": token, "article": articles[0],
                                            "story": other}, follow_redirects=False)  # fmt: skip
    assert moved.status_code == 303 and moved.headers["location"] == f"/stories/{other}"
    assert _shown(db, articles[0]) == other
    merged = client.post("/edit/merge", data={"csrf": token, "story": story, "other": other},
                         follow_redirects=False)  # fmt: skip
    assert merged.status_code == 303 and _shown(db, articles[0]) == story
    missing = client.post("/edit/move", data={"csrf": token, "article": "nope", "story": story})
    assert missing.status_code == 404 and "nope" in missing.text
    empty = client.post("/edit/split", data={"csrf": token, "story": story})
    assert empty.status_code == 400
    assert client.post("/edit/explode", data={"csrf": token}).status_code == 404


def test_edits_are_served_only_on_loopback(db: Path) -> None:
    from rich.console import Console

    with pytest.raises(ConfigError, match=r"127\.0\.0\.1"):
        serve(str(db), "0.0.0.0", 8765, Console(), allow_edits=True)
