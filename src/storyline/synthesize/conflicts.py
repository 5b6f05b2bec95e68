"""Where the story's articles disagree: numeric claims about the same fact, name spellings.

Needs the claims and sentences of every article of one story (and, for the time rule, their
publication dates); adds Conflict records.

Alignment: claims are about the same fact when they have the same predicate and unit,
compatible subjects ("people" fits "Palestinians"; "Israelis" does not), both running totals
or both single events, no contradicting event weekdays (a weekday next to "said" is when it
was reported, not when it happened), no contradicting years ("in 1987" vs a report of 2024),
the same attribute for measures ("depth" vs "distance from Kelmir" never align), and enough
evidence: shared places or clause words; two counts of an event's outcome (killed, injured,
evacuated ...) in one story start from a base score.

Scale: claims are blocked by (predicate, unit, running total) and scored and clustered a
block at a time with numpy (``synthesize.claim_align``), so a story of a thousand articles
does not compare every claim with every other.

Conflict: two aligned claims from independent sources conflict when their value ranges, read
with their qualifiers ("at least seven" = [7, inf)), do not overlap, unless

1. one article of the story states both values (it knows both: two facts, or a change it
   reports, as in "narrowed her margin from 214 to 187 votes"), or
2. they were reported on different days and the change is an update: any change of a
   quantity that varies over time (an offer, ships waiting, a margin), or, for counts of
   what has happened (killed, injured, arrested ...), a rise that the later article states
   as a running figure ("the death toll has risen to 14"). Such a count going down later
   (14 on 5 March, 12 on 14 March), or rising without being stated as an update (nine
   killed in Monday's report, ten in Tuesday's), is a conflict.

Without dates, every report is taken as simultaneous.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np
from numpy.typing import NDArray

from storyline.annotate.claims import ClaimContext, claim_context
from storyline.annotate.numbers import VAGUE
from storyline.model import Claim, Conflict, ConflictValue, Entity, Mention, Sentence
from storyline.synthesize.claim_align import (
    AlignRules,
    BlockScores,
    ClaimFeatures,
    average_link,
    block_scores,
    blocks,
)
from storyline.synthesize.names import strip_possessive

GENERIC_SUBJECTS = frozenset(
    "people civilians victims residents persons adults children youths members".split()
)
_WEEKDAY = re.compile(r"Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday")
_STOP = frozenset(
    "the a an of in on at to and or by for from with that this was were is are has have had "
    "been be during its their his her as after before day days which who what it".split()
)
_WORD = re.compile(r"[A-Za-z][A-Za-z'-]+")
#: counts of things that have happened: a later report may raise them, never lower them
CUMULATIVE_PREDICATES = frozenset({"killed", "injured", "arrested", "kidnapped", "casualties"})
#: outcomes of an event: in one story, two such counts start out as likely the same fact
EVENT_PREDICATES = frozenset(
    "killed injured arrested displaced missing evacuated rescued kidnapped casualties".split()
)
EVENT_BASE = 0.5
#: minimum alignment score for two claims to describe the same fact
ALIGN_THRESHOLD = 0.5
_RULES = AlignRules(GENERIC_SUBJECTS, EVENT_PREDICATES, EVENT_BASE)


@dataclass(frozen=True, slots=True)
class ValueRange:
    """The values a qualified number allows: "at least 7" -> [7, inf)."""

    low: float
    high: float


@dataclass(frozen=True, slots=True)
class _Report:
    """One claim as a report: its context, publication day, years and source family."""

    context: ClaimContext
    day: date | None
    years: frozenset[int]
    family: str
    range: ValueRange


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


def can_align(a: ClaimContext, b: ClaimContext) -> bool:
    """False when two claims cannot be about the same fact: another predicate or unit,
    incompatible subjects, a running total vs a single event, different weekdays, or measures
    of different attributes."""
    ca, cb = a.claim, b.claim
    if ca.predicate != cb.predicate or ca.unit != cb.unit:
        return False
    if not compatible_subjects(ca.subject, cb.subject) or a.cumulative != b.cumulative:
        return False
    if ca.predicate == "measure" and (ca.subject != cb.subject or ca.subject == ca.unit):
        return False  # a measure is only comparable with one of the same stated attribute
    days_a, days_b = _weekdays(a), _weekdays(b)
    return not (days_a and days_b and not days_a & days_b)


def _weekdays(context: ClaimContext) -> set[str]:
    return {t for t in context.times if _WEEKDAY.fullmatch(t)}


def align_score(a: ClaimContext, b: ClaimContext) -> float:
    """How likely two claims report the same fact; 0.0 when they cannot (:func:`can_align`).

    Counts of an event's outcome (killed, injured, evacuated ...) in one story start from
    :data:`EVENT_BASE`; shared clause words, weekdays and places add to it, claims naming only
    different places lose :data:`EVENT_BASE`.
    """
    if not can_align(a, b):
        return 0.0
    ca, cb = a.claim, b.claim
    words_a, words_b = _words(a), _words(b)
    jaccard = len(words_a & words_b) / max(1, len(words_a | words_b))
    event = ca.predicate in EVENT_PREDICATES and ca.value > 0 and cb.value > 0
    score = EVENT_BASE if event else 0.0  # "no one was hurt" is about its own incident
    score += 2.0 * jaccard + 0.5 * bool(_weekdays(a) & _weekdays(b))
    if set(a.places) & set(b.places):
        score += 1.0
    elif a.places and b.places:
        score -= EVENT_BASE
    if a.cumulative and ca.subject == cb.subject:
        score += 0.5
    return score


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


@dataclass(slots=True)
class _Block:
    """One block of claims that may align, with what the clash rules need about it."""

    scores: BlockScores
    local: dict[int, int]  # story report index -> row in ``scores``
    lows: NDArray[np.float64]
    highs: NDArray[np.float64]
    order: NDArray[np.int64]  # rows sorted by article
    starts: NDArray[np.int64]  # where each article's rows start in ``order``
    together: dict[tuple[int, int], bool]


def _block(scores: BlockScores, reports: Sequence[_Report]) -> _Block:
    members = [reports[i] for i in scores.members]
    codes: dict[str, int] = {}
    articles = np.array([codes.setdefault(r.context.claim.article, len(codes)) for r in members])
    order = np.argsort(articles, kind="stable")
    starts = np.flatnonzero(np.r_[True, articles[order][1:] != articles[order][:-1]])
    return _Block(
        scores,
        {index: row for row, index in enumerate(scores.members)},
        np.array([r.range.low for r in members], dtype=np.float64),
        np.array([r.range.high for r in members], dtype=np.float64),
        order,
        starts,
        {},
    )


def _clash(a: int, b: int, reports: Sequence[_Report], block: _Block) -> bool:
    """True when reports ``a`` and ``b`` cannot both be right (see the module docstring)."""
    ra, rb = reports[a], reports[b]
    if ra.family == rb.family or _compatible(ra.range, rb.range):
        return False
    if _stated_together(block.local[a], block.local[b], block):
        return False
    if ra.day is None or rb.day is None or ra.day == rb.day:
        return True
    early, late = (ra, rb) if ra.day < rb.day else (rb, ra)
    if ra.context.claim.predicate not in CUMULATIVE_PREDICATES:
        return False  # a quantity that changes over time, reported on different days
    if late.range.high < early.range.low:
        return True  # a count of what has happened cannot go down
    return not late.context.running  # a rise is an update only when stated as one


@dataclass(frozen=True, slots=True)
class _Extent:
    """Per article of a block: the lowest high and highest low of the selected claims'
    value ranges, and whether the article has any selected claim."""

    low: NDArray[np.float64]
    high: NDArray[np.float64]
    present: NDArray[np.bool_]


def _extent(mask: NDArray[np.bool_], block: _Block) -> _Extent:
    order, starts = block.order, block.starts
    return _Extent(
        np.maximum.reduceat(np.where(mask, block.lows, -np.inf)[order], starts),
        np.minimum.reduceat(np.where(mask, block.highs, np.inf)[order], starts),
        np.logical_or.reduceat(mask[order], starts),
    )


def _stated_together(a: int, b: int, block: _Block) -> bool:
    """True when one article of the story states both values for claims that can align with
    rows ``a`` and ``b`` of the block: it knows both figures, so they are two facts or a
    change it reports. Claims that can align are always in one block."""
    key = (a, b)
    if key not in block.together:
        lows, highs, allowed = block.lows, block.highs, block.scores.allowed
        like_a = allowed[:, a] & ~((highs < lows[a]) | (highs[a] < lows))
        like_b = allowed[:, b] & ~((highs < lows[b]) | (highs[b] < lows))
        ea, eb = _extent(like_a, block), _extent(like_b, block)
        clash = (ea.high < eb.low) | (eb.high < ea.low)
        block.together[key] = bool(np.any(ea.present & eb.present & clash))
    return block.together[key]


def _compatible(a: ValueRange, b: ValueRange) -> bool:
    return not (a.high < b.low or b.high < a.low)


def _conflict(members: list[int], reports: Sequence[_Report], block: _Block) -> Conflict | None:
    if not any(
        _clash(a, b, reports, block) for i, a in enumerate(members) for b in members[i + 1 :]
    ):
        return None
    group = [reports[i] for i in members]
    values: dict[str, list[ClaimContext]] = {}
    for report in sorted(
        group, key=lambda r: (r.context.claim.value, r.context.claim.article, r.context.claim.start)
    ):
        values.setdefault(_display(report.context.claim), []).append(report.context)
    return Conflict(
        kind="number",
        topic=_topic([r.context for r in group]),
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
    *,
    dates: Mapping[str, date | None] | None = None,
) -> list[Conflict]:
    """Numeric conflicts among the claims of one story's articles.

    ``families`` are sets of article ids that copy one another (wire copies); claims are only
    compared across articles, and a family counts once (its members still get listed).
    ``dates`` maps article id -> publication date; without a date, reports are taken to be
    simultaneous (so every incompatible pair is a conflict). Needs each claim's sentence in
    ``sentences_by_article``; claims without one are skipped.
    """
    family_of = {a: i for i, fam in enumerate(families) for a in fam}
    dates = dates or {}
    reports: list[_Report] = []
    for article, claims in sorted(claims_by_article.items()):
        sentences = {s.index: s for s in sentences_by_article.get(article, ())}
        day = dates.get(article)
        for claim in claims:
            if claim.sentence in sentences:
                context = claim_context(claim, sentences[claim.sentence])
                years = frozenset(context.years or ((day.year,) if day else ()))
                family = f"f{family_of[article]}" if article in family_of else article
                reports.append(_Report(context, day, years, family, value_range(claim)))
    features = [ClaimFeatures(r.context, r.years, frozenset(_words(r.context))) for r in reports]
    found: list[tuple[list[int], _Block]] = []
    for members in blocks(features):
        block = _block(block_scores(features, members, _RULES), reports)
        for local in average_link(block.scores.scores, threshold):
            found.append(([members[i] for i in local], block))
    conflicts: list[Conflict] = []
    for group, block in sorted(found, key=lambda item: item[0][0]):
        if len({reports[i].family for i in group}) < 2:
            continue
        conflict = _conflict(group, reports, block)
        if conflict is not None:
            conflicts.append(conflict)
    return conflicts


def spelling_conflicts(
    entities: Sequence[Entity],
    mentions: Sequence[Mention] = (),
    assignments: Mapping[tuple[str, int], str] | None = None,
) -> list[Conflict]:
    """Informational conflicts: one entity written several ways (one value per spelling).

    Needs Entity records with ``aliases``. With the story's ``mentions`` and ``assignments``
    ((article id, mention start) -> entity id, from
    :func:`storyline.synthesize.entities.mention_entity_map`), each spelling lists only the
    articles that write it; without them, each lists all of the entity's articles.
    """
    written: dict[tuple[str, str], list[str]] = {}
    for mention in mentions:
        entity_id = (assignments or {}).get((mention.article, mention.start))
        if entity_id is not None:
            surface = " ".join(strip_possessive(mention.text).split())
            written.setdefault((entity_id, surface), []).append(mention.article)
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
        order = {a: i for i, a in enumerate(entity.articles)}
        values = []
        for name in names:
            used = written.get((entity.id, name)) if written else list(entity.articles)
            if used:
                articles = sorted(set(used), key=lambda a: (order.get(a, len(order)), a))
                values.append(ConflictValue(name, tuple(articles), name))
        if len(values) >= 2:
            conflicts.append(Conflict(kind="spelling", topic=entity.name, values=tuple(values)))
    return conflicts
