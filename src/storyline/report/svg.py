"""Geometry of the inline SVG charts: a story's timeline and a sparkline of articles per day.

Pure functions from dates to coordinates. They produce numbers and plain strings only; the
Jinja templates turn them into SVG elements with autoescaping on, so no markup is built here.
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from storyline.report.queries import DayCount

#: chart width in SVG user units; the plot area for dates and the text column beside it
WIDTH = 760
PLOT_LEFT, PLOT_RIGHT = 96, 330
TEXT_LEFT = 344
ROW = 22
TOP = 34
MAX_ENTRIES = 80
LABEL_CHARS = 62
#: dates further than this before the first / after the last article go to the gutters
BEFORE_WINDOW, AFTER_WINDOW = timedelta(days=45), timedelta(days=20)


@dataclass(frozen=True, slots=True)
class Interval:
    """The days a timeline date covers: one day, a month, a year, or date..end."""

    start: date
    end: date


def interval(value: str | None, end: str | None = None) -> Interval | None:
    """The Interval of an ISO date at its precision (``2024-03-14``, ``2024-03``, ``2024``);
    None when ``value`` is not one of those shapes."""
    first = _bounds(value)
    if first is None:
        return None
    last = _bounds(end) if end else None
    return Interval(first.start, last.end if last and last.end >= first.start else first.end)


def _bounds(value: str | None) -> Interval | None:
    if not value:
        return None
    parts = value.split("-")
    if not all(p.isdigit() for p in parts) or len(parts[0]) != 4 or len(parts) > 3:
        return None
    year = int(parts[0])
    if len(parts) == 1:
        return Interval(date(year, 1, 1), date(year, 12, 31)) if year >= 1 else None
    month = int(parts[1])
    if not 1 <= month <= 12 or year < 1:
        return None
    days = calendar.monthrange(year, month)[1]
    if len(parts) == 2:
        return Interval(date(year, month, 1), date(year, month, days))
    day = int(parts[2])
    if not 1 <= day <= days:
        return None
    return Interval(date(year, month, day), date(year, month, day))


@dataclass(frozen=True, slots=True)
class ChartInput:
    """One timeline entry as the chart needs it."""

    anchor: str  # id of the entry in the timeline list, e.g. "t3"
    date: str | None
    end: str | None
    label: str  # the date as people read it
    text: str
    sources: str  # outlets, comma-separated


@dataclass(frozen=True, slots=True)
class ChartEntry:
    anchor: str
    x: float
    y: float
    width: float  # 0 for a single day
    side: str  # "", "before" or "after" (outside the plotted window)
    label: str
    text: str
    title: str


@dataclass(frozen=True, slots=True)
class Tick:
    x: float
    label: str


@dataclass(frozen=True, slots=True)
class TimelineChart:
    width: int
    height: int
    axis_y: int
    plot_left: int
    plot_right: int
    text_left: int
    ticks: tuple[Tick, ...]
    entries: tuple[ChartEntry, ...]
    hidden: int  # entries not drawn (over MAX_ENTRIES or without a usable date)


def _domain(spans: Sequence[Interval], first: date | None, last: date | None) -> Interval:
    lo = first - BEFORE_WINDOW if first else None
    hi = last + AFTER_WINDOW if last else None
    inside = [s for s in spans if (lo is None or s.end >= lo) and (hi is None or s.start <= hi)]
    if not inside:
        inside = list(spans)
    start = min(s.start for s in inside)
    end = max(s.end for s in inside)
    if lo is not None:
        start = max(start, lo)
    if hi is not None:
        end = min(end, hi)
    if end <= start:
        start, end = start - timedelta(days=1), start + timedelta(days=1)
    return Interval(start, end)


def _ticks(domain: Interval, x_of: _Scale) -> tuple[Tick, ...]:
    span = (domain.end - domain.start).days
    step = next((s for s in (1, 2, 3, 7, 14, 30, 61, 91, 182, 365) if span / s <= 6), 730)
    ticks = []
    day = domain.start
    while day <= domain.end:
        label = day.strftime("%d %b") if step < 30 else day.strftime("%b %Y")
        ticks.append(Tick(round(x_of(day), 1), label.lstrip("0")))
        day += timedelta(days=step)
    return tuple(ticks)


class _Scale:
    def __init__(self, domain: Interval) -> None:
        self.start = domain.start
        self.days = max(1, (domain.end - domain.start).days)

    def __call__(self, day: date) -> float:
        return PLOT_LEFT + (PLOT_RIGHT - PLOT_LEFT) * (day - self.start).days / self.days


def timeline_chart(
    items: Sequence[ChartInput], first_seen: date | None, last_seen: date | None
) -> TimelineChart | None:
    """Rows of dots (days) and bars (months, years, ranges) on a date axis, with the entry's
    text beside them; dates far outside the story's coverage sit in a gutter with their
    label. None when no entry has a usable date."""
    dated = [(item, span) for item in items if (span := interval(item.date, item.end))]
    if not dated:
        return None
    shown = dated[:MAX_ENTRIES]
    domain = _domain([span for _, span in shown], first_seen, last_seen)
    x_of = _Scale(domain)
    entries = []
    for row, (item, span) in enumerate(shown):
        y = TOP + row * ROW + ROW / 2
        side = "before" if span.end < domain.start else "after" if span.start > domain.end else ""
        if side:
            x, width = float(PLOT_LEFT - 14 if side == "before" else PLOT_RIGHT + 6), 0.0
        else:
            x = x_of(max(span.start, domain.start))
            width = x_of(min(span.end, domain.end)) - x if span.end > span.start else 0.0
        text = item.text if len(item.text) <= LABEL_CHARS else item.text[: LABEL_CHARS - 1] + "…"
        title = f"{item.label}: {item.text}" + (f" ({item.sources})" if item.sources else "")
        entries.append(
            ChartEntry(item.anchor, round(x, 1), y, round(width, 1), side, item.label, text, title)
        )
    return TimelineChart(
        width=WIDTH,
        height=TOP + len(shown) * ROW + 8,
        axis_y=TOP - 8,
        plot_left=PLOT_LEFT,
        plot_right=PLOT_RIGHT,
        text_left=TEXT_LEFT,
        ticks=_ticks(domain, x_of),
        entries=tuple(entries),
        hidden=len(items) - len(shown),
    )


@dataclass(frozen=True, slots=True)
class SparkBar:
    x: float
    y: float
    width: float
    height: float
    title: str


@dataclass(frozen=True, slots=True)
class Sparkline:
    width: int
    height: int
    bars: tuple[SparkBar, ...]
    label: str


def sparkline(per_day: Sequence[DayCount], width: int = 120, height: int = 24) -> Sparkline | None:
    """One bar per day from the first to the last dated article (days without articles stay
    empty); None when no article has a date. Very long spans are cut to their last 120 days."""
    if not per_day:
        return None
    counts = {d.day: d.articles for d in per_day}
    last = max(counts)
    first = max(min(counts), last - timedelta(days=119))
    days = (last - first).days + 1
    peak = max(n for d, n in counts.items() if d >= first)
    slot = width / days
    bars = []
    for offset in range(days):
        day = first + timedelta(days=offset)
        n = counts.get(day, 0)
        if n:
            h = max(2.0, (height - 2) * n / peak)
            bars.append(
                SparkBar(
                    round(offset * slot + 0.5, 2),
                    round(height - h, 2),
                    round(max(1.0, slot - 1), 2),
                    round(h, 2),
                    f"{day.isoformat()}: {n} article{'s' if n != 1 else ''}",
                )
            )
    total = sum(d.articles for d in per_day)
    label = f"{total} dated articles, {first.isoformat()} to {last.isoformat()}"
    return Sparkline(width, height, tuple(bars), label)
