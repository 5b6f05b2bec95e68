"""What every reader shares: the Reader record and the constructor of Article records."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from storyline.config import Settings
from storyline.errors import EmptyInputError, InputError
from storyline.ingest.dates import date_in_path
from storyline.ingest.language import detect_language
from storyline.ingest.normalize import article_id, clean_line, clean_text, display_path
from storyline.model import Article

#: the primary subtag of a BCP 47 language tag
_LANGUAGE = re.compile(r"[a-z]{2,3}")

#: a reader yields articles, or an InputError for an entry it had to skip
ReadResult = Article | InputError


@dataclass(frozen=True, slots=True)
class Reader:
    """One source format: which files it claims and how it turns bytes into articles."""

    name: str
    suffixes: tuple[str, ...]
    read: Callable[[Path, bytes, Settings], Iterator[ReadResult]]


def build_article(
    path: Path,
    text: str,
    settings: Settings,
    *,
    title: str | None = None,
    source: str | None = None,
    url: str | None = None,
    published: date | None = None,
    published_at: datetime | None = None,
    language: str | None = None,
    entry: int | None = None,
    where: str | None = None,
) -> Article:
    """Normalise ``text`` and metadata into an Article; too little text is an EmptyInputError.

    ``entry`` is the 0-based index of the article inside a feed or JSONL file; errors name
    ``where``, by default the file, or ``path:N`` with N = entry + 1 (N counts from 1)."""
    if where is None:
        where = display_path(path) if entry is None else f"{display_path(path)}:{entry + 1}"
    body = clean_text(text)
    if len(body) < settings.min_text_chars:
        empty = "empty file" if entry is None else "entry has no text"
        reason = (
            empty if not body else f"only {len(body)} characters of text (setting min_text_chars)"
        )
        raise EmptyInputError(where, reason)
    if published is None and settings.date_from_path:
        published = date_in_path(path, settings)
    return Article(
        id=article_id(body),
        text=body,
        title=clean_line(title),
        source=clean_line(source) or default_source(path),
        url=clean_line(url),
        published=published,
        language=_primary_language(language) or detect_language(body),
        path=display_path(path),
        entry=entry,
        published_at=published_at,
    )


def _primary_language(tag: str | None) -> str | None:
    """The primary subtag of a language tag, lower case ("en-GB" -> "en"); None when the
    tag does not start with one (2 or 3 ASCII letters), so that the text's is detected."""
    value = clean_line(tag)
    if not value:
        return None
    primary = value.replace("_", "-").split("-")[0].lower()
    return primary if _LANGUAGE.fullmatch(primary) else None


def default_source(path: Path) -> str | None:
    """The outlet when the file names none: its parent folder's name."""
    parent = display_path(path.resolve().parent.name)
    return parent or None


def parse_date(value: object) -> date | None:
    """A date from an ISO string (date or datetime); None when it is not one."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip().replace("Z", "+00:00")
    try:
        return datetime.fromisoformat(text).date()
    except ValueError:
        pass
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        return None
