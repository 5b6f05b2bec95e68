"""The same quote across a story's articles, with its wording variants and a word diff.

Needs each article's Quote records and the story's merged Entity records; adds QuoteGroup
records. Two quotes are the same when their speakers are compatible (same entity, or one is
unknown) and their word sequences are similar (difflib ratio on lower-cased words), which
survives translation drift such as "that there's ... I hope" vs "there is ... hopefully".
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher

from storyline.model import Entity, Quote, QuoteGroup, QuoteVariant, Sentence

#: minimum word-sequence similarity for two quotes to be variants of one another
SAME_QUOTE = 0.6
_TOKEN = re.compile(r"[\w’'-]+|[^\w\s]")


@dataclass(frozen=True, slots=True)
class DiffOp:
    """One step of a word diff: ``op`` is equal, insert, delete or replace."""

    op: str
    a_text: str
    b_text: str


def _words(text: str) -> list[str]:
    return [w.lower().replace("’", "'") for w in re.findall(r"[\w’'-]+", text)]


def similarity(a: str, b: str) -> float:
    """Similarity of two quote texts in [0, 1] on their lower-cased word sequences."""
    wa, wb = _words(a), _words(b)
    if not wa or not wb:
        return 0.0
    return SequenceMatcher(None, wa, wb, autojunk=False).ratio()


def word_diff(a: str, b: str) -> list[DiffOp]:
    """Word-level diff of ``a`` into ``b`` (punctuation is its own token)."""
    ta, tb = _TOKEN.findall(a), _TOKEN.findall(b)
    matcher = SequenceMatcher(
        None, [t.lower() for t in ta], [t.lower() for t in tb], autojunk=False
    )
    return [
        DiffOp(op, " ".join(ta[i1:i2]), " ".join(tb[j1:j2]))
        for op, i1, i2, j1, j2 in matcher.get_opcodes()
    ]


def speaker_entity(speaker: str | None, entities: Sequence[Entity]) -> str | None:
    """Id of the entity whose name or alias (or surname) matches ``speaker``; PERSON first."""
    if not speaker:
        return None
    wanted = speaker.lower().strip()
    surname = wanted.split()[-1] if wanted.split() else wanted
    ranked = sorted(entities, key=lambda e: -e.mentions)
    people = [e for e in ranked if e.type == "PERSON"]
    for entity in people:
        if wanted in (n.lower() for n in (entity.name, *entity.aliases)):
            return entity.id
    for entity in people:
        names = (entity.name, *entity.aliases)
        if any(n.lower().split()[-1:] == [surname] for n in names if n.split()):
            return entity.id
    for entity in ranked:
        if wanted in (n.lower() for n in (entity.name, *entity.aliases)):
            return entity.id
    return None


def group_quotes(
    quotes_by_article: Mapping[str, Sequence[Quote]],
    sentences_by_article: Mapping[str, Sequence[Sentence]],
    entities: Sequence[Entity],
    threshold: float = SAME_QUOTE,
) -> list[QuoteGroup]:
    """Groups of the same quote across articles, every variant kept with its article.

    ``sentences_by_article`` is accepted for the synthesize stage's uniform call (variants
    keep their sentence index from the Quote). Groups come in order of first appearance.
    """
    del sentences_by_article
    groups: list[list[tuple[Quote, str | None]]] = []
    for article in sorted(quotes_by_article):
        for quote in quotes_by_article[article]:
            entity = speaker_entity(quote.speaker, entities)
            best, best_score = None, threshold
            for group in groups:
                if any(q.article == article for q, _ in group):
                    continue
                if not all(e is None or entity is None or e == entity for _, e in group):
                    continue
                score = max(similarity(quote.text, q.text) for q, _ in group)
                if score >= best_score:
                    best, best_score = group, score
            if best is None:
                groups.append([(quote, entity)])
            else:
                best.append((quote, entity))
    result: list[QuoteGroup] = []
    for group in groups:
        speakers = Counter(q.speaker for q, _ in group if q.speaker)
        entity_ids = Counter(e for _, e in group if e)
        head = max((q for q, _ in group), key=lambda q: (q.direct, len(q.text)))
        result.append(
            QuoteGroup(
                speaker=speakers.most_common(1)[0][0] if speakers else None,
                speaker_entity=entity_ids.most_common(1)[0][0] if entity_ids else None,
                text=head.text,
                variants=tuple(QuoteVariant(q.article, q.sentence, q.text) for q, _ in group),
            )
        )
    return result
