"""Throughput of the whole annotate stage against spaCy NER alone, on the same texts.

Dataset: N articles (default 2,000) recombined from examples/corpus paragraphs.
Command: .venv/bin/python bench/annotate.py [--n 2000] [--workers 2]
Both runs use a process pool of --workers processes and batches of 64 articles; the
annotate stage = sentence segmentation + NER + roles + time expressions + quotes + claims.
Target: the whole stage costs at most 1.5x spaCy NER alone.
"""

from __future__ import annotations

import argparse
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus_gen import sample_paragraphs
from storyline.annotate.nlp import load, paragraphs
from storyline.annotate.stages import annotate_batch
from storyline.config import Settings
from storyline.ingest.normalize import article_id
from storyline.model import Article


def make_articles(n: int) -> list[Article]:
    import random
    from datetime import date, timedelta

    pool = sample_paragraphs()
    rng = random.Random(3)
    articles = []
    for i in range(n):
        text = f"Report {i}. " + "\n\n".join(rng.sample(pool, rng.randint(6, 12)))
        day = date(2024, 1, 1) + timedelta(days=rng.randrange(365))
        articles.append(Article(id=article_id(text), text=text, published=day))
    return articles


def ner_only(batch: list[Article]) -> int:
    nlp = load(Settings().spacy_model, "ner")
    texts = [a.text[s:e] for a in batch for s, e in paragraphs(a.text)]
    return sum(len(doc.ents) for doc in nlp.pipe(texts, batch_size=256))


def whole_stage(batch: list[Article]) -> int:
    return sum(len(d.mentions) for d in annotate_batch(batch, Settings()))


def timed(function: object, batches: list[list[Article]], workers: int) -> float:
    with ProcessPoolExecutor(workers) as pool:
        list(pool.map(function, batches[:workers]))  # load the model in every worker first
        start = time.perf_counter()
        list(pool.map(function, batches))  # type: ignore[arg-type]
        return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    articles = make_articles(args.n)
    batches = [articles[i : i + 64] for i in range(0, len(articles), 64)]
    ner = timed(ner_only, batches, args.workers)
    stage = timed(whole_stage, batches, args.workers)
    print(f"dataset: {args.n} articles recombined from examples/corpus, {args.workers} workers")
    print(f"spaCy NER alone:      {args.n / ner:7.1f} articles/s ({ner:.1f} s)")
    print(f"whole annotate stage: {args.n / stage:7.1f} articles/s ({stage:.1f} s)")
    print(f"cost ratio: {stage / ner:.2f}x (target <= 1.5x)")


if __name__ == "__main__":
    main()
