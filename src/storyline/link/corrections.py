"""A reader's corrections of story membership, applied over what the clusterer decided.

The clusterer's decision for each article is kept as ``articles.link_story``; the story an
article is shown in (``articles.story``) is that decision with the active corrections
applied, oldest first:

* ``merge`` S T: story T is shown as part of S (a must-link between the two stories);
* ``move`` A S: article A is shown in story S (must-link to S, cannot-link to its old one);
* ``detach`` A: article A is shown alone and nothing is ever grouped with it;
* ``split`` S A...: the articles A... leave story S for a new story of their own.

An article-level correction also moves the article's near-duplicate copies. Corrections
never change the clusterer's state, so a later run, or a rebuild (which replays the stream
and then applies the same corrections), gives the same stories as the run that followed
the correction. Undoing a correction re-applies the others.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from storyline.errors import ConfigError
from storyline.model import Story

KINDS = ("merge", "move", "detach", "split")


def derived_id(seed: str) -> str:
    """The id of a story that a correction creates (same scheme as ``cluster.story_id``)."""
    import hashlib

    return "s" + hashlib.sha1(seed.encode("utf-8")).hexdigest()[:12]


@dataclass(frozen=True, slots=True)
class Correction:
    id: int
    kind: str
    story: str | None  # merge: the story kept; move: the target; split: the story split
    article: str | None  # move, detach: the article
    other: str | None  # merge: the story merged in; split: JSON list of the articles
    note: str | None
    at: str

    def articles(self) -> tuple[str, ...]:
        """The articles this correction names."""
        if self.kind == "split" and self.other:
            return tuple(json.loads(self.other))
        return (self.article,) if self.article else ()

    def describe(self) -> str:
        if self.kind == "merge":
            return f"merge {self.other} into {self.story}"
        if self.kind == "move":
            return f"move {self.article} to {self.story}"
        if self.kind == "detach":
            return f"detach {self.article}"
        return f"split {', '.join(self.articles())} out of {self.story}"


class Rules:
    """The active corrections, ready to map an article to the story it is shown in."""

    def __init__(self, corrections: Iterable[Correction]) -> None:
        self.merged: dict[str, str] = {}  # story -> the story it is shown in
        self.target: dict[str, str] = {}  # article -> story (before merges)
        for c in sorted(corrections, key=lambda c: c.id):
            if c.kind not in KINDS:
                raise ConfigError(f"correction {c.id}: unknown kind {c.kind!r}")
            if c.kind == "merge" and c.story and c.other and c.story != c.other:
                self.merged[c.other] = c.story
            elif c.kind == "move" and c.article and c.story:
                self.target[c.article] = c.story
            elif c.kind == "detach" and c.article:
                self.target[c.article] = derived_id(f"detached:{c.article}")
            elif c.kind == "split":
                new = derived_id(f"split:{c.id}")
                for article in c.articles():
                    self.target[article] = new

    def __bool__(self) -> bool:
        return bool(self.merged or self.target)

    def resolve(self, story: str) -> str:
        seen = {story}
        while story in self.merged and self.merged[story] not in seen:
            story = self.merged[story]
            seen.add(story)
        return story

    def story_of(self, article: str, link_story: str, duplicate_of: str | None) -> str:
        """The story ``article`` is shown in."""
        target = self.target.get(article)
        if target is None and duplicate_of is not None:
            target = self.target.get(duplicate_of)
        return self.resolve(target or link_story)

    def shown(self, rows: Mapping[str, tuple[str, str | None]]) -> dict[str, str]:
        """article -> shown story, for ``rows`` article -> (link_story, duplicate_of)."""
        return {a: self.story_of(a, s, d) for a, (s, d) in rows.items()}

    def regroup(self, stories: Sequence[Story], order: Mapping[str, Any]) -> list[Story]:
        """The clusterer's ``stories`` (original articles only) as shown with these rules:
        articles moved, detached or split out go to their target story, merged stories
        become one (the kept story's title; a new story gets its headline at synthesis).
        Members are sorted by ``order`` (article -> stream position). For engines that
        cluster in one batch (Spark); the incremental engine applies the rules per article.
        Copies follow their original (a correction naming a copy alone is applied by the
        next local run)."""
        if not self:
            return list(stories)
        titles = {s.id: s.title for s in stories}
        groups: dict[str, list[str]] = {}
        for story in stories:
            for article in story.articles:
                groups.setdefault(self.story_of(article, story.id, None), []).append(article)
        ordered = {sid: sorted(members, key=order.__getitem__) for sid, members in groups.items()}
        firsts = sorted(ordered, key=lambda sid: order[ordered[sid][0]])
        return [Story(sid, titles.get(sid, ""), tuple(ordered[sid]), None, None) for sid in firsts]
