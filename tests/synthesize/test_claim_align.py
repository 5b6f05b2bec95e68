"""Blocked claim alignment: the matrices equal the pairwise rules, the clustering equals
plain average-link agglomeration."""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np
import pytest

from storyline.annotate.claims import claim_context
from storyline.annotate.stages import annotate_batch
from storyline.config import Settings
from storyline.pipeline import read_articles
from storyline.synthesize.claim_align import ClaimFeatures, average_link, block_scores, blocks
from storyline.synthesize.conflicts import _RULES, _words, align_score, can_align

CORPUS = Path(__file__).resolve().parents[2] / "examples" / "corpus"


def _naive_average_link(score: list[list[float]], threshold: float) -> list[list[int]]:
    """The textbook loop: merge the best pair of clusters (mean score, last pair on ties)
    while it reaches ``threshold``; a negative pair score forbids a merge."""
    clusters = [[i] for i in range(len(score))]
    while True:
        best, pair = threshold, None
        for x in range(len(clusters)):
            for y in range(x + 1, len(clusters)):
                pairs = [score[i][j] for i in clusters[x] for j in clusters[y]]
                if min(pairs) < 0.0:
                    continue
                mean = sum(pairs) / len(pairs)
                if mean >= best:
                    best, pair = mean, (x, y)
        if pair is None:
            return clusters
        x, y = pair
        clusters[x] = clusters[x] + clusters[y]
        del clusters[y]


@pytest.mark.parametrize("seed", range(6))
def test_average_link_equals_the_plain_agglomeration(seed: int) -> None:
    rng = random.Random(seed)
    for _ in range(40):
        n = rng.randint(1, 25)
        levels = [-1.0, 0.0, 0.25, 0.5, 1.0, 1.5, 2.0, 3.0]  # many exact ties
        matrix = np.zeros((n, n))
        for i in range(n):
            for j in range(i + 1, n):
                value = rng.choice(levels) if seed % 2 else rng.choice([-1.0, 3 * rng.random()])
                matrix[i, j] = matrix[j, i] = value
        assert average_link(matrix, 0.5) == _naive_average_link(matrix.tolist(), 0.5)


def test_average_link_of_nothing_and_of_one() -> None:
    assert average_link(np.zeros((0, 0)), 0.5) == []
    assert average_link(np.zeros((1, 1)), 0.5) == [[0]]


def test_block_scores_equal_the_pairwise_rules() -> None:
    if not CORPUS.is_dir():
        pytest.skip("examples/corpus is missing")
    docs = annotate_batch(read_articles([CORPUS], Settings()), Settings().with_(workers=1))
    features = []
    for doc in docs:
        sentences = {s.index: s for s in doc.sentences}
        for claim in doc.claims:
            context = claim_context(claim, sentences[claim.sentence])
            features.append(
                ClaimFeatures(context, frozenset(context.years), frozenset(_words(context)))
            )
    assert len(features) > 100
    compared = 0
    for members in blocks(features):
        scores = block_scores(features, members, _RULES)
        for row, i in enumerate(members):
            for col, j in enumerate(members):
                a, b = features[i], features[j]
                years_apart = bool(a.years and b.years and not a.years & b.years)
                allowed = can_align(a.context, b.context) and not years_apart
                assert scores.allowed[row, col] == allowed
                if row != col:
                    expected = max(0.0, align_score(a.context, b.context)) if allowed else -1.0
                    assert scores.scores[row, col] == expected  # bit-identical
                    compared += 1
    assert compared > 200
    # claims in different blocks can never align
    keys = {(f.context.claim.predicate, f.context.claim.unit, f.context.cumulative)
            for f in features}  # fmt: skip
    assert len(blocks(features)) == len(keys)
