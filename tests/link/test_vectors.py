"""Sparse vectors of the story clusterer: incremental IDF, centroid norm and cosine."""

from __future__ import annotations

import math

import pytest

from storyline.link.vectors import Centroid, Vocabulary, tf_vector, weighted_norm


def test_idf_follows_the_smoothed_formula_as_documents_arrive() -> None:
    vocabulary = Vocabulary()
    for doc in (["quake", "iran"], ["quake", "chile"], ["quake"]):
        vocabulary.add(doc)
    n = 3
    assert vocabulary.idf("quake") == pytest.approx(math.log((n + 1) / (3 + 1)) + 1)
    assert vocabulary.idf("iran") == pytest.approx(math.log((n + 1) / (1 + 1)) + 1)
    assert vocabulary.idf("unseen") == pytest.approx(math.log(n + 1) + 1)
    assert vocabulary.idfs(["iran", "quake"]) == {
        "iran": vocabulary.idf("iran"),
        "quake": vocabulary.idf("quake"),
    }


def test_tf_vector_is_sublinear_and_unit_length() -> None:
    vector = tf_vector(["quake"] * 3 + ["iran"])
    assert vector["quake"] / vector["iran"] == pytest.approx(1 + math.log(3))
    assert math.fsum(v * v for v in vector.values()) == pytest.approx(1.0)


def _direct_cosine(
    members: list[dict[str, float]], query: dict[str, float], vocab: Vocabulary
) -> float:
    """IDF-weighted cosine between the sum of ``members`` and ``query``, from scratch."""
    total: dict[str, float] = {}
    for member in members:
        for term, value in member.items():
            total[term] = total.get(term, 0.0) + value
    idf = vocab.idfs({**total, **query})
    a = {t: v * idf[t] for t, v in total.items()}
    b = {t: v * idf[t] for t, v in query.items()}
    dot = sum(a[t] * b[t] for t in a.keys() & b.keys())
    return dot / (
        math.sqrt(sum(v * v for v in a.values())) * math.sqrt(sum(v * v for v in b.values()))
    )


def test_centroid_cosine_matches_a_direct_computation() -> None:
    vocab = Vocabulary()
    docs = [
        ["quake", "iran", "bushehr", "magnitude"],
        ["quake", "iran", "bushehr", "dead"],
        ["quake", "chile", "tsunami"],
        ["quake", "iran", "magnitude", "nuclear", "plant"],
    ]
    members = [tf_vector(d) for d in docs]
    for member in members:
        vocab.add(member)
    centroid = Centroid()
    for member in members[:2] + members[3:]:
        centroid.add(member, vocab)
    centroid.refresh(vocab)  # the incremental norm is exact again after a refresh
    query = tf_vector(["quake", "iran", "nuclear"])
    idf = vocab.idfs(query)
    scaled = {t: v * idf[t] ** 2 for t, v in query.items()}
    length = math.sqrt(sum((v * idf[t]) ** 2 for t, v in query.items()))
    expected = _direct_cosine(members[:2] + members[3:], query, vocab)
    assert centroid.cosine(scaled, length) == pytest.approx(expected)
    assert 0.3 < expected < 1.0  # shares quake/iran/nuclear, not the rest
    assert math.sqrt(centroid._norm2) == pytest.approx(weighted_norm(centroid.weights, vocab))


def test_a_single_member_centroid_has_an_exact_norm_without_refresh() -> None:
    vocab = Vocabulary()
    vector = tf_vector(["quake", "iran", "iran"])
    vocab.add(vector)
    vocab.add(tf_vector(["iran"]))
    centroid = Centroid()
    centroid.add(vector, vocab)
    assert centroid.size == 1
    assert math.sqrt(centroid._norm2) == pytest.approx(weighted_norm(vector, vocab))


def test_large_centroids_are_pruned_to_their_heaviest_terms() -> None:
    vocab = Vocabulary()
    centroid = Centroid(max_terms=5)
    for i in range(4):
        vector = tf_vector(["quake"] * 4 + [f"rare{i}-{j}" for j in range(4)])
        vocab.add(vector)
        centroid.add(vector, vocab)
    assert len(centroid.weights) <= 2 * 5
    assert "quake" in centroid.weights


def test_a_first_member_larger_than_the_bound_is_pruned_too() -> None:
    vocab = Vocabulary()
    vector = tf_vector(["quake"] * 4 + [f"rare{j}" for j in range(20)])
    vocab.add(vector)
    centroid = Centroid(max_terms=5)
    centroid.add(vector, vocab)
    assert len(centroid.weights) == 5
    assert "quake" in centroid.weights
    assert math.sqrt(centroid._norm2) == pytest.approx(weighted_norm(centroid.weights, vocab))
