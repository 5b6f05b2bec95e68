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

    def _minhash(self, grams: set[str]) -> MinHash:
        minhash = MinHash(num_perm=self.settings.dedup_num_perm, seed=1)
        minhash.update_batch([g.encode("utf-8") for g in sorted(grams)])
        return minhash

    def _root(self, article_id: str) -> str:
        return self._original.get(article_id, article_id)

    def add(self, article: Article) -> Duplicate | None:
        """Store ``article`` and return the duplicate link if it copies a stored article.

        The link points at the earliest stored copy (following links of stored duplicates);
        ``similarity`` is 1.0 for an exact copy of the normalised text, else the estimated
        Jaccard similarity with the matched article. Adding an id twice returns the first
        answer again without storing anything.
        """
        if article.id in self._order:
            root = self._root(article.id)
            if root == article.id:
                return None
            return Duplicate(article.id, root, self._hashes[article.id].jaccard(self._hashes[root]))
        self._order[article.id] = len(self._order)
        normalised = normalise_text(article.text)
        digest = hashlib.sha1(normalised.encode("utf-8")).hexdigest()
        grams = shingles(article.text, self.settings.dedup_shingle)
        minhash = self._minhash(grams)
        self._hashes[article.id] = minhash
        result: Duplicate | None = None
        if digest in self._exact and normalised:
            result = Duplicate(article.id, self._root(self._exact[digest]), 1.0)
        else:
            self._exact.setdefault(digest, article.id)
            best: tuple[int, str, float] | None = None
            for other in self._lsh.query(minhash) if grams else ():
                similarity = minhash.jaccard(self._hashes[other])
                if similarity < self.settings.dedup_threshold:
                    continue
                root = self._root(other)
                candidate = (self._order[root], root, similarity)
                if best is None or candidate[0] < best[0]:
                    best = candidate
            if best is not None:
                result = Duplicate(article.id, best[1], best[2])
        if grams:
            self._lsh.insert(article.id, minhash)
        if result is not None:
            self._original[article.id] = result.duplicate_of
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
