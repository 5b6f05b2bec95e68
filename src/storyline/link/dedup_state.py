"""The near-duplicate index kept in SQLite: each article's MinHash and digest in
``link_articles``, its LSH band keys in ``dedup_bands``. Adding an article queries the
bands of that article only, so the cost does not grow with the archive.

The bands are the ones datasketch's ``MinHashLSH`` would use for the same threshold and
weights; a band is stored as a 64-bit hash of its values (a collision only adds a
candidate, and every candidate is checked against ``dedup_threshold``).
"""

from __future__ import annotations

import hashlib
import sqlite3

import numpy as np
from datasketch import MinHash

from storyline.config import Settings
from storyline.link.dedup import NearDuplicateIndex


def band_keys(minhash: MinHash, bands: int, rows: int) -> list[tuple[int, int]]:
    """(band, key) of each LSH band of ``minhash``."""
    values = np.asarray(minhash.hashvalues, dtype=np.uint64)
    keys = []
    for band in range(bands):
        chunk = values[band * rows : (band + 1) * rows].tobytes()
        digest = hashlib.blake2b(chunk, digest_size=8).digest()
        keys.append((band, int.from_bytes(digest, "big", signed=True)))
    return keys


class StoredDuplicateIndex(NearDuplicateIndex):
    """A ``NearDuplicateIndex`` over the store's link tables. Rows are written in the
    caller's transaction as articles are added; ``assign`` gives each new article its
    stream position first."""

    def __init__(self, db: sqlite3.Connection, settings: Settings) -> None:
        super().__init__(settings)
        self.db = db
        self._bands, self._rows = self._lsh.b, self._lsh.r
        self._seq: dict[str, int] = {}
        self._scheme = self.minhash("")[0].scheme  # the one new MinHashes use

    def assign(self, article_id: str, seq: int) -> None:
        self._seq[article_id] = seq

    def __contains__(self, article_id: object) -> bool:
        if article_id in self._order:
            return True
        row = self.db.execute("SELECT 1 FROM link_articles WHERE article = ?", (article_id,))
        return row.fetchone() is not None

    def _root(self, article_id: str) -> str:
        if article_id in self._original:
            return self._original[article_id]
        row = self.db.execute("SELECT duplicate_of FROM articles WHERE id = ?", (article_id,))
        found = row.fetchone()
        return str(found[0]) if found and found[0] else article_id

    def _register(self, article_id: str, digest: str, minhash: MinHash) -> None:
        seq = self._seq[article_id]
        self._order[article_id] = seq
        self._hashes[article_id] = minhash
        blob = np.asarray(minhash.hashvalues, dtype=np.uint64).tobytes()
        self.db.execute(
            "INSERT OR REPLACE INTO link_articles(article, seq, digest, minhash) VALUES (?,?,?,?)",
            (article_id, seq, digest, blob),
        )

    def _exact_match(self, digest: str) -> str | None:
        row = self.db.execute(
            "SELECT article FROM link_articles WHERE digest = ? ORDER BY seq LIMIT 1", (digest,)
        ).fetchone()
        return None if row is None else str(row[0])

    def _remember_digest(self, digest: str, article_id: str) -> None:
        return None  # the digest is in link_articles already

    def _candidates(self, minhash: MinHash) -> list[str]:
        found: set[str] = set()
        for band, key in band_keys(minhash, self._bands, self._rows):
            rows = self.db.execute(
                "SELECT article FROM dedup_bands WHERE band = ? AND key = ?", (band, key)
            )
            found.update(r[0] for r in rows)
        return sorted(found)

    def _hash_of(self, article_id: str) -> MinHash:
        if article_id not in self._hashes:
            row = self.db.execute(
                "SELECT minhash FROM link_articles WHERE article = ?", (article_id,)
            ).fetchone()
            values = np.frombuffer(row[0], dtype=np.uint64)
            self._hashes[article_id] = MinHash(
                num_perm=self.settings.dedup_num_perm,
                seed=1,
                hashvalues=values,
                scheme=self._scheme,
            )
        return self._hashes[article_id]

    def _position(self, article_id: str) -> int:
        if article_id not in self._order:
            row = self.db.execute(
                "SELECT seq FROM link_articles WHERE article = ?", (article_id,)
            ).fetchone()
            self._order[article_id] = int(row[0])
        return self._order[article_id]

    def _insert(self, article_id: str, minhash: MinHash) -> None:
        self.db.executemany(
            "INSERT OR IGNORE INTO dedup_bands(band, key, article) VALUES (?,?,?)",
            [(band, key, article_id) for band, key in band_keys(minhash, self._bands, self._rows)],
        )

    def _link(self, article_id: str, original: str) -> None:
        self._original[article_id] = original

    def clear(self) -> None:
        """Forget the session's caches (after the caller committed)."""
        self._order.clear()
        self._hashes.clear()
        self._original.clear()
        self._seq.clear()
