"""Group `datacopy_raw`: each data-copy file set (a dynamic partition) into raw Delta tables.

Rows that fail parsing land in `raw/datacopy_quarantine` with file, line and reason; the
materialization reports rows in = rows loaded + rows quarantined for every file.
"""

from datetime import UTC, datetime
from pathlib import Path

import dagster as dg
import pyarrow as pa

from extraction.datacopy import ParsedFile, parse_file_set
from extraction.raw_store import replace_partition_rows
from resources.datacopy import DataCopyResource
from resources.lake import LakeResource

GROUP = "datacopy_raw"
DATACOPY_TABLES = {
    "candidates": "Inactive candidates from the admin's data copy",
    "resumes": "Resume text rows of the data copy",
    "attachments": "Attachment rows of the data copy",
}
datacopy_file_sets = dg.DynamicPartitionsDefinition(name="datacopy_file_sets")

LOADED_SCHEMA = pa.schema(
    [
        ("_partition", pa.string()),
        ("record_id", pa.string()),
        ("_file", pa.string()),
        ("_line", pa.int64()),
        ("payload", pa.string()),
        ("_extracted_at", pa.timestamp("us", tz="UTC")),
    ]
)
QUARANTINE_SCHEMA = pa.schema(
    [
        ("_partition", pa.string()),
        ("table", pa.string()),
        ("kind", pa.string()),
        ("file", pa.string()),
        ("line", pa.int64()),
        ("reason", pa.string()),
        ("raw", pa.string()),
        ("_extracted_at", pa.timestamp("us", tz="UTC")),
    ]
)


def datacopy_key(table: str) -> dg.AssetKey:
    return dg.AssetKey(["raw", f"datacopy_{table}"])


QUARANTINE_KEY = dg.AssetKey(["raw", "datacopy_quarantine"])


def _loaded_table(file_set: str, files: list[ParsedFile], now: datetime) -> pa.Table:
    rows = [row for parsed in files for row in parsed.loaded]
    return pa.table(
        {
            "_partition": [file_set] * len(rows),
            "record_id": [r.record_id for r in rows],
            "_file": [r.file for r in rows],
            "_line": [r.line for r in rows],
            "payload": [r.payload for r in rows],
            "_extracted_at": [now] * len(rows),
        },
        schema=LOADED_SCHEMA,
    )


def _quarantine_table(file_set: str, files: list[ParsedFile], now: datetime) -> pa.Table:
    rows = [(parsed.table, q) for parsed in files for q in parsed.quarantined]
    return pa.table(
        {
            "_partition": [file_set] * len(rows),
            "table": [t for t, _ in rows],
            "kind": [q.kind for _, q in rows],
            "file": [q.file for _, q in rows],
            "line": [q.line for _, q in rows],
            "reason": [q.reason for _, q in rows],
            "raw": [q.raw for _, q in rows],
            "_extracted_at": [now] * len(rows),
        },
        schema=QUARANTINE_SCHEMA,
    )


@dg.multi_asset(
    name="datacopy_raw",
    specs=[
        *(
            dg.AssetSpec(datacopy_key(t), description=d, group_name=GROUP, kinds={"delta"})
            for t, d in DATACOPY_TABLES.items()
        ),
        dg.AssetSpec(
            QUARANTINE_KEY,
            description="Data-copy rows that could not be loaded, with file, line and reason",
            group_name=GROUP,
            kinds={"delta"},
        ),
    ],
    partitions_def=datacopy_file_sets,
)
def datacopy_raw(context: dg.AssetExecutionContext, datacopy: DataCopyResource, lake: LakeResource):
    """Parse one file set; replace its rows in the raw tables and in the quarantine."""
    file_set = context.partition_key
    directory = Path(datacopy.directory) / file_set
    if not directory.is_dir():
        raise dg.Failure(f"data-copy file set {file_set!r} not found under {datacopy.directory}")
    parsed = parse_file_set(directory, datacopy.layout())
    now = datetime.now(UTC)
    for table in DATACOPY_TABLES:
        files = [p for p in parsed if p.table == table]
        replace_partition_rows(
            lake.table_uri("raw", f"datacopy_{table}"),
            file_set,
            _loaded_table(file_set, files, now),
            lake.storage_options,
        )
        yield dg.MaterializeResult(asset_key=datacopy_key(table), metadata=_file_metadata(files))
    replace_partition_rows(
        lake.table_uri("raw", "datacopy_quarantine"),
        file_set,
        _quarantine_table(file_set, parsed, now),
        lake.storage_options,
    )
    reasons: dict[str, int] = {}
    for parsed_file in parsed:
        for q in parsed_file.quarantined:
            reasons[q.kind] = reasons.get(q.kind, 0) + 1
    yield dg.MaterializeResult(
        asset_key=QUARANTINE_KEY,
        metadata={
            "rows_quarantined": sum(len(p.quarantined) for p in parsed),
            "reasons": dg.MetadataValue.json(reasons),
        },
    )


def _file_metadata(files: list[ParsedFile]) -> dict:
    rows_in = sum(p.rows_in for p in files)
    loaded = sum(len(p.loaded) for p in files)
    quarantined = sum(len(p.quarantined) for p in files)
    if rows_in != loaded + quarantined:  # the no-silent-loss invariant, checked on every run
        raise dg.Failure(f"row accounting broken: in={rows_in} loaded={loaded} q={quarantined}")
    return {
        "rows_in": rows_in,
        "rows_loaded": loaded,
        "rows_quarantined": quarantined,
        "files": dg.MetadataValue.json(
            {
                p.file: {
                    "encoding": p.encoding,
                    "rows_in": p.rows_in,
                    "loaded": len(p.loaded),
                    "quarantined": len(p.quarantined),
                    "unmapped_columns": p.unmapped_columns,
                }
                for p in files
            }
        ),
    }
