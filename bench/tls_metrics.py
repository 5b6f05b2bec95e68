"""Timeline summarisation metrics, written from their published definitions.

* Date F1 (tilse ``evaluation.dates``): precision/recall of the set of predicted days against
  the set of reference days.
* concat ROUGE-N (Martschat & Markert 2017): all daily summaries of a timeline concatenated,
  then ROUGE-N of the prediction against the reference.
* align+ m:1 ROUGE-N (Martschat & Markert 2017, "Improving ROUGE for Timeline Summarization";
  the "AR" of Ghalandari & Ifrim 2020): for precision every predicted day is mapped to the
  reference day of least cost, for recall every reference day to the predicted day of least
  cost, cost = (1 - 1/(|days apart| + 1)) x (1 - approximate ROUGE-1 F of the two days'
  summaries); matched n-gram hits are weighted by 1/(|days apart| + 1). Micro-averaged
  over the days of one timeline.

ROUGE counts clipped n-gram matches after lower-casing, dropping stop words (scikit-learn's
English list standing in for ROUGE-1.5.5's) and Porter stemming (NLTK when installed, else
storyline's light stemmer) as tilse runs ROUGE-1.5.5 (``stem=True, ignore_stopwords=True``).
A timeline is ``{date: [sentence, ...]}``; one reference timeline per prediction here.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

Timeline = Mapping[date, Sequence[str]]
_TOKEN = re.compile(r"[a-z0-9]+")


def _stemmer() -> Callable[[str], str]:
    try:
        from nltk.stem.porter import PorterStemmer

        porter = PorterStemmer(mode=PorterStemmer.ORIGINAL_ALGORITHM)
        return porter.stem  # type: ignore[no-any-return]
    except ImportError:  # pragma: no cover - bench fallback
        from storyline.synthesize.similarity import stem

        return stem


_STEM = _stemmer()


@lru_cache(maxsize=200_000)
def _stemmed(token: str) -> str:
    return _STEM(token)


def tokens(text: str) -> list[str]:
    """ROUGE tokens: lower-cased words and numbers, stop words dropped, stemmed."""
    return [_stemmed(t) for t in _TOKEN.findall(text.lower()) if t not in ENGLISH_STOP_WORDS]


def _ngrams(words: Sequence[str], n: int) -> Counter[tuple[str, ...]]:
    return Counter(tuple(words[i : i + n]) for i in range(len(words) - n + 1))


@dataclass(frozen=True, slots=True)
class Counts:
    hits: float
    predicted: int
    reference: int


def rouge_counts(predicted: Sequence[str], reference: Sequence[str], n: int) -> Counts:
    """Clipped n-gram matches of two summaries (lists of sentences) and their n-gram totals."""
    p = _ngrams([t for s in predicted for t in tokens(s)], n)
    r = _ngrams([t for s in reference for t in tokens(s)], n)
    hits = sum(min(c, r[g]) for g, c in p.items())
    return Counts(float(hits), sum(p.values()), sum(r.values()))


def f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


@dataclass(frozen=True, slots=True)
class PRF:
    p: float
    r: float

    @property
    def f(self) -> float:
        return f1(self.p, self.r)


def date_prf(predicted: Timeline, reference: Timeline) -> PRF:
    both = set(predicted) & set(reference)
    p = len(both) / len(predicted) if predicted else 0.0
    r = len(both) / len(reference) if reference else 0.0
    return PRF(p, r)


def concat_rouge(predicted: Timeline, reference: Timeline, n: int) -> PRF:
    pred = [s for d in sorted(predicted) for s in predicted[d]]
    ref = [s for d in sorted(reference) for s in reference[d]]
    c = rouge_counts(pred, ref, n)
    return PRF(c.hits / c.predicted if c.predicted else 0.0,
               c.hits / c.reference if c.reference else 0.0)  # fmt: skip


def _approx_rouge1(predicted: Sequence[str], reference: Sequence[str]) -> float:
    """tilse's content cost: ROUGE-1 F on whitespace tokens (no stemming)."""
    p = Counter(t for s in predicted for t in s.lower().split())
    r = Counter(t for s in reference for t in s.lower().split())
    match = sum(min(c, r[t]) for t, c in p.items())
    prec = match / sum(p.values()) if p else 0.0
    rec = match / sum(r.values()) if r else 0.0
    return f1(prec, rec)


def _best(day: date, others: Sequence[date], cost: Callable[[date, date], float]) -> date:
    return min(others, key=lambda other: cost(day, other))  # first of equal costs, as argmin


def align_rouge(predicted: Timeline, reference: Timeline, n: int) -> PRF:
    """align+ m:1 ROUGE-N (see the module docstring)."""
    pred_days, ref_days = sorted(predicted), sorted(reference)
    if not pred_days or not ref_days:
        return PRF(0.0, 0.0)
    approx: dict[tuple[date, date], float] = {}

    def cost(p: date, r: date) -> float:
        if (p, r) not in approx:
            approx[(p, r)] = _approx_rouge1(predicted[p], reference[r])
        return (1 - 1 / (abs((p - r).days) + 1)) * (1 - approx[(p, r)])

    num = den = 0.0
    for p in pred_days:
        r = _best(p, ref_days, cost)
        c = rouge_counts(predicted[p], reference[r], n)
        num += c.hits / (abs((p - r).days) + 1)
        den += c.predicted
    precision = num / den if den else 0.0
    num = den = 0.0
    for r in ref_days:
        p = _best(r, pred_days, lambda a, b: cost(b, a))
        c = rouge_counts(predicted[p], reference[r], n)
        num += c.hits / (abs((p - r).days) + 1)
        den += c.reference
    return PRF(precision, num / den if den else 0.0)


METRICS: tuple[str, ...] = ("Date F1", "concat R1", "concat R2", "AR-1 F", "AR-2 F")


def scores(predicted: Timeline, reference: Timeline) -> dict[str, float]:
    """The five numbers reported per timeline (F scores)."""
    return {
        "Date F1": date_prf(predicted, reference).f,
        "concat R1": concat_rouge(predicted, reference, 1).f,
        "concat R2": concat_rouge(predicted, reference, 2).f,
        "AR-1 F": align_rouge(predicted, reference, 1).f,
        "AR-2 F": align_rouge(predicted, reference, 2).f,
    }
