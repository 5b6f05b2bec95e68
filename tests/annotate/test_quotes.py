"""Quotes: direct forms, reported speech and speaker resolution on real spaCy output."""

from __future__ import annotations

from pathlib import Path

import pytest

from storyline.annotate.nlp import load, segment
from storyline.annotate.quotes import extract_quotes, quoted_spans
from storyline.model import Article, Mention, Quote


def _quotes(text: str, article_id: str = "a1") -> list[Quote]:
    article = Article(id=article_id, text=text)
    sentences = segment(article)
    ner = load(variant="ner")
    mentions = [
        Mention(article_id, s.index, s.start + e.start_char, s.start + e.end_char, e.text, e.label_)
        for s, doc in zip(sentences, ner.pipe([s.text for s in sentences]), strict=True)
        for e in doc.ents
    ]
    return extract_quotes(article_id, text, sentences, mentions)


def test_split_curly_quote_is_one_quote_with_pronoun_speaker() -> None:
    text = (
        "Prime Minister Jacinda Ardern visited the flooded town on Tuesday.\n\n"
        "“We will rebuild,” she said, “and we will do it together.”"
    )
    [quote] = [q for q in _quotes(text) if q.direct]
    assert quote.text == "We will rebuild, and we will do it together."
    assert text[quote.start : quote.start + 15] == "We will rebuild"
    assert text[quote.end - 9 : quote.end] == "together."
    assert quote.speaker == "Jacinda Ardern"
    assert quote.cue == "said"
    assert text[quote.speaker_start : quote.speaker_end] == "she"  # type: ignore[index]
    assert quote.sentence == 1


def test_straight_quotes_multi_sentence_and_inverted_cue() -> None:
    text = (
        'Senator Maria Lopez spoke to reporters.\n\n"The bill is dead. Nobody wants it. '
        'We start again," said Lopez.'
    )
    [quote] = [q for q in _quotes(text) if q.direct]
    assert quote.text == "The bill is dead. Nobody wants it. We start again,"
    assert quote.speaker == "Maria Lopez"
    assert quote.cue == "said"


def test_speaker_before_the_quote() -> None:
    text = "Mayor John Carter opened the bridge. He stated, “This is a great day for the city.”"
    [quote] = [q for q in _quotes(text) if q.direct]
    assert quote.speaker == "John Carter"
    assert quote.cue == "stated"
    assert quote.text == "This is a great day for the city."


def test_role_noun_resolves_to_person_with_that_role() -> None:
    text = (
        "US Secretary of State Antony Blinken met Egyptian President Abdel Fattah el-Sisi. "
        "Officials prepared the agenda.\n\n"
        "“We want calm,” the top US diplomat said."
    )
    [quote] = [q for q in _quotes(text) if q.direct]
    assert quote.speaker == "Antony Blinken"


def test_reported_speech_and_according_to() -> None:
    text = (
        "Health minister Anna Berg said that the clinic will open in March. "
        "According to the hospital board, the budget was approved last week."
    )
    quotes = _quotes(text)
    assert [(q.speaker, q.cue, q.direct) for q in quotes] == [
        ("Anna Berg", "said", False),
        ("the hospital board", "According to", False),
    ]
    assert quotes[0].text == "the clinic will open in March"
    assert quotes[1].text == "the budget was approved last week."


def test_scare_quotes_are_not_quotes() -> None:
    text = "The plan was described as a “game changer” by analysts in the region."
    assert [q for q in _quotes(text) if q.direct] == []
    assert len(quoted_spans(text)) == 1


def test_seed_speakers_resolved_through_pronouns_and_roles(seeds_dir: Path) -> None:
    found = {}
    for path in sorted(seeds_dir.glob("*.txt")):
        for quote in _quotes(path.read_text(encoding="utf-8"), path.stem):
            found[(path.stem[:3], quote.text[:20])] = quote
    stated = found[("002", "We want to make sure")]
    assert (stated.speaker, stated.cue, stated.direct) == ("Antony Blinken", "stated", True)
    said = found[("003", "We want to make sure")]
    assert (said.speaker, said.cue) == ("Anthony Blinken", "said")
    secretary = found[("003", "Russia, in exchange,")]
    assert secretary.speaker == "Anthony Blinken"
    twitter = found[("000", "Important meeting wi")]
    assert twitter.speaker == "Antony Blinken"  # "he", not al-Sisi named inside the quote
    assert found[("003", "Just as Iran has lon")].cue == "added"


@pytest.mark.parametrize("mark", ["''", '"'])
def test_other_quote_marks(mark: str) -> None:
    text = f"{mark}We are ready for the vote,{mark} Governor Tom Reed told reporters."
    [quote] = [q for q in _quotes(text) if q.direct]
    assert quote.text == "We are ready for the vote,"
    assert quote.speaker == "Tom Reed"
    assert quote.cue == "told"
