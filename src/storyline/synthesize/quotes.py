"""The same quote across a story's articles, with its wording variants and a word diff.

Needs each article's Quote records and the story's merged Entity records; adds QuoteGroup
records. Two quotes are the same when their speakers are compatible (same entity, or one is
unknown) and their word sequences are similar (difflib ratio on lower-cased words), which
survives translation drift such as "that there's ... I hope" vs "there is ... hopefully".

Scale: only wordings that share one of their rarest words are compared (prefix filtering:
a pair below the shared-word bound cannot reach the threshold), and each distinct pair of
wordings once, so a story with hundreds of copies of one quote stays fast; the groups are
the same as when every pair is compared.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher

from storyline.model import Entity, Quote, QuoteGroup, QuoteVariant, Sentence
from storyline.synthesize.similarity import content_terms

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


@dataclass(frozen=True, slots=True)
class _Words:
    """One distinct quote wording: its lower-cased words, their counts and its prefix."""

    words: tuple[str, ...]
    counts: Counter[str]
    prefix: tuple[tuple[str, int], ...]


def _min_overlap(length: int, threshold: float) -> int:
    """Fewest shared words a quote of ``length`` words needs with any quote it is at least
    ``threshold`` similar to: ratio = 2M / (|a| + |b|) and M <= |b| give
    M >= threshold * |a| / (2 - threshold)."""
    return max(1, math.ceil(threshold * length / (2.0 - threshold) - 1e-9))


def _index_words(wordings: Sequence[tuple[str, ...]], threshold: float) -> list[_Words]:
    """Each wording with its prefix: the rarest ``len - min_overlap + 1`` of its (word,
    occurrence) tokens in a story-wide order (rarest first, then alphabetical). Two wordings
    at least ``threshold`` similar share a token of their prefixes (prefix filtering,
    Chaudhuri et al. 2006), so only wordings sharing a prefix token are ever compared."""
    tokens: list[list[tuple[str, int]]] = []
    df: Counter[tuple[str, int]] = Counter()
    for words in wordings:
        seen: Counter[str] = Counter()
        mine = []
        for word in words:
            mine.append((word, seen[word]))
            seen[word] += 1
        tokens.append(mine)
        df.update(mine)
    out: list[_Words] = []
    for words, mine in zip(wordings, tokens, strict=True):
        ranked = sorted(mine, key=lambda t: (df[t], t))
        keep = len(ranked) - _min_overlap(len(ranked), threshold) + 1 if ranked else 0
        out.append(_Words(words, Counter(words), tuple(ranked[:keep])))
    return out


def _word_similarity(a: _Words, b: _Words, threshold: float) -> float:
    """:func:`similarity` of two indexed wordings; 0.0 without computing it when the shared
    word count already rules out ``threshold`` (difflib's quick_ratio bound)."""
    if not a.words or not b.words:
        return 0.0
    if a.words == b.words:
        return 1.0
    shared = sum((a.counts & b.counts).values())
    if 2.0 * shared / (len(a.words) + len(b.words)) < threshold:
        return 0.0
    return SequenceMatcher(None, a.words, b.words, autojunk=False).ratio()


@dataclass(slots=True)
class _Group:
    members: list[tuple[Quote, str | None]]
    articles: set[str]
    entities: set[str]


#: two groups of one speaker whose quotes share this share of content words (and at least
#: PARAPHRASE_SHARED of them) are one quote reworded, e.g. in translation
PARAPHRASE_JACCARD = 0.3
PARAPHRASE_SHARED = 4


def _terms(group: _Group) -> set[str]:
    return {t for quote, _ in group.members for t in content_terms(quote.text)}


def _merge_paraphrases(groups: list[_Group]) -> list[_Group]:
    """Merge groups attributed to the same single speaker entity, from different articles,
    whose content words overlap strongly: a quote translated or paraphrased so freely that
    its word sequence drifted below the similarity threshold ("We are still pulling people
    out of the rubble ..." / "We continue to take people out from the ruins ...")."""
    merged: list[_Group] = []
    by_entity: dict[str, list[tuple[_Group, set[str]]]] = {}
    for group in groups:
        if len(group.entities) != 1:
            merged.append(group)
            continue
        [entity] = group.entities
        terms = _terms(group)
        for other, other_terms in by_entity.get(entity, []):
            shared = len(terms & other_terms)
            union = len(terms | other_terms)
            if (
                not group.articles & other.articles
                and shared >= PARAPHRASE_SHARED
                and shared / union >= PARAPHRASE_JACCARD
            ):
                other.members.extend(group.members)
                other.articles |= group.articles
                other_terms |= terms
                break
        else:
            by_entity.setdefault(entity, []).append((group, terms))
            merged.append(group)
    return merged


def group_quotes(
    quotes_by_article: Mapping[str, Sequence[Quote]],
    sentences_by_article: Mapping[str, Sequence[Sentence]],
    entities: Sequence[Entity],
    threshold: float = SAME_QUOTE,
) -> list[QuoteGroup]:
    """Groups of the same quote across articles, every variant kept with its article.

    Each quote (articles in id order) joins the group holding its most similar compatible
    quote (similarity >= ``threshold``, no quote of its article yet, compatible speaker);
    ties go to the later group. Only wordings sharing a rare word are compared (see
    :func:`_index_words`) and each distinct pair of wordings once, which gives the same
    groups as comparing every pair of quotes.
    ``sentences_by_article`` is accepted for the synthesize stage's uniform call (variants
    keep their sentence index from the Quote). Groups come in order of first appearance.
    """
    del sentences_by_article
    ordered = [(a, q) for a in sorted(quotes_by_article) for q in quotes_by_article[a]]
    wording_of: dict[tuple[str, ...], int] = {}
    for _, quote in ordered:
        wording_of.setdefault(tuple(_words(quote.text)), len(wording_of))
    indexed = _index_words(list(wording_of), max(threshold, 1e-9))
    entity_of: dict[str | None, str | None] = {}
    postings: dict[tuple[str, int], list[int]] = {}
    groups_of: dict[int, set[int]] = {}  # wording -> groups holding a quote of it
    groups: list[_Group] = []
    for article, quote in ordered:
        if quote.speaker not in entity_of:
            entity_of[quote.speaker] = speaker_entity(quote.speaker, entities)
        entity = entity_of[quote.speaker]
        mine = wording_of[tuple(_words(quote.text))]
        if threshold > 0:
            candidates = {w for token in indexed[mine].prefix for w in postings.get(token, ())}
            candidates.add(mine)
        else:
            candidates = set(groups_of)
        scores: dict[int, float] = {}
        for other in candidates & groups_of.keys():
            score = _word_similarity(indexed[mine], indexed[other], threshold)
            if score >= threshold:
                for position in groups_of[other]:
                    scores[position] = max(scores.get(position, score), score)
        best, best_score = None, threshold
        for position in sorted(scores):
            group = groups[position]
            if article in group.articles or (entity is not None and group.entities - {entity}):
                continue
            if scores[position] >= best_score:
                best, best_score = position, scores[position]
        if best is None:
            best = len(groups)
            groups.append(_Group([], set(), set()))
        chosen = groups[best]
        chosen.members.append((quote, entity))
        chosen.articles.add(article)
        if entity is not None:
            chosen.entities.add(entity)
        if mine not in groups_of:
            for token in indexed[mine].prefix:
                postings.setdefault(token, []).append(mine)
        groups_of.setdefault(mine, set()).add(best)
    result: list[QuoteGroup] = []
    for members in (g.members for g in _merge_paraphrases(groups)):
        speakers = Counter(q.speaker for q, _ in members if q.speaker)
        entity_ids = Counter(e for _, e in members if e)
        head = max((q for q, _ in members), key=lambda q: (q.direct, len(q.text)))
        result.append(
            QuoteGroup(
                speaker=speakers.most_common(1)[0][0] if speakers else None,
                speaker_entity=entity_ids.most_common(1)[0][0] if entity_ids else None,
                text=head.text,
                variants=tuple(QuoteVariant(q.article, q.sentence, q.text) for q, _ in members),
            )
        )
    return result
