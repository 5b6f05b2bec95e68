"""Link and synthesis of one large story: same results as the pairwise algorithms, with a
bounded number of comparisons.

The story is built from the sample corpus (examples/corpus), annotated once with the real
spaCy pipeline; each of its 400 articles is one corpus article under a new id, cut after a
varying number of sentences (so copies differ in length, like wire copies and their
trimmed rewrites).
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest

import storyline.link.reuse as reuse_module
import storyline.synthesize.quotes as quotes_module
from storyline.annotate.stages import annotate_batch
from storyline.config import Settings
from storyline.link.families import wire_families
from storyline.link.reuse import align, find_reuse, sentence_terms, term_weights
from storyline.link.stage import StoryLinks
from storyline.link.verbatim import RunCache
from storyline.model import AnnotatedArticle, Quote, Reuse, Story
from storyline.pipeline import read_articles
from storyline.synthesize.quotes import group_quotes, similarity
from storyline.synthesize.report import synthesize_story

CORPUS = Path(__file__).resolve().parents[2] / "examples" / "corpus"
STORY_SIZE = 400


def _derived(doc: AnnotatedArticle, number: int, keep: int) -> AnnotatedArticle:
    """``doc`` under a new id, with only its first ``keep`` sentences."""
    new_id = f"{number:04d}-{doc.article.id[:8]}"
    sentences = doc.sentences[:keep]
    end = sentences[-1].end if sentences else 0
    day = (doc.article.published or date(2024, 3, 1)) + timedelta(days=number % 3)

    def mine(index: int) -> bool:
        return index < len(sentences)

    article = replace(doc.article, id=new_id, text=doc.article.text[:end], published=day,
                      source=f"outlet-{number % 17}")  # fmt: skip
    return AnnotatedArticle(
        article,
        tuple(replace(s, article=new_id) for s in sentences),
        tuple(replace(m, article=new_id) for m in doc.mentions if mine(m.sentence)),
        tuple(replace(t, article=new_id) for t in doc.timexes if mine(t.sentence)),
        tuple(replace(q, article=new_id) for q in doc.quotes if mine(q.sentence)),
        tuple(replace(c, article=new_id) for c in doc.claims if mine(c.sentence)),
    )


@pytest.fixture(scope="module")
def story() -> list[AnnotatedArticle]:
    if not CORPUS.is_dir():
        pytest.skip("examples/corpus is missing")
    base = annotate_batch(read_articles([CORPUS], Settings()), Settings().with_(workers=1))
    base = [d for d in sorted(base, key=lambda d: d.article.id) if len(d.sentences) >= 4]
    out = []
    for number in range(STORY_SIZE):
        doc = base[number % len(base)]
        keep = len(doc.sentences) - (number // len(base)) % 4
        out.append(_derived(doc, number, keep))
    return out


def _pairwise_reuse(docs: list[AnnotatedArticle], settings: Settings) -> list[Reuse]:
    """The all-pairs definition: align every pair of articles with story-wide weights."""
    ordered = sorted(docs, key=lambda d: (d.article.published is None, d.article.published))
    terms = [sentence_terms(d) for d in ordered]
    weights = term_weights(s for t in terms for s in t)
    runs = RunCache(ordered, settings.wire_verbatim_words)  # verbatim: the same definition
    found = []
    for i in range(len(ordered)):
        for j in range(i + 1, len(ordered)):
            matches = align(terms[i], terms[j], weights, settings.reuse_threshold)
            if matches:
                lengths = [sum(1 for s in terms[k] if len(s.terms) >= 2) for k in (i, j)]
                score = min(1.0, len(matches) / max(1, min(lengths)))
                found.append(runs.verbatim(
                    Reuse(ordered[i].article.id, ordered[j].article.id, round(score, 4),
                          tuple((m.a, m.b) for m in matches))
                ))  # fmt: skip
    return found


def test_find_reuse_equals_aligning_every_pair(story: list[AnnotatedArticle]) -> None:
    docs, settings = story[:70], Settings()
    found = find_reuse(docs, settings)
    assert found == _pairwise_reuse(docs, settings)
    assert len(found) > 100  # the copies share sentences
    assert any(r.verbatim for r in found)


def test_find_reuse_scores_each_distinct_sentence_pair_once(
    story: list[AnnotatedArticle], monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = Counter[int]()
    scored = reuse_module.sentence_similarity

    def counting(x: frozenset[str], y: frozenset[str], weights: dict[str, float]) -> float:
        calls[0] += 1
        return scored(x, y, weights)

    monkeypatch.setattr(reuse_module, "sentence_similarity", counting)
    found = find_reuse(story, Settings())
    distinct = {s.terms for doc in story for s in sentence_terms(doc) if len(s.terms) >= 2}
    pairs = len(story) * (len(story) - 1) // 2
    assert len(found) > pairs // 20
    # the pairwise algorithm scores every sentence pair sharing two terms of every article
    # pair (millions here); the join scores distinct term-set pairs, a few per distinct set
    assert calls[0] <= 4 * len(distinct)


def _pairwise_quotes(quotes: dict[str, list[Quote]], threshold: float = 0.6) -> list[list[Quote]]:
    """The all-pairs definition of quote grouping (speakers all unknown)."""
    groups: list[list[Quote]] = []
    for article in sorted(quotes):
        for quote in quotes[article]:
            best, best_score = None, threshold
            for group in groups:
                if any(q.article == article for q in group):
                    continue
                score = max(similarity(quote.text, q.text) for q in group)
                if score >= best_score:
                    best, best_score = group, score
            if best is None:
                groups.append([quote])
            else:
                best.append(quote)
    return groups


def test_group_quotes_equals_comparing_every_pair(story: list[AnnotatedArticle]) -> None:
    quotes = {d.article.id: [replace(q, speaker=None) for q in d.quotes] for d in story[:80]}
    groups = group_quotes(quotes, {}, [])
    expected = _pairwise_quotes(quotes)
    assert [[(v.article, v.sentence, v.text) for v in g.variants] for g in groups] == [
        [(q.article, q.sentence, q.text) for q in g] for g in expected
    ]
    assert any(len(g.variants) > 1 for g in groups)


def test_group_quotes_compares_few_wordings(
    story: list[AnnotatedArticle], monkeypatch: pytest.MonkeyPatch
) -> None:
    made = Counter[int]()
    matcher = quotes_module.SequenceMatcher

    class Counting(matcher):  # type: ignore[misc,valid-type]
        def __init__(self, *args: object, **kwargs: object) -> None:
            made[0] += 1
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(quotes_module, "SequenceMatcher", Counting)
    quotes = {d.article.id: list(d.quotes) for d in story}
    groups = group_quotes(quotes, {}, [])
    total = sum(len(q) for q in quotes.values())
    wordings = len({q.text for qs in quotes.values() for q in qs})
    assert sum(len(g.variants) for g in groups) == total
    assert made[0] <= wordings * 2  # pairwise: about total * groups comparisons


def test_synthesize_story_of_400_articles_is_fast(story: list[AnnotatedArticle]) -> None:
    settings = Settings()
    started = time.perf_counter()
    reuses = find_reuse(story, settings)
    ids = [d.article.id for d in story]
    families = wire_families(ids, reuses, settings)
    links = StoryLinks(Story("s", "t", tuple(ids), None, None), tuple(story), tuple(reuses),
                       tuple(families))  # fmt: skip
    report = synthesize_story(links, settings)
    assert time.perf_counter() - started < 60
    assert len(report.claims) == sum(len(d.claims) for d in story)
    assert sum(len(g.variants) for g in report.quotes) == sum(len(d.quotes) for d in story)
    assert report.timeline and report.summary
    assert len(families) < len(story)  # copies form wire families
