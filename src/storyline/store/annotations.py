"""Per-article annotations: sentences, mentions, time expressions, quotes, claims."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import astuple, fields
from typing import Any

from storyline.model import AnnotatedArticle, Article, Claim, Mention, Quote, Sentence, Timex
from storyline.store.articles import Articles

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


class Annotations(Articles):
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
