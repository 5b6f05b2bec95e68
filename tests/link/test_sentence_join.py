"""The sentence-set join never drops a pair that the reuse similarity would accept."""

from __future__ import annotations

from pathlib import Path

import pytest

from storyline.annotate.nlp import segment
from storyline.link.features import content_terms
from storyline.link.reuse import canonical, sentence_similarity, sentence_terms, term_weights
from storyline.link.sentence_join import CandidatePair, candidate_pairs
from storyline.model import AnnotatedArticle, Article

SEEDS = Path(__file__).resolve().parents[3] / "shared" / "seeds"


def _terms(text: str) -> frozenset[str]:
    return frozenset(canonical(t) for t in content_terms(text))


def test_spelling_variants_keep_a_pair() -> None:
    # only "abbas" and "welcomed" are shared exactly; the rest match as spelling variants
    a = _terms("Mahmoud Abbas welcomed Antony Blinken to Ramallah.")
    b = _terms("Mahmud Abbas welcomed Anthony Blinkin to Ramalla.")
    unrelated = _terms("The earthquake destroyed bridges across the Dravan valley.")
    weights = term_weights([])
    assert len(a & b) == 2
    assert sentence_similarity(a, b, weights) == 1.0
    assert candidate_pairs([a, b, unrelated], weights, 0.5) == [CandidatePair(0, 1)]


def test_every_similar_seed_pair_is_a_candidate() -> None:
    if not SEEDS.is_dir():
        pytest.skip("seed articles not available")
    docs = []
    for path in sorted(SEEDS.glob("*.txt")):
        article = Article(id=path.stem, text=path.read_text(encoding="utf-8"))
        docs.append(AnnotatedArticle(article, segment(article)))
    terms = [s for doc in docs for s in sentence_terms(doc)]
    weights = term_weights(terms)
    sets = sorted({s.terms for s in terms if len(s.terms) >= 2}, key=sorted)
    for threshold in (0.3, 0.5, 0.7):
        found = {(p.left, p.right) for p in candidate_pairs(sets, weights, threshold)}
        similar = {
            (i, j)
            for i in range(len(sets))
            for j in range(i + 1, len(sets))
            if len(sets[i] & sets[j]) >= 2
            and max(
                sentence_similarity(sets[i], sets[j], weights),
                sentence_similarity(sets[j], sets[i], weights),
            )
            >= threshold
        }
        assert similar <= found
        assert similar  # the wire copies share sentences
        pairs = len(sets) * (len(sets) - 1) // 2
        assert len(found) < pairs // 10  # and most pairs are never scored
