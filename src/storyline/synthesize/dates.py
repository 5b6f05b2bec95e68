"""Publication dates for undated articles, inferred from their story and their own content.

Method (per undated article A of one story):

1. *Known event dates* K: the day-precision values of the resolved DATE/TIME expressions of
   the story's dated articles (the seed header ``date YYYY-MM-DD`` is not an event). Each
   independent source (wire family) counts once per date.
2. *Candidate dates*: every dated article's date within +-2 days, plus the dates of A's own
   wire family and (for stories without any dated article) the latest absolute day-precision
   date A itself mentions and the day after.
3. For each candidate d, A's unresolved relative expressions ("on Monday", "Saturday night",
   "yesterday") are resolved against d (with ``storyline.annotate.timex.resolve_timexes``), and
   d is scored:

   - +1 for every resolved day that is a known event date (agreement with the story),
   - -1 for every day that d lies more than one day after the latest day A refers to
     (news is published on the day of, or the day after, the latest event it reports),
   - +2 when d is the date of a dated member of A's wire family (copies share a date),
   - -0.1 per day between d and the nearest dated article (a weak prior for no evidence).

4. The best-scoring candidate wins; ties go to the latest candidate.

``infer_dates`` returns the chosen dates; ``explain_dates`` the same with the evidence;
``apply_dates`` writes them into the articles (``published_inferred=True``) and resolves the
articles' time expressions against them.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta

from storyline.model import AnnotatedArticle, Sentence, Timex
from storyline.synthesize.similarity import header_length

#: resolve_timexes(timexes, text, sentences, dct) -> resolved timexes (the timex module's API)
Resolver = Callable[[list[Timex], str, tuple[Sentence, ...], date], list[Timex]]

_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")
_SPREAD = 2  # candidate window around each dated article, in days
_FAMILY_BONUS = 2.0
_LATE_PENALTY = 1.0
_DISTANCE_PRIOR = 0.1


@dataclass(frozen=True, slots=True)
class DateEvidence:
    """One expression of the undated article resolved against the chosen date."""

    article: str
    sentence: int
    start: int
    end: int
    text: str
    value: str
    agrees: bool  # the resolved day is a known event date of the story


@dataclass(frozen=True, slots=True)
class DateInference:
    """The inferred publication date of ``article`` with its score and evidence."""

    article: str
    published: date
    score: float
    candidates: int
    evidence: tuple[DateEvidence, ...]


def day_of(value: str | None) -> date | None:
    """The calendar day of an ISO value with day precision ("2023-01-28TNI" -> 2023-01-28)."""
    if not value:
        return None
    match = _DAY.match(value)
    if not match:
        return None
    try:
        return date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:  # a malformed value from upstream ("2023-02-30") is not a day
        return None


def default_resolver() -> Resolver:
    """``storyline.annotate.timex.resolve_timexes`` or, while it is missing, a weekday-only one."""
    try:
        from storyline.annotate.timex import resolve_timexes
    except ImportError:
        return fallback_resolve
    return resolve_timexes


_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_SHIFT = {"today": 0, "tonight": 0, "yesterday": -1, "tomorrow": 1}


def fallback_resolve(
    timexes: list[Timex], text: str, sentences: tuple[Sentence, ...], dct: date
) -> list[Timex]:
    """Resolve weekday names and today/tonight/yesterday/tomorrow against ``dct``.

    A stand-in for the timex module: a weekday means the latest such day on or before
    ``dct`` ("last Monday": strictly before), or the next one after "next". Other
    expressions keep their value.
    """
    resolved: list[Timex] = []
    for timex in timexes:
        lowered = timex.text.lower()
        value: str | None = timex.value
        shift = next((s for word, s in _SHIFT.items() if word in lowered), None)
        weekday = next((i for i, name in enumerate(_WEEKDAYS) if name in lowered), None)
        if value is None and shift is not None:
            value = (dct + timedelta(days=shift)).isoformat()
        elif value is None and weekday is not None:
            back = (dct.weekday() - weekday) % 7
            if "next" in lowered:
                day = dct + timedelta(days=(weekday - dct.weekday()) % 7 or 7)
            else:
                day = dct - timedelta(days=back or (7 if "last" in lowered else 0))
            value = day.isoformat()
        resolved.append(replace(timex, value=value))
    return resolved


def _families_of(
    articles: Sequence[AnnotatedArticle], families: Sequence[frozenset[str]]
) -> dict[str, frozenset[str]]:
    """Each article id -> its family (articles missing from ``families`` are alone)."""
    family_of = {member: family for family in families for member in family}
    return {a.article.id: family_of.get(a.article.id, frozenset({a.article.id})) for a in articles}


def _dated_timexes(annotated: AnnotatedArticle) -> Iterable[Timex]:
    """DATE/TIME expressions of an article outside its ``date YYYY-MM-DD`` header."""
    skip = header_length(annotated.article.text)
    for timex in annotated.timexes:
        if timex.type in ("DATE", "TIME") and timex.start >= skip:
            yield timex


def known_event_dates(
    articles: Sequence[AnnotatedArticle], families: Sequence[frozenset[str]]
) -> Counter[date]:
    """Day-precision dates the story's dated articles refer to, counted once per family."""
    family_of = _families_of(articles, families)
    seen: set[tuple[frozenset[str], date]] = set()
    for annotated in articles:
        if annotated.article.published is None:
            continue
        for timex in _dated_timexes(annotated):
            day = day_of(timex.value)
            if day is not None:
                seen.add((family_of[annotated.article.id], day))
    return Counter(day for _, day in seen)


def _candidates(
    target: AnnotatedArticle, dated: Sequence[date], family_dates: set[date]
) -> list[date]:
    days = {d + timedelta(days=k) for d in dated for k in range(-_SPREAD, _SPREAD + 1)}
    days |= family_dates
    if not days:
        absolute = [day_of(t.value) for t in _dated_timexes(target)]
        latest = max((d for d in absolute if d is not None), default=None)
        if latest is not None:
            days = {latest, latest + timedelta(days=1)}
    return sorted(days)


def _score(
    target: AnnotatedArticle,
    candidate: date,
    known: Counter[date],
    family_dates: set[date],
    dated: Sequence[date],
    resolve: Resolver,
) -> tuple[float, tuple[DateEvidence, ...]]:
    relative = [t for t in _dated_timexes(target) if t.value is None]
    resolved = resolve(relative, target.article.text, target.sentences, candidate)
    evidence: list[DateEvidence] = []
    for timex in resolved:
        day = day_of(timex.value)
        if day is not None and timex.value is not None:
            evidence.append(
                DateEvidence(
                    timex.article,
                    timex.sentence,
                    timex.start,
                    timex.end,
                    timex.text,
                    timex.value,
                    agrees=day in known,
                )
            )
    score = float(sum(e.agrees for e in evidence))
    past = [day for e in evidence if (day := day_of(e.value)) is not None and day <= candidate]
    if past:
        score -= _LATE_PENALTY * max(0, (candidate - max(past)).days - 1)
    if candidate in family_dates:
        score += _FAMILY_BONUS
    if dated:
        score -= _DISTANCE_PRIOR * min(abs((candidate - d).days) for d in dated)
    return score, tuple(evidence)


def explain_dates(
    articles: Sequence[AnnotatedArticle],
    families: Sequence[frozenset[str]] = (),
    *,
    resolve: Resolver | None = None,
) -> list[DateInference]:
    """An inferred date, with its evidence, for each article of one story without a date.

    Needs the articles' time expressions (``timexes``; relative ones of undated articles
    have ``value=None``). Articles whose date cannot be inferred (no dated article in the
    story and no absolute date of their own) are left out.
    """
    resolve = resolve or default_resolver()
    family_of = _families_of(articles, families)
    known = known_event_dates(articles, families)
    published = {a.article.id: a.article.published for a in articles}
    dated = sorted({d for d in published.values() if d is not None})
    results: list[DateInference] = []
    for target in articles:
        if target.article.published is not None:
            continue
        family_dates = {
            d for member in family_of[target.article.id] if (d := published.get(member))
        }
        candidates = _candidates(target, dated, family_dates)
        best: tuple[float, date, tuple[DateEvidence, ...]] | None = None
        for candidate in candidates:
            score, evidence = _score(target, candidate, known, family_dates, dated, resolve)
            if best is None or score >= best[0]:  # ascending candidates: ties -> latest
                best = (score, candidate, evidence)
        if best is not None:
            results.append(
                DateInference(
                    article=target.article.id,
                    published=best[1],
                    score=best[0],
                    candidates=len(candidates),
                    evidence=best[2],
                )
            )
    return results


def infer_dates(
    articles: Sequence[AnnotatedArticle],
    families: Sequence[frozenset[str]] = (),
    *,
    resolve: Resolver | None = None,
) -> dict[str, date]:
    """Article id -> inferred publication date, for the undated articles of one story.

    See the module docstring for the method; ``families`` are the link stage's wire
    families (groups of article ids copying one wire story).
    """
    return {x.article: x.published for x in explain_dates(articles, families, resolve=resolve)}


def apply_dates(
    articles: Sequence[AnnotatedArticle],
    inferred: dict[str, date],
    *,
    resolve: Resolver | None = None,
) -> list[AnnotatedArticle]:
    """``articles`` with the ``inferred`` dates set (``published_inferred=True``) and the
    time expressions of those articles resolved against their new date. Others unchanged."""
    resolve = resolve or default_resolver()
    updated: list[AnnotatedArticle] = []
    for annotated in articles:
        day = inferred.get(annotated.article.id)
        if day is None or annotated.article.published is not None:
            updated.append(annotated)
            continue
        article = replace(annotated.article, published=day, published_inferred=True)
        timexes = resolve(list(annotated.timexes), article.text, annotated.sentences, day)
        updated.append(replace(annotated, article=article, timexes=tuple(timexes)))
    return updated
