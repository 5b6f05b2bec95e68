"""What changed since a moment: new stories, stories with new articles, new conflicts.

The web UI's story list shows it since the reader's last visit (a cookie set when they mark
everything as seen) or, without one, since the start of the last poll of ``storyline
watch``. "New" is by when an article was stored (``articles.ingested_at``): a new story is
one whose articles are all new, a grown story one that has old and new articles, and a new
conflict one that cites a new article. Read-only SQL over the stored reports; titles and
topics stay plain text (the template escapes them).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime

from storyline.store import Store

#: most stories named per kind of change
SHOWN = 10


@dataclass(frozen=True, slots=True)
class ChangedStory:
    id: str
    title: str
    new_articles: int
    articles: int
    topics: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Changes:
    """Changes since ``since`` (ISO time); ``basis`` names that moment for the reader."""

    since: str
    basis: str
    new_stories: tuple[ChangedStory, ...]
    grown: tuple[ChangedStory, ...]
    conflicts: tuple[ChangedStory, ...]
    totals: tuple[int, int, int]  # new stories, grown stories, stories with new conflicts

    @property
    def empty(self) -> bool:
        return not any(self.totals)

    @property
    def since_label(self) -> str:
        return self.since.replace("T", " ")[:16] + " UTC"


def parse_moment(value: str | None) -> str | None:
    """``value`` as a normalised ISO UTC time (seconds), or None when it is not one."""
    if not value or len(value) > 40:
        return None
    try:
        when = datetime.fromisoformat(value)
    except ValueError:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return when.astimezone(UTC).isoformat(timespec="seconds")


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def changes_since(store: Store, since: str, basis: str) -> Changes:
    """Stories changed by articles stored at or after ``since``, most recently changed first."""
    rows = store.db.execute(
        "SELECT n.story, s.title, n.fresh,"
        " (SELECT COUNT(*) FROM articles b WHERE b.story = n.story)"
        " FROM (SELECT story, COUNT(*) AS fresh FROM articles"
        "       WHERE ingested_at >= ? AND story IS NOT NULL GROUP BY story) n"
        " JOIN stories s ON s.id = n.story ORDER BY s.updated_at DESC, s.id",
        (since,),
    ).fetchall()
    ids = json.dumps([r[0] for r in rows])
    topics: dict[str, list[str]] = {}
    found = store.db.execute(
        "SELECT s.id, json_extract(c.value, '$.topic') FROM stories s,"
        " json_each(s.report, '$.conflicts') c WHERE s.id IN (SELECT value FROM json_each(?))"
        " AND EXISTS (SELECT 1 FROM json_each(c.value, '$.values') v,"
        "   json_each(v.value, '$.articles') a JOIN articles x ON x.id = a.value"
        "   WHERE x.ingested_at >= ?)"
        " ORDER BY s.id, c.key",
        (ids, since),
    )
    for story, topic in found:
        topics.setdefault(story, []).append(str(topic or "a figure"))
    stories = [ChangedStory(sid, title, int(fresh), int(total), tuple(topics.get(sid, ())))
               for sid, title, fresh, total in rows]  # fmt: skip
    new = [s for s in stories if s.new_articles >= s.articles]
    grown = [s for s in stories if s.new_articles < s.articles]
    conflicted = [s for s in stories if s.topics]
    return Changes(
        since, basis, tuple(new[:SHOWN]), tuple(grown[:SHOWN]), tuple(conflicted[:SHOWN]),
        (len(new), len(grown), len(conflicted)),
    )  # fmt: skip


def changes_for(store: Store, last_visit: str | None) -> Changes | None:
    """Changes since ``last_visit`` (a cookie's value) when it is a time, else since the
    start of the last poll; None when there is neither."""
    since = parse_moment(last_visit)
    if since is not None:
        return changes_since(store, since, "your last visit")
    poll = store.last_poll()
    if poll is None:
        return None
    return changes_since(store, poll.started, "the last poll")
