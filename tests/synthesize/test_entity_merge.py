"""Merging entity mentions across a story's articles (real spaCy on real and short texts)."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest
from spacy.language import Language

from storyline.annotate import nlp as nlp_module
from storyline.annotate.entities import extract_mentions
from storyline.model import AnnotatedArticle, Article, Entity, Mention
from storyline.synthesize.entities import (
    entity_for,
    mention_entity_map,
    merge_entities,
    resolve_entities,
)
from storyline.synthesize.names import compatible, person_key, person_name, same_token

SEEDS = Path(__file__).resolve().parents[2].parent / "shared" / "seeds"


@pytest.fixture(scope="module")
def ner() -> Language:
    return nlp_module.load(variant="ner")


def _annotate(ner: Language, article_id: str, text: str) -> AnnotatedArticle:
    article = Article(id=article_id, text=text)
    sentences = nlp_module.segment(article)
    spans = list(nlp_module.paragraphs(text))
    docs = zip((s for s, _ in spans), ner.pipe(text[s:e] for s, e in spans), strict=True)
    return AnnotatedArticle(
        article, sentences, tuple(extract_mentions(article_id, text, sentences, list(docs)))
    )


def _by_alias(entities: list[Entity], pattern: str) -> list[Entity]:
    return [e for e in entities if any(re.search(pattern, a) for a in e.aliases)]


@pytest.fixture(scope="module")
def seed_articles(ner: Language) -> list[AnnotatedArticle]:
    if not SEEDS.is_dir():
        pytest.skip("../shared/seeds is not beside the repository")
    return [
        _annotate(ner, p.stem, p.read_text(encoding="utf-8")) for p in sorted(SEEDS.glob("*.txt"))
    ]


def test_seeds_give_one_entity_each_for_sisi_abbas_blinken(seed_articles):
    entities = merge_entities(seed_articles)
    [sisi] = _by_alias(entities, "Sisi")
    [abbas] = _by_alias(entities, "Abbas")
    [blinken] = _by_alias(entities, "Blinken")
    assert set(sisi.aliases) == {
        "Abdel-Fattah al-Sisi",
        "Abdel Fattah el Sisi",
        "Abdel Fattah El-Sisi",
        "Al-Sisi",
        "al-Sisi",
        "Sisi",
    }
    assert set(abbas.aliases) == {"Mahmud Abbas", "Mahmoud Abbas", "Abbas"}
    assert set(blinken.aliases) == {"Antony Blinken", "Anthony Blinken", "Blinken"}
    assert (sisi.name, abbas.name, blinken.name) == (
        "Abdel-Fattah al-Sisi",  # ties broken by the most used surname spelling, al-Sisi
        "Mahmoud Abbas",
        "Antony Blinken",  # 2 of 3 full mentions
    )
    assert {sisi.type, abbas.type, blinken.type} == {"PERSON"}
    ids = [a.article.id for a in seed_articles]
    assert sisi.articles == tuple(ids) and blinken.articles == tuple(ids)
    assert abbas.articles == tuple(ids[1:])
    text_mentions = sum(
        len(re.findall(r"\bBlinken\b", a.article.text)) for a in seed_articles
    )  # every occurrence is one mention, plus role-only references ("the US secretary")
    assert blinken.mentions > text_mentions


def test_entity_ids_are_deterministic(seed_articles):
    forward = merge_entities(seed_articles)
    backward = merge_entities(list(reversed(seed_articles)))
    assert {(e.id, e.name, e.mentions) for e in forward} == {
        (e.id, e.name, e.mentions) for e in backward
    }
    [blinken] = _by_alias(forward, "Blinken")
    digest = hashlib.sha1(b"PERSON\x1fAntony Blinken").hexdigest()[:10]
    assert blinken.id == "e" + digest
    assert len({e.id for e in forward}) == len(forward)


def test_mention_map_covers_every_name_mention(seed_articles):
    entities = merge_entities(seed_articles)
    mapping = mention_entity_map(seed_articles, entities)
    by_id = {e.id: e for e in entities}
    for article in seed_articles:
        for m in article.mentions:
            if m.label != "ROLE":
                assert m.text in by_id[mapping[(article.article.id, m.start)]].aliases
    [sisi] = _by_alias(entities, "Sisi")
    first = seed_articles[0]
    assert mapping[(first.article.id, first.article.text.index("Sisi’s"))] == sisi.id


def test_role_only_reference_joins_the_role_holder(seed_articles):
    entities = merge_entities(seed_articles)
    mapping = mention_entity_map(seed_articles, entities)
    [blinken] = _by_alias(entities, "Blinken")
    [sisi] = _by_alias(entities, "Sisi")
    article = seed_articles[2]
    text = article.article.text
    secretary = text.index("the US Secretary of State preceded") + len("the US ")
    president = text.index("the Egyptian president") + len("the Egyptian ")
    assert mapping[(article.article.id, secretary)] == blinken.id
    assert mapping[(article.article.id, president)] == sisi.id
    assert "Secretary of State" not in blinken.aliases  # a role is not a name


def _mention(
    article: str, start: int, text: str, label: str = "PERSON", role: str | None = None
) -> Mention:
    return Mention(article, 0, start, start + len(text), text, label, role)


def _story(*articles: tuple[str, list[Mention]]) -> list[AnnotatedArticle]:
    return [
        AnnotatedArticle(Article(id=aid, text="x" * 500), (), tuple(mentions))
        for aid, mentions in articles
    ]


def test_two_cohens_stay_apart_and_a_bare_cohen_follows_its_article():
    eli_with_role = _mention("a", 0, "Eli Cohen", role="Israeli Foreign Minister")
    both = [
        _mention("d", 0, "Avi Cohen"),
        _mention("d", 20, "Eli Cohen"),
        _mention("d", 60, "Cohen"),
    ]
    story = _story(
        ("a", [eli_with_role, _mention("a", 50, "Cohen")]),
        ("b", [_mention("b", 0, "Avi Cohen"), _mention("b", 40, "Cohen")]),
        ("c", [_mention("c", 0, "Cohen")]),  # no Cohen named in full: stays apart
        ("d", both),
        ("e", [_mention("e", 0, "Cohen", role="Foreign Minister")]),
    )
    resolution = resolve_entities(story)
    by_name = {e.name: e for e in resolution.entities}
    assert set(by_name) == {"Eli Cohen", "Avi Cohen", "Cohen"}
    amap = resolution.assignments
    eli, avi = by_name["Eli Cohen"].id, by_name["Avi Cohen"].id
    assert (amap[("a", 50)], amap[("b", 40)]) == (eli, avi)
    assert amap[("c", 0)] == by_name["Cohen"].id
    assert amap[("d", 60)] == eli  # the nearest Cohen named before it
    assert amap[("e", 0)] == eli  # "Foreign Minister Cohen": the role decides
    assert by_name["Eli Cohen"].articles == ("a", "d", "e")


def test_two_cohens_from_real_text(ner):
    first = "Israeli Foreign Minister Eli Cohen met Blinken. Cohen said talks went well."
    second = "Opposition lawmaker Avi Cohen criticised the visit. Cohen spoke in Haifa."
    story = [_annotate(ner, "a", first), _annotate(ner, "b", second)]
    entities = merge_entities(story)
    cohens = _by_alias(entities, "Cohen")
    assert sorted((e.name, e.articles, e.mentions) for e in cohens) == [
        ("Avi Cohen", ("b",), 2),
        ("Eli Cohen", ("a",), 2),
    ]


def test_particles_hyphens_and_case():
    story = _story(
        ("a", [_mention("a", 0, "Ursula von der Leyen"), _mention("a", 30, "Von der Leyen")]),
        ("b", [_mention("b", 0, "von der Leyen’s"), _mention("b", 30, "Mohammed bin Salman")]),
        ("c", [_mention("c", 0, "Mohammed Bin Salman"), _mention("c", 30, "bin Salman")]),
        ("d", [_mention("d", 0, "ABDEL FATTAH AL-SISI"), _mention("d", 30, "El Sisi")]),
        ("e", [_mention("e", 0, "Abdel Fattah el-Sisi"), _mention("e", 30, "Muhammad bin Salman")]),
    )
    entities = merge_entities(story)
    assert sorted((e.name, e.mentions) for e in entities) == [
        ("Abdel Fattah el-Sisi", 3),  # tie: the most used surname spelling, el Sisi
        ("Mohammed bin Salman", 4),  # tie: "bin Salman" as written most often
        ("Ursula von der Leyen", 3),
    ]
    [leyen] = _by_alias(entities, "Leyen")
    assert "von der Leyen" in leyen.aliases  # possessive cut


def test_transliterated_given_names_merge_but_different_ones_do_not():
    assert same_token("mahmud", "mahmoud") and same_token("antony", "anthony")
    assert same_token("mohammed", "muhammad")
    assert not same_token("eli", "avi") and not same_token("sisi", "sousa")
    assert compatible(person_name("Mahmud Abbas"), person_name("Mahmoud Abbas"))
    assert compatible(person_name("A. Blinken"), person_name("Antony Blinken"))
    assert not compatible(person_name("Eli Cohen"), person_name("Avi Cohen"))
    assert not compatible(person_name("Eli Cohen"), person_name("Avi Eli Cohen"))
    assert person_key("Abdel-Fattah al-Sisi’s") == person_key("abdel fattah El Sisi")


def test_ambiguous_initial_stays_apart():
    story = _story(
        ("a", [_mention("a", 0, "John Smith"), _mention("a", 20, "John Smith")]),
        ("b", [_mention("b", 0, "Jane Smith"), _mention("b", 20, "J. Smith")]),
    )
    names = sorted(e.name for e in merge_entities(story))
    assert names == ["J. Smith", "Jane Smith", "John Smith"]


def test_ambiguous_role_reference_is_left_alone():
    story = _story(
        ("a", [_mention("a", 0, "Mahmoud Abbas", role="Palestinian President")]),
        ("b", [_mention("b", 0, "Isaac Herzog", role="Israeli President")]),
        ("c", [_mention("c", 0, "President", "ROLE", "President")]),
        ("d", [_mention("d", 0, "president", "ROLE", "Palestinian President")]),
    )
    resolution = resolve_entities(story)
    abbas = next(e for e in resolution.entities if e.name == "Mahmoud Abbas")
    assert ("c", 0) not in resolution.assignments
    assert resolution.assignments[("d", 0)] == abbas.id
    assert abbas.mentions == 2 and abbas.articles == ("a", "d")


def test_other_entities_merge_on_folded_names_and_acronyms():
    story = _story(
        ("a", [_mention("a", 0, "West Bank", "GPE"), _mention("a", 20, "United States", "GPE")]),
        ("b", [_mention("b", 0, "west bank", "GPE"), _mention("b", 20, "US", "GPE")]),
        # the model's slip (PERSON) joins the majority label of the same name
        ("c", [_mention("c", 0, "Al-Aqsa Mosque", "FAC"), _mention("c", 20, "Al Aqsa Mosque")]),
        ("d", [_mention("d", 0, "Al Aqsa Mosque", "FAC")]),
    )
    entities = {e.name: e for e in merge_entities(story)}
    assert set(entities) == {"West Bank", "United States", "Al Aqsa Mosque"}
    assert entities["United States"].aliases == ("US", "United States")
    assert entities["Al Aqsa Mosque"].type == "FAC"  # majority label
    assert entities["Al Aqsa Mosque"].mentions == 3


def test_entity_for_maps_speaker_strings(seed_articles):
    resolution = resolve_entities(seed_articles)
    entities = resolution.entities
    [sisi] = _by_alias(list(entities), "Sisi")
    [blinken] = _by_alias(list(entities), "Blinken")
    assert entity_for("Egyptian President Abdel Fattah al-Sisi", entities) is sisi
    assert entity_for("El-Sisi", entities) is sisi
    assert entity_for("Anthony Blinken", entities) is blinken
    assert entity_for("Secretary Blinken", entities) is blinken
    assert entity_for("the US secretary", entities, resolution.roles) is blinken
    assert entity_for("the US secretary", entities) is None
    assert entity_for("Avi Cohen", entities) is None  # only Eli Cohen is in the story
    assert entity_for("", entities) is None
