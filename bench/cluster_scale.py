"""Scaling of the streaming story clusterer: 1k, 10k and 100k synthetic articles.

Run:  .venv/bin/python bench/cluster_scale.py [--sizes 1000 10000 100000]

Articles are recombined from ECB+ topics 1-35: a synthetic story picks one ECB+ event, a
start date in 2021 and a size (1-20 articles); each of its articles is a headline plus 5-12
sentences drawn at random from that event's documents, dated 0-4 days after the story start.
All articles are sorted by date and streamed through ``StoryClusterer.add`` (no NER
mentions: the capitalised-word fallback supplies entity keys). Each size runs in a fresh
subprocess; time is the total of the ``add`` calls (building the synthetic records is not
timed), memory is the process's peak resident set size (ru_maxrss) and the growth of it
over the state before clustering.
"""

from __future__ import annotations

import argparse
import random
import resource
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from ecbplus import load
from storyline.config import Settings
from storyline.link.cluster import StoryClusterer
from storyline.model import AnnotatedArticle, Article, Sentence

YEAR_START = date(2021, 1, 1)


def synthetic(count: int, seed: int = 0) -> Iterator[AnnotatedArticle]:
    """``count`` synthetic articles in date order (see the module docstring)."""
    pools: dict[str, list[str]] = {}
    for item in load(range(1, 36)):
        pools.setdefault(item.event, []).extend(s.text for s in item.doc.sentences)
    events = sorted(pools)
    rng = random.Random(seed)
    plan: list[tuple[date, int, str]] = []
    story = 0
    while len(plan) < count:
        event = rng.choice(events)
        start = YEAR_START + timedelta(days=rng.randrange(365))
        for _ in range(min(rng.randint(1, 20), count - len(plan))):
            plan.append((start + timedelta(days=rng.randrange(5)), story, event))
        story += 1
    plan.sort()
    for number, (day, story, event) in enumerate(plan):
        pool = pools[event]
        sentences = [rng.choice(pool) for _ in range(rng.randint(6, 13))]
        doc_id = f"syn{number}-{story}"
        records: list[Sentence] = []
        offset = 0
        for index, text in enumerate(sentences):
            records.append(Sentence(doc_id, index, offset, offset + len(text), index, text))
            offset += len(text) + 2
        article = Article(doc_id, "\n\n".join(sentences), title=sentences[0], published=day)
        yield AnnotatedArticle(article, tuple(records))


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_one(size: int) -> None:
    """Cluster ``size`` articles in this process and print one result line."""
    clusterer = StoryClusterer(Settings())
    stream = synthetic(size)
    first = next(stream)
    before = _rss_mb()
    seconds = 0.0
    for doc in _chain(first, stream):
        start = time.perf_counter()
        clusterer.add(doc)
        seconds += time.perf_counter() - start
    stories = clusterer.stories()
    peak = _rss_mb()
    print(
        f"{size:>7d} articles  {seconds:8.2f} s  {1000 * seconds / size:6.3f} ms/article  "
        f"peak RSS {peak:7.1f} MB (+{peak - before:.1f} MB while clustering)  "
        f"{len(stories)} stories",
        flush=True,
    )


def _chain(first: AnnotatedArticle, rest: Iterator[AnnotatedArticle]) -> Iterator[AnnotatedArticle]:
    yield first
    yield from rest


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10_000, 100_000])
    parser.add_argument("--child", type=int, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child is not None:
        run_one(args.child)
        return
    print("synthetic articles recombined from ECB+ topics 1-35, dates spread over 2021")
    for size in args.sizes:
        subprocess.run([sys.executable, __file__, "--child", str(size)], check=True)


if __name__ == "__main__":
    main()
