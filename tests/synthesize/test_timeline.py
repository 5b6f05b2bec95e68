from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

from storyline.model import AnnotatedArticle, Article, Sentence, TimelineEntry, Timex
from storyline.synthesize.dates import apply_dates, infer_dates
from storyline.synthesize.timeline import build_timeline, calendar_value, event_mentions


@pytest.fixture(scope="module")
def timeline(
    seed_articles: list[Article], with_timexes: Callable[[list[Article]], list[AnnotatedArticle]]
) -> list[TimelineEntry]:
    annotated = with_timexes(seed_articles)
    return build_timeline(apply_dates(annotated, infer_dates(annotated, [])))


def find(timeline: list[TimelineEntry], day: str, *words: str) -> TimelineEntry:
    for entry in timeline:
        if entry.date == day and all(w.lower() in entry.text.lower() for w in words):
            return entry
    raise AssertionError(f"no entry on {day} with {words}: {timeline}")


def sources(entry: TimelineEntry) -> set[str]:
    return {c.article[:3] for c in entry.citations}


def test_seed_timeline_has_the_story_events(timeline: list[TimelineEntry]) -> None:
    jenin = find(timeline, "2023-01-26", "Jenin")
    assert sources(jenin) == {"002", "003"}
    assert jenin.precision == "day"
    assert jenin.expression == "Thursday"
    synagogue = find(timeline, "2023-01-27", "synagogue")
    assert sources(synagogue) == {"000", "002", "003"}
    measures = find(timeline, "2023-01-28", "Israel announced", "measures")
    assert measures.expression == "Saturday night"
    assert [(c.article[:3], c.sentence) for c in measures.citations] == [("003", 28)]
    find(timeline, "2023-01-29", "Blinken arrived in Egypt")
    burns = find(timeline, "2023-01-29", "Abbas", "Burns")
    assert burns.expression == "late on Sunday"
    cairo = find(timeline, "2023-01-30", "Cairo", "talks")
    assert {"000", "003"} <= sources(cairo)


def test_same_day_different_events_stay_apart(timeline: list[TimelineEntry]) -> None:
    sunday = [e for e in timeline if e.date == "2023-01-29"]
    assert len(sunday) == 2
    assert find(timeline, "2023-01-29", "Egypt") != find(timeline, "2023-01-29", "Burns")


def test_timeline_is_ordered_and_clean(timeline: list[TimelineEntry]) -> None:
    keys = [tuple(int(p) for p in e.date.split("-")) for e in timeline]
    assert keys == sorted(keys)
    assert all(not e.text.lower().startswith("date ") for e in timeline)
    assert all(e.citations for e in timeline)
    # "since 1967" is the edge of a period, "a day after <event>" is relative to an event
    assert all(e.date != "1967" for e in timeline)
    assert all(not e.expression.lower().endswith("after") for e in timeline)
    november = find(timeline, "2022-11", "Tehran")
    assert november.precision == "month"
    assert "February" not in november.text  # the sentence was cut between its two dates


def test_a_sentence_is_cited_once_per_date(timeline: list[TimelineEntry]) -> None:
    for entry in timeline:
        assert len(entry.citations) == len(set(entry.citations))
    cited = [(c, e.date) for e in timeline for c in e.citations]
    assert len(cited) == len(set(cited))  # only a sentence with two dates is in two entries


def _article(text: str, timexes: list[tuple[str, str, str]], day: date) -> AnnotatedArticle:
    article = Article(id="a", text=text, published=day)
    sentence = Sentence("a", 0, 0, len(text), 0, text)
    records = tuple(
        Timex("a", 0, text.index(t), text.index(t) + len(t), t, type_, value)
        for t, type_, value in timexes
    )
    return AnnotatedArticle(article, (sentence,), timexes=records)


def test_sentence_with_two_dates_is_cut_into_clauses() -> None:
    text = "Seven people were shot on Friday, after ten people died in a raid on Thursday."
    annotated = _article(
        text,
        [("Friday", "DATE", "2023-01-27"), ("Thursday", "DATE", "2023-01-26")],
        date(2023, 1, 30),
    )
    mentions = event_mentions(annotated)
    assert [(m.date, m.text) for m in mentions] == [
        ("2023-01-27", "Seven people were shot on Friday"),
        ("2023-01-26", "Ten people died in a raid on Thursday."),
    ]
    assert text[mentions[1].start : mentions[1].end] == "ten people died in a raid on Thursday."


def test_durations_and_fuzzy_references_are_skipped() -> None:
    annotated = _article(
        "For three days now the talks went on in recent weeks.",
        [("three days", "DURATION", "P3D"), ("now", "DATE", "PRESENT_REF")],
        date(2023, 1, 30),
    )
    assert build_timeline([annotated]) == []


def test_present_tense_lead_is_dated_by_the_article() -> None:
    annotated = _article(
        "The minister has resigned after a row over the budget with the prime minister.",
        [],
        date(2023, 3, 2),
    )
    (entry,) = build_timeline([annotated])
    assert entry.date == "2023-03-02"
    assert entry.expression == "article date"


def test_calendar_value_precisions() -> None:
    assert calendar_value("2023-01-27TNI") == ("2023-01-27", "day")
    assert calendar_value("2022-11") == ("2022-11", "month")
    assert calendar_value("2023") == ("2023", "year")
    assert calendar_value("2023-W05") is None
    assert calendar_value("PAST_REF") is None
    assert calendar_value("XXXX-01-30") is None
