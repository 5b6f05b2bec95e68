"""Tests of the temporal tagger: one block per rule family, DCT 2023-01-31 (a Tuesday)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from storyline.annotate.timex import (
    calendar_date,
    find_timexes,
    resolve_timexes,
    split_sentences,
    tag,
    timex_json,
)
from storyline.model import Timex

from .conftest import the_timex

DCT = date(2023, 1, 31)
SEEDS = Path(__file__).resolve().parents[3] / "shared" / "seeds"


def get(text: str, phrase: str, dct: date | None = DCT) -> Timex:
    return the_timex(text, phrase, dct)


def value(text: str, phrase: str, dct: date | None = DCT) -> str | None:
    found: str | None = get(text, phrase, dct).value
    return found


# --- weekdays ---------------------------------------------------------------------------


def test_weekdays_in_past_tense_seed_sentences() -> None:
    assert (
        value(
            "Egyptian President Abdel-Fattah al-Sisi held talks in Cairo on Monday with US "
            "Secretary of State Antony Blinken.",
            "Monday",
        )
        == "2023-01-30"
    )
    late = get(
        "Abbas met with CIA chief William Burns in Ramallah late on Sunday to discuss the "
        "dangerous developments.",
        "late on Sunday",
    )
    assert (late.value, late.mod, late.type) == ("2023-01-29", "END", "DATE")
    assert (
        value("On Friday, at least seven Israelis were killed in a shooting attack.", "Friday")
        == "2023-01-27"
    )
    assert (
        value(
            "An Israeli raid on the densely populated Jenin refugee camp on Thursday resulted "
            "in the deaths of ten people.",
            "Thursday",
        )
        == "2023-01-26"
    )


def test_weekday_with_part_of_day_last_and_next() -> None:
    night = get("Seven people were killed in East Jerusalem Friday night.", "Friday night")
    assert (night.type, night.value, calendar_date(night.value)) == (
        "TIME",
        "2023-01-27TNI",
        "2023-01-27",
    )
    assert value("Last Monday in Cairo, Blinken discussed tension.", "Last Monday") == "2023-01-30"
    assert value("He will return next Tuesday.", "next Tuesday") == "2023-02-07"


def test_bare_weekday_direction_follows_tense() -> None:
    assert value("The minister arrived on Thursday.", "Thursday") == "2023-01-26"
    assert value("The minister will arrive on Thursday.", "Thursday") == "2023-02-02"
    assert value("The minister is scheduled to arrive Thursday.", "Thursday") == "2023-02-02"
    assert value("The minister had left on Tuesday.", "Tuesday") == "2023-01-31"


# --- months, seasons, years, decades, quarters -------------------------------------------


def test_months_follow_tense() -> None:
    assert (
        value("In November, Tehran admitted to supplying Moscow with drones.", "November")
        == "2022-11"
    )
    assert value("Netanyahu will visit the White House in February.", "February") == "2023-02"
    assert value("Prices fell last November.", "last November") == "2022-11"


def test_seasons_years_decades_centuries() -> None:
    assert value("Sales fell last fall.", "last fall") == "2022-FA"
    assert value("The talks resumed in the summer of 2019.", "the summer of 2019") == "2019-SU"
    assert value("The wall fell in 1989.", "1989") == "1989"
    assert value("It was built in the 1990s.", "the 1990s") == "199"
    late = get("It began in the late 1970s.", "the late 1970s")
    assert (late.value, late.mod) == ("197", "END")
    assert value("It was the bloodiest war of the 20th century.", "the 20th century") == "19"
    assert [t.text for t in tag("The firm hired 2000 workers.", DCT)] == []


def test_spoken_years_and_month_of_relative_year() -> None:
    assert value("He was convicted in nineteen ninety-one.", "nineteen ninety-one") == "1991"
    assert value("The goal is the year two thousand.", "the year two thousand") == "2000"
    assert value("In January this year, police arrived.", "January this year") == "2023-01"
    assert value("But in June last year, the leaders met.", "June last year") == "2022-06"


def test_year_ago_and_next_years_quarters() -> None:
    assert value("It earned more in the year-ago third quarter.", "the year-ago third quarter") == (
        "2022-Q3"
    )
    assert value("It could close in next year's first quarter.", "next year's first quarter") == (
        "2024-Q1"
    )


def test_quarters_and_halves() -> None:
    assert value("Profit rose in the third quarter.", "the third quarter") == "2022-Q3"
    assert value("Profit will rise in the first quarter.", "the first quarter") == "2023-Q1"
    assert value("Profit rose in the fourth quarter of 2021.", "the fourth quarter of 2021") == (
        "2021-Q4"
    )
    assert value("Sales rose in the first half of 2022.", "the first half of 2022") == "2022-H1"


def test_beginning_and_end_of_periods() -> None:
    start = get(
        "The conflict has killed 35 Palestinians since the beginning of the year.",
        "the beginning of the year",
    )
    assert (start.value, start.mod) == ("2023", "START")
    end = get(
        "Netanyahu assumed control of the government at the end of last year.",
        "the end of last year",
    )
    assert (end.value, end.mod) == ("2022", "END")
    early = get("The attacks increased earlier this month.", "earlier this month")
    assert (early.value, early.mod) == ("2023-01", "START")
    late = get("The government was sworn in late last year.", "late last year")
    assert (late.value, late.mod) == ("2022", "END")


def test_relative_units() -> None:
    assert value("Officials met last week.", "last week") == "2023-W04"
    assert value("They will meet next month.", "next month") == "2023-02"
    assert value("Sales rose this year.", "this year") == "2023"
    assert value("The raid happened two weeks ago.", "two weeks ago") == "2023-W03"
    assert value("The raid happened three days ago.", "three days ago") == "2023-01-28"
    assert value("He left a year ago.", "a year ago") == "2022"


def test_anchored_expressions_use_preceding_date() -> None:
    text = (
        "On Friday, seven Israelis were killed, a day after nine Palestinians were killed. "
        "The previous day, the army raided Jenin. The next day, protests began."
    )
    # "a day after <event>": a duration before an event (TimeML), never an anchor
    after = get(text, "a day")
    assert (after.type, after.value) == ("DURATION", "P1D")
    prev = get(text, "The previous day")
    assert (prev.value, prev.anchor) == ("2023-01-26", "2023-01-27")
    assert get(text, "The next day").value == "2023-01-27"
    # no earlier date: anchored on the DCT
    alone = get("The previous day, the army raided Jenin.", "The previous day")
    assert (alone.value, alone.anchor) == ("2023-01-30", "2023-01-31")


def test_long_offset_before_an_event_is_a_duration() -> None:
    found = tag("It wasn't until twenty years after the first flight that women flew.", DCT)
    assert [(t.text, t.type, t.value) for t in found] == [("twenty years", "DURATION", "P20Y")]
    later = get("On Friday he was shot. Two days later, he died.", "Two days later")
    assert (later.value, later.anchor) == ("2023-01-29", "2023-01-27")


def test_since_year_and_deictic_days() -> None:
    assert value("Killed in East Jerusalem since 1967 and more.", "1967") == "1967"
    assert value("Yesterday the talks ended.", "Yesterday") == "2023-01-30"
    assert value("The talks end today.", "today") == "2023-01-31"
    tonight = get("He speaks tonight.", "tonight")
    assert (tonight.type, tonight.value) == ("TIME", "2023-01-31TNI")
    assert value("He spoke this morning.", "this morning") == "2023-01-31TMO"
    assert value("He will speak tomorrow.", "tomorrow") == "2023-02-01"


# --- durations, sets, fuzzy references -------------------------------------------------


def test_durations_with_number_words() -> None:
    assert value("The visit lasted three days.", "three days") == "P3D"
    assert value("Violence rose over the past decade.", "the past decade") == "P10Y"
    assert value("He was held for 48 hours.", "48 hours") == "PT48H"
    assert value("He was held for twenty-four hours.", "twenty-four hours") == "PT24H"
    assert value("It took two and a half years.", "two and a half years") == "P2Y6M"
    assert get("It took two weeks.", "two weeks").type == "DURATION"
    more = get("They waited more than four hours.", "more than four hours")
    assert (more.value, more.mod) == ("PT4H", "MORE_THAN")
    assert value("Prices rose in the past few years.", "the past few years") == "PXY"


def test_sets() -> None:
    assert value("The festival happens every year.", "every year") == "P1Y"
    assert value("The magazine appears weekly.", "weekly") == "P1W"
    each = get("They protest each Monday.", "each Monday")
    assert (each.type, each.value) == ("SET", "XXXX-WXX-1")
    assert value("They meet twice a month.", "twice a month") == "P1M"


def test_fuzzy_references() -> None:
    assert value("Tension has risen recently.", "recently") == "PAST_REF"
    assert value("Israel now faces a choice.", "now") == "PRESENT_REF"
    assert value("He is currently in Cairo.", "currently") == "PRESENT_REF"
    assert value("Talks will resume soon.", "soon") == "FUTURE_REF"
    assert value("Talks may resume in the future.", "the future") == "FUTURE_REF"
    assert value("It blamed the current weakness.", "current") == "PRESENT_REF"
    assert value("It followed the recent sale.", "recent") == "PAST_REF"
    assert value("It will slow in coming months.", "coming months") == "PXM"  # a duration


# --- explicit dates and times ------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("The meeting was on Jan. 30 in Cairo.", "Jan. 30"),
        ("The meeting was on 30 January 2023 in Cairo.", "30 January 2023"),
        ("The meeting was on 2023-01-30 in Cairo.", "2023-01-30"),
        ("The meeting was on January 30th in Cairo.", "January 30th"),
        ("The meeting was on Jan 30, 2023 in Cairo.", "Jan 30, 2023"),
        ("The meeting was on 1/30/2023 in Cairo.", "1/30/2023"),
        ("The meeting was on Monday, Jan. 30, 2023 in Cairo.", "Monday, Jan. 30, 2023"),
    ],
)
def test_explicit_dates(text: str, phrase: str) -> None:
    assert value(text, phrase) == "2023-01-30"


def test_month_day_year_choice() -> None:
    # a weekday fixes the year; a deadline is just ahead; a past event is behind
    assert value("The paper said on Thursday, Oct. 26: the murder...", "Thursday, Oct. 26") == (
        "2023-10-26"
    )
    assert value("The boy must be returned by Feb. 14.", "Feb. 14") == "2023-02-14"
    assert value("The dividend is payable Dec. 7.", "Dec. 7", date(1989, 10, 27)) == "1989-12-07"
    assert value("The Nov. 23 attack killed five.", "Nov. 23") == "2022-11-23"


def test_ambiguous_numeric_date_is_not_tagged() -> None:
    assert tag("The meeting was on 1/2/2023.", DCT) == []


def test_explicit_dates_resolve_without_dct_and_relative_ones_wait() -> None:
    found = {t.text: t.value for t in tag("On Jan. 30, 2023 he met Sisi; on Friday he left.", None)}
    assert found == {"Jan. 30, 2023": "2023-01-30", "Friday": None}


def test_times() -> None:
    t = get("The talks began at 3 p.m. in Cairo.", "3 p.m.")
    assert (t.type, t.value) == ("TIME", "2023-01-31T15:00")
    both = get("Talks began at 10:30 a.m. Monday.", "10:30 a.m. Monday")
    assert (both.type, both.value) == ("TIME", "2023-01-30T10:30")
    assert value("The talks end Friday at 9 a.m. sharp.", "Friday at 9 a.m.") == (
        "2023-01-27T09:00"
    )


# --- API -----------------------------------------------------------------------------------


def test_find_timexes_keeps_provenance_and_offsets() -> None:
    text = "First line.\n\nOn Friday, seven were killed. Talks end on Monday."
    sentences = split_sentences(text, "a1")
    assert [s.text for s in sentences] == [
        "First line.",
        "On Friday, seven were killed.",
        "Talks end on Monday.",
    ]
    found = find_timexes("a1", text, sentences, DCT)
    assert [(t.article, t.sentence, t.text, text[t.start : t.end]) for t in found] == [
        ("a1", 1, "Friday", "Friday"),
        ("a1", 2, "Monday", "Monday"),
    ]


def test_resolve_timexes_fills_values_once_date_known() -> None:
    text = "Blinken arrived on Monday. He met Abbas on Jan. 3, 2021."
    sentences = split_sentences(text, "x")
    unresolved = find_timexes("x", text, sentences, None)
    assert [t.value for t in unresolved] == [None, "2021-01-03"]
    resolved = resolve_timexes(unresolved, text, sentences, DCT)
    assert [t.value for t in resolved] == ["2023-01-30", "2021-01-03"]
    assert resolved[0].anchor == "2023-01-31"


def test_timex_json_offsets_into_text_as_given() -> None:
    text = "« Talks » ended on Monday — “late on Sunday” too."
    records = timex_json(text, DCT)
    assert json.loads(json.dumps(records)) == records
    for record in records:
        assert text[record["start"] : record["end"]] == record["text"]
    assert [(r["text"], r["value"]) for r in records] == [
        ("Monday", "2023-01-30"),
        ("late on Sunday", "2023-01-29"),
    ]


def test_seed_article_dates() -> None:
    path = SEEDS / "002_7aab83144a0a2c32.txt"
    if not path.exists():
        pytest.skip("shared seeds not available")
    text = path.read_text(encoding="utf-8")
    found = {(t.text, t.value) for t in tag(text, DCT)}
    for expected in [
        ("Monday", "2023-01-30"),
        ("late on Sunday", "2023-01-29"),
        ("Thursday", "2023-01-26"),
        ("the beginning of the year", "2023"),
        ("the end of last year", "2022"),
    ]:
        assert expected in found, sorted(found, key=str)
    # the date header is the article's own date, an explicit ISO date
    assert ("2023-01-31", "2023-01-31") in found
