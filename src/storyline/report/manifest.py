"""Which pages of the static report to write: all of them, or only what changed.

The report folder keeps a small manifest (``.storyline-report.json``): the database it was
written from and the last entry of that database's ``story_changes`` log it reflects. The
next write reads the log after that entry and rewrites the pages of stories that changed
(and of all their articles), removes the pages of stories merged away, and writes the pages
of new articles; a missing or foreign manifest, a rebuild, or ``full`` rewrites everything.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from storyline.store import Store

MANIFEST = ".storyline-report.json"
_VERSION = 1


@dataclass(slots=True)
class PagePlan:
    full: bool
    db: str
    last_change: int
    stories: set[str] | None = None  # None: every story
    articles: set[str] = field(default_factory=set)  # new or moved articles
    gone: set[str] = field(default_factory=set)  # stories merged away

    def article_ids(self, store: Store) -> Iterator[str]:
        """The articles whose pages are written: all, or those of changed stories and the
        new ones."""
        if self.stories is None:
            yield from (r[0] for r in store.db.execute("SELECT id FROM articles ORDER BY rowid"))
            return
        ids = set(self.articles)
        for story in sorted(self.stories):
            ids.update(r[0] for r in store.db.execute(
                "SELECT id FROM articles WHERE story = ?", (story,)))  # fmt: skip
        yield from sorted(ids)

    def done(self, folder: Path) -> None:
        data = {"version": _VERSION, "db": self.db, "last_change": self.last_change}
        (folder / MANIFEST).write_text(json.dumps(data), encoding="utf-8")


def plan_pages(store: Store, folder: Path, full: bool = False) -> PagePlan:
    db = str(store.path.resolve())
    row = store.db.execute("SELECT MAX(id) FROM story_changes").fetchone()
    last = int(row[0] or 0)
    previous = _read(folder / MANIFEST)
    if full or previous is None or previous.get("db") != db:
        return PagePlan(full=True, db=db, last_change=last)
    since = int(previous.get("last_change", 0))
    if since > last:  # the log is older than the report: another database, or restored
        return PagePlan(full=True, db=db, last_change=last)
    plan = PagePlan(full=False, db=db, last_change=last, stories=set())
    rows = store.db.execute(
        "SELECT story, kind, article, other FROM story_changes WHERE id > ? ORDER BY id",
        (since,),
    )
    for story, kind, article, other in rows:
        if kind == "rebuild":
            return PagePlan(full=True, db=db, last_change=last)
        assert plan.stories is not None
        plan.stories.add(story)
        if article:
            plan.articles.add(article)
        if kind == "merge" and other:
            plan.gone.add(other)
    assert plan.stories is not None
    existing = {r[0] for r in store.db.execute(
        "SELECT id FROM stories WHERE id IN (SELECT value FROM json_each(?))",
        (json.dumps(sorted(plan.stories)),))}  # fmt: skip
    plan.gone |= plan.stories - existing  # merged away or emptied by a correction
    plan.stories &= existing
    return plan


def _read(path: Path) -> dict[str, Any] | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("version") != _VERSION:
        return None
    return data
