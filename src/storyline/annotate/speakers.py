"""Who a speaker expression ("he", "the top US diplomat", "Blinken") refers to.

Rule code over the article text, its sentences and its NER mentions (no parser). A mention
counts as a person when spaCy labelled it PERSON or when its text is the name or surname of
a PERSON mention elsewhere in the article (the small model often labels "Blinken" GPE).
Roles come from ``Mention.role`` or from the title words right before the name
("US Secretary of State Antony Blinken").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from storyline.model import Mention, Sentence

PRONOUNS = frozenset({"he", "she", "him", "her", "his"})
ROLE_WORDS = frozenset(
    "president minister secretary chief spokesman spokeswoman spokesperson leader senator "
    "governor chancellor king queen prince diplomat ambassador envoy official director "
    "mayor representative rep. sen. gov. candidate nominee chairman chairwoman chair ceo "
    "adviser advisor commissioner judge attorney general premier speaker head counterpart "
    "commander lawmaker congressman congresswoman sheikh emir pope".split()
)
SYNONYMS = {
    "diplomat": ("secretary of state", "foreign minister", "diplomat", "ambassador", "envoy"),
    "secretary": ("secretary",),
    "minister": ("minister", "premier"),
    "leader": ("leader", "president", "prime minister", "chancellor", "premier", "king"),
    "premier": ("prime minister", "premier"),
    "spokeswoman": ("spokeswoman", "spokesperson", "spokesman"),
    "spokesman": ("spokesman", "spokesperson", "spokeswoman"),
}
_SKIP = frozenset("the a an this that top senior former then current new chief's".split())
_TITLE_RUN = re.compile(r"((?:(?:[A-Z][\w.’'-]*|of|for|the|and|[a-z]+)\s+)+)$")
_POSSESSIVE = re.compile(r"(?:’s|'s|’|')$")


@dataclass(frozen=True, slots=True)
class Person:
    """A person-like mention with its canonical (longest) name and role words."""

    mention: Mention
    name: str
    role: str


def _clean(name: str) -> str:
    return _POSSESSIVE.sub("", name.strip())


def _surname(name: str) -> str:
    parts = _clean(name).split()
    return parts[-1].lower() if parts else ""


def _title_before(text: str, sentence: Sentence | None, mention: Mention) -> str:
    """Title words right before a name in its sentence ("Egyptian Foreign Minister")."""
    start = sentence.start if sentence else max(0, mention.start - 80)
    window = text[start : mention.start]
    match = _TITLE_RUN.search(window)
    if not match:
        return ""
    words = match.group(1).split()
    # keep the tail that is capitalised or a role word
    kept: list[str] = []
    for word in reversed(words):
        lower = word.lower()
        if word[0].isupper() or lower in ROLE_WORDS or lower in ("of", "for", "and"):
            kept.append(word)
        else:
            break
    while kept and kept[-1].lower() in ("of", "for", "and", "the"):
        kept.pop()
    title = " ".join(reversed(kept))
    return title if any(w.lower() in ROLE_WORDS for w in title.split()) else ""


class SpeakerResolver:
    """Resolves speaker expressions of one article to person names.

    Needs the article text, its sentences and NER mentions; keeps the speaker of the last
    resolved quote so that "he said" after an attributed quote stays with that speaker.
    """

    def __init__(self, text: str, sentences: Sequence[Sentence], mentions: Sequence[Mention]):
        self.text = text
        self.sentences = sentences
        names = [_clean(m.text) for m in mentions if m.label == "PERSON"]
        self._full: dict[str, str] = {}
        for name in sorted(names, key=len):
            if name:
                self._full[_surname(name)] = name
                self._full[name.lower()] = name
        by_index = {s.index: s for s in sentences}
        self.persons: list[Person] = []
        self.others: list[Mention] = []
        for mention in sorted(mentions, key=lambda m: m.start):
            key = _clean(mention.text).lower()
            if mention.label == "PERSON" or key in self._full:
                name = self._full.get(key) or self._full.get(_surname(key)) or _clean(mention.text)
                role = mention.role or _title_before(text, by_index.get(mention.sentence), mention)
                self.persons.append(Person(mention, name, role.lower()))
            elif mention.label in ("ORG", "NORP", "GPE"):
                self.others.append(mention)
        self._roles: dict[str, str] = {}
        for person in self.persons:
            if person.role and person.name not in self._roles:
                self._roles[person.name] = person.role
        self.last_speaker: str | None = None
        self.last_sentence = -10

    def canonical(self, name: str) -> str:
        """The longest person name in the article with the same surname, else ``name``."""
        key = _clean(name)
        return self._full.get(key.lower()) or self._full.get(_surname(key)) or key

    def person_in(self, start: int, end: int) -> Person | None:
        """The last person mention inside [start, end): the head of a speaker phrase comes
        last ("Qadira's Water Resources Minister Ahmed Farouk")."""
        inside = [p for p in self.persons if p.mention.start >= start and p.mention.end <= end]
        return inside[-1] if inside else None

    def _other_in(self, start: int, end: int) -> Mention | None:
        for mention in self.others:
            if mention.start >= start and mention.end <= end:
                return mention
        return None

    def _sentence_of(self, offset: int) -> Sentence | None:
        for sentence in self.sentences:
            if sentence.start <= offset < sentence.end:
                return sentence
        return None

    def _by_pronoun(self, at: int, skip: Sequence[tuple[int, int]]) -> str | None:
        here = self._sentence_of(at)
        index = here.index if here else -1
        if here is not None:
            person = self._first_person(here.start, at, skip)
            if person:
                return person
        if self.last_speaker and index - self.last_sentence <= 2:
            return self.last_speaker
        for sentence in reversed(self.sentences):
            if sentence.index >= index or sentence.index < index - 4:
                continue
            person = self._first_person(sentence.start, sentence.end, skip)
            if person:
                return person
        return self.last_speaker

    def _first_person(self, start: int, end: int, skip: Sequence[tuple[int, int]]) -> str | None:
        for person in self.persons:
            m = person.mention
            if start <= m.start and m.end <= end and not any(s <= m.start < e for s, e in skip):
                return person.name
        return None

    def _by_role(self, phrase: str, at: int) -> str | None:
        words = [w.lower().strip(",.") for w in phrase.split()]
        head_words: list[str] = []
        for word in words:
            if word in ("from", "of", "in", "for", "at", "with"):
                break
            if word not in _SKIP:
                head_words.append(word)
        if not head_words or head_words[-1] not in ROLE_WORDS:
            return None
        head = head_words[-1]
        qualifiers = head_words[:-1]
        wanted = SYNONYMS.get(head, (head,))
        for person in reversed(self.persons):
            if person.mention.start >= at:
                continue
            role = self._roles.get(person.name, "")
            if not role or not any(w in role for w in wanted):
                continue
            if all(q in role.split() or q in ROLE_WORDS for q in qualifiers if q.isalpha()):
                return person.name
        return None

    def resolve(
        self, phrase: str, start: int, end: int, skip: Sequence[tuple[int, int]] = ()
    ) -> str:
        """Resolved name for the speaker expression ``phrase`` at text[start:end].

        ``skip`` lists spans (quote contents) whose mentions are never antecedents.
        """
        lowered = phrase.lower().strip()
        if lowered in PRONOUNS:
            resolved = self._by_pronoun(start, skip)
            return resolved or phrase
        person = self.person_in(start, end)
        if person:
            return person.name
        if lowered.split()[0] in ("the", "this", "that"):
            resolved = self._by_role(phrase, start)
            if resolved:
                return resolved
        other = self._other_in(start, end)
        if other and len(other.text) >= len(phrase) - 4:
            return _clean(other.text)
        if phrase[:1].isupper() and len(phrase.split()) <= 3 and lowered.split()[0] != "the":
            return self.canonical(phrase)
        return phrase

    def remember(self, speaker: str, offset: int) -> None:
        """Record ``speaker`` as the last speaker, for later pronouns."""
        if speaker.lower() in PRONOUNS:
            return
        sentence = self._sentence_of(offset)
        self.last_speaker = speaker
        self.last_sentence = sentence.index if sentence else self.last_sentence
