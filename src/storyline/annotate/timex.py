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
  perfect ("had filed reports by Wednesday"); "Wednesday's ruling" is a past day. A date
  or month less than ``SOON`` days ahead wins over one most of a year back. A cue after
  the expression counts double (verbs mostly precede their time: "appeared in court Tuesday
  and is due back"), one beyond "that"/"but"/"because" belongs to another clause, and a
  third-person schedule verb ("takes effect Monday", "reopens Tuesday") points ahead. No
  parser is used; every pattern is precompiled.
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
from functools import lru_cache

from storyline.annotate.timex_calendar import (
    FUTURE,
    PAST,
    PRESENT,
    Context,
    Resolved,
    mod_of,
    parse_value,
)
from storyline.annotate.timex_lexicon import MONTHS, SEASONS
from storyline.annotate.timex_patterns import (
    Candidate,
    dateline_date,
    find_candidates,
    glue_between,
)
from storyline.annotate.timex_resolve import resolve, time_of_day
from storyline.model import Sentence, Timex

__all__ = ["calendar_date", "find_timexes", "resolve_timexes", "split_sentences", "tag",
           "timex_json"]  # fmt: skip

_TENSE_CUES = re.compile(
    r"\b(?P<fut>will|won't|wouldn't|shall|is\s+to|are\s+to|(?:is|are)\s+due|scheduled\s+to|set\s+to|"
    r"plans?\s+to|planned\s+to|planning|scheduled|going\s+to|expected|expects?\s+to|intends?\s+to|"
    r"would|upcoming|tomorrow|(?:is|are)\s+forecast|(?:is|are)\s+(?:meeting|visiting|travell?ing|holding))\b|"
    r"(?P<fut2>'ll)\b|"
    r"\b(?P<fut3>(?:begin|open|start|end|close|expire|resume|reopen|convene|conclude|"
    r"meet|travel|visit|arrive|leave|return|host|play|debut|air)s|takes\s+effect|"
    r"kicks\s+off|wraps\s+up|go\s+to\s+the\s+polls)\b|"
    r"\b(?P<pres2>(?:was|were)\s+(?:scheduled|expected|set|due|supposed|planning|going)\s+to)\b|"
    r"\b(?P<past>was|were|had|did|said|told|ago|last|earlier|yesterday|previous|came|went|"
    r"met|began|took|gave|made|held|left|fell|rose|saw|won|lost|got|led|sent|spoke|brought|"
    r"bought|sold|thought|found|became|paid|struck|ran|wrote|spent|built|stood|felt|fought|"
    r"caught|meant|grew|drew|threw|flew|shot|broke|chose|drove|knew|sought|"
    r"(?-i:(?<![A-Z])(?<!\ba\s)(?<!\ban\s)(?<!\bthe\s)[a-z]{2,}(?<!e)ed))\b|"
    r"\b(?P<pres>is|are|am|has|have)\b",
    re.IGNORECASE,
)
_DAY_RULES = frozenset({"weekday", "month_day", "day_month", "iso", "deictic", "holiday"})
_SENT_END = re.compile(r"(?<=[.!?])[\"”’')\]]*\s+(?=[\"“‘'(\[]?[A-Z0-9])|\n\s*\n")
_ABBREV = re.compile(
    r"(?:\b(?:Mr|Mrs|Ms|Dr|Gen|Sen|Rep|Gov|Lt|Col|Sgt|Capt|St|Jr|Sr|Inc|Corp|Co|Ltd|No|vs|"
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


_DEADLINE = re.compile(
    r"\b(?:until|till|by|as\s+soon\s+as|as\s+early\s+as|effective|payable|starting|of\s+record|"
    r"(?:extended|postponed|delayed|adjourned)\s+(?:\w+\s+)?to)"
    r"\s+(?:the\s+)?$",
    re.IGNORECASE,
)


def _tense(text: str, start: int, end: int, lo: int, hi: int) -> tuple[str | None, int]:
    """Tense of the nearest cue to [start, end) within the sentence [lo, hi) and its distance.

    A deadline preposition right before the expression ("until Tuesday", "by Jan. 14")
    makes it future. Without any cue: (None, a large distance).
    """
    if _SINCE.search(text, max(lo, start - 32), start):
        return PAST, 0  # "since (shortly after) the Oct. 23 slaying"
    deadline_match = _DEADLINE.search(text, max(lo, start - 16), start)
    deadline = deadline_match is not None and not (
        deadline_match.group().lower().rstrip().endswith("the") and _NOUN.match(text, end)
    )  # "by the Feb. 23 accord": a date naming an event, not a deadline
    best: tuple[int, str] | None = None
    for cue_start, cue_end, tense in _cues(text, lo, hi):
        if start <= cue_start < end:
            continue
        distance = start - cue_end if cue_end <= start else _AFTER * (cue_start - end)
        if _THAT.search(text, min(end, cue_end), max(start, cue_start)):
            distance += _CLAUSE  # "said on Sunday that it would": a cue in another clause
        if best is None or distance < best[0]:
            best = (distance, tense)
    if deadline and not _PERFECT.search(text, lo, hi):
        return FUTURE, 0  # "until Tuesday", but "had filed reports by Wednesday" is past
    return (best[1], best[0]) if best else (None, 1 << 20)


_SINCE = re.compile(
    r"\bsince\s+(?:(?:shortly|just|soon|right|after|before|the|early|late|mid)\s+)*$",
    re.IGNORECASE,
)
_PERFECT = re.compile(r"\bhad\b", re.IGNORECASE)
_NOUN = re.compile(r"\s+(?!(?:to|and|or|at|in|on|for|of|by|with|from)\b)[a-z]{3,}")
_THAT = re.compile(
    r"\b(?:that|but|while|whereas|although|though|because)\b", re.IGNORECASE
)  # a clause boundary
_AFTER = 2  # a cue after the expression counts double: verbs mostly precede their time
_CLAUSE = 60  # characters a clause boundary adds to a cue's distance
_PASSIVE = re.compile(r"\b(?:be|been|being)\s+$", re.IGNORECASE)


@lru_cache(maxsize=64)
def _cues(text: str, lo: int, hi: int) -> tuple[tuple[int, int, str], ...]:
    """Tense cues of one sentence: (start, end, tense); participles after "be" are skipped."""
    cues = []
    for cue in _TENSE_CUES.finditer(text, lo, hi):
        kind = cue.lastgroup or "past"
        if kind == "past" and _PASSIVE.search(text, max(lo, cue.start() - 7), cue.start()):
            continue
        # "was scheduled to leave Tuesday": planned before, done or not yet (the nearest day)
        tense = FUTURE if kind.startswith("fut") else PAST if kind == "past" else PRESENT
        cues.append((cue.start(), cue.end(), tense))
    return tuple(cues)


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
    i = 0
    while i < len(cands):
        cand = cands[i]
        pos = bisect_right(starts, cand.start) - 1
        sent = sentences[pos] if pos >= 0 and cand.start < sentences[pos].end else None
        lo, hi = (sent.start, sent.end) if sent else (max(0, cand.start - 200), cand.end + 200)
        tense, distance = _tense(text, cand.start, cand.end, lo, hi)
        ctx = Context(dct, tense, anchor, anchor_value, distance)
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
