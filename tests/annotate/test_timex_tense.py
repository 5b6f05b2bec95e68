"""Tense cues: the fast scan finds exactly what the whole pattern finds everywhere."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from storyline.annotate.timex_tense import _TENSE_CUES, _cue_matches

#: words and pieces that start, end or break cues, in several cases
PIECES = [
    "will",
    "Won't",
    "wouldn't",
    "WILL",
    "is to",
    "are due",
    "scheduled to",
    "was scheduled to",
    "had been expected to",
    "plans to",
    "'ll",
    "we'll",
    "THEY'LL",
    "opens",
    "takes effect",
    "go to the polls",
    "was",
    "Were",
    "said",
    "ago",
    "to last",
    "last",
    "reported",
    "Reported",
    "freed",
    "re-elected",
    "the voted",
    "a wanted",
    "be elected",
    "x_was",
    "o'clock",
    "is",
    "has",
    "ſaid",
    "2ed",
    "ed",
    "Tuesday",
    "on",
    "that",
    ";",
    ",",
    ".",
    " ",
    "  ",
    "\n",
    "-",
]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=30), st.data())
def test_fast_scan_equals_the_pattern_everywhere(pieces: list[str], data: st.DataObject) -> None:
    text = " ".join(pieces)
    lo = data.draw(st.integers(0, len(text)))
    hi = data.draw(st.integers(lo, len(text)))
    expected = [(m.span(), m.lastgroup) for m in _TENSE_CUES.finditer(text, lo, hi)]
    assert [(m.span(), m.lastgroup) for m in _cue_matches(text, lo, hi)] == expected


def test_cues_of_a_news_sentence() -> None:
    text = "Officials said on Monday that talks, which were scheduled to resume, will open soon."
    found = [(m.group(), m.lastgroup) for m in _cue_matches(text, 0, len(text))]
    assert found == [("said", "past"), ("were scheduled to", "pres2"), ("will", "fut")]
