"""Story headlines: short, from a real headline when the articles have one, else a
compressed lead; the long lead is kept as the dek. Real files, real spaCy."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from storyline.annotate.nlp import segment_many
from storyline.config import Settings
from storyline.ingest.files import read_file
from storyline.model import AnnotatedArticle, Article
from storyline.synthesize.candidates import headline_of
from storyline.synthesize.titles import TITLE_WORDS, compress, lead_of, story_headline

MULTILING = Path(__file__).resolve().parents[3] / "shared" / "data" / "multiling2011" / "docs"


def _annotated(articles: list[Article]) -> list[AnnotatedArticle]:
    return [AnnotatedArticle(a, s) for a, s in zip(articles, segment_many(articles), strict=True)]


def test_the_headline_of_the_seed_that_has_one(seed_articles: list[Article]) -> None:
    titled = [a for a in seed_articles if a.id.startswith("003")]
    (third,) = titled
    docs = _annotated([*seed_articles[:2], _read_seed(third)])
    headline = story_headline(docs)
    title = "Blinken calls for “urgent steps” to restore calm between Israel and the Palestinians"
    assert headline.title == title
    assert len(headline.title.split()) <= TITLE_WORDS
    assert headline.dek is not None and headline.dek.startswith("US Secretary of State Anthony")
    assert story_headline(list(reversed(docs))) == headline  # not the order of the articles


def _read_seed(article: Article) -> Article:
    """The seed 003 as the plain-text reader stores it: its first line is the title."""
    folder = Path(__file__).resolve().parents[3] / "shared" / "seeds"
    (read,) = read_file(next(folder.glob(f"{article.id}.txt")), Settings())
    assert isinstance(read, Article) and read.title
    return read


def test_a_compressed_lead_without_headlines(seed_articles: list[Article]) -> None:
    docs = _annotated(seed_articles[:2])  # dated seeds: a lead sentence, no headline
    assert all(headline_of(d) is None for d in docs)
    headline = story_headline(docs)
    assert 4 <= len(headline.title.split()) <= TITLE_WORDS
    assert headline.dek in {lead_of(d) for d in docs}
    assert headline.dek.startswith(headline.title.rstrip("…"))
    assert not headline.title.endswith(".")


def test_compress_cuts_at_a_clause_boundary() -> None:
    lead = (
        "Egyptian President Abdel-Fattah al-Sisi held talks in Cairo on Monday with US "
        "Secretary of State Antony Blinken, his office said."
    )
    expected = "Egyptian President Abdel-Fattah al-Sisi held talks in Cairo on Monday with US"
    assert compress(lead) == expected + " Secretary…"
    assert compress("Blinken meets Sisi, talks on Gaza, calm urged.") == (
        "Blinken meets Sisi, talks on Gaza, calm urged"
    )
    assert (
        compress(
            "Strong quake hits Chile; at least 214 killed as tsunami warnings spread across the "
            "Pacific rim and beyond"
        )
        == "Strong quake hits Chile"
    )


@pytest.mark.skipif(not MULTILING.is_dir(), reason="../shared/data/multiling2011 not here")
def test_headline_lines_of_real_wikinews_articles() -> None:
    paths = sorted((MULTILING / "M008").glob("*.txt"))
    articles = [a for p in paths for a in read_file(p, Settings()) if isinstance(a, Article)]
    docs = _annotated(articles)
    first_lines = {
        " ".join(p.read_text(encoding="utf-8").split("\n", 1)[0].split()[2:]) for p in paths
    }
    assert {headline_of(d) for d in docs} <= first_lines
    headline = story_headline(docs)
    assert headline.title in first_lines
    assert len(headline.title.split()) <= TITLE_WORDS
    assert "Air France" in headline.title
    assert headline.dek and headline.dek.endswith(".") and headline.dek not in first_lines


def test_the_stored_story_title_is_the_short_headline(tmp_path: Path) -> None:
    from storyline.pipeline import run

    folder = tmp_path / "news"
    folder.mkdir()
    lead = (
        "The regional council of Halvergate voted on Tuesday to close the old harbour bridge "
        "to heavy lorries after engineers found cracks in two of its piers."
    )
    (folder / "a.txt").write_text(
        "Halvergate closes harbour bridge to lorries\n\n" + lead + "\n\n"
        "Engineers said the cracks were found during a routine inspection last week.\n",
        encoding="utf-8",
    )
    (folder / "b.txt").write_text(
        "date 2024-03-06 " + lead.replace("Tuesday", "Tuesday evening") + "\n\n"
        "Council engineers said the cracks in the harbour bridge piers were found last week.\n",
        encoding="utf-8",
    )
    settings = Settings().with_(db=str(tmp_path / "s.db"), workers=1)
    run([folder], settings)
    with sqlite3.connect(settings.db) as db:
        rows = db.execute("SELECT title, report FROM stories").fetchall()
    assert rows
    for title, report in rows:
        data = json.loads(report)
        assert data["title"] == title
        assert len(title.split()) <= TITLE_WORDS
        assert "dek" in data
    titles = {title for title, _ in rows}
    assert "Halvergate closes harbour bridge to lorries" in titles
