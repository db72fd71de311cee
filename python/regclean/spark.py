"""regclean on Apache Spark: the engine-free core on the partitions of a Spark DataFrame.

Each stage runs where Spark holds the rows. What a stage must know of the whole table first
is counted per partition (``Plan.tally`` in ``mapInArrow``), added up on the driver
(``add_tallies``: a few kilobytes a partition, whatever the rows) and decided once; the
decided plan is pickled to the executors with the function that uses it. The rows themselves
never go to the driver.

So far: ``normalise`` (ingest's row checks and every field cleaned, as the command line's
records.csv gives them). Blocking, scoring, clustering, merge and segments follow (issue 28).
"""

from __future__ import annotations

from . import Plan, add_tallies


def plan_for(df, as_of: str, config: str = "", config_name: str = "regclean.toml") -> Plan:
    """The plan for ``df`` decided on its whole table: one Spark job that counts each partition."""
    plan = Plan(df.columns, as_of, config, config_name)

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
