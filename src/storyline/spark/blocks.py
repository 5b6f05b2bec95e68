"""Story clustering on Spark as a blocked job.

Needs: the annotated original articles (near-duplicates left out) with their stream order.
Adds: ``Story`` records over the original articles.

The stream is cut into time blocks of ``block_days`` days, counted from the earliest
publication date. Block k holds the articles published in its own days plus the first
``cluster_window_days`` days of block k+1 (the clusterer never looks further back than
that window, so a story running across the edge is seen whole by block k); undated
articles go to the last block, where the local engine's stream also puts them. Each block
runs ``storyline.link.stage.cluster`` (the local engine's clusterer) over its articles in
stream order. Stories that share an article (found in two overlapping blocks) are then
merged: the story found first keeps its id and title, the articles follow in the order
the blocks found them.

A corpus spanning fewer than ``block_days`` days is a single block, so its stories are
exactly the local engine's.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from storyline.config import Settings
from storyline.link.stage import cluster
from storyline.model import AnnotatedArticle, Story
from storyline.spark.records import Annotated, BlockStory, Order

if TYPE_CHECKING:
    from pyspark import RDD


@dataclass(frozen=True, slots=True)
class Blocking:
    """The blocks of one run: the first day (ordinal), the block length and overlap."""

    start: int
    days: int
    overlap: int
    last: int  # number of the last block

    @classmethod
    def over(cls, first: int | None, last: int | None, days: int, overlap: int) -> Blocking:
        """Blocks of ``days`` days covering the ordinals ``first`` .. ``last``."""
        days = max(1, days)
        if first is None or last is None:
            return cls(0, days, overlap, 0)
        return cls(first, days, max(0, overlap), (last - first) // days)

    def blocks(self, order: Order) -> list[int]:
        """The blocks an article at stream position ``order`` belongs to."""
        undated, ordinal = order[0], order[1]
        if undated:
            return [self.last]
        offset = ordinal - self.start
        block = offset // self.days
        if block > 0 and offset % self.days < self.overlap:
            return [block - 1, block]
        return [block]


def _for_clustering(doc: AnnotatedArticle) -> AnnotatedArticle:
    """The parts of an article the clusterer reads (smaller to shuffle)."""
    return replace(doc, timexes=(), quotes=(), claims=())


def _cluster_block(
    block: int, items: Iterable[tuple[Order, AnnotatedArticle]], settings: Settings
) -> Iterator[BlockStory]:
    docs = [doc for _, doc in sorted(items, key=lambda item: item[0])]
    for rank, story in enumerate(cluster(docs, settings)):
        yield BlockStory(block, rank, story)


def cluster_blocks(
    originals: RDD[Annotated], settings: Settings, blocking: Blocking
) -> list[BlockStory]:
    """Run the local clusterer inside every block; the stories of all blocks."""
    keyed = originals.flatMap(
        lambda a: [(b, (a.order, _for_clustering(a.doc))) for b in blocking.blocks(a.order)]
    )
    partitions = max(1, min(blocking.last + 1, originals.getNumPartitions()))
    stories: list[BlockStory] = (
        keyed.groupByKey(numPartitions=partitions)
        .flatMap(lambda kv: _cluster_block(kv[0], kv[1], settings))
        .collect()
    )
    return stories


def merge_blocks(found: Sequence[BlockStory]) -> list[Story]:
    """Stories of all blocks with those sharing an article merged (union-find)."""
    ordered = sorted(found, key=lambda s: (s.block, s.rank))
    parent = list(range(len(ordered)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    owner: dict[str, int] = {}
    for i, block_story in enumerate(ordered):
        for article in block_story.story.articles:
            j = owner.setdefault(article, i)
            a, b = root(i), root(j)
            if a != b:
                parent[max(a, b)] = min(a, b)
    members: dict[int, list[int]] = {}
    for i in range(len(ordered)):
        members.setdefault(root(i), []).append(i)
    stories: list[Story] = []
    for first, group in sorted(members.items()):
        head = ordered[first].story
        articles = list(dict.fromkeys(a for i in group for a in ordered[i].story.articles))
        stories.append(replace(head, articles=tuple(articles)))
    return stories
