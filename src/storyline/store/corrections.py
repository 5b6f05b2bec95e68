"""Corrections of story membership made by a reader (see ``storyline.link.corrections``)."""

from __future__ import annotations

import json
from collections.abc import Sequence

from storyline.errors import ConfigError, NotFoundError
from storyline.link.corrections import KINDS, Correction, Rules
from storyline.store.db import _now
from storyline.store.link_state import LinkState


class Corrections(LinkState):
    def corrections(self, *, active: bool = True) -> list[Correction]:
        sql = "SELECT id, kind, story, article, other, note, at FROM corrections"
        if active:
            sql += " WHERE undone_at IS NULL"
        return [Correction(*row) for row in self.db.execute(sql + " ORDER BY id")]

    def correction_rules(self) -> Rules:
        return Rules(self.corrections())

    def _check_article(self, article: str) -> None:
        if self.db.execute("SELECT 1 FROM articles WHERE id = ?", (article,)).fetchone() is None:
            raise NotFoundError(f"no article with id {article!r}")

    def _check_story(self, story: str) -> None:
        found = self.db.execute("SELECT 1 FROM stories WHERE id = ?", (story,)).fetchone()
        if found is None:
            raise NotFoundError(f"no story with id {story!r}; `storyline serve` lists them")

    def add_correction(
        self,
        kind: str,
        *,
        story: str | None = None,
        articles: Sequence[str] = (),
        other: str | None = None,
        note: str | None = None,
    ) -> Correction:
        """Record a correction and apply it; the stories it changes are marked stale."""
        if kind not in KINDS:
            raise ConfigError(f"unknown correction {kind!r}; known: {', '.join(KINDS)}")
        for article in articles:
            self._check_article(article)
        for name in (story, other):
            if name is not None and kind in ("merge", "move", "split"):
                self._check_story(name)
        if kind == "split":
            if story is None or not articles:
                raise ConfigError("split needs a story and at least one of its articles")
            outside = [a for a in articles if self.story_of_shown(a) != story]
            if outside:
                raise ConfigError(f"not in story {story}: {', '.join(outside)}")
        with self.transaction():
            cursor = self.db.execute(
                "INSERT INTO corrections(kind, story, article, other, note, at)"
                " VALUES (?,?,?,?,?,?)",
                (kind, story, articles[0] if kind in ("move", "detach") else None,
                 json.dumps(list(articles)) if kind == "split" else other, note, _now()),
            )  # fmt: skip
            correction = self.corrections(active=False)[-1]
            assert correction.id == cursor.lastrowid
            self._reapply(correction)
        return correction

    def undo_correction(self, correction_id: int) -> Correction:
        found = [c for c in self.corrections() if c.id == correction_id]
        if not found:
            raise NotFoundError(
                f"no active correction {correction_id}; see `storyline corrections`"
            )
        with self.transaction():
            self.db.execute(
                "UPDATE corrections SET undone_at = ? WHERE id = ?", (_now(), correction_id)
            )
            self._reapply(found[0])
        return found[0]

    def story_of_shown(self, article: str) -> str | None:
        row = self.db.execute("SELECT story FROM articles WHERE id = ?", (article,)).fetchone()
        return None if row is None else row[0]

    def _reapply(self, correction: Correction) -> None:
        """Show the articles ``correction`` concerns with the active rules (inside the
        caller's transaction), mark the stories they leave or join, and log the change."""
        named = list(correction.articles())
        ids = set(named)
        if named:
            ids.update(r[0] for r in self.db.execute(
                "SELECT id FROM articles WHERE duplicate_of IN (SELECT value FROM json_each(?))",
                (json.dumps(named),)))  # fmt: skip
        for story in (correction.story, correction.other):
            if story and correction.kind == "merge":
                rows = self.db.execute(
                    "SELECT id FROM articles WHERE story = ? OR link_story = ?", (story, story)
                )
                ids.update(r[0] for r in rows)
        changed: set[str] = set()
        self.show(ids, self.correction_rules(), changed)
        self.mark_stale(changed)
        now = _now()
        self.db.executemany(
            "INSERT INTO story_changes(story, kind, article, other, at) VALUES (?,?,?,?,?)",
            [(s, "correction", None, str(correction.id), now) for s in sorted(changed)],
        )
