"""The sentences of a story that may enter its summary, cleaned of what is not content.

A candidate is one stored sentence (article id + sentence index) whose text is the
sentence's, whitespace collapsed, less:

* the seed format's ``date YYYY-MM-DD`` header (part of an article's first sentence);
* a leading **byline** ("By JOHN SMITH, Associated Press Writer") and **dateline**
  ("WASHINGTON (AP) —", "PHNOM PENH, Cambodia (AP) _", "NEW YORK —", "London, England —");
  what was left out is kept in ``Candidate.dropped``.

Sentences are not candidates when they are short (under ``min_words`` words), do not end
like a sentence (headlines, section titles, captions), are the article's headline (its
title, or a headline-like first paragraph: :func:`headline_of`), or are a piece of a
quotation that spans several sentences (an odd number of double quotes).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date

from storyline.model import AnnotatedArticle
from storyline.synthesize.similarity import ends_like_sentence, strip_header

_QUOTES = ('"', "\u201c", "\u201d", "``", "''")
_DASH = r"(?:[\u2014\u2013_]|--?)"
_AGENCY = r"\((?:AP|Reuters|AFP|UPI|dpa|DPA|Xinhua|Bloomberg|CNN|[A-Z][A-Za-z&.]{1,20})\)"
_CAPS = r"[A-Z][A-Z.'\u2019&-]+"
_WORD = r"[A-Z][\w.'\u2019-]*"
#: CITY[, Region] (AGENCY) — / CITY (AGENCY) / CITY — ; the city in capitals
_DATELINE_CAPS = re.compile(
    rf"\A{_CAPS}(?:\s+{_CAPS})*(?:,\s+{_WORD}(?:\s+{_WORD})*)?\s*"
    rf"(?:{_AGENCY}\s*{_DASH}?|{_DASH})\s+(?=\S)"
)
#: City, Country — (title case, a real dash)
_DATELINE_TITLE = re.compile(
    r"\A[A-Z][a-z]+(?:\s[A-Z][a-z]+){0,3},\s[A-Z][a-z]+(?:\s[A-Z][a-z]+){0,3}"
    r"(?:\s" + _AGENCY + r")?\s+[\u2014\u2013]\s+(?=\S)"
)
_BYLINE = re.compile(
    r"\ABy\s+(?:[A-Z][\w.'\u2019-]*\s+){1,4}?"
    r"(?:(?:,\s*)?(?:The\s+)?(?:Associated\s+Press|AP|Reuters|New\s+York\s+Times|AFP)\s+)?"
    r"(?:[A-Z][a-z]+\s+)?(?:Writer|Correspondent|Reporter|Editor)s?\b[\s,]*"
)
_CAPS_BYLINE = re.compile(r"\ABy\s+(?:[A-Z][A-Z.'\u2019-]+\s+){1,4}(?=[A-Z]{2})")
_ABBREVIATION_END = re.compile(r"\b(?:[A-Za-z]\.){2,}\Z")  # "in the U.S."
HEADLINE_MAX_WORDS = 20


@dataclass(frozen=True, slots=True)
class Candidate:
    """A sentence that may enter the summary: its cleaned text and where it comes from."""

    article: str
    sentence: int
    position: int  # 0-based rank among its article's candidates
    text: str
    family: int
    published: date | None
    dropped: str = ""  # a leading byline / dateline left out of ``text``


def drop_dateline(text: str) -> tuple[str, str]:
    """(what was left out, the rest): a leading byline and/or dateline of ``text``."""
    rest = text
    for pattern in (_BYLINE, _CAPS_BYLINE, _DATELINE_CAPS, _DATELINE_TITLE):
        match = pattern.match(rest)
        if match and match.end() < len(rest):
            rest = rest[match.end() :]
    return text[: len(text) - len(rest)].strip(), rest


def headline_of(annotated: AnnotatedArticle) -> str | None:
    """The article's headline: its title, else a first paragraph that reads like one (one
    sentence of at most ``HEADLINE_MAX_WORDS`` words without a final full stop, or ending in
    an abbreviation such as "U.S.", followed by more text)."""
    title = " ".join((annotated.article.title or "").split())
    if title:
        return title
    sentences = annotated.sentences
    if len(sentences) < 2 or sentences[1].paragraph == sentences[0].paragraph:
        return None
    text = " ".join(strip_header(sentences[0].text).split())
    if not text or len(text.split()) > HEADLINE_MAX_WORDS:
        return None
    if ends_like_sentence(text) and not _ABBREVIATION_END.search(text):
        return None
    return text


def _quote_marks(text: str) -> int:
    return sum(text.count(q) for q in _QUOTES)


def article_candidates(
    annotated: AnnotatedArticle, family: int, min_words: int
) -> Iterator[Candidate]:
    """The summary-worthy sentences of one article (see the module docstring), in order."""
    headline = headline_of(annotated)
    position = 0
    for sentence in annotated.sentences:
        whole = " ".join(strip_header(sentence.text).split())
        if whole == headline:
            continue
        dropped, text = drop_dateline(whole)
        if len(text.split()) < min_words or not ends_like_sentence(text):
            continue
        if _quote_marks(text) % 2:  # a piece of a longer quotation
            continue
        yield Candidate(
            annotated.article.id,
            sentence.index,
            position,
            text,
            family,
            annotated.article.published,
            dropped,
        )
        position += 1


def candidates_of(
    articles: Sequence[AnnotatedArticle],
    family_of: dict[str, int],
    min_words: int,
    limit: int,
) -> list[Candidate]:
    """The story's summary-worthy sentences (see the module docstring), at most ``limit``
    (the earliest positions of each article first: news puts the essentials first)."""
    found = [
        candidate
        for annotated in articles
        for candidate in article_candidates(annotated, family_of[annotated.article.id], min_words)
    ]
    if len(found) > limit:
        found = sorted(found, key=lambda c: c.position)[:limit]
    return found
