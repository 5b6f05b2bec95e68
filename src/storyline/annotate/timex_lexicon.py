"""Word lists of the temporal tagger: months, weekdays, numbers, units, parts of day.

Pure data plus two tiny helpers; the patterns in ``timex_patterns`` are built from these
tables and the resolver in ``timex_resolve`` reads the same tables back, so a word is
listed once. ``WORD_TRIGGERS`` says which rules a word can start: the tagger runs a rule
only in windows around its trigger words (that keeps it at ~2 ms per news article).
"""

from __future__ import annotations

import re

MONTHS: dict[str, int] = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4,
    "apr": 4, "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8,
    "september": 9, "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11,
    "nov": 11, "december": 12, "dec": 12,
}  # fmt: skip

WEEKDAYS: dict[str, int] = {
    "monday": 0, "mon": 0, "tuesday": 1, "tue": 1, "tues": 1, "wednesday": 2, "wed": 2,
    "thursday": 3, "thu": 3, "thur": 3, "thurs": 3, "friday": 4, "fri": 4,
    "saturday": 5, "sat": 5, "sunday": 6, "sun": 6,
}  # fmt: skip

_UNITS_1 = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen"
).split()
_TENS = "twenty thirty forty fifty sixty seventy eighty ninety".split()

#: number words -> value; "a"/"an" count as one, vague words map to None (value "X")
NUMBER_WORDS: dict[str, float | None] = {w: float(i) for i, w in enumerate(_UNITS_1)}
NUMBER_WORDS.update({w: float(20 + 10 * i) for i, w in enumerate(_TENS)})
NUMBER_WORDS.update(
    {"a": 1.0, "an": 1.0, "one hundred": 100.0, "a hundred": 100.0, "hundred": 100.0}
)
NUMBER_WORDS.update(
    {"a couple of": 2.0, "a couple": 2.0, "couple of": 2.0, "couple": 2.0, "a dozen": 12.0}
)
NUMBER_WORDS.update({"half a": 0.5, "half an": 0.5, "a half": 0.5})
VAGUE_NUMBERS = ("a few", "few", "several", "many", "some")
NUMBER_WORDS.update({w: None for w in VAGUE_NUMBERS})

ORDINALS: dict[str, int] = {
    "first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4,
    "4th": 4, "final": 4, "last": 4,
}  # fmt: skip

_ORD_1 = (
    "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth "
    "thirteenth fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth"
).split()
#: spoken days of the month ("March eighth", "the twenty-first") -> 1..31
DAY_ORDINALS: dict[str, int] = {w: i + 1 for i, w in enumerate(_ORD_1)}
DAY_ORDINALS.update({"twentieth": 20, "thirtieth": 30, "thirty-first": 31})
DAY_ORDINALS.update({f"twenty-{w}": 21 + i for i, w in enumerate(_ORD_1[:9])})

#: unit word (singular) -> (ISO duration letter, is a time unit after "T")
UNITS: dict[str, tuple[str, bool]] = {
    "second": ("S", True), "minute": ("M", True), "hour": ("H", True), "day": ("D", False),
    "night": ("D", False), "week": ("W", False), "weekend": ("WE", False),
    "fortnight": ("FN", False),
    "month": ("M", False), "quarter": ("Q", False), "year": ("Y", False),
    "decade": ("DE", False), "century": ("CE", False), "millennium": ("ML", False),
}  # fmt: skip

PARTS_OF_DAY: dict[str, str] = {
    "morning": "MO",
    "afternoon": "AF",
    "evening": "EV",
    "night": "NI",
    "overnight": "NI",
}

SEASONS: dict[str, str] = {"spring": "SP", "summer": "SU", "fall": "FA", "autumn": "FA",
                           "winter": "WI"}  # fmt: skip

#: modifier words in front of an expression -> TimeML ``mod``
MOD_WORDS: dict[str, str] = {
    "about": "APPROX", "around": "APPROX", "approximately": "APPROX", "roughly": "APPROX",
    "some": "APPROX", "nearly": "LESS_THAN", "almost": "LESS_THAN", "less than": "LESS_THAN",
    "under": "LESS_THAN", "more than": "MORE_THAN", "over": "MORE_THAN",
    "at least": "EQUAL_OR_MORE", "at most": "EQUAL_OR_LESS", "up to": "EQUAL_OR_LESS",
    "no more than": "EQUAL_OR_LESS", "within": "EQUAL_OR_LESS", "early": "START",
    "earlier": "START", "late": "END", "later": "END", "mid": "MID", "mid-": "MID",
    "beginning": "START", "start": "START", "end": "END", "middle": "MID",
}  # fmt: skip


_UNIT_RULES = ("rel_unit", "ago", "duration", "vague_duration", "vague_ago", "the_unit", "set")
_UNIT_WORDS = "second minute hour day night week weekend fortnight month decade".split()
_UNIT_FORMS = (
    *(u + s for u in _UNIT_WORDS for s in ("", "s")),
    "millennium",
    "millennia",
)
_WORD_GROUPS: tuple[tuple[tuple[str, ...], str], ...] = (
    (tuple(MONTHS), "month_day month_ord week_of day_month month_year month month_rel_year set"),
    (("nineteen", "eighteen", "thousand"), "spoken_year"),
    (tuple(SEASONS), "season set"),
    (("twenties", "thirties", "forties", "fifties", "sixties", "seventies", "eighties",
      "nineties"), "decade"),
    (("century", "centuries"), "century " + " ".join(_UNIT_RULES)),
    (("quarter", "quarters", "half"), "quarter " + " ".join(_UNIT_RULES)),
    (("q", "h"), "quarter_code"),
    (("fy",), "fiscal_code"),
    (("long",), "long_unit"),
    (("year", "years"), "year_earlier year_ended holiday " + " ".join(_UNIT_RULES)),
    (("latest",), "latest_period"),
    (("earlier", "later", "early", "late", "mid"), "edge_unit"),
    (_UNIT_FORMS, " ".join(_UNIT_RULES)),
    (("fiscal",), "the_unit"),
    (("noon", "midnight", "midday"), "time pod_weekday"),
    ((*PARTS_OF_DAY, "tonight"), "part_of_day pod_weekday"),
    (tuple(WEEKDAYS), "weekday pod_weekday set"),
    (("today", "yesterday", "tomorrow", "now", "currently", "recently", "lately", "soon",
      "nowadays", "presently", "present", "days", "future", "past", "recent", "coming",
      "current", "ahead"), "deictic"),
    (("every", "each", "daily", "weekly", "monthly", "annually", "yearly", "hourly", "nightly",
      "biweekly", "semiannually", "annually", "once", "twice", "times"), "set"),
    (("christmas", "thanksgiving", "independence", "halloween", "valentine", "easter", "good",
      "ash", "palm", "maundy", "holy", "pentecost", "memorial", "labor", "veterans", "king",
      "presidents", "mother", "father", "patrick", "boxing", "bastille", "election"), "holiday"),
)  # fmt: skip
#: lower-cased word -> the rules whose matches can contain it (rules run only around them)
WORD_TRIGGERS: dict[str, set[str]] = {}
for _words, _names in _WORD_GROUPS:
    for _word in _words:
        WORD_TRIGGERS.setdefault(_word, set()).update(_names.split())


def alternation(words: object, suffix: str = "") -> str:
    """A regex alternation of ``words`` (longest first, spaces matching any whitespace)."""
    items = sorted({str(w) for w in words}, key=len, reverse=True)  # type: ignore[attr-defined]
    return "(?:" + "|".join(re.escape(w).replace(r"\ ", r"\s+") + suffix for w in items) + ")"


def parse_number(text: str) -> float | None:
    """The value of a number phrase ("three", "twenty-four", "48", "2 1/2", "a couple of").

    Returns None for a vague amount ("several", "a few"); the caller writes "X".
    """
    words = " ".join(text.lower().replace("-", " ").split())
    if words in NUMBER_WORDS:
        return NUMBER_WORDS[words]
    half = 0.0
    for tail in (" and a half", " 1/2", "-1/2", " ½"):
        if words.endswith(tail):
            words, half = words[: -len(tail)].strip(), 0.5
    if words in NUMBER_WORDS:
        base = NUMBER_WORDS[words]
        return None if base is None else base + half
    digits = words.replace(",", "")
    if re.fullmatch(r"\d+(?:\.\d+)?", digits):
        return float(digits) + half
    parts = words.split()
    if len(parts) == 2 and parts[0] in NUMBER_WORDS and parts[1] in NUMBER_WORDS:
        tens, ones = NUMBER_WORDS[parts[0]], NUMBER_WORDS[parts[1]]
        if tens is not None and ones is not None and tens >= 20 and ones < 10:
            return tens + ones + half
    if len(parts) == 2 and parts[1] in ("hundred", "thousand"):
        head = NUMBER_WORDS.get(parts[0])
        if head is not None:
            return head * (100 if parts[1] == "hundred" else 1000) + half
    return None
