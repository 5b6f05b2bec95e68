"""Topic timelines over the archive take the wire families their stories stored."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

from storyline.config import Settings
from storyline.link.families import reused_families
from storyline.model import AnnotatedArticle
from storyline.report.topic import stored_families, stored_timeline
from storyline.store import Store


def _annotated(store: Store) -> list[AnnotatedArticle]:
    return [store.annotated_article(a) for a in store.articles()]


def _stored_groups(db: Path) -> dict[str, list[frozenset[str]]]:
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT id, json_extract(report, '$.families') FROM stories")
        return {s: [frozenset(g) for g in json.loads(f or "[]")] for s, f in rows}


def test_families_are_the_ones_stories_stored(hostile_corpus_db: Path) -> None:
    with Store(hostile_corpus_db, readonly=True) as store:
        docs = _annotated(store)
        links = store.article_links()
        families = stored_families(store, docs, Settings())
    by_story = _stored_groups(hostile_corpus_db)
    grouped = [f for f in families if len(f) > 1]
    assert grouped  # the sample corpus has wire copies
    for family in families:
        (story,) = {links[a][0] for a in family}  # a family never spans stories
        assert any(family <= stored for stored in by_story[story])
    copies = {a: original for a, (_, original) in links.items() if original}
    assert copies  # near-duplicates share their original's family, as in story summaries
    for article, original in copies.items():
        assert any({article, original} <= family for family in families)


def test_stories_stored_without_families_are_compared_again(
    hostile_corpus_db: Path, tmp_path: Path
) -> None:
    db = tmp_path / "old.db"
    shutil.copy(hostile_corpus_db, db)
    with sqlite3.connect(db) as conn:  # as written before families were stored
        conn.execute("UPDATE stories SET report = json_remove(report, '$.families')")
    settings = Settings().with_(db=str(db))
    with Store(db, readonly=True) as store:
        docs = _annotated(store)
        families = stored_families(store, docs, settings)
        assert set(families) == set(reused_families(docs, settings))
        page = stored_timeline(store, settings, query="strike")
    assert page.days and page.articles > 0
