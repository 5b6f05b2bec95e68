"""Wire families: groups of articles that share most of their sentences.

Needs the ``Reuse`` records of ``link.reuse``. Corroboration counts a family as one source:
summaries, timelines and conflicts number sources by ``family_index``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from storyline.config import Settings
from storyline.model import Reuse


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
    parent = {article: article for article in article_ids}

    def root(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for reuse in reuses:
        if not family_link(reuse.score, len(reuse.shared_sentences), settings, reuse.verbatim):
            continue
        if reuse.a in parent and reuse.b in parent:
            ra, rb = root(reuse.a), root(reuse.b)
            if ra != rb:
                parent[rb] = ra
    groups: dict[str, list[str]] = {}
    for article in article_ids:
        groups.setdefault(root(article), []).append(article)
    return [frozenset(members) for members in groups.values()]


def family_index(article_ids: Iterable[str], families: Sequence[frozenset[str]]) -> dict[str, int]:
    """The number of each article's family in ``families``; an article in none is a family
    of its own (numbered after them)."""
    index = {member: number for number, family in enumerate(families) for member in family}
    for article in article_ids:
        index.setdefault(article, len(families) + len(index))
    return index
