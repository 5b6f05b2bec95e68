"""The per-article stages and the function that runs them: ``Article -> AnnotatedArticle``.

A stage is a named function over one article's working state. It declares the fields it
needs and the one field it adds; the runner checks that every item it returns is of the
declared record type. Stages run in the order of ``STAGES``; there are no import-time
side effects and no cross-article state, so batches can run in any worker process.

``annotate_guarded`` is the poison-pill guard: an article whose parsing or any stage raises
(any exception, expected or not) becomes an ``Outcome`` with the reason instead of taking
the batch down; the other articles of the batch are annotated one by one.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from storyline.annotate.claims import extract_claims
from storyline.annotate.entities import extract_mentions
from storyline.annotate.nlp import Limits, Parsed, load, parse_many
from storyline.annotate.quotes import extract_quotes
from storyline.annotate.timex import find_timexes
from storyline.annotate.version import ANNOTATION_VERSION as ANNOTATION_VERSION  # re-export
from storyline.config import Settings
from storyline.errors import StorylineError
from storyline.model import AnnotatedArticle, Article, Claim, Mention, Quote, Sentence, Timex


@dataclass(slots=True)
class Work:
    """One article's state while its stages run."""

    parsed: Parsed
    fields: dict[str, tuple[Any, ...]] = field(default_factory=dict)
    stage: str = "parse"  # the stage running (for the reason of a failure)

    @property
    def article(self) -> Article:
        return self.parsed.article

    @property
    def text(self) -> str:
        """The analysed text: a prefix of the stored text (all of it unless a limit cut it),
        so offsets into it are offsets into the stored text."""
        return self.parsed.text


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
    return extract_mentions(article.id, work.text, work.fields["sentences"], work.parsed.docs)


def _timexes(work: Work) -> Sequence[Timex]:
    article = work.article
    return find_timexes(article.id, work.text, work.fields["sentences"], article.published)


def _quotes(work: Work) -> Sequence[Quote]:
    article = work.article
    return extract_quotes(article.id, work.text, work.fields["sentences"], work.fields["mentions"])


def _claims(work: Work) -> Sequence[Claim]:
    article = work.article
    return extract_claims(article.id, work.text, work.fields["sentences"], work.fields["mentions"])


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
        work.stage = stage.name
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
    """Annotate ``articles``; the spaCy pipeline is loaded once per process. An article that
    fails raises (see ``annotate_guarded`` for the guarded variant)."""
    nlp = load(settings.spacy_model, "annotate")
    limits = Limits.of(settings)
    return [run_stages(Work(parsed)) for parsed in parse_many(articles, nlp, limits=limits)]


@dataclass(frozen=True, slots=True)
class Outcome:
    """What annotating one article gave: its annotations or, when it failed, why; and the
    limits that cut what of it was analysed."""

    article: str  # article id
    doc: AnnotatedArticle | None
    error: str | None = None
    warnings: tuple[str, ...] = ()


#: longest failure reason kept (exception messages can quote whole inputs)
_REASON_CHARS = 500


def failure_reason(stage: str, exc: BaseException) -> str:
    """One line: which stage raised what, and where (innermost frame)."""
    words = " ".join(str(exc).split())  # one line; control characters made visible:
    message = "".join(c if c.isprintable() else c.encode("unicode_escape").decode() for c in words)
    if len(message) > _REASON_CHARS:
        message = message[:_REASON_CHARS] + "…"
    frames = traceback.extract_tb(exc.__traceback__)
    where = f" at {Path(frames[-1].filename).name}:{frames[-1].lineno}" if frames else ""
    reason = f"stage {stage!r} raised {type(exc).__name__}{where}"
    return f"{reason}: {message}" if message else reason


def _attempt(parsed: Parsed) -> Outcome:
    work = Work(parsed)
    try:
        doc = run_stages(work)
    except Exception as exc:  # the poison-pill guard: any failure of one article
        return Outcome(parsed.article.id, None, failure_reason(work.stage, exc), parsed.warnings)
    return Outcome(parsed.article.id, doc, None, parsed.warnings)


def annotate_guarded(articles: Sequence[Article], settings: Settings) -> list[Outcome]:
    """One ``Outcome`` per article of ``articles``, in order; never raises for one article's
    failure. When parsing the batch fails, the articles not yet done are parsed one by one,
    so only the article that fails is marked failed. Errors that are not about an article
    (the spaCy model missing, a bad setting) are raised."""
    nlp = load(settings.spacy_model, "annotate")
    limits = Limits.of(settings)
    outcomes: list[Outcome] = []
    try:
        for parsed in parse_many(articles, nlp, limits=limits):
            outcomes.append(_attempt(parsed))
    except Exception:
        for article in articles[len(outcomes) :]:
            try:
                parsed = next(parse_many([article], nlp, limits=limits))
            except Exception as exc:
                outcomes.append(Outcome(article.id, None, failure_reason("parse", exc)))
                continue
            outcomes.append(_attempt(parsed))
    return outcomes


def annotate(article: Article, settings: Settings | None = None) -> AnnotatedArticle:
    """Annotate one article (a pure function of the article and the settings)."""
    return annotate_batch([article], settings or Settings())[0]


def iter_annotate(
    articles: Sequence[Article], settings: Settings, batch: int = 64
) -> Iterator[AnnotatedArticle]:
    for i in range(0, len(articles), batch):
        yield from annotate_batch(articles[i : i + batch], settings)
