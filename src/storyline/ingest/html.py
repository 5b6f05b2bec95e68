"""HTML pages: the main text via trafilatura, metadata from the page, the date via htmldate.

Nothing named by the page is fetched: trafilatura and htmldate work on the string only.

Extraction takes time that grows faster than the page, so a page with more start tags than
``max_html_elements`` is skipped before it is parsed. A page's date is a guess among the
dates it shows: candidates outside ``min_year..max_year`` (and, as htmldate does, before
1995 or after today) are not considered; no candidate left means no date.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from itertools import islice
from pathlib import Path
from typing import Any

from storyline.config import Settings
from storyline.errors import ParseError, TooLargeError
from storyline.ingest.base import Reader, ReadResult, build_article, parse_date
from storyline.ingest.dates import in_range
from storyline.ingest.normalize import decode, display_path, sniff_head

#: what an HTML tokenizer takes for the start of an element
_START_TAG = re.compile(r"<[A-Za-z]")
#: htmldate's own bounds of a plausible publication date
_HTMLDATE_EARLIEST = date(1995, 1, 1)


def check_elements(html: str, where: str, settings: Settings) -> None:
    """A TooLargeError when the page has more start tags than ``max_html_elements``."""
    limit = settings.max_html_elements
    if html.count("<") <= limit:
        return
    found = sum(1 for _ in islice(_START_TAG.finditer(html), limit + 1))
    if found > limit:
        raise TooLargeError(
            where,
            f"HTML page has more than {limit:,} elements (setting max_html_elements)",
        )


def extract(
    html: str, where: str, min_chars: int = 1, settings: Settings | None = None
) -> dict[str, Any]:
    """Main text and metadata of a page as a dict (text, title, source, url, published)."""
    import trafilatura

    settings = settings or Settings()
    check_elements(html, where, settings)

    try:
        doc = trafilatura.bare_extraction(
            html,
            with_metadata=True,
            include_comments=False,
            include_tables=False,
            favor_precision=True,
            deduplicate=False,
        )
    except Exception as exc:  # trafilatura raises many kinds on broken markup
        raise ParseError(where, f"cannot parse HTML ({type(exc).__name__}: {exc})") from exc
    if doc is None:
        raise ParseError(where, "HTML page has no article body")
    meta = doc.as_dict() if hasattr(doc, "as_dict") else dict(doc)
    text = meta.get("text") or ""
    if not text.strip():
        raise ParseError(where, "HTML page has no article body")
    title = meta.get("title")
    lines = [line for line in text.split("\n") if line.strip()]
    # the headline (and a section label or kicker before it) is metadata, not body text
    if title:
        heading = [i for i, line in enumerate(lines[:3]) if line.strip() == title.strip()]
        if heading:
            lines = lines[heading[0] + 1 :]
    text = "\n\n".join(lines)  # trafilatura puts one paragraph per line
    if len(text) < min_chars:
        raise ParseError(where, f"HTML page has no article body (only {len(text)} characters)")
    published = parse_date(meta.get("date"))
    if not in_range(published, settings):
        published = _htmldate(html, settings)
    return {
        "text": text,
        "title": title,
        "source": meta.get("sitename"),
        "url": meta.get("url"),
        "published": published,
        "language": meta.get("language"),
    }


def _htmldate(html: str, settings: Settings) -> date | None:
    """htmldate's guess among the dates within the settings' years and its own bounds."""
    from htmldate import find_date

    earliest = max(_HTMLDATE_EARLIEST, date(min(max(settings.min_year, 1), 9999), 1, 1))
    latest = min(date.today(), date(min(max(settings.max_year, 1), 9999), 12, 31))
    if earliest > latest:
        return None
    try:
        found = find_date(
            html,
            extensive_search=False,
            original_date=True,
            min_date=earliest.isoformat(),
            max_date=latest.isoformat(),
        )
    except Exception:  # htmldate is best effort: no date is an answer
        return None
    published = parse_date(found)
    return published if in_range(published, settings) else None


#: the start of an HTML document: an XML declaration and comments may come first
_HTML_START = re.compile(
    rb"\A\s*(?:<\?xml[^>]{0,200}\?>\s*)?(?:<!--.{0,300}?-->\s*)*<(?:!doctype\s+html|html)[\s>]",
    re.IGNORECASE | re.DOTALL,
)


def looks_like_html(head: bytes) -> bool:
    """Whether the first bytes of a file start an HTML document (``<!DOCTYPE html``,
    ``<html``), after whitespace and a byte order mark."""
    return _HTML_START.match(sniff_head(head)) is not None


def read_html(path: Path, data: bytes, settings: Settings) -> Iterator[ReadResult]:
    where = display_path(path)
    meta = extract(decode(data, where), where, settings.min_text_chars, settings)
    yield build_article(
        path,
        meta["text"],
        settings,
        title=meta["title"],
        source=meta["source"],
        url=meta["url"],
        published=meta["published"],
        language=meta["language"],
    )


READER = Reader(name="html", suffixes=(".html", ".htm", ".xhtml"), read=read_html)
