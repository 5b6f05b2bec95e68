"""Articles, where they were read from, and the runs that stored them."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from storyline.errors import NotFoundError, StoreError
from storyline.model import Article
from storyline.store.db import Connection, _iso, _now


@dataclass(frozen=True, slots=True)
class Skip:
    path: str
    reason: str


class Articles(Connection):
    # -- articles ---------------------------------------------------------------------
    def add_article(self, article: Article) -> bool:
        """Store ``article``; False when an article with the same text is already stored."""
        entry = -1 if article.entry is None else article.entry
        with self.transaction():
            cursor = self.db.execute(
                "INSERT OR IGNORE INTO articles(id, path, entry, source, title, url, published,"
                " published_inferred, language, text, ingested_at, published_at)"
                " VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                (
                    article.id, article.path, article.entry, article.source, article.title,
                    article.url, _iso(article.published), int(article.published_inferred),
                    article.language, article.text, _now(), _moment(article.published_at),
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

    def file_unchanged(self, path: str, size: int, mtime_ns: int) -> bool:
        """Whether ``path`` was read completely before with this size and modification time."""
        row = self.db.execute(
            "SELECT 1 FROM input_files WHERE path = ? AND size = ? AND mtime_ns = ?",
            (path, size, mtime_ns),
        ).fetchone()
        return row is not None

    def remember_file(self, path: str, size: int, mtime_ns: int) -> None:
        with self.transaction():
            self.db.execute(
                "INSERT INTO input_files(path, size, mtime_ns, checked_at) VALUES (?,?,?,?)"
                " ON CONFLICT(path) DO UPDATE SET size = excluded.size,"
                " mtime_ns = excluded.mtime_ns, checked_at = excluded.checked_at",
                (path, size, mtime_ns, _now()),
            )

    def count_duplicates(self) -> int:
        row = self.db.execute("SELECT COUNT(*) FROM articles WHERE duplicate_of IS NOT NULL")
        return int(row.fetchone()[0])

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


_ARTICLE_SELECT = (
    "SELECT id, text, title, source, url, published, published_inferred, language, path, entry,"
    " published_at FROM articles"
)


def _moment(value: datetime | None) -> str | None:
    """A publication time as stored: UTC, to the minute ("2023-01-27T09:05+00:00")."""
    if value is None:
        return None
    aware = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    return aware.isoformat(timespec="minutes")


def _article(row: tuple[Any, ...]) -> Article:
    aid, text, title, source, url, published, inferred, language, path, entry, at = row
    return Article(
        id=aid, text=text, title=title, source=source, url=url,
        published=date.fromisoformat(published) if published else None,
        published_inferred=bool(inferred), language=language, path=path, entry=entry,
        published_at=datetime.fromisoformat(at) if at else None,
    )  # fmt: skip
