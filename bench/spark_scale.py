"""Spark local mode against the command line on one register: the engine-free core's stages so
far (count, clean, and with --records merge), timed per stage, with each stage's rows per second
per core.

    python bench/spark_scale.py REGISTER.csv [--partitions 8] [--cores 2] [--records OUT/records.csv --source NAME]

--records gives each row its golden id from a command-line run of the same register (joined on
the register's first column, its record id); --source is the name that run gave the register
(its file name without the extension).

Needs the regclean wheel, pyspark, pandas and Java 17 (README, "Python and Spark"). Prints a
Markdown table; the command line's normalise stage for the same register is in its
`REGCLEAN_TIMINGS=1` output (bench/scale.sh).
"""

import argparse
import os
import sys
import time

from pyspark.sql import SparkSession

from regclean import spark as rc

p = argparse.ArgumentParser()
p.add_argument("register")
p.add_argument("--partitions", type=int, default=8)
p.add_argument("--cores", type=int, default=2)
p.add_argument("--as-of", default="2026-11-01")
p.add_argument("--records")
p.add_argument("--source", default="table")
args = p.parse_args()

os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
spark = (
    SparkSession.builder.master(f"local[{args.cores}]")
    .config("spark.ui.enabled", "false")
    .config("spark.driver.memory", "4g")
    .getOrCreate()
)
spark.sparkContext.setLogLevel("ERROR")


def timed(what, f):
    t = time.perf_counter()
    out = f()
    return out, time.perf_counter() - t


df = spark.read.option("header", True).option("multiLine", True).option("escape", '"').csv(args.register)
df = df.repartition(args.partitions).cache()
rows, read_s = timed("read", df.count)
plan, tally_s = timed("tally", lambda: rc.plan_for(df, args.as_of, source=args.source))
# Cleaned and reduced to one number per partition, so that the time is the cleaning's, not the
# driver's collecting or a writer's.
out = rc.normalise(df, args.as_of, plan=plan)
accepted, clean_s = timed("normalise", lambda: out.filter("row_status = 'accepted'").count())
print(f"### Spark local[{args.cores}], {rows:,} rows, {args.partitions} partitions\n")
print("| stage | wall (s) | rows/s a core |")
print("|---|---|---|")
print(f"| read CSV, repartition, cache | {read_s:.1f} | |")
for name, s in [("count (Plan.tally), decide on the driver", tally_s), ("clean (Plan.normalise)", clean_s)]:
    print(f"| {name} | {s:.1f} | {rows / s / args.cores:,.0f} |")
if args.records:
    key = df.columns[0]
    ids = spark.read.option("header", True).csv(args.records).select(key, "golden_id")
    goldens, merge_s = timed("merge", lambda: rc.merge(out.join(ids, key), plan).count())
    print(f"| clean again, join golden ids, merge (Plan.merge) | {merge_s:.1f} | {rows / merge_s / args.cores:,.0f} |")
    print(f"\ngolden records: {goldens:,}")
print(f"\naccepted rows: {accepted:,}")
spark.stop()
