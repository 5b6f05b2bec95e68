"""Verbatim evidence of copying: shared sentences that repeat the wording, not only the facts.

Sentence reuse (``link.reuse``) matches sentences by their content terms, so two independent
reports of one event match wherever they state the same fact with the same names ("Police
said the fire was suspicious" / "The fire is being treated as suspicious, police said") or
quote the same person. A copy, even a rewritten one, keeps runs of its source's wording. A
shared sentence pair is *verbatim* when both sentences hold the same run of
``wire_verbatim_words`` words (case-folded) outside quotation marks; a wire family needs
``wire_min_verbatim`` such pairs (``reuse.family_link``). Quotations are left out because
independent outlets quote a statement word for word: a quotation inside the sentence, and
the part of a quotation that opens or closes in a neighbouring sentence (a quote mark left
unpaired). So is the headline: reports of one event give it the same few words.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from storyline.model import AnnotatedArticle, Reuse

#: a quotation between double quotes: straight, curly, or the ``...'' of tokenised text
_QUOTATION = re.compile(r"\"[^\"]*\"|“[^”]*”|``.*?''|„[^“”]*[“”]|«[^»]*»")
#: a quote mark that opens a quotation running on past the sentence's end ...
_OPENS = re.compile(r"(?:“|``|„|«|(?:^|(?<=\s))\"(?=\S)).*\Z", re.DOTALL)
#: ... or closes one that began in an earlier sentence
_CLOSES = re.compile(r"\A.*(?:”|''|»|\")", re.DOTALL)
_WORD = re.compile(r"\w+")


def outside_quotations(text: str) -> list[str]:
    """The parts of ``text`` outside quotation marks, a quotation cut short by the
    sentence's end (a quote mark left unpaired) included."""
    parts = []
    for part in _QUOTATION.split(text):
        opened = _OPENS.search(part)
        if opened is not None:
            part = part[: opened.start()]
        parts.append(_CLOSES.sub("", part))
    return parts


def word_runs(text: str, size: int) -> frozenset[tuple[str, ...]]:
    """Every run of ``size`` words of ``text`` outside quotations (a quotation breaks runs)."""
    runs: set[tuple[str, ...]] = set()
    for part in outside_quotations(text):
        words = _WORD.findall(part.casefold())
        runs.update(tuple(words[i : i + size]) for i in range(len(words) - size + 1))
    return frozenset(runs)


def _headline(text: str, title: str | None) -> bool:
    return bool(title) and " ".join(text.split()) == " ".join((title or "").split())


class RunCache:
    """``word_runs`` of the sentences of a story's articles, each computed once."""

    def __init__(self, docs: Sequence[AnnotatedArticle], size: int) -> None:
        self.size = size
        self._docs = {d.article.id: d for d in docs}
        self._runs: dict[tuple[str, int], frozenset[tuple[str, ...]]] = {}

    def runs(self, article: str, sentence: int) -> frozenset[tuple[str, ...]]:
        key = (article, sentence)
        found = self._runs.get(key)
        if found is None:
            doc = self._docs[article]
            text = doc.sentences[sentence].text if sentence < len(doc.sentences) else ""
            if _headline(text, doc.article.title):
                text = ""
            found = self._runs[key] = word_runs(text, self.size)
        return found

    def verbatim(self, reuse: Reuse) -> Reuse:
        """``reuse`` with ``verbatim``: how many of its shared pairs repeat a run of words."""
        count = sum(
            1
            for i, j in reuse.shared_sentences
            if not self.runs(reuse.a, i).isdisjoint(self.runs(reuse.b, j))
        )
        return replace(reuse, verbatim=count)
