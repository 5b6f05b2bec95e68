"""A story's headline (``title``, at most ``TITLE_WORDS`` words) and its dek (the longer lead).

* **Headline.** Among the headlines of the story's articles (an article's title, or a
  headline-like first paragraph, see ``candidates.headline_of``) of at most ``TITLE_WORDS``
  words, the most central one: the highest cosine between the headline and the story's
  centroid (the TF-IDF rows of its articles, each wire family weighing as one source). Ties
  go to the headline more articles share, then to the alphabetically first, so the choice
  does not depend on the order of the articles.
* **Compressed lead** when no article has a short headline: the lead sentence of the most
  central article, without dateline, cut at the last clause boundary (comma, semicolon,
  dash) within the first ``TITLE_WORDS`` words, else after ``TITLE_WORDS`` words (less
  trailing function words) with "…", and without its final full stop.
* **Dek**: the lead sentence of the article the headline came from (of the most central
  article for a compressed lead), when it says more than the headline; otherwise None.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from storyline.model import AnnotatedArticle
from storyline.synthesize.candidates import drop_dateline, headline_of
from storyline.synthesize.similarity import ends_like_sentence, strip_header, tfidf_matrix

TITLE_WORDS = 14
_CLAUSE = re.compile(r"[,;:]\s|\s[\u2014\u2013]\s|\s-\s")
_FINAL_STOP = re.compile(r"(?<![A-Z])\.\s*\Z")
_FUNCTION_WORDS = frozenset(
    "a an and as at by for from in into of on or the to with his her its their".split()
)


@dataclass(frozen=True, slots=True)
class Headline:
    """A story's short ``title`` and the longer ``dek`` under it (None: nothing more)."""

    title: str
    dek: str | None


def lead_of(annotated: AnnotatedArticle) -> str | None:
    """The article's first sentence that is not its headline, without date header or
    dateline (None when it has no such sentence)."""
    headline = headline_of(annotated)
    for sentence in annotated.sentences:
        text = " ".join(strip_header(sentence.text).split())
        if text and text != headline and ends_like_sentence(text):
            return drop_dateline(text)[1]
    return None


def compress(text: str, max_words: int = TITLE_WORDS) -> str:
    """``text`` as a headline of at most ``max_words`` words (see the module docstring)."""
    words = text.split()
    if len(words) <= max_words:
        return _FINAL_STOP.sub("", text).strip()
    head = " ".join(words[:max_words])
    cuts = [m.start() for m in _CLAUSE.finditer(head) if len(head[: m.start()].split()) >= 4]
    if cuts:
        return head[: cuts[-1]].strip()
    kept = head.rstrip(",;:").split()
    while len(kept) > 4 and kept[-1].lower() in _FUNCTION_WORDS:
        kept.pop()  # not "... Secretary of…"
    return " ".join(kept) + "\u2026"


def _centrality(
    texts: Sequence[str], docs: Sequence[AnnotatedArticle], family_size: dict[str, int]
) -> list[float]:
    """Cosine of each of ``texts`` with the story's centroid."""
    bodies = [" ".join(strip_header(s.text) for s in d.sentences) for d in docs]
    matrix = tfidf_matrix([*texts, *bodies])
    weights = np.array([1.0 / family_size.get(d.article.id, 1) for d in docs])
    rows = matrix[len(texts) :]
    centroid = np.asarray(rows.T @ weights).ravel()
    norm = float(np.linalg.norm(centroid))
    if norm == 0.0:
        return [0.0] * len(texts)
    scores = np.asarray(matrix[: len(texts)] @ (centroid / norm)).ravel()
    return [float(s) for s in scores]


def story_headline(
    docs: Sequence[AnnotatedArticle],
    families: Sequence[frozenset[str]] = (),
    fallback: str = "",
    max_words: int = TITLE_WORDS,
) -> Headline:
    """The headline and dek of the story of ``docs`` (``fallback``, compressed, when no
    article has a headline or a lead sentence)."""
    family_size = {member: len(f) for f in families for member in f}
    owners: dict[str, list[AnnotatedArticle]] = {}
    for doc in docs:
        headline = headline_of(doc)
        if headline and len(headline.split()) <= max_words:
            owners.setdefault(headline, []).append(doc)
    if owners:
        texts = sorted(owners)
        scores = _centrality(texts, docs, family_size)
        best = min(
            range(len(texts)),
            key=lambda i: (-round(scores[i], 9), -len(owners[texts[i]]), texts[i]),
        )
        title = texts[best]
        leads = sorted(lead for d in owners[title] if (lead := lead_of(d)))
        return Headline(title, _dek(title, leads[0] if leads else None))
    found = {lead for doc in docs if (lead := lead_of(doc))}
    if not found:
        return Headline(compress(fallback, max_words), None)
    texts = sorted(found)
    scores = _centrality(texts, docs, family_size)
    best = min(range(len(texts)), key=lambda i: (-round(scores[i], 9), texts[i]))
    lead = texts[best]
    return Headline(compress(lead, max_words), _dek(compress(lead, max_words), lead))


def _dek(title: str, lead: str | None) -> str | None:
    if not lead:
        return None
    if _FINAL_STOP.sub("", lead).strip() == title.rstrip("\u2026"):
        return None
    return lead
