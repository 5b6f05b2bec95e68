"""An extractive, cited multi-document summary of one story.

Needs the story's annotated articles (sentences) and, optionally, the link stage's wire
families; returns ``SummarySentence`` records. No model download, numpy + scikit-learn only.

Selection maximises the monotone submodular objective of Lin & Bilmes (2011), greedily under
the length budget with cost scaling:

    F(S) = sum_i u_i * min(C_i(S), alpha * C_i(V))  +  lambda * sum_k sqrt(sum_{j in S, P_k} r_j)

- ``C_i(S)`` = how well the summary S covers sentence i (sum of TF-IDF cosines). The weight
  ``u_i`` makes each *independent source* count once: the sentences of a wire family of n
  copies weigh 1/n each, and newer articles weigh a little more (recency).
- The second term rewards diversity: ``P_k`` partition the sentences (leader clustering at
  cosine 0.25, where Lin & Bilmes use k-means); ``r_j`` is sentence j's centrality (its mean
  weighted similarity to the story).
- News puts the essentials first: a sentence's gain is multiplied by 1 + 0.5 / (its rank
  among its article's candidates + 1) (our addition to the published objective).
- A sentence almost identical to one already chosen is never added (novelty).

Candidates drop the seed ``date YYYY-MM-DD`` header, sentences under ``min_words`` words,
headline fragments (no sentence-final punctuation) and pieces of a quotation that spans
several sentences (an odd number of double quotes). Each chosen sentence cites, in every
article, the sentence most similar to it when that one says the same thing (cosine at least
``cite_threshold``); ``sources`` is the number of distinct wire families among the cited
articles. Sentences come out in story order (article date, then position).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np
from numpy.typing import NDArray
from scipy.sparse import csr_matrix

from storyline.model import AnnotatedArticle, Citation, SummarySentence
from storyline.synthesize.similarity import ends_like_sentence, strip_header, tfidf_matrix

ALPHA = 5.0  # coverage saturation: alpha = ALPHA / N (Lin & Bilmes 2011)
LAMBDA = 6.0  # weight of the diversity reward
COST_SCALING = 0.3  # gain / cost ** r in the greedy step
LEAD = 0.5  # the first sentence of an article gains 1 + LEAD, the n-th 1 + LEAD / n
RECENCY = 0.25  # newest article's sentences weigh 1 + RECENCY, the oldest 1
NOVELTY = 0.6  # never add a sentence this similar (cosine) to a chosen one
CITE_THRESHOLD = 0.3
CLUSTER_THRESHOLD = 0.25  # diversity partition: leader clustering at this cosine
MAX_CANDIDATES = 1500
_QUOTES = ('"', "\u201c", "\u201d")


@dataclass(frozen=True, slots=True)
class Candidate:
    """A sentence that may enter the summary, with its header-free text."""

    article: str
    sentence: int
    position: int  # 0-based rank among its article's candidates
    text: str
    family: int
    published: date | None


@dataclass(frozen=True, slots=True)
class _Story:
    candidates: list[Candidate]
    vectors: csr_matrix  # one TF-IDF row per candidate
    all_refs: list[Citation]  # every sentence of the story ...
    all_vectors: csr_matrix  # ... and its row, for citations
    family_of: dict[str, int]


def _family_of(
    articles: Sequence[AnnotatedArticle], families: Sequence[frozenset[str]]
) -> dict[str, int]:
    index = {member: n for n, family in enumerate(families) for member in family}
    for annotated in articles:
        index.setdefault(annotated.article.id, len(families) + len(index))
    return index


def candidates_of(
    articles: Sequence[AnnotatedArticle], family_of: dict[str, int], min_words: int
) -> list[Candidate]:
    """The story's summary-worthy sentences (header stripped, no short or headline lines)."""
    found: list[Candidate] = []
    for annotated in articles:
        title = (annotated.article.title or "").strip()
        position = 0
        for sentence in annotated.sentences:
            text = " ".join(strip_header(sentence.text).split())
            if len(text.split()) < min_words or not ends_like_sentence(text) or text == title:
                continue
            if sum(text.count(q) for q in _QUOTES) % 2:  # a piece of a longer quotation
                continue
            found.append(
                Candidate(
                    annotated.article.id,
                    sentence.index,
                    position,
                    text,
                    family_of[annotated.article.id],
                    annotated.article.published,
                )
            )
            position += 1
    if len(found) > MAX_CANDIDATES:  # keep the leads: news puts the essentials first
        found = sorted(found, key=lambda c: c.position)[:MAX_CANDIDATES]
    return found


def _prepare(
    articles: Sequence[AnnotatedArticle], families: Sequence[frozenset[str]], min_words: int
) -> _Story:
    family_of = _family_of(articles, families)
    candidates = candidates_of(articles, family_of, min_words)
    refs = [Citation(a.article.id, s.index) for a in articles for s in a.sentences]
    texts = [strip_header(s.text) for a in articles for s in a.sentences]
    vectors = tfidf_matrix([c.text for c in candidates] + texts)
    return _Story(
        candidates, vectors[: len(candidates)], refs, vectors[len(candidates) :], family_of
    )


def _weights(story: _Story) -> NDArray[np.float64]:
    """u_i: 1/(copies in the sentence's wire family) times a recency factor."""
    articles_in: dict[int, set[str]] = {}
    for candidate in story.candidates:
        articles_in.setdefault(candidate.family, set()).add(candidate.article)
    days = [c.published.toordinal() for c in story.candidates if c.published is not None]
    low, high = (min(days), max(days)) if days else (0, 0)
    weights = np.empty(len(story.candidates), dtype=np.float64)
    for i, candidate in enumerate(story.candidates):
        day = candidate.published.toordinal() if candidate.published else (low + high) / 2
        recency = (day - low) / (high - low) if high > low else 0.0
        weights[i] = (1.0 + RECENCY * recency) / len(articles_in[candidate.family])
    return weights


def _clusters(sims: NDArray[np.float64], order: NDArray[np.int64]) -> NDArray[np.int64]:
    """Leader clustering of the candidates: in ``order`` (most central first), each joins the
    most similar leader at cosine >= ``CLUSTER_THRESHOLD`` or becomes a leader itself."""
    labels = np.full(sims.shape[0], -1, dtype=np.int64)
    leaders: list[int] = []
    for i in order:
        if leaders:
            row = sims[i, leaders]
            best = int(np.argmax(row))
            if row[best] >= CLUSTER_THRESHOLD:
                labels[i] = labels[leaders[best]]
                continue
        labels[i] = len(leaders)
        leaders.append(int(i))
    return labels


def _cost(text: str) -> tuple[int, int]:
    """(words, UTF-8 bytes + one separating space) of a summary sentence."""
    return len(text.split()), len(text.encode("utf-8")) + 1  # + a separating space


def _select(story: _Story, max_words: int | None, max_bytes: int | None) -> list[int]:
    """Greedy cost-scaled maximisation of the objective under the budget(s)."""
    n = len(story.candidates)
    sims = np.clip(np.asarray((story.vectors @ story.vectors.T).toarray()), 0.0, None)
    u = _weights(story)
    cap = (ALPHA / n) * (sims @ np.ones(n))
    lead = np.array([1.0 + LEAD / (1.0 + c.position) for c in story.candidates])
    reward = (u @ sims) / n
    labels = _clusters(sims, np.argsort(-reward, kind="stable"))
    costs = [_cost(c.text) for c in story.candidates]
    words = np.array([w for w, _ in costs])
    sizes = np.array([b for _, b in costs])
    scale = np.maximum(sizes if max_bytes is not None else words, 1).astype(np.float64)
    covered = np.zeros(n)
    cluster_sum = np.zeros(int(labels.max()) + 1)
    word_room = max_words if max_words is not None else int(words.sum())
    byte_room = max_bytes if max_bytes is not None else int(sizes.sum())
    chosen: list[int] = []
    open_ = np.ones(n, dtype=bool)
    while True:
        open_ &= (words <= word_room) & (sizes <= byte_room)  # what still fits
        columns = np.flatnonzero(open_)
        if columns.size == 0:
            return chosen
        base = float(u @ np.minimum(covered, cap))
        coverage = u @ np.minimum(covered[:, None] + sims[:, columns], cap[:, None]) - base
        sums = cluster_sum[labels[columns]]
        diversity = np.sqrt(sums + reward[columns]) - np.sqrt(sums)
        gain = (coverage + LAMBDA * diversity) * lead[columns] / scale[columns] ** COST_SCALING
        best = int(columns[int(np.argmax(gain))])
        chosen.append(best)
        word_room -= int(words[best])
        byte_room -= int(sizes[best])
        covered += sims[:, best]
        cluster_sum[labels[best]] += reward[best]
        open_ &= sims[:, best] < NOVELTY  # never a near-copy of a chosen sentence
        open_[best] = False


def _citations(story: _Story, index: int, threshold: float) -> tuple[tuple[Citation, ...], int]:
    """Per article, the sentence most similar to candidate ``index`` if it says the same."""
    candidate = story.candidates[index]
    sims = np.asarray((story.all_vectors @ story.vectors[index].T).toarray()).ravel()
    best: dict[str, tuple[float, Citation]] = {}
    for ref, score in zip(story.all_refs, sims, strict=True):
        own = ref == Citation(candidate.article, candidate.sentence)
        value = float("inf") if own else float(score)
        if (own or value >= threshold) and value > best.get(ref.article, (-1.0, ref))[0]:
            best[ref.article] = (value, ref)
    order = {ref.article: n for n, ref in enumerate(story.all_refs)}
    citations = tuple(sorted((c for _, c in best.values()), key=lambda c: order[c.article]))
    sources = len({story.family_of[c.article] for c in citations})
    return citations, sources


def summarize(
    articles: Sequence[AnnotatedArticle],
    families: Sequence[frozenset[str]] = (),
    *,
    max_words: int | None = 120,
    max_bytes: int | None = None,
    min_words: int = 8,
    cite_threshold: float = CITE_THRESHOLD,
    by_rank: bool = False,
) -> list[SummarySentence]:
    """A cited extractive summary of one story within ``max_words`` words and/or
    ``max_bytes`` UTF-8 bytes (sentences joined by one space); see the module docstring.

    ``families`` are groups of article ids copying one wire story (each counts as one
    source); articles in no family are sources of their own. Empty stories give [].
    ``by_rank=True`` keeps the order of selection (most important first) instead of the
    story order, for evaluations that truncate the summary.
    """
    story = _prepare(articles, families, min_words)
    if not story.candidates:
        return []
    chosen = _select(story, max_words, max_bytes)
    order = {a.article.id: (a.article.published or date.max, n) for n, a in enumerate(articles)}
    if not by_rank:
        chosen.sort(
            key=lambda i: (order[story.candidates[i].article], story.candidates[i].sentence)
        )
    summary: list[SummarySentence] = []
    for index in chosen:
        citations, sources = _citations(story, index, cite_threshold)
        summary.append(SummarySentence(story.candidates[index].text, citations, sources))
    return summary
