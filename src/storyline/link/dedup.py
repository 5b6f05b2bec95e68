"""Near-duplicate articles: MinHash over word shingles, candidates from MinHash LSH.

Needs: Articles (their text). Adds: ``Duplicate`` records that point a copy at the earliest
stored article it copies, so the copy is not analysed twice.

Texts are normalised first (date header dropped, accents folded, lower case, punctuation
removed), so exact copies that differ in whitespace or quotes are caught by a hash of the
normalised text before any MinHash work. A near-duplicate is an article whose estimated
Jaccard similarity of ``dedup_shingle``-word shingles with a stored article reaches
``dedup_threshold``: a re-titled or lightly edited wire copy qualifies, a paraphrase does not.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import date

from datasketch import MinHash, MinHashLSH

from storyline.config import Settings
from storyline.link.features import normalise_text
from storyline.model import Article, Duplicate


def shingles(text: str, size: int) -> set[str]:
    """Word ``size``-grams of the normalised ``text``; a shorter text is one shingle."""
    tokens = normalise_text(text).split()
    if len(tokens) <= size:
        return {" ".join(tokens)} if tokens else set()
    return {" ".join(tokens[i : i + size]) for i in range(len(tokens) - size + 1)}


class NearDuplicateIndex:
    """A streaming index of articles: ``add`` each article once, in publication order.

    Memory per stored article is one MinHash (``dedup_num_perm`` 64-bit values) plus its
    LSH bucket entries; the cost of ``add`` does not grow with the number stored.
    """

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        # the LSH bands are tuned for recall (a lower threshold, false negatives weighted
        # 4x): every candidate is checked against dedup_threshold afterwards anyway
        self._lsh = MinHashLSH(
            threshold=max(0.3, settings.dedup_threshold - 0.2),
            num_perm=settings.dedup_num_perm,
            weights=(0.2, 0.8),
        )
        self._hashes: dict[str, MinHash] = {}
        self._exact: dict[str, str] = {}  # sha1 of normalised text -> article id
        self._order: dict[str, int] = {}  # article id -> insertion number
        self._original: dict[str, str] = {}  # duplicate id -> earliest copy

    def __len__(self) -> int:
        return len(self._order)

    def __contains__(self, article_id: object) -> bool:
        return article_id in self._order

    def minhash(self, text: str) -> tuple[MinHash, bool]:
        """The MinHash of ``text``'s shingles, and whether it has any shingles."""
        grams = shingles(text, self.settings.dedup_shingle)
        minhash = MinHash(num_perm=self.settings.dedup_num_perm, seed=1)
        minhash.update_batch([g.encode("utf-8") for g in sorted(grams)])
        return minhash, bool(grams)

    # -- where the index keeps things (``link.dedup_state`` keeps them in SQLite) --------
    def _root(self, article_id: str) -> str:
        return self._original.get(article_id, article_id)

    def _register(self, article_id: str, digest: str, minhash: MinHash) -> None:
        self._order[article_id] = len(self._order)
        self._hashes[article_id] = minhash

    def _exact_match(self, digest: str) -> str | None:
        return self._exact.get(digest)

    def _remember_digest(self, digest: str, article_id: str) -> None:
        self._exact.setdefault(digest, article_id)

    def _candidates(self, minhash: MinHash) -> list[str]:
        return list(self._lsh.query(minhash))

    def _hash_of(self, article_id: str) -> MinHash:
        return self._hashes[article_id]

    def _position(self, article_id: str) -> int:
        return self._order[article_id]

    def _insert(self, article_id: str, minhash: MinHash) -> None:
        self._lsh.insert(article_id, minhash)

    def _link(self, article_id: str, original: str) -> None:
        self._original[article_id] = original

    # -- the algorithm --------------------------------------------------------------------
    def add(self, article: Article) -> Duplicate | None:
        """Store ``article`` and return the duplicate link if it copies a stored article.

        The link points at the earliest stored copy (following links of stored duplicates);
        ``similarity`` is 1.0 for an exact copy of the normalised text, else the estimated
        Jaccard similarity with the matched article (the most similar copy of that
        original). Adding an id twice returns the first answer again without storing it.
        """
        if article.id in self:
            root = self._root(article.id)
            if root == article.id:
                return None
            similarity = self._hash_of(article.id).jaccard(self._hash_of(root))
            return Duplicate(article.id, root, similarity)
        normalised = normalise_text(article.text)
        digest = hashlib.sha1(normalised.encode("utf-8")).hexdigest()
        minhash, has_grams = self.minhash(article.text)
        exact = self._exact_match(digest) if normalised else None
        self._register(article.id, digest, minhash)
        result: Duplicate | None = None
        if exact is not None:
            result = Duplicate(article.id, self._root(exact), 1.0)
        else:
            self._remember_digest(digest, article.id)
            best: tuple[int, float, str] | None = None
            for other in sorted(self._candidates(minhash)) if has_grams else ():
                if other == article.id:
                    continue
                similarity = minhash.jaccard(self._hash_of(other))
                if similarity < self.settings.dedup_threshold:
                    continue
                root = self._root(other)
                candidate = (self._position(root), -similarity, root)
                if best is None or candidate < best:
                    best = candidate
            if best is not None:
                result = Duplicate(article.id, best[2], -best[1])
        if has_grams:
            self._insert(article.id, minhash)
        if result is not None:
            self._link(article.id, result.duplicate_of)
        return result


def publication_order(articles: Sequence[Article]) -> list[Article]:
    """``articles`` sorted by publication date, undated ones last, input order on ties."""
    return sorted(articles, key=lambda a: (a.published is None, a.published or date.min))


def find_duplicates(articles: Sequence[Article], settings: Settings) -> list[Duplicate]:
    """All duplicate links among ``articles``, found in publication order (undated last), so
    ``duplicate_of`` names the earliest copy. Articles that copy nothing are not listed."""
    index = NearDuplicateIndex(settings)
    found: list[Duplicate] = []
    for article in publication_order(articles):
        duplicate = index.add(article)
        if duplicate is not None:
            found.append(duplicate)
    return found
