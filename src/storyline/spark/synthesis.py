"""Per-story link and synthesis on Spark: one task per story, the local engine's functions.

Needs: the stories (original articles in stream order), the duplicate links and the
annotated original articles. Adds: one ``StoryOutcome`` per story: its ``storyline/v1``
report, its ``Story`` record and the publication dates inferred for undated articles.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

from storyline.config import Settings
from storyline.link.stage import story_links
from storyline.model import AnnotatedArticle, Duplicate, Story
from storyline.schema import story_v1
from storyline.spark.records import Annotated, StoryPlan
from storyline.synthesize.report import synthesize_story

if TYPE_CHECKING:
    from pyspark import RDD


@dataclass(frozen=True, slots=True)
class StoryOutcome:
    story: Story
    report: dict[str, Any]
    inferred: dict[str, date]


def plans(stories: Sequence[Story], duplicates: Sequence[Duplicate]) -> list[StoryPlan]:
    """One plan per story with the copies of its articles (in stream order)."""
    copies: dict[str, list[str]] = {}
    for duplicate in duplicates:
        copies.setdefault(duplicate.duplicate_of, []).append(duplicate.article)
    return [
        StoryPlan(story, {a: tuple(copies[a]) for a in story.articles if a in copies})
        for story in stories
    ]


def _synthesize(
    plan_and_docs: tuple[Iterable[StoryPlan], Iterable[AnnotatedArticle]], settings: Settings
) -> list[StoryOutcome]:
    found_plans, found_docs = plan_and_docs
    docs = {d.article.id: d for d in found_docs}
    outcomes: list[StoryOutcome] = []
    for plan in found_plans:
        links = story_links(plan.story, docs, plan.copies, settings)
        report = synthesize_story(links, settings)
        data = story_v1(report)
        data["updated"] = datetime.now(UTC).isoformat(timespec="seconds")
        outcomes.append(StoryOutcome(report.story, data, dict(report.inferred_dates)))
    return outcomes


def synthesize_stories(
    originals: RDD[Annotated], story_plans: Sequence[StoryPlan], settings: Settings
) -> RDD[StoryOutcome]:
    """Group the articles by story and run ``synthesize_story`` once per story."""
    sc = originals.context
    story_of = sc.broadcast({a: p.story.id for p in story_plans for a in p.story.articles})
    slices = max(1, min(len(story_plans), originals.getNumPartitions()))
    keyed_plans = sc.parallelize([(p.story.id, p) for p in story_plans], slices)
    keyed_docs = originals.map(lambda a: (story_of.value[a.doc.article.id], a.doc))
    return keyed_plans.cogroup(keyed_docs, numPartitions=slices).flatMap(
        lambda kv: _synthesize(kv[1], settings)
    )
