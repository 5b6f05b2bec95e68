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


# ----------------------------------------------------------------------------- qualifiers
#: words that bound or blur a number ("at least seven", "about 3,000")
QUALIFIERS = (
    "at least", "at most", "more than", "less than", "fewer than", "up to", "as many as",
    "nearly", "almost", "about", "around", "approximately", "roughly", "some", "over",
    "an estimated", "just over", "just under", "under",
)  # fmt: skip
#: regular expression alternation of :data:`QUALIFIERS`, longest first
QUALIFIER = "|".join(sorted(QUALIFIERS, key=len, reverse=True))
_QUAL_LEFT = re.compile(rf"(?:^|\s)(?P<qual>{QUALIFIER})\s+$", re.I)

# ----------------------------------------------------------------------------- measures
#: unit words -> normalised unit
MEASURE_UNITS = {
    "kilometres": "km", "kilometers": "km", "km": "km", "metres": "m", "meters": "m",
    "miles": "mi", "millimetres": "mm", "millimeters": "mm", "mm": "mm", "centimetres": "cm",
    "centimeters": "cm", "cm": "cm", "feet": "ft", "hectares": "ha", "acres": "acre",
    "tonnes": "t", "tons": "t", "litres": "l", "liters": "l", "degrees": "deg",
}  # fmt: skip
_MEASURE = re.compile(rf"(?P<num>{NUMBER})(?:\s+|-)(?P<unit>{'|'.join(MEASURE_UNITS)})\b", re.I)
#: what a measure is of: "a depth of about 10 km", "10 km of rain", "9 km south of Kelmir"
_ATTR_LEFT = re.compile(rf"\b(?P<attr>[a-z]{{3,}})\s+of\s+(?:(?:{QUALIFIER})\s+)?$")
_ATTR_RIGHT = re.compile(
    r"\s+(?:(?:of|in)\s+(?P<what>[a-z]{3,})|(?P<dir>offshore|off|south|north|east|west|"
    r"south-?east|south-?west|north-?east|north-?west|from|away|downstream|upstream|deep|high|"
    r"long|wide|tall)\b(?:\s+(?:of|from))?(?:\s+(?:the\s+)?(?:(?:coast|town|city|village|"
    r"centre|center)\s+of\s+)?(?P<place>[A-Z][\w-]+(?:\s+[A-Z][\w-]+)*))?)"
)
_MAGNITUDE = re.compile(r"\bmagnitude(?:\s+of)?\s+(?P<num>\d{1,2}(?:\.\d)?)\b", re.I)


@dataclass(frozen=True, slots=True)
class Measure:
    """A measured quantity in a text: offsets of the whole expression and of the number, the
    number as written, its normalised unit (None for a magnitude), what it measures
    ("depth", "rain", "distance south of Kelmir"; the unit when not stated) and qualifier."""

    start: int
    end: int
    number_start: int
    number_end: int
    number: str
    unit: str | None
    subject: str
    qualifier: str | None


def _measure_subject(text: str, match: re.Match[str], q_start: int, unit: str) -> str:
    attr = _ATTR_LEFT.search(text, 0, q_start)
    right = _ATTR_RIGHT.match(text, match.end())
    if attr is not None and attr.end() == q_start:
        return attr.group("attr")
    if right is None:
        return unit
    if right.group("what"):
        return right.group("what")
    direction, place = right.group("dir").lower(), right.group("place")
    if not place:
        return f"distance {direction}"
    link = "" if direction in ("from", "off") else " of"
    return f"distance {direction}{link} {place}"


def find_measures(text: str) -> list[Measure]:
    """Measures in ``text`` in order: "a depth of about 10 kilometres" -> (10, "km", "depth",
    "about"); "magnitude 6.1" -> (6.1, None, "magnitude")."""
    found = [
        Measure(m.start(), m.end(), m.start("num"), m.end("num"), m.group("num"), None,
                "magnitude", None)
        for m in _MAGNITUDE.finditer(text)
    ]  # fmt: skip
    for match in _MEASURE.finditer(text):
        unit = MEASURE_UNITS[match.group("unit").lower()]
        left = _QUAL_LEFT.search(text, 0, match.start())
        qualifier = left.group("qual") if left and left.end() == match.start() else None
        q_start = left.start("qual") if qualifier and left else match.start()
        found.append(
            Measure(match.start(), match.end(), match.start("num"), match.end("num"),
                    match.group("num"), unit, _measure_subject(text, match, q_start, unit),
                    qualifier and qualifier.lower())
        )  # fmt: skip
    return sorted(found, key=lambda m: m.start)
