"""What the story page and the API show about sources and copying: each article's outlet and
agency credits, why it joined the story, wire families (reuse, near-duplicates and agency
credits), who reported first, the copy graph and the outlets-by-day coverage chart.

Built from a read-only Store and a stored ``storyline/v1`` story. Geometry is numbers and
plain strings only (like ``report.svg``); the templates escape every text.

Why grouped: the incremental link engine logs, per article, how it joined
(``story_changes``: ``join`` with the similarity to the story and the terms and entities
that weighed most, ``copy`` with the original it copies, none when it founded the story).
The article it was closest to is the engine's original for a copy, else its strongest
reuse partner in the story.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from storyline.config import Settings
from storyline.link.agencies import merge_by_agency
from storyline.link.families import family_groups, family_link
from storyline.schema import stored_families
from storyline.store import Store

#: most articles drawn in the copy graph and outlets in the coverage chart
MAX_NODES, MAX_OUTLETS, MAX_DAYS = 60, 30, 31
GRAPH_WIDTH, GRAPH_TOP, GRAPH_ROW = 760, 96, 150
CELL, LABEL_WIDTH = 22, 170


@dataclass(frozen=True, slots=True)
class WhyGrouped:
    """Why one article is in the story. ``kind``: join | copy | founded | unknown (linked
    before the engine kept reasons, or by Spark)."""

    article: str
    kind: str
    score: float | None
    terms: tuple[str, ...]
    entities: tuple[str, ...]
    closest: str | None  # article id
    closest_score: float | None


@dataclass(frozen=True, slots=True)
class GraphNode:
    article: str
    x: float
    y: float
    label: str  # outlet
    title: str  # outlet, date, title


@dataclass(frozen=True, slots=True)
class GraphEdge:
    source: str
    target: str
    path: str  # SVG path data: an arc from the earlier article to the later
    family: bool
    width: float
    title: str


@dataclass(frozen=True, slots=True)
class CopyGraphView:
    width: int
    height: int
    nodes: tuple[GraphNode, ...]
    edges: tuple[GraphEdge, ...]
    hidden: int  # articles not drawn


@dataclass(frozen=True, slots=True)
class CoverageCell:
    x: float
    y: float
    size: float
    articles: int
    copies: int
    title: str


@dataclass(frozen=True, slots=True)
class CoverageChart:
    width: int
    height: int
    outlets: tuple[tuple[str, float], ...]  # (outlet, y)
    days: tuple[tuple[str, float], ...]  # (label, x)
    cells: tuple[CoverageCell, ...]


@dataclass(frozen=True, slots=True)
class ProvenanceView:
    outlets: dict[str, str]  # article id -> outlet shown
    agencies: dict[str, tuple[str, ...]]  # article id -> agencies credited
    families: tuple[tuple[str, ...], ...]  # every article in one; earliest first
    first: str | None  # the article that reported the story first
    copies: int  # articles that are not the first of their family
    copy_share: float
    why: dict[str, WhyGrouped]
    edges: tuple[tuple[str, str, float, int, bool], ...]  # (earlier, later, score, shared, family)
    graph: CopyGraphView | None
    coverage: CoverageChart | None


def _published(meta: Any) -> str:
    return str(getattr(meta, "published", None) or "")


def story_families(
    article_ids: Sequence[str],
    reuse: Sequence[Mapping[str, Any]],
    duplicate_of: Mapping[str, str | None],
    agencies: Mapping[str, Sequence[str]],
    settings: Settings,
) -> list[frozenset[str]]:
    """Wire families as synthesis forms them (``link.stage.story_links``), from a story
    stored without them: reuse pairs that pass ``reuse.family_link`` (their verbatim
    sentences were not stored either), near-duplicates with their originals, then articles
    credited to the same agency (when ``wire_agency_families``)."""
    links = [
        (r.get("a"), r.get("b"))
        for r in reuse
        if family_link(
            float(r.get("score") or 0), len(r.get("shared_sentences") or []), settings, None
        )
    ]
    links += [(original, article) for article, original in duplicate_of.items() if original]
    groups = family_groups(article_ids, links)
    families = [frozenset(g) for g in groups]
    if settings.wire_agency_families:
        originals = {a: frozenset(agencies.get(a, ())) for a in article_ids
                     if not duplicate_of.get(a)}  # fmt: skip
        families = merge_by_agency(families, originals)
    return families


def why_grouped(
    store: Store, article_ids: Sequence[str], reuse: Sequence[Mapping[str, Any]]
) -> dict[str, WhyGrouped]:
    """The engine's latest reason for each article (see the module docstring)."""
    best: dict[str, tuple[float, str]] = {}
    for r in reuse:
        a, b, score = str(r.get("a")), str(r.get("b")), float(r.get("score") or 0)
        for mine, other in ((a, b), (b, a)):
            if mine not in best or (score, other) > best[mine]:
                best[mine] = (score, other)
    rows = store.db.execute(
        "SELECT article, kind, other, score, detail FROM story_changes"
        " WHERE article IN (SELECT value FROM json_each(?)) ORDER BY id",
        (json.dumps(list(article_ids)),),
    ).fetchall()
    logged = {str(r[0]): r for r in rows}  # the latest row per article
    out: dict[str, WhyGrouped] = {}
    for article in article_ids:
        closest = best.get(article)
        row = logged.get(article)
        if row is None:
            out[article] = WhyGrouped(article, "unknown", None, (), (), *_closest(closest))
            continue
        _, kind, other, score, detail = row
        found = _detail(detail)
        if kind == "copy":
            out[article] = WhyGrouped(article, "copy", score, (), (), other, score)
        else:
            kind = "join" if score is not None else "founded"
            terms, entities = tuple(found.get("terms", ())), tuple(found.get("entities", ()))
            out[article] = WhyGrouped(article, kind, score, terms, entities, *_closest(closest))
    return out


def _closest(best: tuple[float, str] | None) -> tuple[str | None, float | None]:
    return (best[1], best[0]) if best else (None, None)


def _detail(detail: str | None) -> dict[str, list[str]]:
    try:
        data = json.loads(detail) if detail else {}
    except ValueError:
        return {}
    if not isinstance(data, dict):
        return {}
    return {k: [str(x) for x in v] for k, v in data.items() if isinstance(v, list)}


def provenance_view(
    store: Store, report: Mapping[str, Any], metas: Mapping[str, Any], settings: Settings
) -> ProvenanceView:
    """Everything about sources and copying of one stored story (``metas``: article id ->
    ``report.queries.ArticleMeta``)."""
    ids = [str(a) for a in report.get("articles") or [] if str(a) in metas]
    reuse = [r for r in report.get("reuse") or [] if isinstance(r, dict)]
    names = store.outlet_names(ids)
    outlets = {a: names[a].name if a in names else "unknown outlet" for a in ids}
    agencies = {a: names[a].agencies if a in names else () for a in ids}
    duplicate_of = {a: getattr(metas[a], "duplicate_of", None) for a in ids}
    rank = {a: i for i, a in enumerate(sorted(ids, key=lambda a: (_published(metas[a]) or "9", a)))}
    groups = stored_families(report, ids) or story_families(
        ids, reuse, duplicate_of, agencies, settings
    )
    families = tuple(tuple(sorted(g, key=rank.__getitem__)) for g in groups)
    families = tuple(sorted(families, key=lambda f: rank[f[0]]))
    family_of = {a: n for n, f in enumerate(families) for a in f}
    copies = sum(len(f) - 1 for f in families)
    edges = [(str(r["a"]), str(r["b"]), float(r.get("score") or 0),
              len(r.get("shared_sentences") or []),
              family_of.get(str(r["a"])) == family_of.get(str(r["b"])))
             for r in reuse if str(r.get("a")) in rank and str(r.get("b")) in rank]  # fmt: skip
    edges += [(o, a, 1.0, 0, True) for a, o in duplicate_of.items() if o and o in rank]
    edges.sort(key=lambda e: (rank[e[1]], rank[e[0]]))
    dated = [
        a
        for a in ids
        if _published(metas[a]) and not getattr(metas[a], "published_inferred", False)
    ]
    first = min(dated, key=rank.__getitem__) if dated else None
    return ProvenanceView(
        outlets, agencies, families, first, copies, round(copies / len(ids), 3) if ids else 0.0,
        why_grouped(store, ids, reuse), tuple(edges),
        copy_graph(ids, rank, metas, outlets, edges),
        coverage_chart(ids, metas, outlets, family_of, rank, families),
    )  # fmt: skip


def copy_graph(
    ids: Sequence[str],
    rank: Mapping[str, int],
    metas: Mapping[str, Any],
    outlets: Mapping[str, str],
    edges: Sequence[tuple[str, str, float, int, bool]],
) -> CopyGraphView | None:
    """Articles on a line in publication order, an arc from each article to each later one
    that reused its sentences (thicker: higher score); None without any reuse."""
    if not edges:
        return None
    shown = sorted(ids, key=rank.__getitem__)[:MAX_NODES]
    step = (GRAPH_WIDTH - 40) / max(1, len(shown) - 1)
    x_of = {a: round(20 + i * step, 1) for i, a in enumerate(shown)}
    y = float(GRAPH_TOP)
    nodes = tuple(
        GraphNode(a, x_of[a], y, outlets[a],
                  f"{outlets[a]} · {_published(metas[a]) or 'undated'} · "
                  f"{getattr(metas[a], 'title', None) or a}")
        for a in shown
    )  # fmt: skip
    drawn = []
    for source, target, score, shared, family in edges:
        if source not in x_of or target not in x_of:
            continue
        x1, x2 = x_of[source], x_of[target]
        lift = min(GRAPH_TOP - 10, 12 + abs(x2 - x1) * 0.35)
        path = f"M{x1} {y} Q{round((x1 + x2) / 2, 1)} {round(y - 2 * lift, 1)} {x2} {y}"
        what = f"{shared} shared sentences" if shared else "near-duplicate"
        title = f"{outlets[target]} reused {outlets[source]}: {what}, score {score:.2f}"
        drawn.append(GraphEdge(source, target, path, family, round(1 + 3 * score, 2), title))
    return CopyGraphView(GRAPH_WIDTH, GRAPH_ROW, nodes, tuple(drawn), len(ids) - len(shown))


def coverage_chart(
    ids: Sequence[str],
    metas: Mapping[str, Any],
    outlets: Mapping[str, str],
    family_of: Mapping[str, int],
    rank: Mapping[str, int],
    families: Sequence[Sequence[str]],
) -> CoverageChart | None:
    """Outlets (rows, by first article) x days (columns): a square per outlet and day sized
    by its articles; ``copies`` counts those that are not the first of their family."""
    first_of = {f[0] for f in families}
    cells: dict[tuple[str, str], list[str]] = defaultdict(list)
    for a in ids:
        day = _published(metas[a])[:10]
        if len(day) == 10:
            cells[(outlets[a], day)].append(a)
    if not cells:
        return None
    days = sorted({d for _, d in cells})[-MAX_DAYS:]
    order: dict[str, int] = {}
    for a in sorted(ids, key=rank.__getitem__):
        order.setdefault(outlets[a], len(order))
    rows = sorted({o for o, d in cells if d in days}, key=order.__getitem__)[:MAX_OUTLETS]
    y_of = {o: 30 + i * CELL for i, o in enumerate(rows)}
    x_of = {d: LABEL_WIDTH + i * CELL for i, d in enumerate(days)}
    peak = max(len(v) for v in cells.values())
    drawn = []
    for (outlet, day), members in sorted(cells.items()):
        if outlet not in y_of or day not in x_of:
            continue
        copies = sum(1 for a in members if a not in first_of)
        size = round(6 + (CELL - 8) * len(members) / peak, 1)
        title = f"{outlet}, {day}: {len(members)} article(s), {copies} copie(s)"
        drawn.append(CoverageCell(x_of[day] + (CELL - size) / 2, y_of[outlet] - size / 2 - 4,
                                  size, len(members), copies, title))  # fmt: skip
    labels = tuple((d[5:], float(x_of[d] + CELL / 2)) for d in days)
    width, height = LABEL_WIDTH + len(days) * CELL + 10, 30 + len(rows) * CELL + 6
    rows_at = tuple((o, float(y_of[o])) for o in rows)
    return CoverageChart(width, height, rows_at, labels, tuple(drawn))
