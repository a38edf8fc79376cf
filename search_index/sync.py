"""Keeps the Meilisearch index in step with `enriched/enriched_candidates`.

A run sends only what the table's change data feed says changed since the table version the
last run published (documents of inserted/updated rows again, ids of deleted rows deleted). It
rebuilds the index instead (into a new index, swapped in atomically, so readers never see a
half-built index) when asked, on the first run, when the index is missing or holds a different
number of documents than the table had when it was last published, when the settings changed,
or when the table was recreated. The state (`<lake>/search/_state_<index>.json`) is written
after the index tasks succeeded: a run killed earlier is done again by the next one, and
upserts by primary key are idempotent.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime

import polars as pl
import pyarrow as pa
from deltalake import DeltaTable

from linkage.incremental import CHANGE_ORDER, candidate_count, read_text, write_text
from search_index.documents import document_batches
from search_index.publisher import MeiliPublisher, PublishReport
from search_index.schema import PRIMARY_KEY, index_settings, settings_hash

logger = logging.getLogger("search_index")

# Rows turned into documents at a time (a document is a few KB; 5,000 keep memory modest).
DOCUMENT_BATCH_ROWS = 5_000


@dataclass(frozen=True)
class IndexState:
    index_uid: str
    table_id: str
    table_version: int
    table_rows: int
    settings_hash: str
    finished_at: str


@dataclass
class SyncReport:
    mode: str = "noop"
    rebuilt_because: str | None = None
    table_version: int = 0
    table_rows: int = 0
    changed_rows: int = 0
    publish: PublishReport | None = None
    seconds: dict[str, float] = field(default_factory=dict)


def state_uri(search_root: str, index_uid: str) -> str:
    return f"{search_root.rstrip('/')}/_state_{index_uid}.json"


def read_state(uri: str, storage_options: dict[str, str]) -> IndexState | None:
    text = read_text(uri, storage_options)
    return IndexState(**json.loads(text)) if text else None


def write_state(uri: str, state: IndexState, storage_options: dict[str, str]) -> None:
    write_text(uri, json.dumps(asdict(state), indent=2) + "\n", storage_options)


def changes_since(table: DeltaTable, version: int) -> tuple[list[str], list[str]]:
    """(ids to upsert, ids to delete) after `version`: each id's last change decides."""
    if table.version() <= version:
        return [], []
    reader = table.load_cdf(
        starting_version=version + 1,
        ending_version=table.version(),
        columns=[PRIMARY_KEY, "_change_type", "_commit_version"],
    )
    feed = pl.DataFrame(pa.table(reader))
    if feed.is_empty():
        return [], []
    last = (
        feed.with_columns(
            _order=pl.col("_change_type").replace_strict(CHANGE_ORDER, return_dtype=pl.Int8)
        )
        .sort(PRIMARY_KEY, "_commit_version", "_order")
        .group_by(PRIMARY_KEY, maintain_order=True)
        .last()
    )
    alive = pl.col("_change_type").is_in(["insert", "update_postimage"])
    return (
        last.filter(alive)[PRIMARY_KEY].sort().to_list(),
        last.filter(~alive)[PRIMARY_KEY].sort().to_list(),
    )


def _why_rebuild(
    publisher: MeiliPublisher,
    state: IndexState | None,
    table: DeltaTable,
    index_uid: str,
    digest: str,
    rebuild: bool,
) -> str | None:
    if rebuild:
        return "asked to rebuild"
    if state is None:
        return "first run"
    count = publisher.index_document_count(index_uid)
    if count is None:
        return f"index {index_uid} does not exist"
    if state.settings_hash != digest:
        return "the index settings changed"
    if state.table_id != table.metadata().id:
        return "the enriched table was recreated"
    if count != state.table_rows:
        return f"the index holds {count} documents, {state.table_rows} were published"
    return None


def publish_changes(
    publisher: MeiliPublisher,
    enriched_uri: str,
    search_root: str,
    *,
    index_uid: str,
    storage_options: dict[str, str] | None = None,
    rebuild: bool = False,
    log: Callable[[str], None] = logger.info,
) -> SyncReport:
    """Bring the index up to the table's current version (see the module docstring)."""
    options = storage_options or {}
    report = SyncReport()
    table = DeltaTable(enriched_uri, storage_options=options or None)
    version = table.version()
    rows = candidate_count(table)  # the table's row count, from the Delta log
    report.table_version, report.table_rows = version, rows
    settings = index_settings()
    digest = settings_hash(settings)
    uri = state_uri(search_root, index_uid)
    state = read_state(uri, options)
    started = time.perf_counter()
    report.rebuilt_because = _why_rebuild(publisher, state, table, index_uid, digest, rebuild)
    report.seconds["scope"] = round(time.perf_counter() - started, 3)

    def progress(sent: int, total: int) -> None:
        log(f"sent {sent}/{total} documents to {index_uid}")

    started = time.perf_counter()
    if report.rebuilt_because:
        log(f"rebuilding index {index_uid}: {report.rebuilt_because}")
        frame = pl.read_delta(enriched_uri, version=version, storage_options=options or None)
        report.mode = "full"
        report.changed_rows = frame.height
        report.publish = publisher.full_rebuild(
            index_uid,
            PRIMARY_KEY,
            settings,
            document_batches(frame.sort(PRIMARY_KEY), DOCUMENT_BATCH_ROWS),
            on_progress=progress,
            total_documents=frame.height,
        )
    else:
        assert state is not None
        upsert_ids, delete_ids = changes_since(table, state.table_version)
        report.changed_rows = len(upsert_ids) + len(delete_ids)
        frame = (
            pl.scan_delta(enriched_uri, version=version, storage_options=options or None)
            .filter(pl.col(PRIMARY_KEY).is_in(upsert_ids))
            .collect()
            .sort(PRIMARY_KEY)
            if upsert_ids
            else pl.DataFrame()
        )
        log(f"index {index_uid}: {len(upsert_ids)} documents to send, {len(delete_ids)} to delete")
        report.publish = publisher.upsert(
            index_uid,
            PRIMARY_KEY,
            settings,
            document_batches(frame, DOCUMENT_BATCH_ROWS),
            delete_ids,
            on_progress=progress,
            total_documents=len(upsert_ids),
        )
        report.mode = report.publish.mode
    report.seconds["publish"] = round(time.perf_counter() - started, 3)
    write_state(
        uri,
        IndexState(
            index_uid=index_uid,
            table_id=table.metadata().id,
            table_version=version,
            table_rows=rows,
            settings_hash=digest,
            finished_at=datetime.now(UTC).isoformat(),
        ),
        options,
    )
    return report
