"""Sparse vectors with an incremental IDF, for the streaming story clusterer.

A ``Vocabulary`` counts in how many documents each key occurred so far and gives its IDF.
A ``Centroid`` sums the length-normalised term-frequency vectors of a story's articles and
keeps an (approximate) IDF-weighted norm up to date in O(terms of the added article); the
norm is recomputed exactly whenever the story doubles in size, so IDF drift stays small.
Large centroids are pruned to their heaviest terms so memory per story is bounded.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping
from operator import mul
from typing import Any


class Vocabulary:
    """Document frequencies of keys over the documents seen so far."""

    def __init__(self) -> None:
        self.documents = 0
        self.df: Counter[str] = Counter()
        self._top = 1.0  # ln(N + 1) + 1, the IDF of an unseen key
        self._logs = [0.0, 0.0]  # _logs[i] = ln(i) for 1 <= i <= N + 1 (df + 1 never exceeds it)

    def add(self, keys: Iterable[str]) -> None:
        """Count one more document containing each of ``keys`` (pass each key once)."""
        self.documents += 1
        self.df.update(keys.keys() if isinstance(keys, Mapping) else keys)  # C counting path
        self._logs.append(math.log(self.documents + 1))
        self._top = self._logs[-1] + 1.0

    def restore(self, documents: int) -> None:
        """Set the number of documents seen (when the counts come from a store)."""
        self.documents = documents
        self._logs = [0.0] + [math.log(i) for i in range(1, documents + 2)]
        self._top = self._logs[-1] + 1.0

    def idf(self, key: str) -> float:
        """Smoothed IDF ``ln((N + 1) / (df + 1)) + 1`` (unseen keys get the highest value)."""
        return self._top - self._logs[self.df.get(key, 0) + 1]

    def idfs(self, keys: Iterable[str]) -> dict[str, float]:
        """The IDF of each of ``keys`` (logarithms come from a table: this runs for every
        term of every article)."""
        top, df, logs = self._top, self.df.get, self._logs
        return {key: top - logs[df(key, 0) + 1] for key in keys}


#: ``1 + ln(n)`` for the small counts nearly every term has
_SUBLINEAR = [0.0] + [1.0 + math.log(n) for n in range(1, 64)]


def sublinear_tf(terms: Iterable[str]) -> dict[str, float]:
    """Sublinear term frequencies ``1 + ln(tf)``, not normalised."""
    counts = Counter(terms)
    return {t: _SUBLINEAR[n] if n < 64 else 1.0 + math.log(n) for t, n in counts.items()}


def tf_vector(terms: Iterable[str]) -> dict[str, float]:
    """Sublinear term frequencies ``1 + ln(tf)`` scaled to unit L2 norm."""
    vector = sublinear_tf(terms)
    norm = math.sqrt(sum(v * v for v in vector.values())) or 1.0
    return {t: v / norm for t, v in vector.items()}


def weighted_norm(vector: Mapping[str, float], vocabulary: Vocabulary) -> float:
    """L2 norm of ``vector`` after multiplying each key by its IDF."""
    idf = vocabulary.idfs(vector)
    return math.sqrt(sum((v * idf[t]) ** 2 for t, v in vector.items()))


class Centroid:
    """The sum of member vectors of one story, compared with IDF weighting."""

    __slots__ = ("_norm2", "_size_at_exact", "max_terms", "size", "weights")

    def __init__(self, max_terms: int = 600) -> None:
        self.weights: dict[str, float] = {}
        self.size = 0
        self.max_terms = max_terms
        self._norm2 = 0.0
        self._size_at_exact = 0

    def add(
        self,
        vector: Mapping[str, float],
        vocabulary: Vocabulary,
        idf: Mapping[str, float] | None = None,
    ) -> None:
        """Add one member vector; keeps the weighted norm current. ``idf`` may give the
        current IDF of the vector's keys (saves recomputing it)."""
        if idf is None:
            idf = vocabulary.idfs(vector)
        if not self.size:  # the first member: its norm under the current IDF is exact
            self.weights = dict(vector)
            self._norm2 = sum((v * idf[t]) ** 2 for t, v in vector.items())
            self._size_at_exact = 1
        else:
            weights, norm2 = self.weights, self._norm2
            for term, value in vector.items():
                old = weights.get(term, 0.0)
                new = old + value
                weights[term] = new
                weight = idf[term]
                norm2 += (new * new - old * old) * weight * weight
            self._norm2 = norm2
        self.size += 1
        if self._prune():
            self._size_at_exact = 0
        if self.size >= 2 * self._size_at_exact:
            self.refresh(vocabulary)

    def merge(self, other: Centroid, vocabulary: Vocabulary) -> None:
        """Add all members of ``other``."""
        for term, value in other.weights.items():
            self.weights[term] = self.weights.get(term, 0.0) + value
        self.size += other.size
        self._prune()
        self.refresh(vocabulary)

    def _prune(self) -> bool:
        """Keep the ``max_terms`` heaviest terms once there are more than twice as many;
        True if terms were dropped (the norm is then stale)."""
        if len(self.weights) <= 2 * self.max_terms:
            return False
        keep = sorted(self.weights.items(), key=lambda kv: -kv[1])[: self.max_terms]
        self.weights = dict(keep)
        return True

    def refresh(self, vocabulary: Vocabulary) -> None:
        """Recompute the weighted norm with the current IDF."""
        self._norm2 = weighted_norm(self.weights, vocabulary) ** 2
        self._size_at_exact = self.size

    def to_json(self) -> dict[str, Any]:
        """The centroid as JSON-able values (floats round-trip exactly)."""
        return {"w": self.weights, "n": self.size, "m": self.max_terms,
                "q": self._norm2, "x": self._size_at_exact}  # fmt: skip

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Centroid:
        centroid = cls(int(data["m"]))
        centroid.weights = dict(data["w"])
        centroid.size = int(data["n"])
        centroid._norm2 = float(data["q"])
        centroid._size_at_exact = int(data["x"])
        return centroid

    def cosine(self, query: Mapping[str, float], query_len: float) -> float:
        """Cosine between this centroid (IDF-weighted) and a vector ``v`` with IDF weights.

        ``query`` holds ``v_t * idf_t`` for each term, i.e. ``tf * idf * idf`` (IDF twice:
        once for ``v`` and once for the centroid side, so no logarithm runs per candidate);
        ``query_len`` is the norm of ``v``.
        """
        if query_len <= 0.0 or self._norm2 <= 0.0:
            return 0.0
        common = query.keys() & self.weights.keys()
        dot: float = sum(
            map(mul, map(query.__getitem__, common), map(self.weights.__getitem__, common))
        )
        return max(0.0, min(1.0, dot / (query_len * math.sqrt(self._norm2))))
