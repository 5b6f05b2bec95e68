"""What the summary's selection prefers: a fact in the articles' leads over one reported lower
down, and concepts (content-word pairs) only when enough independent sources use them.
Real spaCy segmentation of small constructed stories."""

from __future__ import annotations

import pytest

from storyline.annotate.nlp import segment_many
from storyline.model import AnnotatedArticle, Article
from storyline.synthesize import summary
from storyline.synthesize.summary import concept_min_df, summarize

LEAD_FACT = "The river dam near Arden burst early on Tuesday and flooded the valley town."
DEEP_FACT = "Rescue crews in boats pulled forty residents from the roofs of their homes."
FILLER = (
    "The regional weather office had warned about heavy autumn rain for days.",
    "Local schools closed their doors and sent pupils home before noon.",
    "Insurance assessors are expected to visit the district next month.",
    "The mayor thanked volunteers who filled sandbags through the night.",
    "Officials said the final cost of the damage was not yet known.",
)


def _annotate(texts: list[str]) -> list[AnnotatedArticle]:
    articles = [Article(id=f"a{n}", text=text) for n, text in enumerate(texts)]
    return [AnnotatedArticle(a, s) for a, s in zip(articles, segment_many(articles), strict=True)]


@pytest.fixture(scope="module")
def flood() -> list[AnnotatedArticle]:
    """Four reports: three open with the dam burst, all four tell of the rescue as their
    third sentence (so the rescue is the more widely reported fact)."""
    texts = []
    for n in range(4):
        first = LEAD_FACT if n < 3 else FILLER[4]
        texts.append("\n\n".join([first, FILLER[n], DEEP_FACT, FILLER[(n + 1) % 4]]))
    return _annotate(texts)


def test_a_lead_fact_beats_a_more_reported_deep_one(flood: list[AnnotatedArticle]) -> None:
    first = summarize(flood, max_words=16, fill_min_words=10_000, by_rank=True)
    assert [s.text for s in first] == [LEAD_FACT]
    assert first[0].sources == 3  # cited by the three articles that report it


def test_without_the_position_prior_coverage_decides(
    flood: list[AnnotatedArticle], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(summary, "LEAD", 0.0)
    first = summarize(flood, max_words=16, fill_min_words=10_000, by_rank=True)
    assert [s.text for s in first] == [DEEP_FACT]


@pytest.mark.parametrize("sources", [1, 2, 3, 5, 6, 10, 40])
def test_concepts_need_more_sources_in_larger_stories(sources: int) -> None:
    least = concept_min_df(sources)
    assert 2 <= least <= max(sources, 2)
    assert least == (3 if sources >= summary.CONCEPT_SMALL_STORY else 2)


def test_a_concept_two_of_six_sources_share_is_dropped() -> None:
    shared_by_three = "Officials raised the death toll to twelve on Monday."
    shared_by_two = "Engineers inspected the flood barrier along the canal."
    texts = []
    for n in range(6):
        sentences = [FILLER[n % 5].replace(".", f" in ward {n}.")]
        if n < 3:
            sentences.append(shared_by_three)
        if n in (3, 4):
            sentences.append(shared_by_two)
        texts.append("\n\n".join(sentences))
    six = _annotate(texts)
    story = summary._prepare(six, (), min_words=4)
    incidence, weights = summary._concepts(story)
    by_text = {c.text: set(incidence[i].indices) for i, c in enumerate(story.candidates)}
    assert by_text[shared_by_three] and not by_text[shared_by_two]
    assert {float(weights[c]) for c in by_text[shared_by_three]} == {3.0}
    three = _annotate(texts[2:5])  # one source with the first sentence, two with the second
    story = summary._prepare(three, (), min_words=4)
    incidence, weights = summary._concepts(story)
    by_text = {c.text: set(incidence[i].indices) for i, c in enumerate(story.candidates)}
    assert by_text[shared_by_two] and not by_text[shared_by_three]
    assert {float(weights[c]) for c in by_text[shared_by_two]} == {2.0}
