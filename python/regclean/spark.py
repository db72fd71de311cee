"""regclean on Apache Spark: the engine-free core on the partitions of a Spark DataFrame.

Each stage runs where Spark holds the rows. What a stage must know of the whole table first
is counted per partition (``Plan.tally`` in ``mapInArrow``), added up on the driver
(``add_tallies``: a few kilobytes a partition, whatever the rows) and decided once; the
decided plan is pickled to the executors with the function that uses it. The rows themselves
never go to the driver.

So far: ``normalise`` (ingest's row checks and every field cleaned, as the command line's
records.csv gives them) and ``merge`` (golden records of clusters, grouped by ``golden_id``
with ``applyInArrow``, as golden.csv gives them). Blocking, scoring, clustering and segments
follow (issue 28).
"""

from __future__ import annotations

from . import Plan, add_tallies


def plan_for(df, as_of: str, config: str = "", config_name: str = "regclean.toml", source: str = "table") -> Plan:
    """The plan for ``df`` decided on its whole table: one Spark job that counts each partition.

    ``source`` names the table as the command line names an input (its file name without the
    extension): it is part of each record's identity, which breaks ties in merge."""
    plan = Plan(df.columns, as_of, config, config_name, source)

    def count(batches):
        import pyarrow as pa

        for batch in batches:
            yield pa.RecordBatch.from_pydict({"tally": [plan.tally(batch)]})

    tallies = [row["tally"] for row in df.mapInArrow(count, "tally string").collect()]
    return plan.decide(add_tallies(tallies))


def normalise(df, as_of: str, config: str = "", config_name: str = "regclean.toml", plan: Plan | None = None):
    """``df`` with every row cleaned: its own columns, then ``row_status``, ``quarantine_reason``,
    ``entity_kind`` and ``clean_<field>``/``status_<field>`` of every field the table has.

    ``config`` is the text of a regclean.toml (the command line's), ``as_of`` the reference
    date as ``YYYY-MM-DD``. Give ``plan`` (from ``plan_for``) to skip the counting job.
    """
    from pyspark.sql.types import StringType, StructField, StructType

    decided = plan if plan is not None else plan_for(df, as_of, config, config_name)
    if not decided.decided:
        raise ValueError("the plan has not decided yet: use plan_for(df, ...) or Plan.decide")
    added = [StructField(name, StringType(), True) for name in decided.added_columns()]
    schema = StructType(list(df.schema.fields) + added)

    return df.mapInArrow(cleaner(decided), schema)


def cleaner(plan: Plan):
    """The function ``mapInArrow`` runs on each partition: every batch cleaned by ``plan``. It
    reads nothing but its batches and the plan, so a task Spark runs again gives the same rows."""

    def clean(batches):
        for batch in batches:
            yield plan.normalise(batch)

    return clean


def merge(df, plan: Plan, survivorship: str = "", stale: str = "", groups: int | None = None):
    """The golden records of ``df``: what ``normalise`` gave, plus a ``golden_id`` column naming
    each row's cluster. One row per golden record: ``golden_id``, ``member_count``, every field
    the table has, ``other_emails``, ``other_phones``, ``stale``, ``stale_reasons`` and the
    columns no field reads, as golden.csv gives them.

    ``survivorship`` and ``stale`` are the texts of a rules folder's survivorship.toml and
    stale.toml ("" for the built-in rules). The rows go to ``groups`` groups by a hash of their
    golden id (default: ``spark.sql.shuffle.partitions``), so every cluster is merged whole by
    one task, and each task merges its group's clusters in one call (a call per cluster would
    cost more than the merging).
    """
    from pyspark.sql import functions as F
    from pyspark.sql.types import LongType, StringType, StructField, StructType

    if not plan.decided:
        raise ValueError("the plan has not decided yet: use plan_for(df, ...) or Plan.decide")
    names = plan.golden_columns()
    schema = StructType(
        [StructField(n, LongType() if n == "member_count" else StringType(), False) for n in names]
    )
    if groups is None:
        groups = int(df.sparkSession.conf.get("spark.sql.shuffle.partitions"))
    group = "__regclean_group"

    def merge_group(table):
        import pyarrow as pa

        batches = table.drop_columns([group]).combine_chunks().to_batches()
        if not batches:
            empty = [(n, pa.int64() if n == "member_count" else pa.string()) for n in names]
            return pa.Table.from_batches([], schema=pa.schema(empty))
        return pa.Table.from_batches([plan.merge(batches[0], survivorship, stale)])

    grouped = df.withColumn(group, F.pmod(F.xxhash64("golden_id"), F.lit(max(groups, 1))))
    return grouped.groupBy(group).applyInArrow(merge_group, schema)
