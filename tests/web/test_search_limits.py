"""Searches are untrusted input on the web and the command line: NUL and control characters
are harmless, the number of terms and the length are capped by settings (400 / exit 2 with a
message), repeated terms count once, and parsing is one linear pass. A damaged database is a
503 with the reason, never a 500."""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from storyline.cli import app
from storyline.config import Settings
from storyline.errors import QueryError
from storyline.ingest.normalize import article_id
from storyline.model import Article
from storyline.store import Store, fts_query
from storyline.web.app import create_app

TEXTS = (
    "Port workers at Halvergate went on strike on Monday over pay, the union said.",
    "The port strike ended on Friday after talks between the union and the port authority.",
    "A ferry timetable for the islands was published by the harbour office on Tuesday.",
)


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("search") / "s.db"
    with Store(path) as store:
        for n, text in enumerate(TEXTS):
            store.add_article(Article(id=article_id(text), text=text, title=f"Story {n}",
                                      path=f"{n}.txt", published=date(2024, 3, 4 + n)))  # fmt: skip
    return path


@pytest.fixture(scope="module")
def client(db: Path) -> Iterator[TestClient]:
    with TestClient(create_app(str(db)), base_url="http://127.0.0.1") as test_client:
        yield test_client


def test_nul_and_control_characters_are_harmless(client: TestClient) -> None:
    for q in ("port\x00strike", "port\x1b[2Jstrike", "\x00", "port\x7f\x9bstrike"):
        page = client.get("/", params={"q": q})
        assert page.status_code == 200, (q, page.text[:200])
        hits = client.get("/api/search", params={"q": q})
        assert hits.status_code == 200, (q, hits.text[:200])
        assert client.get("/api/stories", params={"q": q}).status_code == 200
    found = client.get("/api/search", params={"q": "port\x00strike"}).json()["hits"]
    assert len(found) == 2  # NUL separates two words: both must match
    assert fts_query("port\x00strike") == '"port" "strike"'
    assert fts_query("port\udcffstrike") == '"port" "strike"'  # undecodable CLI argument bytes


def test_thousands_of_terms_are_refused_quickly(client: TestClient) -> None:
    many = " ".join(f"word{i}" for i in range(3000))
    same = " ".join(["port"] * 3000)
    for q in (many, same, "x" * 5000, '"' + many + '"'):
        for url in ("/", "/api/search", "/api/stories"):
            started = time.monotonic()
            answer = client.get(url, params={"q": q})
            assert answer.status_code == 400, (url, answer.text[:200])
            assert time.monotonic() - started < 2
    message = client.get("/api/search", params={"q": many[:900]}).json()["error"]
    assert "search_max_terms" in message and "32" in message


def test_within_the_limits_the_cost_is_linear(db: Path) -> None:
    """With the caps raised, a query of thousands of repeated terms is one term (the
    quadratic cost was in ranking repeated phrases), and parsing grows with the length."""
    generous = Settings().with_(search_max_terms=100_000, search_max_chars=10_000_000)
    assert fts_query(" ".join(["port"] * 3000), generous) == '"port"'
    assert fts_query('port "port strike" port "port  strike"', generous) == ('"port" "port strike"')
    with Store(db, readonly=True) as store:
        started = time.monotonic()
        hits = store.search(" ".join(["port"] * 3000), 10, generous)
        assert time.monotonic() - started < 2 and len(hits) == 2
    query = " ".join(f"w{i}" for i in range(50_000))  # quadratic work would take minutes
    started = time.perf_counter()
    assert fts_query(query, generous).count('"') == 100_000
    assert time.perf_counter() - started < 3


def test_limits_are_settings_with_help_and_count_words() -> None:
    help_text = Settings.help()
    assert "search_max_terms" in help_text and "search_max_chars" in help_text
    two = Settings().with_(search_max_terms=2, search_max_chars=30)
    assert fts_query("a b a b", two) == '"a" "b"'
    with pytest.raises(QueryError, match="more than 2 words"):
        fts_query('"a b" c', two)  # a phrase counts its words
    with pytest.raises(QueryError, match="31 characters long; at most 30"):
        fts_query("y" * 31, two)
    assert fts_query('AND OR NOT "(" NEAR(') == '"AND" "OR" "NOT" "(" "NEAR"'


def test_cli_search_over_the_limit_is_one_line(db: Path) -> None:
    result = CliRunner().invoke(app, ["search", " ".join(f"w{i}" for i in range(40)),
                                      "--db", str(db)])  # fmt: skip
    assert result.exit_code == 2
    assert result.output.startswith("error: the search has more than 32 words")
    assert len(result.output.strip().splitlines()) == 1


def test_damaged_database_is_a_503(db: Path, tmp_path: Path) -> None:
    damaged = Path(shutil.copyfile(db, tmp_path / "d.db"))
    with damaged.open("r+b") as handle:
        handle.truncate(damaged.stat().st_size - 2000)
    with TestClient(create_app(str(damaged)), base_url="http://127.0.0.1") as broken:
        for url in ("/", "/api/search?q=port", "/api/stories"):
            answer = broken.get(url)
            assert answer.status_code == 503 and "the database is damaged" in answer.text
