"""Full-text search over articles (FTS5).

A search is untrusted text (the CLI, the web UI): ``fts_query`` turns it into an expression
of quoted terms in one linear pass, so no FTS5 syntax can be injected; control characters
(NUL ends an FTS5 string) and lone surrogates separate words; repeated terms count once; and
searches over ``search_max_chars`` or ``search_max_terms`` are a QueryError, which bounds
the cost of matching and ranking.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from storyline.config import Settings
from storyline.errors import QueryError
from storyline.store.corrections import Corrections


@dataclass(frozen=True, slots=True)
class SearchHit:
    article: str
    title: str | None
    source: str | None
    published: str | None
    story: str | None
    snippet: str
    rank: float


class Search(Corrections):
    # -- search -----------------------------------------------------------------------
    def search(
        self, query: str, limit: int = 20, settings: Settings | None = None
    ) -> list[SearchHit]:
        """Articles matching ``query`` (words; quoted phrases allowed), best first. A query
        over the limits of ``settings`` (default settings when None) is a QueryError."""
        expression = fts_query(query, settings)
        if not expression:
            return []
        # rank every match, then make snippets and read metadata for the best ``limit`` only
        rows = self.db.execute(
            "SELECT a.id, a.title, a.source, a.published, a.story,"
            " snippet(articles_fts, 1, '[', ']', ' … ', 12), best.score"
            " FROM (SELECT rowid, bm25(articles_fts, 5.0, 1.0) AS score FROM articles_fts"
            "       WHERE articles_fts MATCH ? ORDER BY score, rowid LIMIT ?) best"
            " JOIN articles_fts ON articles_fts.rowid = best.rowid AND articles_fts MATCH ?"
            " JOIN articles a ON a.rowid = best.rowid"
            " ORDER BY best.score, best.rowid",
            (expression, limit, expression),
        )
        return [SearchHit(*row) for row in rows]


#: characters that never reach FTS5: C0/C1 controls (NUL ends an FTS5 string) and lone
#: surrogates (not encodable as UTF-8); they separate words
_UNSAFE = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
_EDGE = ".,;:!?()[]{}*^'"


def fts_query(query: str, settings: Settings | None = None) -> str:
    """A safe FTS5 expression: every word or "quoted phrase" becomes a quoted term (AND).

    Linear in the length of ``query``. A query longer than ``search_max_chars`` or with more
    than ``search_max_terms`` words (a phrase counts its words; a repeated word or phrase
    counts once) is a QueryError."""
    limits = settings or Settings()
    if len(query) > limits.search_max_chars:
        raise QueryError(
            f"the search is {len(query)} characters long; at most {limits.search_max_chars} "
            "are searched (setting search_max_chars): shorten it"
        )
    terms: dict[str, None] = {}
    words = 0
    for i, part in enumerate(_UNSAFE.sub(" ", query).split('"')):
        if i % 2 == 1:
            found = [part.split()] if part.split() else []
        else:
            found = [[w] for w in (t.strip(_EDGE) for t in part.split()) if w]
        for phrase in found:
            term = '"' + " ".join(phrase) + '"'
            if term in terms:
                continue
            terms[term] = None
            words += len(phrase)
            if words > limits.search_max_terms:
                raise QueryError(
                    f"the search has more than {limits.search_max_terms} words; at most "
                    f"{limits.search_max_terms} are searched (setting search_max_terms): "
                    "use fewer words"
                )
    return " ".join(terms)
