"""A paraphrase signal for sentence reuse: character n-gram similarity on candidate pairs.

Needs: the candidate sentence pairs of one story whose content-term similarity
(``reuse.sentence_similarity``) is at least ``reuse_paraphrase_floor`` but under
``reuse_threshold``, and the texts of those sentences. Adds: for each pair, a paraphrase
score; pairs scoring at least ``reuse_paraphrase_threshold`` count as reused sentences.

Two rewrites of one wire story keep the facts, names and numbers of each sentence but change
its words ("called for urgent steps to calm" / "called for urgent measures to restore calm"),
its inflections ("restore" / "restoring") and its spelling ("Mahmud" / "Mahmoud"). Content
terms miss much of that; character n-grams (3 to 5 characters inside words, TF-IDF weighted
over the candidate sentences, sublinear counts) see shared stems, names and numbers however
they are inflected. The score is the mean of the two similarities, so a pair needs both
shared content and shared wording; independent reports of one event also share facts, and
precision matters more than recall (a wrong merge hides corroboration): the article-level
rule (``reuse.family_link``) further asks for several such sentences.

Only candidate pairs are scored (the sparse join of ``link.sentence_join`` at the floor),
and n-grams are computed only for the sentences in them, so the cost stays a small share of
``find_reuse``. Deterministic: the same sentences give the same scores in any run.

Off by default (setting ``reuse_paraphrase``): on bench/copies_eval.py it found no copy that
the content-term rules missed and merged more independent reports (precision 0.474 against
0.493), at 3-4 times the cost of ``story_links``; the seeds' 002/003 are joined by the
``wire_partial_sentences`` rule instead. Turn it on for corpora of rough translations.

The signal can also be MiniLM sentence embeddings (``reuse_paraphrase_signal = "minilm"``,
extra ``embed``; only the sentences of candidate pairs are encoded). Measured on
bench/copies_eval.py beside the verbatim family rule, it finds no copy the rules miss
either, and merges more independent reports than character n-grams at the same score
(precision 0.668 at 0.45, 0.848 at 0.55, 0.907 at 0.65 against 0.926 without a signal) at
~25 times the cost (median 1.0 s per 20-article story against 39 ms): embeddings measure
what a sentence means, and independent reports of one event mean the same; copying shows in
the wording.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray
from sklearn.feature_extraction.text import TfidfVectorizer

from storyline.config import Settings
from storyline.errors import ConfigError
from storyline.link.features import fold, strip_header
from storyline.model import AnnotatedArticle


def ngram_similarity(
    texts: Sequence[str], left: NDArray[np.int64], right: NDArray[np.int64]
) -> NDArray[np.float64]:
    """Cosine similarity of character 3-5-gram TF-IDF vectors of ``texts[left[k]]`` and
    ``texts[right[k]]`` for each k (IDF over ``texts``); 0.0 for texts without n-grams."""
    if left.size == 0:
        return np.zeros(0)
    used, rows_of_left, rows_of_right = _pair_rows(left, right)
    vectorizer = TfidfVectorizer(
        analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True, lowercase=False,
        dtype=np.float64,
    )  # fmt: skip
    try:
        matrix = vectorizer.fit_transform([fold(texts[u]) for u in used])
    except ValueError:  # no n-grams at all (empty or one-letter texts)
        return np.zeros(left.size)
    rows_l, rows_r = matrix[rows_of_left], matrix[rows_of_right]
    return np.asarray(rows_l.multiply(rows_r).sum(axis=1), dtype=np.float64).ravel()


def _pair_rows(
    left: NDArray[np.int64], right: NDArray[np.int64]
) -> tuple[list[int], NDArray[np.int64], NDArray[np.int64]]:
    """The distinct texts of the pairs (``used``, sorted), and the row in ``used`` of each
    pair's left and right text: only those texts are vectorised."""
    used, inverse = np.unique(np.concatenate([left, right]), return_inverse=True)
    return [int(u) for u in used.tolist()], inverse[: left.size], inverse[left.size :]


#: the paraphrase signals (setting ``reuse_paraphrase_signal``)
SIGNALS = ("ngram", "minilm")


def semantic_similarity(
    texts: Sequence[str], left: NDArray[np.int64], right: NDArray[np.int64]
) -> NDArray[np.float64]:
    """Cosine similarity of the MiniLM embeddings of ``texts[left[k]]`` and
    ``texts[right[k]]`` for each k; only the texts in a pair are encoded (extra ``embed``)."""
    if left.size == 0:
        return np.zeros(0)
    from storyline.link.embed import load_encoder

    used, rows_of_left, rows_of_right = _pair_rows(left, right)
    vectors = load_encoder()([texts[u] for u in used]).astype(np.float64)
    rows_l, rows_r = vectors[rows_of_left], vectors[rows_of_right]
    return np.asarray(np.clip(np.einsum("ij,ij->i", rows_l, rows_r), 0.0, 1.0), dtype=np.float64)


def signal_similarity(
    signal: str, texts: Sequence[str], left: NDArray[np.int64], right: NDArray[np.int64]
) -> NDArray[np.float64]:
    """The paraphrase signal named ``signal`` (``SIGNALS``; checked by ``paraphrased``)."""
    if signal == "minilm":
        return semantic_similarity(texts, left, right)
    return ngram_similarity(texts, left, right)


def paraphrase_scores(
    lexical: NDArray[np.float64], ngram: NDArray[np.float64]
) -> NDArray[np.float64]:
    """The paraphrase score of candidate pairs: the mean of their content-term similarity
    and their paraphrase signal (character n-grams or MiniLM)."""
    return np.round(0.5 * lexical + 0.5 * ngram, 6)


class StoryTexts:
    """The sentence texts of a story's articles (in the order ``find_reuse`` uses), with a
    global number for each (article position, sentence index)."""

    def __init__(self, texts: Sequence[Sequence[tuple[int, str]]]) -> None:
        self.texts: list[str] = []
        self.numbers: list[dict[int, int]] = []
        for sentences in texts:
            numbers: dict[int, int] = {}
            for index, text in sentences:
                numbers[index] = len(self.texts)
                self.texts.append(text)
            self.numbers.append(numbers)

    def of(self, articles: NDArray[np.int64], sentences: NDArray[np.int64]) -> NDArray[np.int64]:
        pairs = zip(articles.tolist(), sentences.tolist(), strict=True)
        return np.array([self.numbers[p][s] for p, s in pairs], dtype=np.int64)


def paraphrased(
    docs: Sequence[AnnotatedArticle],
    first: NDArray[np.int64],
    second: NDArray[np.int64],
    a: NDArray[np.int64],
    b: NDArray[np.int64],
    lexical: NDArray[np.float64],
    settings: Settings,
) -> tuple[NDArray[np.bool_], NDArray[np.float64]]:
    """Which candidate pairs to keep (article ``first`` sentence ``a`` ~ article ``second``
    sentence ``b`` of ``docs``, content-term similarity ``lexical``) and their ranking
    similarity: pairs at ``reuse_threshold`` keep theirs; lower ones are kept when their
    paraphrase score reaches ``reuse_paraphrase_threshold`` and rank below every lexical
    match (score times the threshold), so paraphrases only add to what sentence reuse finds."""
    if settings.reuse_paraphrase_signal not in SIGNALS:
        raise ConfigError(
            f"setting 'reuse_paraphrase_signal' is {settings.reuse_paraphrase_signal!r}; use "
            f"one of {', '.join(SIGNALS)}"
        )
    threshold = settings.reuse_threshold
    low = lexical < threshold
    keep = ~low
    similarity = lexical.copy()
    if low.any():
        texts = StoryTexts(
            [[(s.index, strip_header(s.text) if s.index == 0 else s.text) for s in d.sentences]
             for d in docs]
        )  # fmt: skip
        signal = signal_similarity(
            settings.reuse_paraphrase_signal,
            texts.texts, texts.of(first[low], a[low]), texts.of(second[low], b[low]),
        )  # fmt: skip
        scores = paraphrase_scores(lexical[low], signal)
        keep[low] = scores >= settings.reuse_paraphrase_threshold
        similarity[low] = scores * threshold
    return keep, similarity
