"""Cross-article results: duplicates, stories and their stored reports."""

from __future__ import annotations

import json
from collections.abc import Collection, Iterator, Sequence
from datetime import date
from typing import Any

from storyline.errors import NotFoundError
from storyline.model import Duplicate, Story
from storyline.store.annotations import Annotations
from storyline.store.db import _iso, _now


class Links(Annotations):
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
        return list(self.iter_story_reports())

    def iter_story_reports(self, ids: Collection[str] | None = None) -> Iterator[dict[str, Any]]:
        """The stored ``storyline/v1`` story objects (of ``ids`` only, when given), newest
        first, parsed one at a time."""
        if ids is None:
            rows = self.db.execute("SELECT report FROM stories ORDER BY last_seen DESC, id")
        else:
            rows = self.db.execute(
                "SELECT report FROM stories WHERE id IN (SELECT value FROM json_each(?))"
                " ORDER BY last_seen DESC, id",
                (json.dumps(sorted(ids)),),
            )
        for row in rows:
            yield json.loads(row[0])

    def story_report(self, story_id: str) -> dict[str, Any]:
        row = self.db.execute("SELECT report FROM stories WHERE id = ?", (story_id,)).fetchone()
        if row is None:
            raise NotFoundError(f"no story with id {story_id!r}")
        report: dict[str, Any] = json.loads(row[0])
        return report
