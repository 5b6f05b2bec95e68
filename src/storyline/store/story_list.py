"""The story list, precomputed: one small row per story and the indexes its filters use.

The web UI and the reports list stories a page at a time; nothing they show in a list row
may need a scan over every story or a parse of a stored report. So when a story is stored,
triggers on ``stories`` (migration 7, ``storyline.store.schema``) fill, for every writer:

* ``story_list``: title, dates, ``updated_at``, how many articles, conflicts, the outlets
  (JSON array) and articles per publication day (JSON ``[[YYYY-MM-DD, n], ...]``), indexed
  by ``last_seen`` (list order) and ``first_seen`` (date filter);
* ``story_outlets(outlet, story)``: the outlet filter;
* ``story_names(story, name)``: every entity name and alias of the report, with the trigram
  index ``story_names_fts`` for the entity filter (a case-insensitive substring match);

and a deleted story (merged away, or every story at a rebuild) takes its rows with it.
``index_story`` adds what SQL cannot compute: the number of independent sources as the list
counts them (wire families over the report's reuse pairs scoring at least the link
settings' ``wire_family_threshold``, near-duplicates with their originals), with that
threshold. ``LinkState.save_story`` calls it; a story stored another way (the Spark engine's
``save_links``) has ``sources`` NULL and the reader computes it for the rows it shows.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Mapping
from typing import Any

from storyline.config import Settings
from storyline.link.families import family_groups
from storyline.schema import stored_families


def family_links(
    reuse: Iterable[Mapping[str, Any]],
    duplicates: Iterable[tuple[str, str | None]],
    threshold: float,
) -> list[tuple[Any, Any]]:
    """The pairs that make two articles one source: reuse pairs with ``score`` >=
    ``threshold`` and (article, duplicate_of) of copies."""
    pairs = [(r.get("a"), r.get("b")) for r in reuse if float(r.get("score") or 0) >= threshold]
    return pairs + [(a, original) for a, original in duplicates if original]


def list_threshold(db: sqlite3.Connection) -> float:
    """The wire-family threshold the stored stories were linked with (default if unknown)."""
    row = db.execute(
        "SELECT json_extract(value, '$.wire_family_threshold') FROM link_meta"
        " WHERE key = 'settings'"
    ).fetchone()
    return float(row[0]) if row and row[0] is not None else Settings().wire_family_threshold


def index_story(db: sqlite3.Connection, story_id: str, report: Mapping[str, Any]) -> None:
    """Record the list's independent-source count of one just-saved story (inside the
    caller's transaction; the triggers have written the rest of its row)."""
    threshold = list_threshold(db)
    members = db.execute(
        "SELECT id, duplicate_of FROM articles WHERE story = ? ORDER BY rowid", (story_id,)
    ).fetchall()
    ids = [m[0] for m in members]
    stored = stored_families(report, ids)  # as synthesis counted them
    if stored is None:
        stored = family_groups(ids, family_links(report.get("reuse") or [], members, threshold))
    sources = len(stored)
    db.execute(
        "UPDATE story_list SET sources = ?, threshold = ? WHERE id = ?",
        (sources, threshold, story_id),
    )
