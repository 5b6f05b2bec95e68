"""The per-article stages and the function that runs them: ``Article -> AnnotatedArticle``.

A stage is a named function over one article's working state. It declares the fields it
needs and the one field it adds; the runner checks that every item it returns is of the
declared record type. Stages run in the order of ``STAGES``; there are no import-time
side effects and no cross-article state, so batches can run in any worker process.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from storyline.annotate.claims import extract_claims
from storyline.annotate.entities import extract_mentions
from storyline.annotate.nlp import Parsed, load, parse_many
from storyline.annotate.quotes import extract_quotes
from storyline.annotate.timex import find_timexes
from storyline.config import Settings
from storyline.errors import StorylineError
from storyline.model import AnnotatedArticle, Article, Claim, Mention, Quote, Sentence, Timex

#: bump when a stage changes what it produces: stored articles are then annotated again
ANNOTATION_VERSION = 3


@dataclass(slots=True)
class Work:
    """One article's state while its stages run."""

    parsed: Parsed
    fields: dict[str, tuple[Any, ...]] = field(default_factory=dict)

    @property
    def article(self) -> Article:
        return self.parsed.article


@dataclass(frozen=True, slots=True)
class Stage:
    name: str
    needs: tuple[str, ...]
    adds: str
    record: type[Any]
    run: Callable[[Work], Sequence[Any]]


def _sentences(work: Work) -> Sequence[Sentence]:
    return work.parsed.sentences


def _mentions(work: Work) -> Sequence[Mention]:
    article = work.article
    return extract_mentions(article.id, article.text, work.fields["sentences"], work.parsed.docs)


def _timexes(work: Work) -> Sequence[Timex]:
    article = work.article
    return find_timexes(article.id, article.text, work.fields["sentences"], article.published)


def _quotes(work: Work) -> Sequence[Quote]:
    article = work.article
    return extract_quotes(
        article.id, article.text, work.fields["sentences"], work.fields["mentions"]
    )


def _claims(work: Work) -> Sequence[Claim]:
    article = work.article
    return extract_claims(
        article.id, article.text, work.fields["sentences"], work.fields["mentions"]
    )


STAGES: tuple[Stage, ...] = (
    Stage("segment", needs=("docs",), adds="sentences", record=Sentence, run=_sentences),
    Stage("entities", needs=("docs", "sentences"), adds="mentions", record=Mention,
          run=_mentions),
    Stage("timex", needs=("sentences",), adds="timexes", record=Timex, run=_timexes),
    Stage("quotes", needs=("sentences", "mentions"), adds="quotes", record=Quote, run=_quotes),
    Stage("claims", needs=("sentences", "mentions"), adds="claims", record=Claim, run=_claims),
)  # fmt: skip

_FIELDS = ("sentences", "mentions", "timexes", "quotes", "claims")


class StageError(StorylineError):
    """A stage returned something other than what it declared (a bug in the stage)."""


def run_stages(work: Work, stages: Sequence[Stage] = STAGES) -> AnnotatedArticle:
    """Run ``stages`` over one parsed article and check what each adds."""
    available = {"docs", "article"}
    for stage in stages:
        missing = [n for n in stage.needs if n not in available]
        if missing:
            raise StageError(f"stage {stage.name!r} needs {missing}, not produced before it")
        result = tuple(stage.run(work))
        wrong = [r for r in result if not isinstance(r, stage.record)]
        if wrong:
            raise StageError(
                f"stage {stage.name!r} returned {type(wrong[0]).__name__}, "
                f"expected {stage.record.__name__}"
            )
        work.fields[stage.adds] = result
        available.add(stage.adds)
    return AnnotatedArticle(work.article, *(work.fields.get(name, ()) for name in _FIELDS))


def annotate_batch(articles: Sequence[Article], settings: Settings) -> list[AnnotatedArticle]:
    """Annotate ``articles``; the spaCy pipeline is loaded once per process."""
    nlp = load(settings.spacy_model, "annotate")
    return [run_stages(Work(parsed)) for parsed in parse_many(articles, nlp)]


def annotate(article: Article, settings: Settings | None = None) -> AnnotatedArticle:
    """Annotate one article (a pure function of the article and the settings)."""
    return annotate_batch([article], settings or Settings())[0]


def iter_annotate(
    articles: Sequence[Article], settings: Settings, batch: int = 64
) -> Iterator[AnnotatedArticle]:
    for i in range(0, len(articles), batch):
        yield from annotate_batch(articles[i : i + batch], settings)
