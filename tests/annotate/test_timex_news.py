"""Tests of the temporal tagger on expressions common in current news and rare in TBAQ:
clock times in GMT, fortnights, seasonal sets, fiscal quarters and quarters named by their
end, parts of a named year, scheduled events in the present tense, datelines, offsets
before an event, "the past year/week/decade". DCT 2013-03-14 (a Thursday) unless given."""

from __future__ import annotations

from datetime import date

from storyline.annotate.timex import tag
from storyline.model import Timex

from .conftest import the_timex

DCT = date(2013, 3, 14)


def get(text: str, phrase: str, dct: date | None = DCT) -> Timex:
    return the_timex(text, phrase, dct)


def typed(text: str, phrase: str, dct: date | None = DCT) -> tuple[str, str | None]:
    timex = get(text, phrase, dct)
    return timex.type, timex.value


def test_twenty_four_hour_clock_in_gmt() -> None:
    assert typed("The ceasefire began at 1430 GMT on Monday.", "1430 GMT on Monday") == (
        "TIME",
        "2013-03-11T14:30",
    )
    # "1950 HKT" is a clock time, not the year 1950
    found = tag("Updated 1150 GMT (1950 HKT) March 14, 2013", DCT)
    assert [(t.text, t.value) for t in found] == [
        ("1150 GMT", "2013-03-14T11:50"),
        ("March 14, 2013", "2013-03-14"),
    ]
    assert [t.text for t in tag("He paid $1430 GMT fees.", DCT)] == []


def test_fortnights() -> None:
    assert typed("A fortnight ago, the figures rose.", "A fortnight ago") == ("DATE", "2013-W09")
    assert typed("The talks lasted two fortnights.", "two fortnights") == ("DURATION", "P4W")


def test_seasons_as_sets() -> None:
    assert typed("The festival takes place each spring.", "each spring") == ("SET", "XXXX-SP")
    assert typed("Every summer, they leave.", "Every summer") == ("SET", "XXXX-SU")


def test_parts_of_a_named_year() -> None:
    text = "The deal should close in the second half of the year."
    assert typed(text, "the second half of the year") == ("DATE", "2013-H2")
    text = "Growth slowed in the fourth quarter of last year."
    assert typed(text, "the fourth quarter of last year") == ("DATE", "2012-Q4")
    text = "The plant opens in the first quarter of next year."
    assert typed(text, "the first quarter of next year") == ("DATE", "2014-Q1")


def test_fiscal_quarters_and_quarters_named_by_their_end() -> None:
    # a fiscal quarter is numbered in the year of the report, even when its calendar
    # namesake is still ahead; a calendar quarter ahead in a past sentence is last year's
    text = "Oracle said Tuesday that its fiscal third-quarter profit rose 18%."
    assert typed(text, "fiscal third-quarter") == ("DATE", "2013-Q3")
    assert typed("Profit fell in the third quarter.", "the third quarter") == ("DATE", "2012-Q3")
    # "the quarter ended Feb. 28" is the quarter holding most of December-February
    text = "For the quarter ended Feb. 28, the company earned $2.5 billion."
    assert typed(text, "the quarter") == ("DATE", "2013-Q1")
    text = "Earnings for its fourth quarter ended Sept. 30 fell 50%."
    # a possessive is no part of the expression (TimeML extent), "the" is
    assert typed(text, "fourth quarter") == ("DATE", "2012-Q4")


def test_last_year_compared_with_a_quarter() -> None:
    text = (
        "Net income rose in the third quarter to $5 million, compared with a loss of "
        "$3 million last year. The company, which last year cut jobs, grew."
    )
    found = [(t.text, t.value) for t in tag(text, DCT)]
    assert found == [
        ("the third quarter", "2012-Q3"),
        ("last year", "2011-Q3"),  # the figure of that quarter a year back
        ("last year", "2012"),  # no figure compared: the year
    ]


def test_scheduled_events_in_the_present_tense_lie_ahead() -> None:
    assert get("The new law takes effect Monday.", "Monday").value == "2013-03-18"
    assert get("The team plays Saturday against Chelsea.", "Saturday").value == "2013-03-16"
    text = "The market was closed on Monday for a holiday and reopens Tuesday."
    assert get(text, "Monday").value == "2013-03-11"
    assert get(text, "Tuesday").value == "2013-03-19"
    assert get("The strike, which began Monday, went on.", "Monday").value == "2013-03-11"
    assert get("Snow is forecast for the weekend.", "the weekend").value == "2013-W11-WE"


def test_a_cue_beyond_that_belongs_to_another_clause() -> None:
    text = "Li said at a news conference on Sunday that the state would show resolve."
    assert get(text, "Sunday").value == "2013-03-10"
    assert get("He said that the meeting would be held Sunday.", "Sunday").value == "2013-03-17"


def test_a_possessive_weekday_with_will_lies_ahead() -> None:
    assert get("Sunday's election will be close.", "Sunday").value == "2013-03-17"
    assert get("Friday's vote was delayed.", "Friday").value == "2013-03-08"


def test_a_dateline_is_the_day_the_story_was_written() -> None:
    # filed on Wednesday March 13, published the next day: "today" is the dateline's day
    text = "WASHINGTON, March 13 (Xinhua) -- The Senate will vote today, aides said."
    assert get(text, "today").value == "2013-03-13"
    # a dateline a week back is not the writing day
    text = "WASHINGTON, March 7 (Xinhua) -- The Senate will vote today, aides said."
    assert get(text, "today").value == "2013-03-14"


def test_offsets_before_an_event_are_durations() -> None:
    text = "The parliament voted on Tuesday, a day after the deal was announced."
    assert typed(text, "a day") == ("DURATION", "P1D")
    assert typed("He died ten days before the trial.", "ten days") == ("DURATION", "P10D")
    # an offset from a named day still names a day
    assert typed("On Friday he was shot. Two days later, he died.", "Two days later") == (
        "DATE",
        "2013-03-10",
    )


def test_the_past_year_week_and_decade() -> None:
    assert typed("Hate groups grew over the past year.", "the past year") == ("DATE", "2012")
    # the seven days up to Thursday lie mostly in the current calendar week
    assert typed("He has been ill for the last week.", "the last week") == ("DATE", "2013-W11")
    assert typed("He has been ill for the last week.", "the last week", date(2013, 3, 11)) == (
        "DATE",
        "2013-W10",
    )
    assert typed("Crime fell over the past decade.", "the past decade") == ("DURATION", "P10Y")


def test_tokenised_text_keeps_dates_whole() -> None:
    text = "The plane was unveiled on February 17 , 2005 in Seattle ."
    assert typed(text, "February 17 , 2005") == ("DATE", "2005-02-17")
    text = "On Monday , Oct. 26 , 1998 , he spoke ."
    assert typed(text, "Monday , Oct. 26 , 1998") == ("DATE", "1998-10-26")
    assert get("Wednesday 's ruling was appealed .", "Wednesday").value == "2013-03-13"


def test_a_date_naming_an_event_is_no_deadline() -> None:
    # "by the Feb. 23 accord": the accord was signed, the date is past
    text = "Monitors went in as laid down by the Feb. 23 accord."
    assert get(text, "Feb. 23").value == "2013-02-23"
    assert get("They must answer by March 23.", "March 23").value == "2013-03-23"


def test_verbs_mostly_precede_their_time() -> None:
    # "appeared ... Tuesday" governs the weekday more than "is due" after it
    text = "The suspect appeared in court Tuesday and is due back on April 2."
    assert get(text, "Tuesday").value == "2013-03-12"
    assert get(text, "April 2").value == "2013-04-02"


def test_years_after_pre_and_post() -> None:
    text = "The post-1959 exodus followed the pre-2008 boom."
    found = [(t.text, t.value) for t in tag(text, DCT)]
    assert found == [("1959", "1959"), ("2008", "2008")]
    assert [t.text for t in tag("The 12-1990 case.", DCT)] == []


def test_a_year_back_figure_is_no_new_anchor() -> None:
    text = (
        "Profit rose in the third quarter to $5 million, compared with $3 million last year. "
        "The year-ago results included a charge."
    )
    assert get(text, "The year-ago").value == "2011-Q3"


def test_the_second_month_or_day_of_a_range_follows_the_first() -> None:
    dct = date(2015, 11, 27)
    text = "Most ads were reserved in December and January in the two states."
    assert [(t.text, t.value) for t in tag(text, dct)] == [
        ("December", "2015-12"),
        ("January", "2016-01"),
    ]
    text = "The festival ran from Dec. 28 to Jan. 3."
    assert get(text, "Jan. 3", dct).value == "2016-01-03"
    # a day range keeps its first day; a vote tally is no date
    assert get("The poll ran Jan. 21-26.", "Jan. 21").value == "2013-01-21"
    assert [t.text for t in tag("The March 3-2 vote.", DCT)] == []


def test_names_that_contain_time_words() -> None:
    text = "He told USA Today on Sunday, after Super Tuesday, that the Daily News erred."
    assert [t.text for t in tag(text, DCT)] == ["Sunday"]
    assert get("Shares fell on Monday.", "Monday").value == "2013-03-11"


def test_plans_told_in_the_past_take_the_nearest_day() -> None:
    # written on Thursday: "was scheduled to ... Tuesday" is two days back, "was expected to
    # arrive Friday" is the next day
    text = "He was scheduled to leave late Tuesday. She was expected to arrive Friday."
    assert get(text, "late Tuesday").value == "2013-03-12"
    assert get(text, "Friday").value == "2013-03-15"


def test_more_tense_cues() -> None:
    text = "Much of it wouldn't reach states before September."
    assert get(text, "September").value == "2013-09"
    # "a contested convention": a participle used as an adjective is no past-tense cue
    text = "That would set the stage for a contested convention in July."
    assert get(text, "July").value == "2013-07"


def test_months_of_a_named_year_and_clock_offsets() -> None:
    text = "The attacks in Paris in January of last year shocked."
    assert typed(text, "January of last year") == ("DATE", "2012-01")
    assert typed("The show came out 20 minutes ago.", "20 minutes ago") == ("DATE", "2013-03-14")


def test_fractions_of_a_count_are_no_durations() -> None:
    text = "With roughly three-quarters of precincts tallied, he led."
    assert [t.text for t in tag(text, DCT)] == []
    assert typed("Losses ran for several quarters.", "several quarters") == ("DURATION", "PXQ")


def test_named_days_with_last_next_and_weeks_named_by_a_day() -> None:
    dct = date(2010, 3, 18)
    text = "A conference will take place next March 11 in New York."
    assert typed(text, "next March 11", dct) == ("DATE", "2011-03-11")
    assert typed("He left last May 5.", "last May 5", dct) == ("DATE", "2009-05-05")
    text = "It may be settled in a hearing the week of March 6."
    assert typed(text, "the week of March 6") == ("DATE", "2013-W10")


def test_movable_feasts() -> None:
    text = "Protests went on during Easter week."
    assert typed(text, "Easter week", date(2000, 4, 17)) == ("DATE", "2000-W16")
    assert typed("Shops will close on Good Friday.", "Good Friday") == ("DATE", "2013-03-29")
    assert typed("Thanksgiving Day 1999 was cold.", "Thanksgiving Day 1999") == (
        "DATE",
        "1999-11-25",
    )
    assert [t.text for t in tag("He was a good friend.", DCT)] == []


def test_age_differences_are_no_durations() -> None:
    text = "Mr. Bennett is a few years older than my son and 12 years younger than me."
    assert [t.text for t in tag(text, DCT)] == []
    assert typed("He served 12 years.", "12 years") == ("DURATION", "P12Y")
