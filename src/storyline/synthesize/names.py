"""Name normalisation for matching entity mentions across articles.

Pure string functions, no spaCy: folding accents, curly apostrophes, possessives, hyphens
and case; splitting a personal name into its *core* tokens (name particles such as al-, el-,
bin, van, de dropped); and comparing two name tokens across transliterations (Mahmud /
Mahmoud, Antony / Anthony, Mohammed / Muhammad) without merging short or merely similar
names (Eli / Avi, Sisi / Sousa).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

#: name particles that may be written before a surname or inside a name
PARTICLES = frozenset(
    "al el ul ar as ad an at az bin ibn bint ben abu van von der den de da di du del della "
    "des dos la le st".split()
)
#: honorifics that are not part of a name and not a role
HONORIFICS = frozenset("mr mrs ms miss dr sir dame lord lady".split())

_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'"})
_POSSESSIVE = re.compile(r"(?:'s|(?<=s)')$", re.IGNORECASE)
_SPLIT = re.compile(r"[\s\-\u2010-\u2015_/]+")
_STRIP = re.compile(r"^[^\w']+|[^\w']+$")


def fold(text: str) -> str:
    """``text`` lower-cased, accents removed, curly apostrophes made straight."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_APOSTROPHES))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def strip_possessive(text: str) -> str:
    """``text`` without a trailing possessive ("Sisi’s" -> "Sisi", "Abbas’" -> "Abbas")."""
    straight = text.translate(_APOSTROPHES)
    match = _POSSESSIVE.search(straight)
    return text[: match.start()] if match else text


def tokens(name: str) -> tuple[str, ...]:
    """Folded tokens of ``name``: possessive and a leading "the" dropped, split on spaces and
    hyphens, punctuation around each token removed ("Abdel-Fattah al-Sisi’s" ->
    ("abdel", "fattah", "al", "sisi"))."""
    parts: list[str] = []
    for raw in _SPLIT.split(fold(strip_possessive(name.strip()))):
        part = _STRIP.sub("", raw).replace("'", "")
        if part:
            parts.append(part)
    if len(parts) > 1 and parts[0] == "the":
        parts = parts[1:]
    return tuple(parts)


def core_tokens(name: str) -> tuple[str, ...]:
    """Tokens of a personal name without particles and honorifics ("Abdel Fattah el Sisi" ->
    ("abdel", "fattah", "sisi")); a name made only of particles keeps them."""
    parts = tokens(name)
    core = tuple(p for p in parts if p not in PARTICLES and p not in HONORIFICS)
    return core or parts


def key(name: str) -> str:
    """A matching key for any entity name: folded tokens joined by spaces."""
    return " ".join(tokens(name))


def person_key(name: str) -> str:
    """A matching key for a personal name: folded core tokens joined by spaces."""
    return " ".join(core_tokens(name))


def skeleton(token: str) -> str:
    """A transliteration skeleton of one folded token: first letter, then consonants, with
    common digraphs folded and doubled letters collapsed ("mahmoud" -> "mhmd",
    "anthony" -> "antn")."""
    text = token.replace("th", "t").replace("ph", "f").replace("kh", "k").replace("ck", "k")
    if not text:
        return text
    body = [ch for ch in text[1:] if ch not in "aeiouy"]
    out = [text[0]]
    for ch in body:
        if ch != out[-1]:
            out.append(ch)
    return "".join(out)


def _distance(a: str, b: str) -> int:
    """Levenshtein distance of two short strings."""
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


#: spellings that transliterations of one name alternate between (French, German and English
#: renderings of Slavic and Arabic names), applied in this order
_TRANSLIT = (
    ("dzh", "j"), ("tch", "ch"), ("tsch", "ch"), ("sch", "sh"), ("zh", "j"), ("dj", "j"),
    ("ou", "u"), ("iu", "yu"), ("ju", "yu"), ("ia", "ya"), ("ja", "ya"), ("kh", "h"), ("q", "k"),
)  # fmt: skip


def transliteration_key(token: str) -> str:
    """A folded token with common transliteration alternations unified ("iouri", "yuriy"
    and "yuri" -> "yuri"; "haltchenko" -> "halchenko")."""
    key = token
    for old, new in _TRANSLIT:
        key = key.replace(old, new)
    if len(key) > 2 and key[0] == "i" and key[1] in "aeou":
        key = "y" + key[1:]
    if len(key) > 3 and key.endswith(("iy", "ij", "yy")):
        key = key[:-1]
    return key


def same_token(a: str, b: str) -> bool:
    """Whether two folded name tokens are the same name: equal, equal after unifying common
    transliteration alternations ("yuriy" ~ "iouri", "halchenko" ~ "haltchenko"), or (both
    at least five letters) the same skeleton within two edits ("mahmud" ~ "mahmoud",
    "antony" ~ "anthony")."""
    if a == b:
        return True
    if min(len(a), len(b)) >= 3 and transliteration_key(a) == transliteration_key(b):
        return True
    if min(len(a), len(b)) < 5 or a[0] != b[0]:
        return False
    return skeleton(a) == skeleton(b) and _distance(a, b) <= 2


def initial_of(short: str, full: str) -> bool:
    """Whether ``short`` is an initial ("a" or "a.") of the folded token ``full``."""
    return len(short) == 1 and full.startswith(short)


@dataclass(frozen=True, slots=True)
class PersonName:
    """A personal name split for matching: given names and surname (folded core tokens)."""

    given: tuple[str, ...]
    surname: str

    @property
    def full(self) -> bool:
        """True when the name has at least one given name besides the surname."""
        return bool(self.given)


def person_name(name: str) -> PersonName:
    """``name`` split into given names and surname (last core token)."""
    core = core_tokens(name)
    if not core:
        return PersonName((), "")
    return PersonName(core[:-1], core[-1])


def compatible(a: PersonName, b: PersonName) -> bool:
    """Whether two personal names can name the same person: same surname (allowing
    transliteration) and, when both have given names, the given names agree in order
    (token by token, allowing initials and transliteration; the shorter list may omit
    middle names)."""
    if not a.surname or not same_token(a.surname, b.surname):
        return False
    if not a.given or not b.given:
        return True
    short, long_ = (a.given, b.given) if len(a.given) <= len(b.given) else (b.given, a.given)
    position = 0
    for token in short:
        while position < len(long_) and not (
            same_token(token, long_[position])
            or initial_of(token, long_[position])
            or initial_of(long_[position], token)
        ):
            position += 1
        if position == len(long_):
            return False
        position += 1
    # the first given name must match: "Eli Cohen" is not "Avi Eli Cohen"
    first = long_[0]
    return same_token(short[0], first) or initial_of(short[0], first) or initial_of(first, short[0])
