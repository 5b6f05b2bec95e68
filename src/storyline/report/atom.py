"""The Atom feed of stories (RFC 4287): one entry per story, from the stored reports.

Feed readers show each story once: its entry id (``urn:storyline:story:<id>``) stays while
the story keeps its id, which the incremental engine keeps as a story grows, and its
``updated`` is when the story last changed (``stories.updated_at``), so a story that gets new
articles is marked updated, not shown again. The most recently changed stories come first
(setting ``atom_entries`` of them), narrowed by the same filters as the story list.

An entry's content is HTML (``type="html"``): the number of articles and of independent
sources with a link to the story page, then the cited summary, every sentence escaped and
followed by links to the articles it cites, on their own URLs when those are http(s) (other
URLs are not linked). The XML is built with ``xml.etree``, which escapes every text and
attribute; characters XML 1.0 cannot carry are dropped first. Nothing is recomputed: the
stored ``storyline/v1`` reports are read as they are.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from html import escape
from importlib import metadata
from typing import Any
from urllib.parse import quote, urlencode, urljoin

from storyline.config import Settings
from storyline.report.queries import (
    ArticleMeta,
    StoryFilter,
    _where,
    article_metas,
    independent_sources,
)
from storyline.report.views import Urls, safe_url
from storyline.schema import stored_families
from storyline.store import Store

ATOM_NS = "http://www.w3.org/2005/Atom"
MEDIA_TYPE = "application/atom+xml"
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


@dataclass(frozen=True, slots=True)
class AtomLinks:
    """Where the feed links to. ``base`` is the site's absolute URL (the web UI) or "" for
    links relative to the feed file (the static report); ``feed`` the feed's own URL."""

    urls: Urls
    base: str = ""
    feed: str | None = None

    def to(self, path: str) -> str:
        return urljoin(self.base, path) if self.base else path


def clean(text: object) -> str:
    """``text`` without characters that XML 1.0 cannot carry (control characters)."""
    return _NOT_XML.sub("", str(text))


def _timestamp(value: str | None) -> str | None:
    """An RFC 3339 timestamp from a stored ISO date or date-time (UTC when unzoned)."""
    if not value:
        return None
    try:
        when = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        try:
            day = date.fromisoformat(value[:10])
        except ValueError:
            return None
        when = datetime(day.year, day.month, day.day, tzinfo=UTC)
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _version() -> str:
    try:
        return metadata.version("storyline")
    except metadata.PackageNotFoundError:
        return "0"


def stories_atom(
    store: Store,
    filters: StoryFilter,
    links: AtomLinks,
    settings: Settings | None = None,
) -> bytes:
    """The Atom document (UTF-8 bytes) of the stories matching ``filters``."""
    settings = settings or Settings()
    where, params = _where(filters)
    rows = store.db.execute(
        f"SELECT s.id, s.title, s.updated_at, s.first_seen, s.report FROM stories s{where}"
        " ORDER BY s.updated_at DESC, s.id LIMIT ?",
        [*params, max(0, settings.atom_entries)],
    ).fetchall()
    reports = [json.loads(row[4]) for row in rows]
    metas = article_metas(store, sorted({a for r in reports for a in r.get("articles", [])}))
    entries = []
    for (sid, title, updated_at, first_seen, _), report in zip(rows, reports, strict=True):
        updated = _timestamp(updated_at) or _timestamp(datetime.now(UTC).isoformat())
        entries.append((sid, title, updated or "", _timestamp(first_seen), report))

    feed = ET.Element("feed", {"xmlns": ATOM_NS})
    _text(feed, "title", "storyline: stories" + _described(filters))
    _text(feed, "subtitle", "One entry per story, updated as the story grows.")
    _text(feed, "id", "urn:storyline:stories" + _query(filters))
    newest = max((e[2] for e in entries), default=None)
    _text(feed, "updated", newest or _timestamp(datetime.now(UTC).isoformat()) or "")
    if links.feed:
        ET.SubElement(feed, "link", {"rel": "self", "type": MEDIA_TYPE, "href": clean(links.feed)})
    ET.SubElement(feed, "link", {"rel": "alternate", "type": "text/html",
                                 "href": clean(links.to(links.urls.index()))})  # fmt: skip
    author = ET.SubElement(feed, "author")
    _text(author, "name", "storyline")
    generator = ET.SubElement(feed, "generator", {"version": _version()})
    generator.text = "storyline"
    threshold = settings.wire_family_threshold
    for sid, title, updated, published, report in entries:
        _entry(feed, links, sid, title, updated, published, report, metas, threshold)
    ET.indent(feed)
    document: bytes = ET.tostring(feed, encoding="utf-8", xml_declaration=True)
    return document


def _entry(
    feed: ET.Element,
    links: AtomLinks,
    story_id: str,
    title: str,
    updated: str,
    published: str | None,
    report: dict[str, Any],
    metas: dict[str, ArticleMeta],
    threshold: float,
) -> None:
    article_ids = [str(a) for a in report.get("articles", [])]
    members = [metas[a] for a in article_ids if a in metas]
    stored = stored_families(report, article_ids)
    sources = (
        len(stored)
        if stored is not None
        else independent_sources(article_ids, members, report.get("reuse", []), threshold)
    )
    page = links.to(links.urls.story(story_id))
    entry = ET.SubElement(feed, "entry")
    _text(entry, "title", title or story_id, type="text")
    _text(entry, "id", f"urn:storyline:story:{quote(story_id, safe='')}")
    _text(entry, "updated", updated)
    if published:
        _text(entry, "published", published)
    ET.SubElement(entry, "link", {"rel": "alternate", "type": "text/html", "href": clean(page)})
    counts = f"{_count(len(article_ids), 'article')} from {_count(sources, 'independent source')}"
    conflicts = len(report.get("conflicts", []))
    if conflicts:
        counts += f", {_count(conflicts, 'conflict')} between them"
    _text(entry, "summary", counts, type="text")
    _text(entry, "content", _content(page, counts, report, metas), type="html")


def _content(page: str, counts: str, report: dict[str, Any], metas: dict[str, ArticleMeta]) -> str:
    """The entry's HTML: every piece of stored text escaped, links only to http(s) URLs."""
    parts = [f'<p><a href="{escape(page)}">{escape(counts)}</a></p>']
    sentences = report.get("summary", [])
    if sentences:
        parts.append("<ul>")
    for sentence in sentences:
        cited = _citations(sentence.get("citations", []), metas)
        support = int(sentence.get("sources") or 0)
        note = f" <small>({_count(support, 'source')}: {', '.join(cited)})</small>" if cited else ""
        parts.append(f"<li>{escape(str(sentence.get('text', '')))}{note}</li>")
    if sentences:
        parts.append("</ul>")
    if report.get("dek"):
        parts.insert(1, f"<p>{escape(str(report['dek']))}</p>")
    return clean("".join(parts))


def _citations(citations: Sequence[dict[str, Any]], metas: dict[str, ArticleMeta]) -> list[str]:
    out: list[str] = []
    seen: set[str] = set()
    for citation in citations:
        article = str(citation.get("article"))
        if article in seen:
            continue
        seen.add(article)
        meta = metas.get(article)
        name = escape((meta.source if meta else None) or "unknown outlet")
        url = safe_url(meta.url) if meta else None
        out.append(f'<a href="{escape(url)}">{name}</a>' if url else name)
    return out


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _text(parent: ET.Element, tag: str, text: str, **attributes: str) -> ET.Element:
    element = ET.SubElement(parent, tag, attributes)
    element.text = clean(text)
    return element


def _query(filters: StoryFilter) -> str:
    pairs = [(k, v) for k, v in (
        ("q", filters.query.strip()), ("since", filters.since.isoformat() if filters.since else ""),
        ("until", filters.until.isoformat() if filters.until else ""),
        ("outlet", filters.outlet), ("entity", filters.entity.strip()),
    ) if v]  # fmt: skip
    return "?" + urlencode(pairs) if pairs else ""


def _described(filters: StoryFilter) -> str:
    parts = []
    if filters.query.strip():
        parts.append(f"matching {filters.query.strip()!r}")
    if filters.entity.strip():
        parts.append(f"naming {filters.entity.strip()!r}")
    if filters.outlet:
        parts.append(f"from {filters.outlet}")
    if filters.since:
        parts.append(f"since {filters.since.isoformat()}")
    if filters.until:
        parts.append(f"until {filters.until.isoformat()}")
    return (" " + ", ".join(parts)) if parts else ""
