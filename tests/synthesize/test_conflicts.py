"""Conflicts on the seed story: the Jenin death toll, and the tallies that agree."""

from __future__ import annotations

from pathlib import Path

import pytest

from storyline.annotate.claims import extract_claims
from storyline.annotate.nlp import load, segment
from storyline.model import Article, Claim, Entity, Mention, Sentence
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
