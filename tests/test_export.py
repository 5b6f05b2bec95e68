from __future__ import annotations

import io
import json
from pathlib import Path

import pyarrow.parquet as pq

from storyline.config import Settings
from storyline.export import export
from storyline.pipeline import run
from storyline.schema import problems
from storyline.store import Store


def test_json_jsonl_and_parquet(seeds_dir: Path, settings: Settings, tmp_path: Path) -> None:
    run([seeds_dir], settings)
    with Store(settings.db) as store:
        buffer = io.StringIO()
        export(store, "json", None, buffer)
        document = json.loads(buffer.getvalue())
        assert document["schema"] == "storyline/v1"
        assert problems(document) == []
        lines = io.StringIO()
        export(store, "jsonl", None, lines)
        records = [json.loads(line) for line in lines.getvalue().splitlines()]
        assert [r["type"] for r in records].count("article") == 3
        written = export(store, "parquet", tmp_path / "pq", io.StringIO())
    names = {p.stem for p in written}
    assert {"articles", "sentences", "mentions", "timexes", "quotes", "claims", "stories"} <= names
    articles = pq.read_table(tmp_path / "pq" / "articles.parquet").to_pylist()
    assert len(articles) == 3 and all(a["text"] for a in articles)
    sentences = pq.read_table(tmp_path / "pq" / "sentences.parquet").to_pylist()
    with Store(settings.db) as store:
        assert len(sentences) == store.count("sentences") > 0
    first = sentences[0]
    assert {"article", "index", "start", "end", "paragraph", "text"} <= set(first)


def test_problems_finds_missing_fields() -> None:
    assert problems({"schema": "other"}) == ["'schema' must be 'storyline/v1'"]
    broken = {"schema": "storyline/v1", "articles": [{"id": "a"}], "stories": [{"id": "s"}]}
    found = problems(broken)
    assert any("articles[0] lacks" in p for p in found)
    assert any("stories[0] lacks" in p for p in found)
