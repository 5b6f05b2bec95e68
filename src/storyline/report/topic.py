"""Topic timelines over inputs and over the stored archive (``storyline timeline``, the web
UI's ``/timeline``).

Over inputs, the wire families come from sentence reuse among all the topic's articles
(``link.reuse``: its cost grows with the square of the topic's size). Over the archive they
are the ones synthesis stored with each story (reuse, near-duplicates, agency credits: the
same sources a story's summary counts), so a page costs what it reads: only articles whose
story was stored without families are compared again, among themselves.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from storyline.config import Settings
from storyline.errors import ConfigError
from storyline.link.families import reused_families
from storyline.model import AnnotatedArticle, TopicDate
from storyline.store import Store


def topic_days(
    docs: Sequence[AnnotatedArticle],
    settings: Settings,
    dates: int | None,
    per_date: int | None,
    families: Sequence[frozenset[str]] | None = None,
    start: date | None = None,
    end: date | None = None,
) -> list[TopicDate]:
    """Wire families (``reused_families`` when not given), inferred dates for undated
    articles, then the topic timeline (``synthesize.topic_timeline``) of the days from
    ``start`` to ``end`` (default: around the publication dates)."""
    from storyline.synthesize.dates import apply_dates, infer_dates
    from storyline.synthesize.topic_timeline import topic_timeline

    if (dates is not None and dates < 0) or (per_date is not None and per_date < 0):
        raise ConfigError("--dates and --per-date must be 0 or more")
    if start is not None and end is not None and start > end:
        raise ConfigError(f"--start {start} is after --end {end}")
    groups = list(families) if families is not None else reused_families(docs, settings)
    docs = apply_dates(docs, infer_dates(docs, groups))
    k = settings.timeline_per_date if per_date is None else per_date
    return topic_timeline(docs, groups, dates=dates, per_date=k, start=start, end=end,
                          max_dates=settings.timeline_max_dates)  # fmt: skip


def stored_families(
    store: Store, docs: Sequence[AnnotatedArticle], settings: Settings
) -> list[frozenset[str]]:
    """The wire families among ``docs`` as their stories stored them; the articles of a
    story stored without families (or of none) get theirs from ``reused_families``."""
    wanted = {d.article.id for d in docs}
    rows = store.db.execute(
        "SELECT json_extract(report, '$.families') FROM stories WHERE id IN"
        " (SELECT story FROM articles WHERE id IN (SELECT value FROM json_each(?)))",
        (json.dumps(sorted(wanted)),),
    )
    families: list[frozenset[str]] = []
    covered: set[str] = set()
    for (stored,) in rows:
        groups = json.loads(stored) if stored else None
        if not isinstance(groups, list):
            continue
        groups = [g for g in groups if isinstance(g, list)]
        for group in groups:
            members = frozenset(str(a) for a in group if str(a) in wanted)
            if members:
                families.append(members)
                covered |= members
    rest = [d for d in docs if d.article.id not in covered]
    return families + (reused_families(rest, settings) if len(rest) > 1 else [])


@dataclass(frozen=True, slots=True)
class StoredTimeline:
    days: list[TopicDate]
    articles: int  # stored articles it was built from


def stored_timeline(
    store: Store,
    settings: Settings,
    *,
    query: str = "",
    entity: str = "",
    dates: int | None = None,
    per_date: int | None = None,
) -> StoredTimeline:
    """The topic timeline of the stored articles matching ``query`` (full-text search) or
    naming ``entity`` (as a phrase): at most ``timeline_max_articles`` best matches, with
    their stored annotations and families."""
    search = " ".join(query.split()) or ('"' + " ".join(entity.replace('"', " ").split()) + '"')
    if not search.strip('" '):
        return StoredTimeline([], 0)
    hits = store.search(search, settings.timeline_max_articles, settings)
    docs = [store.annotated_article(store.article(h.article)) for h in hits]
    families = stored_families(store, docs, settings)
    return StoredTimeline(topic_days(docs, settings, dates, per_date, families), len(docs))
