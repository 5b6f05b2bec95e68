"""Tests of the temporal tagger on web-news phrasing that TBAQ (1989-1998 newswire) rarely
has: the year in focus of a narrative paragraph, preview articles ("Tuesday's primary"),
dates naming known events, feasts and US holidays, fiscal-year codes, newspaper names with
weekdays, "-long" periods, spoken dates of transcripts. Values follow TimeML (TIMEX3).
DCT 2013-03-22 (a Friday) unless given."""

from __future__ import annotations

from datetime import date

from storyline.annotate.timex import tag

from .conftest import the_timex

DCT = date(2013, 3, 22)


def values(text: str, dct: date | None = DCT) -> list[tuple[str, str | None]]:
    return [(t.text, t.value) for t in tag(text, dct)]


def value(text: str, phrase: str, dct: date | None = DCT) -> str | None:
    return the_timex(text, phrase, dct).value


def test_a_sentence_opening_year_is_the_year_in_focus() -> None:
    text = "In 2008, the bank collapsed in mid-September, and in October it was sold."
    found = tag(text, DCT)
    assert [(t.text, t.value, t.mod) for t in found] == [
        ("2008", "2008", None),
        ("mid-September", "2008-09", "MID"),
        ("October", "2008-10", None),
    ]
    # a month and year frame, a day and a season in it
    text = "In September 2008, Lehman failed; on Sept. 15 its shares collapsed."
    assert value(text, "Sept. 15") == "2008-09-15"
    assert value("In 2009, prices fell in the spring.", "the spring") == "2009-SP"


def test_the_focus_lasts_for_the_paragraph_until_a_date_counted_from_today() -> None:
    text = "In 2008, the bank failed. In September, it was sold."
    assert value(text, "September") == "2008-09"
    # a later explicit year moves the focus; "last week" brings the story back to now
    text = (
        "In 2008, the bank failed. In 2010 it was sold in March. "
        "Last week its chief said profits rose in February."
    )
    assert values(text) == [
        ("2008", "2008"),
        ("2010", "2010"),
        ("March", "2010-03"),
        ("Last week", "2013-W11"),
        ("February", "2013-02"),
    ]
    # a new paragraph starts without a focus
    assert value("In 2008, the bank failed.\n\nIn February, it reopened.", "February") == (
        "2013-02"
    )


def test_a_year_inside_a_sentence_is_no_frame() -> None:
    # "invited in July 1997" does not move "March 12" to 1997 (DCT 1999-02-27)
    text = "The three, invited in Madrid in July 1997, will officially join NATO on March 12."
    assert value(text, "March 12", date(1999, 2, 27)) == "1999-03-12"
    # a future-tense clause is not in a past year in focus
    text = "During 2009 the economy shrank, and it will grow in June."
    assert value(text, "June") == "2013-06"


def test_possessive_weekday_in_a_preview_is_the_coming_day() -> None:
    sunday = date(2013, 3, 17)
    assert value("Voters head to the polls for Tuesday's primary.", "Tuesday", sunday) == (
        "2013-03-19"
    )
    # reported in the past tense: the day before
    assert value("Turnout in Tuesday's primary was low.", "Tuesday", sunday) == "2013-03-12"
    assert value("Friday's ruling was a blow to the family.", "Friday", sunday) == "2013-03-15"
    # "ahead of" counts from the last day named, else from the DCT
    text = "Candidates made their final pitches on Monday ahead of Tuesday's primary."
    assert values(text, sunday) == [("Monday", "2013-03-11"), ("Tuesday", "2013-03-12")]
    text = "Stocks rose ahead of Tuesday's vote."
    assert value(text, "Tuesday", sunday) == "2013-03-19"
    # no cue and the day last week is nearer: a past day
    assert value("It traded at a premium over Thursday's close.", "Thursday") == "2013-03-21"


def test_a_date_naming_a_known_event_is_a_past_one() -> None:
    dct = date(2010, 12, 10)
    text = "Chile is still rebuilding after the February 27 earthquake."
    assert value(text, "February 27", dct) == "2010-02-27"
    assert value("Aid for victims of the February earthquake continues.", "February", dct) == (
        "2010-02"
    )
    # a future cue in the sentence, or a date only days ahead, keeps the coming one
    assert value("The March 5 vote is expected to be close.", "March 5", dct) == "2011-03-05"
    assert value("Officials say the Dec. 20 deadline stands.", "Dec. 20", dct) == "2010-12-20"
    # a deadline lies ahead however far off it is
    assert value("Officials say the Feb. 27 deadline stands.", "Feb. 27", dct) == "2011-02-27"


def test_soon_in_past_narrative_is_no_time() -> None:
    text = "Cash came from Miami in a trickle that soon became a flood."
    assert [t.text for t in tag(text, DCT)] == []
    assert value("The budget will soon move into surplus.", "soon") == "FUTURE_REF"


def test_march_inside_a_sentence_is_the_month_but_not_a_march() -> None:
    assert values("It was the coldest March since 1962.") == [
        ("March", "2013-03"),
        ("1962", "1962"),
    ]
    assert values("Crowds joined the annual March for Life.") == []
    assert values("March on Washington, they cried.") == []


def test_spoken_days_of_broadcast_transcripts() -> None:
    text = "International Women's Day is this coming Sunday, March eighth."
    assert values(text, date(1998, 3, 5)) == [("this coming Sunday, March eighth", "1998-03-08")]
    assert value("It ends March the twenty first.", "March the twenty first") == "2013-03-21"


def test_fiscal_year_codes() -> None:
    text = "The fiscal year 2013 budget and FY2014 plans, FY 15 and FY'16, were released."
    assert values(text) == [
        ("fiscal year 2013", "2013"),
        ("FY2014", "2014"),
        ("FY 15", "2015"),
        ("FY'16", "2016"),
    ]


def test_feasts_and_us_holidays() -> None:
    text = (
        "The pope will celebrate Palm Sunday and Holy Thursday; he was elected after Ash Wednesday."
    )
    assert values(text) == [
        ("Palm Sunday", "2013-03-24"),
        ("Holy Thursday", "2013-03-28"),
        ("Ash Wednesday", "2013-02-13"),
    ]
    # a semicolon ends a clause: "was elected" does not send Easter back a year
    assert value("He will say Mass at Easter; he was elected last week.", "Easter") == (
        "2013-03-31"
    )
    text = "Stores open on Memorial Day, Mother's Day and Martin Luther King Jr. Day."
    assert values(text, date(2013, 1, 2)) == [
        ("Memorial Day", "2013-05-27"),
        ("Mother's Day", "2013-05-12"),
        ("Martin Luther King Jr. Day", "2013-01-21"),
    ]
    assert value("Parades marked St. Patrick's Day.", "St. Patrick's Day") == "2013-03-17"
    assert value("Sales on Labor Day 2012 fell.", "Labor Day 2012") == "2012-09-03"


def test_newspaper_and_programme_names_are_no_weekdays() -> None:
    text = (
        "The Sunday Times and the Mail on Sunday reported on Saturday "
        "that Saturday Night Live was cancelled."
    )
    assert values(text) == [("Saturday", "2013-03-16")]


def test_long_periods_as_adjectives() -> None:
    text = (
        "A month-long strike, a two-week-long trip and an hour-long speech "
        "ended a decades-long feud."
    )
    assert values(text) == [
        ("month-long", "P1M"),
        ("two-week-long", "P2W"),
        ("hour-long", "PT1H"),
        ("decades-long", "PXY"),
    ]
    assert value("For decades, the town has flooded.", "decades") == "PXY"


def test_verb_last_is_no_part_of_a_duration() -> None:
    text = "The trial is expected to last several weeks and begin in the spring."
    assert values(text) == [("several weeks", "PXW"), ("the spring", "2013-SP")]
    assert value("Prices fell over the last three years.", "the last three years") == "P3Y"


def test_a_deadline_that_had_been_scheduled_is_the_nearest_day() -> None:
    # DCT Monday 1989-10-30: the offer had been due to expire on the Friday just past
    text = "The offer previously had been scheduled to expire at midnight Friday."
    assert value(text, "midnight Friday", date(1989, 10, 30)) == "1989-10-27T24:00"


def test_offsets_after_a_year_and_rates_after_a_number_word() -> None:
    dct = date(2008, 3, 1)
    text = "The first aircraft can be tested in 2010 and in operation three years afterwards."
    assert value(text, "three years afterwards", dct) == "2013"
    # "end" is a verb here, not the mod of "the end of"
    text = "The planes start delivering in 2011 and end two years later."
    found = [(t.text, t.value, t.mod) for t in tag(text, dct)]
    assert found == [("2011", "2011", None), ("two years later", "2013", None)]
    text = "Production rises from two a month to ten."
    assert [(t.text, t.type, t.value) for t in tag(text, dct)] == [("a month", "SET", "P1M")]


def test_extents_leave_out_prepositions_possessives_and_adjectival_determiners() -> None:
    # TimeML extents: "within" is a signal, "its" a possessive, "a two day" an adjective
    assert values("Iraq must withdraw within a week.") == [("a week", "P1W")]
    text = "Earnings for its third quarter rose after a two day meeting and the six year term."
    assert values(text) == [("third quarter", "2012-Q3"), ("two day", "P2D"), ("six year", "P6Y")]
    # a determiner before a plural or a single period stays
    assert values("The two days and a year passed.") == [("The two days", "P2D"), ("a year", "P1Y")]
    assert values("In the weeks ahead, prices will rise.") == [("the weeks ahead", "PXW")]


def test_this_past_belongs_to_the_expression() -> None:
    text = "Crowds gathered this past weekend, this past Sunday and this past spring."
    assert values(text) == [
        ("this past weekend", "2013-W11-WE"),
        ("this past Sunday", "2013-03-17"),
        ("this past spring", "2012-SP"),
    ]
    assert value("Sales rose this past spring.", "this past spring", date(1989, 10, 30)) == (
        "1989-SP"
    )


def test_vague_spans_up_to_and_from_now_are_durations() -> None:
    text = "Prices rose in recent years and in recent days, and may fall in the coming weeks."
    assert [(t.text, t.type, t.value) for t in tag(text, DCT)] == [
        ("recent years", "DURATION", "PXY"),
        ("recent days", "DURATION", "PXD"),
        ("the coming weeks", "DURATION", "PXW"),
    ]
    assert value("It will matter in the next couple days.", "the next couple days") == "P2D"


def test_this_weekend_in_the_past_tense_on_a_weekday_is_the_one_just_past() -> None:
    monday = date(2016, 9, 19)
    told = "The president told a rally this weekend that he would campaign."
    assert value(told, "this weekend", monday) == "2016-W37-WE"
    plans = "The president will hold a rally this weekend."
    assert value(plans, "this weekend", monday) == "2016-W38-WE"
    sunday = date(2016, 9, 18)  # on the weekend itself, it is the one under way
    assert value(told, "this weekend", sunday) == "2016-W37-WE"
    fronted = "By 9 a.m. Sunday, the Rev. Al Sharpton began taking calls."
    assert value(fronted, "9 a.m. Sunday", monday) == "2016-09-18T09:00"
    deadline = "Voters must register by Sunday, officials said."
    assert value(deadline, "Sunday", date(2016, 9, 21)) == "2016-09-25"


def test_election_day_a_day_of_last_year_and_what_is_not_a_time() -> None:
    dct = date(2016, 9, 21)
    assert value("She will be busy as Election Day grows near.", "Election Day", dct) == (
        "2016-11-08"
    )
    assert value("Turnout on Election Day in 2012 was low.", "Election Day", date(2013, 3, 1)) == (
        "2012-11-06"
    )
    said = "He recalled the journey that began on June 16th of last year."
    assert value(said, "June 16th of last year", dct) == "2015-06-16"
    assert values("Mexico retaliated against Christmas trees from Oregon.", dct) == []
    assert values("It was the best result in the past nine elections.", dct) == []
    assert value("Growth was less than forecast in July.", "July", date(2016, 10, 5)) == "2016-07"
    # a forecast still to be made looks ahead
    assert value("The agency will forecast growth in July.", "July", date(2016, 3, 5)) == "2016-07"
