"""Context filters of the temporal tagger: checks around a match that patterns cannot make.

``keep`` needs a rule name, its regex match and the text and says whether the match is a
time expression at all ("52 years old" is an age, "three-quarters of its food" a share,
ABC's "This Week" a programme, "soon after" a signal). ``before_event`` says whether an
offset ("twenty years after the first flight", "an hour later") is a duration rather than
a date anchored on the last one. Used by ``timex_patterns.find_candidates``.
"""

from __future__ import annotations

import re

from storyline.annotate.timex_lexicon import VAGUE_NUMBERS

_EVENT_OFFSET = re.compile(
    r"(?:seconds?|minutes?|hours?|days?|weeks?|fortnights?|months?|quarters?|years?|decades?|centur(?:y|ies)|"
    r"millenni\w*)",
    re.IGNORECASE,
)
_SUB_DAY = re.compile(r"(?:seconds?|minutes?|hours?)", re.IGNORECASE)
_EVENT_FOLLOWS = re.compile(r"\s*[\w$\"“‘']")


def before_event(match: re.Match[str], text: str, end: int) -> bool:
    """True for "N days/months after <event>" (an event follows), and for offsets that
    name no day: "an hour later", "a few days later"."""
    word = match.group("dir").lower()
    if word in ("later", "earlier", "after", "before", "afterward", "afterwards") and (
        _SUB_DAY.fullmatch(match.group("unit")) is not None
        or match.group("num").lower() in VAGUE_NUMBERS
    ):
        return True
    return (
        word in ("after", "before")
        and _EVENT_OFFSET.fullmatch(match.group("unit")) is not None
        and _EVENT_FOLLOWS.match(text, end) is not None
    )


_MAY_OK = re.compile(
    r"(?:\b(?:in|of|since|until|by|during|from|to|through|before|after|last|next|this|early|late|"
    r"mid|and|or|between|since|till)\s+|-)$",
    re.IGNORECASE,
)


_MARCH_NAME = re.compile(r"\s+(?:for|of|on|to|against)\b|-|\s*\d", re.IGNORECASE)
_SENTENCE_START = re.compile(r"(?:^|[.!?:;\"“]\s*|\n\s*)$")


_PREP = re.compile(
    r"\b(?:in|since|by|until|from|through|during|of|before|after|to|early|late|mid)\s+$",
    re.IGNORECASE,
)


_TITLE = re.compile(r"[A-Z][a-z]+")
_CAPITALISED_BEFORE = re.compile(r"\b[A-Z][A-Za-z]*\s+$")
_CAPITALISED_AFTER = re.compile(r"\s+[A-Z][a-z]")
_NAMED_DAY = re.compile(
    r"\b(?-i:Super|Black|Good|Ash|Bloody|Cyber|Holy|Palm|Maundy|Easter|News)\s+$"
)  # "Super Tuesday", "Good Friday", "Fox News Sunday"
_TITLE_AFTER_DAY = re.compile(
    r"(?-i:\s+(?:Times|Telegraph|Express|Mirror|Herald|Independent|Tribune|Observer|"
    r"Star|Post|People|Sport|Business|Night\s+(?:Live|Football|Lights)))\b"
)
_MAIL_ON = re.compile(r"(?-i:\bMail\s+on\s+)$")
_USA = re.compile(r"\b(?-i:USA)\s+$")
_DAY_RANGE = re.compile(r"(?:st|nd|rd|th)?-(\d{1,2})\b")
_PRE_POST = re.compile(r"\b(?:pre|post)-$", re.IGNORECASE)
_HIGH_NOON = re.compile(r"\bhigh\s+noon$", re.IGNORECASE)
_SOON_SIGNAL = re.compile(r"\s+(?:after|before)\b", re.IGNORECASE)
_AS_POSSIBLE = re.compile(r"\s+as\s+(?:possible|practicable|feasible)\b", re.IGNORECASE)
_FRACTION = re.compile(
    r"\s+of\s+(?:the|its|their|his|her|our|all|a|an|this|that|these|those)\b", re.IGNORECASE
)
_FRACTION_OF_MANY = re.compile(r"\s+of\s+(?-i:[a-z]+s)\b")  # "three-quarters of precincts"
_AGE = re.compile(r"[\s-]+(?:old|older|younger|young)\b", re.IGNORECASE)
_COUNTED = re.compile(r"\s+(?!(?:was|has|is|as)\b)[a-z]+s\b")


#: "the past nine elections": a count after "the past"
_COUNT = re.compile(
    r"\s+(?:\d+|few|several|many|two|three|four|five|six|seven|eight|nine|ten|dozen)\b",
    re.IGNORECASE,
)


def keep(name: str, match: re.Match[str], text: str) -> bool:
    """Context filters that patterns alone cannot express cheaply."""
    if name == "month" and match.group("mon") in ("May", "March") and not match.group("rel"):
        before = text[max(0, match.start() - 12) : match.start()]
        if match.group("edge") or match.group("edge2") or _MAY_OK.search(before):
            return True
        # a capitalised "March" inside a sentence is the month ("the coldest March since
        # 1962") unless it names a march ("the annual March for Life"); "May" is a verb
        return match.group("mon") == "March" and not (
            _MARCH_NAME.match(text, match.end()) or _SENTENCE_START.search(before)
        )
    prefixed = name == "year" and _PRE_POST.search(text, max(0, match.start() - 5), match.start())
    if name == "year" and not (match.group("edge") or match.group("fiscal") or prefixed):
        prev = text[match.start() - 1] if match.start() > 0 else " "
        if prev in "$,.#-/" or prev.isdigit():
            return False  # "$1990", "1,1990", "12-1990"; "post-1959" is kept above
        # "2000 people": a count, not a year, unless a preposition introduced it
        before = text[max(0, match.start() - 12) : match.start()]
        after = text[match.end() : match.end() + 12]
        if not match.group("edge2") and not _PREP.search(before) and _COUNTED.match(after):
            return False
    if (
        name == "duration"
        and match.group("num").lower() == "a"
        and match.group("unit").lower() == "second"
    ):
        return False  # "a second time"
    if (
        name == "deictic"
        and match.group("word").lower().endswith("past")
        and _COUNT.match(text, match.end())
    ):
        return False  # "the past nine elections": things counted back, not the past
    if name == "deictic" and _USA.search(text, max(0, match.start() - 4), match.start()):
        return False  # the newspaper USA Today
    if name == "deictic" and _soon_signal(match, text):
        return False  # "soon after he left", "as soon as Tuesday": a signal, not a time
    if name in ("duration", "rel_unit", "the_unit") and _TITLE.fullmatch(match.group("unit")):
        return False  # ABC's "This Week", CBS's "60 Minutes": a programme's name
    if name == "month_day" and (span := _DAY_RANGE.match(text, match.end("d"))):
        return int(span.group(1)) > int(match.group("d"))  # "Jan. 21-26", not "March 3-2"
    if (
        name == "set"
        and match.group("adv")
        and match.group("adv")[0].isupper()
        and (
            _CAPITALISED_BEFORE.search(text, max(0, match.start() - 20), match.start())
            or _CAPITALISED_AFTER.match(text, match.end())
        )
    ):
        return False  # "the New York Daily News", "Washington Monthly": a title
    if name == "weekday" and _NAMED_DAY.search(text, max(0, match.start() - 8), match.start()):
        return False  # "Super Tuesday", "Black Friday": a named day, not the last such weekday
    if name == "weekday" and (
        _TITLE_AFTER_DAY.match(text, match.end("wd"))
        or _MAIL_ON.search(text, max(0, match.start() - 8), match.start())
    ):
        return False  # "The Sunday Times", "the Mail on Sunday", "Saturday Night Live"
    if name == "time" and _HIGH_NOON.search(text, max(0, match.start() - 5), match.end()):
        return False  # "high noon": an idiom
    if name == "duration" and _AGE.match(text, match.end()):
        return False  # "52 years old": an age, not a period
    if (
        name == "duration"
        and match.group("unit").lower().startswith("quarter")
        and (
            _FRACTION.match(text, match.end())
            or ("-" in match.group() and _FRACTION_OF_MANY.match(text, match.end()))
        )
    ):
        return False  # "about three-quarters of its food": a share, not a period
    if (
        name == "duration"
        and match.group("num").lower() in ("a", "an")
        and not (match.group("rel") or match.group("modw"))
    ):
        before = text[max(0, match.start() - 10) : match.start()]
        if re.search(r"(?:\bper|\bonce|\btwice|\btimes|\$[\d.,]+|\bcents?)\s*$", before):
            return False
    return True


def _soon_signal(match: re.Match[str], text: str) -> bool:
    """True for "soon" in "soon after/before" and "as soon as" (but "as soon as possible")."""
    if match.group("word").lower() != "soon":
        return False
    if _SOON_SIGNAL.match(text, match.end()):
        return True
    after_as = text[max(0, match.start() - 3) : match.start()].lower() == "as "
    return after_as and not _AS_POSSIBLE.match(text, match.end())
