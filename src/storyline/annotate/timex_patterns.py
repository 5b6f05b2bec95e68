"""Precompiled patterns of the temporal tagger and the span selection over them.

Each :class:`Rule` names one family of expressions; ``find_candidates`` runs every rule over
a text and keeps the leftmost-longest non-overlapping matches. The rule name tells the
resolver (``timex_resolve``) how to compute the value; nothing here needs a date.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from storyline.annotate.timex_filters import before_event, keep
from storyline.annotate.timex_lexicon import (
    DAY_ORDINALS,
    MOD_WORDS,
    MONTHS,
    NUMBER_WORDS,
    PARTS_OF_DAY,
    SEASONS,
    WEEKDAYS,
    WORD_TRIGGERS,
    alternation,
)

_CAP_MONTHS = "|".join(
    sorted({m.capitalize() for m in MONTHS if len(m) > 3 or m == "may"}, key=len, reverse=True)
)
_ABBR_MONTHS = "|".join(m.capitalize() for m in MONTHS if len(m) in (3, 4) and m != "may")
#: a month name, capitalised, abbreviations with an optional dot ("Jan.", "Sept")
_UPPER_MONTHS = "|".join(m.upper() for m in MONTHS if len(m) > 3 or m == "may")
MONTH = rf"(?-i:(?:{_CAP_MONTHS})\b|(?:{_ABBR_MONTHS})\b\.?|(?:{_UPPER_MONTHS})\b)"
MONTH_FULL = rf"(?-i:(?:{_CAP_MONTHS})\b)"
WEEKDAY = "(?-i:" + "|".join(w.capitalize() for w in WEEKDAYS if len(w) > 5) + r")\b"
_NUM_WORDS = alternation([w for w in NUMBER_WORDS if w not in ("hundred",)])
_TENS = "(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)"
_ONES = "(?:one|two|three|four|five|six|seven|eight|nine)"
#: a cardinal: digits, "twenty-four", "three", "a couple of", "several", "2 1/2"
NUM = (
    rf"(?:\d{{1,3}}(?:,\d{{3}})*(?:\.\d+)?(?:\s+1/2|-1/2)?|{_TENS}[\s-]{_ONES}\b|"
    rf"{_NUM_WORDS}\b(?:\s+(?:hundred|thousand)\b)?)(?:\s+and\s+a\s+half\b)?"
)
UNIT = (
    r"(?:seconds?|minutes?|hours?|days?|nights?|weeks?|weekends?|fortnights?|months?|quarters?|years?|"
    r"decades?|century|centuries|millenni(?:um|a))\b"
)
UNIT_ONE = r"(?:second|minute|hour|day|night|week|month|quarter|year|decade|century)\b"
#: modifiers that stand before a number or period ("about", "more than", "earlier that
#: day"); "end", "start" etc. only modify inside "the end of" ("end two years later"), and
#: "within" is a preposition (a TimeML signal) outside the expression
MOD = alternation(
    [w for w in MOD_WORDS if w not in ("early", "late", "mid", "mid-", "beginning", "start",
                                       "end", "middle", "within")]
)  # fmt: skip
MOD_PREFIX = rf"(?:\b(?P<modw>{MOD})\s+(?!the\b|its\b|their\b))?"
EDGE = (
    r"(?:\b(?P<edge>early|mid|late)(?:\s+|-(?=\d|[A-Z]))|"
    r"\bthe\s+(?P<edge2>beginning|start|end|middle)\s+of\s+(?:the\s+)?)?"
)
POD = alternation(PARTS_OF_DAY)
SEASON = alternation(SEASONS)
YEAR = r"(?:1[5-9]\d\d|20\d\d)"
#: time zones written after a clock time ("9:54 a.m. EDT", "1430 GMT")
ZONE = r"(?-i:[ECMP][SD]T|[ECMP]T|GMT|UTC|BST|CES?T|HKT|JST)"
#: a spoken day of the month ("eighth", "twenty-first" or "twenty first")
_DAY_ORD = alternation(DAY_ORDINALS).replace(re.escape("-"), r"[-\s]")
#: more feasts and holidays, capitalised ("Palm Sunday", "Memorial Day", "Mother's Day")
_FEASTS = (
    r"(?-i:Ash\s+Wednesday|Palm\s+Sunday|(?:Maundy|Holy)\s+Thursday|Holy\s+Saturday|Pentecost|"
    r"Memorial\s+Day|Labor\s+Day|Veterans\s+Day|Martin\s+Luther\s+King(?:\s+Jr\.?)?\s+Day|"
    r"Presidents'?\s+Day|Mother's\s+Day|Father's\s+Day|St\.?\s+Patrick's\s+Day|Boxing\s+Day|"
    r"Bastille\s+Day|Election\s+Day)"
)
#: "Christmas trees", "Christmas cards": things, not the day
_THINGS = (
    r"(?!\s+(?:trees?|lights?|cards?|carols?|decorations?|ornaments?|gifts?|presents?|"
    r"stockings?|songs?|music|movies?|specials?|lists?|sweaters?)\b)"
)
#: "this past weekend": "this" before "past" belongs to the expression
THIS_PAST = r"(?:\bthis\s+(?=past\b))?"
REL = r"(?:last|next|this|past|coming|previous|following|current|latest|same|prior|that)"


@dataclass(frozen=True, slots=True)
class Rule:
    """One family of expressions: a name the resolver dispatches on, a pattern and a type."""

    name: str
    pattern: re.Pattern[str]
    type: str


@dataclass(frozen=True, slots=True)
class Candidate:
    """A match of one rule: span into the text and the regex match (for its groups)."""

    start: int
    end: int
    rule: Rule
    match: re.Match[str]


def _rule(name: str, pattern: str, type_: str = "DATE") -> Rule:
    return Rule(name, re.compile(pattern, re.IGNORECASE), type_)


RULES: tuple[Rule, ...] = (
    _rule("iso", r"\b(?P<y>\d{4})-(?P<m>\d\d)-(?P<d>\d\d)(?:T(?P<h>\d\d):(?P<mi>\d\d))?\b"),
    _rule(
        "numeric",
        r"(?<![\d/.])(?P<m>\d{1,2})/(?P<d>\d{1,2})/(?P<y>\d{4}|\d\d)(?![\d/])",
    ),
    _rule(
        "month_day",
        rf"(?:\b(?:(?:last|this|next|past)\s+)?(?P<wd>{WEEKDAY})\s?,?\s+)?{EDGE}"
        rf"(?:\b(?P<mrel>last|next|this)\s+)?\b(?P<mon>{MONTH})\s*"
        r"(?P<d>\d{1,2})(?:st|nd|rd|th)?\b(?!\s*(?:%|percent|\d|[:.,]\d|-(?=\d)(?!\d{1,2}\b(?![%.:,]\d))))"
        rf"(?:\s?,?\s+(?P<y>{YEAR})\b)?",
    ),
    _rule(
        "month_ord",
        rf"(?:\b(?:(?:this\s+)?(?:coming|last|next|past|this)\s+)?(?P<wd>{WEEKDAY})\s?,?\s+)?\b(?P<mon>{MONTH_FULL})\s+(?:the\s+)?"
        rf"(?P<dw>{_DAY_ORD})\b(?:\s?,?\s+(?P<y>{YEAR})\b)?",
    ),
    _rule("week_of", rf"\bthe\s+week\s+of\s+(?P<mon>{MONTH})\s*(?P<d>\d{{1,2}})\b(?![-:.,]\d)"),
    _rule(
        "day_month",
        rf"(?:\b(?P<wd>{WEEKDAY})\s?,?\s+)?(?:the\s+)?\b(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?"
        rf"(?P<mon>{MONTH})(?:\s?,?\s+(?P<y>{YEAR})\b)?",
    ),
    _rule("month_year", rf"{EDGE}\b(?P<mon>{MONTH})(?:\s+of)?\s?,?\s+(?P<y>{YEAR})\b(?![-,.]\d)"),
    _rule(
        "month_rel_year",
        rf"\b(?P<mon>{MONTH_FULL})(?:\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?)?\s+(?:of\s+)?"
        r"(?P<rel>this|last|next)\s+year\b",
    ),
    _rule(
        "spoken_year",
        rf"\b(?:(?P<c>nineteen|eighteen)\s+(?P<yy>{_TENS}(?:[\s-]{_ONES})?|ten|eleven|twelve|"
        r"thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen)\b|"
        rf"the\s+year\s+two\s+thousand(?:\s+(?:and\s+)?(?P<yy2>{_ONES}|ten))?\b)",
    ),
    _rule("month", rf"{EDGE}(?:\b(?P<rel>last|next|this|past|coming)\s+)?\b(?P<mon>{MONTH_FULL})"),
    _rule(
        "season",
        rf"{EDGE}(?:{THIS_PAST}\b(?P<rel>last|next|this|past|coming|the)\s+)?(?P<season>{SEASON})\b"
        rf"(?:\s+(?:of\s+)?(?P<y>{YEAR})\b)?",
    ),
    _rule(
        "year",
        rf"{EDGE}(?:\b(?P<fiscal>fiscal(?:\s+year)?|the\s+year|calendar(?:\s+year)?)\s+)?"
        rf"\b(?P<y>{YEAR})(?P<later>\s+or\s+later)?\b"
        rf"(?!\s*(?:%|percent)|[-/,.]\d|\s*-\s*\d|'s|s\b|\s+{ZONE}\b)",
    ),
    _rule("fiscal_code", r"(?-i:\bFY\s?'?(?:(?P<y>(?:19|20)\d\d)|(?P<yy>\d\d))\b)"),
    _rule(
        "decade",
        rf"(?:\bthe\s+)?{EDGE}(?:(?P<dec>1[5-9]\d0|20\d0)'?s\b|'(?P<dec2>\d0)s\b|"
        r"(?P<decw>twenties|thirties|forties|fifties|sixties|seventies|eighties|nineties)\b)",
    ),
    _rule("century", r"(?:\bthe\s+)?\b(?P<c>\d{1,2})(?:st|nd|rd|th)[\s-]+century\b"),
    _rule(
        "quarter",
        rf"(?:\b(?:the|a)\s+(?=[^\s]+\s))?(?:(?P<y1>{YEAR})\s+)?"
        r"(?:(?P<yago>year[\s-](?:ago|earlier))\s+|(?P<yrel>next|last|this)\s+year's\s+)?(?:fiscal[\s-]+)?"
        r"\b(?P<q>first|second|third|fourth|1st|2nd|3rd|4th|(?:last|final)(?=\s+(?:quarter|half)\s+of\s+"
        rf"(?:fiscal\s+)?{YEAR}\b))[\s-]+(?:fiscal[\s-]+)?(?P<qh>quarter|half)\b"
        rf"(?:\s+of\s+(?:(?:fiscal\s+)?(?P<y2>{YEAR})\b|(?P<yrel2>this|next|last|the)\s+year\b))?",
    ),
    _rule("quarter_code", rf"\b(?P<qc>[QH])(?P<q>[1-4])(?:\s+(?P<y2>{YEAR}))?\b"),
    _rule(
        "year_earlier",
        r"(?:\bthe\s+(?:comparable\s+)?)?\byear[\s-](?P<dir>earlier|ago|before)"
        r"(?=\s+(?:quarter|period|level|month|figures?|results?|net|earnings|profits?|sales|"
        r"loss(?:es)?|revenues?|income)\b|\W*$)(?:\s+(?P<p>quarter|period|month))?",
    ),
    _rule("period_year", rf"\bthe\s+(?P<y>{YEAR})\s+(?P<p>quarter|period)\b"),
    _rule("latest_period", r"\bthe\s+latest\s+period\b"),
    #: "the year ended Aug. 31": a year-long period named by its end (TimeML: a duration)
    _rule("year_ended", r"\bthe\s+(?:fiscal\s+)?year(?=\s+(?:ended|ending)\b)", "DURATION"),
    _rule(
        "edge_unit",
        r"\b(?P<edge>earlier|later|early|late|mid)[\s-]+(?:(?:in|during)\s+)?(?P<rel>this|last|next|the|that|the\s+current)"
        r"\s+(?P<unit>week|month|year|decade|quarter|century)\b",
    ),
    _rule(
        "rel_unit",
        rf"{MOD_PREFIX}{EDGE}(?P<det>the\s+)?{THIS_PAST}\b(?P<rel>{REL})\s+(?:(?P<fisc>fiscal)\s+)?"
        r"(?P<unit>week|weekend|month|quarter|year|decade|century|day)\b",
    ),
    _rule(
        "the_unit",
        rf"{EDGE}\bthe\s+(?P<unit>quarter|year|weekend|fiscal\s+year)\b(?!\s+(?:of|before|after|to|in)\b|-|\s+{YEAR}\b)",
    ),
    _rule(
        "ago",
        rf"{MOD_PREFIX}\b(?P<num>{NUM})\s+(?:(?:more|other|full|long)\s+)?(?P<unit>{UNIT})"
        r"\s+(?:or\s+so\s+)?(?P<dir>ago|earlier|later|afterwards?|before|after|from\s+now|hence)\b",
    ),
    _rule(
        "vague_ago", r"\b(?P<unit>years|months|weeks|days|decades)\s+(?P<dir>ago|earlier|later)\b"
    ),
    _rule(
        "duration",
        rf"{MOD_PREFIX}(?:\b(?P<det>the|its|a|an|their)\s+)?(?:(?P<rel>past|last|next|first|coming|previous|"
        r"final|latest|following|initial|remaining)\s+)?"
        rf"\b(?P<num>{NUM})(?:\s+(?:to|or)\s+(?P<num2>{NUM}))?(?:\s+|-)(?:(?:more|other|full|long|straight|"
        rf"consecutive|trading|business|calendar|working)\s+)?(?P<unit>{UNIT})(?!-)",
        "DURATION",
    ),
    #: "a month-long strike", "decades-long": a period as an adjective
    _rule("long_unit", rf"\b(?:(?P<num>{NUM})-)?(?P<unit>{UNIT})-long\b", "DURATION"),
    _rule(
        "vague_duration",
        r"(?:(?<=\bfor\s)|(?<=\bin\s)|(?<=\bwithin\s))(?P<unit>years|months|weeks|days|decades|hours|minutes|centuries)\b(?!\s+(?:of|ago|earlier|later)\b)",
        "DURATION",
    ),
    _rule(
        "time",
        rf"{MOD_PREFIX}(?:\b(?P<h>\d{{1,2}})(?:[:.](?P<mi>\d\d))?\s*(?P<ap>a\.m\.?|p\.m\.?|am|pm)(?![a-z])|"
        rf"\b(?P<h2>\d{{1,2}}):(?P<mi2>\d\d)(?!\d)(?=\s*(?:{ZONE}|local|o'clock|hours?)\b)|"
        rf"(?<![\d,.$(])\b(?P<h3>[01]\d|2[0-3])(?P<mi3>[0-5]\d)(?=\s*(?:GMT|UTC)\b)|"
        rf"\b(?P<noon>noon|midnight|midday)\b)(?:\s+(?P<tz>{ZONE})\b)?",
        "TIME",
    ),
    _rule(
        "part_of_day",
        rf"\b(?:(?P<rel>this|yesterday|tomorrow|last|tonight)\s+)(?P<pod>{POD})\b|\b(?P<tonight>tonight|overnight)\b",
        "TIME",
    ),
    _rule(
        "weekday",
        rf"(?:\b(?P<edge>early|late)\s+(?:on\s+)?)?(?:{THIS_PAST}\b(?P<rel>last|next|this|past|coming)\s+)?"
        rf"\b(?P<wd>{WEEKDAY})(?:\s?,?\s+(?P<pod>{POD})\b)?",
    ),
    _rule("pod_weekday", rf"\b(?P<pod>{POD}|midnight)\s+(?:on\s+)?(?P<wd>{WEEKDAY})"),
    _rule(
        "deictic",
        r"\b(?P<word>today|yesterday|tomorrow|now|currently|recently|lately|soon|nowadays|presently|"
        r"at\s+present|these\s+days|the\s+(?:near\s+|distant\s+)?future|the\s+past"
        r"|recent(?:\s+(?:days|weeks|months|years|decades))?|current|"
        r"(?:the\s+)?coming\s+(?:days|weeks|months|years|quarters)|"
        r"the\s+(?:days|weeks|months|years)\s+ahead)\b"
        r"(?!\s*-)",
    ),
    _rule(
        "set",
        rf"\b(?:(?P<every>every|each)\s+(?:(?P<other>other|single)\s+)?(?:(?P<num>{NUM})\s+)?"
        rf"(?:(?P<unit>{UNIT_ONE}|{UNIT}|weekend|morning|afternoon|evening)|(?P<wd>{WEEKDAY})|(?P<mon>{MONTH_FULL})|"
        rf"(?P<season>{SEASON})\b)|"
        r"(?P<adv>daily|weekly|monthly|annually|yearly|hourly|nightly|biweekly|semiannually|"
        r"semi-annually)\b|(?P<times>once|twice|three\s+times|four\s+times)\s+(?:a|per|every)\s+(?P<unit2>day|week|month|year))",
        "SET",
    ),
    _rule(
        "holiday",
        rf"\b(?P<hol>Christmas(?:\s+Day|\s+Eve|{_THINGS})|New\s+Year's(?:\s+Day|\s+Eve)|Thanksgiving(?:\s+Day)?|"
        rf"Independence\s+Day|Halloween|Valentine's\s+Day|(?-i:Easter)(?:\s+(?:Sunday|Monday|week))?|"
        rf"(?-i:Good)\s+Friday|{_FEASTS})(?:\s+(?P<y>{YEAR}))?\b",
    ),
)

_WORD = re.compile(r"[A-Za-z]+")
_DIGITS = re.compile(r"\d+")
_WINDOW = 48


def _triggers(text: str) -> dict[str, list[tuple[int, int]]]:
    """Per rule, the spans of the trigger words and digit runs its matches need."""
    hits: dict[str, list[tuple[int, int]]] = {}
    for m in _WORD.finditer(text):
        names = WORD_TRIGGERS.get(m.group().lower())
        if names:
            for name in names:
                hits.setdefault(name, []).append(m.span())
    for m in _DIGITS.finditer(text):
        start, end = m.span()
        nxt = text[end : end + 3].lstrip()[:2].lower()
        digit_rules: list[str] = []
        if end - start == 4 and 1500 <= int(m.group()) <= 2099:
            digit_rules += ["year", "iso", "month_year", "quarter", "period_year"]
        if nxt[:1] == "/":
            digit_rules.append("numeric")
        if nxt[:1] in ("s", "'") and m.group().endswith("0"):
            digit_rules.append("decade")
        if nxt[:1] in ("a", "p", ":", ".") or (end - start == 4 and nxt in ("gm", "ut")):
            digit_rules.append("time")  # "3 p.m.", "10:30", "1430 GMT"
        if nxt in ("st", "nd", "rd", "th"):
            digit_rules.append("century")
        for name in digit_rules:
            hits.setdefault(name, []).append((start, end))
    return hits


#: "twenty years after the first astronauts", "a day after the vote": a duration before an
#: event (TimeML), not a date anchored on the previous one; counted day- and week-scale
#: offsets with "later"/"earlier" ("two days later") stay anchored dates
AGO_DURATION = Rule("ago_duration", RULES[[r.name for r in RULES].index("ago")].pattern, "DURATION")
#: rules that take priority when two matches have the same span length
_PRIORITY = {rule.name: i for i, rule in enumerate(RULES)}
_PRIORITY[AGO_DURATION.name] = _PRIORITY["ago"]
_GLUE = re.compile(r"\s*(?:,\s*|\s+on\s+|\s+at\s+|\s+)?")


def find_candidates(text: str) -> list[Candidate]:
    """Leftmost-longest non-overlapping matches of all rules over ``text``, in text order."""
    found: list[Candidate] = []
    triggers = _triggers(text)
    for rule in RULES:
        spans = triggers.get(rule.name)
        if not spans:
            continue
        for match in _matches(rule, text, sorted(spans)):
            start, end = match.span()
            while end > start and text[end - 1] in " ,":
                end -= 1
            if (
                rule.name == "duration"
                and match.group("rel")
                and _VERB_LAST.search(text, max(0, start - 8), match.start("rel"))
            ):
                start = match.start("num")  # "expected to last several weeks": a verb
            if rule.name in ("quarter", "duration") and (
                _ADJECTIVAL.search(text, start, end) or _counted_singular(rule, match)
            ):
                det = _DETERMINER.match(text, start, end)
                start = det.end() if det else start
            if end > start and keep(rule.name, match, text):
                if rule.name == "ago" and before_event(match, text, end):
                    end = match.start("dir")
                    while text[end - 1].isspace():
                        end -= 1
                    found.append(Candidate(start, end, AGO_DURATION, match))
                else:
                    found.append(Candidate(start, end, rule, match))
    found.sort(key=lambda c: (c.start, -(c.end - c.start), _PRIORITY[c.rule.name]))
    chosen: list[Candidate] = []
    last_end = -1
    for cand in found:
        if cand.start >= last_end:
            chosen.append(cand)
            last_end = cand.end
    return chosen


_VERB_LAST = re.compile(
    r"\b(?:to|will|would|could|can|may|might|should|must|n't|not)\s+$", re.IGNORECASE
)
#: "a third-quarter loss", "a 16-hour day": the determiner belongs to the noun phrase
_ADJECTIVAL = re.compile(r"\w-(?:fiscal-)?(?:quarter|half|" + UNIT_ONE[3:], re.IGNORECASE)
_DETERMINER = re.compile(r"(?:a|an|the|its|their|his|her)\s+", re.IGNORECASE)


def _counted_singular(rule: Rule, match: re.Match[str]) -> bool:
    """True for "a two day meeting", "the six year term": a counted period written in the
    singular is an adjective, and the determiner belongs to the noun after it."""
    if rule.name != "duration" or match.group("unit").lower().endswith("s"):
        return False
    return match.group("num").lower() not in ("a", "an", "half a", "half an")


def _matches(rule: Rule, text: str, spans: list[tuple[int, int]]) -> list[re.Match[str]]:
    """Matches of ``rule`` searched only in windows around its trigger ``spans``."""
    windows: list[list[int]] = []
    for start, end in spans:
        lo = text.rfind(" ", 0, max(0, start - _WINDOW)) + 1
        hi = text.find(" ", end + _WINDOW)
        hi = len(text) if hi < 0 else hi
        if windows and lo <= windows[-1][1]:
            windows[-1][1] = max(windows[-1][1], hi)
        else:
            windows.append([lo, hi])
    out: list[re.Match[str]] = []
    for lo, hi in windows:
        out.extend(rule.pattern.finditer(text, lo, hi))
    return out


def glue_between(text: str, left_end: int, right_start: int) -> bool:
    """True when only a comma, "on", "at" or spaces separate two expressions."""
    if right_start < left_end or right_start - left_end > 5:
        return False
    return _GLUE.fullmatch(text, left_end, right_start) is not None
