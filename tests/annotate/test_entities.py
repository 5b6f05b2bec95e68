"""Entity mentions with roles, on the seed articles and short real sentences (real spaCy)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

import pytest
from spacy.language import Language
from spacy.tokens import Doc

from storyline.annotate import nlp as nlp_module
from storyline.annotate.entities import LABELS, ROLE_LABEL, extract_mentions
from storyline.model import Article, Mention

SEEDS = Path(__file__).resolve().parents[2].parent / "shared" / "seeds"


@pytest.fixture(scope="module")
def ner() -> Language:
    return nlp_module.load(variant="ner")


def _mentions(
    ner: Language, text: str, article_id: str = "a", ents: Sequence[tuple[str, str]] | None = None
) -> list[Mention]:
    """Mentions of ``text`` through the real pipeline; with ``ents`` ((surface, label) pairs),
    the model's entities are replaced by those, to pin a rule to an exact model slip."""
    article = Article(id=article_id, text=text)
    sentences = nlp_module.segment(article)
    spans = list(nlp_module.paragraphs(text))
    docs = list(ner.pipe(text[s:e] for s, e in spans))
    if ents is not None:
        docs = [_with_ents(ner, doc, ents) for doc in docs]
    pairs = [(start, doc) for (start, _), doc in zip(spans, docs, strict=True)]
    return extract_mentions(article_id, text, sentences, pairs)


def _with_ents(ner: Language, doc: Doc, ents: Sequence[tuple[str, str]]) -> Doc:
    fresh = ner.make_doc(doc.text)
    spans = []
    for surface, label in ents:
        for match in re.finditer(re.escape(surface), fresh.text):
            span = fresh.char_span(match.start(), match.end(), label=label)
            assert span is not None, surface
            spans.append(span)
    fresh.ents = spans
    return fresh


@pytest.fixture(scope="module")
def seeds(ner: Language) -> dict[str, tuple[str, list[Mention]]]:
    if not SEEDS.is_dir():
        pytest.skip("../shared/seeds is not beside the repository")
    out = {}
    for path in sorted(SEEDS.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        out[path.stem] = (text, _mentions(ner, text, path.stem))
    return out


def _persons(mentions: Sequence[Mention]) -> set[str]:
    return {m.text for m in mentions if m.label == "PERSON"}


def _seed(seeds: dict[str, tuple[str, list[Mention]]], prefix: str) -> tuple[str, list[Mention]]:
    return next(v for k, v in seeds.items() if k.startswith(prefix))


def test_every_spelling_of_sisi_abbas_blinken_is_a_person(seeds):
    found: set[str] = set()
    for stem, (text, mentions) in seeds.items():
        persons = [m for m in mentions if m.label == "PERSON"]
        for match in re.finditer(r"\b(?:Sisi|Abbas|Blinken)\b", text):
            covering = [m for m in persons if m.start <= match.start() and match.end() <= m.end]
            assert covering, f"{stem}: {match.group()} at {match.start()} is not a PERSON"
        found |= _persons(mentions)
    spellings = {
        "Abdel-Fattah al-Sisi",
        "Abdel Fattah el Sisi",
        "Abdel Fattah El-Sisi",
        "Al-Sisi",
        "al-Sisi",
        "Sisi",
        "Mahmud Abbas",
        "Mahmoud Abbas",
        "Abbas",
        "Antony Blinken",
        "Anthony Blinken",
        "Blinken",
    }
    assert spellings <= found


def test_blinken_role_is_us_secretary_of_state(seeds):
    for prefix, name in (
        ("000", "Antony Blinken"),
        ("002", "Antony Blinken"),
        ("003", "Anthony Blinken"),
    ):
        _, mentions = _seed(seeds, prefix)
        roles = {m.role for m in mentions if m.text == name}
        assert roles == {"US Secretary of State"}, prefix


def test_secretary_of_state_is_never_an_org_named_state(seeds):
    for _, mentions in seeds.values():
        assert not [
            m
            for m in mentions
            if m.text in {"State", "Secretary of State"} and m.label != ROLE_LABEL
        ]
        assert all(m.label in LABELS | {ROLE_LABEL} for m in mentions)


def test_mentions_keep_provenance(seeds, ner):
    for stem, (text, mentions) in seeds.items():
        sentences = nlp_module.segment(Article(id=stem, text=text))
        for m in mentions:
            assert m.article == stem
            assert m.text == text[m.start : m.end]
            sentence = sentences[m.sentence]
            assert sentence.start <= m.start and m.end <= sentence.end


def test_date_header_holds_no_entity(seeds):
    text, mentions = _seed(seeds, "000")
    header = re.match(r"\s*date \d{4}-\d{2}-\d{2}", text)
    assert header is not None
    assert all(m.start >= header.end() for m in mentions)
    assert mentions[0].text == "Egyptian"


def test_possessive_org_becomes_the_person(seeds):
    text, mentions = _seed(seeds, "000")
    start = text.index("Sisi’s office")
    [mention] = [m for m in mentions if m.start == start]
    assert (mention.text, mention.label) == ("Sisi", "PERSON")


def test_name_split_before_particle_is_joined(seeds):
    text, mentions = _seed(seeds, "002")
    [sisi] = [m for m in mentions if m.start == text.index("Abdel Fattah el Sisi")]
    assert (sisi.text, sisi.label, sisi.role) == (
        "Abdel Fattah el Sisi",
        "PERSON",
        "Egypt's President",
    )


def test_surname_tagged_as_place_is_a_person(seeds):
    _, mentions = _seed(seeds, "003")
    first = next(m for m in mentions if m.start == 0)
    assert (first.text, first.label) == ("Blinken", "PERSON")  # the model says GPE


@pytest.mark.parametrize(
    ("text", "name", "role"),
    [
        (
            "US Secretary of State Antony Blinken arrived.",
            "Antony Blinken",
            "US Secretary of State",
        ),
        (
            "Israeli Prime Minister Benjamin Netanyahu spoke.",
            "Benjamin Netanyahu",
            "Israeli Prime Minister",
        ),
        ("He met CIA chief William Burns in Ramallah.", "William Burns", "CIA Chief"),
        (
            "Egyptian President Abdel-Fattah al-Sisi held talks.",
            "Abdel-Fattah al-Sisi",
            "Egyptian President",
        ),
        (
            "Interior Minister Jana Holub said the border was calm.",
            "Jana Holub",
            "Interior Minister",
        ),
        ("The plan was confirmed by spokesman Ned Price on Monday.", "Ned Price", "Spokesman"),
        (
            "Blinken will meet Palestinian President Mahmoud Abbas.",
            "Mahmoud Abbas",
            "Palestinian President",
        ),
        (
            "Talks with Egypt’s President Abdel Fattah el Sisi ended.",
            "Abdel Fattah el Sisi",
            "Egypt's President",
        ),
    ],
)
def test_role_next_to_a_name(ner, text, name, role):
    mentions = _mentions(ner, text)
    [person] = [m for m in mentions if m.label == "PERSON" and m.text == name]
    assert person.role == role
    assert not [m for m in mentions if m.text in {"State", "Interior", "Minister"}]


@pytest.mark.parametrize(
    ("text", "name", "role"),
    [
        (
            "Ned Price, the State Department spokesman, said.",
            "Ned Price",
            "State Department Spokesman",
        ),
        ("Eli Cohen, Israel’s foreign minister, said.", "Eli Cohen", "Israel's Foreign Minister"),
        (
            "He met his Israeli counterpart, Eli Cohen, on Monday.",
            "Eli Cohen",
            "Israeli Counterpart",
        ),
    ],
)
def test_role_set_off_by_commas(ner, text, name, role):
    mentions = _mentions(ner, text)
    [person] = [m for m in mentions if m.text == name]
    assert (person.label, person.role) == ("PERSON", role)
    assert not [m for m in mentions if m.label == ROLE_LABEL]  # not a role-only reference


def test_role_swallowed_into_the_name_is_trimmed(ner):
    text = "President Abdel Fattah met reporters."
    mentions = _mentions(ner, text, ents=[("President Abdel Fattah", "PERSON")])
    [person] = mentions
    assert (person.text, person.role, person.start) == ("Abdel Fattah", "President", 10)


def test_name_split_in_two_persons_is_joined(ner):
    text = "Abdel-Fattah al-Sisi met reporters."
    mentions = _mentions(ner, text, ents=[("Abdel-Fattah", "PERSON"), ("al-Sisi", "PERSON")])
    assert [(m.text, m.start) for m in mentions] == [("Abdel-Fattah al-Sisi", 0)]


def test_missed_surnames_of_a_known_person_are_added(ner):
    text = "Abdel Fattah El-Sisi spoke. Later El-Sisi and al-Sisi’s aides and Sisi left."
    mentions = _mentions(ner, text, ents=[("Abdel Fattah El-Sisi", "PERSON")])
    assert [m.text for m in mentions] == ["Abdel Fattah El-Sisi", "El-Sisi", "al-Sisi", "Sisi"]
    assert {m.label for m in mentions} == {"PERSON"}
    assert [m.sentence for m in mentions] == [0, 1, 1, 1]


def test_surname_that_is_a_common_word_is_not_added_at_a_sentence_start(ner):
    text = "Ned Price spoke on Monday. Price rose after the price cut."
    mentions = _mentions(ner, text, ents=[("Ned Price", "PERSON")])
    assert [m.text for m in mentions] == ["Ned Price"]


def test_all_caps_fragment_is_not_an_entity(ner):
    mentions = _mentions(ner, "BREAKING NEWS FROM CAIRO TODAY\n\nThe talks in Cairo went well.")
    assert [(m.text, m.label, m.start) for m in mentions] == [("Cairo", "GPE", 45)]


def test_role_only_references(seeds):
    text, mentions = _seed(seeds, "003")
    refs = [m for m in mentions if m.label == ROLE_LABEL]
    first = text.index("the US Secretary of State preceded")
    assert (first + len("the US "), "Secretary of State", "US Secretary of State") in {
        (m.start, m.text, m.role) for m in refs
    }
    assert "Egyptian President" in {m.role for m in refs}  # "the Egyptian president"
    # the US mention inside the reference keeps its own start
    assert len({m.start for m in mentions}) == len(mentions)
