"""The ``storyline/v1`` JSON export: building its objects from records, and checking them.

Other programs read this format; keep it exactly as DESIGN.md describes it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from storyline.model import Article, Citation, Claim, StoryReport

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


def claim_v1(claim: Claim) -> dict[str, Any]:
    value: float | int = int(claim.value) if float(claim.value).is_integer() else claim.value
    return {
        "subject": claim.subject,
        "predicate": claim.predicate,
        "value": value,
        "unit": claim.unit,
        "text": claim.text,
        "article": claim.article,
        "sentence": claim.sentence,
    }


def story_v1(report: StoryReport) -> dict[str, Any]:
    story = report.story
    return {
        "id": story.id,
        "title": story.title,
        "articles": list(story.articles),
        "first_seen": _iso(story.first_seen),
        "last_seen": _iso(story.last_seen),
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
            }
            for t in report.timeline
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
        "claims": [claim_v1(c) for c in report.claims],
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


def document(
    articles: Sequence[Mapping[str, Any]], stories: Sequence[Mapping[str, Any]]
) -> dict[str, Any]:
    return {"schema": SCHEMA, "articles": list(articles), "stories": list(stories)}


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
