"""Pieces of the link stage shared by the engines: clustering a batch of articles as one
stream (the Spark engine's time blocks), and the links inside one story (sentence reuse,
wire families, copies after their originals). The local engine links incrementally
(``link.incremental``) and calls ``story_links`` for each story it synthesizes.

Near-duplicates are not clustered or analysed again: each joins the story of the earliest
copy and the wire family of that copy.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date

from storyline.config import Settings
from storyline.link.agencies import credited_agencies, merge_by_agency
from storyline.link.cluster import StoryClusterer
from storyline.link.families import wire_families
from storyline.link.reuse import find_reuse
from storyline.model import AnnotatedArticle, Reuse, Story


@dataclass(frozen=True, slots=True)
class StoryLinks:
    """One story with what the link stage found inside it."""

    story: Story
    docs: tuple[AnnotatedArticle, ...]  # the story's articles, duplicates left out
    reuse: tuple[Reuse, ...]
    families: tuple[frozenset[str], ...]  # every article of the story in exactly one


def _order(doc: AnnotatedArticle) -> tuple[bool, date]:
    return doc.article.published is None, doc.article.published or date.min


def cluster(
    docs: Sequence[AnnotatedArticle],
    settings: Settings,
    known: Mapping[str, str] | None = None,
) -> list[Story]:
    """Stories of ``docs`` in publication order; ``known`` article -> story seeds the stream."""
    known = known or {}
    clusterer = StoryClusterer(settings)
    for doc in sorted(docs, key=_order):
        story = known.get(doc.article.id)
        if story is None:
            clusterer.add(doc)
        else:
            clusterer.seed(doc, story)
    return clusterer.stories()


def story_links(
    story: Story,
    docs: Mapping[str, AnnotatedArticle],
    copies: Mapping[str, Sequence[str]],
    settings: Settings,
) -> StoryLinks:
    """The links of one story: reuse between its original articles, wire families (copies
    join their original's family), and the copies listed after their originals."""
    members = tuple(docs[a] for a in story.articles)
    reuse = find_reuse(members, settings)
    families = [
        frozenset(family | {c for a in family for c in copies.get(a, ())})
        for family in wire_families(story.articles, reuse, settings)
    ]
    if settings.wire_agency_families:  # one agency's copies are one source (link.agencies)
        credited = {d.article.id: credited_agencies(d.article) for d in members}
        families = merge_by_agency(families, credited)
    with_copies = tuple(a for aid in story.articles for a in (aid, *copies.get(aid, ())))
    kept = strongest_reuse(reuse, settings.reuse_per_article)
    return StoryLinks(replace(story, articles=with_copies), members, kept, tuple(families))


def strongest_reuse(reuse: Sequence[Reuse], per_article: int) -> tuple[Reuse, ...]:
    """The pairs that are among the ``per_article`` highest-scoring pairs of either of their
    articles, in their original order: a report stays linear in the story's size even when
    hundreds of its articles copy one another."""
    ranked: dict[str, list[tuple[float, int]]] = {}
    for position, pair in enumerate(reuse):
        for article in (pair.a, pair.b):
            ranked.setdefault(article, []).append((-pair.score, position))
    keep = {position for pairs in ranked.values() for _, position in sorted(pairs)[:per_article]}
    return tuple(pair for position, pair in enumerate(reuse) if position in keep)
