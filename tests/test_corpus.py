"""The bundled sample corpus (examples/corpus) reads as its GOLD.json says."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from storyline.config import Settings
from storyline.pipeline import ingest
from storyline.store import Store

CORPUS = Path(__file__).resolve().parents[1] / "examples" / "corpus"


@pytest.fixture(scope="module")
def gold() -> dict[str, object]:
    return json.loads((CORPUS / "GOLD.json").read_text(encoding="utf-8"))


def test_corpus_shape(gold: dict[str, list[dict[str, object]]]) -> None:
    articles = gold["articles"]
    assert len(articles) >= 30
    assert len({a["source"] for a in articles}) >= 6
    assert len(gold["stories"]) >= 5
    assert {a["format"] for a in articles} >= {"txt", "html", "rss", "atom", "jsonl"}
    assert sum(1 for a in articles if a["published"] is None) == 1


def test_every_gold_article_is_ingested_with_its_metadata(
    gold: dict[str, list[dict[str, object]]], settings: Settings
) -> None:
    with Store(settings.db) as store:
        report = ingest([CORPUS], store, settings)
        assert report.skipped == []
        stored = {}
        for article in store.articles():
            ref = str(Path(article.path or "").relative_to(CORPUS))
            if article.entry is not None:
                ref += f"#{article.entry}"
            stored[ref] = article
    assert len(stored) == len(gold["articles"])
    for expected in gold["articles"]:
        article = stored[str(expected["ref"])]
        assert article.title == expected["title"], expected["ref"]
        assert article.source == expected["source"], expected["ref"]
        published = article.published.isoformat() if article.published else None
        assert published == expected["published"], expected["ref"]
        assert article.language == "en"
    for quote in gold["quotes"]:
        for variant in quote["variants"]:
            assert str(variant["text"]) in stored[str(variant["ref"])].text, variant
