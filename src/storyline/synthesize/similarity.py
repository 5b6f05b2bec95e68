"""Sentence-similarity helpers shared by the timeline and the summary.

Sentences are compared on *content terms*: lower-cased words without English stop words,
reduced by a light suffix stripper (so "killed"/"kills", "talks"/"talk" meet), weighted by
TF-IDF over the sentences being compared and L2-normalised, so that a dot product is a cosine.
Nothing here knows about articles or stories; callers pass plain strings.

The seed format's ``date YYYY-MM-DD`` first-line header is part of an article's stored text
and so of its first sentence; :func:`header_length` / :func:`strip_header` find and drop it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:  # scipy is imported where a matrix is built (it is slow to import)
    from numpy.typing import NDArray
    from scipy.sparse import csr_matrix

from storyline.link.features import ENGLISH_STOP_WORDS

_HEADER = re.compile(r"\A\s*date\s+\d{4}-\d{2}-\d{2}(?![\d-])[\s:\u2013\u2014-]*", re.IGNORECASE)
_WORD = re.compile(r"[^\W_]+(?:['\u2019-][^\W_]+)*")
_SUFFIXES = ("ings", "ing", "ies", "ied", "ed", "es", "ly", "s")
_STOP = frozenset(ENGLISH_STOP_WORDS) | {"said", "says", "say", "mr", "mrs", "ms"}


def header_length(text: str) -> int:
    """Characters taken by a leading ``date YYYY-MM-DD`` header in ``text`` (0 if none)."""
    match = _HEADER.match(text)
    return match.end() if match else 0


def strip_header(text: str) -> str:
    """``text`` without a leading ``date YYYY-MM-DD`` header and surrounding whitespace."""
    return text[header_length(text) :].strip()


_TERMINAL = re.compile(r"[.!?][\"'\u201d\u2019)\]]*\s*\Z")


def ends_like_sentence(text: str) -> bool:
    """True when ``text`` ends with sentence-final punctuation (headlines and section titles
    such as "US relations with Israel" do not)."""
    return bool(_TERMINAL.search(text))


def stem(word: str) -> str:
    """A light suffix-stripped form of a lower-cased ``word`` (not a full Porter stemmer)."""
    word = word.replace("\u2019", "'")
    if word.endswith("'s"):
        word = word[:-2]
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            base = word[: -len(suffix)]
            if suffix in ("ies", "ied"):
                return base + "y"
            if suffix in ("ing", "ings", "ed") and len(base) > 3 and base[-1] == base[-2]:
                return base[:-1]  # "stopped" -> "stop"
            if suffix == "es" and not base.endswith(("s", "x", "z", "ch", "sh")):
                return word[:-1]  # "measures" -> "measure", but "taxes" -> "tax"
            return base
    return word


def words(text: str) -> list[str]:
    """All word tokens of ``text`` in order (letters/digits, inner hyphens and apostrophes)."""
    return _WORD.findall(text)


def content_terms(text: str) -> list[str]:
    """Stemmed, lower-cased content words of ``text`` (stop words and 1-letter words dropped).

    Cached per text (the timeline and the summary of a story read the same sentences)."""
    return list(_content_terms(text))


@lru_cache(maxsize=65536)
def _content_terms(text: str) -> tuple[str, ...]:
    terms: list[str] = []
    for word in words(text.lower()):
        for part in word.split("-"):
            if len(part) > 1 and part not in _STOP:
                terms.append(stem(part))
    return tuple(terms)


@dataclass(frozen=True, slots=True)
class SimilarityMatrix:
    """Pairwise cosine similarities of ``n`` texts (dense, symmetric, diagonal 1 or 0)."""

    values: NDArray[np.float64]

    @property
    def size(self) -> int:
        return int(self.values.shape[0])


def tfidf_matrix(texts: Sequence[str]) -> csr_matrix:
    """Sparse L2-normalised TF-IDF rows of ``texts`` over :func:`content_terms`.

    Texts without any content term get an all-zero row; no texts give a 0x1 matrix.
    """
    from scipy.sparse import csr_matrix

    if not texts:
        return csr_matrix((0, 1), dtype=np.float64)
    from sklearn.feature_extraction.text import TfidfVectorizer  # ~1 s to import: only here

    vectorizer = TfidfVectorizer(analyzer=content_terms, sublinear_tf=True, norm="l2")
    try:
        matrix = vectorizer.fit_transform(list(texts))
    except ValueError:  # sklearn: empty vocabulary (no content word anywhere)
        return csr_matrix((len(texts), 1), dtype=np.float64)
    return csr_matrix(matrix, dtype=np.float64)


def tfidf_vectors(texts: Sequence[str]) -> NDArray[np.float64]:
    """Dense rows of :func:`tfidf_matrix` (for a few hundred texts at most)."""
    return np.asarray(tfidf_matrix(texts).toarray(), dtype=np.float64)


def similarity_matrix(texts: Sequence[str]) -> SimilarityMatrix:
    """Cosine similarity of every pair of ``texts`` on TF-IDF content terms."""
    vectors = tfidf_vectors(texts)
    return SimilarityMatrix(values=np.asarray(vectors @ vectors.T, dtype=np.float64))


def overlap(a: str, b: str) -> float:
    """Overlap coefficient of the content-term sets of ``a`` and ``b`` (0 when one is empty)."""
    left, right = set(content_terms(a)), set(content_terms(b))
    if not left or not right:
        return 0.0
    return len(left & right) / min(len(left), len(right))
