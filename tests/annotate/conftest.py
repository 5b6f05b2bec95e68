"""Helpers of the annotate tests."""

from __future__ import annotations

from datetime import date

from storyline.annotate.timex import tag
from storyline.model import Timex


def the_timex(text: str, phrase: str, dct: date | None) -> Timex:
    """The one expression tagged in ``text`` (against ``dct``) whose text is ``phrase``;
    fails listing what was found."""
    found = tag(text, dct)
    hits = [t for t in found if t.text == phrase]
    assert len(hits) == 1, [(t.text, t.value) for t in found]
    return hits[0]
