"""The same stages on Apache Spark (extra ``storyline[spark]``); see ``engine.run_spark``.

Modules: ``session`` (SparkSession, options), ``read`` (inputs), ``records`` (what the
jobs pass around), ``dedup`` (MinHash LSH as banded signatures), ``blocks`` (clustering
per time block), ``synthesis`` (one task per story), ``output`` (Parquet, SQLite),
``engine`` (the run). Importing this package does not import pyspark.
"""
