"""Per-article annotations: sentences, mentions, time expressions, quotes, claims; and the
articles whose annotation failed (poison pills) or was cut by a limit.

A failed article keeps its reason, when it failed and at which annotation version; it is not
pending again until ``clear_failures`` (``storyline retry``) or a new annotation version.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import astuple, dataclass, fields
from typing import Any

from storyline.model import AnnotatedArticle, Article, Claim, Mention, Quote, Sentence, Timex
from storyline.store.articles import Articles
from storyline.store.db import _now

_ANNOTATION_TABLES: tuple[tuple[str, type[Any]], ...] = (
    ("mentions", Mention),
    ("timexes", Timex),
    ("quotes", Quote),
    ("claims", Claim),
)


def _columns(record_type: type[Any]) -> list[str]:
    return [f.name for f in fields(record_type)]


def _quoted(names: Iterable[str]) -> str:
    return ", ".join(f'"{n}"' for n in names)


def _record(record_type: type[Any], row: tuple[Any, ...]) -> Any:
    """A record from a row; SQLite's 0/1 become bools where the field is a bool."""
    values = [
        bool(v) if isinstance(f.default, bool) and v is not None else v
        for f, v in zip(fields(record_type), row, strict=True)
    ]
    return record_type(*values)


@dataclass(frozen=True, slots=True)
class FailedArticle:
    """A stored article whose annotation failed: why, and when (ISO time, UTC)."""

    id: str
    path: str | None
    reason: str
    failed_at: str


@dataclass(frozen=True, slots=True)
class LimitedArticle:
    """A stored article of which only a part was analysed: which limits cut it."""

    id: str
    path: str | None
    warning: str


class Annotations(Articles):
    # -- annotations ------------------------------------------------------------------
    def pending(self, version: int, limit: int | None = None) -> list[Article]:
        """Articles not yet annotated at ``version``, oldest first; an article whose
        annotation failed at ``version`` is left out (it waits for ``clear_failures``)."""
        sql = (
            "WHERE annotated < ? AND (annotate_error IS NULL OR annotate_failed_version < ?)"
            " ORDER BY rowid"
        )
        params: list[Any] = [version, version]
        if limit is not None:
            sql += " LIMIT ?"
            params.append(limit)
        return list(self.articles(sql, params))

    def save_annotations(
        self,
        docs: Sequence[AnnotatedArticle],
        version: int,
        warnings: Mapping[str, str] | None = None,
        failures: Mapping[str, str] | None = None,
    ) -> None:
        """Replace the annotations of ``docs`` and mark them done, and mark the articles of
        ``failures`` (id -> reason) failed, in one transaction. ``warnings`` (id -> text)
        records which limits cut what of an article was analysed."""
        warnings = warnings or {}
        with self.transaction():
            now = _now()
            self.db.executemany(
                "UPDATE articles SET annotate_error = ?, annotate_failed_at = ?,"
                " annotate_failed_version = ?, annotate_warning = ? WHERE id = ?",
                [(reason, now, version, warnings.get(aid), aid)
                 for aid, reason in (failures or {}).items()],
            )  # fmt: skip
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
                self.db.execute(
                    "UPDATE articles SET annotated = ?, annotate_error = NULL,"
                    " annotate_failed_at = NULL, annotate_failed_version = NULL,"
                    " annotate_warning = ? WHERE id = ?",
                    (version, warnings.get(aid), aid),
                )

    def count_failed(self) -> int:
        row = self.db.execute("SELECT COUNT(*) FROM articles WHERE annotate_error IS NOT NULL")
        return int(row.fetchone()[0])

    def failed(self) -> list[FailedArticle]:
        """Articles whose annotation failed, oldest failure first."""
        rows = self.db.execute(
            "SELECT id, path, annotate_error, annotate_failed_at FROM articles"
            " WHERE annotate_error IS NOT NULL ORDER BY annotate_failed_at, rowid"
        )
        return [FailedArticle(*row) for row in rows]

    def limited(self) -> list[LimitedArticle]:
        """Annotated articles of which a limit cut what was analysed, in storage order."""
        rows = self.db.execute(
            "SELECT id, path, annotate_warning FROM articles"
            " WHERE annotate_warning IS NOT NULL AND annotate_error IS NULL ORDER BY rowid"
        )
        return [LimitedArticle(*row) for row in rows]

    def clear_failures(self, ids: Sequence[str] | None = None) -> int:
        """Make failed articles (all, or those of ``ids``) pending again; how many."""
        sql = (
            "UPDATE articles SET annotate_error = NULL, annotate_failed_at = NULL,"
            " annotate_failed_version = NULL WHERE annotate_error IS NOT NULL"
        )
        with self.transaction():
            if ids is None:
                return self.db.execute(sql).rowcount
            return sum(self.db.execute(f"{sql} AND id = ?", (aid,)).rowcount for aid in ids)

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
