"""Where the streaming story clusterer keeps its state.

``ClusterState`` holds everything in dictionaries: vocabularies (document frequencies), the
stories (centroids, headlines, dates), the posting lists from index keys to stories, the
aliases left by merges, the expiry heap of live stories and two counters. The clusterer
reads and changes state only through the methods below, so ``link.state.StoredState`` can
keep the same state in SQLite and load only what the articles being linked touch.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

import numpy as np
from numpy.typing import NDArray

from storyline.link.vectors import Centroid, Vocabulary


@dataclass(slots=True)
class StoryState:
    """One story as the clusterer sees it."""

    id: str
    founded: int  # articles joined before this story was founded: the stream position
    articles: list[str] = field(default_factory=list)  # joined in this session
    first_seen: date | None = None
    last_seen: date | None = None
    text: Centroid | None = field(default_factory=Centroid)  # None once archived in memory
    entities: Centroid | None = field(default_factory=Centroid)
    embedding: NDArray[np.float32] | None = None
    headlines: list[tuple[str, dict[str, float]]] = field(default_factory=list)
    title: str = ""  # the representative headline as of the last change
    archived: bool = False  # idle for longer than the window; the title is fixed


@dataclass(frozen=True, slots=True)
class JoinReason:
    """Why an article joined an existing story, as the clusterer saw it then."""

    similarity: float
    terms: tuple[str, ...]  # shared terms that weighed most ("a b" = adjacent pair)
    entities: tuple[str, ...]  # shared entity keys that weighed most


@dataclass(slots=True)
class Features:
    """One article's vectors and index keys as the clusterer computed them."""

    text: dict[str, float]  # tf * idf * idf, see Centroid.cosine
    text_norm: float  # norm of tf * idf
    entities: dict[str, float]
    entity_norm: float
    text_tf: dict[str, float]
    entity_tf: dict[str, float]
    text_idf: dict[str, float]
    entity_idf: dict[str, float]
    index_keys: list[tuple[str, float]]
    headline: str
    embedding: NDArray[np.float32] | None


def join_reason(features: Features, story: StoryState, similarity: float) -> JoinReason:
    """Why an article joins ``story``: its similarity and the terms and entities that weigh
    most in it (the article's weight times the story centroid's)."""

    def top(query: dict[str, float], centroid: dict[str, float]) -> tuple[str, ...]:
        common = sorted(query.keys() & centroid.keys(), key=lambda k: (-query[k] * centroid[k], k))
        return tuple(common[:5])

    text = story.text.weights if story.text is not None else {}
    entities = story.entities.weights if story.entities is not None else {}
    return JoinReason(round(similarity, 4), top(features.text, text),
                      top(features.entities, entities))  # fmt: skip


#: (founded, last_seen) of a story that can be a candidate
Header = tuple[int, date | None]


class ClusterState:
    """The clusterer's state in memory. Archived stories drop their vectors (a stream in
    publication order never compares an article with them again)."""

    keeps_archived = False

    def __init__(self) -> None:
        self.terms = Vocabulary()
        self.entity_vocab = Vocabulary()
        self.stories: dict[str, StoryState] = {}
        self.postings: dict[str, dict[str, None]] = {}
        self.alias: dict[str, str] = {}
        self.expiry: list[tuple[int, int, str]] = []  # (last_seen ordinal, founded, id)
        self.joined = 0  # articles joined so far
        self.clock: date | None = None

    # -- reads -----------------------------------------------------------------------
    def prepare(self, keys: Iterable[str]) -> None:
        """Make the posting lists of ``keys`` and what they name ready to read."""

    def header(self, sid: str) -> Header | None:
        """Founded and last seen of story ``sid``, or None when it cannot be a candidate."""
        story = self.stories.get(sid)
        if story is None or story.text is None:
            return None
        return story.founded, story.last_seen

    def load(self, sids: Iterable[str]) -> None:
        """Make the stories ``sids`` ready for ``story``."""

    def story(self, sid: str) -> StoryState | None:
        return self.stories.get(sid)

    def all_stories(self) -> list[StoryState]:
        return list(self.stories.values())

    # -- changes ---------------------------------------------------------------------
    def add_story(self, story: StoryState) -> None:
        self.stories[story.id] = story

    def changed(self, story: StoryState) -> None:
        """``story`` was changed in place."""

    def posting(self, key: str) -> dict[str, None]:
        """The posting list of ``key`` for changing in place (created when missing)."""
        return self.postings.setdefault(key, {})

    def merged(self, gone: str, into: str) -> None:
        """Story ``gone`` was merged into ``into``."""
        del self.stories[gone]
        self.alias[gone] = into
