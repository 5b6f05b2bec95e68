"""Tense of the sentence around a time expression, read from cheap lexical cues.

``tense_of`` needs the text, the expression's span and its sentence's span and gives the
tense of the nearest cue (PAST, FUTURE, PRESENT or None) and its distance in characters:
will/'ll/is to/scheduled/plans/next/upcoming point ahead, was/had/said/-ed/ago back. A
cue after the expression counts double (verbs mostly precede their time), one beyond
"that"/"but"/"because" belongs to another clause, "since" before the expression makes it
past and a deadline word ("until", "by", "of record") future unless the sentence is in
the past perfect. No parser is used; every pattern is precompiled.
"""

from __future__ import annotations

import re
from functools import lru_cache

from storyline.annotate.timex_calendar import FUTURE, PAST, PRESENT, Context

__all__ = ["has_future", "names_event", "tense_of"]

_TENSE_CUES = re.compile(
    r"\b(?P<fut>will|won't|wouldn't|shall|is\s+to|are\s+to|(?:is|are)\s+due|scheduled\s+to|set\s+to|"
    r"plans?\s+to|planned\s+to|planning|scheduled|going\s+to|expected|expects?\s+to|intends?\s+to|"
    r"would|upcoming|tomorrow|(?:is|are)\s+forecast|(?:is|are)\s+(?:meeting|visiting|travell?ing|holding))\b|"
    r"(?P<fut2>'ll)\b|"
    r"\b(?P<fut3>(?:begin|open|start|end|close|expire|resume|reopen|convene|conclude|"
    r"meet|travel|visit|arrive|leave|return|host|play|debut|air)s|takes\s+effect|"
    r"kicks\s+off|wraps\s+up|go\s+to\s+the\s+polls)\b|"
    r"\b(?P<pres2>(?:was|were|had\s+been)\s+(?:scheduled|expected|set|due|supposed|planning|going)\s+to)\b|"
    r"\b(?P<past>was|were|had|did|said|told|ago|(?<!\bto\s)last|earlier|yesterday|previous|came|went|"
    r"met|began|took|gave|made|held|left|fell|rose|saw|won|lost|got|led|sent|spoke|brought|"
    r"bought|sold|thought|found|became|paid|struck|ran|wrote|spent|built|stood|felt|fought|"
    r"caught|meant|grew|drew|threw|flew|shot|broke|chose|drove|knew|sought|"
    r"(?<!\bwill\s)(?<!\bto\s)forecast|"
    r"(?-i:(?<![A-Z])(?<!\ba\s)(?<!\ban\s)(?<!\bthe\s)[a-z]{2,}(?<!e)ed))\b|"
    r"\b(?P<pres>is|are|am|has|have)\b",
    re.IGNORECASE,
)
_DEADLINE = re.compile(
    r"\b(?:until|till|by|as\s+soon\s+as|as\s+early\s+as|effective|payable|starting|of\s+record|"
    r"(?:extended|postponed|delayed|adjourned)\s+(?:\w+\s+)?to)"
    r"\s+(?:the\s+)?$",
    re.IGNORECASE,
)


def tense_of(text: str, start: int, end: int, lo: int, hi: int) -> tuple[str | None, int]:
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
    fronted = deadline_match is not None and not text[lo : deadline_match.start()].strip()
    if deadline and fronted and best is not None and best[1] == PAST:
        return PAST, 0  # "By 9 a.m. Sunday, Sharpton began taking calls": the clause's tense
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
    r"\b(?:that|but|while|whereas|although|though|because)\b|;", re.IGNORECASE
)  # a clause boundary
_AFTER = 2  # a cue after the expression counts double: verbs mostly precede their time
_CLAUSE = 60  # characters a clause boundary adds to a cue's distance
_PASSIVE = re.compile(r"\b(?:be|been|being)\s+$", re.IGNORECASE)


#: the first word of every ``_TENSE_CUES`` alternative, case-folded and cut at an apostrophe
#: (won't, wouldn't); a cue starts only at one of these, at a word ending in "ed" or at "'ll"
_FIRST_WORDS = frozenset(
    "will won wouldn shall is are am has have scheduled set plans plan planned planning "
    "going expected expects expect intends intend would upcoming tomorrow begins opens starts "
    "ends closes expires resumes reopens convenes concludes meets travels visits arrives leaves "
    "returns hosts plays debuts airs takes kicks wraps go was were had did said told ago last "
    "earlier yesterday previous came went met began took gave made held left fell rose saw won "
    "lost got led sent spoke brought bought sold thought found became paid struck ran wrote "
    "spent built stood felt fought caught meant grew drew threw flew shot broke chose drove "
    "knew sought forecast".split()
)
_WORD_START = re.compile(r"\b\w+|'(?=ll)", re.IGNORECASE)


def _cue_matches(text: str, lo: int, hi: int) -> list[re.Match[str]]:
    """``_TENSE_CUES.finditer(text, lo, hi)``, tried only where a cue can start (the whole
    pattern at every word is the tagger's slowest step)."""
    found: list[re.Match[str]] = []
    last = lo
    for word in _WORD_START.finditer(text, lo, hi):
        start = word.start()
        if start < last:
            continue
        token = word.group()
        if token != "'" and not token.endswith("ed") and token.casefold() not in _FIRST_WORDS:
            continue
        cue = _TENSE_CUES.match(text, start, hi)
        if cue is not None and cue.end() > start:
            found.append(cue)
            last = cue.end()
    return found


@lru_cache(maxsize=64)
def _cues(text: str, lo: int, hi: int) -> tuple[tuple[int, int, str], ...]:
    """Tense cues of one sentence: (start, end, tense); participles after "be" are skipped."""
    cues = []
    for cue in _cue_matches(text, lo, hi):
        kind = cue.lastgroup or "past"
        if kind == "past" and _PASSIVE.search(text, max(lo, cue.start() - 7), cue.start()):
            continue
        # "was scheduled to leave Tuesday": planned before, done or not yet (the nearest day)
        tense = FUTURE if kind.startswith("fut") else PAST if kind == "past" else PRESENT
        cues.append((cue.start(), cue.end(), tense))
    return tuple(cues)


def has_future(text: str, lo: int, hi: int) -> bool:
    """True when the sentence [lo, hi) has a future-tense cue anywhere."""
    return any(tense == FUTURE for _, _, tense in _cues(text, lo, hi))


#: "the Feb. 27 earthquake", "after the October slaying": a date naming a known event
_EVENT_BEFORE = re.compile(r"\b(?:the|after(?:\s+the)?)\s+$", re.IGNORECASE)
_EVENT_NOUN = re.compile(
    r"\s+(?!(?:to|and|or|at|in|on|for|of|by|with|from|as|is|was)\b)"
    r"(?!(?:deadline|target|launch|opening|start|kickoff|expiry|expiration)\b)[a-z]{3,}"
)  # a prospective noun ("the Feb. 27 deadline") names no past event
_AFTER_DATE = re.compile(r"\bafter\s+(?:the\s+)?$", re.IGNORECASE)


def names_event(m: re.Match[str], ctx: Context) -> bool:
    """True for a day or month that names a known event in a sentence with no future cue:
    "the Feb. 27 earthquake", "after Feb. 27" (such an event has mostly happened)."""
    if ctx.future:
        return False
    text, start = m.string, m.start()
    if not _EVENT_BEFORE.search(text, max(0, start - 10), start):
        return False
    after = _AFTER_DATE.search(text, max(0, start - 10), start)
    return bool(after or _EVENT_NOUN.match(text, m.end()))
