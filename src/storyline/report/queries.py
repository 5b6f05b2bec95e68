"""Read-only SQL over a storyline database for the reports: story rows, article metadata,
cited sentence texts, outlets. Needs an open ``Store`` (read-only is enough); adds nothing.

Story lists read the rows precomputed when each story was stored (``story_list``, see
``storyline.store.story_list``), and their outlet and entity filters its indexes, so a page
of 50 stories costs the same on a database of 100,000 articles as on 36 and no report is
parsed to list it; full reports are parsed only for the story that is shown.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from storyline.config import Settings
from storyline.link.families import family_groups
from storyline.store import Store, fts_query
from storyline.store.schema import OUTLET_NAME
from storyline.store.story_list import family_links


@dataclass(frozen=True, slots=True)
class StoryFilter:
    """What the story list is narrowed to; empty fields do not filter. ``settings`` bound the
    search (``search_max_terms``, ``search_max_chars``; default settings when None)."""

    query: str = ""
    since: date | None = None
    until: date | None = None
    outlet: str = ""
    entity: str = ""
    settings: Settings | None = field(default=None, compare=False)

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


def _entity_match(name: str) -> tuple[str, list[Any]]:
    """Stories with an entity name or alias containing ``name`` (ASCII case-insensitive, as
    SQLite's ``lower``). From three characters on the trigram index gives the candidates
    (its case folding is a superset of ``lower``'s) and ``instr`` decides; shorter names
    look through the names table."""
    exact = "instr(lower(n.name), lower(?)) > 0"
    if len(name) < 3:
        return f"s.id IN (SELECT n.story FROM story_names n WHERE {exact})", [name]
    phrase = '"' + name.replace('"', '""') + '"'
    return (
        "s.id IN (SELECT n.story FROM story_names n WHERE n.id IN (SELECT rowid FROM"
        f" story_names_fts WHERE story_names_fts MATCH ?) AND {exact})",
        [phrase, name],
    )


def _where(filters: StoryFilter) -> tuple[str, list[Any]]:
    clauses: list[str] = []
    params: list[Any] = []
    expression = fts_query(filters.query, filters.settings)
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
        clauses.append("s.id IN (SELECT story FROM story_outlets WHERE outlet = ?)")
        params.append(filters.outlet)
    if filters.entity.strip():
        clause, values = _entity_match(filters.entity.strip())
        clauses.append(clause)
        params.extend(values)
    return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


def story_rows(
    store: Store,
    filters: StoryFilter | None = None,
    offset: int = 0,
    limit: int | None = None,
    family_threshold: float | None = None,
) -> StoryList:
    """Stories newest first (the order of ``Store.story_reports``), filtered and paged.

    A filter by words, outlet or entity selects stories through a subquery (full-text
    matches, outlet or name tables): the page and the total then come from one statement
    (``COUNT(*) OVER ()``), so the subquery runs once; the plain list and date filters count
    on the ``story_list`` indexes and read only the page."""
    chosen = filters or StoryFilter()
    where, params = _where(chosen)
    page_sql = " LIMIT ? OFFSET ?" if limit is not None else ""
    page_params = [limit, offset] if limit is not None else []
    one_pass = bool(chosen.query.strip() or chosen.outlet or chosen.entity.strip())
    found = store.db.execute(
        "SELECT s.id, s.title, s.first_seen, s.last_seen, s.updated_at, s.articles,"
        " s.outlets, s.sources, s.threshold, s.conflicts, s.per_day"
        + (", COUNT(*) OVER ()" if one_pass else "")
        + f" FROM story_list s{where} ORDER BY s.last_seen DESC, s.id{page_sql}",
        [*params, *page_params],
    ).fetchall()
    if one_pass and found:
        total = int(found[0][-1])
        rows = [r[:-1] for r in found]
    else:  # no filter with a subquery, or a page past the end: count apart
        total = int(store.db.execute(f"SELECT COUNT(*) FROM story_list s{where}", params)
                    .fetchone()[0])  # fmt: skip
        rows = found
    threshold = Settings().wire_family_threshold if family_threshold is None else family_threshold
    unknown = [(r[0], r[4]) for r in rows if r[7] is None or r[8] != threshold]
    counted = _sources(store, unknown, threshold) if unknown else {}
    result = []
    for sid, title, first, last, _, articles, outlets_json, sources, _, conflicts, days in rows:
        per_day = (DayCount(d, int(n)) for v, n in json.loads(days) if (d := parse_day(v)))
        result.append(
            StoryRow(
                id=sid,
                title=title,
                articles=int(articles),
                outlets=tuple(sorted(o for o in json.loads(outlets_json) if o)),
                sources=counted[sid] if sid in counted else int(sources),
                first_seen=first,
                last_seen=last,
                conflicts=int(conflicts),
                per_day=tuple(sorted(per_day, key=lambda c: c.day)),
            )
        )
    return StoryList(tuple(result), total)


def _sources(store: Store, stories: Sequence[tuple[str, str]], threshold: float) -> dict[str, int]:
    """Independent sources of stories whose list row lacks them (stored by another writer,
    or counted at another wire-family threshold)."""
    members = _members(store, [sid for sid, _ in stories])
    pairs = _reuse_pairs(store, stories, threshold)
    return {
        sid: independent_sources([m.id for m in members.get(sid, [])], members.get(sid, []),
                                 pairs[sid], threshold)
        for sid, _ in stories
    }  # fmt: skip


#: (database, story id, updated_at, threshold) -> the story's wire-family reuse pairs.
#: Reports can be megabytes of JSON; a story's pairs only change when it is re-saved.
_PAIRS: dict[tuple[str, str, str, float], list[dict[str, Any]]] = {}
_PAIRS_LIMIT = 20_000


def _reuse_pairs(
    store: Store, stories: Sequence[tuple[str, str]], threshold: float
) -> dict[str, list[dict[str, Any]]]:
    """Per (story id, updated_at): its reuse pairs scoring at least ``threshold`` (filtered
    inside SQLite), from a process-wide cache when fresh."""
    path = str(store.path.resolve())
    found: dict[str, list[dict[str, Any]]] = {}
    missing: dict[str, str] = {}
    for sid, updated in stories:
        cached = _PAIRS.get((path, sid, updated, threshold))
        if cached is None:
            missing[sid] = updated
        else:
            found[sid] = cached
    if not missing:
        return found
    pairs: dict[str, list[dict[str, Any]]] = defaultdict(list)
    rows = store.db.execute(
        "SELECT s.id, json_extract(r.value, '$.a'), json_extract(r.value, '$.b'),"
        " json_extract(r.value, '$.score')"
        " FROM stories s, json_each(s.report, '$.reuse') r"
        " WHERE s.id IN (SELECT value FROM json_each(?))"
        " AND json_extract(r.value, '$.score') >= ?",
        (json.dumps(list(missing)), threshold),
    )
    for sid, a, b, score in rows:
        pairs[sid].append({"a": a, "b": b, "score": score})
    if len(_PAIRS) > _PAIRS_LIMIT:
        _PAIRS.clear()
    for sid, updated in missing.items():
        found[sid] = pairs.get(sid, [])
        _PAIRS[(path, sid, updated, threshold)] = found[sid]
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


def families(
    article_ids: Sequence[str],
    metas: Iterable[ArticleMeta],
    reuse: Sequence[dict[str, Any]],
    threshold: float,
) -> list[list[str]]:
    """``article_ids`` grouped into wire families: articles linked by a reuse ``score`` >=
    ``threshold`` or by ``duplicate_of`` are one group. Every id is in exactly one group;
    groups keep the order of their first member."""
    copies = [(m.id, m.duplicate_of) for m in metas]
    return family_groups(article_ids, family_links(reuse, copies, threshold))


def independent_sources(
    article_ids: Sequence[str],
    metas: Iterable[ArticleMeta],
    reuse: Sequence[dict[str, Any]],
    threshold: float,
) -> int:
    """How many independent sources ``article_ids`` are: the number of their ``families``."""
    return len(families(article_ids, metas, reuse, threshold))


#: article metadata, ``source`` being the outlet's name once the article is filed
_META_SELECT = (
    f"SELECT id, title, {OUTLET_NAME}, published, published_inferred, url, story, duplicate_of"
    " FROM articles a"
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
    """Every outlet with articles, by name (one index probe per outlet, no scan of the
    articles); the raw sources, counted by triggers, in a database whose articles were never
    filed under outlets."""
    rows = store.db.execute(
        "SELECT DISTINCT name FROM outlets o WHERE EXISTS"
        " (SELECT 1 FROM article_provenance p WHERE p.outlet = o.id) ORDER BY name"
    ).fetchall()
    if not rows:
        rows = store.db.execute(
            "SELECT outlet FROM article_outlets WHERE articles > 0 ORDER BY outlet"
        ).fetchall()
    return [r[0] for r in rows]


def article_days(store: Store) -> list[DayCount]:
    """Articles per publication day over the whole database, by day (kept by triggers)."""
    rows = store.db.execute(
        "SELECT day, articles FROM article_days WHERE articles > 0 ORDER BY day"
    )
    return [DayCount(date.fromisoformat(d), int(n)) for d, n in rows]


def parse_day(value: str | None) -> date | None:
    """A ``YYYY-MM-DD`` string as a date; None for None or any other shape."""
    if not value or len(value) != 10:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None
