"""Tests of the temporal tagger's news conventions: direction cues, offsets that name no
day, ages, shares, rates and programme names. DCT 2023-01-31 (a Tuesday) unless given."""

from __future__ import annotations

from datetime import date

from storyline.annotate.timex import tag
from storyline.model import Timex

from .conftest import the_timex

DCT = date(2023, 1, 31)


def get(text: str, phrase: str, dct: date | None = DCT) -> Timex:
    return the_timex(text, phrase, dct)


def value(text: str, phrase: str, dct: date | None = DCT) -> str | None:
    found: str | None = get(text, phrase, dct).value
    return found


def test_possessive_weekday_is_a_reported_past_day() -> None:
    # DCT Tuesday 2023-01-31: "would" alone sends a bare weekday forward
    assert value("They would meet on Wednesday.", "Wednesday") == "2023-02-01"
    text = "They would look for ways to get around Wednesday's ruling."
    assert value(text, "Wednesday") == "2023-01-25"


def test_past_perfect_overrides_a_deadline_preposition() -> None:
    assert value("They must file their reports by Monday.", "Monday") == "2023-02-06"
    assert value("Ten members had filed reports by Monday.", "Monday") == "2023-01-30"
    assert value("Until Thursday, they had not called him a suspect.", "Thursday") == "2023-01-26"


def test_since_points_back_and_of_record_points_ahead() -> None:
    # "have been" is present tense: nearest would be June 2023, "since" makes it 2022
    text = "Police have been searching for him since shortly after the June 20 shooting."
    assert value(text, "June 20") == "2022-06-20"
    text = "The dividend goes to holders of record April 20, the company said."
    assert value(text, "April 20") == "2023-04-20"


def test_a_date_just_ahead_wins_over_one_a_year_back() -> None:
    text = "The alliance decided to admit them in early March."
    early = get(text, "early March", date(2023, 2, 10))
    assert (early.value, early.mod) == ("2023-03", "START")
    assert value(text, "early March", date(2023, 1, 10)) == "2022-03"  # two months ahead
    assert value("The board voted to hold the meeting on Feb. 20.", "Feb. 20") == "2023-02-20"
    # three months ahead is too far: a past sentence keeps the past date
    assert value("He was arrested in May.", "May") == "2022-05"
    assert value("He was arrested on Nov. 20.", "Nov. 20") == "2022-11-20"


def test_offsets_naming_no_day_are_durations() -> None:
    over = get("Just over an hour later, he was declared dead.", "over an hour")
    assert (over.type, over.value, over.mod) == ("DURATION", "PT1H", "MORE_THAN")
    few = get("A few days later, the firm announced a sale.", "A few days")
    assert (few.type, few.value) == ("DURATION", "PXD")
    # a counted day offset still resolves against the last day
    later = get("On Friday he was shot. Two days later, he died.", "Two days later")
    assert (later.type, later.value) == ("DATE", "2023-01-29")


def test_year_ago_comparisons_do_not_become_anchors() -> None:
    text = (
        "Net income rose in the third quarter. A year ago, it earned $4 million. "
        "Sales rose from $7 million a year earlier."
    )
    assert value(text, "the third quarter") == "2022-Q3"
    assert value(text, "A year ago") == "2021-Q3"
    assert value(text, "a year earlier") == "2021-Q3"
    # a year-level "a year ago" is the comparison year too, not a new anchor
    text = "Profit fell 5% from a year ago. Sales rose from $7 million a year earlier."
    assert value(text, "a year ago") == "2022"
    assert value(text, "a year earlier") == "2022"


def test_ages_shares_rates_and_programme_names() -> None:
    assert [t.text for t in tag("Mr. Smith, 52 years old, resigned.", DCT)] == []
    assert value("He served for 52 years.", "52 years") == "P52Y"
    assert [t.text for t in tag("Iraq imports about three-quarters of its food.", DCT)] == []
    assert value("Losses ran for three quarters.", "three quarters") == "P3Q"
    rate = get("It will cost $33 million a year.", "a year")
    assert (rate.type, rate.value) == ("SET", "P1Y")
    assert get("It took a year.", "a year").type == "DURATION"
    text = 'Baker, speaking on ABC\'s "This Week," praised CBS\'s "60 Minutes" and "High Noon."'
    assert [t.text for t in tag(text, DCT)] == []


def test_soon_as_a_signal_is_not_tagged() -> None:
    assert [t.text for t in tag("He was killed soon after being captured.", DCT)] == []
    found = tag("The group may leave as soon as Tuesday.", DCT)
    assert [t.text for t in found] == ["Tuesday"]
    assert value("Return the boy as soon as possible.", "soon") == "FUTURE_REF"


def test_halves_periods_and_spoken_years_with_months() -> None:
    assert value("Earnings fall for the last half of 1989.", "the last half of 1989") == "1989-H2"
    assert value("Profit fell last quarter.", "last quarter") == "2022-Q4"
    # no quarter named before: the quarter under report (the last completed one)
    assert value("It earned $376,000 in the 1988 quarter.", "the 1988 quarter") == "1988-Q4"
    found = tag("January nineteen ninety-seven. Atlanta again.", DCT)
    assert [(t.text, t.value) for t in found] == [("January nineteen ninety-seven", "1997-01")]
    winter = "the winter of nineteen ninety-four"
    assert value(f"The level we saw in {winter}.", winter) == "1994-WI"
