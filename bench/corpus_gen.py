"""Synthetic corpora recombined from the sample corpus's paragraphs (for benchmarks only)."""

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


def sample_paragraphs() -> list[str]:
    paragraphs: list[str] = []
    for found in find_files([CORPUS]):
        for item in read_file(found.path, Settings()):
            if isinstance(item, Article):
                paragraphs.extend(p for p in item.text.split("\n\n") if len(p) > 60)
    return paragraphs


def write_jsonl(folder: Path, count: int, seed: int = 1, per_file: int = 1000) -> Path:
    """``count`` articles of 6-12 recombined paragraphs in JSONL files under ``folder``."""
    paragraphs = sample_paragraphs()
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    start = date(2024, 1, 1)
    handle = None
    for i in range(count):
        if i % per_file == 0:
            if handle:
                handle.close()
            handle = (folder / f"part-{i // per_file:05d}.jsonl").open("w", encoding="utf-8")
        body = "\n\n".join(rng.sample(paragraphs, rng.randint(6, 12)))
        record = {
            "text": f"Report {i}. {body}",
            "title": f"Synthetic article {i}",
            "source": f"outlet-{i % 25}",
            "published": (start + timedelta(days=rng.randrange(365))).isoformat(),
        }
        assert handle is not None
        handle.write(json.dumps(record) + "\n")
    if handle:
        handle.close()
    return folder
