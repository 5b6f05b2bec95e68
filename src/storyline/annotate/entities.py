"""Named-entity mentions of one article, with the role (title) written next to a name.

Needs the article text, its sentences and the spaCy Docs of its paragraphs (pipeline
``nlp.load(variant="ner")``, one Doc per paragraph from ``nlp.paragraphs``); adds ``Mention``
records with article id, sentence index, character span, label and role.

On top of spaCy's entities, light lexical rules (no parser) fix the small model's known slips:

- a role written before a name is recorded as the mention's role ("US Secretary of State
  Antony Blinken"), also when the model swallowed it into the name ("President Abdel Fattah");
  entities made only of role words ("State" in "Secretary of State") are dropped;
- possessives are cut off ("Sisi’s"), a leading "the" too; a name split around a particle is
  joined ("Abdel Fattah" + "el Sisi", "Abdel-Fattah" + "al-Sisi");
- the ``date YYYY-MM-DD`` header and all-caps runs ("BREAKING NEWS FROM CAIRO") hold no entities;
- the surname of a person named in full in the article is a PERSON wherever it stands alone
  ("Sisi", "al-Sisi", "Blinken" tagged GPE or missed).

Role-only references with a definite article ("the US Secretary of State", "the Egyptian
president") become mentions labelled ``ROLE`` (text and role = the title) so the story stage
can link them to the one person holding that role.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from storyline.model import Mention, Sentence
from storyline.synthesize.names import HONORIFICS, core_tokens, fold, person_key, strip_possessive

if TYPE_CHECKING:
    from spacy.tokens import Doc

LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT"})
ROLE_LABEL = "ROLE"
#: title words that make a phrase a role
ROLE_HEADS = frozenset(
    "president minister secretary chief spokesman spokeswoman spokesperson leader king queen "
    "prince princess chancellor ambassador envoy general director governor mayor senator "
    "chairman chairwoman commander premier emir sheikh pope counterpart deputy head judge "
    "speaker ceo adviser advisor negotiator diplomat lawmaker congressman congresswoman "
    "coordinator commissioner".split()
)
#: words that may sit inside a role around its head ("Secretary of State", "Interior Minister")
ROLE_MODIFIERS = frozenset(
    "of for state foreign interior defense defence prime vice deputy finance intelligence army "
    "military top security national former acting justice health home affairs crown supreme "
    "attorney district police border economy energy trade education agriculture environment "
    "transport labour labor treasury senior executive press opposition party majority minority "
    "senate interim caretaker navy air force staff cabinet regional provincial federal "
    "sports culture tourism information communications development".split()
)
ROLE_WORDS = ROLE_HEADS | ROLE_MODIFIERS
#: entity labels that may sit inside a role ("US", "Egyptian", "CIA")
_CONTEXT = frozenset({"NORP", "GPE", "ORG"})
#: particles that continue a name when followed by a capitalised word ("el Sisi", "bin Salman")
_NAME_PARTICLES = frozenset(
    "al el ul bin ibn bint ben abu van von der den de da di du del della dos".split()
)
_LOWER_WORDS = frozenset("of for and".split())
_POSSESSIVES = frozenset({"’s", "'s"})
_HYPHENS = frozenset({"-", "‐", "–"})
_DETERMINERS = frozenset("the a an his her its their".split())
_CLOSERS = frozenset({",", ".", ";", ":", ")", "—", "–"})
_HEADER = re.compile(r"\A\s*date\s+\d{4}-\d{2}-\d{2}\b")
_SPACES = re.compile(r"\s+")


@dataclass(slots=True)
class _Span:
    """A working entity span in token indices of one paragraph Doc."""

    start: int
    end: int
    label: str
    role: str | None = None


@dataclass(frozen=True, slots=True)
class _Para:
    """One paragraph Doc with its offset in the article and per-token entity labels."""

    offset: int
    doc: Doc
    labels: list[str | None]


def extract_mentions(
    article_id: str, text: str, sentences: Sequence[Sentence], docs: Sequence[tuple[int, Doc]]
) -> list[Mention]:
    """Entity mentions of one article, ordered by position.

    Needs ``text`` (the article's stored text), its ``sentences`` and ``docs``: (paragraph start
    offset in ``text``, spaCy Doc of that paragraph) pairs from the ``ner`` pipeline. Adds one
    ``Mention`` per entity with label in ``LABELS`` (roles in ``Mention.role``) and one per
    role-only reference (label ``ROLE``).
    """
    header = _HEADER.match(text)
    header_end = header.end() if header else -1
    found: list[tuple[int, int, str, str | None]] = []
    paras: list[_Para] = []
    for offset, doc in docs:
        para = _Para(offset, doc, _token_labels(doc))
        paras.append(para)
        for span in _fix_spans(para):
            start, end = _char_span(para, span)
            if end > start and start >= header_end:
                found.append((start, end, span.label, span.role))
    found = _apply_surnames(text, found, paras, sentences)
    for para in paras:
        found.extend(_role_references(para))
    found.sort()
    starts = [s.start for s in sentences]
    mentions: list[Mention] = []
    for start, end, label, role in found:
        sentence = max(bisect_right(starts, start) - 1, 0)
        mentions.append(
            Mention(
                article=article_id,
                sentence=sentences[sentence].index if sentences else 0,
                start=start,
                end=end,
                text=text[start:end],
                label=label,
                role=role,
            )
        )
    return mentions


def _token_labels(doc: Doc) -> list[str | None]:
    """The entity label of each token of ``doc`` (None outside entities)."""
    labels: list[str | None] = [None] * len(doc)
    for ent in doc.ents:
        for i in range(ent.start, ent.end):
            labels[i] = ent.label_
    return labels


def _is_role_word(doc: Doc, i: int) -> bool:
    return doc[i].lower_ in ROLE_WORDS


def _in_role(para: _Para, i: int) -> bool:
    """Whether token ``i`` can be part of a role phrase."""
    doc = para.doc
    token = doc[i]
    if token.lower_ in ROLE_WORDS or para.labels[i] in _CONTEXT:
        return True
    if token.text in _POSSESSIVES:
        return i > 0 and para.labels[i - 1] in _CONTEXT
    if token.text in _HYPHENS and 0 < i < len(doc) - 1:
        return _is_role_word(doc, i - 1) and _is_role_word(doc, i + 1)
    return False


def _role_before(para: _Para, start: int) -> str | None:
    """The role phrase that ends right before token ``start``, normalised, or None."""
    first = start
    while first > 0 and _in_role(para, first - 1):
        first -= 1
    return _role_text(para, first, start)


def _role_text(para: _Para, first: int, end: int) -> str | None:
    """Tokens ``first:end`` as a normalised role when they hold a role head, else None."""
    doc = para.doc
    while first < end and (doc[first].lower_ in _LOWER_WORDS or not doc[first].is_alpha):
        if para.labels[first] in _CONTEXT and doc[first].text not in _POSSESSIVES:
            break
        first += 1
    if not any(doc[i].lower_ in ROLE_HEADS for i in range(first, end)):
        return None
    words: list[str] = []
    for i in range(first, end):
        token = doc[i]
        word = token.text.replace("’", "'")
        if para.labels[i] not in _CONTEXT and token.lower_ in ROLE_WORDS:
            word = token.lower_ if token.lower_ in _LOWER_WORDS else token.text.capitalize()
        words.append(word + token.whitespace_)
    return _SPACES.sub(" ", "".join(words)).strip() or None


def _fix_spans(para: _Para) -> list[_Span]:
    """The kept entity spans of one paragraph with the model's slips fixed."""
    doc = para.doc
    spans: list[_Span] = []
    for ent in doc.ents:
        label = ent.label_
        if label not in LABELS:
            continue
        span = _Span(ent.start, ent.end, label)
        if spans and label == "PERSON" and spans[-1].label == "PERSON":
            previous = spans[-1]
            gap = doc[previous.end - 1].whitespace_ if previous.end == span.start else ""
            hyphen = span.start == previous.end + 1 and doc[previous.end].text in _HYPHENS
            if (previous.end == span.start and gap == " ") or hyphen:
                previous.end = span.end  # "Abdel-Fattah" + "al-Sisi"
                continue
        if spans and spans[-1].label == "PERSON" and spans[-1].end > span.start:
            continue  # swallowed by a particle extension of the previous name
        if label == "PERSON":
            _trim_person(para, span)
        if _only_role_words(doc, span) or _all_caps(doc, span):
            continue
        spans.append(span)
    for span in spans:
        if span.label == "PERSON":
            span.role = _role_before(para, span.start) or _role_apposed(para, span)
    return spans


def _apposed_to_person(para: _Para, the: int, end: int) -> bool:
    """Whether the phrase from "the" (token ``the``) to ``end`` is set off by a comma right
    after or right before a PERSON ("Ned Price, the spokesman," / "the president, Abbas")."""
    labels = para.labels
    after = the >= 2 and para.doc[the - 1].text == "," and labels[the - 2] == "PERSON"
    before = end + 1 < len(labels) and para.doc[end].text == "," and labels[end + 1] == "PERSON"
    return after or before


def _role_apposed(para: _Para, span: _Span) -> str | None:
    """A role set off by commas next to a name: "Eli Cohen, Israel’s foreign minister," or
    "his Israeli counterpart, Eli Cohen"."""
    doc = para.doc
    n = len(doc)
    j = span.end
    if j + 1 < n and doc[j].text == ",":
        j += 1
        if doc[j].lower_ in _DETERMINERS:
            j += 1
        first = j
        while j < n and _in_role(para, j):
            j += 1
        if j > first and (j == n or doc[j].text in _CLOSERS):
            return _role_text(para, first, j)
    k = span.start - 1
    if k > 0 and doc[k].text == ",":
        first = k
        while first > 0 and _in_role(para, first - 1):
            first -= 1
        if first < k and (first == 0 or doc[first - 1].lower_ in _DETERMINERS):
            return _role_text(para, first, k)
    return None


def _trim_person(para: _Para, span: _Span) -> None:
    """Move role words and honorifics at the front of a PERSON span out of it, and extend it
    over a particle and the capitalised word after it ("Abdel Fattah" + "el Sisi")."""
    doc = para.doc
    while span.end - span.start > 1:
        lower = doc[span.start].lower_.rstrip(".")
        if lower in ROLE_WORDS or lower in HONORIFICS or doc[span.start].text in _HYPHENS:
            span.start += 1
        else:
            break
    j = span.end
    particles = 0
    while j < len(doc) and doc[j].lower_ in _NAME_PARTICLES:
        j += 1
        particles += 1
        if j < len(doc) and doc[j].text in _HYPHENS:
            j += 1
    if particles and j < len(doc) and doc[j].is_alpha and doc[j].text[:1].isupper():
        span.end = j + 1


def _only_role_words(doc: Doc, span: _Span) -> bool:
    """True for entities made only of role words ("State" of "Secretary of State")."""
    words = [doc[i].lower_ for i in range(span.start, span.end) if doc[i].is_alpha]
    return bool(words) and all(word in ROLE_WORDS for word in words)


def _all_caps(doc: Doc, span: _Span) -> bool:
    """True for entities in shouting text: two or more all-caps words, or one all-caps word
    between all-caps words ("BREAKING NEWS FROM CAIRO TODAY")."""
    words = [doc[i] for i in range(span.start, span.end) if doc[i].is_alpha]
    if not words or not all(t.is_upper for t in words):
        return False
    if len(words) > 1:
        return True
    before = doc[span.start - 1] if span.start > 0 else None
    after = doc[span.end] if span.end < len(doc) else None
    return all(t is not None and t.is_alpha and t.is_upper and len(t) > 1 for t in (before, after))


def _char_span(para: _Para, span: _Span) -> tuple[int, int]:
    """Article character offsets of ``span`` without a possessive or a leading "the "."""
    doc = para.doc
    start = doc[span.start].idx
    stop = span.end
    if span.end - span.start > 1 and doc[span.end - 1].text in _POSSESSIVES:
        stop -= 1
    surface = doc[span.start : stop].text  # not doc.text: that joins the whole Doc each time
    end = start + len(strip_possessive(surface))
    if surface.startswith("the ") and end - start > 4:
        start += 4
    return para.offset + start, para.offset + end


def _apply_surnames(
    text: str,
    found: list[tuple[int, int, str, str | None]],
    paras: Sequence[_Para],
    sentences: Sequence[Sentence],
) -> list[tuple[int, int, str, str | None]]:
    """Relabel as PERSON entities that are the surname or full name of a person named in full
    in this article, and add the surname's stand-alone occurrences the model missed."""
    surnames: dict[str, str] = {}
    full_names: set[str] = set()
    for start, end, label, _ in found:
        if label == "PERSON" and len(core_tokens(text[start:end])) > 1:
            surface = strip_possessive(text[start:end])
            last = re.split(r"[\s\-‐–]+", surface)[-1]
            if last[:1].isupper() and last.isalpha():
                surnames.setdefault(fold(last), last)
            full_names.add(person_key(surface))
    if not surnames:
        return found
    fixed: list[tuple[int, int, str, str | None]] = []
    for start, end, label, role in found:
        if label != "PERSON":
            key = person_key(text[start:end])
            if key in surnames or key in full_names:
                label, role = "PERSON", _role_at(paras, start)
        fixed.append((start, end, label, role))
    fixed.sort()
    starts = [f[0] for f in fixed]
    sentence_starts = {s.start for s in sentences}
    pattern = re.compile(
        r"(?<![\w\-‐–’'])(?:(?:[Aa]l|[Ee]l|AL|EL)[\-‐– ]|(?:bin|ibn|van|von|de) )?(?:"
        + "|".join(re.escape(s) for s in sorted(surnames.values(), key=len, reverse=True))
        + r")(?![\w\-‐–])"
    )
    added: list[tuple[int, int, str, str | None]] = []
    for match in pattern.finditer(text):
        start, end = match.span()
        i = bisect_right(starts, start) - 1
        if (i >= 0 and fixed[i][1] > start) or (i + 1 < len(fixed) and fixed[i + 1][0] < end):
            continue
        if start in sentence_starts:
            word = re.split(r"[\s\-‐–]+", match.group())[-1].lower()
            if re.search(rf"\b{re.escape(word)}\b", text):
                continue  # a capitalised common word opening a sentence ("Price rose")
        added.append((start, end, "PERSON", _role_at(paras, start)))
    return fixed + added


def _role_at(paras: Sequence[_Para], start: int) -> str | None:
    """The role phrase right before the article offset ``start``, or None."""
    offsets = [p.offset for p in paras]
    index = bisect_right(offsets, start) - 1
    if index < 0:
        return None
    para = paras[index]
    local = start - para.offset
    tokens = [t.idx for t in para.doc]
    token = bisect_right(tokens, local) - 1
    if token < 0 or tokens[token] != local:
        return None
    return _role_before(para, token)


def _role_references(para: _Para) -> list[tuple[int, int, str, str | None]]:
    """Role-only references after "the" that no name follows ("the US Secretary of State")."""
    doc = para.doc
    refs: list[tuple[int, int, str, str | None]] = []
    i = 0
    n = len(doc)
    while i < n:
        if doc[i].lower_ != "the":
            i += 1
            continue
        j = i + 1
        while j < n and _in_role(para, j):
            j += 1
        first, end = i + 1, j
        while end > first and (doc[end - 1].lower_ in _LOWER_WORDS or not doc[end - 1].is_alpha):
            end -= 1
        follows = doc[j] if j < n else None
        incomplete = end < j or (follows is not None and follows.lower_ == "of")
        named = follows is not None and (para.labels[j] == "PERSON" or follows.is_title)
        named = named or _apposed_to_person(para, i, j)
        role = None if incomplete or named else _role_text(para, first, end)
        while first < end and para.labels[first] in _CONTEXT:
            first += 1  # the span starts at the title: "US" keeps its own GPE mention
        if role is not None and first < end and doc[end - 1].lower_ in ROLE_WORDS:
            start = para.offset + doc[first].idx
            stop = para.offset + doc[end - 1].idx + len(doc[end - 1].text)
            refs.append((start, stop, ROLE_LABEL, role))
        i = max(j, i + 1)
    return refs
