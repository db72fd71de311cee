"""Shared setup of the Python package's tests: the regclean binary (to compare with the command
line), a generated register, and a local Spark session when pyspark and Java are at hand."""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
AS_OF = "2026-11-23"
# The shipped rules folder's survivorship and stale rules, as the Python API takes them.
RULES = {name: (ROOT / "rules" / f"{name}.toml").read_text(encoding="utf-8") for name in ("survivorship", "stale")}


def binary() -> Path:
    path = Path(os.environ.get("REGCLEAN_BIN", ROOT / "target" / "release" / "regclean"))
    if not path.exists():
        pytest.fail(f"no regclean binary at {path}: run `cargo build --release` first (or set REGCLEAN_BIN)")
    return path


def run_cli(register: Path, out: Path, *extra: str) -> list[dict]:
    """Runs the command line on ``register`` and returns records.csv's rows."""
    if not (out / "records.csv").exists():
        subprocess.run(
            [str(binary()), "run", str(register), "--out", str(out), "--as-of", AS_OF, *extra],
            check=True,
            capture_output=True,
        )
    return read_csv(out / "records.csv")


def read_csv(path: Path) -> list[dict]:
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="session")
def cli_run(generated, tmp_path_factory):
    """The command line's run of the generated register with the shipped rules folder (its
    survivorship and stale rules: `RULES`): (records.csv rows, golden.csv rows)."""
    out = tmp_path_factory.mktemp("cli") / "out"
    records = run_cli(generated, out, "--rules", str(ROOT / "rules"))
    return records, read_csv(out / "golden.csv")


@pytest.fixture(scope="session")
def generated(tmp_path_factory) -> Path:
    """A generated register of 20,000 rows (seven countries, duplicates, look-alikes)."""
    path = tmp_path_factory.mktemp("register") / "register.csv"
    subprocess.run(
        [str(binary()), "generate", "--rows", "20000", "--out", str(path)], check=True, capture_output=True
    )
    return path


@pytest.fixture(scope="session")
def spark():
    """A local Spark session (two cores, a failed task tried up to three times), or a skip that says what is missing."""
    try:
        import pyspark  # noqa: F401
    except ImportError:
        pytest.skip("SKIP: pyspark is not installed (pip install 'regclean[spark]')")
    if not shutil.which("java") and not os.environ.get("JAVA_HOME"):
        pytest.skip("SKIP: no Java for Spark (install a JDK 17 and put java on PATH or set JAVA_HOME)")
    from pyspark.sql import SparkSession

    # The workers run this interpreter, which has the package installed.
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    session = (
        SparkSession.builder.master("local[2,3]")
        .appName("regclean-tests")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.driver.memory", "2g")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()
