"""Provenance inside one story: who reported each thing first, and who copied whom.

Needs the story's (dated) articles, its timeline and claims, and its reuse pairs. Adds
``FirstReport`` records per timeline entry and per claim (``first_reported`` in the
``storyline/v1`` export) and the copy graph: an edge from the earlier article to the one
that reused its sentences, in time order.

Publication order: an article's date, and within a day its time when the source gave one
(``Article.published_at``, compared in UTC; a time without offset counts as UTC). Dates
inferred from the story (``published_inferred``) never make an article first. When the
earliest articles share a day and not all of them have a time, their order is unknown: the
first by time (else by id) is named and the others are listed as ``tied``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime

from storyline.model import (
    AnnotatedArticle,
    Article,
    Claim,
    FirstReport,
    Reuse,
    StoryReport,
    TimelineEntry,
)
from storyline.synthesize.conflicts import compatible_subjects


def _utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def published_label(article: Article) -> str | None:
    """The publication date or date-time of ``article`` as ISO text (None when undated)."""
    if article.published_at is not None:
        return _utc(article.published_at).isoformat(timespec="minutes")
    return article.published.isoformat() if article.published else None


def _day(article: Article) -> date | None:
    if article.published_inferred:
        return None
    if article.published_at is not None:
        return _utc(article.published_at).date()
    return article.published


def first_report(articles: Iterable[Article]) -> FirstReport | None:
    """The earliest of ``articles`` by publication (see the module docstring); None when none
    has a date of its own."""
    dated = [(day, a) for a in articles if (day := _day(a)) is not None]
    if not dated:
        return None
    earliest = min(day for day, _ in dated)
    same_day = sorted({a.id: a for day, a in dated if day == earliest}.values(), key=_order)
    first = same_day[0]
    timed = all(a.published_at is not None for a in same_day)
    if timed and first.published_at is not None:
        minute = _utc(first.published_at).replace(second=0, microsecond=0)
        tied = [a.id for a in same_day[1:] if a.published_at is not None
                and _utc(a.published_at).replace(second=0, microsecond=0) == minute]  # fmt: skip
    else:
        tied = [a.id for a in same_day[1:]]
    return FirstReport(first.id, published_label(first) or earliest.isoformat(), tuple(tied))


def _order(article: Article) -> tuple[bool, datetime, str]:
    moment = article.published_at
    return (moment is None, _utc(moment) if moment else datetime.min.replace(tzinfo=UTC),
            article.id)  # fmt: skip


def timeline_first(
    timeline: Sequence[TimelineEntry], articles: Mapping[str, Article]
) -> tuple[FirstReport | None, ...]:
    """For each timeline entry, the first of the articles it cites."""
    return tuple(
        first_report(articles[c.article] for c in entry.citations if c.article in articles)
        for entry in timeline
    )


def _same_fact(a: Claim, b: Claim) -> bool:
    return (
        a.predicate == b.predicate
        and a.unit == b.unit
        and abs(a.value - b.value) < 1e-9
        and compatible_subjects(a.subject, b.subject)
    )


def claims_first(
    claims: Sequence[Claim], articles: Mapping[str, Article]
) -> tuple[FirstReport | None, ...]:
    """For each claim, the first article stating the same fact: the same predicate, unit and
    value about a compatible subject ("ten Palestinians" / "ten people killed")."""
    blocks: dict[tuple[str, str | None, float], list[Claim]] = {}
    for claim in claims:
        blocks.setdefault((claim.predicate, claim.unit, round(claim.value, 6)), []).append(claim)
    out: list[FirstReport | None] = []
    for claim in claims:
        block = blocks[(claim.predicate, claim.unit, round(claim.value, 6))]
        sources = {c.article for c in block if _same_fact(claim, c)}
        out.append(first_report(articles[a] for a in sorted(sources) if a in articles))
    return tuple(out)


@dataclass(frozen=True, slots=True)
class CopyEdge:
    """``target`` reused ``shared`` sentences of ``source``, published before it (or, with
    undated articles, ordered as the story's reuse is)."""

    source: str
    target: str
    score: float
    shared: int
    family: bool  # the pair makes one wire family


def copy_graph(
    reuse: Sequence[Reuse],
    articles: Mapping[str, Article],
    family_of: Mapping[str, int],
    copies: Mapping[str, str] | None = None,
) -> tuple[CopyEdge, ...]:
    """Edges earlier -> later for every reuse pair and every near-duplicate (``copies``:
    copy -> original, score 1.0), sorted by the later article's publication then ids."""
    edges = [
        CopyEdge(r.a, r.b, r.score, len(r.shared_sentences), _together(family_of, r.a, r.b))
        for r in reuse
    ]
    edges += [CopyEdge(o, c, 1.0, 0, True) for c, o in sorted((copies or {}).items())]

    def key(edge: CopyEdge) -> tuple[bool, str, str, str]:
        target = articles.get(edge.target)
        label = published_label(target) if target else None
        return label is None, label or "", edge.target, edge.source

    return tuple(sorted(edges, key=key))


def _together(family_of: Mapping[str, int], a: str, b: str) -> bool:
    return a in family_of and family_of.get(a) == family_of.get(b)


def docs_by_id(docs: Sequence[AnnotatedArticle]) -> dict[str, Article]:
    return {d.article.id: d.article for d in docs}


def with_first_reports(report: StoryReport, docs: Sequence[AnnotatedArticle]) -> StoryReport:
    """``report`` with the first reporter of each timeline entry and claim (``docs``: the
    story's articles with their inferred dates applied)."""
    articles = docs_by_id(docs)
    return replace(
        report,
        timeline_first=timeline_first(report.timeline, articles),
        claims_first=claims_first(report.claims, articles),
    )
