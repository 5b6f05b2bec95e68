from __future__ import annotations

import time
from dataclasses import replace

import pytest

from storyline.annotate.nlp import segment_many
from storyline.model import AnnotatedArticle, Article, SummarySentence
from storyline.synthesize.similarity import similarity_matrix, strip_header
from storyline.synthesize.summary import CITE_THRESHOLD, summarize


@pytest.fixture(scope="module")
def seeds(seed_articles: list[Article]) -> list[AnnotatedArticle]:
    return [
        AnnotatedArticle(a, s)
        for a, s in zip(seed_articles, segment_many(seed_articles), strict=True)
    ]


def similarity(a: str, b: str) -> float:
    return float(similarity_matrix([a, b]).values[0, 1])


def is_from(sentence: SummarySentence, cited: str) -> bool:
    """``sentence`` is the text of ``cited`` (whitespace collapsed) less its dropped dateline,
    or, when it says it was truncated, a prefix of it followed by an ellipsis."""
    whole = " ".join(strip_header(cited).split())
    if sentence.dropped:
        if not whole.startswith(sentence.dropped):
            return False
        whole = whole[len(sentence.dropped) :].strip()
    if sentence.truncated:
        head = sentence.text.removesuffix("…")
        return sentence.text.endswith("…") and whole.startswith(head) and head != whole
    return whole == sentence.text


def test_seed_summary_is_cited(seeds: list[AnnotatedArticle]) -> None:
    started = time.perf_counter()
    summary = summarize(seeds)
    assert time.perf_counter() - started < 5
    assert len(summary) >= 3
    by_id = {a.article.id: a for a in seeds}
    for sentence in summary:
        assert sentence.citations and sentence.sources >= 1
        assert sentence.sources == len({c.article for c in sentence.citations})
        assert len({c.article for c in sentence.citations}) == len(sentence.citations)
        own = [
            c
            for c in sentence.citations
            if is_from(sentence, by_id[c.article].sentences[c.sentence].text)
        ]
        assert len(own) == 1, "the summary sentence is one of the cited sentences"
        for citation in sentence.citations:
            cited = by_id[citation.article].sentences[citation.sentence]
            assert cited.index == citation.sentence
            assert similarity(cited.text, sentence.text) >= CITE_THRESHOLD - 0.05
    assert any(s.sources >= 2 for s in summary), "the seeds share facts across outlets"


def test_header_and_fragments_are_not_summary_sentences(seeds: list[AnnotatedArticle]) -> None:
    summary = summarize(seeds, max_words=400)
    texts = [s.text for s in summary]
    assert all(not t.lower().startswith("date ") for t in texts)
    assert all(t[-1] in '.!?"”’)' for t in texts)
    assert all(len(t.split()) >= 8 for t in texts)
    assert "Dangerous developments" not in " ".join(t.strip("“”") for t in texts)
    assert not any("Important meeting with President al-Sisi" in t for t in texts)  # quote piece


@pytest.mark.parametrize("limit", [25, 60, 120])
def test_max_words_is_respected(seeds: list[AnnotatedArticle], limit: int) -> None:
    summary = summarize(seeds, max_words=limit)
    assert summary
    assert sum(len(s.text.split()) for s in summary) <= limit


def test_max_bytes_is_respected(seeds: list[AnnotatedArticle]) -> None:
    summary = summarize(seeds, max_words=None, max_bytes=665)
    assert len(summary) >= 3
    assert len(" ".join(s.text for s in summary).encode("utf-8")) <= 665


def test_a_wire_family_counts_once(seeds: list[AnnotatedArticle]) -> None:
    original = seeds[0]
    copy = replace(original, article=replace(original.article, id="copy-of-000"))
    copy = replace(copy, sentences=tuple(replace(s, article="copy-of-000") for s in copy.sentences))
    story = [*seeds, copy]
    apart = summarize(story, max_words=200)
    together = summarize(story, [frozenset({original.article.id, "copy-of-000"})], max_words=200)
    cites_both = [
        s
        for s in together
        if {c.article for c in s.citations} >= {original.article.id, "copy-of-000"}
    ]
    assert cites_both
    for sentence in together:
        articles = {c.article for c in sentence.citations}
        assert sentence.sources == len(articles) - (
            {original.article.id, "copy-of-000"} <= articles
        )
    assert any(s.sources >= 2 for s in apart if "copy-of-000" in {c.article for c in s.citations})


def test_empty_story_gives_an_empty_summary() -> None:
    assert summarize([]) == []
