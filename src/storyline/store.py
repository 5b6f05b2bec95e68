"""The SQLite store: one file, WAL, foreign keys, numbered migrations, FTS5 search.

Every write happens in a transaction, so a run killed at any point leaves the database as
it was after the last committed batch; the next run continues from there.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import astuple, dataclass, fields
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from storyline.errors import NotFoundError, StoreError
from storyline.model import (
    AnnotatedArticle,
    Article,
    Claim,
    Duplicate,
    Mention,
    Quote,
    Sentence,
    Story,
    Timex,
)

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

_ANNOTATION_TABLES: tuple[tuple[str, type[Any]], ...] = (
    ("mentions", Mention),
    ("timexes", Timex),
    ("quotes", Quote),
    ("claims", Claim),
)


@dataclass(frozen=True, slots=True)
class SearchHit:
    article: str
    title: str | None
    source: str | None
    published: str | None
    story: str | None
    snippet: str
    rank: float


@dataclass(frozen=True, slots=True)
class Skip:
    path: str
    reason: str


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _columns(record_type: type[Any]) -> list[str]:
    return [f.name for f in fields(record_type)]


def _quoted(names: Iterable[str]) -> str:
    return ", ".join(f'"{n}"' for n in names)


class Store:
    """A storyline database. Use as a context manager or call ``close()``."""

    def __init__(self, path: str | Path, *, readonly: bool = False) -> None:
        self.path = Path(path)
        self.readonly = readonly
        if readonly and not self.path.exists():
            raise NotFoundError(f"{self.path}: no such database; run `storyline run` first")
        if not readonly:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        uri = f"file:{self.path}?mode=ro" if readonly else str(self.path)
        try:
            self.db = sqlite3.connect(
                uri, uri=readonly, timeout=30, isolation_level=None, check_same_thread=False
            )
            self.db.execute("PRAGMA foreign_keys = ON")
            self.db.execute("PRAGMA busy_timeout = 30000")
            if not readonly:
                self.db.execute("PRAGMA journal_mode = WAL")
                self.db.execute("PRAGMA synchronous = NORMAL")
                self._migrate()
            else:
                self._check_version()
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{self.path}: not a usable storyline database ({exc})") from exc

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close; a writer first folds the WAL back into the database and empties it, so a
        WAL that concurrent readers kept from being reset does not keep growing."""
        if not self.readonly:
            self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        self.db.close()

    # -- schema -----------------------------------------------------------------------
    def version(self) -> int:
        has = self.db.execute(
            "SELECT 1 FROM sqlite_master WHERE type='table' AND name='schema_version'"
        ).fetchone()
        if not has:
            return 0
        row = self.db.execute("SELECT MAX(version) FROM schema_version").fetchone()
        return int(row[0] or 0)

    def _check_version(self) -> None:
        found = self.version()
        if found > len(MIGRATIONS):
            raise StoreError(
                f"{self.path}: schema version {found} is newer than this storyline "
                f"({len(MIGRATIONS)}); upgrade storyline"
            )
        if found < len(MIGRATIONS):
            raise StoreError(f"{self.path}: schema version {found} is old; run `storyline run`")

    def _migrate(self) -> None:
        self.db.execute(
            "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, applied TEXT)"
        )
        current = self.version()
        if current > len(MIGRATIONS):
            self._check_version()
        for number, script in enumerate(MIGRATIONS[current:], start=current + 1):
            statements = [s.strip() for s in _split_sql(script) if s.strip()]
            with self.transaction():
                for statement in statements:
                    self.db.execute(statement)
                self.db.execute(
                    "INSERT INTO schema_version(version, applied) VALUES (?, ?)", (number, _now())
                )

    def transaction(self) -> _Transaction:
        return _Transaction(self.db)

    # -- articles ---------------------------------------------------------------------
    def add_article(self, article: Article) -> bool:
        """Store ``article``; False when an article with the same text is already stored."""
        entry = -1 if article.entry is None else article.entry
        with self.transaction():
            cursor = self.db.execute(
                "INSERT OR IGNORE INTO articles(id, path, entry, source, title, url, published,"
                " published_inferred, language, text, ingested_at)"
                " VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                (
                    article.id, article.path, article.entry, article.source, article.title,
                    article.url, _iso(article.published), int(article.published_inferred),
                    article.language, article.text, _now(),
                ),
            )  # fmt: skip
            if article.path is not None:
                self.db.execute(
                    "INSERT OR IGNORE INTO locations(path, entry, article) VALUES (?,?,?)",
                    (article.path, entry, article.id),
                )
            return cursor.rowcount == 1

    def article(self, article_id: str) -> Article:
        row = self.db.execute(f"{_ARTICLE_SELECT} WHERE id = ?", (article_id,)).fetchone()
        if row is None:
            raise NotFoundError(f"no article with id {article_id!r}")
        return _article(row)

    def articles(self, where: str = "", params: Sequence[Any] = ()) -> Iterator[Article]:
        sql = f"{_ARTICLE_SELECT} {where}"
        for row in self.db.execute(sql, tuple(params)):
            yield _article(row)

    def article_links(self) -> dict[str, tuple[str | None, str | None]]:
        """article id -> (story id, duplicate_of)."""
        rows = self.db.execute("SELECT id, story, duplicate_of FROM articles")
        return {r[0]: (r[1], r[2]) for r in rows}

    def count(self, table: str) -> int:
        if table not in {"articles", "sentences", "stories", "mentions", "timexes", "quotes",
                         "claims", "skipped", "runs"}:  # fmt: skip
            raise StoreError(f"unknown table {table!r}")
        return int(self.db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])

    # -- annotations ------------------------------------------------------------------
    def pending(self, version: int, limit: int | None = None) -> list[Article]:
        """Articles not yet annotated at ``version``, oldest first."""
        sql = "WHERE annotated < ? ORDER BY rowid"
        params: list[Any] = [version]
        if limit is not None:
            sql += " LIMIT ?"
            params.append(limit)
        return list(self.articles(sql, params))

    def save_annotations(self, docs: Sequence[AnnotatedArticle], version: int) -> None:
        """Replace the annotations of ``docs`` and mark them done, in one transaction."""
        with self.transaction():
            for doc in docs:
                aid = doc.article.id
                self.db.execute("DELETE FROM sentences WHERE article = ?", (aid,))
                for table, _ in _ANNOTATION_TABLES:
                    self.db.execute(f"DELETE FROM {table} WHERE article = ?", (aid,))
                self.db.executemany(
                    'INSERT INTO sentences(article, "index", start, "end", paragraph)'
                    " VALUES (?,?,?,?,?)",
                    [(s.article, s.index, s.start, s.end, s.paragraph) for s in doc.sentences],
                )
                groups: tuple[tuple[Any, ...], ...] = (
                    doc.mentions, doc.timexes, doc.quotes, doc.claims,
                )  # fmt: skip
                for (table, record_type), records in zip(_ANNOTATION_TABLES, groups, strict=True):
                    if records:
                        names = _columns(record_type)
                        marks = ",".join("?" * len(names))
                        self.db.executemany(
                            f"INSERT INTO {table}({_quoted(names)}) VALUES ({marks})",
                            [astuple(r) for r in records],
                        )
                self.db.execute("UPDATE articles SET annotated = ? WHERE id = ?", (version, aid))

    def annotated(self, where: str = "", params: Sequence[Any] = ()) -> Iterator[AnnotatedArticle]:
        """Stored articles with their annotations (``where`` filters the articles table)."""
        for article in list(self.articles(where, params)):
            yield self.annotated_article(article)

    def annotated_article(self, article: Article) -> AnnotatedArticle:
        aid = article.id
        sentences = tuple(
            Sentence(aid, i, s, e, p, article.text[s:e])
            for i, s, e, p in self.db.execute(
                'SELECT "index", start, "end", paragraph FROM sentences'
                ' WHERE article = ? ORDER BY "index"',
                (aid,),
            )
        )
        parts: list[tuple[Any, ...]] = []
        for table, record_type in _ANNOTATION_TABLES:
            names = _columns(record_type)
            rows = self.db.execute(
                f"SELECT {_quoted(names)} FROM {table} WHERE article = ? ORDER BY rowid", (aid,)
            )
            parts.append(tuple(_record(record_type, row) for row in rows))
        mentions, timexes, quotes, claims = parts
        return AnnotatedArticle(article, sentences, mentions, timexes, quotes, claims)

    # -- stories ----------------------------------------------------------------------
    def save_links(
        self,
        duplicates: Sequence[Duplicate],
        stories: Sequence[Story],
        reports: dict[str, dict[str, Any]],
        inferred: dict[str, date],
    ) -> None:
        """Replace all cross-article results in one transaction."""
        with self.transaction():
            self.db.execute("UPDATE articles SET story = NULL, duplicate_of = NULL")
            self.db.execute(
                "UPDATE articles SET published = NULL, published_inferred = 0"
                " WHERE published_inferred = 1"
            )
            self.db.executemany(
                "UPDATE articles SET duplicate_of = ? WHERE id = ?",
                [(d.duplicate_of, d.article) for d in duplicates],
            )
            self.db.executemany(
                "UPDATE articles SET published = ?, published_inferred = 1 WHERE id = ?",
                [(day.isoformat(), aid) for aid, day in inferred.items()],
            )
            self.db.execute("DELETE FROM stories")
            for story in stories:
                self.db.executemany(
                    "UPDATE articles SET story = ? WHERE id = ?",
                    [(story.id, aid) for aid in story.articles],
                )
                self.db.execute(
                    "INSERT INTO stories(id, title, first_seen, last_seen, report, updated_at)"
                    " VALUES (?,?,?,?,?,?)",
                    (
                        story.id, story.title, _iso(story.first_seen), _iso(story.last_seen),
                        json.dumps(reports.get(story.id, {}), ensure_ascii=False), _now(),
                    ),
                )  # fmt: skip

    def story_reports(self) -> list[dict[str, Any]]:
        """The stored ``storyline/v1`` story objects, newest first."""
        rows = self.db.execute("SELECT report FROM stories ORDER BY last_seen DESC, id")
        return [json.loads(r[0]) for r in rows]

    def story_report(self, story_id: str) -> dict[str, Any]:
        row = self.db.execute("SELECT report FROM stories WHERE id = ?", (story_id,)).fetchone()
        if row is None:
            raise NotFoundError(f"no story with id {story_id!r}")
        report: dict[str, Any] = json.loads(row[0])
        return report

    # -- runs -------------------------------------------------------------------------
    def start_run(self) -> int:
        with self.transaction():
            cursor = self.db.execute("INSERT INTO runs(started) VALUES (?)", (_now(),))
        return int(cursor.lastrowid or 0)

    def record_skip(self, run: int, skip: Skip) -> None:
        with self.transaction():
            self.db.execute(
                "INSERT INTO skipped(run, path, reason) VALUES (?,?,?)",
                (run, skip.path, skip.reason),
            )

    def finish_run(self, run: int, added: int, already: int, skipped: int) -> None:
        with self.transaction():
            self.db.execute(
                "UPDATE runs SET finished = ?, added = ?, already = ?, skipped = ? WHERE id = ?",
                (_now(), added, already, skipped, run),
            )

    # -- search -----------------------------------------------------------------------
    def search(self, query: str, limit: int = 20) -> list[SearchHit]:
        """Articles matching ``query`` (words; quoted phrases allowed), best first."""
        expression = fts_query(query)
        if not expression:
            return []
        rows = self.db.execute(
            "SELECT a.id, a.title, a.source, a.published, a.story,"
            " snippet(articles_fts, 1, '[', ']', ' … ', 12), bm25(articles_fts, 5.0, 1.0)"
            " FROM articles_fts JOIN articles a ON a.rowid = articles_fts.rowid"
            " WHERE articles_fts MATCH ? ORDER BY bm25(articles_fts, 5.0, 1.0) LIMIT ?",
            (expression, limit),
        )
        return [SearchHit(*row) for row in rows]


def fts_query(query: str) -> str:
    """A safe FTS5 expression: every word or "quoted phrase" becomes a quoted term (AND)."""
    terms: list[str] = []
    for i, part in enumerate(query.split('"')):
        if i % 2 == 1:
            words = part.split()
            if words:
                terms.append('"' + " ".join(w.replace('"', "") for w in words) + '"')
        else:
            terms.extend(
                '"' + w + '"' for w in (t.strip(".,;:!?()[]{}*^'") for t in part.split()) if w
            )
    return " ".join(terms)


class _Transaction:
    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    def __enter__(self) -> None:
        self.db.execute("BEGIN IMMEDIATE")

    def __exit__(self, exc_type: object, *rest: object) -> None:
        self.db.execute("ROLLBACK" if exc_type else "COMMIT")


_ARTICLE_SELECT = (
    "SELECT id, text, title, source, url, published, published_inferred, language, path, entry"
    " FROM articles"
)


def _article(row: tuple[Any, ...]) -> Article:
    aid, text, title, source, url, published, inferred, language, path, entry = row
    return Article(
        id=aid, text=text, title=title, source=source, url=url,
        published=date.fromisoformat(published) if published else None,
        published_inferred=bool(inferred), language=language, path=path, entry=entry,
    )  # fmt: skip


def _record(record_type: type[Any], row: tuple[Any, ...]) -> Any:
    """A record from a row; SQLite's 0/1 become bools where the field is a bool."""
    values = [
        bool(v) if isinstance(f.default, bool) and v is not None else v
        for f, v in zip(fields(record_type), row, strict=True)
    ]
    return record_type(*values)


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


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
