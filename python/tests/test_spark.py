"""regclean.spark in Spark local mode: a generated register cleaned on a DataFrame's partitions
gives what the command line's records.csv gives, its clusters merged by groups give golden.csv,
and a task that fails and is run again loses and doubles no row."""

from __future__ import annotations

from collections import Counter

from conftest import AS_OF, RULES

import regclean.spark


def read(spark, path, partitions=4):
    """The register as Spark reads a CSV export: every column text, in several partitions."""
    return (
        spark.read.option("header", True).option("multiLine", True).option("escape", '"').csv(str(path))
    ).repartition(partitions)


def keyed(rows, columns):
    return Counter(tuple((r[c] or "") for c in ["Record ID", *columns]) for r in rows)


def test_spark_cleans_a_register_as_the_command_line_does(spark, generated, cli_run):
    records, _ = cli_run
    df = read(spark, generated)
    out = regclean.spark.normalise(df, AS_OF)
    columns = [c for c in records[0] if c.startswith(("clean_", "status_")) or c in ("country_source", "entity_kind")]
    assert set(columns) <= set(out.columns)
    rows = out.collect()
    assert len(rows) == 20000 and {r["row_status"] for r in rows} == {"accepted"}
    assert keyed(rows, columns) == keyed(records, columns)


def test_a_failed_task_run_again_loses_and_doubles_no_row(spark, generated, tmp_path):
    from pyspark import TaskContext
    from pyspark.sql.types import StringType, StructField, StructType

    df = read(spark, generated)
    plan = regclean.spark.plan_for(df, AS_OF)
    clean = regclean.spark.cleaner(plan)
    killed = tmp_path / "killed"  # local mode: the workers see this machine's files

    def fails_once(batches):
        ctx = TaskContext.get()
        seen = 0
        for out in clean(batches):
            seen += out.num_rows
            # The first attempt of partition 1 dies halfway, after some rows went out.
            if ctx.partitionId() == 1 and ctx.attemptNumber() == 0 and seen > 1000:
                killed.write_text(f"partition 1, attempt 0, after {seen} rows")
                raise RuntimeError("killed on purpose")
            yield out

    schema = StructType(list(df.schema.fields) + [StructField(c, StringType(), True) for c in plan.added_columns()])
    retried = df.mapInArrow(fails_once, schema).collect()
    plain = regclean.spark.normalise(df, AS_OF, plan=plan).collect()
    columns = ["clean_email", "status_email", "clean_birth_date", "entity_kind"]
    assert killed.exists(), "the task was not killed: the test proves nothing"
    assert len(retried) == 20000
    assert keyed(retried, columns) == keyed(plain, columns)


def test_spark_merges_clusters_into_golden_csv(spark, generated, cli_run):
    records, golden = cli_run
    df = read(spark, generated)
    plan = regclean.spark.plan_for(df, AS_OF, source="register")
    cleaned = regclean.spark.normalise(df, AS_OF, plan=plan)
    ids = spark.createDataFrame([(r["Record ID"], r["golden_id"]) for r in records], ["Record ID", "golden_id"])
    merged = regclean.spark.merge(cleaned.join(ids, "Record ID"), plan, RULES["survivorship"], RULES["stale"]).collect()
    names = plan.golden_columns()
    assert len(merged) == len(golden) < 19000
    mine = sorted(tuple(str(r[n]) for n in names) for r in merged)
    assert mine == sorted(tuple(g[n] for n in names) for g in golden)


def test_bad_rows_are_quarantined_with_their_reason_and_the_mapping_says_what_was_not_read(spark):
    import json

    rows = [
        ("1", "Kari", "kari@example.no", "12/31/1980", "blue"),
        ("Customer ID", "First Name", "E-mail", "Date of Birth", "Favourite colour"),
        ("2", "Ola\x00", "ola@example.no", "01/02/1990", "red"),
        (None, None, None, None, None),
        ("3", "Per", "per@example.no", "03/04/1975", "green"),
    ]
    df = spark.createDataFrame(rows, ["Customer ID", "First Name", "E-mail", "Date of Birth", "Favourite colour"])
    plan = regclean.spark.plan_for(df.repartition(2), AS_OF)
    out = {r["Customer ID"]: r for r in regclean.spark.normalise(df, AS_OF, plan=plan).collect()}
    assert out["Customer ID"]["row_status"] == "quarantined"
    assert out["Customer ID"]["quarantine_reason"] == "repeated header"
    assert out["2"]["row_status"] == "quarantined" and out["2"]["quarantine_reason"] == "contains a NUL byte"
    assert out[None]["row_status"] == "blank"
    # The dates are read month first on the whole table's evidence (12/31), and 03/04 with them.
    assert out["3"]["clean_birth_date"] == "1975-03-04"
    mapping = {m["header"]: m for m in json.loads(plan.header_mapping())}
    assert mapping["E-mail"]["field"] == "email"
    assert mapping["Favourite colour"]["field"] is None and mapping["Favourite colour"]["how"].startswith("pass-through")
