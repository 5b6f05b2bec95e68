"""RSS and Atom feed files via feedparser: one article per entry, full content when present.

The feed is parsed from the bytes on disk; feedparser is never handed a URL, so nothing
is fetched.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

from storyline.config import Settings
from storyline.errors import InputError, ParseError
from storyline.ingest.base import Reader, ReadResult, build_article
from storyline.ingest.markup import html_to_text
from storyline.model import Article


def _entry_text(entry: Any) -> str:
    contents = entry.get("content") or []
    best = max((c.get("value", "") for c in contents), key=len, default="")
    summary = entry.get("summary", "") or ""
    return html_to_text(best if len(best) >= len(summary) else summary)


def _entry_date(entry: Any) -> date | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        parsed = entry.get(key)
        if parsed:
            try:
                return date(parsed.tm_year, parsed.tm_mon, parsed.tm_mday)
            except ValueError:
                continue
    return None


def read_feed(path: Path, data: bytes, settings: Settings) -> Iterator[ReadResult]:
    import feedparser

    parsed = feedparser.parse(data)
    if not parsed.entries:
        problem = parsed.get("bozo_exception")
        detail = f": {problem}" if problem else ""
        raise ParseError(str(path), f"malformed feed, no entries could be read{detail}")
    outlet = parsed.feed.get("title")
    results: list[ReadResult] = []
    for number, entry in enumerate(parsed.entries):
        try:
            results.append(
                build_article(
                    path,
                    _entry_text(entry),
                    settings,
                    title=entry.get("title"),
                    source=outlet,
                    url=entry.get("link"),
                    published=_entry_date(entry),
                    language=entry.get("language") or parsed.feed.get("language"),
                    entry=number,
                )
            )
        except InputError as exc:
            results.append(exc)
    if parsed.get("bozo") and not any(isinstance(r, Article) for r in results):
        raise ParseError(str(path), f"malformed feed: {parsed.get('bozo_exception')}")
    yield from results


READER = Reader(name="feed", suffixes=(".xml", ".rss", ".atom", ".feed"), read=read_feed)
