"""Outlets and agency credits: one record per publisher, and per article its outlet and
the news agencies it credits (tables of the outlet migration).

``sync_outlets`` files every article not filed yet: ``link.outlets.identify`` gives the keys
the article's outlet is known by (registered domain, normalised name); the first key already
known names its outlet, otherwise a new outlet record is made; every key is remembered, so
``www.reuters.com``, ``Reuters`` and ``reuters.com/world`` end in one record. Its credits
(``link.agencies.find_credits``) are stored with it. The user can rename an outlet or merge
one into another (``storyline outlets --rename / --merge``); later articles known by any of
the merged keys join the kept record. Readers (``outlet_names``) also answer for articles
not filed yet, from the same functions and the stored keys, so read-only pages never show
a raw folder name where an outlet is known.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from storyline.errors import ConfigError, NotFoundError
from storyline.link.agencies import AgencyCredit, find_credits
from storyline.link.outlets import OutletIdentity, identify, name_key
from storyline.model import Article
from storyline.store.db import Connection, _now

#: bump when identify or find_credits change what they give: articles are filed again
PROVENANCE_VERSION = 1
_CHUNK = 500


@dataclass(frozen=True, slots=True)
class OutletRecord:
    id: str
    name: str
    domain: str | None
    articles: int
    keys: tuple[str, ...]
    renamed: bool


@dataclass(frozen=True, slots=True)
class ArticleOutlet:
    """An article's outlet (``outlet`` id, None when nothing names it; ``name`` to show)
    and the agencies it credits."""

    outlet: str | None
    name: str
    agencies: tuple[str, ...]


def credits_json(credits: Sequence[AgencyCredit]) -> str:
    return json.dumps([{"agency": c.agency, "kind": c.kind, "text": c.text, "start": c.start,
                        "end": c.end, "sentence": c.sentence} for c in credits])  # fmt: skip


class Outlets(Connection):
    # -- filing -----------------------------------------------------------------------
    def sync_outlets(self) -> int:
        """File every article without a current provenance row; returns how many."""
        total = 0
        while True:
            rows = self.db.execute(
                "SELECT a.id FROM articles a LEFT JOIN article_provenance p ON p.article = a.id"
                " WHERE p.article IS NULL OR p.version < ? ORDER BY a.rowid LIMIT ?",
                (PROVENANCE_VERSION, _CHUNK),
            ).fetchall()
            if not rows:
                return total
            with self.transaction():
                for article in self._load([r[0] for r in rows]):
                    self._file(article)
            total += len(rows)

    def _load(self, ids: Sequence[str]) -> list[Article]:
        from storyline.store.articles import _ARTICLE_SELECT, _article

        rows = self.db.execute(
            f"{_ARTICLE_SELECT} WHERE id IN (SELECT value FROM json_each(?))", (json.dumps(ids),)
        )
        return [_article(row) for row in rows]

    def _file(self, article: Article) -> None:
        identity = identify(article)
        outlet = self._outlet_for(identity) if identity else None
        self.db.execute(
            "INSERT INTO article_provenance(article, outlet, credits, version) VALUES (?,?,?,?)"
            " ON CONFLICT(article) DO UPDATE SET outlet = excluded.outlet,"
            " credits = excluded.credits, version = excluded.version",
            (article.id, outlet, credits_json(find_credits(article)), PROVENANCE_VERSION),
        )

    def _known(self, keys: Iterable[str]) -> str | None:
        for key in keys:
            row = self.db.execute("SELECT outlet FROM outlet_keys WHERE key = ?", (key,)).fetchone()
            if row is not None:
                return str(row[0])
        return None

    def _outlet_for(self, identity: OutletIdentity) -> str:
        outlet = self._known(identity.keys)
        if outlet is None:
            outlet = base = identity.keys[0].split(":", 1)[1]
            number = 1
            while self.db.execute("SELECT 1 FROM outlets WHERE id = ?", (outlet,)).fetchone():
                number += 1
                outlet = f"{base}-{number}"
            self.db.execute(
                "INSERT INTO outlets(id, name, domain, created_at) VALUES (?,?,?,?)",
                (outlet, identity.name, identity.domain, _now()),
            )
        self.db.executemany(
            "INSERT OR IGNORE INTO outlet_keys(key, outlet) VALUES (?, ?)",
            [(key, outlet) for key in identity.keys],
        )
        return outlet

    # -- reading ----------------------------------------------------------------------
    def outlet_records(self) -> list[OutletRecord]:
        """Every outlet with its article count and keys, by name."""
        keys: dict[str, list[str]] = {}
        for key, outlet in self.db.execute("SELECT key, outlet FROM outlet_keys ORDER BY key"):
            keys.setdefault(outlet, []).append(key)
        rows = self.db.execute(
            "SELECT o.id, o.name, o.domain, o.renamed, COUNT(p.article) FROM outlets o"
            " LEFT JOIN article_provenance p ON p.outlet = o.id GROUP BY o.id"
            " ORDER BY lower(o.name), o.id"
        )
        return [OutletRecord(i, n, d, int(c), tuple(keys.get(i, ())), bool(r))
                for i, n, d, r, c in rows]  # fmt: skip

    def outlet_names(self, article_ids: Sequence[str]) -> dict[str, ArticleOutlet]:
        """The outlet and credited agencies of each named article that exists; articles not
        filed yet are identified on the fly (nothing is written)."""
        found: dict[str, ArticleOutlet] = {}
        rows = self.db.execute(
            "SELECT p.article, p.outlet, o.name, p.credits FROM article_provenance p"
            " LEFT JOIN outlets o ON o.id = p.outlet"
            " WHERE p.article IN (SELECT value FROM json_each(?)) AND p.version = ?",
            (json.dumps(list(article_ids)), PROVENANCE_VERSION),
        )
        sources = dict(self.db.execute(
            "SELECT id, source FROM articles WHERE id IN (SELECT value FROM json_each(?))",
            (json.dumps(list(article_ids)),),
        ).fetchall())  # fmt: skip
        for article, outlet, name, credits in rows:
            agencies = tuple(dict.fromkeys(c["agency"] for c in json.loads(credits)))
            shown = name or sources.get(article) or "unknown outlet"
            found[article] = ArticleOutlet(outlet, shown, agencies)
        missing = [a for a in article_ids if a not in found and a in sources]
        for article in self._load(missing) if missing else []:
            identity = identify(article)
            outlet = self._known(identity.keys) if identity else None
            name = self._name(outlet) if outlet else None
            shown = name or (identity.name if identity else None) or article.source
            agencies = tuple(dict.fromkeys(c.agency for c in find_credits(article)))
            found[article.id] = ArticleOutlet(outlet, shown or "unknown outlet", agencies)
        return found

    def outlet_name_map(self) -> dict[str, str]:
        """article id -> the name of its outlet, for every filed article."""
        rows = self.db.execute(
            "SELECT p.article, o.name FROM article_provenance p JOIN outlets o ON o.id = p.outlet"
        )
        return {str(a): str(n) for a, n in rows}

    def _name(self, outlet: str) -> str | None:
        row = self.db.execute("SELECT name FROM outlets WHERE id = ?", (outlet,)).fetchone()
        return None if row is None else str(row[0])

    def find_outlet(self, named: str) -> str:
        """The id of the outlet ``named`` (its id, its name in any case, a domain or a name
        it is known by); NotFoundError otherwise."""
        text = named.strip()
        row = self.db.execute(
            "SELECT id FROM outlets WHERE id = ? OR lower(name) = lower(?) ORDER BY id = ? DESC",
            (text, text, text),
        ).fetchone()
        if row is not None:
            return str(row[0])
        outlet = self._known([f"domain:{text.lower()}", f"name:{name_key(text)}"])
        if outlet is None:
            raise NotFoundError(
                f"no outlet named {named!r}; `storyline outlets` lists them (run it once after "
                "`storyline run` to file new articles)"
            )
        return outlet

    # -- editing ----------------------------------------------------------------------
    def rename_outlet(self, named: str, new_name: str) -> OutletRecord:
        """Show outlet ``named`` as ``new_name`` from now on (the new name becomes one of its
        keys); ConfigError when another outlet is already known by that name."""
        outlet = self.find_outlet(named)
        new_name = " ".join(new_name.split())
        key = f"name:{name_key(new_name)}"
        if not new_name or key == "name:":
            raise ConfigError(f"--rename needs a new name with letters or digits, not {new_name!r}")
        with self.transaction():
            owner = self._known([key])
            if owner is not None and owner != outlet:
                raise ConfigError(
                    f"{new_name!r} is already outlet {owner!r}; merge the two with "
                    f"`storyline outlets --merge {named!r} {new_name!r}`"
                )
            self.db.execute("UPDATE outlets SET name = ?, renamed = 1 WHERE id = ?",
                            (new_name, outlet))  # fmt: skip
            self.db.execute("INSERT OR IGNORE INTO outlet_keys(key, outlet) VALUES (?, ?)",
                            (key, outlet))  # fmt: skip
            self._relist(outlet)
        return self._record(outlet)

    def merge_outlets(self, named: str, into: str) -> OutletRecord:
        """Fold outlet ``named`` into outlet ``into``: its keys and articles move there."""
        gone, kept = self.find_outlet(named), self.find_outlet(into)
        if gone == kept:
            raise ConfigError(f"{named!r} and {into!r} are already the same outlet ({kept!r})")
        with self.transaction():
            self.db.execute("UPDATE outlet_keys SET outlet = ? WHERE outlet = ?", (kept, gone))
            self.db.execute("UPDATE article_provenance SET outlet = ? WHERE outlet = ?",
                            (kept, gone))  # fmt: skip
            self.db.execute("DELETE FROM outlets WHERE id = ?", (gone,))
            self._relist(kept)
        return self._record(kept)

    def _relist(self, outlet: str) -> None:
        """Write again the story-list rows of the stories with articles of ``outlet`` (their
        outlet names changed); the stored reports are left as they are."""
        self.db.execute(
            "UPDATE stories SET title = title WHERE id IN (SELECT DISTINCT a.story FROM"
            " article_provenance p JOIN articles a ON a.id = p.article WHERE p.outlet = ?)",
            (outlet,),
        )

    def _record(self, outlet: str) -> OutletRecord:
        return next(r for r in self.outlet_records() if r.id == outlet)
