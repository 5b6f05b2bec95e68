"""The modern-news TIMEX3 development set scored by ``bench/timex_eval.py --modern``.

bench/data/polnear_timex.jsonl holds 20 PolNeAR dev articles (US political news, September and
October 2016) annotated by hand, blind to every tagger, following TimeML 1.2.1 / TempEval-3
(provenance and conventions: bench/data/polnear_timex.README). Each line gives the article's
file name, its DCT and the gold TIMEX3 as character offsets into the article text, which is
read from the PolNeAR copy in shared/data (the texts are not stored in this repository).

``.venv/bin/python bench/timex_modern.py [FILE]`` checks that every span's text is found at
its offsets and prints the counts by type.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from collections.abc import Iterator
from datetime import date
from pathlib import Path

MODERN = Path(__file__).resolve().parent / "data" / "polnear_timex.jsonl"
TEXTS = Path(__file__).resolve().parents[2] / "shared" / "data" / "polnear" / "dev" / "text"

Gold = tuple[int, int, str, str, str]  # start, end, text, type, value


def read(path: Path = MODERN, texts: Path = TEXTS) -> Iterator[tuple[str, str, date, list[Gold]]]:
    """(name, text, DCT, gold spans) per article; stops if a span is not at its offsets."""
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        entry = json.loads(line)
        with open(texts / entry["file"], encoding="utf-8") as f:
            text = f.read()
        gold: list[Gold] = []
        for t in entry["timexes"]:
            if text[t["start"] : t["end"]] != t["text"]:
                raise SystemExit(f"{path}:{n}: {t['text']!r} is not at {t['start']}-{t['end']} "
                                 f"of {entry['file']}")  # fmt: skip
            gold.append((t["start"], t["end"], t["text"], t["type"], t["value"]))
        yield Path(entry["file"]).stem, text, date.fromisoformat(entry["dct"]), gold


if __name__ == "__main__":
    source = Path(sys.argv[1]) if len(sys.argv) > 1 else MODERN
    docs = list(read(source))
    types = Counter(g[3] for _, _, _, gold in docs for g in gold)
    print(f"{source}: {len(docs)} articles, {sum(types.values())} TIMEX3, all at their offsets; "
          + ", ".join(f"{k} {v}" for k, v in types.most_common()))  # fmt: skip
