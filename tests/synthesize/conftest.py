"""Fixtures shared by the synthesize tests: the seed articles as raw texts, and a helper
that segments articles and tags their time expressions."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from storyline.annotate.nlp import segment_many
from storyline.annotate.timex import find_timexes
from storyline.model import AnnotatedArticle, Article

#: the seeds' publication dates (003 has none); article id = file stem
PUBLISHED = {"000": date(2023, 1, 30), "002": date(2023, 1, 31), "003": None}

Annotate = Callable[[list[Article]], list[AnnotatedArticle]]


@pytest.fixture(scope="session")
def seed_articles() -> list[Article]:
    """The three seeds, text exactly as in the files (the date header included)."""
    folder = Path(__file__).resolve().parents[3] / "shared" / "seeds"
    if not folder.is_dir():
        pytest.skip("../shared/seeds is not beside the repository")
    return [
        Article(id=p.stem, text=p.read_text(encoding="utf-8"), published=PUBLISHED[p.stem[:3]])
        for p in sorted(folder.glob("*.txt"))
    ]


def _with_timexes(articles: list[Article]) -> list[AnnotatedArticle]:
    out = []
    for article, sentences in zip(articles, segment_many(articles), strict=True):
        timexes = find_timexes(article.id, article.text, sentences, article.published)
        out.append(AnnotatedArticle(article, sentences, timexes=tuple(timexes)))
    return out


@pytest.fixture(scope="session")
def with_timexes() -> Annotate:
    """Articles -> annotated articles with sentences and resolved time expressions."""
    return _with_timexes
