"""Where the story's articles disagree: numeric claims about the same fact, name spellings.

Needs the claims and sentences of every article of one story; adds Conflict records. Claims
are aligned when they have the same predicate and unit, compatible subjects ("people" fits
"Palestinians"; "Israelis" does not) and describe the same event: both running totals or both
single events, no contradicting weekdays, and shared places or similar clause words
(:func:`storyline.annotate.claims.claim_context`). Aligned claims conflict when their value
ranges, read with their qualifiers ("at least seven" = [7, inf)), cannot all be true.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from storyline.annotate.claims import ClaimContext, claim_context
from storyline.annotate.numbers import VAGUE
from storyline.model import Claim, Conflict, ConflictValue, Entity, Sentence

GENERIC_SUBJECTS = frozenset(
    "people civilians victims residents persons adults children youths members".split()
)
_WEEKDAY = re.compile(r"Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday")
_STOP = frozenset(
    "the a an of in on at to and or by for from with that this was were is are has have had "
    "been be during its their his her as after before day days which who what it".split()
)
_WORD = re.compile(r"[A-Za-z][A-Za-z'-]+")
#: minimum alignment score for two claims to describe the same fact
ALIGN_THRESHOLD = 0.5


@dataclass(frozen=True, slots=True)
class ValueRange:
    """The values a qualified number allows: "at least 7" -> [7, inf)."""

    low: float
    high: float


def value_range(claim: Claim) -> ValueRange:
    """The range of values consistent with ``claim.value`` and its qualifier."""
    v, q = claim.value, (claim.qualifier or "").lower()
    if q in VAGUE:
        return ValueRange(VAGUE[q][1], VAGUE[q][2])
    if q == "at least":
        return ValueRange(v, math.inf)
    if q in ("more than", "over", "just over"):
        return ValueRange(v + 1e-9, math.inf)
    if q in ("up to", "at most", "as many as"):
        return ValueRange(0.0, v)
    if q in ("less than", "fewer than", "under", "just under"):
        return ValueRange(0.0, v - 1e-9)
    if q in ("nearly", "almost"):
        return ValueRange(0.8 * v, v)
    if q in ("about", "around", "approximately", "roughly", "some", "an estimated"):
        return ValueRange(0.8 * v, 1.2 * v)
    return ValueRange(v, v)


def compatible_subjects(a: str, b: str) -> bool:
    """True when the counted things can be the same ("people" vs "Palestinians")."""
    a_low, b_low = a.lower(), b.lower()
    return a_low == b_low or a_low in GENERIC_SUBJECTS or b_low in GENERIC_SUBJECTS


def _words(context: ClaimContext) -> set[str]:
    skip = {context.claim.subject.lower(), context.claim.predicate}
    return {
        w.lower().rstrip("s")
        for w in _WORD.findall(context.text)
        if w.lower() not in _STOP and w.lower() not in skip
    }


def align_score(a: ClaimContext, b: ClaimContext) -> float:
    """How likely two claims report the same fact; 0.0 when they cannot."""
    ca, cb = a.claim, b.claim
    if ca.predicate != cb.predicate or ca.unit != cb.unit:
        return 0.0
    if not compatible_subjects(ca.subject, cb.subject) or a.cumulative != b.cumulative:
        return 0.0
    days_a = {t for t in a.times if _WEEKDAY.fullmatch(t)}
    days_b = {t for t in b.times if _WEEKDAY.fullmatch(t)}
    if days_a and days_b and not days_a & days_b:
        return 0.0
    words_a, words_b = _words(a), _words(b)
    jaccard = len(words_a & words_b) / max(1, len(words_a | words_b))
    score = 2.0 * jaccard + 0.5 * bool(days_a & days_b)
    score += 1.0 * bool(set(a.places) & set(b.places))
    if a.cumulative and ca.subject == cb.subject:
        score += 0.5
    return score


def _cluster(contexts: list[ClaimContext], threshold: float) -> list[list[int]]:
    """Average-link agglomerative clusters; a zero pair score forbids a merge."""
    n = len(contexts)
    score = [[align_score(contexts[i], contexts[j]) if i != j else 0.0 for j in range(n)]
             for i in range(n)]  # fmt: skip
    clusters = [[i] for i in range(n)]
    while True:
        best, pair = threshold, None
        for x in range(len(clusters)):
            for y in range(x + 1, len(clusters)):
                pairs = [score[i][j] for i in clusters[x] for j in clusters[y]]
                if min(pairs) <= 0.0:
                    continue
                mean = sum(pairs) / len(pairs)
                if mean >= best:
                    best, pair = mean, (x, y)
        if pair is None:
            return clusters
        x, y = pair
        clusters[x] = clusters[x] + clusters[y]
        del clusters[y]


def _display(claim: Claim) -> str:
    number = f"{claim.value:g}"
    if claim.unit == "%":
        number += "%"
    elif claim.unit and claim.unit != "people":
        number = f"{number} {claim.unit}"
    return f"{claim.qualifier} {number}" if claim.qualifier else number


def _topic(group: list[ClaimContext]) -> str:
    subjects = Counter(
        c.claim.subject for c in group if c.claim.subject.lower() not in GENERIC_SUBJECTS
    )
    subject = subjects.most_common(1)[0][0] if subjects else group[0].claim.subject
    places = Counter(p for c in group for p in c.places)
    topic = f"{subject} {group[0].claim.predicate}"
    if places:
        topic += f" in {places.most_common(1)[0][0]}"
    return topic


def _conflict(group: list[ClaimContext]) -> Conflict | None:
    ranges = [value_range(c.claim) for c in group]
    clash = any(
        a.high < b.low or b.high < a.low for i, a in enumerate(ranges) for b in ranges[i + 1 :]
    )
    if not clash:
        return None
    values: dict[str, list[ClaimContext]] = {}
    for context in sorted(group, key=lambda c: (c.claim.value, c.claim.article, c.claim.start)):
        values.setdefault(_display(context.claim), []).append(context)
    return Conflict(
        kind="number",
        topic=_topic(group),
        values=tuple(
            ConflictValue(
                value=display,
                articles=tuple(dict.fromkeys(c.claim.article for c in members)),
                text=members[0].claim.text,
            )
            for display, members in values.items()
        ),
    )


def find_conflicts(
    claims_by_article: Mapping[str, Sequence[Claim]],
    sentences_by_article: Mapping[str, Sequence[Sentence]],
    families: Sequence[frozenset[str]] = (),
    threshold: float = ALIGN_THRESHOLD,
) -> list[Conflict]:
    """Numeric conflicts among the claims of one story's articles.

    ``families`` are sets of article ids that copy one another (wire copies); claims are only
    compared across articles, and a family counts once (its members still get listed).
    Needs each claim's sentence in ``sentences_by_article``; claims without one are skipped.
    """
    family_of = {a: i for i, fam in enumerate(families) for a in fam}
    contexts: list[ClaimContext] = []
    for article, claims in sorted(claims_by_article.items()):
        sentences = {s.index: s for s in sentences_by_article.get(article, ())}
        for claim in claims:
            if claim.sentence in sentences:
                contexts.append(claim_context(claim, sentences[claim.sentence]))
    conflicts: list[Conflict] = []
    for members in _cluster(contexts, threshold):
        group = [contexts[i] for i in members]
        sources = {family_of.get(c.claim.article, c.claim.article) for c in group}
        if len(sources) < 2:
            continue
        conflict = _conflict(group)
        if conflict is not None:
            conflicts.append(conflict)
    return conflicts


def spelling_conflicts(entities: Sequence[Entity]) -> list[Conflict]:
    """Informational conflicts: one entity written several ways (one value per alias).

    Needs Entity records with ``aliases``; an alias's articles are not known at this level,
    so each value lists the entity's articles.
    """
    conflicts: list[Conflict] = []
    for entity in entities:
        names = list(dict.fromkeys([entity.name, *entity.aliases]))
        tokens = [set(n.lower().split()) for n in names]
        names = [
            n for n, t in zip(names, tokens, strict=True) if not any(t < other for other in tokens)
        ]  # "Blinken" < "Antony Blinken"
        folded = {re.sub(r"[^a-z]", "", n.lower()) for n in names}
        if len(names) < 2 or len(folded) < 2:
            continue
        conflicts.append(
            Conflict(
                kind="spelling",
                topic=entity.name,
                values=tuple(ConflictValue(n, entity.articles, n) for n in names),
            )
        )
    return conflicts
