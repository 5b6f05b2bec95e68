"""The summary fills its budget (a cut last sentence says so), leaves datelines and bylines
out of hard-wrapped wire copy, and reads in the order of the events. Real files, real spaCy."""

from __future__ import annotations

import textwrap
from dataclasses import replace
from datetime import date

import pytest

from storyline.annotate.stages import annotate_batch
from storyline.config import Settings
from storyline.ingest.files import read_file
from storyline.model import AnnotatedArticle, Article
from storyline.synthesize.candidates import drop_dateline
from storyline.synthesize.similarity import strip_header
from storyline.synthesize.summary import summarize

WIRE = {
    "ap.txt": (
        "date 1998-10-16 By JOHN SMITH Associated Press Writer\n\n"
        "PHNOM PENH, Cambodia (AP) _ Cambodia's opposition leaders refused on Friday to return "
        "for talks with Prime Minister Hun Sen, saying they feared arrest if they came back to "
        "the capital.\n\n"
        "Sam Rainsy and Prince Norodom Ranariddh fled the country last month after the "
        "disputed July election, which Hun Sen's party won.\n\n"
        "King Norodom Sihanouk has offered to host a meeting of the rival leaders in his "
        "palace in Siem Reap, near the Angkor temples.\n\n"
        "Foreign donors have said they will withhold aid until a new government is formed.\n"
    ),
    "nyt.txt": (
        "date 1998-10-18 WASHINGTON _ The United States urged Cambodia's rival leaders on "
        "Sunday to accept King Norodom Sihanouk's offer to host talks in Siem Reap.\n\n"
        "State Department officials said the opposition leaders, who fled the country last "
        "month, should be allowed to return without fear of arrest.\n\n"
        "Hun Sen's party won the disputed July election but lacks the two-thirds majority it "
        "needs to form a government alone.\n"
    ),
    "reuters.txt": (
        "date 1998-10-17 BANGKOK, Thailand (Reuters) — Cambodian opposition leader Sam Rainsy "
        "said on Saturday he would return to Phnom Penh only if the king guaranteed his "
        "safety.\n\n"
        "Rainsy, who has been in Bangkok since fleeing Cambodia last month, said he had asked "
        "King Norodom Sihanouk for written guarantees.\n\n"
        "Donors including Japan have said aid depends on a new government being formed.\n"
    ),
}


@pytest.fixture(scope="module")
def wire(tmp_path_factory: pytest.TempPathFactory) -> list[AnnotatedArticle]:
    """The three reports as hard-wrapped plain-text files (lines of at most 64 characters)."""
    folder = tmp_path_factory.mktemp("wire")
    for name, text in WIRE.items():
        first, rest = text.split("\n", 1)
        paragraphs = [textwrap.fill(p, width=64) for p in rest.strip().split("\n\n")]
        (folder / name).write_text(first + "\n\n" + "\n\n".join(paragraphs), encoding="utf-8")
    settings = Settings()
    articles = [a for p in sorted(folder.iterdir()) for a in read_file(p, settings)]
    assert all(isinstance(a, Article) for a in articles)
    return annotate_batch([a for a in articles if isinstance(a, Article)], settings)


def test_datelines_and_bylines_are_not_summary_content(wire: list[AnnotatedArticle]) -> None:
    summary = summarize(wire, max_words=400)
    texts = [s.text for s in summary]
    assert texts
    for sentence in summary:
        assert "(AP)" not in sentence.text and "(Reuters)" not in sentence.text
        assert not sentence.text.startswith(("PHNOM PENH", "WASHINGTON", "BANGKOK", "By "))
        assert "\n" not in sentence.text
    dropped = {s.dropped for s in summary if s.dropped}
    assert dropped <= {"PHNOM PENH, Cambodia (AP) _", "WASHINGTON _",
                       "BANGKOK, Thailand (Reuters) —"}  # fmt: skip
    assert any(t.startswith("Cambodia's opposition leaders refused on Friday") for t in texts)
    by_id = {a.article.id: a for a in wire}
    for sentence in summary:  # the own sentence is the text with the dateline before it
        whole = [
            " ".join(strip_header(by_id[c.article].sentences[c.sentence].text).split())
            for c in sentence.citations
        ]
        assert " ".join(f"{sentence.dropped} {sentence.text}".split()) in whole


def test_drop_dateline_keeps_ordinary_sentences() -> None:
    assert drop_dateline("NEW YORK — Stocks fell on Monday.") == (
        "NEW YORK —",
        "Stocks fell on Monday.",
    )
    assert drop_dateline("London, England — The sun came out.") == (
        "London, England —",
        "The sun came out.",
    )
    assert drop_dateline("By JOHN SMITH Associated Press Writer PHNOM PENH, Cambodia (AP) _ "
                         "The king spoke.") == (
        "By JOHN SMITH Associated Press Writer PHNOM PENH, Cambodia (AP) _", "The king spoke."
    )  # fmt: skip
    for text in (
        "NATO said on Monday it would send more troops.",
        "By Friday the river had risen two metres.",
        "The UN (United Nations) said aid was on its way.",
    ):
        assert drop_dateline(text) == ("", text)


@pytest.mark.parametrize("limit", [30, 60, 100])
def test_the_word_budget_is_filled(wire: list[AnnotatedArticle], limit: int) -> None:
    summary = summarize(wire, max_words=limit)
    used = sum(len(s.text.split()) for s in summary)
    assert limit - 3 <= used <= limit
    cut = [s for s in summary if s.truncated]
    assert len(cut) <= 1 and all(s is summary[-1] for s in cut), "only the last may be cut"
    for sentence in summary:
        assert sentence.text.endswith("…") == sentence.truncated
    whole = summarize(wire, max_words=limit, fill_min_words=10_000)
    assert not any(s.truncated for s in whole)
    assert sum(len(s.text.split()) for s in whole) <= limit


def test_the_byte_budget_is_filled(wire: list[AnnotatedArticle]) -> None:
    summary = summarize(wire, max_words=None, max_bytes=400)
    size = len(" ".join(s.text for s in summary).encode("utf-8"))
    assert 340 <= size <= 400


def test_sentences_read_in_the_order_of_the_events(wire: list[AnnotatedArticle]) -> None:
    summary = summarize(wire, max_words=400, fill_min_words=10_000)
    days = []
    for sentence in summary:
        doc, own = next(
            (a, c)
            for c in sentence.citations
            for a in wire
            if a.article.id == c.article
            and sentence.text in " ".join(a.sentences[c.sentence].text.split())
        )
        values = [t.value for t in doc.timexes if t.sentence == own.sentence and t.type == "DATE"]
        days.append(values[0] if values else None)
    dated = [d for d in days if d and len(d) == 10]
    assert dated == sorted(dated), days
    friday = next(i for i, s in enumerate(summary) if "refused on Friday" in s.text)
    sunday = next(i for i, s in enumerate(summary) if "on Sunday" in s.text)
    assert friday < sunday


def test_an_undated_story_keeps_article_order(wire: list[AnnotatedArticle]) -> None:
    undated = [replace(a, article=replace(a.article, published=None), timexes=()) for a in wire]
    summary = summarize(undated, max_words=400, fill_min_words=10_000)
    rank = {a.article.id: n for n, a in enumerate(undated)}
    order = []
    for sentence in summary:
        (own,) = [
            c
            for c in sentence.citations
            if sentence.text
            in " ".join(undated[rank[c.article]].sentences[c.sentence].text.split())
        ]
        order.append((rank[own.article], own.sentence))
    assert summary and order == sorted(order)
    assert date(1998, 10, 16) == wire[0].article.published
