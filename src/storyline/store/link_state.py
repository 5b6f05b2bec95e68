"""The incremental link state: which articles are linked and in what order, the settings
the state was built with, stories waiting for synthesis, and membership changes.

The clusterer's and the near-duplicate index's own tables are read and written by
``storyline.link.state`` and ``storyline.link.dedup_state`` inside these transactions.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from storyline.model import AnnotatedArticle, Story
from storyline.store.db import _iso, _now
from storyline.store.links import Links

#: tables that hold link state; a rebuild empties them
LINK_TABLES = ("link_meta", "link_articles", "dedup_bands", "vocabulary", "postings",
               "link_stories", "story_alias")  # fmt: skip


@dataclass(frozen=True, slots=True)
class Assignment:
    """Where one newly linked article went."""

    article: str
    seq: int
    story: str
    duplicate_of: str | None


def _change(assignment: Assignment, now: str) -> tuple[str, str, str, str | None, str]:
    kind = "copy" if assignment.duplicate_of else "join"
    return assignment.story, kind, assignment.article, assignment.duplicate_of, now


class LinkState(Links):
    # -- settings ---------------------------------------------------------------------
    def link_settings(self) -> dict[str, Any] | None:
        row = self.db.execute("SELECT value FROM link_meta WHERE key = 'settings'").fetchone()
        return None if row is None else dict(json.loads(row[0]))

    def set_link_settings(self, values: dict[str, Any]) -> None:
        self.db.execute(
            "INSERT INTO link_meta(key, value) VALUES ('settings', ?)"
            " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (json.dumps(values, sort_keys=True),),
        )

    # -- what is new ------------------------------------------------------------------
    def unlinked(self, version: int) -> list[tuple[str, int | None]]:
        """(article id, stream position if it had one) of annotated articles not linked,
        in stream order: earlier position first (a rebuild keeps the order the articles were
        first linked in), then new ones by publication date (undated last), then by
        ingest order."""
        rows = self.db.execute(
            "SELECT id, link_seq FROM articles WHERE linked = 0 AND annotated >= ?"
            " ORDER BY link_seq IS NULL, link_seq, published IS NULL, published, rowid",
            (version,),
        )
        return [(r[0], r[1]) for r in rows]

    def next_link_seq(self) -> int:
        row = self.db.execute("SELECT MAX(link_seq) FROM articles").fetchone()
        return 0 if row[0] is None else int(row[0]) + 1

    def story_of(self, article_id: str) -> str | None:
        row = self.db.execute("SELECT story FROM articles WHERE id = ?", (article_id,)).fetchone()
        return None if row is None else row[0]

    def save_assignments(
        self,
        assignments: Sequence[Assignment],
        merges: Sequence[tuple[str, str]],
        touched: Iterable[str],
    ) -> None:
        """Record one linked chunk (inside the caller's transaction): merges move the older
        articles first, then the new articles get their final stories; touched stories are
        marked for synthesis and every change is logged."""
        now = _now()
        for gone, into in merges:
            self.db.execute("UPDATE articles SET story = ? WHERE story = ?", (into, gone))
            self.db.execute("DELETE FROM stories WHERE id = ?", (gone,))
        self.db.executemany(
            "UPDATE articles SET story = ?, duplicate_of = ?, link_seq = ?, linked = 1"
            " WHERE id = ?",
            [(a.story, a.duplicate_of, a.seq, a.article) for a in assignments],
        )
        self.db.executemany(
            "INSERT INTO story_changes(story, kind, article, other, at) VALUES (?,?,?,?,?)",
            [(into, "merge", None, gone, now) for gone, into in merges]
            + [
                (a.story, "copy" if a.duplicate_of else "join", a.article, a.duplicate_of, now)
                for a in assignments
            ],
        )
        self.db.executemany(
            "UPDATE link_stories SET stale = 1 WHERE id = ?", [(s,) for s in sorted(set(touched))]
        )

    # -- synthesis --------------------------------------------------------------------
    def stale_stories(self) -> list[tuple[str, str]]:
        """(id, title) of stories whose report must be synthesized again, oldest first."""
        rows = self.db.execute(
            "SELECT id, title FROM link_stories WHERE stale = 1 ORDER BY founded, id"
        )
        return [(r[0], r[1]) for r in rows]

    def story_members(self, story: str) -> list[tuple[str, str | None]]:
        """(article id, duplicate_of) of a story's articles in stream order."""
        rows = self.db.execute(
            "SELECT id, duplicate_of FROM articles WHERE story = ? ORDER BY link_seq, id",
            (story,),
        )
        return [(r[0], r[1]) for r in rows]

    def linked_docs(self, ids: Sequence[str]) -> dict[str, AnnotatedArticle]:
        """Annotated articles by id, with dates inferred from a story taken off again (a
        story's synthesis infers them afresh)."""
        docs = {}
        for aid in ids:
            doc = self.annotated_article(self.article(aid))
            if doc.article.published_inferred:
                article = replace(doc.article, published=None, published_inferred=False)
                doc = replace(doc, article=article)
            docs[aid] = doc
        return docs

    def save_story(
        self,
        story: Story,
        report: dict[str, Any],
        inferred: dict[str, date],
        sources: int,
    ) -> None:
        """Replace one story's report and the dates it inferred; the story is no longer stale."""
        members = list(story.articles)
        with self.transaction():
            self.db.executemany(
                "UPDATE articles SET published = NULL, published_inferred = 0"
                " WHERE id = ? AND published_inferred = 1",
                [(aid,) for aid in members if aid not in inferred],
            )
            self.db.executemany(
                "UPDATE articles SET published = ?, published_inferred = 1 WHERE id = ?",
                [(day.isoformat(), aid) for aid, day in sorted(inferred.items())],
            )
            self.db.execute(
                "INSERT INTO stories(id, title, first_seen, last_seen, report, updated_at,"
                " articles, sources) VALUES (?,?,?,?,?,?,?,?) ON CONFLICT(id) DO UPDATE SET"
                " title = excluded.title, first_seen = excluded.first_seen,"
                " last_seen = excluded.last_seen, report = excluded.report,"
                " updated_at = excluded.updated_at, articles = excluded.articles,"
                " sources = excluded.sources",
                (
                    story.id, story.title, _iso(story.first_seen), _iso(story.last_seen),
                    json.dumps(report, ensure_ascii=False), report.get("updated") or _now(),
                    len(members), sources,
                ),
            )  # fmt: skip
            self.db.execute("UPDATE link_stories SET stale = 0 WHERE id = ?", (story.id,))

    # -- rebuild ----------------------------------------------------------------------
    def reset_links(self, settings: dict[str, Any]) -> None:
        """Forget every link result and the link state (stream positions are kept), and
        record the settings the next state is built with."""
        with self.transaction():
            for table in LINK_TABLES:
                self.db.execute(f"DELETE FROM {table}")
            self.db.execute("UPDATE articles SET story = NULL, duplicate_of = NULL, linked = 0")
            self.db.execute(
                "UPDATE articles SET published = NULL, published_inferred = 0"
                " WHERE published_inferred = 1"
            )
            self.db.execute("DELETE FROM stories")
            self.set_link_settings(settings)
