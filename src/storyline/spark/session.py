"""Starting (or reusing) the SparkSession the Spark engine runs on.

Needs: pyspark (the extra ``storyline[spark]``) and a Java runtime. Adds: a session whose
Python workers use the same interpreter as the driver unless ``PYSPARK_PYTHON`` says
otherwise (on a cluster, a packed virtualenv shipped with ``--archives``).
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from storyline.errors import MissingDependencyError

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

#: the default block of the clustering job, in days: a corpus spanning fewer days than this
#: is clustered as one stream, exactly like the local engine
DEFAULT_BLOCK_DAYS = 30


@dataclass(frozen=True, slots=True)
class SparkOptions:
    """How the Spark engine runs (the analysis itself follows ``Settings``).

    ``master`` is passed to the session builder (``local[2]``, ``spark://host:7077``,
    ``yarn``); None keeps what ``spark-submit`` configured. ``block_days`` is the length of
    a time block of the clustering job (blocks overlap by ``cluster_window_days``).
    ``partitions`` is the number of partitions of the article data (None: Spark's default
    parallelism). ``conf`` holds extra Spark configuration keys.
    """

    master: str | None = "local[*]"
    app_name: str = "storyline"
    block_days: int = DEFAULT_BLOCK_DAYS
    partitions: int | None = None
    conf: dict[str, str] = field(default_factory=dict)


def require_pyspark() -> None:
    """Raise MissingDependencyError when pyspark cannot be imported."""
    try:
        import pyspark  # noqa: F401
    except ImportError as exc:
        raise MissingDependencyError("pyspark", "spark") from exc


def get_session(options: SparkOptions) -> SparkSession:
    """The active SparkSession, or a new one configured from ``options``."""
    require_pyspark()
    from pyspark.sql import SparkSession

    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    builder = SparkSession.builder.appName(options.app_name)
    if options.master is not None:
        builder = builder.master(options.master)
    defaults = {
        "spark.ui.showConsoleProgress": "false",
        "spark.sql.session.timeZone": "UTC",
        "spark.python.worker.reuse": "true",  # keeps the spaCy pipeline loaded across tasks
    }
    for key, value in {**defaults, **options.conf}.items():
        builder = builder.config(key, value)
    session = builder.getOrCreate()
    session.sparkContext.setLogLevel("ERROR")
    return session
