"""Numeric claims: casualty counts, money, percentages, measures and other counted quantities.

Rule code over each Sentence's text (no parser): a number in digits or words
(:mod:`storyline.annotate.numbers`) with its qualifier ("at least", "more than"), what is
counted ("nine Palestinians", "35 Palestinian adults" -> "Palestinians") and the predicate
from the verb around it ("were killed", "killed seven civilians", "claimed the lives of ten",
"resulted in the deaths of ten people"), running figures ("the death toll has risen to 14",
"put the number of people killed at 12", "the number of dead has increased to 14"), zero
counts ("no one was hurt" -> injured 0) and measures with their attribute ("a depth of 10
kilometres" -> predicate "measure", subject "depth", unit "km"). :func:`claim_context`
recovers the clause, places and time words of a claim from its sentence; conflict detection
uses it to tell events apart.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from storyline.annotate.numbers import NUMBER, QUALIFIER, find_measures, parse_number
from storyline.model import Claim, Mention, Sentence

PREDICATES = {
    "killed": "killed", "kill": "killed", "kills": "killed", "killing": "killed",
    "dead": "killed", "died": "killed", "slain": "killed", "lives": "killed",
    "deaths": "killed", "death": "killed", "shot dead": "killed",
    "injured": "injured", "injuring": "injured", "injures": "injured", "hurt": "injured",
    "wounded": "injured", "wounding": "injured", "injuries": "injured",
    "arrested": "arrested", "arresting": "arrested", "detained": "arrested",
    "displaced": "displaced", "missing": "missing", "evacuated": "evacuated",
    "rescued": "rescued", "kidnapped": "kidnapped", "abducted": "kidnapped",
}  # fmt: skip
_PRED = (
    r"(?:shot\s+dead|killed|killing|kills|kill|dead|died|slain|injured|injuring|injures|"
    r"hurt|wounded|wounding|arrested|arresting|detained|displaced|missing|evacuated|rescued|"
    r"kidnapped|abducted)"
)
_QUAL = QUALIFIER
_VICTIMS = (
    "people|persons|person|civilians|civilian|soldiers|soldier|children|child|adults|women|"
    "men|militants|fighters|policemen|police|officers|protesters|demonstrators|migrants|"
    "refugees|workers|students|journalists|troops|residents|attackers|gunmen|passengers|"
    "patients|hostages|prisoners|detainees|suspects|youths|teenagers|victims|settlers|"
    "worshippers|members"
)
_GENERIC = frozenset(
    "civilians civilian children child adults women men youths teenagers residents "
    "people persons person members victims".split()
)
_NATION = r"[A-Z][a-z]+(?:an|ian|i|ese|ish|ch)"
_NOUN = (
    rf"(?:(?P<nation>{_NATION})\s+)?(?:(?:[a-z]+)\s+)?"
    rf"(?P<noun>{_VICTIMS}|[A-Z][a-z]+s\b|{_NATION}\b)"
)
_CLAIM_LEFT = re.compile(
    rf"(?P<pred>{_PRED}|claimed\s+the\s+lives\s+of|the\s+deaths?\s+of|the\s+lives\s+of)\s+"
    rf"(?:(?P<qual>{_QUAL})\s+)?$",
    re.I,
)
_QUAL_LEFT = re.compile(rf"(?:^|\s)(?P<qual>{_QUAL})\s+$", re.I)
_AUX = r"(?:were|was|have\s+been|has\s+been|had\s+been|are|is|being|been|reportedly|also)"
_CLAIM_RIGHT = re.compile(
    rf"(?:\s*,[^.;:]{{0,60}}?)?(?:\s+{_AUX})*\s+(?:\w+ly\s+)?(?P<pred>{_PRED})\b"
    rf"|(?P<short>,\s+\d+\s+\w+\s+(?P<pred2>{_PRED}))\b"
)
_BARE_RIGHT = re.compile(rf"\s+(?:{_AUX}\s+)*(?P<pred>{_PRED})\b")
_TOLL_WORDS = {
    "dead": "killed", "deaths": "killed", "fatalities": "killed", "victims": "killed",
    "death": "killed", "fatality": "killed", "injury": "injured", "injuries": "injured",
    "casualty": "casualties", "casualties": "casualties", "toll": "killed",
}  # fmt: skip
_TOLL_VERB = (
    r"(?:risen|rose|rises|reached|reaches|climbed|climbs|increased|increases|jumped|grown|grew|"
    r"stands|stood|is|was|hit|hits|passed|topped|exceeded)"
)
#: running figures: "the death toll ... has risen to 14", "put the number of people killed ...
#: at 12", "the number of dead ... has increased to 14", "the toll stands at 9"
_TOLL = re.compile(
    rf"\b(?:(?P<kind>death|injury|casualty|fatality)\s+toll|(?:number|count|tally)\s+of\s+"
    rf"(?:the\s+)?(?:(?P<noun>[A-Za-z]+)\s+)?(?P<pred>{_PRED}|dead|deaths|fatalities|"
    rf"casualties|victims|injuries)|(?P<toll>toll))\b"
    rf"[^.;]{{0,160}}?\s(?:(?:has|have|had)\s+)?(?:now\s+)?"
    rf"(?:{_TOLL_VERB}\s+(?:at\s+|to\s+)?|at\s+|to\s+)"
    rf"(?:(?P<qual>{_QUAL})\s+)?(?P<num>{NUMBER})(?!\s*(?::\d|a\.m\.|p\.m\.|GMT))",
    re.I,
)
#: "no one was hurt", "nobody was killed", "there were no injuries": a value of zero
_ZERO = re.compile(
    rf"\b(?P<num>no\s+one|nobody|none)\b(?:\s+(?:of\s+them|{_AUX}))*\s+(?:\w+ly\s+)?"
    rf"(?P<pred>{_PRED})\b|\bno\s+(?P<pred2>deaths|injuries|casualties|fatalities)\b",
    re.I,
)
#: "claimed 12 lives", "claimed one life"
_LIVES = re.compile(
    rf"\bclaim(?:ed|s|ing)?\s+(?:(?P<qual>{_QUAL})\s+)?(?P<num>{NUMBER})\s+li(?:fe|ves)\b", re.I
)
_MONEY = re.compile(rf"(?P<cur>US\$|\$|€|£|USD\s?|EUR\s?)(?P<num>{NUMBER})", re.I)
_MONEY_WORD = re.compile(rf"(?P<num>{NUMBER})\s+(?P<cur>dollars?|euros?|pounds?)\b", re.I)
_PERCENT = re.compile(rf"(?P<num>{NUMBER})\s*(?:%|percent\b|per\s+cent\b)", re.I)
_COUNT_NOUN = re.compile(r"\s+(?:(?:[a-z]+)\s+)?(?P<noun>[a-z]{3,}s)\b")
_NOT_COUNTED = frozenset(
    "years days months weeks hours minutes seconds times percent decades centuries".split()
)
_CURRENCY = {"$": "USD", "us$": "USD", "usd": "USD", "dollars": "USD", "dollar": "USD",
             "€": "EUR", "eur": "EUR", "euros": "EUR", "euro": "EUR", "£": "GBP",
             "pounds": "GBP", "pound": "GBP"}  # fmt: skip
_DATE_NEAR = re.compile(
    r"(?:January|February|March|April|May|June|July|August|September|October|November|"
    r"December|Jan\.|Feb\.|Aug\.|Sept?\.|Oct\.|Nov\.|Dec\.)\s*$"
)
_NUMBER_RE = re.compile(NUMBER, re.I)


def _subject(nation: str | None, noun: str) -> str:
    """Normalised name of what is counted: "Palestinian adults" -> "Palestinians"."""
    if re.fullmatch(_NATION, noun):
        return noun + "s"
    if nation and noun.lower() in _GENERIC:
        return nation + "s"
    if noun.lower() in ("persons", "person"):
        return "people"
    return noun if noun[:1].isupper() else noun.lower()


def _claim(
    sentence: Sentence, start: int, end: int, subject: str, predicate: str,
    number: str, unit: str | None, qualifier: str | None,
) -> Claim | None:  # fmt: skip
    parsed = parse_number(number)
    if parsed is None:
        return None
    qual = qualifier.lower() if qualifier else parsed.vague
    return Claim(
        article=sentence.article,
        sentence=sentence.index,
        start=sentence.start + start,
        end=sentence.start + end,
        subject=subject,
        predicate=predicate,
        value=parsed.value,
        unit=unit,
        text=sentence.text,
        qualifier=qual,
    )


_Add = Callable[[Claim | None, tuple[int, int]], None]


def _zero_claim(sentence: Sentence, match: re.Match[str], predicate: str) -> Claim:
    return Claim(
        article=sentence.article,
        sentence=sentence.index,
        start=sentence.start + match.start(),
        end=sentence.start + match.end(),
        subject="people",
        predicate=predicate,
        value=0.0,
        unit="people",
        text=sentence.text,
    )


def _running_claims(sentence: Sentence, add: _Add) -> None:
    """Death tolls and running figures ("the death toll has risen to 14", "put the number of
    people killed at 12", "claimed 12 lives") and zero counts ("no one was hurt")."""
    text = sentence.text
    for match in _ZERO.finditer(text):
        word = (match.group("pred") or match.group("pred2")).lower()
        predicate = PREDICATES.get(re.sub(r"\s+", " ", word)) or _TOLL_WORDS[word]
        add(_zero_claim(sentence, match, predicate), match.span())
    for match in _TOLL.finditer(text):
        if re.fullmatch(r"(?:1[89]|20)\d\d", match.group("num")):
            continue
        noun = match.group("noun")
        word = (match.group("pred") or match.group("kind") or match.group("toll")).lower()
        predicate = PREDICATES.get(word) or _TOLL_WORDS[word]
        if noun and (noun.lower() in _VICTIMS.split("|") or re.fullmatch(rf"{_NATION}s?", noun)):
            subject = _subject(None, noun)
        else:
            subject = "people"
        add(_claim(sentence, match.start(), match.end(), subject, predicate, match.group("num"),
                   "people", match.group("qual")), match.span("num"))  # fmt: skip
    for match in _LIVES.finditer(text):
        add(_claim(sentence, match.start(), match.end(), "people", "killed", match.group("num"),
                   "people", match.group("qual")), match.span("num"))  # fmt: skip


def _measure_claims(sentence: Sentence, add: _Add) -> None:
    """Measures with what they measure (:func:`storyline.annotate.numbers.find_measures`)."""
    for m in find_measures(sentence.text):
        add(_claim(sentence, m.start, m.end, m.subject, "measure", m.number, m.unit,
                   m.qualifier), (m.number_start, m.number_end))  # fmt: skip


def _sentence_claims(sentence: Sentence) -> list[Claim]:
    text = sentence.text
    claims: list[Claim] = []
    used: list[tuple[int, int]] = []

    def add(claim: Claim | None, span: tuple[int, int]) -> None:
        if claim is not None and not any(s < span[1] and span[0] < e for s, e in used):
            claims.append(claim)
            used.append(span)

    _running_claims(sentence, add)
    _measure_claims(sentence, add)
    for pattern, unit_of in ((_MONEY, "cur"), (_MONEY_WORD, "cur"), (_PERCENT, "")):
        for match in pattern.finditer(text):
            unit = _CURRENCY.get(match.group("cur").strip().lower(), "USD") if unit_of else "%"
            rest = re.match(r"\s+(?:in|of|for)\s+(?:the\s+)?(?P<noun>[a-z]+)", text[match.end() :])
            subject = rest.group("noun") if rest else ("money" if unit != "%" else "share")
            left = _QUAL_LEFT.search(text, 0, match.start())
            qual = left.group("qual") if left and left.end() == match.start() else None
            predicate = "amount" if unit != "%" else "percent"
            add(_claim(sentence, match.start(), match.end(), subject, predicate,
                       match.group("num"), unit, qual), (match.start(), match.end()))  # fmt: skip
    previous_subject: str | None = None
    for match in _NUMBER_RE.finditer(text):
        n_start, n_end = match.span()
        if _DATE_NEAR.search(text, 0, n_start) or re.match(
            r"\s*(?:a\.m\.|p\.m\.|GMT)", text[n_end:]
        ):
            continue
        if re.fullmatch(r"(?:1[89]|20)\d\d", match.group(0)):
            continue
        victim = re.match(rf"\s+{_NOUN}", text[n_end:])
        left = _CLAIM_LEFT.search(text, 0, n_start)
        left = left if left and left.end() == n_start else None
        qual_m = _QUAL_LEFT.search(text, 0, n_start)
        qual = qual_m.group("qual") if qual_m and qual_m.end() == n_start else None
        if victim:
            subject = _subject(victim.group("nation"), victim.group("noun"))
            after = n_end + victim.end()
            right = _CLAIM_RIGHT.match(text, after) or None
            if left is None and right is None and victim.group("noun") in _VICTIMS.split("|"):
                right = None
        else:
            subject = previous_subject or "people"
            after = n_end
            right = _BARE_RIGHT.match(text, after)
        if left is not None:
            pred_word = left.group("pred").lower().split()[-1]
            if left.group("qual"):
                qual = left.group("qual")
            predicate = PREDICATES.get(pred_word, "killed")
            start, end = left.start(), after
        elif right is not None:
            pred_word = (right.group("pred") or right.group("pred2")).lower()
            predicate = PREDICATES[re.sub(r"\s+", " ", pred_word)]
            start = qual_m.start("qual") if qual and qual_m else n_start
            end = right.end("pred") if right.group("pred") else right.end("pred2")
        elif victim is None:
            counted = _COUNT_NOUN.match(text, n_end)
            if counted and counted.group("noun") not in _NOT_COUNTED:
                add(_claim(sentence, n_start, counted.end(), counted.group("noun"),
                           "count", match.group(0), None, qual), (n_start, n_end))  # fmt: skip
            continue
        else:
            add(_claim(sentence, n_start, after, subject, "count", match.group(0), "people",
                       qual), (n_start, n_end))  # fmt: skip
            continue
        previous_subject = subject
        add(_claim(sentence, start, end, subject, predicate, match.group(0), "people", qual),
            (n_start, n_end))  # fmt: skip
    return sorted(claims, key=lambda c: c.start)


def extract_claims(
    article_id: str, text: str, sentences: Sequence[Sentence], mentions: Sequence[Mention]
) -> list[Claim]:
    """Numeric claims of one article, in text order.

    Needs the article's Sentence records (``text`` and ``mentions`` are accepted for the
    annotate stage's uniform call and not needed by the rules); adds one Claim per counted
    quantity with its sentence as ``text`` and the span of number + predicate.
    """
    del text, mentions
    claims: list[Claim] = []
    for sentence in sentences:
        if sentence.article == article_id:
            claims.extend(_sentence_claims(sentence))
    return claims


# ----------------------------------------------------------------------------- context
_WEEKDAYS = r"Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
_TIME_WORDS = re.compile(
    rf"\b(?:{_WEEKDAYS}|January|February|March|April|May|June|July|August|September|October|"
    r"November|December|(?:19|20)\d\d|yesterday|today|tonight)\b"
)
_CUMULATIVE = re.compile(
    r"\bsince\b|\bso\s+far\b|\bthis\s+year\b|\bin\s+(?:19|20)\d\d\b|\bsame\s+(?:time|period)\b|"
    r"\btally\b|\btotal\b|\bcumulative\b|\bto\s+date\b",
    re.I,
)
#: a figure stated as the latest state of a running count ("the toll has risen to 14")
_RUNNING = re.compile(
    r"\b(?:toll|tally|(?:number|count)\s+of|risen|rose|rises|climbed|increased|jumped|grown|"
    r"grew|now|so\s+far|revised|latest|updated|still)\b",
    re.I,
)
#: a year that dates the claim ("in 1987", "the 2016 race"), not a range start ("since 1994")
_YEAR = re.compile(r"(?:\b(?P<range>since|from|until|till|before)\s+)?\b(?P<year>(?:19|20)\d\d)\b")
_MONTHS = r"January|February|March|April|May|June|July|August|September|October|November|December"
_CLAUSE = re.compile(
    rf",\s+(?=[A-Z])(?!(?:{_MONTHS}|{_WEEKDAYS})\b)|;\s+|"
    r"\s+(?:after|before|while|when|whereas|following)\s+"
)
#: a weekday next to one of these is when the figure was reported, not when the event was
_REPORTING = re.compile(
    r"\b(?:said|says|told|tells|announced|reported|confirmed|added|stated|declared|indicated|"
    r"put|puts|gave)\b"
)
#: capitalised names that are organisations, not places
_ORG_WORD = re.compile(
    r"\b(?:Ministry|Institute|Service|Commission|Association|Union|Authority|Party|Court|"
    r"Council|Agency|Cross|Police|Army|Government|Department|Office|Company|Bank)\b"
)
_PLACE = re.compile(r"(?<![.!?]\s)(?<!^)\b([A-Z][a-z]+(?:[\s-](?:[A-Z][a-z]+))*)")


@dataclass(frozen=True, slots=True)
class ClaimContext:
    """The clause of a claim and the place / time words found in it.

    ``start``/``end`` are offsets into the article text; ``cumulative`` is True for running
    totals ("since the start of the year", "in 2023", "so far"); ``running`` is True when the
    figure is stated as the latest state of a count ("the death toll has risen to 14", "still");
    ``years`` are the years that date the claim ("in 1987"; not "since 1994").
    """

    claim: Claim
    start: int
    end: int
    text: str
    places: tuple[str, ...]
    times: tuple[str, ...]
    cumulative: bool
    running: bool = False
    years: tuple[int, ...] = ()


def _reported_on(clause: str, at: int) -> bool:
    """True when the weekday at ``at`` shares its comma segment with a reporting verb."""
    start = max(clause.rfind(",", 0, at), clause.rfind(";", 0, at)) + 1
    ends = [i for i in (clause.find(",", at), clause.find(";", at)) if i >= 0]
    return bool(_REPORTING.search(clause, start, min(ends, default=len(clause))))


def claim_context(claim: Claim, sentence: Sentence) -> ClaimContext:
    """Place, time and clause of ``claim`` within ``sentence`` (the sentence it came from).

    The clause is the run of comma/"after"-separated segments overlapping the claim, plus a
    short sentence-initial adverbial ("On Friday,").
    """
    text = sentence.text
    c_start, c_end = claim.start - sentence.start, claim.end - sentence.start
    cuts = [0] + [m.end() for m in _CLAUSE.finditer(text)] + [len(text)]
    bounds = [(cuts[i], cuts[i + 1]) for i in range(len(cuts) - 1)]
    chosen = [(s, e) for s, e in bounds if s < c_end and c_start < e] or [(0, len(text))]
    start, end = chosen[0][0], chosen[-1][1]
    if bounds and bounds[0][1] <= start and len(text[: bounds[0][1]].split()) <= 3:
        lead = text[: bounds[0][1]]
    else:
        lead = ""
    clause = lead + text[start:end]
    places = tuple(
        dict.fromkeys(
            part
            for m in _PLACE.finditer(clause)
            for part in re.split(rf"\s*\b(?:{_WEEKDAYS})\b\s*", m.group(1))
            if part
            if not re.fullmatch(rf"{_NATION}s?|On|In|At|The|A|An|And|But", part)
            and part != claim.subject
            and not _ORG_WORD.search(part)
        )
    )
    times = tuple(
        dict.fromkeys(
            m.group(0)
            for m in _TIME_WORDS.finditer(clause)
            if not (re.fullmatch(_WEEKDAYS, m.group(0)) and _reported_on(clause, m.start()))
        )
    )
    return ClaimContext(
        claim=claim,
        start=sentence.start + start,
        end=sentence.start + end,
        text=clause,
        places=places,
        times=times,
        cumulative=bool(_CUMULATIVE.search(clause)),
        running=bool(_RUNNING.search(clause)),
        years=tuple(
            dict.fromkeys(int(m.group("year")) for m in _YEAR.finditer(clause) if not m["range"])
        ),
    )
