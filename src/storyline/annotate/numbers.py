"""Numbers written in digits or words: "35", "1,200", "2.5 million", "twenty-four", "dozens".

Pure string code, no NLP model. :data:`NUMBER` is a regular expression that matches one
number expression; :func:`parse_number` turns a matched expression into a
:class:`ParsedNumber` (its value plus a vague-quantity qualifier such as "dozens").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

UNITS = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
}
TENS = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}
SHORT_SCALES = {"k": 1_000, "m": 1_000_000, "mn": 1_000_000, "bn": 1_000_000_000}

#: vague quantities: value used for the claim and the (low, high) range they stand for
VAGUE = {
    "a dozen": (12.0, 12.0, 12.0),
    "dozens": (24.0, 24.0, 99.0),
    "scores": (40.0, 40.0, 99.0),
    "hundreds": (200.0, 200.0, 999.0),
    "thousands": (2_000.0, 2_000.0, 9_999.0),
    "tens of thousands": (20_000.0, 20_000.0, 99_999.0),
    "millions": (2_000_000.0, 2_000_000.0, 9_999_999.0),
}

_WORD = "|".join(sorted([*UNITS, *TENS], key=len, reverse=True))
_SCALE = "|".join(SCALES)
_WORD_NUMBER = (
    rf"(?:(?:{_WORD})(?:[- ](?:{_WORD}))?(?:\s+(?:{_SCALE})(?:\s+(?:and\s+)?(?:{_WORD})"
    rf"(?:[- ](?:{_WORD}))?)?)*|a\s+(?:hundred|thousand))"
)
_DIGITS = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
_DIGIT_NUMBER = rf"{_DIGITS}(?:\s*(?:{_SCALE})\b|(?:k|m|mn|bn)\b)?"
_VAGUE = "|".join(sorted(VAGUE, key=len, reverse=True))

#: one number expression (use with re.IGNORECASE); bounded by word boundaries
NUMBER = rf"(?<![\w.,-])(?:{_VAGUE}|{_DIGIT_NUMBER}|{_WORD_NUMBER})(?![\w-])"


@dataclass(frozen=True, slots=True)
class ParsedNumber:
    """The value of a number expression; ``vague`` names a vague quantity ("dozens")."""

    value: float
    low: float
    high: float
    vague: str | None = None


def _words_value(words: list[str]) -> float | None:
    total = 0.0
    current = 0.0
    for word in words:
        if word in ("and", "a"):
            current = current or (1.0 if word == "a" else 0.0)
            continue
        if word in UNITS:
            current += UNITS[word]
        elif word in TENS:
            current += TENS[word]
        elif word in SCALES:
            scale = SCALES[word]
            if scale == 100:
                current = (current or 1.0) * 100
            else:
                total += (current or 1.0) * scale
                current = 0.0
        else:
            return None
    return total + current


def parse_number(expression: str) -> ParsedNumber | None:
    """The value of one number expression matched by :data:`NUMBER`, or None if unparsable."""
    text = " ".join(expression.lower().split())
    if text in VAGUE:
        value, low, high = VAGUE[text]
        return ParsedNumber(value, low, high, vague=None if text == "a dozen" else text)
    digits = re.fullmatch(r"((?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)\s*([a-z]*)", text)
    if digits:
        value = float(digits.group(1).replace(",", ""))
        suffix = digits.group(2)
        if suffix in SCALES:
            value *= SCALES[suffix]
        elif suffix in SHORT_SCALES:
            value *= SHORT_SCALES[suffix]
        elif suffix:
            return None
        return ParsedNumber(value, value, value)
    parsed = _words_value(re.split(r"[\s-]+", text))
    if parsed is None:
        return None
    return ParsedNumber(parsed, parsed, parsed)
