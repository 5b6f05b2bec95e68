"""Plain-text articles in the seed format.

* an optional header ``date YYYY-MM-DD`` at the start of the first line, followed by text
  on the same line (the header becomes ``published`` and is not part of the text);
* an optional title: a short first line (no final full stop) followed by a blank line;
* paragraphs separated by blank lines.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path

from storyline.config import Settings
from storyline.errors import ParseError
from storyline.ingest.base import Reader, ReadResult, build_article
from storyline.ingest.normalize import decode

_DATE_HEADER = re.compile(r"\A\s*date\s+(\d{4})-(\d{1,2})-(\d{1,2})\b[ \t]*", re.IGNORECASE)
_TITLE_MAX = 150


def split_header(text: str, path: str) -> tuple[date | None, str | None, str]:
    """(published, title, body) of a seed-format text; an impossible date is a ParseError."""
    published = None
    match = _DATE_HEADER.match(text)
    if match:
        year, month, day = (int(g) for g in match.groups())
        try:
            published = date(year, month, day)
        except ValueError as exc:
            raise ParseError(path, f"impossible date in header: {match.group(0).strip()}") from exc
        text = text[match.end() :]
    title = None
    if match is None:
        first, sep, rest = text.lstrip().partition("\n")
        candidate = first.strip()
        followed_by_blank = sep and (not rest.strip() or rest.split("\n", 1)[0].strip() == "")
        if (
            followed_by_blank
            and 0 < len(candidate) <= _TITLE_MAX
            and not candidate.endswith((".", ":", ","))
        ):
            title, text = candidate, rest
    return published, title, text


def read_text(path: Path, data: bytes, settings: Settings) -> Iterator[ReadResult]:
    raw = decode(data, str(path)).replace("\r\n", "\n").replace("\r", "\n")
    published, title, body = split_header(raw, str(path))
    yield build_article(path, body, settings, title=title, published=published)


READER = Reader(name="text", suffixes=(".txt", ".text"), read=read_text)
