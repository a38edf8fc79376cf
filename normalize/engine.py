"""Run the normalized stage over a lake: merge every raw partition not merged yet (no Dagster).

One run:
1. fingerprints every raw partition (API days and data-copy file sets) and picks those whose
   files differ from what `normalized/_ingested` remembers (or all of them on `rebuild`);
2. turns their rows into observations (`normalize.records`);
3. loads the stored rows those observations can affect and applies the merge
   (`normalize.state.apply_observations`);
4. writes, table by table, only the rows that changed (one `MERGE` commit each), tombstones
   first, and the new fingerprints last.

A run killed before step 4 ends leaves every table at a consistent Delta version and the
fingerprints unchanged, so the next run merges the same partitions again, which the
idempotent merge turns into exactly the missing writes.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import polars as pl

from normalize.lake import raw_snapshot, read_table, row_count, write_changes
from normalize.merge import Changes, changes
from normalize.records import RAW_TABLES, RecordOptions, observations_from_raw
from normalize.schema import (
    ACTIVITIES,
    APPLICATIONS,
    ATTACHMENTS,
    CANDIDATES,
    INGESTED_KEY,
    INGESTED_SCHEMA,
    JOBS,
    RECRUITERS,
    RESUMES,
    TABLES,
    TOMBSTONES,
)
from normalize.state import apply_observations, merge_tombstones, touched_candidate_ids

INGESTED_TABLE = "_ingested"
# Small tables are loaded whole; the per-candidate ones only for the candidates a run touches.
WHOLE_TABLES = (TOMBSTONES, RECRUITERS, JOBS, ACTIVITIES, APPLICATIONS)
PER_CANDIDATE_TABLES = (CANDIDATES, RESUMES, ATTACHMENTS)
# Tombstones first: a reader that sees a candidate disappear can already see why.
WRITE_ORDER = (
    TOMBSTONES,
    RECRUITERS,
    JOBS,
    ACTIVITIES,
    APPLICATIONS,
    ATTACHMENTS,
    RESUMES,
    CANDIDATES,
)
ALL = "*"


@dataclass(frozen=True)
class NormalizeOptions:
    """`reprocess`: raw partitions (days, file-set names, or `*`) to merge again even though
    their files did not change; `rebuild`: recompute every table from all raw partitions
    (after a change of the canonicalisation rules)."""

    reprocess: Sequence[str] = ()
    rebuild: bool = False
    records: RecordOptions = field(default_factory=RecordOptions)


@dataclass(frozen=True)
class TableReport:
    inserted: int
    updated: int
    deleted: int
    rows: int
    changed_rows: pl.DataFrame  # the upserted rows, for a preview


@dataclass(frozen=True)
class NormalizeReport:
    partitions: dict[str, list[str]]  # raw table → partitions merged in this run
    raw_rows: dict[str, int]
    tables: dict[str, TableReport]

    @property
    def partitions_merged(self) -> int:
        return sum(len(p) for p in self.partitions.values())


TableUri = Callable[..., str]


def _ingested(table_uri: TableUri, storage_options) -> dict[tuple[str, str], str]:
    frame = read_table(table_uri("normalized", INGESTED_TABLE), INGESTED_SCHEMA, storage_options)
    return {(t, p): f for t, p, f in frame.iter_rows()}


def _selected(
    fingerprints: dict[str, str],
    raw_table: str,
    ingested: dict[tuple[str, str], str],
    options: NormalizeOptions,
) -> list[str]:
    wanted = set(options.reprocess)
    return sorted(
        p
        for p, fingerprint in fingerprints.items()
        if options.rebuild
        or ALL in wanted
        or p in wanted
        or ingested.get((raw_table, p)) != fingerprint
    )


def _load_state(
    table_uri: TableUri,
    storage_options,
    observations: dict[str, pl.DataFrame],
    rebuild: bool,
) -> dict[str, pl.DataFrame]:
    """The stored rows the observations can affect (every row when rebuilding)."""
    state = {
        spec.name: read_table(table_uri("normalized", spec.name), spec.schema, storage_options)
        for spec in WHOLE_TABLES
    }
    tombstones = merge_tombstones(state, observations)
    touched = sorted(touched_candidate_ids(observations, tombstones))
    new_attachments = observations[ATTACHMENTS.name]["attachment_id"].to_list()
    for spec in PER_CANDIDATE_TABLES:
        where = pl.col("candidate_id").is_in(touched)
        if spec is ATTACHMENTS:
            where = where | pl.col("attachment_id").is_in(new_attachments)
        state[spec.name] = read_table(
            table_uri("normalized", spec.name),
            spec.schema,
            storage_options,
            where=None if rebuild else where,
        )
    return state


def normalize_lake(
    table_uri: TableUri,
    storage_options: dict[str, str] | None = None,
    options: NormalizeOptions = NormalizeOptions(),
    log: Callable[[str], None] = lambda message: None,
) -> NormalizeReport:
    """Merge the raw partitions not merged yet into the normalized tables."""
    ingested = _ingested(table_uri, storage_options)
    snapshots = {raw: raw_snapshot(table_uri("raw", raw), storage_options) for raw in RAW_TABLES}
    selected = {
        raw: _selected(snap.fingerprints, raw, ingested, options) for raw, snap in snapshots.items()
    }
    raw_rows = {raw: snapshots[raw].read(parts) for raw, parts in selected.items() if parts}
    log(
        "merging "
        + (
            ", ".join(f"{raw}: {len(p)} partitions" for raw, p in selected.items() if p)
            or "nothing"
        )
    )
    observations = observations_from_raw(raw_rows, options.records)
    current = _load_state(table_uri, storage_options, observations, options.rebuild)
    merged = apply_observations({} if options.rebuild else current, observations)

    reports = {}
    for spec in WRITE_ORDER:
        uri = table_uri("normalized", spec.name)
        change = changes(current[spec.name], merged[spec.name], spec.key)
        write_changes(uri, spec.schema, spec.key, change, storage_options)
        reports[spec.name] = _report(change, row_count(uri, storage_options))
    _write_ingested(table_uri, storage_options, ingested, snapshots)
    return NormalizeReport(
        partitions={raw: parts for raw, parts in selected.items() if parts},
        raw_rows={raw: frame.height for raw, frame in raw_rows.items()},
        tables=reports,
    )


def _report(change: Changes, rows: int) -> TableReport:
    return TableReport(change.inserted, change.updated, change.deleted, rows, change.upserts)


def _write_ingested(table_uri: TableUri, storage_options, ingested, snapshots) -> None:
    """Remember the fingerprint of every raw partition now merged."""
    rows = [
        (raw, partition, fingerprint)
        for raw, snap in snapshots.items()
        for partition, fingerprint in snap.fingerprints.items()
    ]
    before = pl.DataFrame(
        [(t, p, f) for (t, p), f in ingested.items()], schema=INGESTED_SCHEMA, orient="row"
    )
    after = pl.DataFrame(rows, schema=INGESTED_SCHEMA, orient="row")
    write_changes(
        table_uri("normalized", INGESTED_TABLE),
        INGESTED_SCHEMA,
        INGESTED_KEY,
        changes(before, after, INGESTED_KEY),
        storage_options,
    )


def read_normalized(
    table_uri: TableUri, storage_options: dict[str, str] | None = None
) -> dict[str, pl.DataFrame]:
    """Every normalized table as stored, sorted by key (for checks and tests)."""
    return {
        name: read_table(table_uri("normalized", name), spec.schema, storage_options).sort(
            list(spec.key)
        )
        for name, spec in TABLES.items()
    }
