"""Temporal tagger: earnings-report periods, vague durations and tense cues (issue 18)."""

from __future__ import annotations

from datetime import date

from storyline.annotate.timex import tag

DCT = date(1989, 11, 2)  # a Thursday


def found(text: str, dct: date = DCT) -> list[tuple[str, str, str | None]]:
    return [(t.text, t.type, t.value) for t in tag(text, dct)]


def test_year_named_by_its_end_is_a_duration() -> None:
    text = "Net income for the year ended Aug. 31 rose. In the fiscal year ending June 30 it fell."
    got = found(text)
    assert ("the year", "DURATION", "P1Y") in got
    assert ("the fiscal year", "DURATION", "P1Y") in got
    assert found("Sales rose in the year.")[0][1:] == ("DATE", "1989")  # not followed by "ended"


def test_year_ago_compares_with_the_quarter_under_report_without_chaining() -> None:
    text = (
        "In the third quarter, the company earned $4 million. In the year-earlier period, "
        "it earned $3 million. Prices were higher than a year ago."
    )
    values = {t: v for t, _, v in found(text)}
    assert values["the third quarter"] == "1989-Q3"
    assert values["the year-earlier period"] == "1988-Q3"
    assert values["a year ago"] == "1988-Q3"  # not 1987-Q3: counted from the quarter again


def test_year_period_and_latest_period_take_the_quarter_of_the_report() -> None:
    text = (
        "Profit fell in the third quarter. It earned $376,000 in the 1988 quarter. "
        "Revenue in the latest period was $2 billion. Year-earlier sales were flat."
    )
    values = {t: v for t, _, v in found(text)}
    assert values["the 1988 quarter"] == "1988-Q3"
    assert values["the latest period"] == "1989-Q3"
    assert values["Year-earlier"] == "1988-Q3"
    assert found("The 1988 period was hard.")[0][2] == "1988"  # no quarter to take


def test_recent_weeks_months_and_years_are_vague_durations() -> None:
    assert found("Prices fell in recent months.") == [("recent months", "DURATION", "PXM")]
    assert found("Talks stalled in recent weeks.") == [("recent weeks", "DURATION", "PXW")]
    assert found("Kidnappings rose in recent years.") == [("recent years", "DURATION", "PXY")]


def test_capitalised_words_are_not_past_tense_cues() -> None:
    # "United" is a name, not a verb in -ed: "would" governs the weekday (the next Thursday)
    dct = date(2000, 4, 5)  # a Wednesday
    text = "The father would be traveling to the United States Thursday with his wife."
    assert found(text, dct) == [("Thursday", "DATE", "2000-04-06")]
    assert found("The father traveled to the city Thursday.", dct)[0][2] == "2000-03-30"
