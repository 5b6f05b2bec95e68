"""Full-text search over articles (FTS5)."""

from __future__ import annotations

from dataclasses import dataclass

from storyline.store.links import Links


@dataclass(frozen=True, slots=True)
class SearchHit:
    article: str
    title: str | None
    source: str | None
    published: str | None
    story: str | None
    snippet: str
    rank: float


class Search(Links):
    # -- search -----------------------------------------------------------------------
    def search(self, query: str, limit: int = 20) -> list[SearchHit]:
        """Articles matching ``query`` (words; quoted phrases allowed), best first."""
        expression = fts_query(query)
        if not expression:
            return []
        rows = self.db.execute(
            "SELECT a.id, a.title, a.source, a.published, a.story,"
            " snippet(articles_fts, 1, '[', ']', ' … ', 12), bm25(articles_fts, 5.0, 1.0)"
            " FROM articles_fts JOIN articles a ON a.rowid = articles_fts.rowid"
            " WHERE articles_fts MATCH ? ORDER BY bm25(articles_fts, 5.0, 1.0) LIMIT ?",
            (expression, limit),
        )
        return [SearchHit(*row) for row in rows]


def fts_query(query: str) -> str:
    """A safe FTS5 expression: every word or "quoted phrase" becomes a quoted term (AND)."""
    terms: list[str] = []
    for i, part in enumerate(query.split('"')):
        if i % 2 == 1:
            words = part.split()
            if words:
                terms.append('"' + " ".join(w.replace('"', "") for w in words) + '"')
        else:
            terms.extend(
                '"' + w + '"' for w in (t.strip(".,;:!?()[]{}*^'") for t in part.split()) if w
            )
    return " ".join(terms)
