"""Conflicts of date: the same event dated differently by independent sources.

Needs the story's annotated articles with resolved time expressions (undated articles
dated first) and its wire families; adds Conflict records of kind "date".

Two dated statements (timeline event mentions at day precision, anchored by an expression
rather than the article date) describe the same event when their content words — without
the time expression's own words — overlap strongly: at least ``min_shared`` shared terms and
a Jaccard similarity of at least ``threshold``. Same-event statements from different wire
families whose days differ form a conflict listing each date with the articles giving it.
Candidate pairs come from an inverted index over content terms, so a story's statements are
not all compared with each other.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from storyline.model import AnnotatedArticle, Conflict, ConflictValue
from storyline.synthesize.similarity import content_terms
from storyline.synthesize.timeline import EventMention, event_mentions

#: a term in more than this share of the statements is too common to propose candidates
_COMMON = 0.2


def _terms(mention: EventMention) -> frozenset[str]:
    expression = set(content_terms(mention.expression))
    return frozenset(t for t in content_terms(mention.text) if t not in expression)


def date_conflicts(
    articles: Sequence[AnnotatedArticle],
    families: Sequence[frozenset[str]] = (),
    *,
    threshold: float = 0.6,
    min_shared: int = 4,
) -> list[Conflict]:
    """Events that independent sources put on different days (see the module docstring)."""
    family = {aid: n for n, members in enumerate(families) for aid in members}
    mentions = [
        m for doc in articles for m in event_mentions(doc) if m.precision == "day" and not m.present
    ]
    terms = [_terms(m) for m in mentions]
    postings: dict[str, list[int]] = defaultdict(list)
    for i, found in enumerate(terms):
        for term in found:
            postings[term].append(i)
    limit = max(2, int(_COMMON * len(mentions)))
    parent = list(range(len(mentions)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, found in enumerate(terms):
        shared: dict[int, int] = defaultdict(int)
        for term in found:
            if len(postings[term]) <= limit:
                for j in postings[term]:
                    if j > i:
                        shared[j] += 1
        for j, count in shared.items():
            a, b = mentions[i], mentions[j]
            if family.get(a.article, a.article) == family.get(b.article, b.article):
                continue
            union = len(found | terms[j])
            if count >= min_shared and union and len(found & terms[j]) / union >= threshold:
                parent[root(j)] = root(i)
    groups: dict[int, list[int]] = defaultdict(list)
    for i in range(len(mentions)):
        groups[root(i)].append(i)
    conflicts: list[Conflict] = []
    for members in groups.values():
        by_date: dict[str, list[EventMention]] = defaultdict(list)
        for i in members:
            by_date[mentions[i].date].append(mentions[i])
        if len(by_date) < 2:
            continue
        topic = min((mentions[i] for i in members), key=lambda m: len(m.text)).text
        values = tuple(
            ConflictValue(
                value=day,
                articles=tuple(sorted({m.article for m in said})),
                text=said[0].text,
            )
            for day, said in sorted(by_date.items())
        )
        conflicts.append(Conflict(kind="date", topic=topic, values=values))
    return sorted(conflicts, key=lambda c: c.topic)
