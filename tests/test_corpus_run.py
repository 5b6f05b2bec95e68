"""The whole pipeline on the sample corpus (examples/corpus) against its GOLD.json: stories,
near-duplicates, inferred dates, timeline, quote groups, and number conflicts.

Runs the whole pipeline once for the module and compares each story's conflicts with GOLD's
``conflicts`` (values with the articles on each side) and ``non_conflicts`` (values that
change over time, or agree once qualifiers are read, are not conflicts).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from storyline.config import Settings
from storyline.pipeline import run
from storyline.store import Store

CORPUS = Path(__file__).resolve().parents[1] / "examples" / "corpus"


@dataclass(frozen=True)
class CorpusRun:
    gold: dict[str, Any]
    refs: dict[str, str]  # article id -> GOLD ref ("wire-feeds/wires.jsonl#0")
    stories: list[dict[str, Any]]
    duplicate_of: dict[str, str]  # GOLD ref -> GOLD ref of the copy it duplicates
    published: dict[str, str | None]  # GOLD ref -> published date (ISO), inferred or not

    def story_of(self, ref: str) -> dict[str, Any]:
        [story] = [s for s in self.stories if ref in {self.refs[a] for a in s["articles"]}]
        return story

    def number_conflicts(self, story: dict[str, Any]) -> list[dict[str, set[str]]]:
        """The story's number conflicts as {display value: GOLD refs of its articles}."""
        return [
            {v["value"]: {self.refs[a] for a in v["articles"]} for v in c["values"]}
            for c in story["conflicts"]
            if c["kind"] == "number"
        ]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> CorpusRun:
    db = tmp_path_factory.mktemp("corpus") / "corpus.db"
    run([CORPUS], Settings().with_(db=str(db), workers=1))
    with Store(db) as store:
        refs = {}
        for article in store.articles():
            ref = str(Path(article.path or "").relative_to(CORPUS))
            refs[article.id] = ref if article.entry is None else f"{ref}#{article.entry}"
        stories = store.story_reports()
        links = store.article_links()
        published = {
            refs[a.id]: a.published.isoformat() if a.published else None for a in store.articles()
        }
    duplicate_of = {refs[a]: refs[d] for a, (_, d) in links.items() if d}
    gold = json.loads((CORPUS / "GOLD.json").read_text(encoding="utf-8"))
    return CorpusRun(gold, refs, stories, duplicate_of, published)


def test_wire_copies_are_near_duplicates_and_nothing_else(corpus: CorpusRun) -> None:
    expected = {frozenset((d["a"], d["b"])) for d in corpus.gold["duplicates"]}
    found = {frozenset(pair) for pair in corpus.duplicate_of.items()}
    assert found == expected
    for copy, original in corpus.duplicate_of.items():
        # a duplicate belongs to the story of its original
        assert corpus.story_of(copy) == corpus.story_of(original)


def _is_gold(conflict: dict[str, set[str]], gold: dict[str, Any]) -> bool:
    """True when ``conflict`` has every GOLD value with exactly GOLD's articles."""
    return all(conflict.get(str(v["value"])) == set(v["refs"]) for v in gold["values"])


def test_gold_conflicts_are_found_with_their_articles(corpus: CorpusRun) -> None:
    number_gold = [g for g in corpus.gold["conflicts"] if g["kind"] == "number"]
    assert number_gold  # the Dravan earthquake death toll: 12 vs 14
    for gold in number_gold:
        story = corpus.story_of(gold["values"][0]["refs"][0])
        found = corpus.number_conflicts(story)
        assert any(_is_gold(c, gold) for c in found), (gold["topic"], found)


def test_dravan_death_toll_sides(corpus: CorpusRun) -> None:
    story = corpus.story_of("meridian-post/2024-03-05-dravan-earthquake-toll.html")
    [conflict] = corpus.number_conflicts(story)
    assert conflict["12"] == {
        "ridgeline-daily/atom.xml#4",
        "coastal-standard/varesia-reconstruction-fund.html",
    }
    assert conflict["14"] == {
        "meridian-post/2024-03-05-dravan-earthquake-toll.html",
        "valley-observer/dravan-toll-fourteen.txt",
    }
    # "at least 12" fits both sides: listed, but it is neither side. Of the wire story and
    # its copy only one is analysed (the other is its near-duplicate)
    assert conflict["at least 12"] & {"wire-feeds/wires.jsonl#0", "northgate-courier/feed.xml#3"}
    [topic] = [c["topic"] for c in story["conflicts"] if c["kind"] == "number"]
    assert topic.startswith("people killed")


def test_only_gold_conflicts_are_reported(corpus: CorpusRun) -> None:
    gold = [g for g in corpus.gold["conflicts"] if g["kind"] == "number"]
    for story in corpus.stories:
        for conflict in corpus.number_conflicts(story):
            assert any(_is_gold(conflict, g) for g in gold), (story["title"], conflict)


def test_non_conflicts_are_not_number_conflicts(corpus: CorpusRun) -> None:
    gold = [g for g in corpus.gold["conflicts"] if g["kind"] == "number"]
    for entry in corpus.gold["non_conflicts"]:
        stated = {
            float(n.replace(",", "")) for n in re.findall(r"\d[\d,]*(?:\.\d+)?", entry["note"])
        }
        story = corpus.story_of(entry["refs"][0])
        for conflict in corpus.number_conflicts(story):
            if any(_is_gold(conflict, g) for g in gold):
                continue
            values = {float(re.sub(r"[^\d.]", "", v)) for v in conflict}
            assert len(values & stated) < 2, (entry["topic"], conflict)


def test_no_one_hurt_is_a_zero_count(corpus: CorpusRun) -> None:
    story = corpus.story_of("wire-feeds/wires.jsonl#2")
    injured = [
        c
        for c in story["claims"]
        if corpus.refs[c["article"]] == "wire-feeds/wires.jsonl#2" and c["predicate"] == "injured"
    ]
    assert [(c["value"], c["subject"]) for c in injured] == [(0, "people")]


def test_spellings_list_only_the_articles_that_use_them(corpus: CorpusRun) -> None:
    story = corpus.story_of("ridgeline-daily/atom.xml#4")
    [spelling] = [
        c
        for c in story["conflicts"]
        if c["kind"] == "spelling" and "Milena Dvorak" in {v["value"] for v in c["values"]}
    ]
    by_value = {v["value"]: {corpus.refs[a] for a in v["articles"]} for v in spelling["values"]}
    assert by_value["Milena Dvorak"] == {
        "ridgeline-daily/atom.xml#4",
        "valley-observer/dravan-toll-fourteen.txt",
    }
    assert "ridgeline-daily/atom.xml#4" not in by_value["Milena Dvořák"]


def test_stories_are_the_gold_stories(corpus: CorpusRun) -> None:
    gold_story = {a["ref"]: a["story"] for a in corpus.gold["articles"]}
    found = {frozenset(corpus.refs[a] for a in s["articles"]) for s in corpus.stories}
    expected: dict[str, set[str]] = {}
    for ref, key in gold_story.items():
        expected.setdefault(key, set()).add(ref)
    assert found == {frozenset(refs) for refs in expected.values()}


def test_undated_article_gets_an_inferred_date(corpus: CorpusRun) -> None:
    undated = corpus.gold["undated"]
    assert corpus.published[undated["ref"]] in undated["expected_published"]


def test_gold_timeline_dates_are_found(corpus: CorpusRun) -> None:
    """Most GOLD timeline events appear on their date, cited by one of their articles."""
    hits = 0
    for event in corpus.gold["timeline"]:
        story = corpus.story_of(event["refs"][0])
        for entry in story["timeline"]:
            cited = {corpus.refs[c["article"]] for c in entry["citations"]}
            if entry["date"] == event["date"] and cited & set(event["refs"]):
                hits += 1
                break
    assert hits / len(corpus.gold["timeline"]) >= 0.7, hits


def test_drifted_quotes_are_grouped(corpus: CorpusRun) -> None:
    """Each GOLD quote with variants in several articles is one group holding them."""
    for quote in corpus.gold["quotes"]:
        refs = {v["ref"] for v in quote["variants"]}
        analysed = {r for r in refs if r not in corpus.duplicate_of}
        if len(analysed) < 2:
            continue
        story = corpus.story_of(next(iter(analysed)))
        groups = [{corpus.refs[v["article"]] for v in g["variants"]} for g in story["quotes"]]
        assert any(analysed <= group for group in groups), (quote["speaker"], groups)
