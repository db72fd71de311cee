"""regclean's engine on Arrow record batches: clean a customer register a batch at a time.

The same engine as the ``regclean`` command line (one Rust library), for engines that hold a
register in pieces. A stage that must first know something of the whole table (how a column
writes its dates, the majority country, whether a flag column holds counts) is split in three:
``Plan.tally`` counts one batch, ``add_tallies`` adds the counts (in any order and grouping),
and ``Plan.decide`` decides once. Then ``Plan.normalise`` cleans each batch: the batch's own
columns come back untouched (not copied), followed by ``row_status``, ``quarantine_reason``,
``entity_kind`` and ``clean_<field>``/``status_<field>`` for every field the table has, as the
command line's records.csv gives them.

``regclean.spark`` runs the same on a Spark DataFrame.
"""

from __future__ import annotations

from typing import Iterable

from ._native import ROW_COLUMNS, Plan, __version__, add_tallies

__all__ = ["Plan", "add_tallies", "normalise_table", "ROW_COLUMNS", "__version__"]


def normalise_table(table, as_of: str, config: str = "", config_name: str = "regclean.toml"):
    """Cleans a whole ``pyarrow.Table`` (or any iterable of record batches of one schema).

    Counts every batch, decides once, then cleans every batch; returns a ``pyarrow.Table``.
    """
    import pyarrow as pa

    batches = table.to_batches() if isinstance(table, pa.Table) else list(table)
    if not batches:
        raise ValueError("no record batches: a register needs at least its columns")
    columns = batches[0].schema.names
    plan = Plan(columns, as_of, config, config_name)
    decided = plan.decide(add_tallies([plan.tally(b) for b in batches]))
    return pa.Table.from_batches([decided.normalise(b) for b in batches])
