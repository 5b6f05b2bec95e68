"""Normalisation of matched time expressions to TIMEX3 values.

``resolve`` needs a :class:`~storyline.annotate.timex_patterns.Candidate` and a
:class:`~storyline.annotate.timex_calendar.Context` (document creation time, the tense of
the sentence, the anchor: the last resolved date in the text) and adds a
:class:`~storyline.annotate.timex_calendar.Resolved` value. Explicit and calendar
expressions are resolved here, relative ones in ``timex_relative``. ``mod`` is a TimeML
mod (START, MID, END, APPROX, LESS_THAN, MORE_THAN, EQUAL_OR_MORE, EQUAL_OR_LESS,
ON_OR_AFTER).
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from storyline.annotate.timex_calendar import (
    NEAR,
    PAST,
    SEASON_ORDER,
    Context,
    Resolved,
    dated,
    direction,
    duration_value,
    fmt,
    mod_of,
    period_end,
    pick,
    unit_code,
    unresolved,
)
from storyline.annotate.timex_holidays import FIXED, MOVABLE, feast_name
from storyline.annotate.timex_lexicon import (
    DAY_ORDINALS,
    MONTHS,
    ORDINALS,
    PARTS_OF_DAY,
    SEASONS,
    WEEKDAYS,
    parse_number,
)
from storyline.annotate.timex_patterns import Candidate
from storyline.annotate.timex_relative import RELATIVE_HANDLERS
from storyline.annotate.timex_tense import names_event

_REF_WORDS = {
    "now": "PRESENT_REF", "currently": "PRESENT_REF", "nowadays": "PRESENT_REF",
    "presently": "PRESENT_REF", "at present": "PRESENT_REF", "these days": "PRESENT_REF",
    "recently": "PAST_REF", "lately": "PAST_REF", "previously": "PAST_REF",
    "formerly": "PAST_REF", "the past": "PAST_REF", "soon": "FUTURE_REF",
}  # fmt: skip
SOON = 45  # days: a month name or date this close ahead is the coming one (see ``pick``)
_SET_ADVERBS = {
    "daily": "P1D", "weekly": "P1W", "monthly": "P1M", "annually": "P1Y", "yearly": "P1Y",
    "quarterly": "P3M", "hourly": "PT1H", "nightly": "P1D", "biweekly": "P2W",
    "semiannually": "P6M", "semi-annually": "P6M",
}  # fmt: skip


def resolve(cand: Candidate, ctx: Context) -> Resolved | None:
    """The TIMEX3 type/value/mod of one candidate; None drops it (not a time expression).

    Relative expressions get ``value=None`` while ``ctx.dct`` is None.
    """
    handler = _HANDLERS[cand.rule.name]
    return handler(cand.match, ctx)


def _r_iso(m: re.Match[str], ctx: Context) -> Resolved | None:
    try:
        d = date(int(m["y"]), int(m["m"]), int(m["d"]))
    except ValueError:
        return None
    if m["h"]:
        return Resolved("TIME", f"{d.isoformat()}T{m['h']}:{m['mi']}", None, None, d)
    return Resolved("DATE", d.isoformat(), None, None, d)


def _r_numeric(m: re.Match[str], ctx: Context) -> Resolved | None:
    a, b, y = int(m["m"]), int(m["d"]), int(m["y"])
    if y < 100:
        y += 1900 if y > 30 else 2000
    if a > 12 >= b:
        a, b = b, a  # day/month/year, unambiguous
    elif a <= 12 and b <= 12 and a != b:
        return None  # 1/2/2023 could be either: not tagged
    try:
        d = date(y, a, b)
    except ValueError:
        return None
    return Resolved("DATE", d.isoformat(), None, None, d)


def _month_day(
    month: int, day: int, year: str | None, m: re.Match[str], ctx: Context
) -> Resolved | None:
    mod = mod_of(m)
    rel = (m.groupdict().get("mrel") or "").lower()
    # its own year, else the year in focus ("In 2008, ... on Sept. 15") unless "next"/"last"
    known = int(year) if year else (ctx.focus if not rel else None)
    if known is not None:
        try:
            d = date(known, month, day)
        except ValueError:
            return None
        return Resolved("DATE", d.isoformat(), mod, None, d)
    if ctx.dct is None:
        return unresolved("DATE", mod)
    options = []
    for y in (ctx.dct.year - 1, ctx.dct.year, ctx.dct.year + 1):
        try:
            options.append(date(y, month, day))
        except ValueError:
            continue
    if not options:
        return None
    if rel:  # "next March 11": the first one after the DCT, "last May 5" the one before
        ahead = [o for o in options if o > ctx.dct]
        back = [o for o in options if o < ctx.dct]
        if rel == "next" and ahead:
            return dated(min(ahead), "D", ctx, mod)
        if rel == "last" and back:
            return dated(max(back), "D", ctx, mod)
        same_year = [o for o in options if o.year == ctx.dct.year]
        return dated(same_year[0] if same_year else options[0], "D", ctx, mod)
    weekday = m.groupdict().get("wd")
    if weekday:  # "Monday, Oct. 26": the year in which Oct. 26 is a Monday
        same = [o for o in options if o.weekday() == WEEKDAYS[weekday.lower()]]
        if same:
            return dated(pick(same, ctx.dct, 0), "D", ctx, mod)
    d = pick(options, ctx.dct, *_way(m, ctx), slack=7, soon=SOON)
    return dated(d, "D", ctx, mod)


def _way(m: re.Match[str], ctx: Context) -> tuple[int, bool]:
    """``pick``'s direction and far-cue flag for a month (and day) without a year: back
    for a date naming a past event ("the Feb. 27 earthquake"), else the tense's direction."""
    if names_event(m, ctx):
        return -1, False
    return direction(ctx, 0), ctx.cue_distance > NEAR


def _r_month_day(m: re.Match[str], ctx: Context) -> Resolved | None:
    month = MONTHS[m["mon"].lower().rstrip(".")]
    return _month_day(month, int(m["d"]), m["y"], m, ctx)


def _r_month_ord(m: re.Match[str], ctx: Context) -> Resolved | None:
    """ "Sunday, March eighth" (spoken dates of broadcast transcripts)."""
    day = DAY_ORDINALS[re.sub(r"[-\s]+", "-", m["dw"].lower())]
    return _month_day(MONTHS[m["mon"].lower()], day, m["y"], m, ctx)


def _r_week_of(m: re.Match[str], ctx: Context) -> Resolved | None:
    """ "the week of March 6": the calendar week holding that day."""
    day = _month_day(MONTHS[m["mon"].lower().rstrip(".")], int(m["d"]), None, m, ctx)
    if day is None or day.point is None:
        return day
    return Resolved("DATE", fmt(day.point, "W"), None, day.anchor)


def _r_month_year(m: re.Match[str], ctx: Context) -> Resolved | None:
    d = date(int(m["y"]), MONTHS[m["mon"].lower().rstrip(".")], 1)
    return Resolved("DATE", fmt(d, "M"), mod_of(m))


def _r_month(m: re.Match[str], ctx: Context) -> Resolved | None:
    month = MONTHS[m["mon"].lower()]
    if ctx.focus is not None and not m["rel"]:  # "In 2008, ... in mid-September"
        return Resolved("DATE", f"{ctx.focus:04d}-{month:02d}", mod_of(m))
    if ctx.dct is None:
        return unresolved("DATE", mod_of(m))
    rel, y = (m["rel"] or "").lower(), ctx.dct.year
    this = date(y, month, 1)
    cur = date(y, ctx.dct.month, 1)
    if rel == "last" or rel == "past":
        d = this if this < cur else date(y - 1, month, 1)
    elif rel in ("next", "coming"):
        d = this if this > cur else date(y + 1, month, 1)
    elif rel == "this":
        d = this
    else:
        options = [date(y - 1, month, 1), this, date(y + 1, month, 1)]
        d = pick(options, cur, *_way(m, ctx), soon=SOON)
    return dated(d, "M", ctx, mod_of(m))


def _r_season(m: re.Match[str], ctx: Context) -> Resolved | None:
    code = SEASONS[m["season"].lower()]
    if m["y"]:
        return Resolved("DATE", f"{m['y']}-{code}", mod_of(m))
    rel = (m["rel"] or "").lower()
    if not rel and not (
        m["edge"] or m["edge2"] or _SEASON_PREP.search(m.string, max(0, m.start() - 9), m.start())
    ):
        return None  # "the fall of Rome", "spring water"; but "in summer", "by fall"
    if ctx.focus is not None and rel in ("the", ""):  # "In 2008, ... in the spring"
        return Resolved("DATE", f"{ctx.focus:04d}-{code}", mod_of(m))
    if ctx.dct is None:
        return unresolved("DATE", mod_of(m))
    month = ctx.dct.month
    current = 0 if month in (12, 1, 2) else 1 + (month - 3) // 3
    wanted = SEASON_ORDER[code]
    year = ctx.dct.year
    if rel in ("last", "past") or (rel in ("the", "") and direction(ctx) < 0):
        year -= wanted >= current
    elif rel in ("next", "coming"):
        year += wanted <= current
    elif rel in ("the", "") and direction(ctx) > 0:
        year += wanted < current  # "will begin in the spring", said in March: this spring
    anchor = ctx.dct.isoformat()
    return Resolved("DATE", f"{year:04d}-{code}", mod_of(m), anchor)


_SEASON_PREP = re.compile(r"\b(?:in|during|by|until|since|through)\s+$", re.IGNORECASE)


def _r_year(m: re.Match[str], ctx: Context) -> Resolved | None:
    mod = "ON_OR_AFTER" if m["later"] else mod_of(m)
    return Resolved("DATE", m["y"], mod)


def _r_fiscal_code(m: re.Match[str], ctx: Context) -> Resolved | None:
    """ "FY2013", "FY 14": a fiscal year, valued by its number as "fiscal 2013" is."""
    return Resolved("DATE", m["y"] or f"20{m['yy']}")


def _r_decade(m: re.Match[str], ctx: Context) -> Resolved | None:
    if m["dec"]:
        return Resolved("DATE", m["dec"][:3], mod_of(m))
    words = "twenties thirties forties fifties sixties seventies eighties nineties".split()
    tens = int(m["dec2"][0]) if m["dec2"] else 2 + words.index(m["decw"].lower())
    century = 19
    if ctx.dct is not None and tens * 10 <= ctx.dct.year % 100 and ctx.dct.year >= 2000:
        century = 20
    return Resolved("DATE", f"{century}{tens}", mod_of(m))


def _r_century(m: re.Match[str], ctx: Context) -> Resolved | None:
    return Resolved("DATE", f"{int(m['c']) - 1:02d}", None)


def _quarter(q: int, half: bool, year: str | None, ctx: Context, mod: str | None) -> Resolved:
    code = "H" if half else "Q"
    if year:
        return Resolved("DATE", f"{year}-{code}{q}", mod)
    if ctx.dct is None:
        return unresolved("DATE", mod)
    start = date(ctx.dct.year, (6 if half else 3) * (q - 1) + 1, 1)
    number = ctx.dct.year - (direction(ctx) < 0 and start > ctx.dct)
    return Resolved("DATE", f"{number}-{code}{q}", mod, ctx.dct.isoformat())


def _r_quarter(m: re.Match[str], ctx: Context) -> Resolved | None:
    half = m["qh"].lower() == "half"
    q = 2 if half and m["q"].lower() in ("last", "final") else ORDINALS[m["q"].lower()]
    year = m["y1"] or m["y2"]
    if not year and ctx.dct is not None and (m["yago"] or m["yrel"] or m["yrel2"]):
        # "the year-ago third quarter", "next year's first", "the second half of the year"
        step = {"next": 1, "this": 0, "the": 0}.get((m["yrel"] or m["yrel2"] or "").lower(), -1)
        year = str(ctx.dct.year + step)
    end = period_end(m, ctx.dct) if not year else None
    if end is not None:
        year = str(end.year)  # "its fourth quarter ended Sept. 30": numbered in that year
    elif not year and ctx.dct is not None and re.search("fiscal", m.group(), re.IGNORECASE):
        year = str(ctx.dct.year)  # a fiscal quarter is numbered in the year reported in
    return _quarter(q, half, year, ctx, None)


def _r_month_rel_year(m: re.Match[str], ctx: Context) -> Resolved | None:
    if ctx.dct is None:
        return unresolved("DATE")
    step = {"last": -1, "next": 1}.get(m["rel"].lower(), 0)
    year, month = ctx.dct.year + step, MONTHS[m["mon"].lower()]
    if m["d"]:  # "June 16th of last year"
        try:
            return dated(date(year, month, int(m["d"])), "D", ctx, None)
        except ValueError:
            return None
    return dated(date(year, month, 1), "M", ctx, None)


def _r_spoken_year(m: re.Match[str], ctx: Context) -> Resolved | None:
    if m["c"]:
        rest = parse_number(m["yy"])
        if rest is None:
            return None
        return Resolved(
            "DATE", str({"nineteen": 1900, "eighteen": 1800}[m["c"].lower()] + int(rest))
        )
    rest = parse_number(m["yy2"]) if m["yy2"] else 0.0
    return Resolved("DATE", str(2000 + int(rest or 0)))


def _r_quarter_code(m: re.Match[str], ctx: Context) -> Resolved | None:
    return _quarter(int(m["q"]), m["qc"].upper() == "H", m["y2"], ctx, None)


def time_of_day(m: re.Match[str]) -> str:
    """ "T15:00" for "3 p.m.", "T12:00" for noon, "T24:00" for midnight."""
    if m["noon"]:
        return "T24:00" if m["noon"].lower() == "midnight" else "T12:00"
    hour = int(m["h"] or m["h2"] or m["h3"])
    minute = int(m["mi"] or m["mi2"] or m["mi3"] or 0)
    ap = (m["ap"] or "").lower()
    if ap.startswith("p") and hour < 12:
        hour += 12
    elif ap.startswith("a") and hour == 12:
        hour = 0
    return f"T{hour:02d}:{minute:02d}"


def _r_time(m: re.Match[str], ctx: Context) -> Resolved | None:
    hour = int(m["h"] or m["h2"] or 0)
    if hour > 24 or int(m["mi"] or m["mi2"] or 0) > 59:
        return None
    if ctx.dct is None:
        return unresolved("TIME", mod_of(m))
    day = ctx.anchor or ctx.dct
    return Resolved("TIME", day.isoformat() + time_of_day(m), mod_of(m), day.isoformat(), day)


def _r_deictic(m: re.Match[str], ctx: Context) -> Resolved | None:
    word = " ".join(m["word"].lower().split())
    if word == "soon" and ctx.tense == PAST and ctx.cue_distance <= NEAR:
        return None  # "a trickle of cash that soon became a flood": no time of its own
    if word in _REF_WORDS:
        return Resolved("DATE", _REF_WORDS[word])
    if word.startswith("recent ") or word.endswith(" ahead") or "coming " in word:
        # TimeML: "in recent years", "the coming weeks", "the days ahead" are vague durations
        unit = word.split()[-2 if word.endswith(" ahead") else -1]
        return Resolved("DURATION", duration_value(None, unit_code(unit), False))
    if word.startswith("recent"):
        return Resolved("DATE", "PAST_REF")
    if word == "current":
        return Resolved("DATE", "PRESENT_REF")
    if "future" in word:
        return Resolved("DATE", "FUTURE_REF")
    if ctx.dct is None:
        return unresolved("DATE")
    d = ctx.dct + timedelta(days={"yesterday": -1, "tomorrow": 1}.get(word, 0))
    return dated(d, "D", ctx, None)


def _r_set(m: re.Match[str], ctx: Context) -> Resolved | None:
    if m["adv"]:
        return Resolved("SET", _SET_ADVERBS[m["adv"].lower()])
    if m["wd"]:
        return Resolved("SET", f"XXXX-WXX-{WEEKDAYS[m['wd'].lower()] + 1}")
    if m["mon"]:
        return Resolved("SET", f"XXXX-{MONTHS[m['mon'].lower()]:02d}")
    if m["season"]:
        return Resolved("SET", f"XXXX-{SEASONS[m['season'].lower()]}")  # "each spring"
    word = (m["unit"] or m["unit2"]).lower()
    if word in ("morning", "afternoon", "evening"):
        return Resolved("SET", f"XXXX-XX-XXT{PARTS_OF_DAY[word]}")
    n = parse_number(m["num"]) if m["num"] else (2.0 if m["other"] == "other" else 1.0)
    time_unit = word.startswith(("hour", "minute", "second"))
    return Resolved("SET", duration_value(n, unit_code(word), time_unit))


def _r_holiday(m: re.Match[str], ctx: Context) -> Resolved | None:
    name = feast_name(m["hol"])
    if name in MOVABLE:
        feast, gran = MOVABLE[name]
        if m["y"]:
            d = feast(int(m["y"]))
            return Resolved("DATE", fmt(d, gran), None, None, d if gran == "D" else None)
        if ctx.dct is None:
            return unresolved("DATE")
        years = (ctx.dct.year - 1, ctx.dct.year, ctx.dct.year + 1)
        d = pick([feast(y) for y in years], ctx.dct, direction(ctx, 0), slack=7, soon=SOON)
        return dated(d, gran, ctx, None)
    month, day = FIXED[name]
    return _month_day(month, day, m["y"], m, ctx)


_HANDLERS = {
    **RELATIVE_HANDLERS,
    "iso": _r_iso, "numeric": _r_numeric, "month_day": _r_month_day, "month_ord": _r_month_ord,
    "week_of": _r_week_of, "day_month": _r_month_day, "month_year": _r_month_year,
    "month": _r_month, "season": _r_season, "year": _r_year, "decade": _r_decade,
    "fiscal_code": _r_fiscal_code, "century": _r_century,
    "quarter": _r_quarter, "quarter_code": _r_quarter_code, "time": _r_time,
    "deictic": _r_deictic, "set": _r_set, "holiday": _r_holiday,
    "month_rel_year": _r_month_rel_year, "spoken_year": _r_spoken_year,
}  # fmt: skip
