"""Near-duplicates on Spark: the local engine's MinHash LSH, as banded signatures and a join.

Needs: an RDD of (stream order, Article). Adds: the same ``Duplicate`` links as
``storyline.link.dedup.find_duplicates`` over the same articles.

Each article's signature is computed on the executors with the local index's own code
(``shingles``, the same datasketch ``MinHash`` with ``dedup_num_perm`` and seed, the same
``normalise_text`` digest). Candidate pairs are the articles that share an LSH band,
with the band ranges of the local ``MinHashLSH`` (same threshold and weights), so the
candidates are exactly the local index's; each pair is verified with ``MinHash.jaccard``
against ``dedup_threshold``. Only the verified pairs (ids and scores, never texts) come
back to the driver, where the stream decision of the local index is replayed in
publication order: exact copies first, then the candidate whose root copy is earliest.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from datasketch import LeanMinHash

from storyline.config import Settings
from storyline.link.dedup import NearDuplicateIndex
from storyline.link.features import normalise_text
from storyline.model import Article, Duplicate
from storyline.spark.records import Order

if TYPE_CHECKING:
    from pyspark import RDD


@dataclass(frozen=True, slots=True)
class Signature:
    """What the duplicate search keeps of one article (``minhash`` None: no shingles)."""

    order: Order
    article: str
    digest: str
    has_text: bool
    minhash: LeanMinHash | None


@dataclass(frozen=True, slots=True)
class Match:
    """A verified pair: ``later`` comes after ``earlier`` in the stream."""

    later: str
    later_order: Order
    earlier: str
    earlier_order: Order
    similarity: float
    exact: bool


@dataclass(slots=True)
class _Incoming:
    order: Order
    exact: list[Match] = field(default_factory=list)
    near: list[Match] = field(default_factory=list)


def band_ranges(settings: Settings) -> list[tuple[int, int]]:
    """The (start, end) ranges of the LSH bands the local index uses."""
    index = NearDuplicateIndex(settings)
    return [(int(a), int(b)) for a, b in index._lsh.hashranges]


def signatures(rows: Iterable[tuple[Order, Article]], settings: Settings) -> Iterator[Signature]:
    """Signatures of one partition's articles, computed as the local index computes them."""
    index = NearDuplicateIndex(settings)
    for order, article in rows:
        normalised = normalise_text(article.text)
        digest = hashlib.sha1(normalised.encode("utf-8")).hexdigest()
        full, has_grams = index.minhash(article.text)
        minhash = LeanMinHash(full) if has_grams else None
        yield Signature(order, article.id, digest, bool(normalised), minhash)


def _pairs(members: Iterable[tuple[Order, str]]) -> Iterator[tuple[str, str]]:
    """(later, earlier) for every pair of a bucket's members."""
    ordered = sorted(set(members))
    for i, (_, earlier) in enumerate(ordered):
        for _, later in ordered[i + 1 :]:
            yield later, earlier


def _exact(members: Iterable[tuple[Order, str]]) -> Iterator[Match]:
    ordered = sorted(members)
    first_order, first = ordered[0]
    for order, later in ordered[1:]:
        yield Match(later, order, first, first_order, 1.0, exact=True)


def _bands(
    sig: Signature, ranges: list[tuple[int, int]]
) -> Iterator[tuple[bytes, tuple[Order, str]]]:
    if sig.minhash is None:
        return
    values = sig.minhash.hashvalues
    for number, (start, end) in enumerate(ranges):
        key = number.to_bytes(2, "big") + values[start:end].tobytes()
        yield key, (sig.order, sig.article)


def _verify(
    pair: tuple[str, tuple[tuple[str, Signature], Signature]], threshold: float
) -> Iterator[Match]:
    _, ((_, later), earlier) = pair
    assert later.minhash is not None and earlier.minhash is not None
    similarity = float(later.minhash.jaccard(earlier.minhash))
    if similarity >= threshold:
        yield Match(later.article, later.order, earlier.article, earlier.order, similarity, False)


def find_matches(rows: RDD[tuple[Order, Article]], settings: Settings) -> list[Match]:
    """Every exact-copy pair and every LSH candidate pair at or above ``dedup_threshold``."""
    sigs = rows.mapPartitions(lambda part: signatures(part, settings)).cache()
    exact = (
        sigs.filter(lambda s: s.has_text)
        .map(lambda s: (s.digest, (s.order, s.article)))
        .groupByKey()
        .filter(lambda kv: len(kv[1]) > 1)  # type: ignore[arg-type]
        .flatMap(lambda kv: _exact(kv[1]))
    )
    ranges = band_ranges(settings)
    candidates = (
        sigs.flatMap(lambda s: _bands(s, ranges))
        .groupByKey()
        .filter(lambda kv: len(kv[1]) > 1)  # type: ignore[arg-type]
        .flatMap(lambda kv: _pairs(kv[1]))
        .distinct()
    )
    by_id = sigs.filter(lambda s: s.minhash is not None).map(lambda s: (s.article, s))
    threshold = settings.dedup_threshold
    near = (
        candidates.join(by_id)
        .map(lambda kv: (kv[1][0], (kv[0], kv[1][1])))
        .join(by_id)
        .flatMap(lambda pair: _verify(pair, threshold))
    )
    matches: list[Match] = exact.union(near).collect()
    sigs.unpersist()
    return matches


def resolve(matches: Iterable[Match]) -> list[Duplicate]:
    """Replay the local index's stream over the verified pairs, in publication order.

    An exact copy points at the root of the first article with the same normalised text;
    otherwise the article points at the matched article whose root copy is earliest
    (several matches with that root: the highest similarity). Returns the links in
    stream order, like ``find_duplicates``."""
    incoming: dict[str, _Incoming] = {}
    order: dict[str, Order] = {}
    for match in matches:
        order[match.earlier] = match.earlier_order
        order[match.later] = match.later_order
        slot = incoming.setdefault(match.later, _Incoming(match.later_order))
        (slot.exact if match.exact else slot.near).append(match)
    original: dict[str, str] = {}
    found: list[Duplicate] = []
    for article in sorted(incoming, key=lambda a: incoming[a].order):
        slot = incoming[article]
        duplicate: Duplicate | None = None
        if slot.exact:
            first = slot.exact[0].earlier
            duplicate = Duplicate(article, original.get(first, first), 1.0)
        elif slot.near:
            best: tuple[Order, float, str] | None = None
            for match in slot.near:
                root = original.get(match.earlier, match.earlier)
                candidate = (order[root], -match.similarity, root)
                if best is None or candidate < best:
                    best = candidate
            assert best is not None
            duplicate = Duplicate(article, best[2], -best[1])
        if duplicate is not None:
            original[article] = duplicate.duplicate_of
            found.append(duplicate)
    return found


def find_duplicates_spark(rows: RDD[tuple[Order, Article]], settings: Settings) -> list[Duplicate]:
    """The duplicate links among ``rows``, as ``find_duplicates`` finds them locally."""
    return resolve(find_matches(rows, settings))
