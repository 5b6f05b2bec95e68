"""Read-only SQL over a storyline database for the reports: story rows, article metadata,
cited sentence texts, outlets. Needs an open ``Store`` (read-only is enough); adds nothing.

Story lists are computed in SQL (JSON1 over the stored report) so a page of 50 stories costs
the same on a database of 10,000 articles as on 36; full reports are parsed only for the
story that is shown.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from storyline.config import Settings
from storyline.store import Store, fts_query


@dataclass(frozen=True, slots=True)
class StoryFilter:
    """What the story list is narrowed to; empty fields do not filter."""

    query: str = ""
    since: date | None = None
    until: date | None = None
    outlet: str = ""
    entity: str = ""

    def active(self) -> bool:
        return bool(self.query.strip() or self.since or self.until or self.outlet or self.entity)


@dataclass(frozen=True, slots=True)
class DayCount:
    day: date
    articles: int


@dataclass(frozen=True, slots=True)
class StoryRow:
    """One line of the story list. ``sources`` counts independent sources: wire families
    (reuse score >= wire_family_threshold) and near-duplicates count once."""

    id: str
    title: str
    articles: int
    outlets: tuple[str, ...]
    sources: int
    first_seen: str | None
    last_seen: str | None
    conflicts: int
    per_day: tuple[DayCount, ...] = field(default=())


@dataclass(frozen=True, slots=True)
class StoryList:
    rows: tuple[StoryRow, ...]
    total: int


@dataclass(frozen=True, slots=True)
class ArticleMeta:
    """An article's metadata without its text. ``url`` is as stored: untrusted."""

    id: str
    title: str | None
    source: str | None
    published: str | None
    published_inferred: bool
    url: str | None
    story: str | None
    duplicate_of: str | None


_ENTITY_MATCH = (
    "EXISTS (SELECT 1 FROM json_each(s.report, '$.entities') e"
    " WHERE instr(lower(json_extract(e.value, '$.name')), lower(?)) > 0"
    " OR EXISTS (SELECT 1 FROM json_each(e.value, '$.aliases') al"
    " WHERE instr(lower(al.value), lower(?)) > 0))"
)


def _where(filters: StoryFilter) -> tuple[str, list[Any]]:
    clauses: list[str] = []
    params: list[Any] = []
    expression = fts_query(filters.query)
    if filters.query.strip():
        # a query with no usable word matches nothing rather than everything
        clauses.append(
            "s.id IN (SELECT a.story FROM articles_fts JOIN articles a"
            " ON a.rowid = articles_fts.rowid WHERE articles_fts MATCH ?)"
        )
        params.append(expression or '""')
    if filters.since:
        clauses.append("s.last_seen >= ?")
        params.append(filters.since.isoformat())
    if filters.until:
        clauses.append("s.first_seen <= ?")
        params.append(filters.until.isoformat())
    if filters.outlet:
        clauses.append("s.id IN (SELECT story FROM articles WHERE source = ?)")
        params.append(filters.outlet)
    if filters.entity.strip():
        clauses.append(_ENTITY_MATCH)
        params.extend([filters.entity.strip()] * 2)
    return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


def story_rows(
    store: Store,
    filters: StoryFilter | None = None,
    offset: int = 0,
    limit: int | None = None,
    family_threshold: float | None = None,
) -> StoryList:
    """Stories newest first (the order of ``Store.story_reports``), filtered and paged."""
    where, params = _where(filters or StoryFilter())
    total = int(store.db.execute(f"SELECT COUNT(*) FROM stories s{where}", params).fetchone()[0])
    page_sql = " LIMIT ? OFFSET ?" if limit is not None else ""
    page_params = [limit, offset] if limit is not None else []
    rows = store.db.execute(
        "SELECT s.id, s.title, s.first_seen, s.last_seen, s.updated_at"
        f" FROM stories s{where} ORDER BY s.last_seen DESC, s.id{page_sql}",
        [*params, *page_params],
    ).fetchall()
    members = _members(store, [r[0] for r in rows])
    threshold = Settings().wire_family_threshold if family_threshold is None else family_threshold
    stats = _story_stats(store, [(r[0], r[4]) for r in rows], threshold)
    result = []
    for sid, title, first, last, _ in rows:
        arts = members.get(sid, [])
        conflicts, reuse = stats[sid]
        result.append(
            StoryRow(
                id=sid,
                title=title,
                articles=len(arts),
                outlets=tuple(sorted({m.source for m in arts if m.source})),
                sources=independent_sources([m.id for m in arts], arts, reuse, threshold),
                first_seen=first,
                last_seen=last,
                conflicts=conflicts,
                per_day=_per_day(arts),
            )
        )
    return StoryList(tuple(result), total)


#: (database, story id, updated_at, threshold) -> (conflicts, wire-family reuse pairs).
#: Reports can be megabytes of JSON; a story's stats only change when it is re-saved.
_STATS: dict[tuple[str, str, str, float], tuple[int, list[dict[str, Any]]]] = {}
_STATS_LIMIT = 20_000


def _story_stats(
    store: Store, stories: Sequence[tuple[str, str]], threshold: float
) -> dict[str, tuple[int, list[dict[str, Any]]]]:
    """Per (story id, updated_at): its number of conflicts and its reuse pairs scoring at
    least ``threshold`` (filtered inside SQLite), from a process-wide cache when fresh."""
    path = str(store.path.resolve())
    found: dict[str, tuple[int, list[dict[str, Any]]]] = {}
    missing: dict[str, str] = {}
    for sid, updated in stories:
        cached = _STATS.get((path, sid, updated, threshold))
        if cached is None:
            missing[sid] = updated
        else:
            found[sid] = cached
    if not missing:
        return found
    ids = json.dumps(list(missing))
    counts = dict(
        store.db.execute(
            "SELECT id, json_array_length(report, '$.conflicts') FROM stories"
            " WHERE id IN (SELECT value FROM json_each(?))",
            (ids,),
        ).fetchall()
    )
    pairs: dict[str, list[dict[str, Any]]] = defaultdict(list)
    rows = store.db.execute(
        "SELECT s.id, json_extract(r.value, '$.a'), json_extract(r.value, '$.b'),"
        " json_extract(r.value, '$.score')"
        " FROM stories s, json_each(s.report, '$.reuse') r"
        " WHERE s.id IN (SELECT value FROM json_each(?))"
        " AND json_extract(r.value, '$.score') >= ?",
        (ids, threshold),
    )
    for sid, a, b, score in rows:
        pairs[sid].append({"a": a, "b": b, "score": score})
    if len(_STATS) > _STATS_LIMIT:
        _STATS.clear()
    for sid, updated in missing.items():
        found[sid] = (int(counts.get(sid) or 0), pairs.get(sid, []))
        _STATS[(path, sid, updated, threshold)] = found[sid]
    return found


def raw_story_reports(store: Store, story_ids: Sequence[str]) -> list[str]:
    """The stored JSON text of each named story, in the order given (unknown ids left out);
    for answering API requests without parsing megabytes of JSON."""
    rows = dict(
        store.db.execute(
            "SELECT id, report FROM stories WHERE id IN (SELECT value FROM json_each(?))",
            (json.dumps(list(story_ids)),),
        ).fetchall()
    )
    return [rows[sid] for sid in story_ids if sid in rows]


def _members(store: Store, story_ids: Sequence[str]) -> dict[str, list[ArticleMeta]]:
    found: dict[str, list[ArticleMeta]] = defaultdict(list)
    if not story_ids:
        return found
    rows = store.db.execute(
        f"{_META_SELECT} WHERE story IN (SELECT value FROM json_each(?)) ORDER BY rowid",
        (json.dumps(list(story_ids)),),
    )
    for row in rows:
        meta = _meta(row)
        if meta.story is not None:
            found[meta.story].append(meta)
    return found


def _per_day(articles: Iterable[ArticleMeta]) -> tuple[DayCount, ...]:
    counts: dict[date, int] = defaultdict(int)
    for meta in articles:
        day = parse_day(meta.published)
        if day is not None:
            counts[day] += 1
    return tuple(DayCount(d, n) for d, n in sorted(counts.items()))


def families(
    article_ids: Sequence[str],
    metas: Iterable[ArticleMeta],
    reuse: Sequence[dict[str, Any]],
    threshold: float,
) -> list[list[str]]:
    """``article_ids`` grouped into wire families: articles linked by a reuse ``score`` >=
    ``threshold`` or by ``duplicate_of`` are one group. Every id is in exactly one group;
    groups keep the order of their first member."""
    parent = {a: a for a in article_ids}

    def root(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    pairs = [(r.get("a"), r.get("b")) for r in reuse if float(r.get("score") or 0) >= threshold]
    pairs += [(m.id, m.duplicate_of) for m in metas if m.duplicate_of]
    for a, b in pairs:
        if a in parent and b in parent:
            ra, rb = root(str(a)), root(str(b))
            if ra != rb:
                parent[rb] = ra
    groups: dict[str, list[str]] = {}
    for article in article_ids:
        groups.setdefault(root(article), []).append(article)
    return list(groups.values())


def independent_sources(
    article_ids: Sequence[str],
    metas: Iterable[ArticleMeta],
    reuse: Sequence[dict[str, Any]],
    threshold: float,
) -> int:
    """How many independent sources ``article_ids`` are: the number of their ``families``."""
    return len(families(article_ids, metas, reuse, threshold))


_META_SELECT = (
    "SELECT id, title, source, published, published_inferred, url, story, duplicate_of"
    " FROM articles"
)


def _meta(row: Sequence[Any]) -> ArticleMeta:
    aid, title, source, published, inferred, url, story, duplicate_of = row
    return ArticleMeta(aid, title, source, published, bool(inferred), url, story, duplicate_of)


def article_metas(store: Store, article_ids: Sequence[str]) -> dict[str, ArticleMeta]:
    """Metadata of the named articles (missing ids are left out)."""
    rows = store.db.execute(
        f"{_META_SELECT} WHERE id IN (SELECT value FROM json_each(?))",
        (json.dumps(list(article_ids)),),
    )
    return {meta.id: meta for meta in map(_meta, rows)}


def sentence_texts(store: Store, wanted: Iterable[tuple[str, int]]) -> dict[tuple[str, int], str]:
    """The text of each (article id, sentence index) that exists."""
    by_article: dict[str, set[int]] = defaultdict(set)
    for article, index in wanted:
        by_article[article].add(index)
    found: dict[tuple[str, int], str] = {}
    for article, indexes in by_article.items():
        rows = store.db.execute(
            'SELECT s."index", substr(a.text, s.start + 1, s."end" - s.start)'
            " FROM sentences s JOIN articles a ON a.id = s.article"
            ' WHERE s.article = ? AND s."index" IN (SELECT value FROM json_each(?))',
            (article, json.dumps(sorted(indexes))),
        )
        for index, text in rows:
            found[(article, int(index))] = text
    return found


def outlets(store: Store) -> list[str]:
    """Every outlet (article source) named in the database, alphabetically."""
    rows = store.db.execute(
        "SELECT DISTINCT source FROM articles WHERE source IS NOT NULL ORDER BY source"
    )
    return [r[0] for r in rows]


def parse_day(value: str | None) -> date | None:
    """A ``YYYY-MM-DD`` string as a date; None for None or any other shape."""
    if not value or len(value) != 10:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None
