"""Delta I/O of the normalized stage: which raw partitions changed, reading them, and writing
changed rows with one `MERGE` commit per table (no Dagster).

Change detection: a raw partition's fingerprint is the digest of the names of its data files.
Delta never rewrites a file in place, so a partition whose files are the same has not changed
since it was merged; a re-extracted partition gets new files and is merged again (which is
harmless: the merge is idempotent).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import polars as pl
import pyarrow as pa
from deltalake import DeltaTable
from deltalake.exceptions import TableNotFoundError

from normalize.merge import Changes

# Change data feed lets the next stages read only what changed between two table versions.
TABLE_CONFIGURATION = {"delta.enableChangeDataFeed": "true"}
OP = "_merge_op"


def open_table(uri: str, storage_options: dict[str, str] | None = None) -> DeltaTable | None:
    try:
        return DeltaTable(uri, storage_options=storage_options)
    except TableNotFoundError:
        return None


@dataclass(frozen=True)
class RawSnapshot:
    """One version of a raw table: its partitions' fingerprints, readable at that version."""

    table: DeltaTable | None
    fingerprints: dict[str, str]

    def read(self, partitions: list[str]) -> pl.DataFrame:
        """The rows of those partitions, at the snapshot's table version."""
        if self.table is None or not partitions:
            return pl.DataFrame()
        # polars' native Delta scan prunes partitions far faster (and leaner) than a pyarrow
        # dataset filtered on hundreds of partition values.
        wanted = pl.col("_partition").is_in(sorted(partitions))
        return pl.scan_delta(self.table).filter(wanted).collect()


def raw_snapshot(uri: str, storage_options: dict[str, str] | None = None) -> RawSnapshot:
    table = open_table(uri, storage_options)
    if table is None:
        return RawSnapshot(None, {})
    actions = pl.from_arrow(pa.table(table.get_add_actions(flatten=True)))
    if actions.is_empty():
        return RawSnapshot(table, {})
    files = actions.group_by(pl.col("partition._partition").alias("partition")).agg(
        pl.col("path").sort().str.join("\n")
    )
    return RawSnapshot(
        table,
        {
            partition: hashlib.sha256(paths.encode("utf-8")).hexdigest()[:32]
            for partition, paths in files.iter_rows()
        },
    )


def read_table(
    uri: str,
    schema: dict[str, pl.DataType],
    storage_options: dict[str, str] | None = None,
    where: pl.Expr | None = None,
) -> pl.DataFrame:
    """The stored rows (optionally only those matching `where`), cast to `schema`."""
    table = open_table(uri, storage_options)
    if table is None:
        return pl.DataFrame(schema=schema)
    frame = pl.scan_delta(table)
    if where is not None:
        frame = frame.filter(where)
    return frame.select(pl.col(name).cast(dtype) for name, dtype in schema.items()).collect()


def row_count(uri: str, storage_options: dict[str, str] | None = None) -> int:
    table = open_table(uri, storage_options)
    if table is None:
        return 0
    actions = pa.table(table.get_add_actions(flatten=True))
    return int(pa.compute.sum(actions["num_records"]).as_py() or 0)


def _arrow_schema(schema: dict[str, pl.DataType]) -> pa.Schema:
    return pl.DataFrame(schema=schema).to_arrow().schema


def write_changes(
    uri: str,
    schema: dict[str, pl.DataType],
    key: tuple[str, ...],
    change: Changes,
    storage_options: dict[str, str] | None = None,
) -> None:
    """Upsert changed rows and delete removed keys in one atomic MERGE commit.

    Nothing is written when nothing changed, so a re-run leaves the table version as it was;
    a table that does not exist yet is created (empty if need be) so readers always find it.
    """
    table = open_table(uri, storage_options)
    if table is None:
        table = DeltaTable.create(
            uri,
            _arrow_schema(schema),
            configuration=TABLE_CONFIGURATION,
            storage_options=storage_options,
        )
    if change.is_empty:
        return
    upserts = change.upserts.select(list(schema)).with_columns(pl.lit("upsert").alias(OP))
    deletes = change.deleted_keys.with_columns(pl.lit("delete").alias(OP))
    source = pl.concat([upserts, deletes.select(*key, OP)], how="diagonal_relaxed").select(
        *(pl.col(name).cast(dtype) for name, dtype in schema.items()), OP
    )
    predicate = " AND ".join(f"t.`{k}` = s.`{k}`" for k in key)
    (
        table.merge(source.to_arrow(), predicate, source_alias="s", target_alias="t")
        .when_matched_delete(predicate=f"s.`{OP}` = 'delete'")
        .when_matched_update_all(predicate=f"s.`{OP}` = 'upsert'", except_cols=[OP])
        .when_not_matched_insert_all(predicate=f"s.`{OP}` = 'upsert'", except_cols=[OP])
        .execute()
    )
