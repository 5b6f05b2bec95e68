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
from scipy.sparse import csr_matrix, hstack

#: rows of the set-by-term matrix multiplied at once
_ROWS = 256


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
    term_weight: NDArray[np.float64]  # per term: its weight
    term_keyed: NDArray[np.float64]  # per term: 1.0 when it can be a spelling variant
    groups2: csr_matrix  # set x (prefix group, twice): 1.0 when present
    group_sums: csr_matrix  # set x (group: weight of its keyed terms | group: their number)
    halves: csr_matrix  # (2 x groups) x 2: sums each half of a group_sums row
    totals: NDArray[np.float64]  # total weight of each set
    sizes: NDArray[np.float64]  # terms in each set


def _matrices(sets: Sequence[frozenset[str]], weights: Mapping[str, float]) -> _Matrices:
    vocabulary: dict[str, int] = {}
    prefix_groups: dict[str, int] = {}
    rows: list[int] = []
    cols: list[int] = []
    grp: list[int] = []  # the term's prefix group, -1 when it cannot be a variant
    for row, terms in enumerate(sets):
        for term in sorted(terms):
            rows.append(row)
            cols.append(vocabulary.setdefault(term, len(vocabulary)))
            grp.append(
                prefix_groups.setdefault(term[:3], len(prefix_groups)) if _keyed(term) else -1
            )
    n, v, g = len(sets), max(1, len(vocabulary)), max(1, len(prefix_groups))
    term_weight = np.ones(v, dtype=np.float64)
    term_keyed = np.zeros(v, dtype=np.float64)
    for term, column in vocabulary.items():
        term_weight[column] = weights.get(term, 1.0)
        term_keyed[column] = 1.0 if _keyed(term) else 0.0
    row_ids, col_ids, groups = (np.array(x, dtype=np.int64) for x in (rows, cols, grp))
    keyed = groups >= 0
    k_rows, k_groups, k_weights = row_ids[keyed], groups[keyed], term_weight[col_ids[keyed]]

    def build(
        data: NDArray[np.float64], r: NDArray[np.int64], c: NDArray[np.int64], width: int
    ) -> csr_matrix:
        matrix = csr_matrix((data, (r, c)), shape=(n, width), dtype=np.float64)
        matrix.sum_duplicates()
        matrix.eliminate_zeros()
        return matrix

    ones = np.ones(len(k_rows), dtype=np.float64)
    present = build(ones, k_rows, k_groups, g)
    present.data[:] = 1.0
    return _Matrices(
        binary=build(np.ones(len(rows)), row_ids, col_ids, v),
        term_weight=term_weight,
        term_keyed=term_keyed,
        groups2=csr_matrix(hstack([present, present], format="csr")),
        group_sums=build(
            np.concatenate([k_weights, ones]),
            np.concatenate([k_rows, k_rows]),
            np.concatenate([k_groups, k_groups + g]),
            2 * g,
        ),
        halves=csr_matrix(
            (np.ones(2 * g), (np.arange(2 * g), np.repeat([0, 1], g))), shape=(2 * g, 2)
        ),
        totals=np.array([sum(weights.get(t, 1.0) for t in s) for s in sets], dtype=np.float64),
        sizes=np.array([len(s) for s in sets], dtype=np.float64),
    )


def _variants(m: _Matrices, r: NDArray[np.int64], c: NDArray[np.int64]) -> NDArray[np.float64]:
    """Per pair, two columns: the weight and the number of the keyed terms of set ``r``
    whose prefix group also occurs in set ``c``."""
    return np.asarray((m.group_sums[r].multiply(m.groups2[c]) @ m.halves).toarray())


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
        both = m.binary[r].multiply(m.binary[c])  # the terms each pair shares
        shared = np.asarray(both @ m.term_weight).ravel()
        shared_keyed_weight = np.asarray(both @ (m.term_weight * m.term_keyed)).ravel()
        shared_keyed = np.asarray(both @ m.term_keyed).ravel()
        of_r, of_c = _variants(m, r, c), _variants(m, c, r)
        extra_r, extra_c = of_r[:, 0] - shared_keyed_weight, of_c[:, 0] - shared_keyed_weight
        more_r, more_c = of_r[:, 1] - shared_keyed, of_c[:, 1] - shared_keyed
        w_r, w_c = m.totals[r], m.totals[c]
        m_r = np.minimum(w_r, shared + np.maximum(extra_r, 0.0))
        m_c = np.minimum(w_c, shared + np.maximum(extra_c, 0.0))
        bound = np.maximum(_bound(m_r, w_r, m_c, w_c), _bound(m_c, w_c, m_r, w_r))
        smaller = np.minimum(m.sizes[r], m.sizes[c])
        enough = np.maximum(shared_count + more_r, shared_count + more_c) >= np.minimum(3, smaller)
        ok = (bound >= threshold - 1e-9) & enough
        found.extend(CandidatePair(int(a), int(b)) for a, b in zip(r[ok], c[ok], strict=True))
    return sorted(found, key=lambda p: (p.left, p.right))
