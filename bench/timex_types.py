"""Kinds of time expressions for the error study of bench/timex_eval.py, and its folds.

A gold TIMEX3 (or a storyline error line) is put in the first kind that fits: duration,
set, vague (PAST_REF/PRESENT_REF/FUTURE_REF), quarter/fiscal, event-relative ("a day after",
"three days later", "the day before"), weekday, deictic (today, yesterday, now), explicit
month/day, year, other.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Sequence
from typing import Any

_RELATIVE = re.compile(r"\b(after|before|later|earlier|following|previous|prior)\b", re.I)
_WEEKDAY = re.compile(r"\b(mon|tues|wednes|thurs|fri|satur|sun)day\b", re.I)
_DEICTIC = re.compile(r"\b(today|yesterday|tomorrow|now|tonight|currently)\b", re.I)
_MONTH = re.compile(
    r"\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s*\d|\d\s+(jan|feb|mar|apr|"
    r"may|jun|jul|aug|sep|oct|nov|dec)",
    re.I,
)
KINDS = ("duration", "set", "vague", "quarter", "relative", "weekday", "deictic", "month/day",
         "year", "other")  # fmt: skip


def fold_of(name: str) -> int:
    """The fold (0-4) of a document; fold 0 is the held-aside slice."""
    return int(hashlib.sha1(name.encode()).hexdigest(), 16) % 5


def kind(text: str, type_: str, value: str) -> str:
    if type_ == "DURATION":
        return "duration"
    if type_ == "SET":
        return "set"
    if value.endswith("_REF"):
        return "vague"
    if re.search(r"Q\d|H\d|quarter|fiscal", value + " " + text, re.I):
        return "quarter"
    if _RELATIVE.search(text):
        return "relative"
    if _WEEKDAY.search(text):
        return "weekday"
    if _DEICTIC.search(text):
        return "deictic"
    if _MONTH.search(text):
        return "month/day"
    if re.fullmatch(r"\d{4}", value):
        return "year"
    return "other"


_LINE = re.compile(r"^\S+ (MISS|VALUE)\s+(?:gold )?'(.*?)' (\S+) (\S*)")


def by_type(errors: Sequence[str], gold: Sequence[Any]) -> str:
    """A table: per kind, gold count, missed, wrong value (type or value), value accuracy."""
    totals = Counter(kind(g.text, g.type, g.value) for g in gold)
    missed: Counter[str] = Counter()
    wrong: Counter[str] = Counter()
    for line in errors:
        m = _LINE.match(line)
        if m:
            (missed if m[1] == "MISS" else wrong)[kind(m[2], m[3], m[4])] += 1
    extra = sum(1 for line in errors if " EXTRA " in line)
    rows = [f"{'kind':<11}{'gold':>6}{'missed':>8}{'wrong':>7}{'correct':>9}"]
    for k in KINDS:
        n = totals[k]
        ok = n - missed[k] - wrong[k]
        rows.append(f"{k:<11}{n:>6}{missed[k]:>8}{wrong[k]:>7}{ok / max(n, 1):>9.3f}")
    rows.append(f"extra (system spans matching no gold): {extra}")
    return "\n".join(rows)
