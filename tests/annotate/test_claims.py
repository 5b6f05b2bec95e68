"""Numeric claims: number words, qualifiers, predicate forms and claim context."""

from __future__ import annotations

import pytest

from storyline.annotate.claims import claim_context, extract_claims
from storyline.annotate.nlp import segment
from storyline.annotate.numbers import parse_number
from storyline.model import Article, Claim


def _claims(text: str) -> list[Claim]:
    article = Article(id="a1", text=text)
    sentences = segment(article)
    return extract_claims("a1", text, sentences, [])


def _summary(text: str) -> list[tuple[str | None, float, str, str]]:
    return [(c.qualifier, c.value, c.subject, c.predicate) for c in _claims(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Nine Palestinians were killed in the raid.", [(None, 9.0, "Palestinians", "killed")]),
        (
            "The raid claimed the lives of ten Palestinians on Thursday.",
            [(None, 10.0, "Palestinians", "killed")],
        ),
        (
            "The raid resulted in the deaths of ten people.",
            [(None, 10.0, "people", "killed")],
        ),
        ("The gunman killed seven civilians.", [(None, 7.0, "civilians", "killed")]),
        (
            "The conflict has killed 35 Palestinian adults since January.",
            [(None, 35.0, "Palestinians", "killed")],
        ),
        (
            "At least seven Israelis were killed and dozens injured.",
            [("at least", 7.0, "Israelis", "killed"), ("dozens", 24.0, "Israelis", "injured")],
        ),
        (
            "Police arrested more than 100 protesters.",
            [("more than", 100.0, "protesters", "arrested")],
        ),
        (
            "Twenty-four people were wounded and about 3,000 residents were displaced.",
            [(None, 24.0, "people", "injured"), ("about", 3000.0, "residents", "displaced")],
        ),
    ],
)
def test_casualty_forms(text: str, expected: list[tuple[str | None, float, str, str]]) -> None:
    assert _summary(text) == expected


def test_money_percent_and_counts() -> None:
    claims = _claims("The state pledged $2.5 million in aid, and 24 percent of voters agreed.")
    assert [(c.value, c.unit, c.subject, c.predicate) for c in claims] == [
        (2_500_000.0, "USD", "aid", "amount"),
        (24.0, "%", "voters", "percent"),
    ]


def test_years_and_dates_are_not_claims() -> None:
    assert _claims("In 2023 the talks resumed on January 30 at 7 p.m.") == []


def test_claim_keeps_provenance_and_context() -> None:
    text = (
        "Header line.\n\nOn Friday, seven Israelis were killed in East Jerusalem, a day after "
        "nine Palestinians were killed in Jenin."
    )
    article = Article(id="a1", text=text)
    sentences = segment(article)
    first, second = extract_claims("a1", text, sentences, [])
    assert text[first.start : first.end] == "seven Israelis were killed"
    assert first.sentence == 1 and first.text == sentences[1].text
    assert claim_context(first, sentences[1]).places == ("East Jerusalem",)
    assert claim_context(first, sentences[1]).times == ("Friday",)
    context = claim_context(second, sentences[1])
    assert context.places == ("Jenin",) and not context.cumulative
    tally = _claims("The conflict has killed 35 Palestinians since the start of the year.")[0]
    assert claim_context(tally, segment(Article(id="a1", text=tally.text))[0]).cumulative


@pytest.mark.parametrize(
    ("words", "value"),
    [("nine", 9), ("twenty-four", 24), ("one hundred and five", 105), ("1,200", 1200),
     ("2.5 million", 2_500_000), ("a dozen", 12), ("dozens", 24)],
)  # fmt: skip
def test_number_words(words: str, value: float) -> None:
    parsed = parse_number(words)
    assert parsed is not None and parsed.value == value


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "The death toll from the earthquake has risen to 14, the governor said.",
            [(None, 14.0, "people", "killed")],
        ),
        (
            "The ministry on Tuesday put the number of people killed in the quake at 12.",
            [(None, 12.0, "people", "killed")],
        ),
        (
            "The number of dead of the earthquake has increased to 14, announced the governor.",
            [(None, 14.0, "people", "killed")],
        ),
        ("The toll stands at at least 9.", [("at least", 9.0, "people", "killed")]),
        ("The flood claimed one life.", [(None, 1.0, "people", "killed")]),
        ("No one was hurt in the aftershock.", [(None, 0.0, "people", "injured")]),
        ("There were no injuries, and nobody was killed.",
         [(None, 0.0, "people", "injured"), (None, 0.0, "people", "killed")]),
    ],
)  # fmt: skip
def test_running_figures_and_zero_counts(
    text: str, expected: list[tuple[str | None, float, str, str]]
) -> None:
    assert _summary(text) == expected


def test_measures_keep_what_they_measure() -> None:
    claims = _claims(
        "A magnitude 6.1 quake hit at 11:42 p.m. at a depth of about 10 kilometres, with its "
        "epicentre some 9 kilometres south of the town of Kelmir, after 142 millimetres of rain."
    )
    assert [(c.subject, c.predicate, c.value, c.unit, c.qualifier) for c in claims] == [
        ("magnitude", "measure", 6.1, None, None),
        ("depth", "measure", 10.0, "km", "about"),
        ("distance south of Kelmir", "measure", 9.0, "km", "some"),
        ("rain", "measure", 142.0, "mm", None),
    ]


def test_context_marks_running_figures_years_and_report_days() -> None:
    text = (
        "The death toll from the quake that struck late on Sunday has risen to 14, the governor "
        "said on Tuesday. The last deadly earthquake, in 1987, killed 31 people."
    )
    sentences = segment(Article(id="a1", text=text))
    toll, old = extract_claims("a1", text, sentences, [])
    context = claim_context(toll, sentences[0])
    assert context.running and context.times == ("Sunday",)  # "said on Tuesday": report day
    past = claim_context(old, sentences[1])
    assert past.years == (1987,) and not past.running
    since = _claims("The first recount since 1994 ended with a margin of 214 votes.")[0]
    assert claim_context(since, segment(Article(id="a1", text=since.text))[0]).years == ()
