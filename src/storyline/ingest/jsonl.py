"""JSON Lines: one article per line with ``text`` (required) and optional ``title``,
``url``, ``source``, ``published`` and ``language``. A bad line is skipped on its own.

Every line is decoded and checked on its own, so one bad line costs only itself; a skipped
line is reported as ``path:LINE: reason`` (LINE counts from 1):

* decoding: UTF-8 per line (a UTF-16 file, marked by its BOM, is decoded as a whole). Lines
  that are not UTF-8 are decoded with the legacy encoding that fits them (guessed from
  those lines only), so one Latin-1 line does not turn its UTF-8 neighbours into mojibake;
* structure: a JSON object, nested at most ``MAX_DEPTH`` deep (checked before parsing),
  integers of at most ``MAX_INT_DIGITS`` digits;
* fields: ``text`` a non-empty string, the others strings or null; ``published`` a strict
  ISO 8601 date or date-time (see ``ingest.dates``) in ``min_year..max_year``, or null/"";
* text: lone surrogates (escapes such as ``"\\ud800"``, or their bytes in otherwise UTF-8
  lines) become U+FFFD when the text is normalised.

A file whose first ``MAX_BAD_LEADING`` non-blank lines are all bad is not JSON Lines: it is
skipped as a whole rather than line by line.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

from storyline.config import Settings
from storyline.errors import DecodeError, InputError, ParseError
from storyline.ingest.base import Reader, ReadResult, build_article
from storyline.ingest.dates import iso_moment, parse_iso_date, shown
from storyline.ingest.normalize import decode, display_path, guess_encoding

#: deepest nesting of arrays and objects in a line (an article needs 1; json recurses)
MAX_DEPTH = 64
#: longest integer literal in a line (Python refuses to convert more than 4,300 digits)
MAX_INT_DIGITS = 100
#: bad lines before the first good one after which the file is not taken for JSON Lines
MAX_BAD_LEADING = 100

#: a JSON string literal, or an unterminated one up to the end of the line: a match never
#: fails once it has started, so the search takes linear time whatever the quotes
_STRING = re.compile(r'"[^"\\]*(?:\\.?[^"\\]*)*(?:"|\Z)', re.DOTALL)
_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[]{}")
_FOLD = bytes.maketrans(b"{}", b"[]")
_CHUNK = 1 << 20
_LEGACY_SAMPLE = 1 << 16


def read_jsonl(path: Path, data: bytes, settings: Settings) -> Iterator[ReadResult]:
    name = display_path(path)
    lines = _decoded_lines(data, name)
    if not any(isinstance(line, InputError) or line.strip() for _, line in lines):
        raise ParseError(name, "empty file")
    good = bad = 0
    first_problem = ""
    for number, line in lines:
        where = f"{name}:{number + 1}"
        try:
            if isinstance(line, InputError):
                raise line
            if not line.strip():
                continue
            record = _parse_line(line, where)
            article = build_article(
                path,
                _text(record, where),
                settings,
                title=_str_field(record, "title", where),
                source=_str_field(record, "source", where),
                url=_str_field(record, "url", where),
                published=_published(record, where, settings),
                published_at=_moment(record),
                language=_str_field(record, "language", where),
                entry=number,
                where=where,
            )
        except InputError as exc:
            bad += 1
            first_problem = first_problem or f"line {number + 1}: {exc.reason}"
            if good == 0 and bad >= MAX_BAD_LEADING:
                raise ParseError(
                    name,
                    f"not JSON Lines: the first {bad} lines that are not blank are all bad "
                    f"({first_problem})",
                ) from exc
            yield exc
            continue
        good += 1
        yield article


def _decoded_lines(data: bytes, name: str) -> list[tuple[int, str | InputError]]:
    """(0-based line number, text or the DecodeError of that line) for every line."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16: lines cannot be split as bytes
        return list(enumerate(decode(data, name).split("\n")))
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if b"\x00" in data[:8192]:
        raise DecodeError(name, "binary file (NUL bytes), not text")
    raw_lines = data.split(b"\n")
    lines: list[tuple[int, str | InputError]] = []
    legacy: list[int] = []
    for number, raw in enumerate(raw_lines):
        try:  # UTF-8, where encoded surrogates count (and are replaced later, as escapes are)
            lines.append((number, raw.decode("utf-8", "surrogatepass")))
        except UnicodeDecodeError:
            lines.append((number, ""))
            legacy.append(number)
    if legacy:
        sample = b"\n".join(raw_lines[n] for n in legacy)[:_LEGACY_SAMPLE]
        shared = guess_encoding(sample)
        guesses = 0  # lines that need an encoding of their own (each guess takes a while)
        for number in legacy:
            raw = raw_lines[number]
            text = _decode_as(raw, shared)
            if text is None and guesses < MAX_BAD_LEADING:
                guesses += 1
                text = _decode_as(raw, guess_encoding(raw))
            lines[number] = (number, text if text is not None else _undecodable(name, number))
    return lines


def _decode_as(raw: bytes, encoding: str | None) -> str | None:
    if encoding is None:
        return None
    try:
        return raw.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def _undecodable(name: str, number: int) -> DecodeError:
    return DecodeError(f"{name}:{number + 1}", "not valid UTF-8 and no other text encoding fits")


def _parse_line(line: str, where: str) -> dict[str, object]:
    _check_depth(line, where)

    def parse_int(literal: str) -> int:
        if len(literal.lstrip("-")) > MAX_INT_DIGITS:
            raise ParseError(
                where,
                f"an integer of {len(literal.lstrip('-')):,} digits (at most {MAX_INT_DIGITS})",
            )
        return int(literal)

    try:
        record = json.loads(line, parse_int=parse_int)
    except json.JSONDecodeError as exc:
        raise ParseError(where, f"not valid JSON ({exc.msg} at column {exc.colno})") from exc
    if not isinstance(record, dict):
        raise ParseError(where, f"a line must be a JSON object, not {_json_type(record)}")
    return record


def _check_depth(line: str, where: str) -> None:
    """A ParseError when arrays and objects nest deeper than MAX_DEPTH (before json does).

    The depth after each bracket outside strings, as json would recurse, in vectorised
    chunks: linear time and bounded memory however long the line."""
    if line.count("[") + line.count("{") <= MAX_DEPTH:
        return
    import numpy as np

    text = _STRING.sub("", line).encode("utf-8", "surrogatepass")
    skeleton = text.translate(_FOLD, _NOT_BRACKETS)  # only b"[" and b"]" are left
    depth = 0
    for start in range(0, len(skeleton), _CHUNK):
        part = np.frombuffer(skeleton[start : start + _CHUNK], dtype=np.uint8)
        levels = np.cumsum(np.where(part == ord("["), 1, -1), dtype=np.int64) + depth
        if int(levels.max()) > MAX_DEPTH:
            raise ParseError(where, f"JSON nested more than {MAX_DEPTH} levels deep")
        depth = int(levels[-1])


def _text(record: dict[str, object], where: str) -> str:
    text = record.get("text")
    if text is None or text == "":
        raise ParseError(where, "missing required field 'text'")
    if not isinstance(text, str):
        raise ParseError(where, f"field 'text' must be a string, not {_json_type(text)}")
    return text


def _str_field(record: dict[str, object], key: str, where: str) -> str | None:
    value = record.get(key)
    if value is None or isinstance(value, str):
        return value
    raise ParseError(where, f"field {key!r} must be a string or null, not {_json_type(value)}")


def _published(record: dict[str, object], where: str, settings: Settings) -> date | None:
    value = record.get("published")
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise ParseError(
            where,
            f"field 'published' must be an ISO 8601 date string, not {_json_type(value)} "
            f"{shown(value)}",
        )
    return parse_iso_date(value, where, settings, "'published'")


def _moment(record: dict[str, object]) -> datetime | None:
    """The publication time of a ``published`` that ``_published`` accepted, if it has one."""
    value = record.get("published")
    return iso_moment(value) if isinstance(value, str) else None


def _json_type(value: object) -> str:
    names = {bool: "a boolean", int: "a number", float: "a number", str: "a string"}
    names.update({list: "an array", dict: "an object", type(None): "null"})
    return names.get(type(value), type(value).__name__)


READER = Reader(name="jsonl", suffixes=(".jsonl", ".ndjson"), read=read_jsonl)
