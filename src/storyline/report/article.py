"""The article page: the stored text as paragraphs of sentences, some highlighted (the
sentences a story cites). Needs a Store; adds nothing. Shared by the static report and the
web UI."""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass

from storyline.report.queries import article_metas
from storyline.report.views import ArticleRef, article_ref
from storyline.store import Store


@dataclass(frozen=True, slots=True)
class Piece:
    text: str
    sentence: int | None  # index of the sentence, None for text between sentences
    highlighted: bool


def snippet_pieces(snippet: str) -> tuple[Piece, ...]:
    """An FTS5 snippet whose matches are wrapped in ``[`` ``]`` as plain and marked pieces."""
    pieces = []
    for n, part in enumerate(re.split(r"\[([^\[\]]*)\]", snippet)):
        if part:
            pieces.append(Piece(part, None, n % 2 == 1))
    return tuple(pieces)


@dataclass(frozen=True, slots=True)
class ArticleView:
    ref: ArticleRef
    story_id: str | None
    story_title: str
    paragraphs: tuple[tuple[Piece, ...], ...]
    highlighted: tuple[int, ...]
    language: str
    path: str


def article_view(store: Store, article_id: str, highlight: Collection[int] = ()) -> ArticleView:
    """The article's text as paragraphs of sentence pieces; ``highlight`` names sentences to
    mark. Raises NotFoundError for an unknown id."""
    article = store.article(article_id)
    doc = store.annotated_article(article)
    meta = article_metas(store, [article.id]).get(article.id)
    text = article.text
    paragraphs: list[tuple[Piece, ...]] = []
    current: list[Piece] = []

    def add_gap(gap: str) -> None:
        nonlocal current
        chunks = re.split(r"\n\s*\n", gap)
        for n, chunk in enumerate(chunks):
            if n > 0 and current:
                paragraphs.append(tuple(current))
                current = []
            if chunk.strip():
                current.append(Piece(chunk, None, False))
            elif current and chunk:
                current.append(Piece(" ", None, False))

    cursor = 0
    for sentence in doc.sentences:
        if sentence.start < cursor:
            continue
        add_gap(text[cursor : sentence.start])
        current.append(Piece(sentence.text, sentence.index, sentence.index in highlight))
        cursor = sentence.end
    add_gap(text[cursor:])
    if current:
        paragraphs.append(tuple(current))
    story_id = meta.story if meta else None
    title = ""
    if story_id:
        row = store.db.execute("SELECT title FROM stories WHERE id = ?", (story_id,)).fetchone()
        title = row[0] if row else ""
    return ArticleView(
        ref=article_ref(article.id, meta),
        story_id=story_id,
        story_title=title,
        paragraphs=tuple(paragraphs),
        highlighted=tuple(sorted(i for i in highlight if 0 <= i < len(doc.sentences))),
        language=article.language or "",
        path=article.path or "",
    )
