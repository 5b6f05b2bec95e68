"""Grouping the same quote across articles and diffing its wordings."""

from __future__ import annotations

from pathlib import Path

from storyline.annotate.nlp import load, segment
from storyline.annotate.quotes import extract_quotes
from storyline.model import Article, Entity, Mention, Quote, Sentence
from storyline.synthesize.quotes import group_quotes, speaker_entity, word_diff


def _annotate(path: Path) -> tuple[list[Quote], tuple[Sentence, ...]]:
    text = path.read_text(encoding="utf-8")
    sentences = segment(Article(id=path.stem, text=text))
    ner = load(variant="ner")
    mentions = [
        Mention(path.stem, s.index, s.start + e.start_char, s.start + e.end_char, e.text, e.label_)
        for s, doc in zip(sentences, ner.pipe([s.text for s in sentences]), strict=True)
        for e in doc.ents
    ]
    return extract_quotes(path.stem, text, sentences, mentions), sentences


def test_drifted_seed_quote_is_one_group(seeds_dir: Path) -> None:
    quotes, sentences = {}, {}
    for path in sorted(seeds_dir.glob("*.txt")):
        quotes[path.stem], sentences[path.stem] = _annotate(path)
    blinken = Entity("e7", "Antony Blinken", "PERSON", ("Anthony Blinken", "Blinken"),
                     tuple(quotes), 30)  # fmt: skip
    sisi = Entity("e2", "Abdel-Fattah al-Sisi", "PERSON", ("El-Sisi",), tuple(quotes), 5)
    groups = group_quotes(quotes, sentences, [sisi, blinken])
    [group] = [g for g in groups if g.text.startswith("We want to make sure")]
    assert [v.article[:3] for v in group.variants] == ["002", "003"]
    assert group.speaker_entity == "e7"
    assert "I hope" in group.variants[0].text and "hopefully" in group.variants[1].text
    assert sum(len(g.variants) for g in groups) == sum(len(q) for q in quotes.values())
    # quotes of different content stay apart
    assert not any(g.text.startswith("We agree that Iran") and len(g.variants) > 1 for g in groups)


def test_word_diff_marks_the_changed_words() -> None:
    ops = word_diff(
        "We want to make sure that there’s an environment in which we can, I hope, act",
        "We want to make sure there is an environment in which we can, hopefully, act",
    )
    changed = [(o.op, o.a_text, o.b_text) for o in ops if o.op != "equal"]
    assert changed == [("replace", "that there’s", "there is"), ("replace", "I hope", "hopefully")]
    assert ops[0].op == "equal" and ops[0].a_text == "We want to make sure"


def test_speaker_entity_matches_alias_and_surname() -> None:
    entities = [
        Entity("g1", "Blinken", "GPE", (), ("a",), 1),
        Entity("p1", "Antony Blinken", "PERSON", ("Anthony Blinken",), ("a",), 3),
    ]
    assert speaker_entity("Anthony Blinken", entities) == "p1"
    assert speaker_entity("Blinken", entities) == "p1"
    assert speaker_entity("Ned Price", entities) is None
    assert speaker_entity(None, entities) is None
