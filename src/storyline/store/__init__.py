"""The SQLite store: one file, WAL, foreign keys, numbered migrations, FTS5 search.

Every write happens in a transaction, so a run killed at any point leaves the database as
it was after the last committed batch; the next run continues from there. The store is
split by what it serves: ``db`` (connection, migrations), ``articles`` (articles, runs,
skips), ``annotations``, ``links`` (duplicates, stories, link state), ``search`` and
``sources`` (feeds and sites followed by ``storyline watch``) and ``outlets`` (publishers,
agency credits).
"""

from __future__ import annotations

from storyline.store.articles import Skip
from storyline.store.outlets import Outlets
from storyline.store.schema import MIGRATIONS
from storyline.store.search import Search, SearchHit, fts_query
from storyline.store.sources import Sources

__all__ = ["MIGRATIONS", "SearchHit", "Skip", "Store", "fts_query"]


class Store(Search, Sources, Outlets):
    """A storyline database. Use as a context manager or call ``close()``."""
