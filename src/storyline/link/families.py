"""Wire families: groups of articles that share most of their sentences.

Needs the ``Reuse`` records of ``link.reuse``. Corroboration counts a family as one source:
summaries, timelines and conflicts number sources by ``family_index``. ``family_groups`` is
the one grouping of articles by pairs that families, the story list and the story page use.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from storyline.config import Settings
from storyline.model import AnnotatedArticle, Reuse


def family_link(score: float, shared: int, settings: Settings, verbatim: int | None) -> bool:
    """Whether a reuse pair (``score``, ``shared`` sentences, ``verbatim`` of them repeating
    the wording: ``link.verbatim``) makes one wire family: most of the shorter article
    reappears, or a block of ``wire_partial_sentences`` sentences that is at least
    ``wire_partial_threshold`` of it (a rewrite with its own additions); never with fewer
    than ``wire_min_shared`` sentences or ``wire_min_verbatim`` verbatim ones (``verbatim``
    None: not known, a report stored before it was counted)."""
    if shared < settings.wire_min_shared:
        return False
    if verbatim is not None and verbatim < settings.wire_min_verbatim:
        return False
    if score >= settings.wire_family_threshold:
        return True
    return shared >= settings.wire_partial_sentences and score >= settings.wire_partial_threshold


def wire_families(
    article_ids: Sequence[str], reuses: Sequence[Reuse], settings: Settings
) -> list[frozenset[str]]:
    """Connected groups of ``article_ids`` linked by reuse pairs that pass ``family_link``.

    Every id is in exactly one family (singletons included); families are listed in the
    order of their first member in ``article_ids``. Reuses naming unknown ids are ignored.
    """
    links = [(r.a, r.b) for r in reuses
             if family_link(r.score, len(r.shared_sentences), settings, r.verbatim)]  # fmt: skip
    return [frozenset(group) for group in family_groups(article_ids, links)]


def reused_families(docs: Sequence[AnnotatedArticle], settings: Settings) -> list[frozenset[str]]:
    """The wire families of ``docs`` from their sentence reuse (``link.reuse``: its cost grows
    with the square of the number of similar sentences)."""
    from storyline.link.reuse import find_reuse  # numpy and scipy: only when comparing

    return wire_families([d.article.id for d in docs], find_reuse(docs, settings), settings)


def family_groups(article_ids: Sequence[str], links: Iterable[tuple[Any, Any]]) -> list[list[str]]:
    """``article_ids`` grouped by ``links`` (pairs of ids; ids not listed are ignored): every
    id is in exactly one group, groups keep the order of their first member."""
    parent = {a: a for a in article_ids}

    def root(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in links:
        if a in parent and b in parent:
            ra, rb = root(str(a)), root(str(b))
            if ra != rb:
                parent[rb] = ra
    groups: dict[str, list[str]] = {}
    for article in article_ids:
        groups.setdefault(root(article), []).append(article)
    return list(groups.values())


def family_index(article_ids: Iterable[str], families: Sequence[frozenset[str]]) -> dict[str, int]:
    """The number of each article's family in ``families``; an article in none is a family
    of its own (numbered after them)."""
    index = {member: number for number, family in enumerate(families) for member in family}
    for article in article_ids:
        index.setdefault(article, len(families) + len(index))
    return index
