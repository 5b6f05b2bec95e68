"""Feasts and public holidays of the temporal tagger: the day a holiday falls on in a year.

``MOVABLE`` maps a normalised holiday name (lower case, no apostrophes or dots: "palm
sunday", "mothers day") to a function giving its day in a year and the granularity of
its value ("easter week" is a week); ``FIXED`` maps the others to (month, day);
``feast_name`` normalises a matched name. Used by ``timex_resolve``.
"""

from __future__ import annotations

import calendar
from collections.abc import Callable
from datetime import date, timedelta

__all__ = ["FIXED", "MOVABLE", "feast_name"]

FIXED: dict[str, tuple[int, int]] = {
    "christmas": (12, 25), "christmas day": (12, 25), "christmas eve": (12, 24),
    "new years day": (1, 1), "new years eve": (12, 31), "halloween": (10, 31),
    "independence day": (7, 4), "valentines day": (2, 14), "veterans day": (11, 11),
    "st patricks day": (3, 17), "boxing day": (12, 26), "bastille day": (7, 14),
}  # fmt: skip


def feast_name(text: str) -> str:
    """ "St. Patrick's  Day" -> "st patricks day"; "Martin Luther King Jr. Day" -> "martin
    luther king day"."""
    name = " ".join(text.lower().replace("'", "").replace("’", "").replace(".", "").split())
    return name.replace(" jr day", " day")


def _thanksgiving(year: int) -> date:
    first = date(year, 11, 1)
    return first + timedelta(days=(3 - first.weekday()) % 7 + 21)


def _election_day(year: int) -> date:
    """US Election Day: the Tuesday after the first Monday of November."""
    second = date(year, 11, 2)
    return second + timedelta(days=(1 - second.weekday()) % 7)


def _easter(year: int) -> date:
    """Easter Sunday of ``year`` (the Gregorian computus)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    x = (32 + 2 * e + 2 * i - h - k) % 7
    n = (a + 11 * h + 22 * x) // 451
    month, day = divmod(h + x - 7 * n + 114, 31)
    return date(year, month, day + 1)


def _nth_weekday(month: int, weekday: int, n: int) -> Callable[[int], date]:
    """The ``n``-th ``weekday`` (0 = Monday) of ``month`` in a year; n = -1: the last one."""

    def day_in(year: int) -> date:
        if n < 0:
            last = date(year, month, calendar.monthrange(year, month)[1])
            return last - timedelta(days=(last.weekday() - weekday) % 7)
        first = date(year, month, 1)
        return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))

    return day_in


def _from_easter(days: int) -> Callable[[int], date]:
    return lambda year: _easter(year) + timedelta(days=days)


#: movable feasts: the day in a given year and the granularity of the value
MOVABLE: dict[str, tuple[Callable[[int], date], str]] = {
    "ash wednesday": (_from_easter(-46), "D"), "palm sunday": (_from_easter(-7), "D"),
    "maundy thursday": (_from_easter(-3), "D"), "holy thursday": (_from_easter(-3), "D"),
    "holy saturday": (_from_easter(-1), "D"), "pentecost": (_from_easter(49), "D"),
    "memorial day": (_nth_weekday(5, 0, -1), "D"), "labor day": (_nth_weekday(9, 0, 1), "D"),
    "martin luther king day": (_nth_weekday(1, 0, 3), "D"),
    "presidents day": (_nth_weekday(2, 0, 3), "D"),
    "mothers day": (_nth_weekday(5, 6, 2), "D"), "fathers day": (_nth_weekday(6, 6, 3), "D"),
    "thanksgiving": (_thanksgiving, "D"), "thanksgiving day": (_thanksgiving, "D"),
    "easter": (_easter, "D"), "easter sunday": (_easter, "D"),
    "easter monday": (lambda y: _easter(y) + timedelta(days=1), "D"),
    "good friday": (lambda y: _easter(y) - timedelta(days=2), "D"),
    "easter week": (_easter, "W"), "election day": (_election_day, "D"),
}  # fmt: skip
