"""Sentence-level reuse between articles of one story.

Needs: AnnotatedArticles with sentences. Adds: ``Reuse`` records (which sentences of the later
article ``b`` copy or closely paraphrase which sentences of the earlier article ``a``), from
which ``link.families`` groups articles into wire families.

Sentence similarity. Each sentence becomes a set of content terms (``features.content_terms``),
each mapped to a canonical form through a small synonym table ("visit" ~ "travel",
"talks" ~ "meet"). Two terms match when their canonical forms are equal or they are spelling
variants (same first three letters and a difflib ratio >= 0.8: "Mahmoud" ~ "Mahmud"). Terms
are weighted by inverse sentence frequency inside the compared articles, so shared rare words
and names count more than words every sentence of the story has. With ``m_x`` the matched
weight of sentence x and ``w_x`` its total weight (x the sentence with fewer terms, y the
other), the similarity is the mean of containment ``m_x / w_x`` and overlap
``(m_x + m_y) / (w_x + w_y)``; a pair needs at least three matched terms (or all terms of a
two-term sentence). Pairs at or above ``reuse_threshold`` are aligned one to one, best first.

Scale: ``find_reuse`` does not align every pair of articles. It joins the story's distinct
sentence term sets (``link.sentence_join``: sparse products, a similarity bound that never
drops an acceptable pair), scores each candidate pair of sets once, and aligns only the
article pairs that hold such sentences; the records are the same as aligning every pair.

Pair score: the number of aligned sentence pairs divided by the number of sentences of the
shorter article (sentences with at least two content terms), so 1.0 means every sentence
of the shorter article reappears in the other. ``verbatim`` counts the aligned pairs that
also repeat the wording (``link.verbatim``); a wire family needs a few
(``link.families.family_link``).
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from difflib import SequenceMatcher
from functools import lru_cache

import numpy as np
from numpy.typing import NDArray

from storyline.config import Settings
from storyline.link.features import content_terms, strip_header
from storyline.link.paraphrase import paraphrased
from storyline.link.sentence_join import candidate_pairs
from storyline.link.verbatim import RunCache
from storyline.model import AnnotatedArticle, Reuse

#: light synonym groups (stemmed forms); the first word is the canonical form
_SYNONYMS: tuple[tuple[str, ...], ...] = (
    ("travel", "visit", "trip", "tour", "head", "go", "going", "travelled", "traveled"),
    ("talk", "meet", "meeting", "met", "discuss", "discussed", "discussion", "held"),
    ("kill", "killed", "dead", "death", "die", "died", "slain", "live", "fatal"),
    ("call", "called", "urge", "urged", "appeal", "appealed", "demand", "demanded"),
    ("step", "measure", "action"),
    ("attack", "assault", "shooting", "raid"),
    ("injure", "injured", "wound", "wounded", "hurt"),
    ("start", "begin", "began", "launch", "launched"),
    ("restore", "restoring", "restored", "return"),
    ("calm", "deescalate"),
    ("help", "aid", "assist", "support"),
    ("rise", "risen", "rose", "increase", "increased", "mount", "climb"),
    ("confirm", "confirmed", "verify", "verified"),
    ("hope", "hopefully"),
)
_CANONICAL: dict[str, str] = {word: group[0] for group in _SYNONYMS for word in group}
_MIN_MATCHED = 3


def canonical(term: str) -> str:
    """The synonym-group representative of a stemmed content term."""
    return _CANONICAL.get(term, term)


@lru_cache(maxsize=65536)
def _spelling_variant(x: str, y: str) -> bool:
    if len(x) < 4 or len(y) < 4 or x[:3] != y[:3] or x.isdigit() or y.isdigit():
        return False
    return SequenceMatcher(None, x, y).ratio() >= 0.8


@dataclass(frozen=True, slots=True)
class SentenceTerms:
    """The canonical content terms of one sentence of one article."""

    article: str
    index: int
    terms: frozenset[str]


@dataclass(frozen=True, slots=True)
class SentenceMatch:
    """One aligned sentence pair with its similarity."""

    a: int
    b: int
    similarity: float


def sentence_terms(doc: AnnotatedArticle) -> list[SentenceTerms]:
    """Canonical content terms of each sentence of ``doc`` (date header removed)."""
    out: list[SentenceTerms] = []
    for sentence in doc.sentences:
        text = strip_header(sentence.text) if sentence.index == 0 else sentence.text
        terms = frozenset(canonical(t) for t in content_terms(text))
        out.append(SentenceTerms(doc.article.id, sentence.index, terms))
    return out


def term_weights(sentences: Iterable[SentenceTerms]) -> dict[str, float]:
    """Inverse sentence frequency ``1 + ln((S + 1) / (df + 1))`` of every term."""
    df: Counter[str] = Counter()
    count = 0
    for sentence in sentences:
        count += 1
        df.update(sentence.terms)
    return {t: 1.0 + math.log((count + 1) / (n + 1)) for t, n in df.items()}


def _matched(x: frozenset[str], y: frozenset[str]) -> set[str]:
    """Terms of ``x`` that match a term of ``y`` exactly or as a spelling variant."""
    found = set(x & y)
    rest = y - found
    for term in x - found:
        if any(_spelling_variant(term, other) for other in rest):
            found.add(term)
    return found


def sentence_similarity(
    x: frozenset[str], y: frozenset[str], weights: Mapping[str, float]
) -> float:
    """Similarity in [0, 1] of two term sets (see the module docstring); 0.0 when fewer
    than three terms (or not all terms of a two-term sentence) match."""
    if len(x) > len(y):
        x, y = y, x
    if len(x) < 2:
        return 0.0
    matched_x = _matched(x, y)
    if len(matched_x) < min(_MIN_MATCHED, len(x)):
        return 0.0
    matched_y = _matched(y, x)
    w_x = sum(weights.get(t, 1.0) for t in x)
    w_y = sum(weights.get(t, 1.0) for t in y)
    m_x = sum(weights.get(t, 1.0) for t in matched_x)
    m_y = sum(weights.get(t, 1.0) for t in matched_y)
    return 0.5 * (m_x / w_x) + 0.5 * ((m_x + m_y) / (w_x + w_y))


def align(
    a: Sequence[SentenceTerms],
    b: Sequence[SentenceTerms],
    weights: Mapping[str, float],
    threshold: float,
) -> list[SentenceMatch]:
    """One-to-one sentence pairs of ``a`` and ``b`` with similarity >= ``threshold``, best
    first, sorted by the sentence of ``b``. Only pairs sharing two terms are scored."""
    index: dict[str, list[int]] = defaultdict(list)
    for position, sentence in enumerate(a):
        for term in sentence.terms:
            index[term].append(position)
    scored: list[SentenceMatch] = []
    for sentence in b:
        shared: Counter[int] = Counter()
        for term in sentence.terms:
            shared.update(index.get(term, ()))
        for position, count in shared.items():
            if count < 2:
                continue
            similarity = sentence_similarity(a[position].terms, sentence.terms, weights)
            if similarity >= threshold:
                scored.append(SentenceMatch(a[position].index, sentence.index, similarity))
    return _one_to_one(scored)


def _one_to_one(scored: Sequence[SentenceMatch], *, ordered_: bool = False) -> list[SentenceMatch]:
    """Greedy one-to-one choice among scored sentence pairs: best first (ties: earlier
    sentence of ``b``, then of ``a``; ``ordered_`` when ``scored`` is already in that
    order), returned sorted by the sentence of ``b``."""
    if len(scored) == 1:
        return list(scored)
    used_a: set[int] = set()
    used_b: set[int] = set()
    chosen: list[SentenceMatch] = []
    ranked = scored if ordered_ else sorted(scored, key=lambda m: (-m.similarity, m.b, m.a))
    for match in ranked:
        if match.a not in used_a and match.b not in used_b:
            used_a.add(match.a)
            used_b.add(match.b)
            chosen.append(match)
    return sorted(chosen, key=lambda m: (m.b, m.a))


def _substantive(sentences: Sequence[SentenceTerms]) -> int:
    return sum(1 for s in sentences if len(s.terms) >= 2)


def _compare_terms(
    a_id: str,
    b_id: str,
    a: Sequence[SentenceTerms],
    b: Sequence[SentenceTerms],
    weights: Mapping[str, float],
    settings: Settings,
) -> Reuse | None:
    matches = align(a, b, weights, settings.reuse_threshold)
    if not matches:
        return None
    shorter = max(1, min(_substantive(a), _substantive(b)))
    score = min(1.0, len(matches) / shorter)
    return Reuse(a_id, b_id, round(score, 4), tuple((m.a, m.b) for m in matches))


def compare(a: AnnotatedArticle, b: AnnotatedArticle, settings: Settings) -> Reuse | None:
    """Which sentences of ``b`` copy or paraphrase sentences of ``a`` (``a`` is the earlier
    article); None when no sentence is shared. Term weights come from the two articles."""
    terms_a, terms_b = sentence_terms(a), sentence_terms(b)
    weights = term_weights([*terms_a, *terms_b])
    found = _compare_terms(a.article.id, b.article.id, terms_a, terms_b, weights, settings)
    return None if found is None else RunCache([a, b], settings.wire_verbatim_words).verbatim(found)


def _order_key(doc: AnnotatedArticle) -> tuple[bool, date]:
    return (doc.article.published is None, doc.article.published or date.min)


@dataclass(frozen=True, slots=True)
class _Occurrences:
    """Where one distinct term set occurs: article positions (story order), sentences."""

    articles: NDArray[np.int64]
    sentences: NDArray[np.int64]


@dataclass(frozen=True, slots=True)
class _Matches:
    """Sentence pairs at or above the threshold: article ``first`` (earlier) sentence ``a``
    ~ article ``second`` sentence ``b``, one array entry per pair."""

    first: NDArray[np.int64]
    second: NDArray[np.int64]
    a: NDArray[np.int64]
    b: NDArray[np.int64]
    similarity: NDArray[np.float64]


def _distinct_sets(
    terms: Sequence[Sequence[SentenceTerms]],
) -> tuple[list[frozenset[str]], list[_Occurrences]]:
    """The distinct term sets (two or more terms) of the story and where each occurs."""
    index: dict[frozenset[str], int] = {}
    where: list[list[tuple[int, int]]] = []
    for position, sentences in enumerate(terms):
        for sentence in sentences:
            if len(sentence.terms) < 2:
                continue  # never shares the two terms align needs
            number = index.setdefault(sentence.terms, len(index))
            if number == len(where):
                where.append([])
            where[number].append((position, sentence.index))
    occurrences = [
        _Occurrences(
            np.array([p for p, _ in w], dtype=np.int64), np.array([s for _, s in w], dtype=np.int64)
        )
        for w in where
    ]
    return list(index), occurrences


def _similar_sentences(
    sets: Sequence[frozenset[str]],
    where: Sequence[_Occurrences],
    weights: Mapping[str, float],
    threshold: float,
) -> _Matches:
    """Every pair of sentences of different articles whose term sets share two terms and
    score at least ``threshold`` (the earlier article's sentence first, as in :func:`align`)."""
    pairs = [(p.left, p.right) for p in candidate_pairs(sets, weights, threshold)]
    pairs.extend((u, u) for u in range(len(sets)) if where[u].articles.size > 1)
    firsts: list[NDArray[np.int64]] = []
    seconds: list[NDArray[np.int64]] = []
    a_sentences: list[NDArray[np.int64]] = []
    b_sentences: list[NDArray[np.int64]] = []
    sims: list[NDArray[np.float64]] = []
    for u, v in pairs:
        x, y = where[u], where[v]
        ax, ay = np.meshgrid(x.articles, y.articles, indexing="ij")
        sx, sy = np.meshgrid(x.sentences, y.sentences, indexing="ij")
        for u_first in (True, False):
            if u == v and not u_first:
                continue  # the same set: each pair of occurrences once
            left, right = (u, v) if u_first else (v, u)
            similarity = sentence_similarity(sets[left], sets[right], weights)
            if similarity < threshold:
                continue
            keep = ax < ay if u_first else ax > ay
            firsts.append((ax if u_first else ay)[keep])
            seconds.append((ay if u_first else ax)[keep])
            a_sentences.append((sx if u_first else sy)[keep])
            b_sentences.append((sy if u_first else sx)[keep])
            sims.append(np.full(int(keep.sum()), similarity))
    if not sims:
        empty = np.zeros(0, dtype=np.int64)
        return _Matches(empty, empty, empty, empty, np.zeros(0))
    return _Matches(
        np.concatenate(firsts),
        np.concatenate(seconds),
        np.concatenate(a_sentences),
        np.concatenate(b_sentences),
        np.concatenate(sims),
    )


def find_reuse(articles: Sequence[AnnotatedArticle], settings: Settings) -> list[Reuse]:
    """Reuse for every pair of ``articles`` (one story); in each pair ``a`` is the article
    published earlier (input order breaks ties; undated articles count as latest). Term
    weights come from all sentences of the story.

    Gives the same records as calling :func:`align` on every pair of articles, but finds the
    similar sentence pairs first (``sentence_join.candidate_pairs`` over the story's distinct
    term sets, each pair of sets scored once), so the work follows the number of similar
    sentences rather than the number of article pairs.
    """
    ordered = sorted(articles, key=_order_key)
    terms = [sentence_terms(doc) for doc in ordered]
    weights = term_weights(s for doc_terms in terms for s in doc_terms)
    sets, where = _distinct_sets(terms)
    floor = settings.reuse_threshold
    if settings.reuse_paraphrase:  # paraphrases: candidates from a lower floor (link.paraphrase)
        floor = min(floor, settings.reuse_paraphrase_floor)
    m = _similar_sentences(sets, where, weights, floor)
    if floor < settings.reuse_threshold:
        keep, sims = paraphrased(ordered, m.first, m.second, m.a, m.b, m.similarity, settings)
        m = _Matches(m.first[keep], m.second[keep], m.a[keep], m.b[keep], sims[keep])
    order = np.lexsort((m.a, m.b, -m.similarity, m.second, m.first))
    first, second = m.first[order].tolist(), m.second[order].tolist()
    a, b, sim = m.a[order].tolist(), m.b[order].tolist(), m.similarity[order].tolist()
    substantive = [_substantive(t) for t in terms]
    runs = RunCache(ordered, settings.wire_verbatim_words)
    found: list[Reuse] = []
    start = 0
    while start < len(first):
        stop = start + 1
        while stop < len(first) and first[stop] == first[start] and second[stop] == second[start]:
            stop += 1
        chosen = _one_to_one(
            [SentenceMatch(a[k], b[k], sim[k]) for k in range(start, stop)], ordered_=True
        )
        i, j = first[start], second[start]
        score = min(1.0, len(chosen) / max(1, min(substantive[i], substantive[j])))
        pairs = tuple((c.a, c.b) for c in chosen)
        reuse = Reuse(ordered[i].article.id, ordered[j].article.id, round(score, 4), pairs)
        found.append(runs.verbatim(reuse))
        start = stop
    return found
