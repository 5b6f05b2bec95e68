"""Agency credits in datelines, bylines and sign-offs, and the wire families they make."""

from __future__ import annotations

from datetime import date

import pytest

from storyline.config import Settings
from storyline.link.agencies import credited_agencies, find_credits, merge_by_agency
from storyline.link.stage import story_links
from storyline.model import AnnotatedArticle, Article, Sentence, Story


def _credits(text: str, **fields: str) -> list[tuple[str, str, str]]:
    article = Article(id="x", text=text, **fields)  # type: ignore[arg-type]
    return [(c.agency, c.kind, c.text) for c in find_credits(article)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("JERUSALEM (AFP) - Blinken called for calm.", [("AFP", "dateline", "JERUSALEM (AFP) -")]),
        ("(Reuters) — The talks began.", [("Reuters", "dateline", "(Reuters) —")]),
        ("HEMPSTEAD, N.Y., Sept. 26 (UPI) — Stein was escorted off.",
         [("UPI", "dateline", "HEMPSTEAD, N.Y., Sept. 26 (UPI) —")]),
        ("The talks began.\n\nThey will go on on Tuesday, he said. — AP",
         [("AP", "signoff", "— AP")]),
        ("By Jane Doe, with AFP\n\nThe talks began.", [("AFP", "byline", "By Jane Doe, with AFP")]),
        ("dpa/AFP\n\nThe talks began.",
         [("dpa", "byline", "dpa/AFP"), ("AFP", "byline", "dpa/AFP")]),
        ("The talks began.\n\nThe Associated Press contributed to this report.",
         [("AP", "byline", "The Associated Press contributed to this report")]),
        ("The court heard the case.\n\n(Reporting by Valerie Volcovici; Editing by Will Dunham.)",
         [("Reuters", "signoff", "(Reporting by Valerie Volcovici; Editing by Will Dunham.)")]),
    ],
)  # fmt: skip
def test_credits_are_found_where_outlets_credit_agencies(
    text: str, expected: list[tuple[str, str, str]]
) -> None:
    assert _credits(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "The toll rose to 35, according to an AFP tally based on official sources.",
        "Palestinian officials told Reuters the raid lasted three hours.",
        "The talks began.\n\n(Photo: AFP)",
        "A spokesman told AP that he had no comment.\n\nHe spoke to AFP later.",
        "KELMIR, Varesia — A magnitude 6.1 earthquake struck the province.",
    ],
)
def test_running_text_and_photo_credits_are_not_credits(text: str) -> None:
    assert _credits(text) == []


def test_an_agency_outlet_credits_itself() -> None:
    assert credited_agencies(Article(id="x", text="Talks began.", source="Reuters")) == {"Reuters"}
    assert credited_agencies(Article(id="x", text="Talks.", url="https://apnews.com/a")) == {"AP"}
    assert credited_agencies(Article(id="x", text="Talks.", source="Northgate Courier")) == set()


def test_credit_spans_point_into_the_text() -> None:
    text = "Intro line.\n\nCAIRO (AFP) - Talks began on Monday."
    (credit,) = find_credits(Article(id="x", text=text))
    assert text[credit.start : credit.end] == credit.text == "CAIRO (AFP) -"


def test_families_sharing_an_agency_are_joined() -> None:
    families = [frozenset({"a"}), frozenset({"b", "c"}), frozenset({"d"})]
    credits = {"a": frozenset({"AFP"}), "c": frozenset({"AFP", "dpa"}), "d": frozenset({"AP"})}
    assert merge_by_agency(families, credits) == [frozenset({"a", "b", "c"}), frozenset({"d"})]


def _doc(article_id: str, sentences: list[str], day: int) -> AnnotatedArticle:
    records, offset = [], 0
    for number, text in enumerate(sentences):
        records.append(Sentence(article_id, number, offset, offset + len(text), number, text))
        offset += len(text) + 2
    article = Article(id=article_id, text="\n\n".join(sentences), published=date(2024, 3, day))
    return AnnotatedArticle(article, tuple(records))


def test_rewrites_credited_to_one_agency_count_as_one_source() -> None:
    first = _doc("first", [
        "GENEVA (AFP) - Delegates from forty countries opened climate talks on Monday.",
        "The host government promised new money for poorer nations.",
        "Observers expect a long week of bargaining over emission targets.",
    ], 4)  # fmt: skip
    second = _doc("second", [
        "GENEVA (AFP) - Negotiators gathered for the first day of a global warming conference.",
        "Funding pledges for developing states were announced by the organisers.",
        "A difficult week lies ahead, analysts warned.",
    ], 4)  # fmt: skip
    own = _doc("own", [
        "GENEVA — Our reporter watched the conference hall fill slowly on Monday.",
        "Several ministers arrived late because of a rail strike.",
        "Protesters outside demanded an end to coal subsidies.",
    ], 5)  # fmt: skip
    docs = {d.article.id: d for d in (first, second, own)}
    story = Story("s", "talks", ("first", "second", "own"), None, None)
    families = story_links(story, docs, {}, Settings()).families
    assert sorted(map(sorted, families)) == [["first", "second"], ["own"]]
    apart = story_links(story, docs, {}, Settings().with_(wire_agency_families=False)).families
    assert len(apart) == 3
