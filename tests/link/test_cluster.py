"""Streaming story clustering on hand-written articles and the seed articles."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from storyline.annotate.nlp import segment
from storyline.config import Settings
from storyline.link.cluster import StoryClusterer, cluster_stories, story_id
from storyline.model import AnnotatedArticle, Article

SEEDS = Path(__file__).resolve().parents[3] / "shared" / "seeds"

CHILE = [
    "Chile earthquake kills hundreds\n\n"
    "A magnitude 8.8 earthquake struck central Chile before dawn on Saturday, killing at least "
    "300 people and toppling buildings in Concepcion and the capital Santiago.\n\n"
    "President Michelle Bachelet declared a state of catastrophe in the Maule and Biobio "
    "regions and said the death toll was likely to rise.",
    "Tsunami waves hit Chilean coast after quake\n\n"
    "Waves up to eight metres high swept into coastal towns in the Maule region hours after the "
    "8.8 magnitude quake, Chile's navy said.\n\n"
    "In Concepcion, Chile's second-largest city, rescuers searched the ruins of a 15-storey "
    "apartment block, and President Bachelet sent troops to stop looting.",
    "Chile counts the cost of massive quake\n\n"
    "Michelle Bachelet said two million Chileans had been affected by the earthquake, the "
    "strongest to hit the country in 50 years.\n\n"
    "Aftershocks rattled Santiago and Concepcion overnight as the official death toll in the "
    "Maule and Biobio regions passed 700.",
]
SUMATRA = [
    "Powerful quake strikes Indonesia's Sumatra\n\n"
    "A magnitude 7.6 earthquake hit off the west coast of Sumatra on Wednesday, flattening "
    "hotels and a hospital in the city of Padang, Indonesian officials said.\n\n"
    "President Susilo Bambang Yudhoyono said at least 75 people had been killed and thousands "
    "were trapped under collapsed buildings in West Sumatra province.",
    "Padang death toll climbs as rescuers dig through rubble\n\n"
    "Indonesian soldiers and volunteers dug with bare hands through the rubble of the Ambacang "
    "hotel in Padang, where dozens of guests were buried by the 7.6 magnitude quake.\n\n"
    "Yudhoyono flew to West Sumatra and said the government would send aid to the province.",
]
LATE = (
    "Chile rebuilds a month after the earthquake\n\n"
    "One month after the 8.8 magnitude earthquake, Michelle Bachelet visited Concepcion, where "
    "families still live in tents next to the ruins of their homes in the Biobio region.\n\n"
    "Santiago says reconstruction in Maule and Biobio will cost 30 billion dollars."
)


def _annotated(article_id: str, text: str, published: date | None) -> AnnotatedArticle:
    article = Article(id=article_id, text=text, published=published)
    return AnnotatedArticle(article, segment(article))


@pytest.fixture(scope="module")
def quakes() -> list[AnnotatedArticle]:
    day = date(2010, 2, 27)
    docs = [_annotated(f"chile{i}", t, day) for i, t in enumerate(CHILE)]
    docs += [_annotated(f"sumatra{i}", t, day) for i, t in enumerate(SUMATRA)]
    return docs


def test_two_earthquakes_on_the_same_day_are_kept_apart(quakes: list[AnnotatedArticle]) -> None:
    interleaved = [quakes[0], quakes[3], quakes[1], quakes[4], quakes[2]]
    stories = cluster_stories(interleaved, Settings())
    assert [set(s.articles) for s in stories] == [
        {"chile0", "chile1", "chile2"},
        {"sumatra0", "sumatra1"},
    ]
    assert stories[0].id == story_id("chile0") == "s" + stories[0].id[1:13]
    assert stories[0].first_seen == stories[0].last_seen == date(2010, 2, 27)
    assert "quake" in stories[0].title.lower() and "Chile" in stories[0].title


def test_a_late_article_joins_its_story_within_the_window(
    quakes: list[AnnotatedArticle],
) -> None:
    settings = Settings(cluster_window_days=30)
    clusterer = StoryClusterer(settings)
    ids = [clusterer.add(doc) for doc in quakes]
    late = _annotated("late", LATE, date(2010, 3, 25))
    assert clusterer.add(late) == ids[0] == story_id("chile0")
    story = next(s for s in clusterer.stories() if s.id == ids[0])
    assert story.last_seen == date(2010, 3, 25)
    assert story.articles[-1] == "late"


def test_outside_the_window_the_same_subject_starts_a_new_story(
    quakes: list[AnnotatedArticle],
) -> None:
    clusterer = StoryClusterer(Settings(cluster_window_days=10))
    for doc in quakes:
        clusterer.add(doc)
    late = _annotated("late", LATE, date(2010, 3, 25))
    assert clusterer.add(late) == story_id("late")
    assert len(clusterer.stories()) == 3


def test_seeded_state_lets_a_later_run_continue(quakes: list[AnnotatedArticle]) -> None:
    first = StoryClusterer(Settings(cluster_window_days=30))
    assigned = {doc.article.id: first.add(doc) for doc in quakes}
    second = StoryClusterer(Settings(cluster_window_days=30))
    for doc in quakes:
        second.seed(doc, assigned[doc.article.id])
    assert second.add(_annotated("late", LATE, date(2010, 3, 25))) == assigned["chile0"]
    assert second.story_of("sumatra1") == assigned["sumatra0"]


def test_seed_articles_002_and_003_form_one_story() -> None:
    if not SEEDS.is_dir():
        pytest.skip("seed articles not available")
    docs = []
    for path in sorted(SEEDS.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        match = re.match(r"\s*date (\d{4})-(\d{2})-(\d{2})", text)
        published = date(*map(int, match.groups())) if match else None
        docs.append(_annotated(path.stem, text, published))
    clusterer = StoryClusterer(Settings())
    for doc in sorted(docs, key=lambda d: (d.article.published is None, d.article.published)):
        clusterer.add(doc)
    stem = {d.article.id[:3]: d.article.id for d in docs}
    assert clusterer.story_of(stem["002"]) == clusterer.story_of(stem["003"])
