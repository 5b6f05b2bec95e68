"""Resolvers of relative expressions: weekdays, "last week", "two weeks ago", durations.

Each ``_r_*`` function needs the regex match of its rule and a
:class:`~storyline.annotate.timex_calendar.Context` and returns a
:class:`~storyline.annotate.timex_calendar.Resolved` (or None to drop the match).
"""

from __future__ import annotations

import re
from datetime import timedelta

from storyline.annotate.timex_calendar import (
    PAST,
    PRESENT,
    Context,
    Resolved,
    dated,
    direction,
    duration_value,
    fmt,
    last_completed_quarter,
    mod_of,
    parse_value,
    period_code,
    period_end,
    shift,
    unit_code,
    unresolved,
    weekday_date,
)
from storyline.annotate.timex_lexicon import (
    MOD_WORDS,
    PARTS_OF_DAY,
    WEEKDAYS,
    parse_number,
)


def _r_year_earlier(m: re.Match[str], ctx: Context) -> Resolved | None:
    parsed = parse_value(ctx.anchor_value)
    grans = ("Q",) if m["p"] and m["p"].lower() == "quarter" else ("Q", "M", "H")
    if parsed and parsed[1] in grans and parsed[0].year >= 1000:
        return Resolved("DATE", fmt(shift(parsed[0], -1, "Y"), parsed[1]), None, ctx.anchor_value)
    if ctx.dct is None:
        return unresolved("DATE")
    if m["p"] and m["p"].lower() == "quarter":
        return dated(shift(last_completed_quarter(ctx.dct), -1, "Y"), "Q", ctx, None)
    return dated(shift(ctx.dct, -1, "Y"), "Y", ctx, None)


def _r_period_year(m: re.Match[str], ctx: Context) -> Resolved | None:
    """ "the 1988 quarter" after "the third quarter": that quarter of 1988."""
    parsed = parse_value(ctx.anchor_value)
    if parsed and parsed[1] in ("Q", "H") and ctx.anchor_value:
        return Resolved("DATE", f"{m['y']}-{ctx.anchor_value[5:7]}", None, ctx.anchor_value)
    if m["p"].lower() == "quarter" and ctx.dct is not None:  # the quarter under report
        quarter = fmt(last_completed_quarter(ctx.dct), "Q")[5:]
        return Resolved("DATE", f"{m['y']}-{quarter}", None, ctx.dct.isoformat())
    return Resolved("DATE", m["y"])


def _r_latest_period(m: re.Match[str], ctx: Context) -> Resolved | None:
    """ "the latest period" of an earnings report: the quarter it is about."""
    parsed = parse_value(ctx.anchor_value)
    if parsed and parsed[1] in ("Q", "H") and ctx.anchor_value:
        return Resolved("DATE", ctx.anchor_value[:7], None, ctx.anchor_value)
    if ctx.dct is None:
        return unresolved("DATE")
    return dated(last_completed_quarter(ctx.dct), "Q", ctx, None)


def _r_year_ended(m: re.Match[str], ctx: Context) -> Resolved | None:
    return Resolved("DURATION", "P1Y")


def _r_edge_unit(m: re.Match[str], ctx: Context) -> Resolved | None:
    if ctx.dct is None:
        return unresolved("DATE", MOD_WORDS[m["edge"].lower()])
    gran = period_code(m["unit"].lower())
    rel = m["rel"].lower()
    n = -1 if rel == "last" else 1 if rel == "next" else 0
    base = ctx.dct
    if rel == "that":
        parsed = parse_value(ctx.anchor_value)
        base = parsed[0] if parsed else ctx.dct
    return dated(shift(base, n, gran), gran, ctx, MOD_WORDS[m["edge"].lower()])


#: a figure compared with one of the period a year back ("up from $3 million last year")
_COMPARED = re.compile(
    r"\b(?:compared\s+(?:with|to)|from|versus|vs\.?|than)\b[^.;]*$", re.IGNORECASE
)

_FIGURE = re.compile(
    r"(?:\d%|\d\s*(?:percent|million|billion|cents?)|cents?\s+a\s+share|\$[\d.,]+)\s*,?\s*$",
    re.IGNORECASE,
)


def _r_rel_unit(m: re.Match[str], ctx: Context) -> Resolved | None:
    unit, rel, det = m["unit"].lower(), m["rel"].lower(), bool(m["det"])
    gran, mod = period_code(unit), mod_of(m)
    if det and rel in ("past", "last", "next") and gran in ("DE", "CE") and not m["edge"]:
        # "over the past decade": the ten years up to now; "the past year" is last year
        return Resolved("DURATION", duration_value(1, unit_code(unit), False), mod)
    parsed = parse_value(ctx.anchor_value)
    if (
        rel == "last"
        and gran == "Y"
        and not det
        and parsed is not None
        and parsed[1] in ("Q", "H")
        and _COMPARED.search(m.string, max(0, m.start() - 60), m.start())
        and (
            _FIGURE.search(m.string, max(0, m.start() - 40), m.start())
            or m.string.startswith("'s", m.end())
        )
    ):  # "profit of $5 million, compared with $3 million last year": the quarter a year back
        d = shift(parsed[0], -1, "Y")
        return Resolved("DATE", fmt(d, parsed[1]), mod, ctx.anchor_value)
    if (
        (rel in ("previous", "prior", "following", "same") and det)
        or rel in ("that", "same")  # "that same day": the day named before
        or (det and gran == "D")
    ):
        base = ctx.anchor if gran == "D" else None
        parsed = parse_value(ctx.anchor_value)
        if base is None:
            base = parsed[0] if parsed and parsed[1] != "D" else ctx.anchor
        if base is None:
            return unresolved("DATE", mod)
        n = {"previous": -1, "prior": -1, "last": -1, "past": -1}.get(rel, 0) or (
            1 if rel in ("following", "next", "coming") else 0
        )
        d = shift(base, n, gran)
        return Resolved("DATE", fmt(d, gran), mod, base.isoformat(), d if gran == "D" else None)
    if ctx.dct is None:
        return unresolved("DATE", mod)
    if gran == "D":
        step = {"this": 0, "current": 0, "same": 0, "next": 1, "coming": 1}.get(rel)
        return None if step is None else dated(shift(ctx.dct, step, "D"), "D", ctx, mod)
    if rel == "latest" and gran == "Q":
        return dated(last_completed_quarter(ctx.dct), "Q", ctx, mod)
    if rel == "this" and gran == "WE" and ctx.tense == PAST and ctx.dct.weekday() < 5:
        # "Obama told a rally this weekend" on a Monday: the weekend just past
        return dated(weekday_date(5, ctx.dct, None, -1), "WE", ctx, mod)
    if det and rel in ("past", "last") and gran == "W":
        # "over the past week": the seven days up to the DCT, named by the calendar week
        # holding most of them
        return dated(ctx.dct - timedelta(days=3), "W", ctx, mod)
    n = {"last": -1, "past": -1, "previous": -1, "prior": -1, "latest": -1, "next": 1,
         "coming": 1, "following": 1}.get(rel, 0)  # fmt: skip
    return dated(shift(ctx.dct, n, gran), gran, ctx, mod)


def _r_the_unit(m: re.Match[str], ctx: Context) -> Resolved | None:
    if ctx.dct is None:
        return unresolved("DATE", mod_of(m))
    unit = " ".join(m["unit"].lower().split())
    way = direction(ctx)
    if unit == "quarter":
        d = last_completed_quarter(ctx.dct) if way < 0 else ctx.dct
        end = period_end(m, ctx.dct)
        if end is not None:  # "the quarter ended July 31": most of it lies in May-July
            d = end - timedelta(days=45)
        return dated(d, "Q", ctx, mod_of(m))
    if unit == "weekend":
        sat = weekday_date(5, ctx.dct, None, way if way else -1)
        return dated(sat, "WE", ctx, mod_of(m))
    return dated(ctx.dct, "Y", ctx, mod_of(m))


def _r_ago(m: re.Match[str], ctx: Context) -> Resolved | None:
    n = parse_number(m["num"])
    unit = unit_code(m["unit"])
    word = " ".join(m["dir"].lower().split()).rstrip("s").replace("afterward", "later")
    sign = -1 if word in ("ago", "earlier", "before") else 1
    if n is None:
        return Resolved("DATE", "PAST_REF" if sign < 0 else "FUTURE_REF", mod_of(m))
    if word in ("ago", "from now", "hence"):
        if ctx.dct is None:
            return unresolved("DATE", mod_of(m))
        base = ctx.dct
        parsed = parse_value(ctx.anchor_value)
        if unit == "Y" and parsed and parsed[1] in ("Q", "H"):
            base, unit = parsed[0], "Y"  # "a year ago" after "the third quarter": that quarter
            d = shift(base, -int(n) if sign < 0 else int(n), "Y")
            return Resolved("DATE", fmt(d, parsed[1]), mod_of(m), ctx.anchor_value)
        grans = {"M": "M", "W": "W", "FN": "W", "Y": "Y", "DE": "Y", "CE": "Y", "Q": "Q"}
        gran = grans.get(unit, "D") if not _CLOCK_UNIT.match(m["unit"]) else "D"
    else:
        parsed = parse_value(ctx.anchor_value)
        if parsed is None or (unit in ("D", "W", "WE", "FN") and ctx.anchor is not None):
            # day-scale offsets count from the last resolved day, coarser ones keep the
            # precision of the last resolved value ("a year earlier" after a quarter)
            if ctx.anchor is None:
                return unresolved("DATE", mod_of(m))
            parsed = (ctx.anchor, "D")
        base, gran = parsed
        if gran == "D" and unit in ("Y", "DE", "CE") and ctx.dct == base:
            gran = "Y"  # "a year earlier" with nothing dated before it: as "a year ago"
    if unit in ("S",) or m["unit"].lower().startswith(("hour", "minute")):
        d = base
    elif n != int(n):
        d = base + timedelta(
            days=sign * round(n * {"D": 1, "W": 7, "M": 30, "Y": 365}.get(unit, 365))
        )
    else:
        d = shift(base, sign * int(n), unit if unit != "DE" else "DE")
    return Resolved("DATE", fmt(d, gran), mod_of(m), base.isoformat(), d if gran == "D" else None)


def _r_vague_ago(m: re.Match[str], ctx: Context) -> Resolved | None:
    return Resolved("DATE", "PAST_REF" if m["dir"].lower() in ("ago", "earlier") else "FUTURE_REF")


#: a count or a plural noun right before "a day"/"a year" makes it a rate (a SET)
_RATE = re.compile(
    r"(?:\d|\b(?:million|billion|thousand|hundred|dozen|two|three|four|five|six|seven|eight|"
    r"nine|ten|twelve|twenty)|\b(?!(?:is|was|has|as|this|its|his|"
    r"us|yes|less|unless|plus|thus|perhaps|always|sometimes|whereas)\b)[a-z]{2,}s)\s+$",
    re.IGNORECASE,
)


def _r_duration(m: re.Match[str], ctx: Context) -> Resolved | None:
    unit_word = m["unit"].lower()
    unit = unit_code(unit_word)
    time_unit = unit_word.startswith(("hour", "minute", "second"))
    n = parse_number(m["num"])
    mod = mod_of(m) or ("EQUAL_OR_MORE" if m["num2"] else None)
    if (
        m["num"].lower() in ("a", "an")
        and not (m["det"] or m["rel"] or m["modw"])
        and _RATE.search(m.string, max(0, m.start() - 24), m.start())
    ):
        return Resolved("SET", duration_value(1, unit, time_unit))  # "$2 million a year"
    return Resolved("DURATION", duration_value(n, unit, time_unit), mod)


def _r_vague_duration(m: re.Match[str], ctx: Context) -> Resolved | None:
    unit_word = m["unit"].lower()
    time_unit = unit_word.startswith(("hour", "minute"))
    return Resolved("DURATION", duration_value(None, unit_code(unit_word), time_unit))


def _r_part_of_day(m: re.Match[str], ctx: Context) -> Resolved | None:
    word = (m["rel"] or m["tonight"] or "").lower()
    pod = "NI" if m["tonight"] else PARTS_OF_DAY[m["pod"].lower()]
    if ctx.dct is None:
        return unresolved("TIME")
    n = {"yesterday": -1, "last": -1, "tomorrow": 1}.get(word, 0)
    d = ctx.dct + timedelta(days=n)
    return Resolved("TIME", f"{d.isoformat()}T{pod}", None, ctx.dct.isoformat(), d)


_CLOCK_UNIT = re.compile(r"(?:hour|minute|second)", re.IGNORECASE)
_POSSESSIVE = re.compile(r"\s?['’]s\b")
#: "Sunday's election will be ...": an event still ahead
_WILL_AFTER = re.compile(
    r"['’]s\s+(?:\w+\s+){1,3}(?:will|shall|is\s+(?:set|due|expected|scheduled)|"
    r"are\s+(?:set|due|expected|scheduled))\b",
    re.IGNORECASE,
)


#: a preposition that puts an event ahead of the reported one ("ahead of Tuesday's vote")
_PREVIEW = re.compile(
    r"\b(?:ahead\s+of|in\s+advance\s+of|on\s+the\s+eve\s+of|in\s+the\s+run-up\s+to)\s+$",
    re.IGNORECASE,
)


def _r_weekday(m: re.Match[str], ctx: Context) -> Resolved | None:
    mod = mod_of(m)
    pod = m["pod"]
    typ = "TIME" if pod else "DATE"
    if ctx.dct is None:
        return unresolved(typ, mod)
    rel = m["rel"].lower() if m["rel"] else None
    way = direction(ctx)
    base = ctx.dct
    if rel is None and _POSSESSIVE.match(m.string, m.end()):
        if _PREVIEW.search(m.string, max(0, m.start() - 24), m.start()):
            # "ahead of Tuesday's primary": the first such day from the last day named
            base, way = ctx.anchor or ctx.dct, 1
        elif _WILL_AFTER.match(m.string, m.end()):
            way = 1 if way >= 0 else 0
        elif ctx.tense in (None, PRESENT):  # "Voters head to the polls for Tuesday's
            back = (ctx.dct.weekday() - WEEKDAYS[m["wd"].lower()]) % 7  # primary": the
            way = 1 if 0 < 2 * (7 - back) < back else -1  # coming one if much nearer
        else:
            way = -1  # "Wednesday's ruling was...": news reports an event that took place
    d = weekday_date(WEEKDAYS[m["wd"].lower()], base, rel, way)
    value = d.isoformat()
    if pod:
        value += "T" + PARTS_OF_DAY[pod.lower()] if pod.lower() != "midnight" else "T24:00"
    return Resolved(typ, value, mod, ctx.dct.isoformat(), d)


def _r_pod_weekday(m: re.Match[str], ctx: Context) -> Resolved | None:
    if ctx.dct is None:
        return unresolved("TIME")
    d = weekday_date(WEEKDAYS[m["wd"].lower()], ctx.dct, None, direction(ctx))
    pod = m["pod"].lower()
    suffix = "T24:00" if pod == "midnight" else "T" + PARTS_OF_DAY[pod]
    return Resolved("TIME", d.isoformat() + suffix, None, ctx.dct.isoformat(), d)


def _r_ago_duration(m: re.Match[str], ctx: Context) -> Resolved | None:
    """ "twenty years" in "twenty years after the first astronauts": a duration."""
    unit_word = m["unit"].lower()
    time_unit = unit_word.startswith(("hour", "minute", "second"))
    value = duration_value(parse_number(m["num"]), unit_code(unit_word), time_unit)
    return Resolved("DURATION", value, mod_of(m))


def _r_long_unit(m: re.Match[str], ctx: Context) -> Resolved | None:
    """ "a month-long strike" (P1M), "a two-week-long trip" (P2W), "decades-long" (vague)."""
    unit_word = m["unit"].lower()
    time_unit = unit_word.startswith(("hour", "minute", "second"))
    n = parse_number(m["num"]) if m["num"] else (None if unit_word.endswith("s") else 1.0)
    return Resolved("DURATION", duration_value(n, unit_code(unit_word), time_unit))


RELATIVE_HANDLERS = {
    "long_unit": _r_long_unit,
    "ago_duration": _r_ago_duration, "period_year": _r_period_year,
    "latest_period": _r_latest_period, "year_ended": _r_year_ended,
    "year_earlier": _r_year_earlier, "edge_unit": _r_edge_unit, "rel_unit": _r_rel_unit,
    "the_unit": _r_the_unit, "ago": _r_ago, "vague_ago": _r_vague_ago,
    "duration": _r_duration, "vague_duration": _r_vague_duration,
    "part_of_day": _r_part_of_day, "weekday": _r_weekday, "pod_weekday": _r_pod_weekday,
}  # fmt: skip
