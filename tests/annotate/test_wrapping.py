"""Hard-wrapped plain text: line breaks inside a paragraph are not sentence ends; indented
lines start paragraphs; a name like "Hun Sen." can end a sentence. Real files, real spaCy."""

from __future__ import annotations

import textwrap
from pathlib import Path

from storyline.annotate.nlp import segment
from storyline.config import Settings
from storyline.ingest.files import read_file
from storyline.model import Article

PARAGRAPHS = [
    "Cambodia's opposition leaders fled the country last month after threats of arrest from "
    "strongman Hun Sen. Hun Sen complained Monday that the opposition was trying to "
    "internationalize the crisis, and said talks must be held in Phnom Penh.",
    "King Norodom Sihanouk has offered to mediate. The king said he would return to the "
    "capital from Beijing next week if both sides agreed to meet him there.",
    "Diplomats said the dispute could delay the formation of a new government for months.",
]
EXPECTED = [
    "Cambodia's opposition leaders fled the country last month after threats of arrest from "
    "strongman Hun Sen.",
    "Hun Sen complained Monday that the opposition was trying to internationalize the crisis, "
    "and said talks must be held in Phnom Penh.",
    "King Norodom Sihanouk has offered to mediate.",
    "The king said he would return to the capital from Beijing next week if both sides agreed "
    "to meet him there.",
    "Diplomats said the dispute could delay the formation of a new government for months.",
]


def _read(path: Path) -> Article:
    (article,) = read_file(path, Settings())
    assert isinstance(article, Article)
    return article


def _texts(article: Article) -> list[str]:
    return [" ".join(s.text.split()) for s in segment(article)]


def test_hard_wrapped_text_segments_like_flowing_text(tmp_path: Path) -> None:
    wrapped = "\n\n".join(textwrap.fill(p, width=62) for p in PARAGRAPHS)
    assert "Hun\nSen." in wrapped or "Sen.\nHun" in wrapped or "Hun Sen. Hun" in wrapped
    (tmp_path / "wrapped.txt").write_text(wrapped + "\n", encoding="utf-8")
    (tmp_path / "flowing.txt").write_text("\n\n".join(PARAGRAPHS) + "\n", encoding="utf-8")
    wrapped_article = _read(tmp_path / "wrapped.txt")
    assert _texts(wrapped_article) == EXPECTED
    assert _texts(_read(tmp_path / "flowing.txt")) == EXPECTED
    for sentence in segment(wrapped_article):  # offsets still point into the stored text
        assert wrapped_article.text[sentence.start : sentence.end] == sentence.text
    assert [s.paragraph for s in segment(wrapped_article)] == [0, 0, 1, 1, 2]


def test_indented_lines_start_paragraphs(tmp_path: Path) -> None:
    """Newswire without blank lines: a paragraph starts on a line indented deeper."""
    body = "\n".join(
        textwrap.fill(p, width=66, initial_indent="   ", subsequent_indent="") for p in PARAGRAPHS
    )
    (tmp_path / "indented.txt").write_text(body + "\n", encoding="utf-8")
    article = _read(tmp_path / "indented.txt")
    sentences = segment(article)
    assert [" ".join(s.text.split()) for s in sentences] == EXPECTED
    assert [s.paragraph for s in sentences] == [0, 0, 1, 1, 2]


def test_a_list_with_hanging_indent_is_not_split() -> None:
    from storyline.ingest.text import indented_paragraphs

    text = "Deaths by country:\n* India - more than\n  7,700 people"
    assert indented_paragraphs(text) == text


def test_title_abbreviations_before_names_stay_inside_sentences() -> None:
    text = (
        "Sen. John McCain met Gov. George Bush in Austin on Friday. Mr. Hun Sen was not there."
        "\n\nHun Sen said Dr. Smith would travel."
    )
    texts = [" ".join(s.text.split()) for s in segment(Article("a", text))]
    assert texts == [
        "Sen. John McCain met Gov. George Bush in Austin on Friday.",
        "Mr. Hun Sen was not there.",
        "Hun Sen said Dr. Smith would travel.",
    ]
