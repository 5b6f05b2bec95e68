"""One story's report: a pure function of its linked articles.

Order matters: undated articles get a date first (and their relative time expressions are
resolved against it), then entities are merged, and the timeline, summary, quotes, claims
and conflicts are built over the dated articles.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from storyline.config import Settings
from storyline.link.stage import StoryLinks
from storyline.model import AnnotatedArticle, Story, StoryReport, TopicDate
from storyline.synthesize.conflicts import find_conflicts, spelling_conflicts
from storyline.synthesize.date_conflicts import date_conflicts
from storyline.synthesize.dates import apply_dates, infer_dates
from storyline.synthesize.entities import mention_entity_map, merge_entities
from storyline.synthesize.provenance import with_first_reports
from storyline.synthesize.quotes import group_quotes
from storyline.synthesize.summary import summarize
from storyline.synthesize.timeline import build_timeline
from storyline.synthesize.titles import story_headline
from storyline.synthesize.topic_timeline import topic_timeline


def synthesize_story(links: StoryLinks, settings: Settings) -> StoryReport:
    """The report of one story: headline and dek, dates, entities, timeline, summary, quotes,
    conflicts."""
    families = links.families
    inferred = infer_dates(links.docs, families)
    docs = apply_dates(links.docs, inferred)
    entities = merge_entities(docs)
    sentences = {d.article.id: d.sentences for d in docs}
    claims = {d.article.id: d.claims for d in docs}
    days = [d.article.published for d in docs if d.article.published is not None]
    headline = story_headline(
        docs, families, fallback=links.story.title, max_words=settings.summary_title_words
    )
    story = replace(
        links.story,
        title=headline.title,
        dek=headline.dek,
        first_seen=min(days, default=None),
        last_seen=max(days, default=None),
    )
    report = StoryReport(
        story=story,
        summary=tuple(
            summarize(
                docs,
                families,
                max_words=settings.summary_words,
                fill_min_words=settings.summary_fill_min_words,
            )
        ),
        timeline=tuple(build_timeline(docs, families)),
        entities=tuple(entities),
        quotes=tuple(group_quotes({d.article.id: d.quotes for d in docs}, sentences, entities)),
        claims=tuple(c for d in docs for c in d.claims),
        conflicts=tuple(
            find_conflicts(
                claims, sentences, families, dates={d.article.id: d.article.published for d in docs}
            )
        )
        + tuple(date_conflicts(docs, families))
        + tuple(
            spelling_conflicts(
                entities,
                [m for d in docs for m in d.mentions],
                mention_entity_map(docs, entities),
            )
        ),
        reuse=links.reuse,
        inferred_dates=inferred,
        key_days=tuple(_key_days(docs, families, story, settings)),
        families=tuple(
            tuple(a for a in links.story.articles if a in family) for family in families
        ),
    )
    return with_first_reports(report, docs)  # who reported each entry and claim first


def _key_days(
    docs: Sequence[AnnotatedArticle],
    families: Sequence[frozenset[str]],
    story: Story,
    settings: Settings,
) -> list[TopicDate]:
    """The key days of a story published over ``story_key_days_span`` days or more (its day
    by day timeline is then too long to read): the topic timeline of its articles."""
    span = settings.story_key_days_span
    if span <= 0 or story.first_seen is None or story.last_seen is None:
        return []
    if (story.last_seen - story.first_seen).days + 1 < span:
        return []
    return topic_timeline(docs, families, per_date=settings.timeline_per_date,
                          max_dates=settings.story_key_days)  # fmt: skip
