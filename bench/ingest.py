"""Ingest + sentence segmentation throughput.

Dataset: N articles (default 10,000) recombined from examples/corpus paragraphs, as JSONL.
Command: .venv/bin/python bench/ingest.py [--n 10000] [--workers 2]
Prints articles/second for ingest (read, decode, normalise, detect language, hash, store)
and for ingest + segmentation (spaCy senter, in a process pool), and the peak memory.
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus_gen import write_jsonl
from storyline.annotate.nlp import load, segment_many
from storyline.config import Settings
from storyline.model import Article
from storyline.pipeline import ingest
from storyline.store import Store


def _segment(batch: list[Article]) -> int:
    return sum(len(s) for s in segment_many(batch, load(variant="senter")))


def peak_mb() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, children) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = write_jsonl(Path(tmp) / "corpus", args.n)
        settings = Settings().with_(db=str(Path(tmp) / "bench.db"), workers=args.workers)
        t0 = time.perf_counter()
        with Store(settings.db) as store:
            report = ingest([folder], store, settings)
            t1 = time.perf_counter()
            articles = list(store.articles())
        batches = [articles[i : i + 200] for i in range(0, len(articles), 200)]
        with ProcessPoolExecutor(args.workers) as pool:
            sentences = sum(pool.map(_segment, batches))
        t2 = time.perf_counter()
    print(f"dataset: {args.n} articles recombined from examples/corpus (JSONL)")
    print(f"stored {report.added}, skipped {len(report.skipped)}, sentences {sentences}")
    print(f"ingest only:            {report.added / (t1 - t0):8.1f} articles/s ({t1 - t0:.1f} s)")
    print(f"ingest + segmentation:  {report.added / (t2 - t0):8.1f} articles/s ({t2 - t0:.1f} s, "
          f"{args.workers} workers)")  # fmt: skip
    print(f"peak memory (largest process): {peak_mb():.0f} MB")


if __name__ == "__main__":
    main()
