"""Records the Spark engine passes between its jobs (pickled between Python workers).

``seq`` is an article's place in the input, (file number, position in the file): the
order in which the local engine would store it. ``order`` is the stream order of the link
stage: publication date (undated last), then ``seq``, exactly as the local engine sorts its
stored articles (by date, stable on rowid).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from storyline.model import AnnotatedArticle, Article, Story
from storyline.store import Skip

Seq = tuple[int, int]
Order = tuple[bool, int, int, int]


def order_of(published: date | None, seq: Seq) -> Order:
    """The stream order of an article published on ``published`` found at ``seq``."""
    return (published is None, published.toordinal() if published else 0, seq[0], seq[1])


@dataclass(frozen=True, slots=True)
class Ingested:
    """One entry read from the input: an article, or the reason it was skipped."""

    seq: Seq
    article: Article | None = None
    skip: Skip | None = None


@dataclass(frozen=True, slots=True)
class Annotated:
    """An annotated article with its place in the input."""

    seq: Seq
    doc: AnnotatedArticle

    @property
    def order(self) -> Order:
        return order_of(self.doc.article.published, self.seq)


@dataclass(frozen=True, slots=True)
class BlockStory:
    """A story found by the clusterer inside one time block (``rank``: its place there)."""

    block: int
    rank: int
    story: Story


@dataclass(frozen=True, slots=True)
class StoryPlan:
    """What the synthesis of one story needs besides its articles: the story (original
    articles in stream order) and the near-duplicate copies of each of its articles."""

    story: Story
    copies: dict[str, tuple[str, ...]]
