"""The database schema as numbered migrations; a database records which it has applied."""

from __future__ import annotations

import sqlite3

MIGRATIONS: tuple[str, ...] = (
    # 1: articles, where they were read from, sentences, full-text search, runs
    """
    CREATE TABLE articles (
        id TEXT PRIMARY KEY,
        path TEXT, entry INTEGER, source TEXT, title TEXT, url TEXT,
        published TEXT, published_inferred INTEGER NOT NULL DEFAULT 0,
        language TEXT, text TEXT NOT NULL,
        ingested_at TEXT NOT NULL,
        annotated INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX articles_published ON articles(published);
    CREATE INDEX articles_annotated ON articles(annotated);
    CREATE TABLE locations (
        path TEXT NOT NULL, entry INTEGER NOT NULL DEFAULT -1,
        article TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        PRIMARY KEY (path, entry)
    );
    CREATE TABLE sentences (
        article TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        "index" INTEGER NOT NULL, start INTEGER NOT NULL, "end" INTEGER NOT NULL,
        paragraph INTEGER NOT NULL,
        PRIMARY KEY (article, "index")
    ) WITHOUT ROWID;
    CREATE VIRTUAL TABLE articles_fts USING fts5(
        title, text, content='articles', content_rowid='rowid', tokenize='porter unicode61'
    );
    CREATE TRIGGER articles_ai AFTER INSERT ON articles BEGIN
        INSERT INTO articles_fts(rowid, title, text) VALUES (new.rowid, new.title, new.text);
    END;
    CREATE TRIGGER articles_ad AFTER DELETE ON articles BEGIN
        INSERT INTO articles_fts(articles_fts, rowid, title, text)
        VALUES ('delete', old.rowid, old.title, old.text);
    END;
    CREATE TRIGGER articles_au AFTER UPDATE OF title, text ON articles BEGIN
        INSERT INTO articles_fts(articles_fts, rowid, title, text)
        VALUES ('delete', old.rowid, old.title, old.text);
        INSERT INTO articles_fts(rowid, title, text) VALUES (new.rowid, new.title, new.text);
    END;
    CREATE TABLE runs (
        id INTEGER PRIMARY KEY, started TEXT NOT NULL, finished TEXT,
        added INTEGER NOT NULL DEFAULT 0, already INTEGER NOT NULL DEFAULT 0,
        skipped INTEGER NOT NULL DEFAULT 0
    );
    CREATE TABLE skipped (
        run INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        path TEXT NOT NULL, reason TEXT NOT NULL
    );
    """,
    # 2: per-article annotations
    """
    CREATE TABLE mentions (
        article TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        sentence INTEGER NOT NULL, start INTEGER NOT NULL, "end" INTEGER NOT NULL,
        text TEXT NOT NULL, label TEXT NOT NULL, role TEXT
    );
    CREATE INDEX mentions_article ON mentions(article);
    CREATE INDEX mentions_text ON mentions(text);
    CREATE TABLE timexes (
        article TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        sentence INTEGER NOT NULL, start INTEGER NOT NULL, "end" INTEGER NOT NULL,
        text TEXT NOT NULL, type TEXT NOT NULL, value TEXT, mod TEXT, anchor TEXT
    );
    CREATE INDEX timexes_article ON timexes(article);
    CREATE TABLE quotes (
        article TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        sentence INTEGER NOT NULL, start INTEGER NOT NULL, "end" INTEGER NOT NULL,
        text TEXT NOT NULL, speaker TEXT, cue TEXT, direct INTEGER NOT NULL,
        speaker_start INTEGER, speaker_end INTEGER
    );
    CREATE INDEX quotes_article ON quotes(article);
    CREATE TABLE claims (
        article TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        sentence INTEGER NOT NULL, start INTEGER NOT NULL, "end" INTEGER NOT NULL,
        subject TEXT NOT NULL, predicate TEXT NOT NULL, value REAL NOT NULL, unit TEXT,
        text TEXT NOT NULL, qualifier TEXT
    );
    CREATE INDEX claims_article ON claims(article);
    """,
    # 3: cross-article results: duplicates, stories and their reports
    """
    ALTER TABLE articles ADD COLUMN story TEXT;
    ALTER TABLE articles ADD COLUMN duplicate_of TEXT;
    CREATE INDEX articles_story ON articles(story);
    CREATE TABLE stories (
        id TEXT PRIMARY KEY, title TEXT NOT NULL,
        first_seen TEXT, last_seen TEXT,
        report TEXT NOT NULL, updated_at TEXT NOT NULL
    );
    """,
)


def _split_sql(script: str) -> list[str]:
    """Statements of a migration script (trigger bodies keep their inner semicolons)."""
    statements: list[str] = []
    buffer = ""
    for line in script.splitlines(keepends=True):
        buffer += line
        if sqlite3.complete_statement(buffer):
            statements.append(buffer)
            buffer = ""
    return statements
