"""An extractive, cited multi-document summary of one story.

Needs the story's annotated articles (sentences, and time expressions for the order) and,
optionally, the link stage's wire families; returns ``SummarySentence`` records. No model
download, numpy + scikit-learn only, deterministic.

Candidates are the story's sentences less datelines, bylines, headlines and fragments
(``synthesize.candidates``). Selection maximises, greedily under the length budget with cost
scaling, a monotone submodular objective that joins Lin & Bilmes (2011) with the concept
coverage of Gillick & Favre's ILP (ICSISumm):

    F(S) = sum_i u_i min(C_i(S), alpha C_i(V))  +  lambda sum_k sqrt(sum_{j in S, P_k} r_j)
           + mu * L / W * sum_{c covered by S} w_c

- ``C_i(S)`` = how well S covers sentence i (sum of TF-IDF cosines). ``u_i`` makes each
  *independent source* count once: the sentences of a wire family of n copies weigh 1/n each,
  and newer articles weigh a little more (recency).
- The second term rewards diversity: ``P_k`` partition the sentences (leader clustering at
  cosine 0.25); ``r_j`` is sentence j's centrality (its mean weighted similarity).
- Concepts ``c`` are pairs of adjacent content words ("death toll"); ``w_c`` = the number of
  independent sources (wire families) that use the pair, kept when at least
  :func:`concept_min_df` do (3, ICSISumm's document-frequency cut for 10-document topics; 2
  in stories of fewer than ``CONCEPT_SMALL_STORY`` sources); ``L / W`` puts the term on the
  scale of the coverage term (L: coverage of V, W: all concept weight). Covering a concept
  twice gains nothing, which controls redundancy.
- News puts the essentials first: a sentence's gain is multiplied by
  1 + LEAD / (its rank among its article's candidates + 1) (a position prior; LEAD = 1, so
  an article's first sentence counts twice, its second 1.5 times).
- A sentence almost identical to one already chosen is never added (novelty).

**The budget** (``max_words`` words and/or ``max_bytes`` UTF-8 bytes, sentences joined by one
space) is filled: whole sentences are chosen while one fits; then, if at least
``fill_min_words`` words are left, the best remaining sentence is cut to the room left, ends
with "…", comes last, and its record says ``truncated=True``. A sentence whose leading
dateline or byline was left out says so in ``dropped``. No sentence is merged or rewritten.

**Citations**: each chosen sentence cites, in every article, the sentence most similar to it
when that one says the same thing (cosine at least ``cite_threshold``), its own sentence
always; ``sources`` is the number of distinct wire families among the cited articles.

**Order**: chronological by the date of the event a sentence reports (the first resolved
date expression in it, else its article's publication date), then article date, article,
position; the truncated sentence, if any, last.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from itertools import pairwise
from typing import TYPE_CHECKING

import numpy as np

from storyline.link.families import family_index
from storyline.model import AnnotatedArticle, Citation, SummarySentence
from storyline.synthesize.candidates import Candidate, candidates_of
from storyline.synthesize.similarity import content_terms, strip_header, tfidf_matrix

if TYPE_CHECKING:
    from numpy.typing import NDArray
    from scipy.sparse import csr_matrix

ALPHA = 5.0  # coverage saturation: alpha = ALPHA / N (Lin & Bilmes 2011)
LAMBDA = 6.0  # weight of the diversity reward
MU = 0.1  # weight of the concept (bigram) coverage
CONCEPT_MIN_DF = 3  # a concept counts when this many independent sources use it ...
CONCEPT_SMALL_STORY = 6  # ... or 2 of them in a story of fewer sources than this
COST_SCALING = 0.3  # gain / cost ** r in the greedy step
LEAD = 1.0  # the first sentence of an article gains 1 + LEAD, the n-th 1 + LEAD / n
RECENCY = 0.25  # newest article's sentences weigh 1 + RECENCY, the oldest 1
NOVELTY = 0.6  # never add a sentence this similar (cosine) to a chosen one
CITE_THRESHOLD = 0.3
CLUSTER_THRESHOLD = 0.25  # diversity partition: leader clustering at this cosine
MAX_CANDIDATES = 1500
FILL_MIN_WORDS = 4
ELLIPSIS = "\u2026"
_ISO_DATE = re.compile(r"\A(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?\Z")


@dataclass(frozen=True, slots=True)
class _Story:
    candidates: list[Candidate]
    vectors: csr_matrix  # one TF-IDF row per candidate
    all_refs: list[Citation]  # every sentence of the story ...
    all_vectors: csr_matrix  # ... and its row, for citations
    all_texts: list[str]
    family_of: dict[str, int]


@dataclass(frozen=True, slots=True)
class _Choice:
    chosen: list[int]  # whole sentences, in the order chosen
    cut: int | None  # the sentence cut to fill the budget, if any
    cut_words: int  # ... to this many words


def _prepare(
    articles: Sequence[AnnotatedArticle], families: Sequence[frozenset[str]], min_words: int
) -> _Story:
    family_of = family_index((a.article.id for a in articles), families)
    candidates = candidates_of(articles, family_of, min_words, MAX_CANDIDATES)
    refs = [Citation(a.article.id, s.index) for a in articles for s in a.sentences]
    texts = [strip_header(s.text) for a in articles for s in a.sentences]
    vectors = tfidf_matrix([c.text for c in candidates] + texts)
    return _Story(
        candidates, vectors[: len(candidates)], refs, vectors[len(candidates) :], texts, family_of
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


def concept_min_df(sources: int) -> int:
    """How many of a story's ``sources`` (independent sources with candidates) must use a
    concept: ``CONCEPT_MIN_DF``, or 2 when there are fewer than ``CONCEPT_SMALL_STORY``."""
    return CONCEPT_MIN_DF if sources >= CONCEPT_SMALL_STORY else min(2, CONCEPT_MIN_DF)


def _concepts(story: _Story) -> tuple[csr_matrix, NDArray[np.float64]]:
    """Candidate x concept incidence (0/1) and each concept's weight (independent sources)."""
    from scipy.sparse import csr_matrix

    per_sentence: list[set[str]] = []
    families: dict[str, set[int]] = {}
    for candidate in story.candidates:
        terms = content_terms(candidate.text)
        pairs = {f"{a} {b}" for a, b in pairwise(terms)}
        per_sentence.append(pairs)
        for pair in pairs:
            families.setdefault(pair, set()).add(candidate.family)
    least = concept_min_df(len({c.family for c in story.candidates}))
    kept = sorted(p for p, f in families.items() if len(f) >= least)
    column = {p: n for n, p in enumerate(kept)}
    rows, cols = [], []
    for i, pairs in enumerate(per_sentence):
        for pair in sorted(pairs & column.keys()):
            rows.append(i)
            cols.append(column[pair])
    shape = (len(story.candidates), max(len(kept), 1))
    matrix = csr_matrix((np.ones(len(rows)), (rows, cols)), shape=shape, dtype=np.float64)
    weights = np.array([float(len(families[p])) for p in kept] or [0.0], dtype=np.float64)
    return matrix, weights


def _cost(text: str) -> tuple[int, int]:
    """(words, UTF-8 bytes + one separating space) of a summary sentence."""
    return len(text.split()), len(text.encode("utf-8")) + 1


def _select(
    story: _Story, max_words: int | None, max_bytes: int | None, fill_min_words: int
) -> _Choice:
    """Greedy cost-scaled maximisation of the objective under the budget(s), then the fill."""
    n = len(story.candidates)
    sims = np.clip(np.asarray((story.vectors @ story.vectors.T).toarray()), 0.0, None)
    u = _weights(story)
    cap = (ALPHA / n) * (sims @ np.ones(n))
    lead = np.array([1.0 + LEAD / (1.0 + c.position) for c in story.candidates])
    reward = (u @ sims) / n
    labels = _clusters(sims, np.argsort(-reward, kind="stable"))
    incidence, concept_weight = _concepts(story)
    total = float(concept_weight.sum())
    concept_scale = MU * float(u @ cap) / total if total > 0 else 0.0
    uncovered = concept_weight.copy()
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

    def gains(columns: NDArray[np.int64]) -> NDArray[np.float64]:
        base = float(u @ np.minimum(covered, cap))
        coverage = u @ np.minimum(covered[:, None] + sims[:, columns], cap[:, None]) - base
        sums = cluster_sum[labels[columns]]
        diversity = np.sqrt(sums + reward[columns]) - np.sqrt(sums)
        concepts = np.asarray(incidence[columns] @ uncovered).ravel()
        value = coverage + LAMBDA * diversity + concept_scale * concepts
        return np.asarray(value * lead[columns] / scale[columns] ** COST_SCALING)

    while True:
        fits = open_ & (words <= word_room) & (sizes <= byte_room)
        columns = np.flatnonzero(fits)
        if columns.size == 0:
            break
        best = int(columns[int(np.argmax(gains(columns)))])
        chosen.append(best)
        word_room -= int(words[best])
        byte_room -= int(sizes[best])
        covered += sims[:, best]
        cluster_sum[labels[best]] += reward[best]
        uncovered[incidence[best].indices] = 0.0
        open_ &= sims[:, best] < NOVELTY  # never a near-copy of a chosen sentence
        open_[best] = False
    columns = np.flatnonzero(open_)
    if word_room < max(fill_min_words, 1) or columns.size == 0:
        return _Choice(chosen, None, 0)
    best = int(columns[int(np.argmax(gains(columns)))])
    count = _fit_words(story.candidates[best].text, word_room, byte_room)
    return _Choice(chosen, best, count) if count >= fill_min_words else _Choice(chosen, None, 0)


def _fit_words(text: str, word_room: int, byte_room: int) -> int:
    """The most words of ``text`` that, with the ellipsis, fit both budgets."""
    tokens = text.split()
    count = min(word_room, len(tokens) - 1)
    while count > 0 and len(_cut_text(text, count).encode("utf-8")) + 1 > byte_room:
        count -= 1
    return max(count, 0)


def _cut_text(text: str, count: int) -> str:
    """The first ``count`` words of ``text`` and an ellipsis (trailing punctuation dropped)."""
    head = " ".join(text.split()[:count]).rstrip(",;:-\u2014\u2013")
    return head + ELLIPSIS


def _citations(
    story: _Story, index: int, threshold: float, shown: str | None = None
) -> tuple[tuple[Citation, ...], int]:
    """Per article, the sentence most similar to candidate ``index`` if it says the same;
    for a cut sentence, the same as what is ``shown`` of it."""
    candidate = story.candidates[index]
    if shown is None:
        sims = np.asarray((story.all_vectors @ story.vectors[index].T).toarray()).ravel()
    else:
        matrix = tfidf_matrix([shown, *story.all_texts])
        sims = np.asarray((matrix[1:] @ matrix[0].T).toarray()).ravel()
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


def _day(value: str | None) -> date | None:
    match = _ISO_DATE.match(value or "")
    if not match:
        return None
    try:
        return date(int(match[1]), int(match[2] or 1), int(match[3] or 1))
    except ValueError:
        return None


def event_dates(articles: Sequence[AnnotatedArticle]) -> dict[Citation, date]:
    """The date each sentence reports an event on: its first resolved DATE expression."""
    found: dict[Citation, date] = {}
    for annotated in articles:
        for timex in sorted(annotated.timexes, key=lambda t: (t.sentence, t.start)):
            day = _day(timex.value) if timex.type == "DATE" else None
            if day is not None:
                found.setdefault(Citation(annotated.article.id, timex.sentence), day)
    return found


def summarize(
    articles: Sequence[AnnotatedArticle],
    families: Sequence[frozenset[str]] = (),
    *,
    max_words: int | None = 120,
    max_bytes: int | None = None,
    min_words: int = 8,
    cite_threshold: float = CITE_THRESHOLD,
    fill_min_words: int = FILL_MIN_WORDS,
    by_rank: bool = False,
) -> list[SummarySentence]:
    """A cited extractive summary of one story within ``max_words`` words and/or
    ``max_bytes`` UTF-8 bytes (sentences joined by one space); see the module docstring.

    ``families`` are groups of article ids copying one wire story (each counts as one
    source); articles in no family are sources of their own. Empty stories give [].
    ``fill_min_words``: the least room (in words) worth filling with a cut sentence (a
    large value turns the cut off). ``by_rank=True`` keeps the order of selection (most
    important first) instead of the story order.
    """
    story = _prepare(articles, families, min_words)
    if not story.candidates:
        return []
    choice = _select(story, max_words, max_bytes, fill_min_words)
    chosen = list(choice.chosen)
    if not by_rank:
        published = {a.article.id: a.article.published for a in articles}
        rank = {a.article.id: n for n, a in enumerate(articles)}
        events = event_dates(articles)

        def key(i: int) -> tuple[date, date, int, int]:
            c = story.candidates[i]
            day = published[c.article] or date.max
            when = events.get(Citation(c.article, c.sentence), day)
            return when, day, rank[c.article], c.sentence

        chosen.sort(key=key)
    summary: list[SummarySentence] = []
    for index in chosen:
        citations, sources = _citations(story, index, cite_threshold)
        candidate = story.candidates[index]
        summary.append(
            SummarySentence(candidate.text, citations, sources, dropped=candidate.dropped)
        )
    if choice.cut is not None and choice.cut_words > 0:
        candidate = story.candidates[choice.cut]
        text = _cut_text(candidate.text, choice.cut_words)
        citations, sources = _citations(story, choice.cut, cite_threshold, text)
        summary.append(
            SummarySentence(text, citations, sources, dropped=candidate.dropped, truncated=True)
        )
    return summary
