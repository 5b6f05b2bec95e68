"""Publication dates read from input: strict parsing and the allowed range of years.

A date that a source states (the ``date`` header of a text file, ``published`` of a JSONL
line, the date of a feed entry) must be a real date in ``min_year..max_year`` (settings).
Anything else is a ParseError: the reader skips that file, line or entry with the reason.
Nothing is stored with a date it does not have: ids are hashes of the text, so an article
stored without its date would stay without it after the source was fixed and read again,
while a skipped one is stored, with its date, by that later run.

Dates outside the range are refused even when they are valid (0001-01-01, 9999-12-31):
later stages add and subtract days around publication dates, and such dates overflow.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

from storyline.config import Settings
from storyline.errors import ParseError

#: the widest UTC offset in use anywhere (UTC+14:00, Line Islands; UTC-12:00 is the lowest)
MAX_OFFSET = timedelta(hours=14)

#: the shape of an ISO 8601 date or date-time (calendar or week date, extended or basic
#: format; "T" or one space before the time); Python checks the values. Python alone would
#: take any character between date and time ("2023-02-28510:00" is 10:00 to it)
_ISO = re.compile(
    r"\A[0-9]{4}(?:-[0-9]{2}-[0-9]{2}|[0-9]{4}|-?W[0-9]{2}(?:-?[0-9])?)"
    r"(?:[Tt ][0-9]{2}(?::?[0-9]{2}(?::?[0-9]{2}(?:[.,][0-9]+)?)?)?"
    r"(?:[Zz]|[+-][0-9]{2}(?::?[0-9]{2})?)?)?\Z"
)

_SHOWN = 60


def shown(value: object) -> str:
    """``value`` for an error message: repr, cut to a readable length."""
    text = repr(value)
    return text if len(text) <= _SHOWN else f"{text[: _SHOWN - 3]}..."


def year_range(settings: Settings) -> str:
    return f"{settings.min_year}..{settings.max_year} (settings min_year, max_year)"


def check_range(value: date, where: str, settings: Settings, what: str = "date") -> date:
    """``value`` when its year is within the settings' range; a ParseError otherwise."""
    if not settings.min_year <= value.year <= settings.max_year:
        raise ParseError(
            where, f"{what} {value.isoformat()} is outside the years {year_range(settings)}"
        )
    return value


def in_range(value: date | None, settings: Settings) -> bool:
    """Whether ``value`` is a date within the settings' range of years."""
    return value is not None and settings.min_year <= value.year <= settings.max_year


def parse_iso_date(value: str, where: str, settings: Settings, what: str = "date") -> date:
    """The calendar date of an ISO 8601 date or date-time string, strictly.

    The whole string must be the date (no trailing text), the time of day must exist, a UTC
    offset must be within +-14:00, and the year within ``min_year..max_year``. A date-time
    gives the date as written (local to its offset). Any other value is a ParseError.
    """
    text = value.strip()
    if not _ISO.match(text):
        raise ParseError(where, f"{what} is not an ISO 8601 date: {shown(value)}")
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError as exc:
        raise ParseError(
            where, f"{what} is not an ISO 8601 date: {shown(value)} ({_why(exc)})"
        ) from exc
    offset = parsed.utcoffset()
    if offset is not None and abs(offset) > MAX_OFFSET:
        raise ParseError(where, f"{what} has an impossible UTC offset: {shown(value)}")
    return check_range(parsed.date(), where, settings, what)


def iso_moment(value: str) -> datetime | None:
    """The UTC instant of an ISO 8601 date-time that ``parse_iso_date`` accepted, to the
    minute; None when it gives no time of day. A time without offset counts as UTC."""
    text = value.strip()
    if len(text) <= 10 or not any(sep in text[8:] for sep in "Tt "):
        return None
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    return utc_minute(parsed)


def utc_minute(moment: datetime) -> datetime:
    """``moment`` in UTC (naive counts as UTC), seconds dropped."""
    aware = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
    return aware.replace(second=0, microsecond=0)


def _why(exc: ValueError) -> str:
    """The reason Python gives for a bad ISO string, in a few words."""
    reason = str(exc)
    if reason.startswith("Invalid isoformat string"):
        return "unexpected text"
    if "offset" in reason:
        return "impossible UTC offset"
    return reason.split(",")[0][:80]
