"""The dateline of a news story: the day it was written for, when it opens the text.

``dateline_date`` needs the text and its DCT and gives the day of a dateline opening the
text ("WASHINGTON, March 12 (Xinhua) --", "... said in an editorial on Monday, Oct. 26:")
when it lies within three days of the DCT, else the DCT. Relative expressions count from
that day (``timex.find_timexes``).
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from storyline.annotate.timex_lexicon import MONTHS
from storyline.annotate.timex_patterns import MONTH, WEEKDAY

__all__ = ["dateline_date"]

#: "WASHINGTON, August 13 (Xinhua) --": the day the story was filed, ahead of the text
_DATELINE = re.compile(
    rf"\s*(?:[A-Z][A-Za-z.'-]*[ ,]+){{1,5}}(?P<mon>{MONTH})\s+(?P<d>\d{{1,2}})"
    r"(?:\s?,?\s+(?P<y>\d{4}))?\s*(?:\([^)\n]{1,30}\)\s*)?(?:--|—|–|-|:)"
)


#: "The New York Times said in an editorial on Monday, Oct. 26:": the day of the piece
_HEADER_DATE = re.compile(
    rf"\s*[^\n:]{{0,80}}?\bon\s+(?:{WEEKDAY}\s?,?\s+)?(?P<mon>{MONTH})\s+(?P<d>\d{{1,2}})"
    r"(?:\s?,?\s+(?P<y>\d{4}))?\s*:"
)


def dateline_date(text: str, dct: date | None) -> date | None:
    """The day of a dateline opening ``text`` ("WASHINGTON, March 12 (Xinhua) --", "... said
    in an editorial on Monday, Oct. 26:") if it is within three days of ``dct`` (the story
    was written for that day: "Friday" counts from it), else ``dct``."""
    m = _DATELINE.match(text) or _HEADER_DATE.match(text)
    if m is None or dct is None:
        return dct
    month = MONTHS[m["mon"].lower().rstrip(".")]
    try:
        day = date(int(m["y"] or dct.year), month, int(m["d"]))
        if not m["y"] and (day - dct).days > 180:
            day = date(dct.year - 1, month, day.day)  # "December 31" filed on Jan. 1
        elif not m["y"] and (dct - day).days > 180:
            day = date(dct.year + 1, month, day.day)  # "January 1" dated Dec. 31
    except ValueError:
        return dct
    if abs(dct - day) <= timedelta(days=3):
        return day
    return dct
