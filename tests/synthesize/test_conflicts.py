"""Conflicts on the seed story: the Jenin death toll, and the tallies that agree."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from storyline.annotate.claims import extract_claims
from storyline.annotate.nlp import load, segment
from storyline.model import Article, Claim, Conflict, Entity, Mention, Sentence
from storyline.synthesize.conflicts import find_conflicts, spelling_conflicts, value_range


@pytest.fixture(scope="module")
def seed_claims() -> tuple[dict[str, list[Claim]], dict[str, tuple[Sentence, ...]]]:
    seeds = Path(__file__).resolve().parents[3] / "shared" / "seeds"
    if not seeds.is_dir():
        pytest.skip("../shared/seeds is not beside the repository")
    ner = load(variant="ner")
    claims: dict[str, list[Claim]] = {}
    sentences: dict[str, tuple[Sentence, ...]] = {}
    for path in sorted(seeds.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        sents = segment(Article(id=path.stem, text=text))
        mentions = [
            Mention(path.stem, s.index, s.start + e.start_char, s.start + e.end_char, e.text,
                    e.label_)
            for s, doc in zip(sents, ner.pipe([s.text for s in sents]), strict=True)
            for e in doc.ents
        ]  # fmt: skip
        claims[path.stem] = extract_claims(path.stem, text, sents, mentions)
        sentences[path.stem] = sents
    return claims, sentences


def test_jenin_death_toll_is_the_one_conflict(
    seed_claims: tuple[dict[str, list[Claim]], dict[str, tuple[Sentence, ...]]],
) -> None:
    claims, sentences = seed_claims
    conflicts = find_conflicts(claims, sentences)
    assert len(conflicts) == 1
    [conflict] = conflicts
    assert conflict.kind == "number"
    assert conflict.topic.startswith("Palestinians killed")
    assert "Jenin" in conflict.topic
    values = {v.value: v.articles for v in conflict.values}
    assert values == {
        "9": ("000_10b7c76482722ab4",),
        "10": ("002_7aab83144a0a2c32", "003_5ba02de47a85b3c3"),
    }
    assert "nine Palestinians" in conflict.values[0].text


def test_agreeing_tallies_and_compatible_qualifiers_are_not_conflicts(
    seed_claims: tuple[dict[str, list[Claim]], dict[str, tuple[Sentence, ...]]],
) -> None:
    claims, sentences = seed_claims
    # the 35 killed since the start of the year and "at least seven" vs "seven" are claimed ...
    assert {c.article[:3] for cs in claims.values() for c in cs if c.value == 35} == {"002", "003"}
    sevens = {(c.article[:3], c.qualifier) for cs in claims.values() for c in cs if c.value == 7}
    assert sevens == {("000", "at least"), ("002", None), ("003", None)}
    # ... and none of them is reported as a conflict
    for conflict in find_conflicts(claims, sentences):
        assert {v.value for v in conflict.values} == {"9", "10"}


def test_value_ranges_take_qualifiers_into_account() -> None:
    def claim(value: float, qualifier: str | None) -> Claim:
        return Claim("a", 0, 0, 1, "people", "killed", value, "people", "", qualifier)

    assert value_range(claim(7, "at least")).high == float("inf")
    assert value_range(claim(7, None)).low == 7
    assert value_range(claim(24, "dozens")).high == 99
    sentence = Sentence("a", 0, 0, 40, 0, "At least 7 people were killed on Friday.")
    other = Sentence("b", 0, 0, 31, 0, "7 people were killed on Friday.")
    more = Sentence("c", 0, 0, 40, 0, "Nine people were killed on Friday.")
    claims = {
        "a": [Claim("a", 0, 0, 29, "people", "killed", 7, "people", sentence.text, "at least")],
        "b": [Claim("b", 0, 0, 20, "people", "killed", 7, "people", other.text)],
        "c": [Claim("c", 0, 0, 20, "people", "killed", 9, "people", more.text)],
    }
    sentences = {"a": [sentence], "b": [other], "c": [more]}
    [conflict] = find_conflicts(claims, sentences)
    # at least 7 fits both 7 and 9; 7 and 9 clash (values ordered by number, then article)
    assert [v.value for v in conflict.values] == ["at least 7", "7", "9"]
    assert find_conflicts({"a": claims["a"], "c": claims["c"]}, sentences) == []
    # wire copies of one another count once
    assert find_conflicts({"b": claims["b"], "c": claims["c"]}, sentences,
                          families=[frozenset({"b", "c"})]) == []  # fmt: skip


def test_spelling_conflicts_list_each_written_form() -> None:
    entity = Entity("e1", "Antony Blinken", "PERSON", ("Anthony Blinken", "Blinken"), ("a", "b"), 9)
    [conflict] = spelling_conflicts([entity])
    assert conflict.kind == "spelling"
    assert [v.value for v in conflict.values] == ["Antony Blinken", "Anthony Blinken"]
    same = Entity("e2", "Mahmoud Abbas", "PERSON", ("Abbas",), ("a",), 2)
    assert spelling_conflicts([same]) == []


def test_seed_dates_keep_the_jenin_conflict(
    seed_claims: tuple[dict[str, list[Claim]], dict[str, tuple[Sentence, ...]]],
) -> None:
    # 000 is dated 2023-01-30, 002 2023-01-31 and 003 undated (its story infers 2023-01-31):
    # nine then ten killed in Thursday's raid, the later one not stated as an update
    claims, sentences = seed_claims
    days = {"000": date(2023, 1, 30), "002": date(2023, 1, 31), "003": date(2023, 1, 31)}
    dates = {article: days[article[:3]] for article in claims}
    [conflict] = find_conflicts(claims, sentences, dates=dates)
    assert {v.value: v.articles for v in conflict.values} == {
        "9": ("000_10b7c76482722ab4",),
        "10": ("002_7aab83144a0a2c32", "003_5ba02de47a85b3c3"),
    }
    undated_003 = {a: d for a, d in dates.items() if not a.startswith("003")}
    assert len(find_conflicts(claims, sentences, dates=undated_003)) == 1


def _story(texts: dict[str, str]) -> tuple[dict[str, list[Claim]], dict[str, tuple[Sentence, ...]]]:
    claims: dict[str, list[Claim]] = {}
    sentences: dict[str, tuple[Sentence, ...]] = {}
    for article, text in texts.items():
        sentences[article] = segment(Article(id=article, text=text))
        claims[article] = extract_claims(article, text, sentences[article], [])
    return claims, sentences


def _values(conflicts: list[Conflict]) -> list[dict[str, tuple[str, ...]]]:
    return [{v.value: v.articles for v in c.values} for c in conflicts]


def test_a_death_toll_may_rise_as_an_update_but_never_fall() -> None:
    claims, sentences = _story({
        "early": "The Dravan earthquake killed 12 people, the ministry said.",
        "risen": "The death toll from the Dravan earthquake has risen to 14, the governor said.",
        "same_day": "The ministry put the number of people killed in the Dravan earthquake at 12.",
        "later": "The Dravan earthquake killed 12 people, according to official figures.",
    })  # fmt: skip
    day = {"early": 4, "risen": 5, "same_day": 5, "later": 14}
    dates = {a: date(2024, 3, d) for a, d in day.items()}

    def conflicts(*articles: str) -> list[dict[str, tuple[str, ...]]]:
        wanted = {a: claims[a] for a in articles}
        return _values(find_conflicts(wanted, sentences, dates=dates))

    assert conflicts("early", "risen") == []  # 12 on 4 March, "has risen to 14" on 5 March
    assert conflicts("risen", "same_day") == [{"12": ("same_day",), "14": ("risen",)}]
    assert conflicts("risen", "later") == [{"12": ("later",), "14": ("risen",)}]  # went down
    # without dates every report counts as simultaneous
    assert len(_values(find_conflicts({a: claims[a] for a in ("early", "risen")}, sentences))) == 1


def test_a_rise_not_stated_as_an_update_is_a_conflict() -> None:
    claims, sentences = _story({
        "mon": "Nine Palestinians were killed in the raid on Jenin on Thursday.",
        "tue": "Ten Palestinians were killed in the raid on Jenin on Thursday.",
    })  # fmt: skip
    dates = {"mon": date(2023, 1, 30), "tue": date(2023, 1, 31)}
    assert _values(find_conflicts(claims, sentences, dates=dates)) == [
        {"9": ("mon",), "10": ("tue",)}
    ]


def test_quantities_that_change_over_time_are_updates() -> None:
    claims, sentences = _story({
        "thu": "Forty container ships were waiting at anchor off Halvergate.",
        "sat": "Sixty container ships were waiting at anchor off Halvergate.",
    })  # fmt: skip
    assert len(find_conflicts(claims, sentences)) == 1  # same time: a conflict
    dates = {"thu": date(2024, 3, 7), "sat": date(2024, 3, 9)}
    assert find_conflicts(claims, sentences, dates=dates) == []


def test_values_one_article_states_together_are_not_conflicts() -> None:
    claims, sentences = _story({
        "both": "The recount gave Mayor Achterberg a margin of 187 votes, down from 214 votes.",
        "old": "Mayor Achterberg won by a margin of 214 votes.",
        "new": "Mayor Achterberg won by a margin of 187 votes.",
        "pay": "The union wants a 9 percent pay rise; the port authority has offered 4 percent.",
        "offer": "The port authority has offered 4 percent.",
    })  # fmt: skip
    old_new = {a: claims[a] for a in ("old", "new")}
    assert len(find_conflicts(old_new, sentences)) == 1
    assert find_conflicts(claims, sentences) == []


def test_measures_conflict_only_about_the_same_attribute() -> None:
    claims, sentences = _story({
        "a": "The quake struck at a depth of about 10 kilometres near Kelmir.",
        "b": "Two bodies were found in Sorrat, about 6 kilometres from Kelmir.",
        "c": "The quake struck at a depth of 25 kilometres near Kelmir.",
    })  # fmt: skip
    assert find_conflicts({a: claims[a] for a in ("a", "b")}, sentences) == []
    assert _values(find_conflicts(claims, sentences)) == [{"about 10 km": ("a",), "25 km": ("c",)}]


def test_spellings_list_the_articles_that_write_them() -> None:
    entity = Entity("e1", "Milena Dvořák", "PERSON", ("Milena Dvorak",), ("a", "b", "c"), 3)
    mentions = [
        Mention("a", 0, 0, 13, "Milena Dvořák", "PERSON"),
        Mention("b", 0, 5, 18, "Milena Dvorak", "PERSON"),
        Mention("c", 0, 0, 15, "Milena Dvořák's", "PERSON"),
    ]
    assignments = {(m.article, m.start): "e1" for m in mentions}
    [conflict] = spelling_conflicts([entity], mentions, assignments)
    assert [(v.value, v.articles) for v in conflict.values] == [
        ("Milena Dvořák", ("a", "c")),
        ("Milena Dvorak", ("b",)),
    ]
