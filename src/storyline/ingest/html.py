"""HTML pages: the main text via trafilatura, metadata from the page, the date via htmldate.

Nothing named by the page is fetched: trafilatura and htmldate work on the string only.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from storyline.config import Settings
from storyline.errors import ParseError
from storyline.ingest.base import Reader, ReadResult, build_article, parse_date
from storyline.ingest.normalize import decode


def extract(html: str, where: str, min_chars: int = 1) -> dict[str, Any]:
    """Main text and metadata of a page as a dict (text, title, source, url, published)."""
    import trafilatura

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
    if published is None:
        published = _htmldate(html)
    return {
        "text": text,
        "title": title,
        "source": meta.get("sitename"),
        "url": meta.get("url"),
        "published": published,
        "language": meta.get("language"),
    }


def _htmldate(html: str) -> Any:
    from htmldate import find_date

    try:
        found = find_date(html, extensive_search=False, original_date=True)
    except Exception:  # htmldate is best effort: no date is an answer
        return None
    return parse_date(found)


def read_html(path: Path, data: bytes, settings: Settings) -> Iterator[ReadResult]:
    meta = extract(decode(data, str(path)), str(path), settings.min_text_chars)
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
