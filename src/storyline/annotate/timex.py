"""storyline's temporal tagger for news: TIMEX3-style expressions resolved against the DCT.

``find_timexes`` needs an article's text, its sentences and its publication date (DCT, may
be None) and adds :class:`~storyline.model.Timex` records: span, text, type (DATE, TIME,
DURATION, SET), ISO value at the known precision, TimeML ``mod`` and the anchor used.

Conventions:

* ``value`` follows TimeML: "2023-01-30", "2022-11", "2023", "2023-W05", "2023-Q1",
  "2022-FA", "199" (the 1990s), "P3D", "PT2H", "XXXX-WXX-1" (each Monday), "PAST_REF".
  A part of day is written into the value as TimeML does ("Friday night" ->
  "2023-01-27TNI", type TIME); :func:`calendar_date` gives back the date part.
* ``mod`` is a TimeML mod: START ("early", "the beginning of", "earlier this month"),
  MID, END ("late on Sunday", "the end of last year"), APPROX, LESS_THAN, MORE_THAN,
  EQUAL_OR_MORE, EQUAL_OR_LESS, ON_OR_AFTER ("1994 or later").
* Direction comes from the tense of the sentence around the expression, read from cheap
  lexical cues (will/'ll/is to/scheduled/plans/next/upcoming vs was/had/said/-ed/ago): in
  past-tense news a bare weekday or month is the latest one on or before the DCT, in a
  future-tense sentence the next one. "since" before an expression makes it past, a
  deadline word ("until", "by", "of record") future unless the sentence is in the past
  perfect ("had filed reports by Wednesday"); "Wednesday's ruling was" is a past day, but
  "ahead of Tuesday's primary" the first one after the last day named and "Voters head to
  the polls for Tuesday's primary" (no past cue) the coming one when it is much nearer. A
  day or month naming a known event ("after the Feb. 27 earthquake") is a past one unless
  the sentence has a future cue. A date or month less than ``SOON`` days ahead wins over
  one most of a year back. The cues are read by ``timex_tense``: no parser is used and
  every pattern is precompiled.
* A sentence-opening year ("In 2008, ... in mid-September") is the year in focus of its
  paragraph: months and days without a year lie in it, until an expression counted from
  the DCT ("last week") ends the focus or another explicit year moves it.
* A dateline within three days of the DCT ("WASHINGTON, March 12 (Xinhua) --", "said in an
  editorial on Monday, Oct. 26:") is the day the story was written for: relative
  expressions count from it.
* "the previous day", "a day after", "the next day" are resolved against the last day
  resolved earlier in the text, else the DCT; ``anchor`` records which.
* With ``dct=None`` explicit dates still resolve and relative ones keep ``value=None``;
  :func:`resolve_timexes` fills them in once a date is known.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from datetime import date

from storyline.annotate.timex_calendar import (
    FUTURE,
    Context,
    Resolved,
    mod_of,
    parse_value,
)
from storyline.annotate.timex_dateline import dateline_date
from storyline.annotate.timex_lexicon import MONTHS, SEASONS
from storyline.annotate.timex_patterns import (
    Candidate,
    find_candidates,
    glue_between,
)
from storyline.annotate.timex_resolve import resolve, time_of_day
from storyline.annotate.timex_tense import has_future, tense_of
from storyline.model import Sentence, Timex

__all__ = ["calendar_date", "find_timexes", "resolve_timexes", "split_sentences", "tag",
           "timex_json"]  # fmt: skip

_DAY_RULES = frozenset(
    {"weekday", "month_day", "month_ord", "day_month", "iso", "deictic", "holiday"}
)
_SENT_END = re.compile(r"(?<=[.!?])[\"”’')\]]*\s+(?=[\"“‘'(\[]?[A-Z0-9])|\n\s*\n")
_ABBREV = re.compile(
    r"(?:\b(?:Mr|Mrs|Ms|Dr|Gen|Sen|Rep|Gov|Lt|Col|Sgt|Capt|St|Jr|Sr|Inc|Corp|Co|Ltd|No|vs|"
    r"Rev|Prof|Adm|Maj|Cpl|Pvt|Det|Hon|Mt|Ft|"
    r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|Mon|Tue|Wed|Thu|Fri|Sat|Sun|a\.m|p\.m)"
    r"|\b[A-Z]|\b[A-Z]\.[A-Z])\.$"
)


def split_sentences(text: str, article_id: str = "") -> tuple[Sentence, ...]:
    """A fast regex sentence splitter (no model) giving Sentence records with offsets."""
    sentences: list[Sentence] = []
    paragraph = 0
    start = 0
    bounds = []
    for match in _SENT_END.finditer(text):
        if "\n\n" not in match.group().replace("\r", "") and _ABBREV.search(
            text, max(0, match.start() - 6), match.start()
        ):
            continue
        bounds.append((match.start(), match.end(), "\n" in match.group()))
    bounds.append((len(text), len(text), False))
    for end, next_start, breaks in bounds:
        s, e = start, end
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            sentences.append(Sentence(article_id, len(sentences), s, e, paragraph, text[s:e]))
        if breaks:
            paragraph += 1
        start = next_start
    return tuple(sentences)


def calendar_date(value: str | None) -> str | None:
    """The calendar part of a DATE/TIME value ("2023-01-27TNI" -> "2023-01-27"), or None."""
    if value is None or parse_value(value) is None:
        return None
    return value.split("T", 1)[0]


def find_timexes(
    article_id: str, text: str, sentences: Sequence[Sentence], dct: date | None
) -> list[Timex]:
    """Time expressions of one article, resolved against ``dct`` (None: relative unresolved).

    ``sentences`` give sentence indexes and the window in which tense cues are read; an
    expression outside every sentence gets sentence index -1.
    """
    starts = [s.start for s in sentences]
    dct = dateline_date(text, dct)
    anchor: date | None = dct
    anchor_value: str | None = dct.isoformat() if dct else None
    cands = find_candidates(text)
    out: list[Timex] = []
    frame: tuple[int, int] | None = None  # (paragraph or sentence key, year in focus)
    i = 0
    while i < len(cands):
        cand = cands[i]
        pos = bisect_right(starts, cand.start) - 1
        sent = sentences[pos] if pos >= 0 and cand.start < sentences[pos].end else None
        lo, hi = (sent.start, sent.end) if sent else (max(0, cand.start - 200), cand.end + 200)
        tense, distance = tense_of(text, cand.start, cand.end, lo, hi)
        key = _scope(sent, lo)
        focus = frame[1] if frame is not None and frame[0] == key else None
        if focus is not None and dct is not None and tense == FUTURE and focus < dct.year:
            focus = None  # "In 2009 it shrank, and it will grow in June": the coming June
        future = has_future(text, lo, hi)
        ctx = Context(dct, tense, anchor, anchor_value, distance, focus, future)
        start, end, res = cand.start, cand.end, None
        nxt = cands[i + 1] if i + 1 < len(cands) else None
        if nxt is not None and glue_between(text, cand.end, nxt.start):
            res = _combine(cand, nxt, ctx)
        if nxt is not None and res is None and _OF.fullmatch(text, cand.end, nxt.start):
            res = _spoken_year_of(cand, nxt, ctx)
        if res is not None and nxt is not None:
            end = nxt.end
            i += 1
        if res is None:
            res = resolve(cand, ctx)
            if res is not None and out:
                res = _range_end(out[-1], cand, res, text)
        i += 1
        if res is None:
            continue
        if res.type in ("DATE", "TIME") and res.value is not None:
            if res.point is not None:
                anchor = res.point
            if parse_value(res.value) is not None and not _year_back(cand, res, anchor_value):
                anchor_value = res.value.split("T", 1)[0]
        frame = _next_frame(frame, key, cand, res, text, lo)
        index = sent.index if sent else -1
        out.append(
            Timex(
                article_id,
                index,
                start,
                end,
                text[start:end],
                res.type,
                res.value,
                res.mod,
                res.anchor,
            )
        )
    return out


_FRAME_LEAD = re.compile(
    r"\W*(?:(?:back|early|late|later|earlier|also)\s+)?(?:in|during|throughout)\s+$", re.IGNORECASE
)
_FRAME_RULES = frozenset({"year", "month_year", "month_day", "month_ord", "day_month", "season"})


def _scope(sent: Sentence | None, lo: int) -> int:
    """The stretch of text a frame adverbial governs: its paragraph."""
    return -1 - sent.paragraph if sent is not None else lo


def _next_frame(
    frame: tuple[int, int] | None, key: int, cand: Candidate, res: Resolved, text: str, lo: int
) -> tuple[int, int] | None:
    """The year in focus after ``cand``. A sentence-opening frame adverbial ("In 2008, ...",
    "In September 2008,") sets it for its paragraph: months and days named there without a
    year lie in that year. A later explicit year moves it; an expression counted from the
    publication date ("last week", "on Tuesday") ends it."""
    explicit = cand.rule.name in _FRAME_RULES and bool(cand.match.groupdict().get("y"))
    lead = _FRAME_LEAD.fullmatch(text, lo, cand.start) or (frame and frame[0] == key)
    if explicit and lead and res.value is not None and res.value[:4].isdigit():
        return key, int(res.value[:4])
    if frame is not None and (frame[0] != key or res.anchor is not None):
        return None
    return frame


_RANGE = re.compile(r"\s*(?:and|to|through|until|till|or|-|–|—)\s*", re.IGNORECASE)
_MONTH_VALUE = re.compile(r"(\d{4})-(\d\d)(?:-(\d\d))?$")


def _range_end(prev: Timex, cand: Candidate, res: Resolved, text: str) -> Resolved:
    """The second month or day of a range or pair ("December and January", "from Dec. 28 to
    Jan. 3") in the year that puts it after the first one."""
    if cand.rule.name not in ("month", "month_day", "day_month") or res.value is None:
        return res
    if cand.match.groupdict().get("rel") or cand.match.groupdict().get("y"):
        return res
    first, second = _MONTH_VALUE.match(prev.value or ""), _MONTH_VALUE.match(res.value)
    if first is None or second is None or not _RANGE.fullmatch(text, prev.end, cand.start):
        return res
    if bool(first.group(3)) != bool(second.group(3)):
        return res  # a month and a day: no range
    start = (int(first.group(1)), first.group(2), first.group(3) or "")
    year = start[0] + ((second.group(2), second.group(3) or "") < start[1:])
    if year == int(second.group(1)):
        return res
    value = f"{year}{res.value[4:]}"
    point = res.point.replace(year=year) if res.point is not None else None
    return Resolved(res.type, value, res.mod, res.anchor, point)


_YEAR_BACK = re.compile(r"years?\s+(?:ago|earlier|before)", re.IGNORECASE)


def _year_back(cand: Candidate, res: Resolved, anchor_value: str | None) -> bool:
    """True for "a year earlier" counted back from the period under report: the next "a
    year ago" compares with that period again, not with the one a year before it."""
    if cand.rule.name in ("year_earlier", "period_year"):
        return True
    if cand.rule.name == "ago" and _YEAR_BACK.fullmatch(
        cand.match.group("unit") + " " + cand.match.group("dir")
    ):
        return True  # "a year ago", "a year earlier": the comparison period, never an anchor
    return (
        cand.rule.name in ("ago", "rel_unit")  # "a year ago", "$3 million last year"
        and res.anchor is not None
        and res.anchor == anchor_value
        and re.search(r"-[QH]\d", res.value or "") is not None
    )


def _combine(first: Candidate, second: Candidate, ctx: Context) -> Resolved | None:
    """One TIME for a clock time next to a day ("10:30 a.m. Monday", "Friday at 3 p.m.")."""
    if first.rule.name == "time" and second.rule.name in _DAY_RULES:
        clock, day = first, second
    elif second.rule.name == "time" and first.rule.name in _DAY_RULES:
        clock, day = second, first
    else:
        return None
    day_res = resolve(day, ctx)
    if day_res is None or day_res.type != "DATE" or day_res.point is None:
        if day_res is not None and day_res.value is None and ctx.dct is None:
            return Resolved("TIME", None)
        return None
    value = day_res.point.isoformat() + time_of_day(clock.match)
    return Resolved("TIME", value, day_res.mod, day_res.anchor, day_res.point)


_OF = re.compile(r"\s+(?:of\s+)?|,\s*")


def _spoken_year_of(first: Candidate, second: Candidate, ctx: Context) -> Resolved | None:
    """A month or season with a spoken year ("January nineteen ninety-seven")."""
    if first.rule.name not in ("month", "season") or second.rule.name != "spoken_year":
        return None
    m = first.match
    if (m.group("rel") or "the").lower() != "the":
        return None  # "last spring nineteen ninety" is not one expression
    year = resolve(second, ctx)
    if year is None or year.value is None:
        return None
    if first.rule.name == "month":
        part = f"{MONTHS[m.group('mon').lower()]:02d}"
    else:
        part = SEASONS[m.group("season").lower()]
    return Resolved("DATE", f"{year.value}-{part}", mod_of(m))


def resolve_timexes(
    timexes: Sequence[Timex], text: str, sentences: Sequence[Sentence], dct: date
) -> list[Timex]:
    """``timexes`` with unresolved values filled in against ``dct`` (others unchanged).

    Re-runs the tagger on the same text with the new date and takes the value, mod and
    anchor of the expression with the same span.
    """
    article = timexes[0].article if timexes else ""
    fresh = {(t.start, t.end): t for t in find_timexes(article, text, sentences, dct)}
    out = []
    for timex in timexes:
        new = fresh.get((timex.start, timex.end))
        if timex.value is None and new is not None:
            out.append(new)
        else:
            out.append(timex)
    return out


def tag(text: str, dct: date | None) -> list[Timex]:
    """Time expressions of raw ``text``, with offsets into ``text`` exactly as given."""
    return find_timexes("", text, split_sentences(text), dct)


def timex_json(text: str, dct: date | None) -> list[dict[str, object]]:
    """JSON-ready ``{"start", "end", "text", "type", "value"}`` records for ``text``."""
    return [
        {"start": t.start, "end": t.end, "text": t.text, "type": t.type, "value": t.value}
        for t in tag(text, dct)
    ]
