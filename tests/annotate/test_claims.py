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
