"""Load benchmark of the web UI: bounded concurrent requests against 127.0.0.1 while another
process adds articles to the same database.

    .venv/bin/python bench/incremental.py --sizes 100000 --build-only   # the 100k archive
    .venv/bin/python bench/web_load.py --archive 100000                 # load it
    .venv/bin/python bench/web_load.py --n 10000            # build a 10,000-article db, then load
    .venv/bin/python bench/web_load.py --db some.db         # load an existing database

The database: with --archive N, a copy of bench/incremental.py's archive of N articles
(bench/archive.py says how it is built), so the archive stays as built; with --db an existing
database; otherwise one built from bench/corpus_gen.py's synthetic articles with
storyline.pipeline.run. The script starts `storyline serve` in a subprocess and, for the
whole load, a writer in other processes: `storyline run` (default; ``--writer ingest`` for
`storyline ingest`) of fresh batches of --ingest-n articles one after another (with
--archive: new articles dated after the archive's last day, half of them continuing its
last stories, so each run annotates, links and re-synthesizes stories while the UI serves).
It sends --requests requests (story list, story list with an outlet, entity or date filter,
story page, search, article page, JSON API) with at most --concurrency in flight, and prints
requests/second and p50/p95/p99 latency per endpoint and overall. Any response other than
200 is an error: the script prints them and exits 1.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))

import archive
from corpus_gen import write_jsonl

WORDS = ("Halvergate", "Kelmir", "Fenwick", "Raman", "earthquake", "recount", "ferries",
         "strike", "dam", "\"port authority\"", "Dravan", "union")  # fmt: skip


@dataclass
class Timings:
    latencies: dict[str, list[float]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered)) - 1))]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def build(db: Path, n: int, work: Path) -> float:
    from storyline.config import Settings
    from storyline.pipeline import run

    start = time.perf_counter()
    folder = write_jsonl(work / f"corpus-{n}", n, seed=1)
    report = run([folder], Settings().with_(db=str(db)))
    seconds = time.perf_counter() - start
    print(f"built {db}: {report.annotated} articles annotated, {report.stories} stories "
          f"in {seconds:.0f} s")  # fmt: skip
    return seconds


def corpus_batches(work: Path) -> Callable[[int, int], Path]:
    """Batches of bench/corpus_gen.py's synthetic articles (dated in 2024)."""

    def make(number: int, count: int) -> Path:
        seed = time.time_ns() % 1_000_000
        return write_jsonl(work / f"batch-{seed}", count, seed=seed)

    return make


def copy_archive(n: int, archives: Path, db: Path, work: Path) -> Callable[[int, int], Path]:
    """Copy the archive of ``n`` articles to ``db``; batches of new articles dated after it."""
    source, meta = archives / f"archive-{n}.db", archives / f"archive-{n}.json"
    if not meta.exists():
        raise SystemExit(f"no archive of {n}: run bench/incremental.py --sizes {n} --build-only")
    for stale in (db, Path(f"{db}-wal"), Path(f"{db}-shm")):
        stale.unlink(missing_ok=True)
    shutil.copyfile(source, db)
    from storyline.store import Store

    Store(db).close()  # apply any migration newer than the archive (the server only reads)
    found = archive.units()
    planned = archive.plan(found, n, json.loads(meta.read_text())["seed"])

    def make(number: int, count: int) -> Path:
        items = archive.new_articles(found, planned, count, seed=1000 + number)
        path = work / f"batch-{number}" / "new.jsonl"
        return archive.write_jsonl(found, items, path).parent

    return make


def targets(db: Path, rng: random.Random, count: int) -> list[tuple[str, str]]:
    """(endpoint name, path) pairs: a fixed mix over the stored stories and articles."""
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        stories = [r[0] for r in conn.execute("SELECT id FROM stories")]
        articles = [r[0] for r in conn.execute("SELECT id FROM articles WHERE story IS NOT NULL")]
        outlets = [r[0] for r in conn.execute("SELECT DISTINCT source FROM articles LIMIT 100")]
        names = [r[0] for r in conn.execute(
            "SELECT name FROM story_names WHERE length(name) >= 4 ORDER BY random() LIMIT 200"
        )] or ["Kelmir"]  # fmt: skip
        days = [r[0] for r in conn.execute(
            "SELECT last_seen FROM stories WHERE last_seen IS NOT NULL ORDER BY random() LIMIT 50"
        )] or ["2024-01-01"]  # fmt: skip
    if not stories:
        raise SystemExit(f"{db} has no stories: run the pipeline first")
    pages = max(1, len(stories) // 50)

    def filtered() -> str:
        kind = rng.randrange(3)
        if kind == 0:
            return "/?" + urlencode({"outlet": rng.choice(outlets)})
        if kind == 1:
            return "/?" + urlencode({"entity": rng.choice(names)})
        return "/?" + urlencode({"since": rng.choice(days)})

    mix = [
        ("story list", lambda: f"/?page={rng.randint(1, min(pages, 5))}"),
        ("filtered list", filtered),
        ("story page", lambda: f"/stories/{rng.choice(stories)}"),
        ("search page", lambda: f"/?q={rng.choice(WORDS)}"),
        ("article page", lambda: f"/articles/{rng.choice(articles)}?s={rng.randint(0, 5)}"),
        ("api story", lambda: f"/api/stories/{rng.choice(stories)}"),
        ("api stories", lambda: "/api/stories?per_page=20"),
        ("api search", lambda: f"/api/search?q={rng.choice(WORDS)}"),
    ]
    return [(name, make()) for name, make in (mix[i % len(mix)] for i in range(count))]


async def load(base: str, plan: list[tuple[str, str]], concurrency: int) -> Timings:
    timings = Timings()
    gate = asyncio.Semaphore(concurrency)
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=base, timeout=120, limits=limits) as client:

        async def one(name: str, path: str) -> None:
            async with gate:
                start = time.perf_counter()
                try:
                    response = await client.get(path)
                    status = str(response.status_code)
                except httpx.HTTPError as exc:
                    status = f"{type(exc).__name__}: {exc}"
                timings.latencies.setdefault(name, []).append(time.perf_counter() - start)
                if status != "200":
                    timings.errors.append(f"{status} {path}")

        await asyncio.gather(*(one(name, path) for name, path in plan))
    return timings


def wait_ready(base: str, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit("the server exited early")
        try:
            if httpx.get(base + "/api/stories?per_page=1", timeout=5).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise SystemExit("the server did not answer within 60 s")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", type=Path, help="existing database (default: build one)")
    parser.add_argument("--archive", type=int, help="load a copy of bench/incremental.py's "
                        "archive of this many articles")  # fmt: skip
    parser.add_argument("--archives", type=Path, default=Path("/tmp/storyline-incremental"),
                        help="where bench/incremental.py keeps its archives")  # fmt: skip
    parser.add_argument("--writer", choices=("run", "ingest"), default="run",
                        help="the command that adds articles during the load")  # fmt: skip
    parser.add_argument("--n", type=int, default=10_000, help="articles to build the db from")
    parser.add_argument("--work", type=Path, default=Path("/tmp/storyline-web-load"))
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--ingest-n", type=int, default=50, help="articles per writer batch")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--server-workers", type=int, default=1,
                        help="`storyline serve --workers`: server processes")  # fmt: skip
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    db = args.db or args.work / f"web-{args.archive or args.n}.db"
    make_batch = corpus_batches(args.work)
    if args.archive:
        make_batch = copy_archive(args.archive, args.archives, db, args.work)
    elif not db.exists():
        build(db, args.n, args.work)
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        n_articles = conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
        n_stories = conn.execute("SELECT COUNT(*) FROM stories").fetchone()[0]
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    cli = [sys.executable, "-m", "storyline"]
    server = subprocess.Popen([*cli, "serve", "--db", str(db), "--port", str(port),
                               "--workers", str(args.server_workers)])  # fmt: skip
    stop = threading.Event()
    batches: list[float] = []  # seconds of each finished writer run
    failures: list[str] = []

    def keep_writing() -> None:
        """`storyline run` (or ingest) of fresh batches, one process after another, until
        stopped."""
        number = 0
        while not stop.is_set():
            number += 1
            folder = make_batch(number, args.ingest_n)
            started = time.perf_counter()
            done = subprocess.run([*cli, args.writer, str(folder), "--db", str(db)],
                                  stdout=subprocess.DEVNULL)  # fmt: skip
            if done.returncode != 0:
                failures.append(f"storyline {args.writer} exited with {done.returncode}")
                return
            batches.append(time.perf_counter() - started)

    writer = threading.Thread(target=keep_writing, daemon=True)
    try:
        wait_ready(base, server)
        plan = targets(db, random.Random(args.seed), args.requests)
        writer.start()
        time.sleep(1.0)  # let the writer start its transactions
        start = time.perf_counter()
        timings = asyncio.run(load(base, plan, args.concurrency))
        seconds = time.perf_counter() - start
    finally:
        stop.set()
        server.terminate()
        server.wait(10)
        if writer.is_alive():
            writer.join()
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        after = conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
    mean = statistics.mean(batches) if batches else 0.0
    print(
        f"dataset: {db} ({n_articles:,} articles, {n_stories:,} stories); meanwhile "
        f"`storyline {args.writer}` ran without pause ({len(batches)} batches of "
        f"{args.ingest_n} finished, {mean:.1f} s each; {after - n_articles} articles added)"
    )
    print(f"command: {' '.join(sys.argv)}")
    print(f"{args.requests} requests, {args.concurrency} concurrent, {seconds:.1f} s, "
          f"{args.requests / seconds:.1f} req/s; server processes: {args.server_workers}; "
          f"cores: {os.cpu_count()} shared")  # fmt: skip
    header = f"{'endpoint':<14}{'requests':>9}{'req/s':>9}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}"
    print(header)
    rows = [*sorted(timings.latencies.items()),
            ("overall", [x for v in timings.latencies.values() for x in v])]  # fmt: skip
    for name, values in rows:
        ms = [v * 1000 for v in values]
        share = len(values) / seconds
        print(
            f"{name:<14}{len(values):>9}{share:>9.1f}{statistics.median(ms):>9.1f}"
            f"{percentile(ms, 95):>9.1f}{percentile(ms, 99):>9.1f}"
        )
    if failures:
        print(f"FAILED: {failures[0]} (the ingest must run throughout the load)", file=sys.stderr)
        return 1
    if timings.errors:
        print(f"FAILED: {len(timings.errors)} responses were not 200, e.g.:", file=sys.stderr)
        for error in timings.errors[:20]:
            print("  " + error, file=sys.stderr)
        return 1
    print("errors: 0")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
