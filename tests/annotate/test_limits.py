"""Limits on the work spent on one article: huge paragraphs, many paragraphs, many sentences.

The big inputs are generated here; every test uses the real spaCy model. Each checks that
what is analysed is bounded, that the cut is recorded as a warning, and that every offset
(sentences, mentions, time expressions, quotes, claims) still points into the stored text.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from storyline.annotate.nlp import Limits, cut_point, load, parse_many, pieces
from storyline.annotate.stages import Outcome, annotate_guarded
from storyline.config import Settings
from storyline.errors import ConfigError
from storyline.model import AnnotatedArticle, Article
from storyline.pipeline import run
from storyline.store import Store

SENTENCE = "The minister said on Monday that talks in Cairo would resume. "
FIVE_MB = 5 * 1024 * 1024


def one_paragraph(size: int) -> str:
    """A single paragraph of exactly ``size`` characters (no line break)."""
    return (SENTENCE * (size // len(SENTENCE) + 1))[:size]


def tiny_paragraphs(count: int) -> str:
    return "\n\n".join(f"Item {i}." for i in range(count))


def check_provenance(doc: AnnotatedArticle, analysed: int) -> None:
    """Every record lies inside the first ``analysed`` characters of the stored text, in
    the sentence it names, and quotes its own text from there."""
    text = doc.article.text
    sentences = doc.sentences
    assert [s.index for s in sentences] == list(range(len(sentences)))
    for s in sentences:
        assert 0 <= s.start < s.end <= analysed
        assert s.text == text[s.start : s.end]
    for group in (doc.mentions, doc.timexes, doc.quotes, doc.claims):
        for record in group:
            assert 0 <= record.start < record.end <= analysed
            sentence = sentences[record.sentence]
            assert sentence.start <= record.start < sentence.end
    for record in (*doc.mentions, *doc.timexes):
        assert record.text == text[record.start : record.end]


def guarded(article: Article, settings: Settings) -> Outcome:
    (outcome,) = annotate_guarded([article], settings)
    assert outcome.error is None
    assert outcome.doc is not None
    return outcome


def test_cut_point_prefers_a_sentence_end_then_a_space() -> None:
    text = "One two three four five. Six seven eight nine ten"
    assert cut_point(text, 0, 40) == 24  # after "five."
    assert text[: cut_point(text, 0, 40)] == "One two three four five."
    assert cut_point(text, 0, 60) == len(text)  # all of it fits
    # only the second half of the window is searched: no piece is cut very short
    assert cut_point("One. Two three four five six seven eight", 0, 30) == 28
    spaced = "aaaa bbbb cccc dddd"
    assert cut_point(spaced, 0, 12) == 9  # the last space before 12
    assert cut_point("x" * 50, 0, 20) == 20  # no space: a hard cut
    assert cut_point("short", 0, 20) == 5


def test_pieces_are_bounded_and_cover_the_paragraph() -> None:
    text = one_paragraph(25_000)
    found = list(pieces(text, 0, len(text), 10_000))
    assert len(found) == 3
    assert all(0 < end - start <= 10_000 for start, end in found)
    assert all(not text[s].isspace() and not text[e - 1].isspace() for s, e in found)
    assert all(text[e - 1] == "." for s, e in found[:-1])  # cut after a sentence end
    rebuilt = " ".join(text[s:e] for s, e in found)
    assert rebuilt == text.rstrip()


def test_limits_must_be_positive() -> None:
    with pytest.raises(ConfigError, match="annotate_max_chars"):
        Limits.of(Settings().with_(annotate_max_chars=0))
    with pytest.raises(ConfigError, match="annotate_piece_chars"):
        Limits.of(Settings().with_(annotate_piece_chars=10))


def test_five_megabyte_paragraph_is_analysed_up_to_the_limit() -> None:
    article = Article(id="huge", text=one_paragraph(FIVE_MB))
    settings = Settings().with_(annotate_max_chars=30_000)
    started = time.monotonic()
    outcome = guarded(article, settings)
    elapsed = time.monotonic() - started
    doc = outcome.doc
    assert doc is not None
    # the cut is at a sentence end inside the limit: 483 whole sentences of 62 characters
    assert len(SENTENCE) == 62
    assert len(doc.sentences) == 483
    assert doc.sentences[-1].end == 483 * 62 - 1 == 29_945
    assert outcome.warnings == (
        "text of 5,242,880 characters: only the first 29,945 analysed"
        " (setting annotate_max_chars = 30,000)",
    )
    # the 10,000-character pieces keep one paragraph number, sentences stay whole
    assert {s.paragraph for s in doc.sentences} == {0}
    assert all(s.text == SENTENCE.strip() for s in doc.sentences)
    assert len([m for m in doc.mentions if m.text == "Cairo"]) == len(doc.sentences)
    check_provenance(doc, 29_945)
    assert elapsed < 60


def test_a_paragraph_longer_than_spacy_accepts_does_not_crash() -> None:
    """E088: spaCy refuses one text over nlp.max_length; pieces never reach it."""
    nlp = load(Settings().spacy_model, "annotate")
    text = "x" * (nlp.max_length + 10)
    limits = Limits(chars=len(text), paragraphs=10, sentences=100, piece_chars=nlp.max_length)
    before = nlp.max_length
    nlp.max_length = 50_000  # pieces follow a lower max_length too
    try:
        (parsed,) = parse_many([Article(id="x", text=text)], nlp, limits=limits)
    finally:
        nlp.max_length = before
    assert [len(doc.text) for _, doc in parsed.docs] == [50_000] * 20 + [10]
    assert parsed.warnings == ()
    assert parsed.sentences[-1].end == len(text)


def test_two_hundred_thousand_tiny_paragraphs() -> None:
    text = tiny_paragraphs(200_000)
    assert len(text) == 2_688_888
    started = time.monotonic()
    outcome = guarded(Article(id="many", text=text), Settings())
    elapsed = time.monotonic() - started
    doc = outcome.doc
    assert doc is not None
    assert len(doc.sentences) == 1_000
    assert [s.paragraph for s in doc.sentences] == list(range(1_000))
    assert doc.sentences[-1].text == "Item 999."
    assert outcome.warnings == (
        "text of 2,688,888 characters: only the first 99,988 analysed"
        " (setting annotate_max_chars = 100,000)",
        "8,425 paragraphs in the first 99,988 characters: only the first 1,000 analysed"
        " (setting annotate_max_paragraphs = 1,000)",
    )
    check_provenance(doc, doc.sentences[-1].end)
    assert elapsed < 60


def test_sentence_limit_cuts_docs_and_records() -> None:
    text = " ".join(f"Talks in Cairo were held on day {i}." for i in range(300))
    article = Article(id="talky", text=text)
    unlimited = guarded(article, Settings()).doc
    assert unlimited is not None
    total = len(unlimited.sentences)
    assert 250 < total <= 300
    outcome = guarded(article, Settings().with_(annotate_max_sentences=50))
    doc = outcome.doc
    assert doc is not None
    assert len(doc.sentences) == 50
    assert doc.sentences == unlimited.sentences[:50]
    assert outcome.warnings == (
        f"{total} sentences: only the first 50 analysed (setting annotate_max_sentences = 50)",
    )
    # the Doc across the cut is cut too: the mentions are those of the first 50 sentences
    assert doc.mentions == tuple(m for m in unlimited.mentions if m.sentence < 50)
    assert len([m for m in doc.mentions if m.text == "Cairo"]) == 55  # some sentences merged
    check_provenance(doc, doc.sentences[-1].end)


def test_normal_articles_are_not_limited() -> None:
    text = "\n\n".join([SENTENCE.strip()] * 30)
    outcome = guarded(Article(id="ok", text=text), Settings())
    assert outcome.warnings == ()
    assert outcome.doc is not None and len(outcome.doc.sentences) == 30


def test_html_page_of_many_paragraphs_is_limited(tmp_path: Path) -> None:
    body = "".join(f"<p>Short paragraph number {i}.</p>" for i in range(3_000))
    page = tmp_path / "in" / "page.html"
    page.parent.mkdir()
    page.write_text(f"<html><head><title>Many</title></head><body><article>{body}</article>"
                    "</body></html>")  # fmt: skip
    settings = Settings().with_(db=str(tmp_path / "t.db"), workers=1, annotate_max_paragraphs=500)
    report = run([page.parent], settings)
    assert report.annotated == 1
    with Store(settings.db) as store:
        (limited,) = store.limited()
        assert limited.path == str(page)
        assert limited.warning == (
            "3,000 paragraphs: only the first 500 analysed (setting annotate_max_paragraphs = 500)"
        )
        doc = store.annotated_article(store.article(limited.id))
    assert len(doc.sentences) == 500
    assert doc.sentences[-1].text == "Short paragraph number 499."
    check_provenance(doc, doc.sentences[-1].end)


def test_html_page_of_100k_paragraphs_does_not_block_runs(tmp_path: Path) -> None:
    """The page is either refused at ingest (an element limit) or analysed within the
    paragraph limit; either way the run ends and the next run with a new file works."""
    body = "".join(f"<p>Short paragraph number {i}.</p>" for i in range(100_000))
    inbox = tmp_path / "in"
    inbox.mkdir()
    (inbox / "page.html").write_text(f"<html><body><article>{body}</article></body></html>")
    (inbox / "good.txt").write_text("date 2023-01-30\n\n" + "\n\n".join([SENTENCE.strip()] * 5))
    settings = Settings().with_(db=str(tmp_path / "t.db"), workers=1)
    first = run([inbox], settings)
    with Store(settings.db) as store:
        limited = [item.warning for item in store.limited()]
        assert store.failed() == []
    skipped = [skip.reason for skip in first.ingest.skipped]
    assert first.annotated + len(skipped) == 2
    assert skipped or "only the first 1,000 analysed" in limited[0]
    (inbox / "next.txt").write_text(
        "date 2023-01-31\n\nTalks in Jerusalem resumed on Tuesday, the ministry said."
    )
    second = run([inbox], settings)
    assert second.ingest.added == 1
    assert second.annotated == 1


@pytest.mark.slow
def test_five_megabyte_paragraph_via_the_command_line(tmp_path: Path) -> None:
    """The issue's case end to end with the default limits: a 5 MB paragraph as a text file
    and as one JSONL line; the run succeeds, `stats` shows the cut, and the next run with a
    harmless new file succeeds."""
    inbox = tmp_path / "in"
    inbox.mkdir()
    huge = one_paragraph(FIVE_MB)
    (inbox / "huge.txt").write_text(huge)
    line = json.dumps({"title": "Huge", "text": huge.replace("Cairo", "Amman")})
    (inbox / "huge.jsonl").write_text(line + "\n")
    db = str(tmp_path / "t.db")
    command = [sys.executable, "-m", "storyline", "run", str(inbox), "--db", db, "--workers", "1"]
    first = subprocess.run(command, capture_output=True, text=True, timeout=600)
    assert first.returncode == 0, first.stderr
    assert "2 articles annotated" in first.stdout
    stats = subprocess.run([sys.executable, "-m", "storyline", "stats", "--db", db],
                           capture_output=True, text=True, timeout=120)  # fmt: skip
    limited = [row for row in stats.stdout.splitlines() if row.startswith("limited ")]
    assert len(limited) == 2
    assert all(
        row.endswith(
            ": text of 5,242,880 characters: only the first 99,943 analysed (setting"
            " annotate_max_chars = 100,000); 1,612 sentences: only the first 1,000 analysed"
            " (setting annotate_max_sentences = 1,000)"
        )
        for row in limited
    )
    (inbox / "next.txt").write_text(
        "date 2023-01-31\n\nTalks in Jerusalem resumed on Tuesday, the ministry said."
    )
    second = subprocess.run(command, capture_output=True, text=True, timeout=600)
    assert second.returncode == 0, second.stderr
    assert "1 articles annotated" in second.stdout
