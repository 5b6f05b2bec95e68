"""The database schema as numbered migrations; a database records which it has applied."""

from __future__ import annotations

import sqlite3

#: the body of the triggers that (re)write a stored story's row of the story list (see
#: storyline.store.story_list); ``sources`` is left for ``index_story``
_STORY_LIST_ROW = """
        DELETE FROM story_outlets WHERE story = new.id;
        INSERT INTO story_outlets(outlet, story)
        SELECT DISTINCT source, new.id FROM articles WHERE story = new.id AND source IS NOT NULL;
        DELETE FROM story_names WHERE story = new.id;
        INSERT INTO story_names(story, name)
        SELECT DISTINCT new.id, name FROM (
            SELECT json_extract(e.value, '$.name') AS name
            FROM json_each(new.report, '$.entities') e
            UNION ALL SELECT al.value FROM json_each(new.report, '$.entities') e,
                json_each(e.value, '$.aliases') al
        ) WHERE typeof(name) = 'text';
        DELETE FROM story_list WHERE id = new.id;
        INSERT INTO story_list(id, title, first_seen, last_seen, updated_at,
            articles, conflicts, outlets, per_day, sources, threshold)
        VALUES (
            new.id, new.title, new.first_seen, new.last_seen, new.updated_at,
            (SELECT COUNT(*) FROM articles WHERE story = new.id),
            coalesce(json_array_length(new.report, '$.conflicts'), 0),
            (SELECT json_group_array(source) FROM (SELECT DISTINCT source FROM articles
             WHERE story = new.id AND source IS NOT NULL ORDER BY source)),
            (SELECT json_group_array(json_array(day, n)) FROM (SELECT published AS day,
             COUNT(*) AS n FROM articles WHERE story = new.id AND date(published) = published
             GROUP BY published ORDER BY published)),
            NULL, NULL
        );
"""


#: the name an article is shown under: its outlet's (storyline.store.outlets), else its source
OUTLET_NAME = (
    "COALESCE((SELECT o.name FROM article_provenance p JOIN outlets o ON o.id = p.outlet"
    " WHERE p.article = a.id), a.source)"
)
_SHOWN_OUTLETS = f"SELECT DISTINCT {OUTLET_NAME} AS outlet FROM articles a WHERE a.story = new.id"
#: the story-list row with outlet names instead of raw sources (migration 10)
_STORY_LIST_ROW_OUTLETS = _STORY_LIST_ROW.replace(
    "SELECT DISTINCT source, new.id FROM articles WHERE story = new.id AND source IS NOT NULL;",
    f"SELECT outlet, new.id FROM ({_SHOWN_OUTLETS}) WHERE outlet IS NOT NULL;",
).replace(
    """(SELECT json_group_array(source) FROM (SELECT DISTINCT source FROM articles
             WHERE story = new.id AND source IS NOT NULL ORDER BY source)),""",
    f"""(SELECT json_group_array(outlet) FROM (SELECT outlet FROM ({_SHOWN_OUTLETS})
             WHERE outlet IS NOT NULL ORDER BY outlet)),""",
)
assert _STORY_LIST_ROW_OUTLETS.count(OUTLET_NAME) == 2, "the story-list row changed shape"


def _counted(row: str, sign: str) -> str:
    """Trigger statements that count ``row`` (new or old) in or out of the articles per
    publication day and per outlet (no conflict clause: a trigger's would be overridden by
    the one of the statement that fires it, e.g. ``INSERT OR IGNORE``)."""
    parts = []
    for table, key, value, when in (
        ("article_days", "day", f"{row}.published", f"length({row}.published) = 10"),
        ("article_outlets", "outlet", f"{row}.source", f"{row}.source IS NOT NULL"),
    ):
        parts.append(
            f"INSERT INTO {table}({key}, articles) SELECT {value}, 0 WHERE {when}"
            f" AND NOT EXISTS (SELECT 1 FROM {table} WHERE {key} = {value});"
            f" UPDATE {table} SET articles = articles {sign} 1 WHERE {key} = {value};"
        )
    return " ".join(parts)


MIGRATIONS: tuple[str, ...] = (
    # 1: articles, where they were read from, sentences, full-text search, runs
    """
    CREATE TABLE articles (
        id TEXT PRIMARY KEY,
        path TEXT, entry INTEGER, source TEXT, title TEXT, url TEXT,
        published TEXT, published_inferred INTEGER NOT NULL DEFAULT 0,
        language TEXT, text TEXT NOT NULL,
        ingested_at TEXT NOT NULL,
        annotated INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX articles_published ON articles(published);
    CREATE INDEX articles_annotated ON articles(annotated);
    CREATE TABLE locations (
        path TEXT NOT NULL, entry INTEGER NOT NULL DEFAULT -1,
        article TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        PRIMARY KEY (path, entry)
    );
    CREATE TABLE sentences (
        article TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        "index" INTEGER NOT NULL, start INTEGER NOT NULL, "end" INTEGER NOT NULL,
        paragraph INTEGER NOT NULL,
        PRIMARY KEY (article, "index")
    ) WITHOUT ROWID;
    CREATE VIRTUAL TABLE articles_fts USING fts5(
        title, text, content='articles', content_rowid='rowid', tokenize='porter unicode61'
    );
    CREATE TRIGGER articles_ai AFTER INSERT ON articles BEGIN
        INSERT INTO articles_fts(rowid, title, text) VALUES (new.rowid, new.title, new.text);
    END;
    CREATE TRIGGER articles_ad AFTER DELETE ON articles BEGIN
        INSERT INTO articles_fts(articles_fts, rowid, title, text)
        VALUES ('delete', old.rowid, old.title, old.text);
    END;
    CREATE TRIGGER articles_au AFTER UPDATE OF title, text ON articles BEGIN
        INSERT INTO articles_fts(articles_fts, rowid, title, text)
        VALUES ('delete', old.rowid, old.title, old.text);
        INSERT INTO articles_fts(rowid, title, text) VALUES (new.rowid, new.title, new.text);
    END;
    CREATE TABLE runs (
        id INTEGER PRIMARY KEY, started TEXT NOT NULL, finished TEXT,
        added INTEGER NOT NULL DEFAULT 0, already INTEGER NOT NULL DEFAULT 0,
        skipped INTEGER NOT NULL DEFAULT 0
    );
    CREATE TABLE skipped (
        run INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        path TEXT NOT NULL, reason TEXT NOT NULL
    );
    """,
    # 2: per-article annotations
    """
    CREATE TABLE mentions (
        article TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        sentence INTEGER NOT NULL, start INTEGER NOT NULL, "end" INTEGER NOT NULL,
        text TEXT NOT NULL, label TEXT NOT NULL, role TEXT
    );
    CREATE INDEX mentions_article ON mentions(article);
    CREATE INDEX mentions_text ON mentions(text);
    CREATE TABLE timexes (
        article TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        sentence INTEGER NOT NULL, start INTEGER NOT NULL, "end" INTEGER NOT NULL,
        text TEXT NOT NULL, type TEXT NOT NULL, value TEXT, mod TEXT, anchor TEXT
    );
    CREATE INDEX timexes_article ON timexes(article);
    CREATE TABLE quotes (
        article TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        sentence INTEGER NOT NULL, start INTEGER NOT NULL, "end" INTEGER NOT NULL,
        text TEXT NOT NULL, speaker TEXT, cue TEXT, direct INTEGER NOT NULL,
        speaker_start INTEGER, speaker_end INTEGER
    );
    CREATE INDEX quotes_article ON quotes(article);
    CREATE TABLE claims (
        article TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        sentence INTEGER NOT NULL, start INTEGER NOT NULL, "end" INTEGER NOT NULL,
        subject TEXT NOT NULL, predicate TEXT NOT NULL, value REAL NOT NULL, unit TEXT,
        text TEXT NOT NULL, qualifier TEXT
    );
    CREATE INDEX claims_article ON claims(article);
    """,
    # 3: cross-article results: duplicates, stories and their reports
    """
    ALTER TABLE articles ADD COLUMN story TEXT;
    ALTER TABLE articles ADD COLUMN duplicate_of TEXT;
    CREATE INDEX articles_story ON articles(story);
    CREATE TABLE stories (
        id TEXT PRIMARY KEY, title TEXT NOT NULL,
        first_seen TEXT, last_seen TEXT,
        report TEXT NOT NULL, updated_at TEXT NOT NULL
    );
    """,
    # 4: link state, so a run links only what is new (see storyline.link.state)
    """
    CREATE TABLE link_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
    CREATE TABLE link_articles (
        article TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
        seq INTEGER NOT NULL UNIQUE, digest TEXT NOT NULL, minhash BLOB
    ) WITHOUT ROWID;
    CREATE INDEX link_articles_digest ON link_articles(digest);
    CREATE TABLE dedup_bands (
        band INTEGER NOT NULL, key INTEGER NOT NULL, article TEXT NOT NULL,
        PRIMARY KEY (band, key, article)
    ) WITHOUT ROWID;
    CREATE TABLE vocabulary (
        kind INTEGER NOT NULL, key TEXT NOT NULL, df INTEGER NOT NULL,
        PRIMARY KEY (kind, key)
    ) WITHOUT ROWID;
    CREATE TABLE postings (key TEXT PRIMARY KEY, stories TEXT NOT NULL) WITHOUT ROWID;
    CREATE TABLE link_stories (
        id TEXT PRIMARY KEY, founded INTEGER NOT NULL, first_seen TEXT, last_seen TEXT,
        archived INTEGER NOT NULL DEFAULT 0, title TEXT NOT NULL, state TEXT NOT NULL
    ) WITHOUT ROWID;
    CREATE INDEX link_stories_live ON link_stories(archived, last_seen);
    CREATE TABLE stale_stories (id TEXT PRIMARY KEY, since TEXT NOT NULL) WITHOUT ROWID;
    CREATE TABLE corrections (
        id INTEGER PRIMARY KEY, kind TEXT NOT NULL, story TEXT, article TEXT, other TEXT,
        note TEXT, at TEXT NOT NULL, undone_at TEXT
    );
    CREATE TABLE story_alias (id TEXT PRIMARY KEY, target TEXT NOT NULL) WITHOUT ROWID;
    CREATE TABLE story_changes (
        id INTEGER PRIMARY KEY, story TEXT NOT NULL, kind TEXT NOT NULL,
        article TEXT, other TEXT, at TEXT NOT NULL,
        score REAL, detail TEXT
    );
    CREATE INDEX story_changes_article ON story_changes(article);
    CREATE INDEX story_changes_story ON story_changes(story);
    ALTER TABLE stories ADD COLUMN articles INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE stories ADD COLUMN sources INTEGER NOT NULL DEFAULT 0;
    CREATE INDEX stories_last_seen ON stories(last_seen DESC, id);
    ALTER TABLE articles ADD COLUMN link_story TEXT;
    CREATE INDEX articles_link_story ON articles(link_story);
    ALTER TABLE articles ADD COLUMN link_seq INTEGER;
    ALTER TABLE articles ADD COLUMN linked INTEGER NOT NULL DEFAULT 0;
    CREATE INDEX articles_unlinked ON articles(linked) WHERE linked = 0;
    CREATE INDEX articles_link_seq ON articles(link_seq);
    CREATE INDEX articles_duplicates ON articles(duplicate_of) WHERE duplicate_of IS NOT NULL;
    UPDATE articles SET story = NULL, duplicate_of = NULL;
    DELETE FROM stories;
    CREATE TABLE input_files (
        path TEXT PRIMARY KEY, size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL,
        checked_at TEXT NOT NULL
    ) WITHOUT ROWID;
    """,
    # 5: annotation failures (poison pills: not pending again until `storyline retry` or a new
    # annotation version) and warnings of the limits that cut what was analysed
    """
    ALTER TABLE articles ADD COLUMN annotate_error TEXT;
    ALTER TABLE articles ADD COLUMN annotate_failed_at TEXT;
    ALTER TABLE articles ADD COLUMN annotate_failed_version INTEGER;
    ALTER TABLE articles ADD COLUMN annotate_warning TEXT;
    CREATE INDEX articles_failed ON articles(annotate_error) WHERE annotate_error IS NOT NULL;
    """,
    # 6: live sources (`storyline watch`, storyline.store.sources): each source's state, the
    # entries and pages seen, article versions (an updated entry links to the old one), polls
    """
    CREATE TABLE sources (
        url TEXT PRIMARY KEY, kind TEXT NOT NULL, title TEXT, listed_in TEXT,
        last_poll TEXT, last_success TEXT, last_status INTEGER,
        last_error TEXT, last_error_at TEXT, failures INTEGER NOT NULL DEFAULT 0,
        not_before TEXT, etag TEXT, last_modified TEXT,
        articles_added INTEGER NOT NULL DEFAULT 0, polls INTEGER NOT NULL DEFAULT 0
    ) WITHOUT ROWID;
    CREATE TABLE source_entries (
        source TEXT NOT NULL REFERENCES sources(url) ON DELETE CASCADE,
        key TEXT NOT NULL, digest TEXT NOT NULL, state TEXT NOT NULL,
        article TEXT REFERENCES articles(id) ON DELETE SET NULL,
        page TEXT, title TEXT, outlet TEXT, published TEXT, reason TEXT,
        attempts INTEGER NOT NULL DEFAULT 0, seen_at TEXT NOT NULL,
        PRIMARY KEY (source, key)
    ) WITHOUT ROWID;
    CREATE INDEX source_entries_state ON source_entries(source, state);
    CREATE TABLE pages (
        url TEXT PRIMARY KEY,
        article TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        fetched_at TEXT NOT NULL
    ) WITHOUT ROWID;
    CREATE TABLE article_versions (
        article TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
        previous TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        source TEXT NOT NULL, entry TEXT NOT NULL, recorded_at TEXT NOT NULL
    ) WITHOUT ROWID;
    CREATE INDEX article_versions_previous ON article_versions(previous);
    CREATE TABLE polls (
        id INTEGER PRIMARY KEY, started TEXT NOT NULL, finished TEXT,
        sources INTEGER NOT NULL DEFAULT 0, failed INTEGER NOT NULL DEFAULT 0,
        added INTEGER NOT NULL DEFAULT 0, requests INTEGER NOT NULL DEFAULT 0,
        bytes INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX articles_url ON articles(url);
    """,
    # 7: the story list precomputed when a story is stored (storyline.store.story_list): a small
    # row per story, the outlet and entity-name indexes of its filters, articles per day and
    # per outlet; triggers keep them in step with `stories` and `articles` for every writer;
    # existing rows are filled here (stories by a no-op update)
    f"""
    CREATE TABLE story_list (
        id TEXT PRIMARY KEY, title TEXT NOT NULL, first_seen TEXT, last_seen TEXT,
        updated_at TEXT NOT NULL, articles INTEGER NOT NULL, conflicts INTEGER NOT NULL,
        outlets TEXT NOT NULL, per_day TEXT NOT NULL, sources INTEGER, threshold REAL
    ) WITHOUT ROWID;
    CREATE INDEX story_list_recent ON story_list(last_seen DESC, id);
    CREATE INDEX story_list_first_seen ON story_list(first_seen);
    CREATE TABLE story_outlets (
        outlet TEXT NOT NULL, story TEXT NOT NULL, PRIMARY KEY (outlet, story)
    ) WITHOUT ROWID;
    CREATE INDEX story_outlets_story ON story_outlets(story);
    CREATE TABLE story_names (id INTEGER PRIMARY KEY, story TEXT NOT NULL, name TEXT NOT NULL);
    CREATE INDEX story_names_story ON story_names(story);
    CREATE VIRTUAL TABLE story_names_fts USING fts5(
        name, content='story_names', content_rowid='id', tokenize='trigram'
    );
    CREATE TRIGGER story_names_ai AFTER INSERT ON story_names BEGIN
        INSERT INTO story_names_fts(rowid, name) VALUES (new.id, new.name);
    END;
    CREATE TRIGGER story_names_ad AFTER DELETE ON story_names BEGIN
        INSERT INTO story_names_fts(story_names_fts, rowid, name)
        VALUES ('delete', old.id, old.name);
    END;
    CREATE TRIGGER stories_list_ai AFTER INSERT ON stories BEGIN {_STORY_LIST_ROW} END;
    CREATE TRIGGER stories_list_au AFTER UPDATE ON stories BEGIN {_STORY_LIST_ROW} END;
    CREATE TRIGGER stories_list_ad AFTER DELETE ON stories BEGIN
        DELETE FROM story_list WHERE id = old.id;
        DELETE FROM story_outlets WHERE story = old.id;
        DELETE FROM story_names WHERE story = old.id;
    END;
    UPDATE stories SET title = title;
    CREATE TABLE article_days (day TEXT PRIMARY KEY, articles INTEGER NOT NULL) WITHOUT ROWID;
    CREATE TABLE article_outlets (
        outlet TEXT PRIMARY KEY, articles INTEGER NOT NULL
    ) WITHOUT ROWID;
    INSERT INTO article_days(day, articles)
    SELECT published, COUNT(*) FROM articles WHERE length(published) = 10 GROUP BY published;
    INSERT INTO article_outlets(outlet, articles)
    SELECT source, COUNT(*) FROM articles WHERE source IS NOT NULL GROUP BY source;
    CREATE TRIGGER articles_counts_ai AFTER INSERT ON articles BEGIN {_counted("new", "+")} END;
    CREATE TRIGGER articles_counts_ad AFTER DELETE ON articles BEGIN {_counted("old", "-")} END;
    CREATE TRIGGER articles_counts_au AFTER UPDATE OF published, source ON articles BEGIN
        {_counted("old", "-")} {_counted("new", "+")}
    END;
    """,
    # 8: outlet identity (storyline.store.outlets): one record per publisher, the keys it is known
    # by (registered domain, normalised name), and per article its outlet and agency credits
    """
    CREATE TABLE outlets (
        id TEXT PRIMARY KEY, name TEXT NOT NULL, domain TEXT,
        renamed INTEGER NOT NULL DEFAULT 0, created_at TEXT NOT NULL
    ) WITHOUT ROWID;
    CREATE TABLE outlet_keys (
        key TEXT PRIMARY KEY, outlet TEXT NOT NULL REFERENCES outlets(id) ON DELETE CASCADE
    ) WITHOUT ROWID;
    CREATE INDEX outlet_keys_outlet ON outlet_keys(outlet);
    CREATE TABLE article_provenance (
        article TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
        outlet TEXT REFERENCES outlets(id) ON DELETE SET NULL,
        credits TEXT NOT NULL, version INTEGER NOT NULL
    ) WITHOUT ROWID;
    CREATE INDEX article_provenance_outlet ON article_provenance(outlet);
    """,
    # 9: the publication time when the source gives one (UTC, to the minute: first reporter)
    """
    ALTER TABLE articles ADD COLUMN published_at TEXT;
    """,
    # 10: the story list and its outlet filter name outlets (one per publisher), not sources
    f"""
    DROP TRIGGER stories_list_ai;
    DROP TRIGGER stories_list_au;
    CREATE TRIGGER stories_list_ai AFTER INSERT ON stories BEGIN {_STORY_LIST_ROW_OUTLETS} END;
    CREATE TRIGGER stories_list_au AFTER UPDATE ON stories BEGIN {_STORY_LIST_ROW_OUTLETS} END;
    UPDATE stories SET title = title;
    """,
)


def _split_sql(script: str) -> list[str]:
    """Statements of a migration script (trigger bodies keep their inner semicolons)."""
    statements: list[str] = []
    buffer = ""
    for line in script.splitlines(keepends=True):
        buffer += line
        if sqlite3.complete_statement(buffer):
            statements.append(buffer)
            buffer = ""
    return statements
