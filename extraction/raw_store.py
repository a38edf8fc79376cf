"""Append-only raw Delta tables, replaced one partition at a time (idempotent re-runs)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

import pyarrow as pa
from deltalake import DeltaTable, write_deltalake

from extraction.jobdiva_feeds import RawRecord

RAW_SCHEMA = pa.schema(
    [
        ("_partition", pa.string()),
        ("record_id", pa.string()),
        ("_feed", pa.string()),
        ("payload", pa.string()),
        ("_window_start", pa.timestamp("us", tz="UTC")),
        ("_window_end", pa.timestamp("us", tz="UTC")),
        ("_extracted_at", pa.timestamp("us", tz="UTC")),
    ]
)


def records_to_arrow(
    records: Sequence[RawRecord],
    partition_key: str,
    window_start: datetime,
    window_end: datetime,
    extracted_at: datetime | None = None,
) -> pa.Table:
    extracted_at = extracted_at or datetime.now(UTC)
    n = len(records)
    return pa.table(
        {
            "_partition": [partition_key] * n,
            "record_id": [r.record_id for r in records],
            "_feed": [r.feed for r in records],
            "payload": [r.payload for r in records],
            "_window_start": [window_start] * n,
            "_window_end": [window_end] * n,
            "_extracted_at": [extracted_at] * n,
        },
        schema=RAW_SCHEMA,
    )


def partition_rows(
    partition_key: str,
    records: Sequence[RawRecord],
    window_start: datetime,
    window_end: datetime,
    extracted_at: datetime,
) -> pa.Table:
    """One partition's rows; a record seen twice in a window (same feed and id) is kept once."""
    unique_records = list({(r.feed, r.record_id): r for r in records}.values())
    return records_to_arrow(unique_records, partition_key, window_start, window_end, extracted_at)


def replace_partition_rows(
    table_uri: str,
    partition_key: str,
    data: pa.Table,
    storage_options: dict[str, str] | None = None,
    last_partition_key: str | None = None,
) -> None:
    """Atomically replace the rows of one partition (or of the key range up to
    `last_partition_key`) with `data`.

    A predicate overwrite deletes the old rows and adds the new ones in one transaction, so a
    re-run never duplicates and a killed run leaves the previous version.
    """
    last = last_partition_key or partition_key
    if "'" in partition_key or "'" in last:
        raise ValueError(f"partition keys must not contain quotes: {partition_key!r}")
    if not _exists(table_uri, storage_options):
        write_deltalake(
            table_uri,
            data,
            mode="append",
            partition_by=["_partition"],
            storage_options=storage_options,
        )
        return
    write_deltalake(
        table_uri,
        data,
        mode="overwrite",
        predicate=(
            f"_partition = '{partition_key}'"
            if last == partition_key
            else f"_partition >= '{partition_key}' AND _partition <= '{last}'"
        ),
        storage_options=storage_options,
    )


def _exists(table_uri: str, storage_options: dict[str, str] | None) -> bool:
    # Only looks for the log; loading the table state here would double every commit's cost.
    return DeltaTable.is_deltatable(table_uri, storage_options=storage_options)
