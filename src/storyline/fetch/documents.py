"""What fetched bytes say: feed entries, sitemap URLs, article pages. Pure functions.

Feeds and pages are read by the same readers as files (``ingest.files.read_data``: feedparser
for feeds, trafilatura for pages), always from bytes: nothing is fetched by them and nothing
named by a document is executed. Sitemaps, sitemap indexes and OPML files are small XML
vocabularies parsed here with ``xml.etree`` (no DTDs, no entities, no external references).
"""

from __future__ import annotations

import hashlib
import html
import io
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from storyline.config import Settings
from storyline.errors import InputError, ParseError
from storyline.fetch.decode import inflate
from storyline.fetch.safety import clean_url
from storyline.ingest.base import default_source, parse_date
from storyline.ingest.files import read_data
from storyline.model import Article

_ROOT = re.compile(
    rb"^\s*(?:<\?xml[^>]*\?>\s*)?(?:<!--.*?-->\s*|<\?[^>]*\?>\s*)*<(?:[\w.-]+:)?(\w+)", re.S
)


def parse_xml(data: bytes, where: str) -> ET.Element:
    """The root element of an XML document; ParseError when it is not well formed or
    declares entities (nothing is expanded or loaded from elsewhere)."""
    if b"<!ENTITY" in data[:65536].upper() or b"<!DOCTYPE" in data[:65536].upper():
        raise ParseError(where, "XML with a DOCTYPE or entity declarations is not read")
    try:
        return ET.fromstring(data)
    except ET.ParseError as exc:
        raise ParseError(where, f"malformed XML ({exc})") from exc


def local(tag: str) -> str:
    """An element's name without its namespace."""
    return tag.rsplit("}", 1)[-1].lower()


def root_name(data: bytes) -> str:
    """The name of the document's root element (lower case, no prefix), "" when unknown."""
    head = data[:8192].lstrip(b"\xef\xbb\xbf")
    found = _ROOT.match(head)
    return found.group(1).decode("ascii", "replace").lower() if found else ""


def looks_like_markup(data: bytes) -> bool:
    """Whether ``data`` starts like XML or HTML. Only such bytes are handed to feedparser,
    which would otherwise take bytes that name a local file for that file's name."""
    return data.lstrip(b"\xef\xbb\xbf \t\r\n\f").startswith(b"<")


def _digest(*parts: object) -> str:
    text = "\x1f".join("" if p is None else str(p) for p in parts)
    return hashlib.sha256(text.encode("utf-8", "replace")).hexdigest()[:32]


# -- feeds ------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class FeedEntry:
    """One entry of a feed. ``link`` is absolute http(s) (None otherwise; ``raw_link`` is
    what the feed said); ``article`` is the entry's own text as an Article, None when it
    had too little text (``problem`` says why)."""

    index: int
    key: str
    digest: str
    link: str | None
    raw_link: str | None
    title: str | None
    published: date | None
    article: Article | None
    problem: str | None = None

    @property
    def chars(self) -> int:
        return len(self.article.text) if self.article else 0


@dataclass(frozen=True, slots=True)
class FeedDoc:
    title: str | None
    entries: tuple[FeedEntry, ...]


def outlet_of(url: str, title: str | None) -> str:
    """The outlet of a feed: its title, else its host name."""
    return (title or "").strip() or (urlsplit(url).hostname or url)


def parse_feed(url: str, data: bytes, settings: Settings) -> FeedDoc:
    """The entries of an RSS/Atom feed's bytes; ParseError when it is no usable feed."""
    import feedparser

    if not looks_like_markup(data):
        raise ParseError(url, "not a feed: the response is not XML")
    parsed = feedparser.parse(io.BytesIO(data))
    title = parsed.feed.get("title") if parsed.get("feed") else None
    if not parsed.entries:
        if parsed.get("version") and not parsed.get("bozo"):
            return FeedDoc(title, ())
        problem = parsed.get("bozo_exception")
        raise ParseError(url, f"malformed feed, no entries could be read: {problem}")
    try:
        results = read_data(Path("feed.xml"), data, settings, where=url)
    except InputError as exc:
        raise ParseError(url, exc.reason) from exc
    if len(results) != len(parsed.entries):
        raise ParseError(url, "feed entries could not be matched to their texts")
    outlet = outlet_of(url, title)
    entries = []
    for index, (entry, result) in enumerate(zip(parsed.entries, results, strict=True)):
        entries.append(_entry(url, outlet, index, entry, result))
    return FeedDoc(title, tuple(entries))


def _entry(
    url: str, outlet: str, index: int, entry: Any, result: Article | InputError
) -> FeedEntry:
    raw_link = (entry.get("link") or "").strip() or None
    link = clean_url(raw_link, base=url) if raw_link else None
    contents = "".join(c.get("value", "") for c in entry.get("content") or [])
    digest = _digest(entry.get("title"), entry.get("summary"), contents, raw_link,
                     entry.get("updated"), entry.get("published"))  # fmt: skip
    guid = (entry.get("id") or "").strip()
    key = guid or (link or raw_link or "") or f"digest:{digest}"
    article = None
    problem = None
    if isinstance(result, Article):
        article = replace(result, path=url, entry=index, source=outlet, url=link)
    else:
        problem = result.reason
    published = article.published if article else _entry_date(entry)
    return FeedEntry(index, key[:2000], digest, link, raw_link, entry.get("title"), published,
                     article, problem)  # fmt: skip


def _entry_date(entry: Any) -> date | None:
    for key in ("published_parsed", "updated_parsed"):
        parsed = entry.get(key)
        if parsed:
            try:
                return date(parsed.tm_year, parsed.tm_mon, parsed.tm_mday)
            except ValueError:
                continue
    return None


# -- sitemaps ---------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class SitemapUrl:
    """One page a sitemap lists; news sitemaps add a title, a publication and its date."""

    loc: str
    lastmod: str | None = None
    title: str | None = None
    published: date | None = None
    outlet: str | None = None

    @property
    def digest(self) -> str:
        return _digest(self.lastmod, self.title, self.published)

    def when(self) -> date | None:
        return self.published or parse_date(self.lastmod)


@dataclass(frozen=True, slots=True)
class SitemapDoc:
    """A sitemap's page URLs (newest first), or a sitemap index's child sitemaps."""

    urls: tuple[SitemapUrl, ...]
    sitemaps: tuple[str, ...]
    unsafe: int = 0  # locations that are not http(s) URLs, left out


def is_sitemap(data: bytes) -> bool:
    if data[:2] == b"\x1f\x8b":
        return True
    return root_name(data) in ("urlset", "sitemapindex")


def parse_sitemap(url: str, data: bytes, settings: Settings) -> SitemapDoc:
    """A sitemap's or sitemap index's locations (gzip allowed); URLs older than
    ``sitemap_max_age_days`` are left out."""
    if data[:2] == b"\x1f\x8b":
        data = inflate(data, settings.fetch_max_bytes, url)
    root = parse_xml(data, url)
    kind = local(root.tag)
    if kind not in ("urlset", "sitemapindex"):
        raise ParseError(url, f"not a sitemap (root element <{kind[:40]}>)")
    children, urls, unsafe = [], [], 0
    oldest = None
    if settings.sitemap_max_age_days > 0:
        oldest = datetime.now(UTC).date() - timedelta(days=settings.sitemap_max_age_days)
    for item in root:
        fields = {local(child.tag): child for child in item}
        loc = clean_url((fields["loc"].text or "") if "loc" in fields else "", base=url)
        if loc is None:
            unsafe += 1
            continue
        if kind == "sitemapindex":
            children.append(loc)
            continue
        found = _news(fields.get("news"), loc, fields)
        when = found.when()
        if oldest is None or when is None or when >= oldest:
            urls.append(found)
    urls.sort(key=lambda u: u.when() or date.min, reverse=True)
    return SitemapDoc(tuple(urls), tuple(dict.fromkeys(children)), unsafe)


def _news(news: ET.Element | None, loc: str, fields: dict[str, ET.Element]) -> SitemapUrl:
    lastmod = (fields["lastmod"].text or "").strip() if "lastmod" in fields else None
    if news is None:
        return SitemapUrl(loc, lastmod or None)
    parts = {local(e.tag): e for e in news.iter()}
    name = parts.get("name")
    title = parts.get("title")
    day = parts.get("publication_date")
    return SitemapUrl(
        loc,
        lastmod or None,
        (title.text or "").strip() or None if title is not None else None,
        parse_date((day.text or "").strip()) if day is not None else None,
        (name.text or "").strip() or None if name is not None else None,
    )


# -- pages ------------------------------------------------------------------------------
def is_html(content_type: str, data: bytes) -> bool:
    """Whether a response is an HTML page (by its type, or its start when it names none)."""
    kind = content_type.split(";")[0].strip().lower()
    if kind in ("text/html", "application/xhtml+xml"):
        return True
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return kind in ("", "application/octet-stream") and (
        head.startswith(b"<!doctype html") or head.startswith(b"<html")
    )


def page_article(final_url: str, data: bytes, settings: Settings) -> tuple[Article, str]:
    """The article of a page's bytes and the page's URL: its canonical URL when it names an
    http(s) one (``<link rel="canonical">``, else ``og:url``), else ``final_url``. The
    outlet is the page's site name, else its host. InputError when it has no article."""
    results = read_data(_PAGE, data, settings, where=final_url)
    for result in results:
        if isinstance(result, InputError):
            raise InputError(final_url, result.reason)
        named = canonical_url(data) or result.url
        canonical = (clean_url(named, base=final_url) if named else None) or final_url
        source = result.source
        if not source or source == default_source(_PAGE):  # the page names no site
            source = urlsplit(canonical).hostname or source
        return replace(result, url=canonical, source=source), canonical
    raise ParseError(final_url, "HTML page has no article body")


_PAGE = Path("page.html")
_TAG = re.compile(rb"<(link|meta)\b([^>]{0,2000})>", re.I)
_ATTRIBUTE = re.compile(rb"""([\w:-]+)\s*=\s*("[^"]*"|'[^']*'|[^\s"'>]+)""")


def canonical_url(data: bytes) -> str | None:
    """The URL a page names as its own: ``<link rel="canonical">``, else ``og:url`` (as
    written, maybe relative)."""
    found: dict[str, str] = {}
    head = data[:262144]
    end = head.lower().find(b"</head")
    for tag in _TAG.finditer(head if end < 0 else head[:end]):
        attributes = {
            k.lower().decode("ascii", "replace"): v.strip(b"\"'").decode("utf-8", "replace")
            for k, v in _ATTRIBUTE.findall(tag.group(2))
        }
        if tag.group(1).lower() == b"link" and "canonical" in attributes.get("rel", "").lower():
            found.setdefault("canonical", html.unescape(attributes.get("href", "")).strip())
        elif attributes.get("property", "").lower() == "og:url":
            found.setdefault("og", html.unescape(attributes.get("content", "")).strip())
    return found.get("canonical") or found.get("og") or None
