"""The ``storyline/v1`` JSON export: building its objects from records, and checking them.

Other programs read this format; keep it exactly as DESIGN.md describes it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from storyline.model import Article, Citation, Claim, FirstReport, StoryReport, TopicDate

SCHEMA = "storyline/v1"

ARTICLE_FIELDS = (
    "id", "path", "source", "title", "url", "published", "published_inferred",
    "language", "story", "duplicate_of",
)  # fmt: skip
STORY_FIELDS = (
    "id", "title", "articles", "first_seen", "last_seen",
    "summary", "timeline", "entities", "quotes", "claims", "conflicts", "reuse",
)  # fmt: skip
_ITEM_FIELDS: dict[str, tuple[str, ...]] = {
    "summary": ("text", "citations", "sources"),
    "timeline": ("date", "end", "precision", "text", "expression", "citations"),
    "entities": ("id", "name", "type", "aliases", "articles", "mentions"),
    "quotes": ("speaker", "speaker_entity", "text", "variants"),
    "claims": ("subject", "predicate", "value", "unit", "text", "article", "sentence"),
    "conflicts": ("kind", "topic", "values"),
    "reuse": ("a", "b", "score", "shared_sentences"),
}


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _citations(citations: Sequence[Citation]) -> list[dict[str, Any]]:
    return [{"article": c.article, "sentence": c.sentence} for c in citations]


def article_v1(article: Article, story: str | None, duplicate_of: str | None) -> dict[str, Any]:
    return {
        "id": article.id,
        "path": article.path if article.entry is None else f"{article.path}#{article.entry}",
        "source": article.source,
        "title": article.title,
        "url": article.url,
        "published": _iso(article.published),
        "published_inferred": article.published_inferred,
        "language": article.language,
        "story": story,
        "duplicate_of": duplicate_of,
    }


def first_v1(first: FirstReport | None) -> dict[str, Any] | None:
    """``first_reported`` of a timeline entry or claim: the article that published it first,
    when (date or date-time), and the articles as early at the precision known."""
    if first is None:
        return None
    return {"article": first.article, "published": first.published, "tied": list(first.tied)}


def _nth(items: Sequence[FirstReport | None], n: int) -> FirstReport | None:
    return items[n] if n < len(items) else None


def claim_v1(claim: Claim, first: FirstReport | None = None) -> dict[str, Any]:
    value: float | int = int(claim.value) if float(claim.value).is_integer() else claim.value
    return {
        "subject": claim.subject,
        "predicate": claim.predicate,
        "value": value,
        "unit": claim.unit,
        "text": claim.text,
        "article": claim.article,
        "sentence": claim.sentence,
        "first_reported": first_v1(first),
    }


def story_v1(report: StoryReport) -> dict[str, Any]:
    """The ``storyline/v1`` story object, plus what is stored for the pages only
    (``PAGE_ONLY``, not part of the exported schema): ``key_days`` when the story spans
    weeks, ``families``."""
    story = report.story
    data: dict[str, Any] = {
        "id": story.id,
        "title": story.title,
        "articles": list(story.articles),
        "first_seen": _iso(story.first_seen),
        "last_seen": _iso(story.last_seen),
        "dek": story.dek,
        "summary": [
            {"text": s.text, "citations": _citations(s.citations), "sources": s.sources}
            for s in report.summary
        ],
        "timeline": [
            {
                "date": t.date,
                "end": t.end,
                "precision": t.precision,
                "text": t.text,
                "expression": t.expression,
                "citations": _citations(t.citations),
                "first_reported": first_v1(_nth(report.timeline_first, n)),
            }
            for n, t in enumerate(report.timeline)
        ],
        "entities": [
            {
                "id": e.id,
                "name": e.name,
                "type": e.type,
                "aliases": list(e.aliases),
                "articles": list(e.articles),
                "mentions": e.mentions,
            }
            for e in report.entities
        ],
        "quotes": [
            {
                "speaker": q.speaker,
                "speaker_entity": q.speaker_entity,
                "text": q.text,
                "variants": [
                    {"article": v.article, "sentence": v.sentence, "text": v.text}
                    for v in q.variants
                ],
            }
            for q in report.quotes
        ],
        "claims": [claim_v1(c, _nth(report.claims_first, n)) for n, c in enumerate(report.claims)],
        "conflicts": [
            {
                "kind": c.kind,
                "topic": c.topic,
                "values": [
                    {"value": v.value, "articles": list(v.articles), "text": v.text}
                    for v in c.values
                ],
            }
            for c in report.conflicts
        ],
        "reuse": [
            {
                "a": r.a,
                "b": r.b,
                "score": round(r.score, 4),
                "shared_sentences": [list(pair) for pair in r.shared_sentences],
            }
            for r in report.reuse
        ],
    }
    if report.key_days:
        data["key_days"] = [topic_date_v1(d) for d in report.key_days]
    if report.families:
        data["families"] = [list(f) for f in report.families]
    return data


#: stored with a story's report for its pages and counts, left out of the ``storyline/v1``
#: export: the key days of a story that spans weeks, the wire families synthesis counted
PAGE_ONLY = ("key_days", "families")


def stored_families(
    report: Mapping[str, Any], article_ids: Sequence[str]
) -> list[list[str]] | None:
    """The wire families stored with ``report``, restricted to ``article_ids`` (an id in no
    family is one on its own), in the order of their first member; None for a report
    stored before families were (count them from its reuse pairs then)."""
    stored = report.get("families")
    if not isinstance(stored, list):
        return None
    wanted = set(article_ids)
    family_of: dict[str, int] = {}
    for number, family in enumerate(stored):
        for article in family if isinstance(family, list) else ():
            if str(article) in wanted:
                family_of.setdefault(str(article), number)
    groups: dict[object, list[str]] = {}
    for article in article_ids:
        groups.setdefault(family_of.get(article, ("alone", article)), []).append(article)
    return list(groups.values())


def topic_date_v1(day: TopicDate) -> dict[str, Any]:
    """One day of a topic timeline, as ``storyline timeline --format json`` prints it."""
    return {
        "date": day.date,
        "sentences": [
            {"text": s.text, "citations": _citations(s.citations), "sources": s.sources}
            for s in day.sentences
        ],
    }


def document(
    articles: Sequence[Mapping[str, Any]], stories: Sequence[Mapping[str, Any]]
) -> dict[str, Any]:
    return {"schema": SCHEMA, "articles": list(articles), "stories": list(stories)}


# -- canonical order ------------------------------------------------------------------------
# Exports list everything in an order that depends only on the content, never on the order
# in which articles were ingested, linked or re-run after an interruption. Only the order of
# lists changes; their items stay exactly as stored. Lists whose order is meaningful keep it
# (summary sentences in reading order, the timeline in date order, entities by mentions,
# conflict values by value).


def article_key(article: Mapping[str, Any]) -> tuple[bool, str, str]:
    """The canonical order of articles: dated ones first, by date, then by id."""
    published = article.get("published")
    return (published is None, str(published or ""), str(article.get("id")))


def canonical_stories(
    stories: Sequence[Mapping[str, Any]], articles: Sequence[Mapping[str, Any]]
) -> list[dict[str, Any]]:
    """``stories`` newest first (last_seen descending, then id), each in canonical order;
    ``articles`` (already in ``article_key`` order) give the order of article ids."""
    rank = {str(a.get("id")): i for i, a in enumerate(articles)}
    ordered = sorted(stories, key=lambda s: str(s.get("id")))
    ordered.sort(key=lambda s: str(s.get("last_seen") or ""), reverse=True)
    return [canonical_story(story, rank) for story in ordered]


def canonical_story(story: Mapping[str, Any], rank: Mapping[str, int]) -> dict[str, Any]:
    """One ``storyline/v1`` story with its articles, citations, entity and conflict
    articles, quote variants, claims and reuse pairs in canonical order (``rank``: article
    id -> position in the exported articles; unknown ids go last, by id)."""
    last = len(rank)

    def art(aid: Any) -> tuple[int, str]:
        return rank.get(str(aid), last), str(aid)

    def cite(c: Mapping[str, Any]) -> tuple[tuple[int, str], int]:
        return art(c.get("article")), int(c.get("sentence") or 0)

    def cited(items: Any) -> Any:
        if not isinstance(items, list):
            return items
        return [{**i, "citations": sorted(i["citations"], key=cite)}
                if isinstance(i.get("citations"), list) else i for i in items]  # fmt: skip

    def quote(q: Mapping[str, Any]) -> dict[str, Any]:
        variants = q.get("variants")
        if not isinstance(variants, list):
            return dict(q)
        return {**q, "variants": sorted(variants, key=lambda v: (*cite(v), str(v.get("text"))))}

    def first(q: Mapping[str, Any]) -> tuple[Any, ...]:
        variants = q.get("variants") or [{}]
        return (*cite(variants[0]), str(q.get("speaker")), str(q.get("text")))

    out = dict(story)
    if isinstance(out.get("articles"), list):
        out["articles"] = sorted(out["articles"], key=art)
    for key in ("summary", "timeline"):
        if key in out:
            out[key] = cited(out[key])
    if isinstance(out.get("entities"), list):
        out["entities"] = [{**e, "articles": sorted(e["articles"], key=art)}
                           if isinstance(e.get("articles"), list) else e
                           for e in out["entities"]]  # fmt: skip
    if isinstance(out.get("quotes"), list):
        out["quotes"] = sorted((quote(q) for q in out["quotes"]), key=first)
    if isinstance(out.get("claims"), list):
        out["claims"] = sorted(out["claims"], key=lambda c: (
            *cite(c), str(c.get("subject")), str(c.get("predicate")), str(c.get("value")),
            str(c.get("unit")), str(c.get("text")),
        ))  # fmt: skip
    if isinstance(out.get("conflicts"), list):
        out["conflicts"] = [
            {**c, "values": [{**v, "articles": sorted(v["articles"], key=art)}
                             if isinstance(v.get("articles"), list) else v
                             for v in c["values"]]}
            if isinstance(c.get("values"), list) else c
            for c in out["conflicts"]
        ]  # fmt: skip
    if isinstance(out.get("reuse"), list):
        out["reuse"] = sorted(
            ({**r, "shared_sentences": sorted(r["shared_sentences"])}
             if isinstance(r.get("shared_sentences"), list) else r for r in out["reuse"]),
            key=lambda r: (art(r.get("a")), art(r.get("b"))),
        )  # fmt: skip
    return out


def problems(obj: Any) -> list[str]:
    """What is wrong with ``obj`` as a ``storyline/v1`` document (empty when valid)."""
    found: list[str] = []
    if not isinstance(obj, dict) or obj.get("schema") != SCHEMA:
        return [f"'schema' must be {SCHEMA!r}"]
    articles = obj.get("articles")
    stories = obj.get("stories")
    if not isinstance(articles, list) or not isinstance(stories, list):
        return ["'articles' and 'stories' must be lists"]
    ids = set()
    for i, article in enumerate(articles):
        missing = [f for f in ARTICLE_FIELDS if f not in article]
        if missing:
            found.append(f"articles[{i}] lacks {missing}")
        ids.add(article.get("id"))
        if not isinstance(article.get("published_inferred"), bool):
            found.append(f"articles[{i}].published_inferred must be a bool")
    for i, story in enumerate(stories):
        missing = [f for f in STORY_FIELDS if f not in story]
        if missing:
            found.append(f"stories[{i}] lacks {missing}")
            continue
        for aid in story["articles"]:
            if aid not in ids:
                found.append(f"stories[{i}] names unknown article {aid!r}")
        for key, item_fields in _ITEM_FIELDS.items():
            if not isinstance(story[key], list):
                found.append(f"stories[{i}].{key} must be a list")
                continue
            for j, item in enumerate(story[key]):
                lacking = [f for f in item_fields if f not in item]
                if lacking:
                    found.append(f"stories[{i}].{key}[{j}] lacks {lacking}")
    return found
