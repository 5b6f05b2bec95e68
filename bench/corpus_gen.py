"""Synthetic corpora recombined from the sample corpus's paragraphs (for benchmarks only).

Each synthetic story takes one story of examples/corpus (GOLD.json) as its template, a start
date somewhere in 2024, and 3-30 articles made of 4-10 paragraphs of that template's articles,
published over a few days. Stories of the same template far apart in time are different
stories, as recurring coverage of one kind of event is in a real archive.
"""

from __future__ import annotations

import json
import random
from datetime import date, timedelta
from pathlib import Path

from storyline.config import Settings
from storyline.ingest.registry import find_files
from storyline.model import Article
from storyline.pipeline import read_file

CORPUS = Path(__file__).resolve().parents[1] / "examples" / "corpus"


def _ref(article: Article) -> str:
    ref = str(Path(article.path or "").resolve().relative_to(CORPUS.resolve()))
    return ref if article.entry is None else f"{ref}#{article.entry}"


def paragraphs_by_story() -> dict[str, list[str]]:
    """The sample corpus's paragraphs (over 60 characters), grouped by GOLD story."""
    gold = json.loads((CORPUS / "GOLD.json").read_text(encoding="utf-8"))
    story_of = {a["ref"]: a["story"] for a in gold["articles"]}
    grouped: dict[str, list[str]] = {}
    for found in find_files([CORPUS]):
        for item in read_file(found.path, Settings()):
            if isinstance(item, Article):
                paragraphs = [p for p in item.text.split("\n\n") if len(p) > 60]
                grouped.setdefault(story_of[_ref(item)], []).extend(paragraphs)
    return grouped


def sample_paragraphs() -> list[str]:
    return [p for group in paragraphs_by_story().values() for p in group]


def write_jsonl(folder: Path, count: int, seed: int = 1, per_file: int = 1000) -> Path:
    """``count`` synthetic articles in JSONL files under ``folder`` (see the module doc)."""
    templates = sorted(paragraphs_by_story().items())
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    handle = None
    written = 0
    story = 0
    while written < count:
        key, paragraphs = templates[rng.randrange(len(templates))]
        start = date(2024, 1, 1) + timedelta(days=rng.randrange(366))
        for _ in range(min(rng.randint(3, 30), count - written)):
            if written % per_file == 0:
                if handle:
                    handle.close()
                name = f"part-{written // per_file:05d}.jsonl"
                handle = (folder / name).open("w", encoding="utf-8")
            body = "\n\n".join(rng.sample(paragraphs, min(len(paragraphs), rng.randint(4, 10))))
            record = {
                "text": f"Report {written} on {key} {story}. {body}",
                "title": f"Synthetic article {written}",
                "source": f"outlet-{rng.randrange(25)}",
                "published": (start + timedelta(days=rng.randrange(4))).isoformat(),
            }
            assert handle is not None
            handle.write(json.dumps(record) + "\n")
            written += 1
        story += 1
    if handle:
        handle.close()
    return folder
