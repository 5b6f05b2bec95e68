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

from storyline.link.corrections import Rules
from storyline.model import AnnotatedArticle, Story
from storyline.store.db import _iso, _now
from storyline.store.links import Links
from storyline.store.story_list import index_story

#: tables that hold link state; a rebuild empties them
LINK_TABLES = ("link_meta", "link_articles", "dedup_bands", "vocabulary", "postings",
               "link_stories", "story_alias", "stale_stories")  # fmt: skip


@dataclass(frozen=True, slots=True)
class Assignment:
    """Where one newly linked article went."""

    article: str
    seq: int
    story: str
    duplicate_of: str | None
    score: float | None = None  # similarity to the story it joined (None: founded it)
    detail: str | None = None  # JSON: the terms and entities that weighed most


def _change(a: Assignment, shown: str, now: str) -> tuple[Any, ...]:
    kind = "copy" if a.duplicate_of else "join"
    return shown, kind, a.article, a.duplicate_of, now, a.score, a.detail


def _merge_change(gone: str, into: str, now: str) -> tuple[Any, ...]:
    return into, "merge", None, gone, now, None, None


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

    def not_linked(self, ids: Sequence[str]) -> set[str]:
        """Those of ``ids`` that are still not linked."""
        rows = self.db.execute(
            "SELECT id FROM articles WHERE linked = 0 AND id IN (SELECT value FROM json_each(?))",
            (json.dumps(list(ids)),),
        )
        return {r[0] for r in rows}

    def next_link_seq(self) -> int:
        row = self.db.execute("SELECT MAX(link_seq) FROM articles").fetchone()
        return 0 if row[0] is None else int(row[0]) + 1

    def story_of(self, article_id: str) -> str | None:
        """The story the clusterer put ``article_id`` in (before corrections)."""
        row = self.db.execute(
            "SELECT link_story FROM articles WHERE id = ?", (article_id,)
        ).fetchone()
        return None if row is None else row[0]

    def save_assignments(
        self,
        assignments: Sequence[Assignment],
        merges: Sequence[tuple[str, str]],
        touched: Iterable[str],
        rules: Rules,
    ) -> None:
        """Record one linked chunk (inside the caller's transaction): the clusterer's merges
        move its older articles first, then the new articles get their stories; the stories
        they are shown in (corrections applied) are marked for synthesis and every change
        is logged."""
        now = _now()
        changed: set[str] = set()
        for gone, into in merges:
            self.db.execute("UPDATE articles SET link_story = ? WHERE link_story = ?", (into, gone))
            changed.update((gone, into))
        self.db.executemany(
            "UPDATE articles SET link_story = ?, duplicate_of = ?, link_seq = ?, linked = 1"
            " WHERE id = ?",
            [(a.story, a.duplicate_of, a.seq, a.article) for a in assignments],
        )
        moved = [r[0] for r in self.db.execute(
            "SELECT id FROM articles WHERE link_story IN (SELECT value FROM json_each(?))",
            (json.dumps(sorted({into for _, into in merges})),),
        )]  # fmt: skip
        shown = self.show(set(moved) | {a.article for a in assignments}, rules, changed)
        self.db.executemany(
            "INSERT INTO story_changes(story, kind, article, other, at, score, detail)"
            " VALUES (?,?,?,?,?,?,?)",
            [_merge_change(gone, rules.resolve(into), now) for gone, into in merges]
            + [_change(a, shown[a.article], now) for a in assignments],
        )
        self.mark_stale({rules.resolve(s) for s in touched} | changed)

    def show(self, ids: Iterable[str], rules: Rules, changed: set[str]) -> dict[str, str]:
        """Set the shown story of articles ``ids`` from their link story and ``rules``;
        adds the stories they left or joined to ``changed``; returns article -> story."""
        listed = sorted(set(ids))
        shown: dict[str, str] = {}
        updates = []
        for part in range(0, len(listed), 500):
            rows = self.db.execute(
                "SELECT id, story, link_story, duplicate_of FROM articles"
                " WHERE id IN (SELECT value FROM json_each(?))",
                (json.dumps(listed[part : part + 500]),),
            )
            for aid, story, link_story, duplicate_of in rows:
                if link_story is None:
                    continue
                new = rules.story_of(aid, link_story, duplicate_of)
                shown[aid] = new
                if new != story:
                    updates.append((new, aid))
                    changed.add(new)
                    if story:
                        changed.add(story)
        self.db.executemany("UPDATE articles SET story = ? WHERE id = ?", updates)
        return shown

    def mark_stale(self, stories: Iterable[str]) -> None:
        now = _now()
        self.db.executemany(
            "INSERT OR IGNORE INTO stale_stories(id, since) VALUES (?,?)",
            [(s, now) for s in sorted(set(stories)) if s],
        )

    # -- synthesis --------------------------------------------------------------------
    def stale_stories(self) -> list[tuple[str, str]]:
        """(id, title from the link state or "") of stories whose report must be written
        again, in the order they were marked."""
        rows = self.db.execute(
            "SELECT s.id, COALESCE(l.title, '') FROM stale_stories s"
            " LEFT JOIN link_stories l ON l.id = s.id ORDER BY s.since, s.id"
        )
        return [(r[0], r[1]) for r in rows]

    def drop_story(self, story: str) -> None:
        """A stale story that has no articles any more: its report goes."""
        with self.transaction():
            self.db.execute("DELETE FROM stories WHERE id = ?", (story,))
            self.db.execute("DELETE FROM stale_stories WHERE id = ?", (story,))

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
            old = self.db.execute("SELECT report FROM stories WHERE id = ?", (story.id,)).fetchone()
            if old is not None and "updated" in report:
                before = json.loads(old[0])
                kept = before.pop("updated", None)
                if kept and before == {k: v for k, v in report.items() if k != "updated"}:
                    report = {**report, "updated": kept}  # nothing changed: not "updated"
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
            index_story(self.db, story.id, report)
            self.db.execute("DELETE FROM stale_stories WHERE id = ?", (story.id,))

    # -- rebuild ----------------------------------------------------------------------
    def reset_links(self, settings: dict[str, Any]) -> None:
        """Forget every link result and the link state (stream positions are kept), and
        record the settings the next state is built with."""
        with self.transaction():
            for table in LINK_TABLES:
                self.db.execute(f"DELETE FROM {table}")
            self.db.execute(
                "UPDATE articles SET story = NULL, link_story = NULL, duplicate_of = NULL,"
                " linked = 0"
            )
            self.db.execute(
                "UPDATE articles SET published = NULL, published_inferred = 0"
                " WHERE published_inferred = 1"
            )
            # every stored story is written again or dropped; one that comes out the same
            # keeps its "updated" time, so feed readers are not told of a change
            self.db.execute(
                "INSERT OR IGNORE INTO stale_stories(id, since) SELECT id, ? FROM stories",
                (_now(),),
            )
            self.db.execute(
                "INSERT INTO story_changes(story, kind, at) VALUES ('', 'rebuild', ?)", (_now(),)
            )
            self.set_link_settings(settings)
