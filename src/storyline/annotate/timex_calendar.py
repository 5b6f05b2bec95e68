"""Calendar arithmetic and the records shared by the timex resolvers.

Values follow TimeML: "2023-01-30", "2022-11", "2023", "2023-W05", "2023-Q1", "2022-FA",
"199" (a decade), "P3D", "PT2H". :func:`fmt` writes a day at a granularity, :func:`shift`
moves it, :func:`parse_value` reads a value back (to anchor later expressions on it), and
:func:`pick` chooses the year of an expression that names no year from the sentence tense.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

from storyline.annotate.timex_lexicon import (
    MOD_WORDS,
    MONTHS,
    UNITS,
)

PAST, FUTURE, PRESENT = "PAST", "FUTURE", "PRESENT"


NEAR = 40  # a tense cue closer than this many characters governs the expression


SEASON_ORDER = {"WI": 0, "SP": 1, "SU": 2, "FA": 3}


@dataclass(frozen=True, slots=True)
class Context:
    """What resolution needs besides the match: DCT, sentence tense and the anchor."""

    dct: date | None
    tense: str | None  # PAST | FUTURE | PRESENT | None (no cue)
    anchor: date | None  # last resolved day in the text, else the DCT
    anchor_value: str | None  # last resolved DATE value at any precision
    cue_distance: int = 0  # characters between the expression and its tense cue
    focus: int | None = None  # the year a sentence-opening "In 2008," sets (see timex.py)
    future: bool = False  # the sentence has a future-tense cue somewhere


@dataclass(frozen=True, slots=True)
class Resolved:
    """The normalised expression; ``point`` is the day it names (for later anchors)."""

    type: str
    value: str | None
    mod: str | None = None
    anchor: str | None = None
    point: date | None = None


def fmt(d: date, gran: str) -> str:
    """``d`` written at granularity ``gran`` (D, M, Y, W, Q, H, DE, CE, WE)."""
    if gran == "D":
        return d.isoformat()
    if gran == "M":
        return f"{d.year:04d}-{d.month:02d}"
    if gran == "W":
        iso = d.isocalendar()
        return f"{iso[0]:04d}-W{iso[1]:02d}"
    if gran == "WE":
        iso = d.isocalendar()
        return f"{iso[0]:04d}-W{iso[1]:02d}-WE"
    if gran == "Q":
        return f"{d.year:04d}-Q{(d.month - 1) // 3 + 1}"
    if gran == "H":
        return f"{d.year:04d}-H{(d.month - 1) // 6 + 1}"
    if gran == "DE":
        return f"{d.year // 10:03d}"
    if gran == "CE":
        return f"{d.year // 100:02d}"
    return f"{d.year:04d}"


def shift(d: date, n: int, unit: str) -> date:
    """``d`` moved by ``n`` units (D, W, WE, M, Q, H, Y, DE, CE); months clamp the day."""
    if unit in ("D", "S"):
        return d + timedelta(days=n)
    if unit in ("W", "WE", "FN"):
        return d + timedelta(weeks=n * (2 if unit == "FN" else 1))
    months = n * {"M": 1, "Q": 3, "H": 6, "Y": 12, "DE": 120, "CE": 1200}.get(unit, 12)
    total = d.year * 12 + d.month - 1 + months
    year, month = divmod(total, 12)
    year = min(max(year, 1), 9999)
    return date(year, month + 1, min(d.day, calendar.monthrange(year, month + 1)[1]))


_VALUE = re.compile(r"(\d{4})(?:-(?:(\d\d)(?:-(\d\d))?|W(\d\d)|Q(\d)|H(\d)))?")


def parse_value(value: str | None) -> tuple[date, str] | None:
    """A representative day and the granularity of a DATE value, or None."""
    if not value:
        return None
    m = _VALUE.match(value)
    if not m:
        return None
    year = int(m.group(1))
    if m.group(3):
        return date(year, int(m.group(2)), int(m.group(3))), "D"
    if m.group(2):
        return date(year, int(m.group(2)), 1), "M"
    if m.group(4):
        return date.fromisocalendar(year, min(int(m.group(4)), 52), 1), "W"
    if m.group(5):
        return date(year, 3 * int(m.group(5)) - 2, 1), "Q"
    if m.group(6):
        return date(year, 6 * int(m.group(6)) - 5, 1), "H"
    return date(year, 1, 1), "Y"


def direction(ctx: Context, default: int = -1) -> int:
    """-1 (past), 1 (future) or 0 (nearest) from the tense; ``default`` without a cue."""
    if ctx.tense is None:
        return default
    return {PAST: -1, FUTURE: 1, PRESENT: 0}.get(ctx.tense, default)


def pick(
    candidates: list[date],
    dct: date,
    direction: int,
    far_cue: bool = False,
    slack: int = 0,
    soon: int = 0,
) -> date:
    """Choose among dates one year apart: latest on/before DCT, first on/after, or nearest.

    ``slack`` days let a past expression be just after the DCT and a future one just
    before it ("by Jan. 14" in an article of Jan. 15).

    With ``far_cue`` (the past-tense cue is far from the expression) a date less than 100
    days ahead that is at least three times closer than the past one wins: explicit dates
    just ahead of the DCT are mostly announced events ("payable Dec. 7"). A date at most
    ``soon`` days ahead wins over one most of a year back even with a near past cue ("the
    alliance decided to admit them in early March", written in February).
    """
    if direction < 0:
        before = [c for c in candidates if (c - dct).days <= slack]
        after = [c for c in candidates if (c - dct).days > slack]
        if before and after:
            ahead, back = (min(after) - dct).days, (dct - max(before)).days
            if far_cue and ahead < 100 and 3 * ahead < back:
                return min(after)
            if ahead <= soon and back >= 300:
                return min(after)
        return max(before) if before else min(candidates)
    if direction > 0:
        after = [c for c in candidates if (dct - c).days <= slack]
        return min(after) if after else max(candidates)
    return min(candidates, key=lambda c: (abs((c - dct).days), c > dct))


def mod_of(m: re.Match[str]) -> str | None:
    groups = m.groupdict()
    for name in ("edge", "edge2", "modw"):
        word = groups.get(name)
        if word:
            return MOD_WORDS.get(" ".join(word.lower().split()).rstrip("-"))
    return None


def weekday_date(wd: int, dct: date, rel: str | None, direction: int) -> date:
    back = (dct.weekday() - wd) % 7
    fwd = (wd - dct.weekday()) % 7
    if rel in ("last", "past"):
        return dct - timedelta(days=back or 7)
    if rel in ("next", "coming"):
        return dct + timedelta(days=fwd or 7)
    if direction < 0:
        return dct - timedelta(days=back)
    if direction > 0:
        return dct + timedelta(days=fwd)
    return dct - timedelta(days=back) if back <= fwd else dct + timedelta(days=fwd)


def dated(d: date, gran: str, ctx: Context, mod: str | None, typ: str = "DATE") -> Resolved:
    anchor = ctx.dct.isoformat() if ctx.dct else None
    return Resolved(typ, fmt(d, gran), mod, anchor, d if gran == "D" else None)


def unit_code(word: str) -> str:
    w = word.lower().rstrip("s")
    w = {"centurie": "century", "millennia": "millennium", "millenniu": "millennium"}.get(w, w)
    return UNITS.get(w, ("Y", False))[0]


def duration_value(n: float | None, unit: str, time_unit: bool) -> str:
    if n is None:  # "decades": years, as "two decades" is P20Y
        return f"PTX{unit}" if time_unit else f"PX{'Y' if unit == 'DE' else unit}"
    scale = {"DE": (10, "Y"), "CE": (100, "Y"), "ML": (1000, "Y"), "WE": (2, "D"), "FN": (2, "W")}
    if unit in scale:
        factor, unit = scale[unit]
        n *= factor
    if n != int(n):
        whole, frac = int(n), n - int(n)
        sub = {"Y": (12, "M"), "M": (30, "D"), "D": (24, "H"), "H": (60, "M"), "W": (7, "D")}
        if unit in sub and (frac * sub[unit][0]).is_integer():
            part = f"{int(frac * sub[unit][0])}{sub[unit][1]}"
            if time_unit or (unit == "D" and sub[unit][1] == "H"):
                body = (f"{whole}{unit}" if whole else "") + part
                return "P" + ("T" if time_unit else "") + body if time_unit else f"P{whole}DT{part}"
            return f"P{whole}{unit}{part}" if whole else f"P{part}"
        return f"P{'T' if time_unit else ''}{n:g}{unit}"
    return f"P{'T' if time_unit else ''}{int(n)}{unit}"


def unresolved(typ: str, mod: str | None = None) -> Resolved:
    return Resolved(typ, None, mod)


def last_completed_quarter(dct: date) -> date:
    return shift(date(dct.year, 3 * ((dct.month - 1) // 3) + 1, 1), -1, "Q")


def period_code(unit: str) -> str:
    return {"century": "CE", "decade": "DE", "week": "W", "weekend": "WE", "month": "M",
            "quarter": "Q", "year": "Y", "day": "D"}.get(unit, "Y")  # fmt: skip


_PERIOD_END = re.compile(
    r"[\s-]+(?:ended|ending|that\s+ended)\s+(?:on\s+)?(?P<mon>[A-Z][a-z]{2,8})\.?\s+(?P<d>\d{1,2})\b"
    r"(?:,?\s+(?P<y>(?:19|20)\d\d)\b)?"
)


def period_end(m: re.Match[str], dct: date | None) -> date | None:
    """The end of a period named by its last day ("the quarter ended Sept. 30"): that day
    in the year given, else the latest one on or before ``dct``; None if none follows."""
    end = _PERIOD_END.match(m.string, m.end())
    month = MONTHS.get(end["mon"].lower()) if end else None
    if end is None or month is None:
        return None
    years = [int(end["y"])] if end["y"] else [dct.year, dct.year - 1] if dct else []
    for year in years:
        try:
            day = date(year, month, int(end["d"]))
        except ValueError:
            return None
        if end["y"] or dct is None or day <= dct + timedelta(days=7):
            return day
    return None
