from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

from storyline.model import AnnotatedArticle, Article, Timex
from storyline.synthesize.dates import (
    apply_dates,
    day_of,
    explain_dates,
    fallback_resolve,
    infer_dates,
)

UNDATED = "003_5ba02de47a85b3c3"


@pytest.fixture(scope="module")
def seeds(
    seed_articles: list[Article], with_timexes: Callable[[list[Article]], list[AnnotatedArticle]]
) -> list[AnnotatedArticle]:
    return with_timexes(seed_articles)


def test_undated_seed_is_dated_from_its_story(seeds: list[AnnotatedArticle]) -> None:
    inferred = infer_dates(seeds, [])
    assert set(inferred) == {UNDATED}
    assert inferred[UNDATED] in (date(2023, 1, 30), date(2023, 1, 31))


def test_relative_expressions_resolve_against_the_inferred_date(
    seeds: list[AnnotatedArticle],
) -> None:
    dated = apply_dates(seeds, infer_dates(seeds, []))
    target = next(a for a in dated if a.article.id == UNDATED)
    assert target.article.published_inferred
    assert target.article.published in (date(2023, 1, 30), date(2023, 1, 31))
    mondays = [t for t in target.timexes if t.text.lower().endswith("monday")]
    on_monday = [t for t in mondays if "on Monday" in target.article.text[t.start - 3 : t.end]]
    assert on_monday, "the seed says 'on Monday'"
    assert {t.value for t in on_monday} == {"2023-01-30"}
    values = {t.text: t.value for t in target.timexes}
    assert values["Thursday"] == "2023-01-26"
    assert values["Friday"] == "2023-01-27"
    # the dated articles are untouched
    assert [a for a in dated if a.article.id != UNDATED] == [
        a for a in seeds if a.article.id != UNDATED
    ]


def test_wire_family_date_wins(seeds: list[AnnotatedArticle]) -> None:
    families = [frozenset({"002_7aab83144a0a2c32", UNDATED}), frozenset({"000_10b7c76482722ab4"})]
    assert infer_dates(seeds, families)[UNDATED] == date(2023, 1, 31)


def test_evidence_names_the_agreeing_expressions(seeds: list[AnnotatedArticle]) -> None:
    (inference,) = explain_dates(seeds, [])
    agreeing = {(e.text, e.value) for e in inference.evidence if e.agrees}
    assert ("Thursday", "2023-01-26") in agreeing
    assert ("Friday", "2023-01-27") in agreeing
    assert all(e.article == UNDATED and e.sentence >= 0 for e in inference.evidence)
    assert inference.candidates >= 5


def test_story_without_any_date_infers_nothing(
    with_timexes: Callable[[list[Article]], list[AnnotatedArticle]],
) -> None:
    article = Article(id="x", text="Officials met on Monday and talked for hours about it.")
    assert infer_dates(with_timexes([article]), []) == {}


def test_own_absolute_date_bounds_a_story_without_dates(
    with_timexes: Callable[[list[Article]], list[AnnotatedArticle]],
) -> None:
    text = "The summit opened on January 12, 2021. Delegates had arrived on Monday."
    (annotated,) = with_timexes([Article(id="y", text=text)])
    assert infer_dates([annotated], []) == {"y": date(2021, 1, 12)}


def test_fallback_resolver_reads_weekdays_backwards() -> None:
    text = "It happened on Monday, last Friday and yesterday; more next Monday."
    spans = [("on Monday", None), ("last Friday", None), ("yesterday", None)]
    spans.append(("next Monday", None))
    timexes = [Timex("z", 0, text.index(t), text.index(t) + len(t), t, "DATE", v) for t, v in spans]
    tuesday = date(2023, 1, 31)
    values = [t.value for t in fallback_resolve(timexes, text, (), tuesday)]
    assert values == ["2023-01-30", "2023-01-27", "2023-01-30", "2023-02-06"]


def test_day_of_reads_day_precision_only() -> None:
    assert day_of("2023-01-27TNI") == date(2023, 1, 27)
    assert day_of("2023-01") is None
    assert day_of("2023-02-30") is None
    assert day_of(None) is None


def test_inference_follows_the_story_not_the_seeds(
    with_timexes: Callable[[list[Article]], list[AnnotatedArticle]],
) -> None:
    dated = Article(
        id="d",
        text=(
            "The strike began on Monday at the port. Union leaders met the minister on "
            "Tuesday and talks broke down."
        ),
        published=date(2024, 5, 8),  # a Wednesday
    )
    undated = Article(
        id="u",
        text="Dock workers walked out on Monday. The minister met union leaders on Tuesday.",
    )
    story = with_timexes([dated, undated])
    inferred = infer_dates(story, [])
    assert inferred["u"] in (date(2024, 5, 7), date(2024, 5, 8))
    resolved = apply_dates(story, inferred)[1]
    assert {t.text: t.value for t in resolved.timexes} == {
        "Monday": "2024-05-06",
        "Tuesday": "2024-05-07",
    }
