"""Sentence-level reuse between articles of one story, and wire families.

Needs: AnnotatedArticles with sentences. Adds: ``Reuse`` records (which sentences of the later
article ``b`` copy or closely paraphrase which sentences of the earlier article ``a``) and
wire families (groups of articles that share most of their sentences; corroboration counts a
family as one source).

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

Pair score: the number of aligned sentence pairs divided by the number of sentences of the
shorter article (sentences with at least two content terms), so 1.0 means every sentence
of the shorter article reappears in the other.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from difflib import SequenceMatcher
from functools import lru_cache

from storyline.config import Settings
from storyline.link.features import content_terms, strip_header
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
    scored.sort(key=lambda m: (-m.similarity, m.b, m.a))
    used_a: set[int] = set()
    used_b: set[int] = set()
    chosen: list[SentenceMatch] = []
    for match in scored:
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
    return _compare_terms(a.article.id, b.article.id, terms_a, terms_b, weights, settings)


def _order_key(doc: AnnotatedArticle) -> tuple[bool, date]:
    return (doc.article.published is None, doc.article.published or date.min)


def find_reuse(articles: Sequence[AnnotatedArticle], settings: Settings) -> list[Reuse]:
    """Reuse for every pair of ``articles`` (one story); in each pair ``a`` is the article
    published earlier (input order breaks ties; undated articles count as latest). Term
    weights come from all sentences of the story."""
    ordered = sorted(articles, key=_order_key)
    terms = [sentence_terms(doc) for doc in ordered]
    weights = term_weights(s for doc_terms in terms for s in doc_terms)
    found: list[Reuse] = []
    for i, doc_a in enumerate(ordered):
        for j in range(i + 1, len(ordered)):
            reuse = _compare_terms(
                doc_a.article.id, ordered[j].article.id, terms[i], terms[j], weights, settings
            )
            if reuse is not None:
                found.append(reuse)
    return found


def wire_families(
    article_ids: Sequence[str], reuses: Sequence[Reuse], settings: Settings
) -> list[frozenset[str]]:
    """Connected groups of ``article_ids`` linked by reuse scores >= wire_family_threshold.

    Every id is in exactly one family (singletons included); families are listed in the
    order of their first member in ``article_ids``. Reuses naming unknown ids are ignored.
    """
    parent = {article: article for article in article_ids}

    def root(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for reuse in reuses:
        if reuse.score < settings.wire_family_threshold:
            continue
        if reuse.a in parent and reuse.b in parent:
            ra, rb = root(reuse.a), root(reuse.b)
            if ra != rb:
                parent[rb] = ra
    groups: dict[str, list[str]] = {}
    for article in article_ids:
        groups.setdefault(root(article), []).append(article)
    return [frozenset(members) for members in groups.values()]
