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

from storyline.annotate.claims import ClaimContext, claim_context
from storyline.annotate.numbers import VAGUE
from storyline.model import Claim, Conflict, ConflictValue, Entity, Mention, Sentence
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


def _pair_score(a: _Report, b: _Report) -> float:
    """:func:`align_score`; -1.0 (never merge) when they cannot align or are dated to
    different years ("in 1987" vs a report of 2024)."""
    if a.years and b.years and not a.years & b.years:
        return -1.0
    if not can_align(a.context, b.context):
        return -1.0
    return max(0.0, align_score(a.context, b.context))


def _cluster(reports: list[_Report], threshold: float) -> list[list[int]]:
    """Average-link agglomerative clusters; a negative pair score forbids a merge."""
    n = len(reports)
    score = [[_pair_score(reports[i], reports[j]) if i != j else 0.0 for j in range(n)]
             for i in range(n)]  # fmt: skip
    clusters = [[i] for i in range(n)]
    while True:
        best, pair = threshold, None
        for x in range(len(clusters)):
            for y in range(x + 1, len(clusters)):
                pairs = [score[i][j] for i in clusters[x] for j in clusters[y]]
                if min(pairs) < 0.0:
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


def _clash(a: _Report, b: _Report, story: Sequence[_Report]) -> bool:
    """True when ``a`` and ``b`` cannot both be right (see the module docstring)."""
    if a.family == b.family or _compatible(a.range, b.range):
        return False
    if _stated_together(a, b, story):
        return False
    if a.day is None or b.day is None or a.day == b.day:
        return True
    early, late = (a, b) if a.day < b.day else (b, a)
    if a.context.claim.predicate not in CUMULATIVE_PREDICATES:
        return False  # a quantity that changes over time, reported on different days
    if late.range.high < early.range.low:
        return True  # a count of what has happened cannot go down
    return not late.context.running  # a rise is an update only when stated as one


def _stated_together(a: _Report, b: _Report, story: Sequence[_Report]) -> bool:
    """True when one article of the story states both values for claims that can align with
    ``a`` and ``b``: it knows both figures, so they are two facts or a change it reports."""
    by_article: dict[str, list[_Report]] = {}
    for report in story:
        by_article.setdefault(report.context.claim.article, []).append(report)
    for mine in by_article.values():
        like_a = [x for x in mine if _compatible(x.range, a.range) and _pair_score(x, a) >= 0]
        like_b = [y for y in mine if _compatible(y.range, b.range) and _pair_score(y, b) >= 0]
        if any(not _compatible(x.range, y.range) for x in like_a for y in like_b):
            return True
    return False


def _compatible(a: ValueRange, b: ValueRange) -> bool:
    return not (a.high < b.low or b.high < a.low)


def _conflict(group: list[_Report], story: Sequence[_Report]) -> Conflict | None:
    if not any(_clash(a, b, story) for i, a in enumerate(group) for b in group[i + 1 :]):
        return None
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
    conflicts: list[Conflict] = []
    for members in _cluster(reports, threshold):
        group = [reports[i] for i in members]
        if len({r.family for r in group}) < 2:
            continue
        conflict = _conflict(group, reports)
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
