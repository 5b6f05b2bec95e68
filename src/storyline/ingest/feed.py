"""RSS and Atom feed files via feedparser: one article per entry, full content when present.

The feed is parsed from the bytes on disk, handed to feedparser as a stream: feedparser is
never handed a URL or a string it could take for a file name (it opens byte strings that
name a file), so nothing else is read or fetched. Entry markup is reduced to text by
``markup.html_to_text`` (scripts and styles dropped), not by feedparser's sanitizer.

Every entry is checked on its own; a bad one is skipped as ``path:N: reason`` (N counts the
entries from 1) and the others are kept. An entry's date is the first of ``published``,
``updated``, ``created`` it has; that date must be readable, a real date and time as written
(no 25:61, which feedparser would roll over into the next day) with a UTC offset within
+-14:00, and in ``min_year..max_year``. Otherwise the entry is skipped with the reason.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from datetime import UTC, date, datetime
from email.utils import parsedate_tz
from pathlib import Path
from typing import Any

from storyline.config import Settings
from storyline.errors import InputError, ParseError
from storyline.ingest.base import Reader, ReadResult, build_article
from storyline.ingest.dates import MAX_OFFSET, check_range, shown, utc_minute
from storyline.ingest.markup import html_to_text
from storyline.ingest.normalize import display_path
from storyline.model import Article

_DATE_KEYS = ("published", "updated", "created")
#: an ISO 8601 / W3C-DTF date as written: date, optional time, optional UTC offset
_ISO = re.compile(
    r"\A([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})(?:[Tt ]+([0-9]{1,2}):([0-9]{1,2})"
    r"(?::([0-9]{1,2}))?(?:[.,][0-9]+)?\s*(?:[Zz]|([+-])([0-9]{2}):?([0-9]{2}))?)?"
)


def _string(value: object) -> str | None:
    """A metadata value feedparser gave, when it is text."""
    return value if isinstance(value, str) else None


def _entry_text(entry: Any) -> str:
    contents = entry.get("content")
    values = [c.get("value") for c in contents if hasattr(c, "get")] if contents else []
    best = max((v for v in values if isinstance(v, str)), key=len, default="")
    summary = _string(entry.get("summary")) or ""
    return html_to_text(best if len(best) >= len(summary) else summary)


def _entry_title(entry: Any) -> str | None:
    title = _string(entry.get("title"))
    detail = entry.get("title_detail")
    kind = _string(detail.get("type")) if hasattr(detail, "get") else None
    if title is not None and kind is not None and "html" in kind:
        return html_to_text(title)
    return title


def _entry_date(entry: Any, where: str, settings: Settings) -> date | None:
    """The entry's date (as feedparser reads it, in UTC); a ParseError for a bad one."""
    for key in _DATE_KEYS:  # dict.get: feedparser's own get maps "updated" to "published"
        raw = _string(dict.get(entry, key))
        if raw is None or not raw.strip():
            continue
        what = f"{key} date"
        _check_written(raw, where, settings, what)
        parsed: Any = dict.get(entry, f"{key}_parsed")
        try:
            value = date(parsed.tm_year, parsed.tm_mon, parsed.tm_mday)
        except (AttributeError, TypeError, ValueError) as exc:  # None when unreadable
            raise ParseError(where, f"{what} cannot be read: {shown(raw)}") from exc
        return check_range(value, where, settings, what)
    return None


def _entry_moment(entry: Any) -> datetime | None:
    """The entry's publication time in UTC (the date ``_entry_date`` read), when its date
    gives a time of day; None otherwise."""
    for key in _DATE_KEYS:
        raw = _string(dict.get(entry, key))
        if raw is None or not raw.strip():
            continue
        parsed: Any = dict.get(entry, f"{key}_parsed")
        if ":" not in raw or parsed is None:
            return None
        try:
            year, month, day, hour, minute = parsed[:5]
            return utc_minute(datetime(year, month, day, hour, minute, tzinfo=UTC))
        except (TypeError, ValueError):
            return None
    return None


def _check_written(raw: str, where: str, settings: Settings, what: str) -> None:
    """Refuse what feedparser would silently roll over (25:61, +99:00) and years out of
    range, as written: ISO 8601 / W3C-DTF (Atom) or RFC 822 (RSS). Other formats that
    feedparser knows are checked on its reading only."""
    text = raw.strip()
    iso = _ISO.match(text)
    if iso is not None:
        numbers = [int(g) if g else 0 for g in iso.groups()[:6]]
        sign, hours, minutes = iso.group(7, 8, 9)
        offset = (int(hours) * 3600 + int(minutes) * 60) if sign else 0
    else:
        fields = parsedate_tz(text)
        if fields is None:
            return
        numbers = list(fields[:6])
        offset = fields[9] or 0
    year, month, day, hour, minute, second = numbers
    try:
        written = datetime(year, month, day, hour, minute, min(second, 59))
    except ValueError as exc:
        raise ParseError(where, f"{what} is not a real date and time: {shown(raw)}") from exc
    if abs(offset) > MAX_OFFSET.total_seconds():
        raise ParseError(where, f"{what} has an impossible UTC offset: {shown(raw)}")
    check_range(written.date(), where, settings, what)


def read_feed(path: Path, data: bytes, settings: Settings) -> Iterator[ReadResult]:
    import feedparser

    name = display_path(path)
    # feedparser's sanitizer and URI resolution run sgmllib over every entry's markup, in
    # time that a feed of many tags makes minutes; the markup is reduced to text here anyway
    parsed = feedparser.parse(io.BytesIO(data), sanitize_html=False, resolve_relative_uris=False)
    if not parsed.entries:
        problem = parsed.get("bozo_exception")
        detail = f": {problem}" if problem else ""
        raise ParseError(name, f"malformed feed, no entries could be read{detail}")
    outlet = _string(parsed.feed.get("title"))
    feed_language = _string(parsed.feed.get("language"))
    results: list[ReadResult] = []
    for number, entry in enumerate(parsed.entries):
        where = f"{name}:{number + 1}"
        try:
            results.append(
                build_article(
                    path,
                    _entry_text(entry),
                    settings,
                    title=_entry_title(entry),
                    source=outlet,
                    url=_string(entry.get("link")),
                    published=_entry_date(entry, where, settings),
                    published_at=_entry_moment(entry),
                    language=_string(entry.get("language")) or feed_language,
                    entry=number,
                    where=where,
                )
            )
        except InputError as exc:
            results.append(exc)
    if parsed.get("bozo") and not any(isinstance(r, Article) for r in results):
        raise ParseError(name, f"malformed feed: {parsed.get('bozo_exception')}")
    yield from results


READER = Reader(name="feed", suffixes=(".xml", ".rss", ".atom", ".feed"), read=read_feed)
