"""Candidate sentence pairs for reuse: a sparse similarity join over distinct term sets.

Needs the distinct content-term sets of a story's sentences and the story's term weights;
adds the pairs of sets that may reach the reuse threshold. ``link.reuse`` then scores only
these pairs exactly, so the cost follows the number of similar sentence pairs instead of the
number of article pairs times their sentences.

A pair is kept when the two sets share at least two terms (the rule of ``reuse.align``) and
an upper bound of ``reuse.sentence_similarity`` reaches the threshold. The bound counts
every shared term as matched, plus every other term of one set whose three-letter prefix
group also occurs in the other set (a spelling variant such as "mahmoud" ~ "mahmud" needs the
same first three letters, so it is always counted). All products are sparse matrix products
over blocks of rows, so memory stays bounded.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy.sparse import csr_matrix

#: rows of the set-by-term matrix multiplied at once
_ROWS = 1024


@dataclass(frozen=True, slots=True)
class CandidatePair:
    """Two distinct term sets (indices, ``left < right``) that may be similar enough."""

    left: int
    right: int


def _keyed(term: str) -> bool:
    """True when ``term`` can be a spelling variant of another (``reuse._spelling_variant``)."""
    return len(term) >= 4 and not term.isdigit()


@dataclass(frozen=True, slots=True)
class _Matrices:
    binary: csr_matrix  # set x term, 1.0
    weighted: csr_matrix  # set x term, weight
    keyed_weighted: csr_matrix  # set x term, weight of variant-capable terms
    keyed: csr_matrix  # set x term, 1.0 for variant-capable terms
    group_weight: csr_matrix  # set x prefix group, weight of keyed terms in it
    group_count: csr_matrix  # set x prefix group, number of keyed terms in it
    groups: csr_matrix  # set x prefix group, 1.0 when present
    totals: NDArray[np.float64]  # total weight of each set
    sizes: NDArray[np.float64]  # terms in each set


def _matrices(sets: Sequence[frozenset[str]], weights: Mapping[str, float]) -> _Matrices:
    vocabulary: dict[str, int] = {}
    prefix_groups: dict[str, int] = {}
    rows: list[int] = []
    cols: list[int] = []
    grp: list[int] = []
    values: list[float] = []
    keyed: list[bool] = []
    for row, terms in enumerate(sets):
        for term in sorted(terms):
            rows.append(row)
            cols.append(vocabulary.setdefault(term, len(vocabulary)))
            values.append(weights.get(term, 1.0))
            keyed.append(_keyed(term))
            grp.append(prefix_groups.setdefault(term[:3], len(prefix_groups)) if keyed[-1] else 0)
    n, v, g = len(sets), max(1, len(vocabulary)), max(1, len(prefix_groups))
    w = np.array(values, dtype=np.float64)
    k = np.array(keyed, dtype=np.float64)

    def build(data: NDArray[np.float64], columns: list[int], width: int) -> csr_matrix:
        matrix = csr_matrix((data, (rows, columns)), shape=(n, width), dtype=np.float64)
        matrix.sum_duplicates()
        matrix.eliminate_zeros()
        return matrix

    group_count = build(k, grp, g)
    return _Matrices(
        binary=build(np.ones(len(rows)), cols, v),
        weighted=build(w, cols, v),
        keyed_weighted=build(w * k, cols, v),
        keyed=build(k, cols, v),
        group_weight=build(w * k, grp, g),
        group_count=group_count,
        groups=csr_matrix((group_count > 0).astype(np.float64)),
        totals=np.array([sum(weights.get(t, 1.0) for t in s) for s in sets], dtype=np.float64),
        sizes=np.array([len(s) for s in sets], dtype=np.float64),
    )


def _at(
    left: csr_matrix, right: csr_matrix, r: NDArray[np.int64], c: NDArray[np.int64]
) -> NDArray[np.float64]:
    """``(left @ right.T)[r, c]`` for the given positions only."""
    return np.asarray(left[r].multiply(right[c]).sum(axis=1), dtype=np.float64).ravel()


def _bound(
    sim_x: NDArray[np.float64],
    w_x: NDArray[np.float64],
    sim_y: NDArray[np.float64],
    w_y: NDArray[np.float64],
) -> NDArray[np.float64]:
    return 0.5 * (sim_x / w_x) + 0.5 * ((sim_x + sim_y) / (w_x + w_y))


def candidate_pairs(
    sets: Sequence[frozenset[str]], weights: Mapping[str, float], threshold: float
) -> list[CandidatePair]:
    """Pairs of distinct ``sets`` (each with at least two terms) sharing two or more terms
    whose similarity bound (module docstring) is at least ``threshold``; sorted."""
    if len(sets) < 2:
        return []
    m = _matrices(sets, weights)
    found: list[CandidatePair] = []
    for start in range(0, len(sets), _ROWS):
        stop = min(len(sets), start + _ROWS)
        counts = (m.binary[start:stop] @ m.binary.T).tocoo()
        keep = (counts.data >= 2) & (counts.col > counts.row + start)
        r = counts.row[keep].astype(np.int64) + start
        c = counts.col[keep].astype(np.int64)
        if r.size == 0:
            continue
        shared_count = counts.data[keep]
        shared = _at(m.weighted, m.binary, r, c)
        extra_r = _at(m.group_weight, m.groups, r, c) - _at(m.keyed_weighted, m.binary, r, c)
        extra_c = _at(m.group_weight, m.groups, c, r) - _at(m.keyed_weighted, m.binary, c, r)
        more_r = _at(m.group_count, m.groups, r, c) - _at(m.keyed, m.binary, r, c)
        more_c = _at(m.group_count, m.groups, c, r) - _at(m.keyed, m.binary, c, r)
        w_r, w_c = m.totals[r], m.totals[c]
        m_r = np.minimum(w_r, shared + np.maximum(extra_r, 0.0))
        m_c = np.minimum(w_c, shared + np.maximum(extra_c, 0.0))
        bound = np.maximum(_bound(m_r, w_r, m_c, w_c), _bound(m_c, w_c, m_r, w_r))
        smaller = np.minimum(m.sizes[r], m.sizes[c])
        enough = np.maximum(shared_count + more_r, shared_count + more_c) >= np.minimum(3, smaller)
        ok = (bound >= threshold - 1e-9) & enough
        found.extend(CandidatePair(int(a), int(b)) for a, b in zip(r[ok], c[ok], strict=True))
    return sorted(found, key=lambda p: (p.left, p.right))
