"""Text features shared by the link stages: normalisation, content terms, entity keys.

Everything here is a pure function of one text or one annotated article. Terms are lower
case, accent-folded words without stop words and with a light plural stemmer, so "talks"
and "talk" meet while "Jenin" and "Jenin's" become one term.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from itertools import pairwise

from storyline.model import AnnotatedArticle, Mention, Sentence

#: the optional ``date YYYY-MM-DD`` header of the plain-text seed format
_HEADER = re.compile(r"^\s*date\s+\d{4}-\d{2}-\d{2}\s+", re.IGNORECASE)
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
_POSSESSIVE_S = re.compile(r"(?<=[^\W_])'s\b")
_CAPITALISED = re.compile(r"\b[A-Z][\w’'-]*[a-z][\w’'-]*(?:\s+[A-Z][\w’'-]*[a-z][\w’'-]*)*")


def _english_stop_words() -> frozenset[str]:
    """scikit-learn's English stop word list, kept as data (importing sklearn takes ~1 s)."""
    text = resources.files("storyline.link").joinpath("stopwords.txt").read_text("utf-8")
    return frozenset(w for w in text.split("\n") if w and not w.startswith("#"))


ENGLISH_STOP_WORDS = _english_stop_words()

#: reporting verbs and filler that say nothing about which event an article is about
STOPWORDS: frozenset[str] = ENGLISH_STOP_WORDS | {
    "said",
    "says",
    "say",
    "told",
    "according",
    "would",
    "also",
    "just",
    "like",
    "new",
    "year",
    "years",
    "day",
    "days",
    "time",
}

#: entity labels that name things an article is about (used for entity keys)
ENTITY_LABELS: frozenset[str] = frozenset({"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT"})


def strip_header(text: str) -> str:
    """``text`` without the leading ``date YYYY-MM-DD`` header of the seed format."""
    return _HEADER.sub("", text, count=1)


def fold(text: str) -> str:
    """Lower case without accents: ``"Séjour"`` -> ``"sejour"``."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def words(text: str) -> list[str]:
    """Folded word tokens of ``text``; possessive endings are dropped."""
    folded = fold(text)
    if "'" not in folded and "’" not in folded:
        return _WORD.findall(folded)
    folded = _POSSESSIVE_S.sub("", folded.replace("’", "'"))
    return [w.strip("'") for w in _WORD.findall(folded) if w.strip("'")]


def stem(word: str) -> str:
    """A light plural stemmer: ``"talks"`` -> ``"talk"``, ``"casualties"`` -> ``"casualty"``."""
    if len(word) <= 3 or word.isdigit():
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("sses"):
        return word[:-2]
    if word.endswith(("ss", "us", "is")):
        return word
    if word.endswith("s"):
        return word[:-1]
    return word


def content_terms(text: str) -> list[str]:
    """Stemmed content words of ``text`` in order (stop words and 1-letter words removed)."""
    return [t for t in map(_term, words(text)) if t]


def with_pairs(terms: Sequence[str]) -> list[str]:
    """``terms`` followed by each adjacent pair joined by a space (``["red", "sox",
    "offer"]`` -> ``[..., "red sox", "sox offer"]``); pass one sentence at a time so that no
    pair spans two sentences."""
    return [*terms, *(f"{a} {b}" for a, b in pairwise(terms))]


@lru_cache(maxsize=1 << 18)
def _term(word: str) -> str:
    """The stemmed term of one folded word, or ``""`` for a stop word or a single letter
    (cached: a news vocabulary is small next to the number of word occurrences)."""
    if word in STOPWORDS or (len(word) == 1 and not word.isdigit()):
        return ""
    return stem(word)


def normalise_text(text: str) -> str:
    """Text used for duplicate detection: header removed, folded, words joined by spaces."""
    return " ".join(words(strip_header(text)))


@lru_cache(maxsize=1 << 16)
def entity_key(text: str) -> str:
    """A comparable key for an entity mention: folded words, leading "the" and "al"/"el"
    particles dropped (``"the Abdel-Fattah al-Sisi"`` -> ``"abdel fattah sisi"``)."""
    tokens = [w for w in words(text.replace("-", " ")) if w not in {"the", "al", "el"}]
    return " ".join(tokens)


@dataclass(frozen=True, slots=True)
class EntityKey:
    """One entity key of an article with the sentence it was first seen in."""

    key: str
    sentence: int


def mention_keys(mentions: Iterable[Mention]) -> list[EntityKey]:
    """Keys of the mentions whose label is in ENTITY_LABELS; a PERSON also yields its last
    name so that "Blinken" and "Antony Blinken" share a key."""
    out: list[EntityKey] = []
    for mention in mentions:
        if mention.label not in ENTITY_LABELS:
            continue
        key = entity_key(mention.text)
        if not key:
            continue
        out.append(EntityKey(key, mention.sentence))
        parts = key.split()
        if mention.label == "PERSON" and len(parts) > 1:
            out.append(EntityKey(parts[-1], mention.sentence))
    return out


def capitalised_keys(sentences: Sequence[Sentence]) -> list[EntityKey]:
    """Entity keys guessed from capitalised word runs when no mentions are available.

    The first word of a sentence is skipped unless the run goes on past it, and runs made
    only of stop words ("The", "But") are ignored.
    """
    out: list[EntityKey] = []
    for sentence in sentences:
        text = strip_header(sentence.text) if sentence.index == 0 else sentence.text
        lead = len(text) - len(text.lstrip())
        for match in _CAPITALISED.finditer(text):
            run = match.group()
            if match.start() == lead and " " not in run:
                continue
            key = entity_key(run)
            if key and any(w not in STOPWORDS for w in key.split()):
                out.append(EntityKey(key, sentence.index))
    return out


def article_entity_keys(doc: AnnotatedArticle) -> list[EntityKey]:
    """Entity keys of ``doc``: from its mentions, or guessed from capitalisation if none."""
    if doc.mentions:
        return mention_keys(doc.mentions)
    return capitalised_keys(doc.sentences)


def headline(doc: AnnotatedArticle) -> str:
    """The article's title, else its first sentence without the date header."""
    if doc.article.title and doc.article.title.strip():
        return doc.article.title.strip()
    for sentence in doc.sentences:
        text = strip_header(sentence.text).strip()
        if text:
            return text
    return strip_header(doc.article.text).strip().split("\n", 1)[0][:200]
