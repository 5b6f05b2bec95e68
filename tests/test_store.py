from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

import pytest

from storyline.errors import NotFoundError, StoreError
from storyline.ingest.normalize import article_id
from storyline.model import Article
from storyline.store import MIGRATIONS, Store, fts_query


def make(text: str, title: str | None = None, path: str = "a.txt") -> Article:
    return Article(id=article_id(text), text=text, title=title, path=path,
                   published=date(2024, 3, 4))  # fmt: skip


def test_schema_is_migrated_once_with_wal_and_foreign_keys(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    with Store(db) as store:
        assert store.version() == len(MIGRATIONS)
        assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert store.db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    with Store(db) as store:  # opening again applies nothing twice
        rows = store.db.execute("SELECT version FROM schema_version").fetchall()
        assert [r[0] for r in rows] == list(range(1, len(MIGRATIONS) + 1))


def test_same_text_from_another_path_is_already_stored(tmp_path: Path) -> None:
    with Store(tmp_path / "s.db") as store:
        assert store.add_article(make("A bridge collapsed in Tarn on Monday.", path="a.txt"))
        assert not store.add_article(make("A bridge collapsed in Tarn on Monday.", path="b.txt"))
        assert store.count("articles") == 1
        locations = store.db.execute("SELECT path FROM locations ORDER BY path").fetchall()
        assert [r[0] for r in locations] == ["a.txt", "b.txt"]


def test_search_ranks_title_matches_and_snippets(tmp_path: Path) -> None:
    with Store(tmp_path / "s.db") as store:
        store.add_article(make("The ferry strike continued in Halvik.", "Ferry strike", "1"))
        store.add_article(make("Talks about the ferry timetable resumed.", "Timetable", "2"))
        store.add_article(make("Nothing to see here at all today.", "Other", "3"))
        hits = store.search("ferry strike")
        assert [h.title for h in hits] == ["Ferry strike"]
        assert "[ferry]" in hits[0].snippet.lower()
        assert store.search("ferry")[0].title == "Ferry strike"
        assert store.search('"ferry timetable"')[0].title == "Timetable"
        assert store.search('AND OR NOT "(') == []  # operators are quoted, never a syntax error


def test_fts_query_quotes_every_term() -> None:
    assert fts_query('blinken "West Bank" NEAR(') == '"blinken" "West Bank" "NEAR"'


def test_readonly_missing_database_is_not_found(tmp_path: Path) -> None:
    with pytest.raises(NotFoundError, match="no such database"):
        Store(tmp_path / "missing.db", readonly=True)


def test_not_a_database_is_a_store_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreError, match="not a usable storyline database"):
        Store(bad)


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    Store(db).close()
    with sqlite3.connect(db) as raw:
        raw.execute("INSERT INTO schema_version(version, applied) VALUES (99, 'x')")
    with pytest.raises(StoreError, match="newer than this storyline"):
        Store(db)


def test_failed_transaction_rolls_back(tmp_path: Path) -> None:
    with Store(tmp_path / "s.db") as store:
        with pytest.raises(sqlite3.IntegrityError), store.transaction():
            store.db.execute("INSERT INTO locations(path, entry, article) VALUES ('x', -1, 'nope')")
        assert store.db.execute("SELECT COUNT(*) FROM locations").fetchone()[0] == 0


def test_missing_parent_folder_is_created(tmp_path: Path) -> None:
    with Store(tmp_path / "new" / "deeper" / "s.db") as store:
        assert store.version() == len(MIGRATIONS)


def test_closing_a_writer_empties_the_wal(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    reader = sqlite3.connect(db)
    with Store(db) as store:
        for i in range(50):
            store.add_article(make(f"Article number {i} about the harbour strike.", path=f"{i}"))
        reader.execute("SELECT COUNT(*) FROM articles").fetchone()  # a reader came and went
        assert (tmp_path / "s.db-wal").stat().st_size > 0
    assert (tmp_path / "s.db-wal").stat().st_size == 0
    reader.close()
