"""Local engine vs Spark engine on synthetic corpora of 1k and 10k articles (100k: --large).

The corpora are recombined from the sample corpus's paragraphs (bench/corpus_gen.py,
``write_jsonl``; dated over one year). Each run is a fresh process writing a fresh SQLite
database; the Spark runs also write the Parquet tables. Peak memory is the largest sum of
resident memory over the run's whole process tree (driver, JVM, Python workers), sampled
every 0.2 s. Spark runs once with ``local[1]`` and once with ``local[2]`` (1 vs 2 executor
cores); the local engine runs with ``--workers`` processes (default 2).

    .venv/bin/python bench/spark_scale.py                 # 1k and 10k
    .venv/bin/python bench/spark_scale.py --sizes 1000    # 1k only
    .venv/bin/python bench/spark_scale.py --large         # adds 100k
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus_gen import write_jsonl

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable

SPARK_CHILD = """
import json, sys
from storyline.config import Settings
from storyline.spark.engine import run_spark
from storyline.spark.session import SparkOptions
corpus, db, out, master = sys.argv[1:5]
report = run_spark([corpus], Settings().with_(db=db), SparkOptions(master=master), out=out, db=db)
print(json.dumps({"articles": report.annotated, "stories": report.stories,
                  "duplicates": report.duplicates, "blocks": report.blocks,
                  "seconds": report.seconds}))
"""

LOCAL_CHILD = """
import json, sys, time
from storyline.config import Settings
from storyline.pipeline import run
corpus, db, workers = sys.argv[1], sys.argv[2], int(sys.argv[3])
report = run([corpus], Settings().with_(db=db, workers=workers))
print(json.dumps({"articles": report.annotated, "stories": report.stories,
                  "duplicates": report.duplicates}))
"""


@dataclass(frozen=True, slots=True)
class Measured:
    engine: str
    size: int
    seconds: float
    peak_mb: float
    result: dict[str, object]

    @property
    def throughput(self) -> float:
        return self.size / self.seconds if self.seconds else 0.0


def _tree_rss(root: int) -> int:
    """Resident bytes of ``root`` and all its descendants (from /proc)."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        pid, parent = int(entry), int(fields[1])
        children.setdefault(parent, []).append(pid)
        rss[pid] = int(fields[21]) * os.sysconf("SC_PAGE_SIZE")
    total, stack = 0, [root]
    while stack:
        pid = stack.pop()
        total += rss.get(pid, 0)
        stack.extend(children.get(pid, []))
    return total


def measure(engine: str, size: int, command: list[str]) -> Measured:
    """Run ``command``, sampling the process tree's memory; its last stdout line is JSON."""
    start = time.perf_counter()
    process = subprocess.Popen(
        command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, _tree_rss(process.pid))
            done.wait(0.2)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, err = process.communicate()
    seconds = time.perf_counter() - start
    done.set()
    sampler.join()
    if process.returncode != 0:
        raise SystemExit(f"{engine} failed on {size} articles:\n{err[-3000:]}")
    result = json.loads(out.strip().splitlines()[-1])
    return Measured(engine, size, seconds, peak / 2**20, result)


def run_size(size: int, work: Path, workers: int, masters: list[str]) -> list[Measured]:
    corpus = work / f"corpus-{size}"
    if not corpus.exists():
        write_jsonl(corpus, size)
    found: list[Measured] = []
    db = work / f"local-{size}.db"
    for stale in work.glob(f"local-{size}.db*"):
        stale.unlink()
    command = [PYTHON, "-c", LOCAL_CHILD, str(corpus), str(db), str(workers)]
    found.append(measure(f"local (workers={workers})", size, command))
    print_row(found[-1])
    for master in masters:
        tag = master.replace("[", "").replace("]", "")
        db = work / f"spark-{tag}-{size}.db"
        for stale in work.glob(f"spark-{tag}-{size}.db*"):
            stale.unlink()
        out = work / f"tables-{tag}-{size}"
        shutil.rmtree(out, ignore_errors=True)
        command = [PYTHON, "-c", SPARK_CHILD, str(corpus), str(db), str(out), master]
        found.append(measure(f"spark ({master})", size, command))
        print_row(found[-1])
    return found


def print_row(m: Measured) -> None:
    extra = m.result.get("seconds", "")
    print(
        f"| {m.size:>7,} | {m.engine:<22} | {m.seconds:8.1f} | {m.throughput:8.2f} | "
        f"{m.peak_mb:8.0f} | {m.result.get('stories')} | {m.result.get('duplicates')} | {extra}",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--large", action="store_true", help="also 100k articles")
    parser.add_argument("--workers", type=int, default=2, help="local engine processes")
    parser.add_argument("--masters", nargs="+", default=["local[1]", "local[2]"])
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "spark_scale")
    args = parser.parse_args()
    sizes = args.sizes + ([100_000] if args.large else [])
    args.work.mkdir(parents=True, exist_ok=True)
    print(f"dataset: bench/corpus_gen.py write_jsonl (seed 1) under {args.work}")
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at start")
    print("| articles | engine | wall s | articles/s | peak MB | stories | duplicates | steps |")
    print("| ---: | --- | ---: | ---: | ---: | ---: | ---: | --- |")
    for size in sizes:
        run_size(size, args.work, args.workers, args.masters)
    print(f"load average at end: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
