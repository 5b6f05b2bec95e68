"""Sentence boundaries that spaCy's sentence recogniser misses in news text.

* **Hard-wrapped text.** Inside a paragraph (text between blank lines) a single line break is
  where a line was wrapped, not a sentence or paragraph end. :func:`unwrap` gives the text
  spaCy sees: each line break inside a paragraph becomes a space, so character offsets stay
  offsets into the stored text.
* **A name that looks like an abbreviation.** spaCy's tokenizer keeps "Sen." (Senator),
  "Gov." or "Rep." in one token, so "…from strongman Hun Sen. Hun Sen complained…" stays one
  sentence. When the same article also writes the word without the full stop ("Hun Sen
  complained"), it is a name there: :func:`sentence_spans` then ends the sentence after
  "Sen." when it follows a capitalised word (the rest of the name) and the next word starts
  with a capital letter ("Sen. John McCain" opening a sentence is left alone). Honorifics that
  never end a name (Mr., Dr., St., …) are left alone.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Doc

_BARE_WORD = re.compile(r"\b([A-Z][a-z]{1,5})\b(?!\.)")
_HONORIFICS = frozenset(
    "Mr Mrs Ms Messrs Mme Dr Prof Rev St Ste Mt Ft Jr Sr No Nos Vol Fig Inc Co Corp Ltd".split()
)


def unwrap(text: str) -> str:
    """``text`` with every single line break replaced by a space (same length; a blank line,
    i.e. a paragraph break, stays)."""
    if "\n" not in text:
        return text
    return re.sub(r"(?<!\n)\n(?!\n)", " ", text)


def bare_words(text: str) -> frozenset[str]:
    """Short capitalised words that ``text`` writes without a following full stop at least
    once ("Sen" in "Hun Sen complained")."""
    return frozenset(_BARE_WORD.findall(text)) - _HONORIFICS


def sentence_spans(doc: Doc, names: frozenset[str]) -> Iterator[tuple[int, int]]:
    """(start, end) character offsets in ``doc.text`` of its sentences: spaCy's, each also
    ended after a token like "Sen." whose bare word is in ``names`` when a capitalised word
    follows it."""
    for sent in doc.sents:
        start = sent.start_char
        if names:
            for token in sent[1:-1]:
                word = token.text
                if (
                    len(word) > 2
                    and word.endswith(".")
                    and word[:-1] in names
                    and token.whitespace_
                    and token.nbor(-1).text.istitle()  # the end of a name: "Hun Sen."
                    and token.nbor(1).text[:1].isupper()
                ):
                    yield start, token.idx + len(word)
                    start = token.nbor(1).idx
        yield start, sent.end_char
