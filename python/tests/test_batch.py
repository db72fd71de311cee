"""regclean's engine-free core on plain pyarrow data: a register cleaned a batch at a time gives
what the command line's records.csv gives, the batch's own columns are not copied, and a plan
travels by pickle."""

from __future__ import annotations

import csv
import pickle

import pyarrow as pa
import pyarrow.csv as pacsv
import pytest

import regclean
from conftest import AS_OF, RULES


def read_text_batches(path, block_size=1 << 18) -> pa.Table:
    """The register as text columns, empty cells empty (not null), in several record batches."""
    with open(path, newline="", encoding="utf-8") as f:
        names = next(csv.reader(f))
    return pacsv.read_csv(
        path,
        read_options=pacsv.ReadOptions(block_size=block_size),
        convert_options=pacsv.ConvertOptions(
            column_types={n: pa.string() for n in names}, strings_can_be_null=False, quoted_strings_can_be_null=False
        ),
    )


def cleaned_columns(records: list[dict]) -> list[str]:
    return [c for c in records[0] if c.startswith(("clean_", "status_")) or c in ("country_source", "entity_kind")]


def test_a_register_cleaned_a_batch_at_a_time_gives_records_csv(generated, cli_run):
    records, _ = cli_run
    table = read_text_batches(generated)
    assert len(table.to_batches()) >= 4, "the register must come in several batches"
    out = regclean.normalise_table(table, AS_OF)
    rows = out.to_pylist()
    assert {r["row_status"] for r in rows} == {"accepted"}
    assert len(rows) == len(records) == 20000
    columns = cleaned_columns(records)
    assert "clean_birth_date" in columns and "clean_mobile" in columns and "clean_revenue" in columns
    for i, (mine, theirs) in enumerate(zip(rows, records)):
        for c in columns:
            assert (mine[c] or "") == theirs[c], f"row {i + 2}, {c}"


def test_counts_add_up_in_any_order_and_the_whole_table_decides(generated):
    table = read_text_batches(generated)
    plan = regclean.Plan(table.schema.names, AS_OF)
    tallies = [plan.tally(b) for b in table.to_batches()]
    assert regclean.add_tallies(tallies) == regclean.add_tallies(list(reversed(tallies)))
    assert regclean.add_tallies(tallies) == plan.tally(table.combine_chunks().to_batches()[0])


def test_the_batch_columns_come_back_uncopied_and_a_plan_travels_by_pickle():
    batch = pa.record_batch(
        {
            "Customer ID": ["1", "2", ""],
            "First Name": ["Kari", "Ola", ""],
            "E-post": ["KARI@Example.no", "ola@example", ""],
            "Fødselsdato": ["31.12.1980", "01.02.1990", ""],
        }
    )
    plan = regclean.Plan(batch.schema.names, AS_OF)
    decided = plan.decide(plan.tally(batch))
    out = decided.normalise(batch)
    for i in range(batch.num_columns):
        # The same memory, not a copy: the data buffer's address is the caller's.
        assert out.column(i).buffers()[2].address == batch.column(i).buffers()[2].address
    assert out.schema.names[4:7] == ["row_status", "quarantine_reason", "entity_kind"]
    rows = out.to_pylist()
    assert [r["row_status"] for r in rows] == ["accepted", "accepted", "blank"]
    assert rows[0]["clean_email"] == "kari@example.no" and rows[0]["status_email"] == "fixed"
    assert rows[0]["clean_birth_date"] == "1980-12-31"
    assert rows[1]["status_email"] == "invalid" and rows[2]["clean_email"] is None
    again = pickle.loads(pickle.dumps(decided))
    assert again.decided and again.normalise(batch).equals(out)
    undecided = pickle.loads(pickle.dumps(plan))
    assert not undecided.decided


def test_mistakes_are_refused_with_what_to_do():
    batch = pa.record_batch({"Email": ["a@b.no"]})
    plan = regclean.Plan(["Email"], AS_OF)
    with pytest.raises(ValueError, match="has not decided"):
        plan.normalise(batch)
    with pytest.raises(ValueError, match="YYYY-MM-DD"):
        regclean.Plan(["Email"], "23.11.2026")
    with pytest.raises(ValueError, match="my.toml"):
        regclean.Plan(["Email"], AS_OF, "[dedup]\nthreshold = 'high'\n", "my.toml")
    with pytest.raises(ValueError, match="2 columns and the plan 1"):
        plan.tally(pa.record_batch({"Email": ["a@b.no"], "Phone": ["1"]}))
    with pytest.raises(ValueError, match="not a regclean tally"):
        plan.decide("{")


def golden_rows(rows, names):
    return sorted(tuple(str(r[n]) for n in names) for r in rows)


def test_golden_records_merged_a_cluster_group_at_a_time_are_golden_csv(generated, cli_run):
    records, golden = cli_run
    table = read_text_batches(generated)
    plan = regclean.Plan(table.schema.names, AS_OF, source="register")
    decided = plan.decide(regclean.add_tallies([plan.tally(b) for b in table.to_batches()]))
    cleaned = pa.Table.from_batches([decided.normalise(b) for b in table.to_batches()])
    ids = [r["golden_id"] for r in records]
    cleaned = cleaned.append_column("golden_id", pa.array(ids))
    # Three groups of whole clusters, as an engine's groupBy hands them over.
    merged = []
    for g in range(3):
        mask = pa.array([ord(i[-1]) % 3 == g for i in ids])
        part = cleaned.filter(mask).combine_chunks().to_batches()[0]
        merged.extend(decided.merge(part, RULES["survivorship"], RULES["stale"]).to_pylist())
    names = decided.golden_columns()
    assert names[:2] == ["golden_id", "member_count"] and names[-5:] == [
        "other_emails", "other_phones", "stale", "stale_reasons", "entity_id"
    ]
    assert any(r["stale"] == "true" for r in merged) and any(r["member_count"] > 1 for r in merged)
    assert len(merged) == len(golden) < 19000
    assert golden_rows(merged, names) == golden_rows(golden, names)
