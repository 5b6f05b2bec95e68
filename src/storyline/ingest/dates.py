"""Publication dates read from input: strict parsing and the allowed range of years.

A date that a source states (the ``date`` header of a text file, ``published`` of a JSONL
line, the date of a feed entry) must be a real date in ``min_year..max_year`` (settings).
Anything else is a ParseError: the reader skips that file, line or entry with the reason.
Nothing is stored with a date it does not have: ids are hashes of the text, so an article
stored without its date would stay without it after the source was fixed and read again,
while a skipped one is stored, with its date, by that later run.

An article that states no date at all may take the one its archive gives it in the file's
path (``date_in_path``, setting ``date_from_path``); a path date that is not a real date in
the range is no date, not an error.

Dates outside the range are refused even when they are valid (0001-01-01, 9999-12-31):
later stages add and subtract days around publication dates, and such dates overflow.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

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


#: a calendar date inside a name: 2023-01-26, 2023_01_26, 2023.01.26 or 20230126, not
#: part of a longer number (ids such as 120230126 or 2023012601 are not dates)
_NAMED_DATE = re.compile(
    r"(?<![0-9])((?:19|20)[0-9]{2})([-_.]?)(0[1-9]|1[0-2])\2(0[1-9]|[12][0-9]|3[01])(?![0-9])"
)
_YEAR, _MONTH, _MONTH_DAY = (
    re.compile(r"(?:19|20)[0-9]{2}"),
    re.compile(r"0?[1-9]|1[0-2]"),
    re.compile(r"0?[1-9]|[12][0-9]|3[01]"),
)


def date_in_path(path: Path, settings: Settings) -> date | None:
    """The publication date that a date-organised archive gives a file in its name, or None.

    Looked for, in this order: a date in the file name (``breitbart_2015-11-11_slug.txt``,
    ``APW19981016.0240``), the file's folder named as a date (``2010-04-20/0042.html``), and
    three folders ``YYYY/MM/DD`` above the file (``2024/03/15/story.html``). Folders further
    up are not read: a date there names a backup or a collection, not the article. A date
    that does not exist or is outside ``min_year..max_year`` is not one."""
    parts = path.parts
    for name in (path.name, parts[-2] if len(parts) > 1 else ""):
        match = _NAMED_DATE.search(name)
        if match is not None:
            found = _date_of(match[1], match[3], match[4], settings)
            if found is not None:
                return found
    if len(parts) > 3:
        year, month, day = parts[-4:-1]
        if _YEAR.fullmatch(year) and _MONTH.fullmatch(month) and _MONTH_DAY.fullmatch(day):
            return _date_of(year, month, day, settings)
    return None


def _date_of(year: str, month: str, day: str, settings: Settings) -> date | None:
    try:
        found = date(int(year), int(month), int(day))
    except ValueError:
        return None
    return found if in_range(found, settings) else None
