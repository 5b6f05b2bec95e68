"""Sentence-level reuse and wire families, on hand-written sentences and the seed articles."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from storyline.annotate.nlp import segment
from storyline.config import Settings
from storyline.link.families import wire_families
from storyline.link.features import content_terms
from storyline.link.reuse import canonical, compare, find_reuse, sentence_similarity
from storyline.model import AnnotatedArticle, Article, Reuse

SEEDS = Path(__file__).resolve().parents[3] / "shared" / "seeds"


def _terms(text: str) -> frozenset[str]:
    return frozenset(canonical(t) for t in content_terms(text))


def _annotated(article_id: str, text: str, published: date | None = None) -> AnnotatedArticle:
    article = Article(id=article_id, text=text, published=published)
    return AnnotatedArticle(article, segment(article))


def test_paraphrase_signal_catches_a_reworded_sentence() -> None:
    a = _terms(
        "Blinken will also travel to Ramallah, in West Bank, for talks with Palestinian "
        "President Mahmoud Abbas."
    )
    b = _terms(
        "Additionally, the Blinken representative will visit Ramallah in the occupied "
        "West Bank to meet with Palestinian President Mahmud Abbas."
    )
    unrelated = _terms(
        "Blinken touched on the issue of Iran during his press conference in Jerusalem."
    )
    weights: dict[str, float] = {}
    assert sentence_similarity(a, b, weights) >= 0.8
    assert sentence_similarity(a, unrelated, weights) < 0.5


def test_compare_aligns_copied_and_paraphrased_sentences() -> None:
    a = _annotated(
        "a",
        "Rescuers pulled 220 people from the collapsed Weiguan Golden Dragon tower in Tainan.\n\n"
        "At least seven people died, including a ten-day-old baby, officials said.\n\n"
        "The mayor of Tainan promised an investigation into the builder.",
        date(2016, 2, 6),
    )
    b = _annotated(
        "b",
        "Officials said at least seven people were killed, among them a baby ten days old.\n\n"
        "Rescuers pulled 220 people from the collapsed Weiguan Golden Dragon tower in Tainan.\n\n"
        "Taiwan's president flew to the city on Sunday afternoon.",
        date(2016, 2, 7),
    )
    reuse = compare(a, b, Settings())
    assert reuse is not None
    assert reuse.shared_sentences == ((1, 0), (0, 1))
    assert reuse.score == pytest.approx(2 / 3, abs=1e-3)


def test_wire_families_cover_every_article_once() -> None:
    two = ((0, 0), (1, 1))  # a family link needs two shared sentences (wire_min_shared)
    reuses = [Reuse("a", "b", 0.9, two, 2), Reuse("b", "c", 0.6, two, 2),
              Reuse("a", "d", 0.2, two, 2), Reuse("d", "e", 0.9, two, 1)]  # fmt: skip
    families = wire_families(["a", "b", "c", "d", "e"], reuses, Settings())
    assert families == [frozenset({"a", "b", "c"}), frozenset({"d"}), frozenset({"e"})]


def _seed(prefix: str) -> AnnotatedArticle:
    if not SEEDS.is_dir():
        pytest.skip("seed articles not available")
    path = next(SEEDS.glob(f"{prefix}_*.txt"))
    text = path.read_text(encoding="utf-8")
    match = re.match(r"\s*date (\d{4})-(\d{2})-(\d{2})", text)
    published = date(*map(int, match.groups())) if match else None
    return _annotated(path.stem, text, published)


def test_seed_wire_copies_share_more_than_the_other_outlet() -> None:
    s000, s002, s003 = _seed("000"), _seed("002"), _seed("003")
    settings = Settings()
    both = compare(s002, s003, settings)
    assert both is not None
    assert len(both.shared_sentences) >= 5
    ramallah = [
        (i, j)
        for i, j in both.shared_sentences
        if "Ramallah" in s003.sentences[j].text
        and "Ramallah" in s002.sentences[i].text
        and "Burns" not in s002.sentences[i].text
    ]
    assert len(ramallah) == 1
    for other in (s002, s003):
        with_000 = compare(s000, other, settings)
        assert with_000 is None or with_000.score < both.score
    found = find_reuse([s003, s002, s000], settings)
    pairs = {(r.a, r.b): r.score for r in found}
    assert pairs[(s002.article.id, s003.article.id)] == both.score  # undated 003 comes last


def test_story_report_keeps_the_strongest_pairs_per_article() -> None:
    from storyline.link.stage import strongest_reuse
    from storyline.model import Reuse

    pairs = [Reuse(a, b, score, ()) for a, b, score in (
        ("x", "y", 0.9), ("x", "z", 0.5), ("y", "z", 0.8), ("x", "w", 0.1), ("z", "w", 0.2),
    )]  # fmt: skip
    kept = strongest_reuse(pairs, 1)
    # x's best is y, y's best is x-y, z's best is y-z, w's best is z-w
    assert [(p.a, p.b) for p in kept] == [("x", "y"), ("y", "z"), ("z", "w")]
    assert strongest_reuse(pairs, 10) == tuple(pairs)
