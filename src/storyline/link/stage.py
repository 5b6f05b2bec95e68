"""The link stage over a whole archive: near-duplicates, stories (as a stream), and
sentence reuse and wire families within each story.

Near-duplicates are not clustered or analysed again: each joins the story of the earliest
copy and the wire family of that copy. Articles that already have a story keep it (they
seed the clusterer), so a run over new articles continues the stream.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date

from storyline.config import Settings
from storyline.link.cluster import StoryClusterer
from storyline.link.dedup import find_duplicates
from storyline.link.reuse import find_reuse, wire_families
from storyline.model import AnnotatedArticle, Duplicate, Reuse, Story


@dataclass(frozen=True, slots=True)
class StoryLinks:
    """One story with what the link stage found inside it."""

    story: Story
    docs: tuple[AnnotatedArticle, ...]  # the story's articles, duplicates left out
    reuse: tuple[Reuse, ...]
    families: tuple[frozenset[str], ...]  # every article of the story in exactly one


@dataclass(frozen=True, slots=True)
class LinkResult:
    duplicates: tuple[Duplicate, ...]
    stories: tuple[StoryLinks, ...]


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


def link(
    docs: Sequence[AnnotatedArticle],
    settings: Settings,
    known: Mapping[str, str] | None = None,
) -> LinkResult:
    """Duplicates, stories, reuse and wire families over ``docs``."""
    duplicates = find_duplicates([d.article for d in docs], settings)
    copy_of = {d.article: d.duplicate_of for d in duplicates}
    originals = [d for d in docs if d.article.id not in copy_of]
    by_id = {d.article.id: d for d in originals}
    copies: dict[str, list[str]] = {}
    for copy, original in copy_of.items():
        copies.setdefault(original, []).append(copy)
    linked = [
        story_links(story, by_id, copies, settings) for story in cluster(originals, settings, known)
    ]
    return LinkResult(tuple(duplicates), tuple(linked))


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
