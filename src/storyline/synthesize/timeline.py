"""A story's timeline: dated events, deduplicated across articles, in date order.

Needs annotated articles whose time expressions are resolved (``Timex.value``); adds nothing
to them and returns ``TimelineEntry`` records.

1. *Event mentions*: a sentence with a DATE/TIME expression resolved to a calendar value
   (day ``2023-01-26``, month ``2022-11`` or year ``2023``) states an event on that date.
   Durations, sets, fuzzy references (``PAST_REF``), underspecified values (``XXXX-01``),
   weeks/seasons, the seed ``date YYYY-MM-DD`` header, event-relative expressions ("a day
   after <event>"), period edges ("since 1967") and headline fragments are skipped. When one
   sentence carries expressions of different dates it is cut into clauses, one per date, at
   the last clause boundary (comma, "after", "before", ...) between two expressions.
2. *Present-tense reports*: the lead sentence of a dated article with no date of its own but
   a present(-perfect) report ("has called", "says") states an event on the article's date;
   when the same statement already sits on that day or the day before, it only adds citations.
3. *Deduplication*: mentions with the same date whose content overlaps (TF-IDF cosine on
   content terms, idf over the whole story) join one entry, average link; each entry cites
   every (article, sentence) of its mentions. Its text is the member most similar to the
   members from other wire families; its expression is that member's anchoring expression.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import pairwise

import numpy as np
from numpy.typing import NDArray
from scipy.sparse import csr_matrix

from storyline.link.families import family_index
from storyline.model import AnnotatedArticle, Citation, Sentence, TimelineEntry, Timex
from storyline.synthesize.similarity import ends_like_sentence, header_length, tfidf_matrix

_VALUE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?(?:T.*)?$")
_BOUNDARY = re.compile(
    r"[;:]\s+|,\s+|\s+[\u2013\u2014-]\s+|\s+(?:a\s+day\s+|days?\s+|shortly\s+|just\s+)?"
    r"(?:after|before|following|while|when|whereas|as|and|but|since|until)\s+",
    re.IGNORECASE,
)
_LEADING = re.compile(
    r"(?:[\s,;:\u2013\u2014-]|(?:and|but|after|before|following|while|when|whereas|as|"
    r"since|until)\b)+",
    re.IGNORECASE,
)
_PRESENT_REPORT = re.compile(
    r"\b(?:has|have)\s+(?:been\s+)?(?:\w+ly\s+)?\w+(?:ed|en|wn|ne|id|ght|ung|ut)\b"
    r"|\b(?:says|announces|calls|warns|urges|confirms|denies|reports)\b",
    re.IGNORECASE,
)
#: "a day after <event>": the date of the *other* clause relative to an event, not a date
_EVENT_RELATIVE = re.compile(r"\b(?:after|before)\s*\Z", re.IGNORECASE)
#: "since 1967", "until March": the edge of a period, not the date of the statement
_PERIOD_EDGE = re.compile(r"\b(?:since|until|till)\s+\Z", re.IGNORECASE)
_PRECISION = ("year", "month", "day")
#: average cosine above which two mentions of one date are the same event
MERGE_THRESHOLD = 0.16
PRESENT_EXPRESSION = "article date"
_MAX_AGGLOMERATIVE = 400  # same-date mentions above this are grouped in one pass
_LEAD_WINDOW = 5  # the lead is the first real sentence among the first few


@dataclass(frozen=True, slots=True)
class EventMention:
    """One dated statement: a sentence or clause of one article with its anchor."""

    article: str
    sentence: int
    start: int  # character span of the clause in the article's text
    end: int
    text: str
    date: str
    precision: str
    expression: str
    present: bool = False  # anchored by the article date, not by an expression


@dataclass(slots=True)
class _Cluster:
    date: str
    precision: str
    members: list[int] = field(default_factory=list)


def calendar_value(value: str | None) -> tuple[str, str] | None:
    """(date, precision) of an ISO value that names a day, month or year; None otherwise."""
    match = _VALUE.match(value or "")
    if not match:
        return None
    parts = [p for p in match.groups() if p is not None]
    return "-".join(parts), _PRECISION[len(parts) - 1]


def _anchors(annotated: AnnotatedArticle, sentence: Sentence) -> list[tuple[Timex, str, str]]:
    """(timex, date, precision) of the calendar-dated expressions of ``sentence``."""
    skip = header_length(annotated.article.text)
    found: list[tuple[Timex, str, str]] = []
    for timex in annotated.timexes:
        if timex.sentence != sentence.index or timex.start < skip:
            continue
        if timex.type not in ("DATE", "TIME") or _EVENT_RELATIVE.search(timex.text):
            continue
        if _PERIOD_EDGE.search(annotated.article.text, max(0, timex.start - 8), timex.start):
            continue
        calendar = calendar_value(timex.value)
        if calendar is not None:
            found.append((timex, *calendar))
    return sorted(found, key=lambda item: item[0].start)


def _clause(text: str, start: int, end: int) -> tuple[int, int]:
    """``(start, end)`` shrunk past leading connectives and trailing separators."""
    lead = _LEADING.match(text, start, end)
    if lead:
        start = lead.end()
    while end > start and text[end - 1] in " ,;:\u2013\u2014-":
        end -= 1
    return start, end


def _split(text: str, sentence: Sentence, anchors: list[tuple[Timex, str, str]]) -> list[int]:
    """Cut points in ``text`` between consecutive anchors of different dates."""
    cuts = [max(sentence.start, header_length(text))]
    for (left, left_date, _), (right, right_date, _) in pairwise(anchors):
        if left_date == right_date:
            continue
        boundaries = list(_BOUNDARY.finditer(text, left.end, right.start))
        cuts.append(boundaries[-1].start() if boundaries else right.start)
    cuts.append(sentence.end)
    return cuts


def _tidy(text: str) -> str:
    text = " ".join(text.split())
    return text[:1].upper() + text[1:] if text else text


def event_mentions(annotated: AnnotatedArticle) -> list[EventMention]:
    """The dated statements of one article (see the module docstring, steps 1 and 2)."""
    text = annotated.article.text
    mentions: list[EventMention] = []
    for sentence in annotated.sentences:
        anchors = _anchors(annotated, sentence)
        if not anchors or not ends_like_sentence(sentence.text):  # headlines, section titles
            continue
        cuts = _split(text, sentence, anchors)
        dates_seen: set[str] = set()
        piece = 0
        for timex, day, precision in anchors:
            while piece + 1 < len(cuts) - 1 and timex.start >= cuts[piece + 1]:
                piece += 1
            if day in dates_seen:
                continue
            dates_seen.add(day)
            start, end = _clause(text, cuts[piece], cuts[piece + 1])
            mentions.append(
                EventMention(
                    annotated.article.id,
                    sentence.index,
                    start,
                    end,
                    _tidy(text[start:end]),
                    day,
                    precision,
                    timex.text,
                )
            )
    mentions.extend(_present_reports(annotated, {m.sentence for m in mentions}))
    return mentions


def _present_reports(annotated: AnnotatedArticle, anchored: set[int]) -> list[EventMention]:
    published = annotated.article.published
    if published is None:
        return []
    text = annotated.article.text
    for sentence in annotated.sentences[:_LEAD_WINDOW]:
        start = max(sentence.start, header_length(text))
        body = text[start : sentence.end]
        if len(body.split()) < 6 or not ends_like_sentence(body):  # title, dateline: not the lead
            continue
        if sentence.index in anchored or not _PRESENT_REPORT.search(body):
            return []
        return [
            EventMention(
                annotated.article.id,
                sentence.index,
                start,
                sentence.end,
                _tidy(body),
                published.isoformat(),
                "day",
                PRESENT_EXPRESSION,
                present=True,
            )
        ]
    return []


def _dense(matrix: csr_matrix) -> NDArray[np.float64]:
    """A sparse similarity block as a dense float array."""
    return np.asarray(matrix.toarray(), dtype=np.float64)


def _leaders(sims: NDArray[np.float64], threshold: float) -> list[list[int]]:
    """Single-pass grouping for very large same-date groups: each row joins the first
    group whose first member is at least ``threshold`` similar, else starts one."""
    groups: list[list[int]] = []
    for i in range(sims.shape[0]):
        leaders = [g[0] for g in groups]
        if leaders and (row := sims[i, leaders]).max() >= threshold:
            groups[int(np.argmax(row))].append(i)
        else:
            groups.append([i])
    return groups


def _average_link(sims: NDArray[np.float64], threshold: float) -> list[list[int]]:
    """Average-link agglomerative clustering of a similarity matrix, stopping at
    ``threshold``; returns lists of row indices."""
    if sims.shape[0] > _MAX_AGGLOMERATIVE:
        return _leaders(sims, threshold)
    groups: list[list[int]] = [[i] for i in range(sims.shape[0])]
    link = sims.astype(np.float64, copy=True)
    np.fill_diagonal(link, -np.inf)
    alive = np.ones(len(groups), dtype=bool)
    while alive.sum() > 1:
        masked = np.where(np.outer(alive, alive), link, -np.inf)
        a, b = np.unravel_index(int(np.argmax(masked)), masked.shape)
        if masked[a, b] < threshold:
            break
        size_a, size_b = len(groups[a]), len(groups[b])
        merged = (size_a * link[a] + size_b * link[b]) / (size_a + size_b)
        link[a], link[:, a] = merged, merged
        link[a, a] = -np.inf
        groups[a].extend(groups[b])
        alive[b] = False
    return [sorted(groups[i]) for i in np.flatnonzero(alive)]


def _cluster(
    mentions: Sequence[EventMention], vectors: csr_matrix, threshold: float
) -> list[_Cluster]:
    """Mentions of the same date grouped by average-link similarity of their content."""
    by_date: dict[str, list[int]] = {}
    for index, mention in enumerate(mentions):
        by_date.setdefault(mention.date, []).append(index)
    clusters: list[_Cluster] = []
    for day, members in by_date.items():
        rows = vectors[members]
        for group in _average_link(_dense(rows @ rows.T), threshold):
            indices = [members[g] for g in group]
            clusters.append(_Cluster(day, mentions[indices[0]].precision, indices))
    return clusters


def _attach_present(
    clusters: list[_Cluster],
    mentions: Sequence[EventMention],
    vectors: csr_matrix,
    threshold: float,
) -> list[_Cluster]:
    """Fold present-tense-only clusters into a similar dated cluster of that day or the day
    before (an explicit date beats the article date)."""
    present_only = [all(mentions[m].present for m in c.members) for c in clusters]
    dated: dict[str, list[int]] = {}
    for number, cluster in enumerate(clusters):
        if not present_only[number]:
            dated.setdefault(cluster.date, []).append(number)
    kept: list[_Cluster] = []
    for number, cluster in enumerate(clusters):
        if not present_only[number]:
            kept.append(cluster)
            continue
        day = date.fromisoformat(cluster.date)
        near = {day.isoformat(), (day - timedelta(days=1)).isoformat()}
        target: _Cluster | None = None
        best = threshold
        for other in (clusters[i] for i in sorted(i for d in near for i in dated.get(d, ()))):
            score = float(np.mean(_dense(vectors[other.members] @ vectors[cluster.members].T)))
            if score >= best:
                target, best = other, score
        if target is None:
            kept.append(cluster)
        else:
            target.members.extend(cluster.members)
    return kept


def _entry(
    cluster: _Cluster,
    mentions: Sequence[EventMention],
    vectors: csr_matrix,
    family: dict[str, int],
    order: dict[str, int],
) -> TimelineEntry:
    members = cluster.members
    supports = np.zeros(len(members))
    if len(members) > 1:
        rows = vectors[members]
        families = np.array([family[mentions[j].article] for j in members])
        other = families[:, None] != families[None, :]
        supports = np.where(other, _dense(rows @ rows.T), 0.0).sum(axis=1)

    def support(k: int) -> tuple[bool, float, int, int]:
        m = mentions[members[k]]
        return (not m.present, float(supports[k]), -order[m.article], -m.sentence)

    best = mentions[members[max(range(len(members)), key=support)]]
    citations = sorted(
        {Citation(mentions[m].article, mentions[m].sentence) for m in members},
        key=lambda c: (order[c.article], c.sentence),
    )
    return TimelineEntry(
        date=cluster.date,
        end=None,
        precision=cluster.precision,
        text=best.text,
        expression=best.expression,
        citations=tuple(citations),
    )


def _sort_key(entry: TimelineEntry) -> tuple[int, int, int, int]:
    parts = [int(p) for p in entry.date.split("-")] + [0, 0]
    return parts[0], parts[1], parts[2], _PRECISION.index(entry.precision)


def build_timeline(
    articles: Sequence[AnnotatedArticle],
    families: Sequence[frozenset[str]] = (),
    *,
    threshold: float = MERGE_THRESHOLD,
) -> list[TimelineEntry]:
    """The dated events of one story, one entry per event, ordered by date.

    Needs resolved time expressions on the articles (undated articles: run
    ``synthesize.dates.apply_dates`` first). ``families`` (wire families from the link stage)
    decide which member speaks for an entry: the one most supported by other families.
    """
    ordered = sorted(articles, key=lambda a: (a.article.published or date.max, a.article.id))
    order = {a.article.id: n for n, a in enumerate(ordered)}
    mentions = [m for annotated in ordered for m in event_mentions(annotated)]
    if not mentions:
        return []
    context = [s.text for annotated in ordered for s in annotated.sentences]
    texts = [m.text.replace(m.expression, " ") for m in mentions]  # the date is shared
    vectors = csr_matrix(tfidf_matrix(texts + context)[: len(mentions)])
    clusters = _cluster(mentions, vectors, threshold)
    clusters = _attach_present(clusters, mentions, vectors, threshold)
    family = family_index((a.article.id for a in ordered), families)
    entries = [_entry(c, mentions, vectors, family, order) for c in clusters]
    return sorted(entries, key=_sort_key)
