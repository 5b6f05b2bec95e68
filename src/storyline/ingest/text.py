"""Plain-text articles in the seed format.

* an optional header ``date YYYY-MM-DD`` at the start of the first line, followed by text
  on the same line (the header becomes ``published`` and is not part of the text); a date
  that does not exist or is outside ``min_year..max_year`` skips the file with the reason;
* an optional title: a short first line (no final full stop) followed by a blank line;
* paragraphs separated by blank lines, or (hard-wrapped newswire) started by a line indented
  deeper than the sentence-final line before it; single line breaks inside a paragraph are
  wrapping, not sentence ends (the annotator reads them as spaces).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from itertools import pairwise
from pathlib import Path

from storyline.config import Settings
from storyline.errors import ParseError
from storyline.ingest.base import Reader, ReadResult, build_article
from storyline.ingest.dates import check_range
from storyline.ingest.normalize import decode, display_path

_DATE_HEADER = re.compile(r"\A\s*date\s+(\d{4})-(\d{1,2})-(\d{1,2})\b[ \t]*", re.IGNORECASE)
_TITLE_MAX = 150


def split_header(
    text: str, path: str, settings: Settings | None = None
) -> tuple[date | None, str | None, str]:
    """(published, title, body) of a seed-format text; an impossible date, or one outside
    the years ``min_year..max_year`` of ``settings`` (default: the defaults), is a
    ParseError."""
    published = None
    match = _DATE_HEADER.match(text)
    if match:
        year, month, day = (int(g) for g in match.groups())
        try:
            published = date(year, month, day)
        except ValueError as exc:
            raise ParseError(path, f"impossible date in header: {match.group(0).strip()}") from exc
        check_range(published, path, settings or Settings(), "date in header")
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
    where = display_path(path)
    raw = decode(data, where).replace("\r\n", "\n").replace("\r", "\n")
    published, title, body = split_header(raw, where, settings)
    body = indented_paragraphs(body)
    yield build_article(path, body, settings, title=title, published=published)


_SENTENCE_END = re.compile(r"[.!?][\"'\u201d\u2019)\]]*[ \t]*\Z")


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" \t"))


def indented_paragraphs(text: str) -> str:
    """``text`` with a blank line before each line that starts a paragraph by indentation
    (hard-wrapped newswire: a line indented deeper than the one before it, which ends a
    sentence). Line breaks inside a paragraph stay; they are not sentence ends."""
    lines = text.split("\n")
    out = lines[:1]
    for before, line in pairwise(lines):
        if (
            line.strip()
            and before.strip()
            and _indent(line) > _indent(before)
            and _SENTENCE_END.search(before)
        ):
            out.append("")
        out.append(line)
    return "\n".join(out)


READER = Reader(name="text", suffixes=(".txt", ".text"), read=read_text)
