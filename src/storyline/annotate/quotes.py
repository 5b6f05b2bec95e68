"""Direct and reported speech with speaker and cue, by rules over text and NER mentions.

Needs an article's text, its Sentence records and NER Mentions (no parser or tagger, so it
stays cheap inside the annotate stage); adds Quote records. Direct quotes are runs between
quote marks (straight or curly, pairs checked per paragraph) that carry an attribution next
to them ("…,” he said / said Blinken / He stated, “…”); a quote split by its attribution
(“…,” he said, “…”) is one Quote spanning both parts, and an unclosed paragraph-final quote
continues into the next paragraph. Reported speech is a speech verb with a subject before it
("X said (that) …", "according to X, …", "…, X said."). Speakers are resolved by
:class:`~storyline.annotate.speakers.SpeakerResolver`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from storyline.annotate.speakers import SpeakerResolver
from storyline.model import Mention, Quote, Sentence

_VERBS = (
    "say said says saying tell told tells telling stated states claimed claims add added adds "
    "urge urged urges warn warned warns argue argued argues insist insisted insists noted "
    "explained explains announce announced announces confirmed confirms deny denied denies "
    "stressed stresses emphasized emphasizes asserted asserts acknowledged acknowledges "
    "admit admitted admits wrote writes tweeted ask asked asks replied declared declares "
    "suggested suggests promised vowed pledged reiterated reiterates recalled predicted "
    "believe believes believed think thinks thought contend contended contends maintained "
    "maintains reported"
).split()
CUE = r"(?:called\s+for|calls\s+for|" + "|".join(sorted(set(_VERBS), key=len, reverse=True)) + ")"
_NAME = r"[A-Z][\w.’'-]*(?:\s+(?:[A-Z][\w.’'-]*|of|de|al|bin|van|von|la|le|da|del))*"
_DET = r"(?:[Tt]he|[Aa]n?|[Tt]his|[Tt]hat|[Hh]is|[Hh]er|[Tt]heir|[Ii]ts|[Oo]ur)"
_NP = rf"{_DET}\s+[\w.’'-]+(?:\s+[\w.’'-]+){{0,5}}?"
#: a lower-case title before a name without a determiner ("union leader Mohamed Benali")
_TITLED = rf"(?:[a-z][\w’'-]*\s+){{1,3}}{_NAME}"
SPEAKER = rf"(?:[Hh]e|[Ss]he|[Tt]hey|[Ww]e|I|{_NP}|{_NAME}|{_TITLED})"
_ADV = r"(?:\s+(?:has|have|had|also|then|later|again|once|did|does|not|would|will|is|was|\w+ly))*"
_AFTER = re.compile(rf"^,?\s+(?P<spk>{SPEAKER}){_ADV}\s+(?P<cue>{CUE})\b")
_AFTER_DASH = re.compile(rf"^\s*[―—–]\s*(?P<spk>{_NAME})(?P<cue>)")
_AFTER_INV = re.compile(rf"^,?\s+(?P<cue>{CUE})\s+(?P<spk>{_NAME}|{_NP}|he|she)(?=[\s,.;:]|$)")
_BEFORE = re.compile(
    rf"(?P<spk>{SPEAKER}){_ADV}\s+(?P<cue>{CUE})\b[^,:“”\"]{{0,50}}[,:]\s*$|"
    rf"(?P<cue2>[Aa]ccording\s+to)\s+(?P<spk2>[^,“”\"]{{2,60}}),\s*$|"
    # "X called the agreement "..."", "X described it as "...""
    rf"(?P<spk3>{SPEAKER}){_ADV}\s+(?P<cue3>called|calls|described|describes|dubbed|branded)"
    rf"\s+[^,:;.“”\"]{{1,40}}?\s*$"
)
_MARK = re.compile(r"''|[“”\"]")
_CLAUSE_CUT = re.compile(r"(?:^|[,;]\s+|\s+(?:and|but|while|as|after|because)\s+)")


@dataclass(frozen=True, slots=True)
class QuotedSpan:
    """Text between one pair of quote marks: ``start``/``end`` are the content offsets."""

    start: int
    end: int
    closed: bool


@dataclass(slots=True)
class _Candidate:
    start: int
    end: int
    parts: list[tuple[int, int]]
    phrase: str | None
    spk_start: int | None
    spk_end: int | None
    cue: str | None
    cue_at: int
    direct: bool


def quoted_spans(text: str) -> list[QuotedSpan]:
    """Outermost quoted runs of ``text``, paired per paragraph (line); nested marks kept.

    Marks are “ ” " and the doubled apostrophe '' used by some wires.
    """
    spans: list[QuotedSpan] = []
    offset = 0
    for line in text.split("\n"):
        depth = 0
        open_end = -1
        for mark in _MARK.finditer(line):
            i, j, char = mark.start(), mark.end(), mark.group(0)
            before = line[i - 1] if i else " "
            after = line[j] if j < len(line) else " "
            straight = char != "“" and char != "”"
            if char == "“":
                opens = depth == 0 or not after.isspace()
            elif straight:
                opens = (before.isspace() or before in "([—–-") and not after.isspace()
                opens = opens or (depth == 0 and not after.isspace() and not before.isalnum())
            else:
                opens = False
            if opens:
                if depth == 0:
                    open_end = j
                depth += 1
            elif depth > 0:
                depth -= 1
                if depth == 0:
                    spans.append(QuotedSpan(offset + open_end, offset + i, True))
        if depth > 0 and open_end >= 0 and len(line) - open_end > 2:
            spans.append(QuotedSpan(offset + open_end, offset + len(line.rstrip()), False))
        offset += len(line) + 1
    return spans


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and (text[start].isspace() or text[start] in "“”\"'‘’"):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in "“”\"'‘’,"):
        end -= 1
    return start, end


def _speaker_bounds(match: re.Match[str], group: str, base: int) -> tuple[str, int, int]:
    return match.group(group), base + match.start(group), base + match.end(group)


def _direct(text: str, spans: list[QuotedSpan]) -> list[_Candidate]:
    found: list[_Candidate] = []
    for number, span in enumerate(spans):
        after_at = (
            span.end + (2 if text.startswith("''", span.end) else 1) if span.closed else span.end
        )
        tail = text[after_at : after_at + 120].split("\n")[0]
        line_start = text.rfind("\n", 0, span.start) + 1
        open_len = 2 if text[max(0, span.start - 2) : span.start] == "''" else 1
        head = text[line_start : span.start - open_len]
        head = re.split(r"(?<=[.!?])\s+(?=\S)", head)[-1] if head else head
        head_base = span.start - open_len - len(head)
        content = [(span.start, span.end)]
        match = _AFTER.match(tail) or _AFTER_INV.match(tail) or _AFTER_DASH.match(tail)
        if match:
            phrase, s_start, s_end = _speaker_bounds(match, "spk", after_at)
            cue, cue_at = match.group("cue") or "—", after_at + match.start("cue")
            rest = tail[match.end() :]
            nxt = spans[number + 1] if number + 1 < len(spans) else None
            gap = rest[: max(0, nxt.start - 1 - after_at - match.end())] if nxt else ""
            joined = re.match(r"^[^“”\"]{0,150}?[,:.]\s*'?$", gap) if nxt else None
            same_line = nxt is not None and "\n" not in text[after_at : nxt.start]
            if nxt is not None and joined and same_line:
                content.append((nxt.start, nxt.end))
                spans[number + 1] = QuotedSpan(nxt.start, nxt.start, True)  # consumed
            found.append(_cand(content, phrase, s_start, s_end, cue, cue_at, True))
            continue
        match = _BEFORE.search(head)
        short = len(text[span.start : span.end].split()) < 5
        if match and match.group("spk3") and short:
            match = None  # "described as a “game changer”": a scare quote, not speech
        if match and span.end > span.start:
            n = next(n for n in ("", "2", "3") if match.group("spk" + n))
            phrase, s_start, s_end = _speaker_bounds(match, "spk" + n, head_base)
            cue = match.group("cue" + n)
            cue_at = head_base + match.start("cue" + n)
            found.append(_cand(content, phrase, s_start, s_end, cue, cue_at, True))
            continue
        words = len(text[span.start : span.end].split())
        starts_line = not text[line_start : span.start - open_len].strip()
        if words >= 6 and starts_line:
            found.append(_cand(content, None, None, None, None, span.start, True))
    return [c for c in found if c.end > c.start]


def _cand(
    parts: list[tuple[int, int]],
    phrase: str | None,
    s_start: int | None,
    s_end: int | None,
    cue: str | None,
    cue_at: int,
    direct: bool,
) -> _Candidate:
    return _Candidate(parts[0][0], parts[-1][1], parts, phrase, s_start, s_end, cue, cue_at, direct)


_CUE_RE = re.compile(rf"\b(?P<cue>{CUE})\b")
_AFTER_CUE = re.compile(
    r"(?:\s+(?:(?:[\w.’'-]+\s+){1,4}?(?=that\s)|[A-Z][\w.’'-]*(?:\s+[A-Z][\w.’'-]*)*\s+(?=he\s|she\s|they\s|it\s)))?"
    r"(?:\s+(?:on\s+|last\s+)?(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|today|"
    r"yesterday|week|in\s+a\s+statement|in\s+an\s+interview|on\s+Twitter))?"
    r"(?:\s+that)?\s+(?P<content>\S.*)$",
    re.S,
)
_ACCORDING_FRONT = re.compile(
    r"^(?P<cue>[Aa]ccording\s+to)\s+(?P<spk>[^,]{2,60}),\s+(?P<content>.+)$", re.S
)
_ACCORDING_BACK = re.compile(
    r"^(?P<content>.+?),\s+(?P<cue>according\s+to)\s+(?P<spk>[^,]{2,80}?)[.!?]?$", re.S
)
_SAID_BACK = re.compile(
    rf"^(?P<content>.+?),\s+(?:(?P<spk>{SPEAKER}){_ADV}\s+(?P<cue>{CUE})|(?P<cue2>said|says|added)"
    rf"\s+(?P<spk2>{_NAME}|{_NP}))(?:\s+\w+){{0,3}}[.!?]?$",
    re.S,
)
_QUOTED_AS = re.compile(
    rf"\b(?P<cue>quoted)\s+(?P<spk>{_NAME}|{_NP})\s+as\s+saying(?:\s+that)?\s+(?P<content>\S.+)$",
    re.S,
)
_NOT_SUBJECT = re.compile(
    r"^(?:which|who|whom|that|what|where|when|if|as|it|there|to|because|so|how|why)\b", re.I
)
_NOT_SPEECH = re.compile(
    r"^(?:the\s+lives|responsibility|victory|credit|the\s+title|control|a\s+seat|the\s+deaths?)",
    re.I,
)
_CUTS = re.compile(
    r"[,;:—–]\s*|\s+(?:and|but|while|as|after|because|since|although|though|when|if)\s+"
)
_TRAIL = re.compile(
    r"(?:\s+(?:has|have|had|also|then|later|again|once|did|does|do|not|n’t|n't|would|will|could|"
    r"may|might|can|cannot|is|was|were|are|been|being|\w+ly|on|last|this|Monday|Tuesday|"
    r"Wednesday|Thursday|Friday|Saturday|Sunday|today|yesterday|week|morning|evening|night))+$"
)


def _subject(body: str, cue_start: int) -> tuple[int, int] | None:
    """Span of the subject phrase before a cue inside ``body``, or None."""
    cut = 0
    for match in _CUTS.finditer(body, 0, cue_start):
        cut = match.end()
    phrase = body[cut:cue_start]
    trail = _TRAIL.search(" " + phrase.rstrip())
    end = cut + len((phrase[: trail.start()] if trail else phrase).rstrip())
    start = cut + len(phrase) - len(phrase.lstrip())
    words = body[start:end].split()
    if not words or len(words) > 10 or _NOT_SUBJECT.match(words[0]):
        return None
    if words[0][0].islower() and words[0].lower() not in _DETERMINERS:
        return None
    return start, end


_DETERMINERS = frozenset(
    "the a an this that these those his her their its our he she they we i".split()
)


def _reported(text: str, sentence: Sentence, taken: list[tuple[int, int]]) -> list[_Candidate]:
    body = sentence.text.rstrip()
    base = sentence.start

    def free(at: int) -> bool:
        return not any(s - 2 <= at <= e + 2 for s, e in taken)

    for pattern in (_ACCORDING_FRONT, _ACCORDING_BACK, _SAID_BACK):
        match = pattern.match(body)
        if match:
            spk = "spk" if match.group("spk") else "spk2"
            cue = "cue" if match.group("cue") else "cue2"
            if free(base + match.start(cue)):
                c_start, c_end = _trim(
                    text, base + match.start("content"), base + match.end("content")
                )
                return [
                    _cand(
                        [(c_start, c_end)],
                        match.group(spk),
                        base + match.start(spk),
                        base + match.end(spk),
                        match.group(cue),
                        base + match.start(cue),
                        False,
                    )
                ]
    quoted = _QUOTED_AS.search(body)
    if quoted and free(base + quoted.start("cue")):
        c_start, c_end = _trim(text, base + quoted.start("content"), base + len(body))
        c_end -= 1 if text[c_end - 1] in ".!?" else 0
        return [
            _cand(
                [(c_start, c_end)],
                quoted.group("spk"),
                base + quoted.start("spk"),
                base + quoted.end("spk"),
                "quoted as saying",
                base + quoted.start("cue"),
                False,
            )
        ]
    for cue_m in _CUE_RE.finditer(body):
        if not free(base + cue_m.start()):
            continue
        subject = _subject(body, cue_m.start())
        after = _AFTER_CUE.match(body, cue_m.end())
        if subject is None or after is None:
            continue
        content = after.group("content")
        if len(content.split()) < 3 or _NOT_SPEECH.match(content):
            continue
        c_start, c_end = _trim(text, base + after.start("content"), base + len(body))
        if c_end > c_start and text[c_end - 1] in ".!?":
            c_end -= 1
        s_start, s_end = subject
        return [
            _cand(
                [(c_start, c_end)],
                body[s_start:s_end],
                base + s_start,
                base + s_end,
                cue_m.group("cue"),
                base + cue_m.start(),
                False,
            )
        ]
    return []


def extract_quotes(
    article_id: str, text: str, sentences: Sequence[Sentence], mentions: Sequence[Mention]
) -> list[Quote]:
    """Direct and reported quotes of one article, in text order.

    Needs the article text with its sentences and NER mentions (offsets into ``text``);
    returns Quote records whose start/end cover the content without quote marks and whose
    speaker is resolved through pronouns and role nouns to a person name where possible.
    """
    spans = quoted_spans(text)
    direct = _direct(text, spans)
    taken = [(c.start, c.end) for c in direct] + [
        (c.cue_at, c.cue_at + len(c.cue or "")) for c in direct
    ]
    reported: list[_Candidate] = []
    for sentence in sentences:
        for cand in _reported(text, sentence, taken):
            if not any(
                cand.start < e and s < cand.end and (e - s) > 0.8 * (cand.end - cand.start)
                for s, e in taken[: len(direct)]
            ):
                reported.append(cand)
    candidates = sorted(direct + reported, key=lambda c: c.cue_at if c.cue else c.start)
    resolver = SpeakerResolver(text, sentences, mentions)
    contents = [p for c in direct for p in c.parts]
    quotes: list[Quote] = []
    last: Quote | None = None
    for cand in candidates:
        if cand.phrase is not None and cand.spk_start is not None and cand.spk_end is not None:
            speaker: str | None = resolver.resolve(
                cand.phrase, cand.spk_start, cand.spk_end, contents
            )
        elif last is not None and last.direct and cand.start - last.end < 400:
            speaker = last.speaker
        else:
            continue
        if speaker:
            resolver.remember(speaker, cand.start)
        person = None
        if cand.spk_start is not None and cand.spk_end is not None:
            person = resolver.person_in(cand.spk_start, cand.spk_end)
        if person is not None:
            cand.spk_start, cand.spk_end = person.mention.start, person.mention.end
        index = next((s.index for s in sentences if s.start <= cand.start < s.end), 0)
        body = " ".join(text[a:b].strip() for a, b in cand.parts)
        quote = Quote(
            article=article_id,
            sentence=index,
            start=cand.start,
            end=cand.end,
            text=body,
            speaker=speaker,
            cue=cand.cue,
            direct=cand.direct,
            speaker_start=cand.spk_start,
            speaker_end=cand.spk_end,
        )
        quotes.append(quote)
        last = quote
    return sorted(quotes, key=lambda q: q.start)
