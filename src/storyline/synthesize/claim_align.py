"""Which numeric claims of one story report the same fact: blocked, vectorised alignment.

Needs ``ClaimContext`` records (plus the years that date each claim); adds score matrices and
average-link clusters of claim indices. The rules are those of
:func:`storyline.synthesize.conflicts.align_score` and ``can_align``, computed for whole
blocks at once with numpy instead of pair by pair, so a story with thousands of claims stays
fast:

- *Blocking*: two claims can only align with the same predicate, unit and running-total flag,
  so claims are split into blocks by that key and never compared across blocks.
- *Scores*: inside a block, clause-word Jaccard, shared weekdays and shared places come from
  sparse indicator matrices; the same additions in the same order as ``align_score`` give
  bit-identical scores. A forbidden pair (other subject, other weekday, other year, other
  measured attribute) scores -1.
- *Clustering*: average-link agglomeration in which a forbidden pair blocks a merge, with a
  cached best partner per row (about O(k^2) per block of k claims instead of O(k^3)). Means
  are compared rounded to 1e-9; ties go to the last pair in cluster order, as in the plain
  agglomeration this replaces.
- *Limit*: a block above :data:`MAX_BLOCK` claims is cut, in input order, into chunks of at
  most that size that are clustered separately (claims in different chunks never merge), so
  memory stays bounded (a k x k float matrix per chunk).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy.sparse import csr_matrix

from storyline.annotate.claims import ClaimContext

#: largest group of claims clustered as one; bigger blocks are cut into chunks of this size
MAX_BLOCK = 2000
_WEEKDAY = re.compile(r"Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday")
_DIGITS = 9  # means are compared rounded to this many decimals
_DENSE_CELLS = 250_000  # indicator matrices up to this size are multiplied densely


@dataclass(frozen=True, slots=True)
class AlignRules:
    """The constants of ``align_score`` (passed in so the two stay one definition)."""

    generic_subjects: frozenset[str]
    event_predicates: frozenset[str]
    event_base: float


@dataclass(frozen=True, slots=True)
class ClaimFeatures:
    """What alignment looks at for one claim: its context, dating years and clause words."""

    context: ClaimContext
    years: frozenset[int]
    words: frozenset[str]


@dataclass(frozen=True, slots=True)
class BlockScores:
    """Pair scores of one block: ``scores[i, j]`` is the alignment score (>= 0) or -1 when
    the pair may never merge; ``allowed[i, j]`` is True when it may (diagonal included)."""

    members: tuple[int, ...]  # indices into the story's claims
    scores: NDArray[np.float64]
    allowed: NDArray[np.bool_]


def blocks(features: Sequence[ClaimFeatures]) -> list[tuple[int, ...]]:
    """Indices of ``features`` grouped by (predicate, unit, running total), in first-seen
    order, each block cut into chunks of at most :data:`MAX_BLOCK`."""
    found: dict[tuple[str, str | None, bool], list[int]] = {}
    for index, feature in enumerate(features):
        claim = feature.context.claim
        found.setdefault((claim.predicate, claim.unit, feature.context.cumulative), []).append(
            index
        )
    out: list[tuple[int, ...]] = []
    for members in found.values():
        for start in range(0, len(members), MAX_BLOCK):
            out.append(tuple(members[start : start + MAX_BLOCK]))
    return out


def _indicator(sets: Sequence[frozenset[str] | frozenset[int] | set[str]]) -> csr_matrix:
    """Sparse 0/1 matrix with one row per set and one column per distinct element."""
    vocabulary: dict[object, int] = {}
    rows: list[int] = []
    cols: list[int] = []
    for row, items in enumerate(sets):
        for item in items:
            rows.append(row)
            cols.append(vocabulary.setdefault(item, len(vocabulary)))
    data = np.ones(len(rows), dtype=np.float64)
    return csr_matrix((data, (rows, cols)), shape=(len(sets), max(1, len(vocabulary))))


def _shared(sets: Sequence[frozenset[str] | frozenset[int] | set[str]]) -> NDArray[np.float64]:
    """Dense k x k counts of the elements two sets share."""
    matrix = _indicator(sets)
    if matrix.shape[0] * matrix.shape[1] <= _DENSE_CELLS:  # small blocks: dense is faster
        dense = np.asarray(matrix.toarray(), dtype=np.float64)
        return np.asarray(dense @ dense.T, dtype=np.float64)
    return np.asarray((matrix @ matrix.T).toarray(), dtype=np.float64)


def _codes(values: Sequence[str]) -> NDArray[np.int64]:
    index: dict[str, int] = {}
    return np.array([index.setdefault(v, len(index)) for v in values], dtype=np.int64)


def _weekdays(context: ClaimContext) -> frozenset[str]:
    return frozenset(t for t in context.times if _WEEKDAY.fullmatch(t))


def block_scores(
    features: Sequence[ClaimFeatures], members: Sequence[int], rules: AlignRules
) -> BlockScores:
    """Pair scores of the claims ``members`` of one block (same predicate, unit, running
    total): ``align_score`` where ``can_align`` holds and the years do not differ, else -1."""
    block = [features[i] for i in members]
    claims = [f.context.claim for f in block]
    k = len(block)
    subjects = [c.subject for c in claims]
    lower = _codes([s.lower() for s in subjects])
    generic = np.array([s.lower() in rules.generic_subjects for s in subjects])
    allowed = (lower[:, None] == lower[None, :]) | generic[:, None] | generic[None, :]
    exact = _codes(subjects)
    same_subject = exact[:, None] == exact[None, :]
    if claims and claims[0].predicate == "measure":
        own = np.array([c.subject == c.unit for c in claims])
        allowed &= same_subject & ~own[:, None]
    days = [_weekdays(f.context) for f in block]
    has_day = np.array([bool(d) for d in days])
    day_shared = _shared(days) > 0
    allowed &= ~(has_day[:, None] & has_day[None, :] & ~day_shared)
    has_year = np.array([bool(f.years) for f in block])
    allowed &= ~(has_year[:, None] & has_year[None, :] & ~(_shared([f.years for f in block]) > 0))
    sizes = np.array([len(f.words) for f in block], dtype=np.float64)
    inter = _shared([f.words for f in block])
    union = np.maximum(1.0, sizes[:, None] + sizes[None, :] - inter)
    jaccard = inter / union
    positive = np.array([c.value > 0 for c in claims])
    event = bool(claims) and claims[0].predicate in rules.event_predicates
    score = np.where(positive[:, None] & positive[None, :] & event, rules.event_base, 0.0).astype(
        np.float64
    )
    score = score + (2.0 * jaccard + 0.5 * day_shared)
    places = [frozenset(f.context.places) for f in block]
    has_place = np.array([bool(p) for p in places])
    place_shared = _shared(places) > 0
    score = np.where(place_shared, score + 1.0, score)
    apart = ~place_shared & has_place[:, None] & has_place[None, :]
    score = np.where(apart, score - rules.event_base, score)
    if block and block[0].context.cumulative:
        score = np.where(same_subject, score + 0.5, score)
    score = np.where(allowed, np.maximum(0.0, score), -1.0)
    np.fill_diagonal(score, 0.0)
    return BlockScores(tuple(members), score.reshape(k, k), allowed.reshape(k, k))


def average_link(scores: NDArray[np.float64], threshold: float) -> list[list[int]]:
    """Average-link agglomerative clusters of the rows of a symmetric score matrix; a
    negative score forbids any merge joining that pair. Repeatedly merges the pair of
    clusters with the highest mean score (>= ``threshold``; ties: the last pair in order of
    the clusters' first members) and returns the clusters in order of their first member,
    members in merge order."""
    k = int(scores.shape[0])
    sums = np.where(scores < 0.0, 0.0, scores).astype(np.float64)
    forbid = scores < 0.0
    size = np.ones(k, dtype=np.float64)
    alive = np.ones(k, dtype=bool)
    clusters: list[list[int]] = [[i] for i in range(k)]
    best_value = np.full(k, -np.inf)
    best_partner = np.full(k, -1, dtype=np.int64)

    columns = np.arange(k)

    def refresh(rows: NDArray[np.int64]) -> None:
        """Recompute the best later partner of each of ``rows``."""
        if rows.size == 0:
            return
        means = np.round(sums[rows] / (size[rows, None] * size[None, :]), _DIGITS)
        dead = forbid[rows] | ~alive[None, :] | (columns[None, :] <= rows[:, None])
        values = np.where(dead, -np.inf, means)
        top = values.max(axis=1)
        last = k - 1 - np.argmax(values[:, ::-1] == top[:, None], axis=1)
        best_value[rows] = top
        best_partner[rows] = np.where(top > -np.inf, last, -1)

    for start in range(0, k, 256):
        refresh(columns[start : start + 256])
    while True:
        live = np.where(alive, best_value, -np.inf)
        top = float(live.max()) if k else -np.inf
        if top < threshold:
            break
        x = int(np.flatnonzero(live == top)[-1])
        y = int(best_partner[x])
        sums[x, :] += sums[y, :]
        sums[:, x] += sums[:, y]
        forbid[x, :] |= forbid[y, :]
        forbid[:, x] |= forbid[:, y]
        size[x] += size[y]
        alive[y] = False
        clusters[x] = clusters[x] + clusters[y]
        refresh(np.array([x]))
        before = np.flatnonzero(alive[:x])
        if before.size:
            means = np.round(sums[before, x] / (size[before] * size[x]), _DIGITS)
            values = np.where(forbid[before, x], -np.inf, means)
            current, partner = best_value[before], best_partner[before]
            # the merged column x beats the old best: it is the new best (on a tie with
            # an old best at x itself, x stays; an old best at y lay after x, so recompute)
            take = (values > current) | ((values == current) & (partner == x))
            take &= values > -np.inf
            best_value[before[take]] = values[take]
            best_partner[before[take]] = x
            stale = ~take & np.isin(partner, (x, y))
            refresh(before[stale])
            keep = ~take & ~stale & (values == current) & (values > -np.inf) & (x > partner)
            best_partner[before[keep]] = x
        refresh(x + 1 + np.flatnonzero(alive[x + 1 : y] & (best_partner[x + 1 : y] == y)))
    return [clusters[i] for i in np.flatnonzero(alive).tolist()]
