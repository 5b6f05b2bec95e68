"""JSON Lines: one article per line with ``text`` (required) and optional ``title``,
``url``, ``source``, ``published`` and ``language``. A bad line is skipped on its own."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from storyline.config import Settings
from storyline.errors import InputError, ParseError
from storyline.ingest.base import Reader, ReadResult, build_article, parse_date
from storyline.ingest.normalize import decode


def _str_field(record: dict[str, object], key: str, where: str) -> str | None:
    value = record.get(key)
    if value is None or isinstance(value, str):
        return value
    raise ParseError(where, f"field {key!r} must be a string, got {type(value).__name__}")


def read_jsonl(path: Path, data: bytes, settings: Settings) -> Iterator[ReadResult]:
    lines = decode(data, str(path)).splitlines()
    if not any(line.strip() for line in lines):
        raise ParseError(str(path), "empty file")
    for number, line in enumerate(lines):
        if not line.strip():
            continue
        where = f"{path}:{number + 1}"
        try:
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                raise ParseError(where, f"not valid JSON ({exc.msg})") from exc
            if not isinstance(record, dict):
                raise ParseError(where, "a line must be a JSON object")
            text = _str_field(record, "text", where)
            if not text:
                raise ParseError(where, "missing required field 'text'")
            raw_date = record.get("published")
            published = parse_date(raw_date)
            if raw_date not in (None, "") and published is None:
                raise ParseError(where, f"'published' is not an ISO date: {raw_date!r}")
            yield build_article(
                path,
                text,
                settings,
                title=_str_field(record, "title", where),
                source=_str_field(record, "source", where),
                url=_str_field(record, "url", where),
                published=published,
                language=_str_field(record, "language", where),
                entry=number,
            )
        except InputError as exc:
            yield exc


READER = Reader(name="jsonl", suffixes=(".jsonl", ".ndjson"), read=read_jsonl)
