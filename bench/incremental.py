"""What an incremental `storyline run` costs at 1k, 10k and 100k stored articles.

    .venv/bin/python bench/incremental.py                      # 1k, 10k, 100k (builds archives)
    .venv/bin/python bench/incremental.py --sizes 1000 --reuse # reuse archives built before

Archives: bench/archive.py (its docstring says exactly how they are built): all 772 real ECB+
development documents plus N - 772 articles recombined from examples/corpus paragraphs and
ECB+ sentences, at a constant ~40 articles a day (100k span ~6.7 years); every distinct
paragraph is parsed by spaCy once and the real annotation stages run on every article, then
``storyline rebuild`` builds the link state and every story report: that rebuild is (d).
Archives are kept in ``--work`` (default /tmp/storyline-incremental) and reused with
``--reuse`` (built again when the annotator changed since, rebuilt when the link settings
did); each measurement runs on a fresh copy of the archive.

Measured, each with the real CLI in a subprocess (``.venv/bin/storyline``), wall time and the
peak resident set size of the largest process of its tree (``ru_maxrss`` of RUSAGE_CHILDREN
in a fresh wrapper process per command):

* start-up: the faster of ``storyline --help`` and ``storyline settings`` (median of 3
  each), the floor of any command;
* (a) ``storyline run EMPTY_FOLDER``: nothing new (median of 3);
* (b) ``storyline run`` of a JSONL file of 10 new articles, (c) then of 100 more: new
  articles dated after the archive's last day (about half continue the stories of its last
  days), annotated by the real pipeline (spaCy), linked and their stories re-synthesized;
* (a') ``storyline run`` of the files of (b) and (c) again: everything already stored;
* (d) ``storyline rebuild`` of the archive (run once when the archive is built; again with
  ``--rebuild``).

Targets (issue 15): (a) within 1 s of the start-up time at every N; (b) at 100k at most 2x
its time at 1k; peak memory of (b) at 100k within 1.5x its value at 1k.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from archive import build, new_articles, plan, units, write_jsonl
from storyline.annotate.version import ANNOTATION_VERSION
from storyline.config import Settings

ROOT = Path(__file__).resolve().parents[1]
CLI = str(ROOT / ".venv" / "bin" / "storyline")
WRAPPER = """
import json, resource, subprocess, sys, time
start = time.perf_counter()
done = subprocess.run(sys.argv[1:], capture_output=True, text=True)
seconds = time.perf_counter() - start
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"seconds": seconds, "rss_kb": usage.ru_maxrss, "rc": done.returncode,
                  "cpu": usage.ru_utime + usage.ru_stime,
                  "stdout": done.stdout[:3000], "stderr": done.stderr[-3000:]}))
"""


def measure(*args: str) -> dict[str, Any]:
    """Wall and CPU seconds and peak RSS (MB) of one command, run by a fresh wrapper process
    (the CPU time of the command's process tree says what the wall time would be on an idle
    machine better than the wall time on a shared one)."""
    env = {"COLUMNS": "200", "PATH": "/usr/bin:/bin"}
    if "PYTHONPATH" in os.environ:  # measuring another checkout with this venv
        env["PYTHONPATH"] = os.environ["PYTHONPATH"]
    done = subprocess.run([sys.executable, "-c", WRAPPER, *args], capture_output=True,
                          text=True, check=True, env=env)  # fmt: skip
    result: dict[str, Any] = json.loads(done.stdout)
    result["mb"] = result["rss_kb"] / 1024
    if result["rc"] != 0:
        raise SystemExit(f"{' '.join(args)} failed ({result['rc']}):\n{result['stderr']}")
    return result


def median_of(times: int, *args: str) -> dict[str, Any]:
    runs = [measure(*args) for _ in range(times)]
    runs.sort(key=lambda r: r["seconds"])
    return runs[len(runs) // 2]


def summary_line(result: dict[str, Any]) -> str:
    lines = [x for x in result["stdout"].splitlines() if "stories" in x and "duplicates" in x]
    return lines[-1].strip() if lines else ""


def archive_stats(db: Path) -> dict[str, Any]:
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        articles = conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
        stories, biggest, mean = conn.execute(
            "SELECT COUNT(*), MAX(articles), AVG(articles) FROM stories"
        ).fetchone()
        dups = conn.execute("SELECT COUNT(*) FROM articles WHERE duplicate_of IS NOT NULL")
    return {"articles": articles, "stories": stories, "biggest": biggest,
            "mean": round(mean or 0, 1), "duplicates": dups.fetchone()[0]}  # fmt: skip


def annotated_below(db: Path, version: int) -> bool:
    """True when some article of ``db`` was annotated at an older version (a run would
    annotate it again, so the archive must be built again)."""
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        row = conn.execute("SELECT MIN(annotated) FROM articles").fetchone()
    return row[0] is not None and int(row[0]) < version


def link_state_stale(db: Path) -> bool:
    """True when the archive's link state was built with other result settings (or another
    link or annotation version) than the current defaults: a run would ask for a rebuild."""
    from storyline.link.incremental import fingerprint

    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        row = conn.execute("SELECT value FROM link_meta WHERE key = 'settings'").fetchone()
    wanted = json.loads(json.dumps(fingerprint(Settings())))
    return row is None or json.loads(row[0]) != wanted


def prepare(n: int, work: Path, reuse: bool, again: bool) -> dict[str, Any]:
    """The archive of ``n`` articles with its link state, built unless reused; its info
    includes the timing of the rebuild that built the link state, (d)."""
    db, meta = work / f"archive-{n}.db", work / f"archive-{n}.json"
    stale = reuse and db.exists() and annotated_below(db, ANNOTATION_VERSION)
    if stale:
        print(f"N={n:,}: {db} was annotated by an older annotator (version < "
              f"{ANNOTATION_VERSION}): building it again")  # fmt: skip
    if reuse and meta.exists() and db.exists() and not stale:
        info: dict[str, Any] = json.loads(meta.read_text())
        print(f"N={n:,}: reusing {db}")
    else:
        for stale in (db, meta, Path(f"{db}-wal"), Path(f"{db}-shm")):
            stale.unlink(missing_ok=True)
        print(f"N={n:,}: building {db}")
        info = build(db, n, Settings(), log=lambda line: print("  " + line, flush=True))
        meta.write_text(json.dumps(info, indent=1))
    if not again and "rebuild" in info and link_state_stale(db):
        print(f"  the link state of {db} was built with other link settings: rebuilding it")
        again = True
    if again or "rebuild" not in info:
        info["rebuild"] = measure(CLI, "rebuild", "--db", str(db))
        info["stats"] = archive_stats(db)
        meta.write_text(json.dumps(info, indent=1))
        print(f"  (d) rebuild {info['rebuild']['seconds']:.1f} s, "
              f"{info['rebuild']['mb']:.0f} MB: {summary_line(info['rebuild'])}")  # fmt: skip
    return info


def run_sizes(n: int, work: Path, info: dict[str, Any]) -> dict[str, Any]:
    """(a), (b), (c), (a') on a fresh copy of the archive of ``n``."""
    source, db = work / f"archive-{n}.db", work / f"run-{n}.db"
    for stale in (db, Path(f"{db}-wal"), Path(f"{db}-shm")):
        stale.unlink(missing_ok=True)
    shutil.copyfile(source, db)
    found = units()
    archive = plan(found, n, info["seed"])
    batches = work / f"new-{n}"
    shutil.rmtree(batches, ignore_errors=True)
    empty = batches / "empty"
    empty.mkdir(parents=True)
    b_file = write_jsonl(
        found, new_articles(found, archive, 10, seed=101), batches / "b" / "b.jsonl"
    )
    c_file = write_jsonl(
        found, new_articles(found, archive, 100, seed=202), batches / "c" / "c.jsonl"
    )
    starts = [median_of(3, CLI, "--help"), median_of(3, CLI, "settings")]
    out: dict[str, Any] = {"startup": min(starts, key=lambda r: r["seconds"])}
    print(f"  start-up: --help {starts[0]['seconds']:.2f} s, settings {starts[1]['seconds']:.2f} s")
    out["a"] = median_of(3, CLI, "run", str(empty), "--db", str(db))
    for key, path in (("b", b_file.parent), ("c", c_file.parent)):
        before = archive_stats(db)["articles"]
        out[key] = measure(CLI, "run", str(path), "--db", str(db))
        out[key]["added"] = archive_stats(db)["articles"] - before
    out["a2"] = median_of(3, CLI, "run", str(b_file.parent), str(c_file.parent), "--db", str(db))
    for key in ("a", "b", "c", "a2"):
        print(f"  ({key}) {out[key]['seconds']:.2f} s, cpu {out[key]['cpu']:.2f} s, "
              f"{out[key]['mb']:.0f} MB: "
              f"{summary_line(out[key])}")  # fmt: skip
    return out


def table(rows: list[tuple[int, dict[str, Any], dict[str, Any]]]) -> str:
    head = ("| archive | stories (largest) | CLI start-up | (a) nothing new | (b) +10 | (c) +100 "
            "| (a') re-run (b)+(c) files | (d) rebuild |")  # fmt: skip
    lines = [head, "|" + "---|" * 8]
    for _, info, got in rows:
        stats = info["stats"]
        up = got["startup"]
        cells = [f"{stats['articles']:,}", f"{stats['stories']:,} ({stats['biggest']})",
                 f"{up['seconds']:.2f} s (cpu {up['cpu']:.2f})"]  # fmt: skip
        for key in ("a", "b", "c", "a2"):
            r = got[key]
            cells.append(f"{r['seconds']:.2f} s (cpu {r['cpu']:.2f}), {r['mb']:.0f} MB")
        d = info["rebuild"]
        cells.append(f"{d['seconds']:.0f} s (cpu {d['cpu']:.0f}), {d['mb']:.0f} MB")
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def verdicts(rows: list[tuple[int, dict[str, Any], dict[str, Any]]]) -> list[str]:
    out = []
    for n, _, got in rows:
        extra = got["a"]["seconds"] - got["startup"]["seconds"]
        out.append(f"(a) at {n:,}: {extra:+.2f} s over start-up: "
                   f"{'met' if extra <= 1 else 'MISSED'} (target <= 1 s)")  # fmt: skip
    by_n = {n: got for n, _, got in rows}
    if 1000 in by_n and 100_000 in by_n:
        small, big = by_n[1000]["b"], by_n[100_000]["b"]
        ratio, mem = big["seconds"] / small["seconds"], big["mb"] / small["mb"]
        out.append(f"(b) time at 100k / 1k: {ratio:.2f}x: {'met' if ratio <= 2 else 'MISSED'}"
                   " (target <= 2x)")  # fmt: skip
        out.append(f"(b) peak memory at 100k / 1k: {mem:.2f}x: "
                   f"{'met' if mem <= 1.5 else 'MISSED'} (target <= 1.5x)")  # fmt: skip
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10_000, 100_000])
    parser.add_argument("--work", type=Path, default=Path("/tmp/storyline-incremental"))
    parser.add_argument("--reuse", action="store_true", help="reuse archives built before")
    parser.add_argument("--rebuild", action="store_true", help="measure (d) again on reuse")
    parser.add_argument("--build-only", action="store_true", help="build archives and stop")
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    rows = []
    for n in args.sizes:
        info = prepare(n, args.work, args.reuse, args.rebuild)
        if not args.build_only:
            rows.append((n, info, run_sizes(n, args.work, info)))
    if not rows:
        return 0
    started = time.strftime("%Y-%m-%d %H:%M")
    print(f"\ncommand: {' '.join(sys.argv)}  ({started}; 2 cores shared with other work)")
    print(table(rows))
    for line in verdicts(rows):
        print(line)
    print(f"start-up median {statistics.median(r[2]['startup']['seconds'] for r in rows):.2f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
