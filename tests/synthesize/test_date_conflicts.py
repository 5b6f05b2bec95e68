from __future__ import annotations

from datetime import date
from pathlib import Path

from storyline.annotate.stages import annotate
from storyline.config import Settings
from storyline.ingest.normalize import article_id
from storyline.model import AnnotatedArticle, Article
from storyline.pipeline import read_file
from storyline.synthesize.date_conflicts import date_conflicts


def doc(text: str, day: date) -> AnnotatedArticle:
    return annotate(Article(id=article_id(text), text=text, published=day))


RAID = (
    "An Israeli raid on the densely populated Jenin refugee camp on {day} resulted in the "
    "deaths of ten people, health officials said."
)
OTHER = "Talks between the two foreign ministers are expected to continue next month in Cairo."


def test_same_event_on_two_days_is_a_date_conflict() -> None:
    a = doc(RAID.format(day="Thursday") + "\n\n" + OTHER, date(2023, 1, 31))
    b = doc(RAID.format(day="Wednesday") + "\n\nThe army declined to comment.", date(2023, 1, 31))
    [conflict] = date_conflicts([a, b])
    assert conflict.kind == "date"
    assert {(v.value, v.articles) for v in conflict.values} == {
        ("2023-01-25", (b.article.id,)),
        ("2023-01-26", (a.article.id,)),
    }


def test_same_day_or_one_wire_family_is_not_a_conflict() -> None:
    a = doc(RAID.format(day="Thursday"), date(2023, 1, 31))
    b = doc(
        RAID.format(day="Thursday") + " The army said it targeted militants.", date(2023, 1, 31)
    )
    assert date_conflicts([a, b]) == []
    c = doc(RAID.format(day="Wednesday") + " The army declined to comment.", date(2023, 1, 31))
    family = frozenset({a.article.id, c.article.id})
    assert date_conflicts([a, c], [family]) == []


def test_seeds_have_no_date_conflict(seeds_dir: Path) -> None:
    settings = Settings()
    articles = [
        item
        for path in sorted(seeds_dir.glob("*.txt"))
        for item in read_file(path, settings)
        if isinstance(item, Article) and item.published is not None
    ]
    docs = [annotate(a) for a in articles]
    assert date_conflicts(docs) == []
