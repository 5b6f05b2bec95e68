"""The story clusterer's state kept in SQLite, loaded only where new articles touch it.

``StoredState`` is a ``ClusterState`` whose dictionaries are caches over the tables of
migration 4: ``vocabulary`` (document frequencies), ``postings`` (index key -> recent
stories), ``link_stories`` (each story's centroids, headlines, dates and title),
``story_alias`` (merged stories) and ``link_meta`` (counters and the clock). Linking an
article reads the document frequencies of its terms, the posting lists of its index keys,
the headers of the stories those name and the full state of at most a dozen candidates;
``flush`` writes back what changed and empties the caches, so memory does not grow with
the archive. Floats go through JSON, which round-trips them exactly: a stream linked in
many runs ends in the same state as the same stream linked in one.

Unlike the in-memory state, archived stories keep their vectors (they cost nothing until
loaded), so a late article published within the window of an archived story still finds it.
"""

from __future__ import annotations

import heapq
import json
import sqlite3
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import date
from typing import Any

import numpy as np

from storyline.link.cluster_state import ClusterState, Header, StoryState
from storyline.link.vectors import Centroid, Vocabulary

_CHUNK = 500


def chunks(items: Sequence[str], size: int = _CHUNK) -> Iterator[Sequence[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def marks(items: Sequence[object]) -> str:
    return ",".join("?" * len(items))


class StoredVocabulary(Vocabulary):
    """A vocabulary whose document frequencies are read from the store on first use."""

    def __init__(self, db: sqlite3.Connection, kind: int) -> None:
        super().__init__()
        self.db = db
        self.kind = kind
        self.dirty: set[str] = set()

    def _ensure(self, keys: Iterable[str]) -> None:
        df = self.df
        missing = [k for k in dict.fromkeys(keys) if k not in df]
        for part in chunks(missing):
            rows = self.db.execute(
                f"SELECT key, df FROM vocabulary WHERE kind = ? AND key IN ({marks(part)})",
                (self.kind, *part),
            )
            found = dict(rows.fetchall())
            for key in part:
                df[key] = found.get(key, 0)

    def add(self, keys: Iterable[str]) -> None:
        listed = list(keys.keys() if isinstance(keys, Mapping) else keys)
        self._ensure(listed)
        super().add(listed)
        self.dirty.update(listed)

    def idf(self, key: str) -> float:
        self._ensure((key,))
        return super().idf(key)

    def idfs(self, keys: Iterable[str]) -> dict[str, float]:
        listed = list(keys)
        self._ensure(listed)
        return super().idfs(listed)

    def flush(self) -> None:
        self.db.executemany(
            "INSERT INTO vocabulary(kind, key, df) VALUES (?,?,?)"
            " ON CONFLICT(kind, key) DO UPDATE SET df = excluded.df",
            [(self.kind, key, self.df[key]) for key in sorted(self.dirty)],
        )
        self.dirty.clear()
        self.df.clear()


def story_json(story: StoryState) -> str:
    """The state of ``story`` that is not in its table row, as JSON."""
    embedding = None if story.embedding is None else story.embedding.tolist()
    return json.dumps(
        {
            "t": None if story.text is None else story.text.to_json(),
            "e": None if story.entities is None else story.entities.to_json(),
            "m": embedding,
            "h": story.headlines,
        },
        ensure_ascii=False,
    )


def story_from_row(row: tuple[Any, ...]) -> StoryState:
    sid, founded, first_seen, last_seen, archived, title, state = row
    data = json.loads(state)
    return StoryState(
        id=sid,
        founded=founded,
        first_seen=_day(first_seen),
        last_seen=_day(last_seen),
        text=None if data["t"] is None else Centroid.from_json(data["t"]),
        entities=None if data["e"] is None else Centroid.from_json(data["e"]),
        embedding=None if data["m"] is None else np.asarray(data["m"], dtype=np.float32),
        headlines=[(text, dict(tf)) for text, tf in data["h"]],
        title=title,
        archived=bool(archived),
    )


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


class StoredState(ClusterState):
    """The clusterer's state in the store's link tables (see the module docstring)."""

    keeps_archived = True

    def __init__(self, db: sqlite3.Connection) -> None:
        super().__init__()
        self.db = db
        self.terms: StoredVocabulary = StoredVocabulary(db, 0)
        self.entity_vocab: StoredVocabulary = StoredVocabulary(db, 1)
        meta = dict(db.execute("SELECT key, value FROM link_meta").fetchall())
        self.joined = int(meta.get("joined", 0))
        self.clock = _day(meta.get("clock"))
        self.terms.restore(int(meta.get("term_documents", 0)))
        self.entity_vocab.restore(int(meta.get("entity_documents", 0)))
        self.expiry = [
            (date.fromisoformat(seen).toordinal(), founded, sid)
            for sid, founded, seen in db.execute(
                "SELECT id, founded, last_seen FROM link_stories"
                " WHERE archived = 0 AND last_seen IS NOT NULL"
            )
        ]
        heapq.heapify(self.expiry)
        self._headers: dict[str, Header | None] = {}
        self._known_keys: set[str] = set()
        self._dirty_stories: set[str] = set()
        self._dirty_postings: set[str] = set()
        self._gone: set[str] = set()
        self._new_alias: dict[str, str] = {}
        self.merges: list[tuple[str, str]] = []  # (gone, into), in the order they happened

    # -- reads -----------------------------------------------------------------------
    def prepare(self, keys: Iterable[str]) -> None:
        wanted = list(dict.fromkeys(keys))
        missing = [k for k in wanted if k not in self._known_keys]
        for part in chunks(missing):
            rows = self.db.execute(
                f"SELECT key, stories FROM postings WHERE key IN ({marks(part)})", tuple(part)
            )
            for key, stories in rows:
                self.postings[key] = dict.fromkeys(json.loads(stories))
        self._known_keys.update(missing)
        sids = {sid for key in wanted for sid in self.postings.get(key, ())}
        self._load_headers(sids)

    def _load_headers(self, sids: Iterable[str]) -> None:
        todo = [s for s in sids if s not in self.stories and s not in self._headers]
        while todo:
            todo = [s for s in todo if s not in self.alias]
            for part in chunks(todo):
                rows = self.db.execute(
                    f"SELECT id, founded, last_seen FROM link_stories WHERE id IN ({marks(part)})",
                    tuple(part),
                )
                for sid, founded, seen in rows:
                    self._headers[sid] = (founded, _day(seen))
            unknown = [s for s in todo if s not in self._headers]
            targets: list[str] = []
            for part in chunks(unknown):
                rows = self.db.execute(
                    f"SELECT id, target FROM story_alias WHERE id IN ({marks(part)})", tuple(part)
                )
                for sid, target in rows:
                    self.alias[sid] = target
                    targets.append(target)
            for sid in unknown:
                if sid not in self.alias:
                    self._headers[sid] = None  # a story this state does not know
            todo = [t for t in dict.fromkeys(targets) if t not in self.stories]
            todo = [t for t in todo if t not in self._headers]

    def header(self, sid: str) -> Header | None:
        story = self.stories.get(sid)
        if story is not None:
            return None if story.text is None else (story.founded, story.last_seen)
        if sid in self._gone:
            return None
        return self._headers.get(sid)

    def load(self, sids: Iterable[str]) -> None:
        todo = [s for s in dict.fromkeys(sids) if s not in self.stories and s not in self._gone]
        for part in chunks(todo):
            rows = self.db.execute(
                "SELECT id, founded, first_seen, last_seen, archived, title, state"
                f" FROM link_stories WHERE id IN ({marks(part)})",
                tuple(part),
            )
            for row in rows:
                self.stories[row[0]] = story_from_row(row)

    def all_stories(self) -> list[StoryState]:
        return list(self.stories.values())  # the loaded ones only

    # -- changes ---------------------------------------------------------------------
    def add_story(self, story: StoryState) -> None:
        super().add_story(story)
        self._dirty_stories.add(story.id)

    def changed(self, story: StoryState) -> None:
        self._dirty_stories.add(story.id)

    def posting(self, key: str) -> dict[str, None]:
        if key not in self._known_keys:
            self.prepare((key,))
        self._dirty_postings.add(key)
        return super().posting(key)

    def merged(self, gone: str, into: str) -> None:
        super().merged(gone, into)
        self._gone.add(gone)
        self._dirty_stories.discard(gone)
        self._headers.pop(gone, None)
        self._new_alias[gone] = into
        self.merges.append((gone, into))

    # -- writing back ----------------------------------------------------------------
    def flush(self) -> None:
        """Write back what changed (inside the caller's transaction) and empty the caches."""
        db = self.db
        meta = {
            "joined": str(self.joined),
            "clock": _iso(self.clock) or "",
            "term_documents": str(self.terms.documents),
            "entity_documents": str(self.entity_vocab.documents),
        }
        db.executemany(
            "INSERT INTO link_meta(key, value) VALUES (?,?)"
            " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            sorted(meta.items()),
        )
        self.terms.flush()
        self.entity_vocab.flush()
        db.executemany(
            "INSERT INTO postings(key, stories) VALUES (?,?)"
            " ON CONFLICT(key) DO UPDATE SET stories = excluded.stories",
            [(k, json.dumps(list(self.postings[k]))) for k in sorted(self._dirty_postings)],
        )
        rows = []
        for sid in sorted(self._dirty_stories):
            story = self.stories[sid]
            rows.append((sid, story.founded, _iso(story.first_seen), _iso(story.last_seen),
                         int(story.archived), story.title, story_json(story)))  # fmt: skip
        db.executemany(
            "INSERT INTO link_stories(id, founded, first_seen, last_seen, archived, title, state)"
            " VALUES (?,?,?,?,?,?,?) ON CONFLICT(id) DO UPDATE SET"
            " founded = excluded.founded, first_seen = excluded.first_seen,"
            " last_seen = excluded.last_seen, archived = excluded.archived,"
            " title = excluded.title, state = excluded.state",
            rows,
        )
        db.executemany("DELETE FROM link_stories WHERE id = ?", [(s,) for s in sorted(self._gone)])
        db.executemany(
            "INSERT OR REPLACE INTO story_alias(id, target) VALUES (?,?)",
            sorted(self._new_alias.items()),
        )
        for cache in (self.stories, self.postings, self.alias, self._headers):
            cache.clear()
        for marked in (self._known_keys, self._dirty_stories, self._dirty_postings, self._gone):
            marked.clear()
        self._new_alias.clear()
        self.merges.clear()
