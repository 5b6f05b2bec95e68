"""Near-duplicate detection on short real-style news texts."""

from __future__ import annotations

from datetime import date

from storyline.config import Settings
from storyline.link.dedup import NearDuplicateIndex, find_duplicates, shingles
from storyline.model import Article

BODY = (
    "A magnitude 6.4 earthquake struck off the coast of southern Taiwan early on Sunday, "
    "toppling a 17-storey apartment block in the city of Tainan and trapping dozens of "
    "residents, the island's fire department said.\n\n"
    "Rescue workers pulled 220 people from the rubble of the Weiguan Golden Dragon building "
    "by mid-morning, and at least seven people were confirmed dead, including a ten-day-old "
    "baby girl, officials said.\n\n"
    "The quake hit at 3:57 a.m. local time at a depth of 10 kilometres, according to the "
    "United States Geological Survey, and was felt as far away as the capital Taipei."
)

PARAPHRASE = (
    "Taiwan quake: seven dead as Tainan high-rise collapses\n\n"
    "At least seven people, among them a baby only ten days old, died when a powerful "
    "earthquake brought down a residential tower in Tainan before dawn on Sunday.\n\n"
    "Firefighters said they had rescued more than two hundred residents from the collapsed "
    "Weiguan Golden Dragon complex, while dozens more were believed to be trapped inside.\n\n"
    "The US Geological Survey put the magnitude at 6.4 and said the shallow tremor struck "
    "shortly before 4 a.m.; buildings swayed in Taipei, hundreds of kilometres to the north."
)


def _article(article_id: str, text: str, published: date | None = None) -> Article:
    return Article(id=article_id, text=text, published=published)


def test_exact_duplicate_differing_only_in_spacing_and_quotes() -> None:
    index = NearDuplicateIndex(Settings())
    assert index.add(_article("a1", BODY)) is None
    copy = BODY.replace("island's", "island’s").replace("\n\n", "\n\n\n  ")
    duplicate = index.add(_article("a2", copy))
    assert duplicate is not None
    assert (duplicate.article, duplicate.duplicate_of, duplicate.similarity) == ("a2", "a1", 1.0)


def test_near_duplicate_with_changed_headline() -> None:
    index = NearDuplicateIndex(Settings())
    index.add(_article("wire", "Deadly quake topples Taiwan apartment tower\n\n" + BODY))
    retitled = "Seven killed as 6.4 quake hits southern Taiwan\n\n" + BODY
    duplicate = index.add(_article("copy", retitled))
    assert duplicate is not None
    assert duplicate.duplicate_of == "wire"
    assert 0.8 <= duplicate.similarity < 1.0


def test_paraphrase_of_the_same_event_is_not_a_duplicate() -> None:
    index = NearDuplicateIndex(Settings())
    index.add(_article("wire", BODY))
    assert index.add(_article("rewrite", PARAPHRASE)) is None
    assert len(index) == 2
    jaccard = len(shingles(BODY, 5) & shingles(PARAPHRASE, 5)) / len(
        shingles(BODY, 5) | shingles(PARAPHRASE, 5)
    )
    assert jaccard < 0.05


def test_find_duplicates_points_at_the_earliest_published_copy() -> None:
    late = _article("late", "UPDATED: " + BODY, date(2016, 2, 8))
    early = _article("early", BODY, date(2016, 2, 6))
    undated = _article("undated", BODY + "\n\nReporting by Reuters.", None)
    other = _article("other", PARAPHRASE, date(2016, 2, 7))
    found = find_duplicates([undated, late, other, early], Settings())
    assert {(d.article, d.duplicate_of) for d in found} == {("late", "early"), ("undated", "early")}


def test_adding_the_same_article_twice_gives_the_same_answer() -> None:
    index = NearDuplicateIndex(Settings())
    index.add(_article("a1", BODY))
    first = index.add(_article("a2", BODY))
    assert index.add(_article("a2", BODY)) == first
    assert index.add(_article("a1", BODY)) is None
    assert len(index) == 2
