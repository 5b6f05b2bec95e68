"""A topic timeline: the most important days of many articles, a few cited sentences each.

Needs annotated articles (sentences, resolved time expressions, publication dates where
known; run ``synthesize.dates.apply_dates`` first for undated ones) and, optionally, the
link stage's wire families; returns :class:`TopicDate` records in date order. This is news
timeline summarisation (Tran et al. 2013; Ghalandari & Ifrim 2020) over a topic of months.

1. *Units*: an article's sentences as summaries take them (``synthesize.candidates``: at
   least ``MIN_WORDS`` words ending like a sentence, not the headline nor a piece of a
   quotation that spans sentences; a leading dateline or byline is left out of the text
   and kept as ``dropped``). A unit's *own days*
   are the days its DATE/TIME expressions resolve to (day precision; period edges such as
   "since Monday" or "until Friday" and event-relative "a day after <event>" do not count).
2. *Date scores* over the topic's range (the given ``start``/``end``, else from 14 days
   before the first publication to 7 days after the last one). Every independent source
   (wire family) counts once per day and signal:

   - ``mentions(d)``: the sources with a unit whose own day is d, a source published after d
     counting ``1 + LATER`` (a day still referred to afterwards mattered),
   - ``published(d)``: the sources with an article published on d,
   - ``burst(d)``: ``published(d)`` above its mean over the ``BURST_WINDOW`` days around d,

   ``score(d) = mentions(d) + PUB * published(d) + BURST * burst(d)``. The ``dates`` best
   days are kept; without ``dates``, every day with a score of at least ``AUTO_SHARE`` of the
   best one that is named by a source or published on by three, at most ``max_dates``.
3. *Sentences per day* d: candidates are the units whose own day is d and the units without
   any day of their own from articles published on d. A candidate's score is its centrality
   (mean TF-IDF cosine to the candidates of d from other sources, plus ``TOPIC`` times its
   cosine to the whole topic's centroid), times ``1 + OWN`` when its own expression names d,
   times ``1 + LEAD / (position + 1)`` (news puts the essentials first). Days are filled in
   order of importance; a candidate at cosine ``NOVELTY`` or more to a sentence already
   chosen for any day is skipped (no redundancy across days).
4. *Citations*: the chosen sentence and, in every other article, the unit most similar to
   it at cosine ``CITE`` or more that does not name another day; ``sources`` is the number of
   distinct wire families among the cited articles.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
from numpy.typing import NDArray
from scipy.sparse import csr_matrix

from storyline.link.families import family_index
from storyline.model import AnnotatedArticle, Citation, SummarySentence, TopicDate
from storyline.synthesize.candidates import Candidate, article_candidates
from storyline.synthesize.similarity import header_length, tfidf_matrix

MIN_WORDS = 6
LATER = 0.5  # extra weight of a mention from a source published after the day it names
PUB = 1.0  # weight of the sources published on a day
BURST = 0.5  # weight of the publication burst
BURST_WINDOW = 7  # days on each side for the burst's baseline
AUTO_SHARE = 0.15  # automatic L: days scoring at least this share of the best day
OWN = 1.0  # bonus of a sentence whose own time expression names the day
LEAD = 0.5
TOPIC = 0.5  # weight of the similarity to the whole topic in a sentence's centrality
NOVELTY = 0.5
CITE = 0.5
RANGE_BEFORE = 14  # default range: days before the first publication ...
RANGE_AFTER = 7  # ... and after the last one
MAX_DATES = 40
PER_DATE = 2

_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:T.*)?$")
_PERIOD_EDGE = re.compile(r"\b(?:since|until|till)\s+\Z", re.IGNORECASE)
#: "a day after <event>": the day of the other clause, counted from an event, not a date
_EVENT_RELATIVE = re.compile(r"\b(?:after|before)\s*\Z", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Unit(Candidate):
    """A sentence that may enter the timeline (a summary candidate, ``position`` its rank
    among its article's units), with the days it names itself."""

    days: frozenset[date] = frozenset()


def _day(value: str | None) -> date | None:
    match = _DAY.match(value or "")
    if match is None:
        return None
    try:
        return date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None


def units_of(annotated: AnnotatedArticle, family: int) -> list[Unit]:
    """The timeline-worthy sentences of one article and the days each names."""
    text = annotated.article.text
    skip = header_length(text)
    named: dict[int, set[date]] = {}
    for timex in annotated.timexes:
        if timex.type not in ("DATE", "TIME") or timex.start < skip:
            continue
        if _EVENT_RELATIVE.search(timex.text):
            continue
        if _PERIOD_EDGE.search(text, max(0, timex.start - 8), timex.start):
            continue
        day = _day(timex.value)
        if day is not None:
            named.setdefault(timex.sentence, set()).add(day)
    return [
        Unit(
            article=c.article,
            sentence=c.sentence,
            position=c.position,
            text=c.text,
            family=c.family,
            published=c.published,
            dropped=c.dropped,
            days=frozenset(named.get(c.sentence, ())),
        )
        for c in article_candidates(annotated, family, MIN_WORDS)
    ]


def date_range(articles: Sequence[AnnotatedArticle]) -> tuple[date, date] | None:
    """The default range of a topic: around its first and last publication (None: undated)."""
    days = [a.article.published for a in articles if a.article.published is not None]
    if not days:
        return None
    return min(days) - timedelta(days=RANGE_BEFORE), max(days) + timedelta(days=RANGE_AFTER)


@dataclass(frozen=True, slots=True)
class DateScore:
    """The evidence for one day: sources naming it, sources published on it, the score."""

    day: date
    mentions: float
    named_by: int  # independent sources naming the day
    published: int  # independent sources published on the day
    burst: float
    score: float


def score_dates(
    units: Sequence[Unit],
    articles: Sequence[AnnotatedArticle],
    family_of: dict[str, int],
    window: tuple[date, date] | None,
) -> list[DateScore]:
    """Every day in ``window`` (all days when None) with its evidence, best first."""
    inside = (lambda d: window[0] <= d <= window[1]) if window else (lambda d: True)
    named: dict[date, dict[int, float]] = {}
    for unit in units:
        for day in unit.days:
            if not inside(day):
                continue
            later = unit.published is not None and unit.published > day
            weight = 1.0 + (LATER if later else 0.0)
            sources = named.setdefault(day, {})
            sources[unit.family] = max(sources.get(unit.family, 0.0), weight)
    published: dict[date, set[int]] = {}
    for annotated in articles:
        when = annotated.article.published
        if when is not None and inside(when):
            published.setdefault(when, set()).add(family_of[annotated.article.id])
    scores: list[DateScore] = []
    for day in set(named) | set(published):
        pub = len(published.get(day, ()))
        around = [
            len(published.get(day + timedelta(days=k), ()))
            for k in range(-BURST_WINDOW, BURST_WINDOW + 1)
            if k
        ]
        burst = max(0.0, pub - float(np.mean(around)))
        mentions = sum(named.get(day, {}).values())
        score = mentions + PUB * pub + BURST * burst
        scores.append(DateScore(day, mentions, len(named.get(day, {})), pub, burst, score))
    return sorted(scores, key=lambda s: (-s.score, s.day))


def choose_dates(scores: Sequence[DateScore], dates: int | None, max_dates: int) -> list[date]:
    """The ``dates`` best days, or (None) the automatic choice of the module docstring."""
    if dates is not None:
        return [s.day for s in scores[: max(0, dates)]]
    if not scores:
        return []
    floor = AUTO_SHARE * scores[0].score
    kept = [s.day for s in scores if s.score >= floor and (s.named_by or s.published >= 3)]
    return kept[:max_dates]


def _dense(matrix: csr_matrix) -> NDArray[np.float64]:
    return np.asarray(matrix.toarray(), dtype=np.float64)


@dataclass(frozen=True, slots=True)
class _Topic:
    units: list[Unit]
    vectors: csr_matrix
    relevance: NDArray[np.float64]  # cosine of each unit to the topic centroid


def _topic(units: list[Unit]) -> _Topic:
    vectors = csr_matrix(tfidf_matrix([u.text for u in units]))
    centroid = np.asarray(vectors.mean(axis=0)).ravel()
    norm = float(np.linalg.norm(centroid))
    relevance = (vectors @ (centroid / norm)) if norm else np.zeros(len(units))
    return _Topic(units, vectors, np.asarray(relevance, dtype=np.float64).ravel())


def _candidates(topic: _Topic, day: date) -> list[int]:
    return [
        i for i, u in enumerate(topic.units) if day in u.days or (not u.days and u.published == day)
    ]


def _rank(topic: _Topic, day: date, members: list[int]) -> list[int]:
    """``members`` (candidates of ``day``) best first (see the module docstring, step 3)."""
    rows = topic.vectors[members]
    sims = _dense(rows @ rows.T)
    families = np.array([topic.units[m].family for m in members])
    other = families[:, None] != families[None, :]
    counts = np.maximum(other.sum(axis=1), 1)
    centrality = np.where(other, sims, 0.0).sum(axis=1) / counts
    scores = []
    for k, m in enumerate(members):
        unit = topic.units[m]
        value = centrality[k] + TOPIC * topic.relevance[m]
        value *= 1.0 + (OWN if day in unit.days else 0.0)
        value *= 1.0 + LEAD / (unit.position + 1)
        scores.append((-value, unit.published or date.max, unit.article, unit.sentence, m))
    return [s[-1] for s in sorted(scores)]


def _cite(topic: _Topic, index: int, day: date) -> tuple[tuple[Citation, ...], int]:
    unit = topic.units[index]
    sims = _dense(topic.vectors @ topic.vectors[index].T).ravel()
    best: dict[str, tuple[float, int]] = {unit.article: (np.inf, index)}
    for other in np.flatnonzero(sims >= CITE):
        candidate = topic.units[int(other)]
        if candidate.article == unit.article or (candidate.days and day not in candidate.days):
            continue
        if sims[other] > best.get(candidate.article, (-1.0, 0))[0]:
            best[candidate.article] = (float(sims[other]), int(other))
    cited = sorted(best.values(), key=lambda item: (-item[0], item[1]))
    citations = tuple(Citation(topic.units[i].article, topic.units[i].sentence) for _, i in cited)
    sources = len({topic.units[i].family for _, i in cited})
    return citations, sources


def topic_timeline(
    articles: Sequence[AnnotatedArticle],
    families: Sequence[frozenset[str]] = (),
    *,
    dates: int | None = None,
    per_date: int = PER_DATE,
    start: date | None = None,
    end: date | None = None,
    max_dates: int = MAX_DATES,
) -> list[TopicDate]:
    """The ``dates`` most important days of ``articles`` (automatic when None) with up to
    ``per_date`` cited sentences each, in date order; see the module docstring.

    ``start``/``end`` bound the days considered (default: around the publication dates).
    Days without any candidate sentence are left out, so fewer than ``dates`` may come back.
    """
    family_of = family_index((a.article.id for a in articles), families)
    units = [u for a in articles for u in units_of(a, family_of[a.article.id])]
    default = date_range(articles)
    window: tuple[date, date] | None = None
    if start is not None or end is not None or default is not None:
        low = start or (default[0] if default else date.min)
        high = end or (default[1] if default else date.max)
        window = (low, high)
    if not units or (dates is not None and dates <= 0) or per_date <= 0:
        return []
    scores = score_dates(units, articles, family_of, window)
    topic = _topic(units)
    chosen: list[int] = []
    picked: dict[date, list[int]] = {}
    wanted = dates if dates is not None else max_dates
    days = choose_dates(scores, None, max_dates) if dates is None else [s.day for s in scores]
    for day in days:
        if len(picked) >= wanted:
            break
        for m in _rank(topic, day, _candidates(topic, day)):
            if len(picked.get(day, ())) >= per_date:
                break
            if chosen:
                sims = _dense(topic.vectors[chosen] @ topic.vectors[m].T).ravel()
                if sims.max() >= NOVELTY:
                    continue
            chosen.append(m)
            picked.setdefault(day, []).append(m)
    timeline: list[TopicDate] = []
    for day in sorted(picked):
        sentences = []
        for m in picked[day]:
            citations, sources = _cite(topic, m, day)
            unit = topic.units[m]
            sentences.append(SummarySentence(unit.text, citations, sources, unit.dropped))
        timeline.append(TopicDate(day.isoformat(), tuple(sentences)))
    return timeline
