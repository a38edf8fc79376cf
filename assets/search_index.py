"""Group `search`: the Meilisearch index `candidates` (ARCHITECTURE §6), published from
`enriched/enriched_candidates` with settings first, documents in large batches, incremental
upserts and deletes, and full rebuilds swapped in atomically (`search_index.sync`).
"""

import random
from typing import Any

import dagster as dg
import polars as pl
from pydantic import Field

from assets.enrichment import ENRICHED_KEY
from resources.lake import LakeResource
from resources.meilisearch import MeilisearchResource
from search_index.documents import to_document
from search_index.publisher import MeiliPublisher, search_key_uid
from search_index.schema import PRIMARY_KEY
from search_index.sync import SyncReport, publish_changes

GROUP = "search"
# One publisher at a time: two runs would race on the same index and state.
POOL = "search"
INDEX_KEY = dg.AssetKey(["search", "candidates_index"])
CHECK_SAMPLE = 50


class IndexConfig(dg.Config):
    rebuild: bool = Field(
        default=False,
        description="build a new index from the whole table and swap it in atomically",
    )


def search_root(lake: LakeResource) -> str:
    return lake.table_uri("search")


def publisher_for(meilisearch: MeilisearchResource) -> MeiliPublisher:
    return MeiliPublisher(
        meilisearch.client(),
        task_timeout_s=meilisearch.task_timeout_s,
        batch_size=meilisearch.batch_size,
    )


def _metadata(report: SyncReport, search_key_uid: str) -> dict:
    publish = report.publish
    metadata = {
        "mode": dg.MetadataValue.text(report.mode),
        "rebuilt_because": dg.MetadataValue.text(report.rebuilt_because or "-"),
        "enriched_table_version": dg.MetadataValue.int(report.table_version),
        "enriched_rows": dg.MetadataValue.int(report.table_rows),
        "changed_rows": dg.MetadataValue.int(report.changed_rows),
        "seconds": dg.MetadataValue.json(report.seconds),
        "search_key_uid": dg.MetadataValue.text(search_key_uid),
    }
    if publish is not None:
        metadata |= {
            "index_uid": dg.MetadataValue.text(publish.index_uid),
            "documents_added": dg.MetadataValue.int(publish.documents_added),
            "documents_deleted": dg.MetadataValue.int(publish.documents_deleted),
            "task_uids": dg.MetadataValue.json(publish.task_uids),
            "index_documents": dg.MetadataValue.int(publish.index_documents),
            "index_size_bytes": dg.MetadataValue.int(publish.index_size_bytes or 0),
            "settings_hash": dg.MetadataValue.text(publish.settings_hash),
            "settings_applied": dg.MetadataValue.bool(publish.settings_applied),
            "built_in": dg.MetadataValue.text(publish.swapped_from or "-"),
            "dagster/row_count": dg.MetadataValue.int(publish.index_documents),
        }
    return metadata


@dg.asset(
    key=INDEX_KEY,
    description="The Meilisearch index of candidates the search API reads (one document per "
    "live candidate); incremental runs upsert changed documents and delete removed ones",
    group_name=GROUP,
    deps=[ENRICHED_KEY],
    kinds={"meilisearch"},
    pool=POOL,
    automation_condition=dg.AutomationCondition.eager(),
)
def candidates_index(
    context: dg.AssetExecutionContext,
    config: IndexConfig,
    lake: LakeResource,
    meilisearch: MeilisearchResource,
) -> dg.MaterializeResult:
    """Publish the enriched rows that changed since the last run (or rebuild and swap)."""
    publisher = publisher_for(meilisearch)
    report = publish_changes(
        publisher,
        lake.table_uri(*ENRICHED_KEY.path),
        search_root(lake),
        index_uid=meilisearch.index_uid,
        storage_options=lake.storage_options,
        rebuild=config.rebuild,
        log=context.log.info,
    )
    # The API's key: search only, on this index; its value never leaves Meilisearch here.
    publisher.search_key(meilisearch.index_uid, meilisearch.search_key_name)
    key_uid = search_key_uid(meilisearch.index_uid, meilisearch.search_key_name)
    return dg.MaterializeResult(metadata=_metadata(report, key_uid))


def _comparable(value: Any) -> Any:
    """A document with floats to 9 significant digits: Meilisearch's JSON float parsing is not
    always correctly rounded, so a float can come back one unit in the last place off."""
    if isinstance(value, dict):
        return {key: _comparable(item) for key, item in value.items() if item is not None}
    if isinstance(value, list):
        return [_comparable(item) for item in value]
    if isinstance(value, float):
        return float(f"{value:.9g}")
    return value


@dg.asset_check(
    asset=INDEX_KEY,
    blocking=True,
    description="the index holds one document per enriched row, and a random sample of "
    "documents equals what the rows give now",
)
def index_agrees_with_enriched(
    lake: LakeResource, meilisearch: MeilisearchResource
) -> dg.AssetCheckResult:
    publisher = publisher_for(meilisearch)
    uri = lake.table_uri(*ENRICHED_KEY.path)
    options = lake.storage_options or None
    ids = pl.read_delta(uri, columns=[PRIMARY_KEY], storage_options=options)[PRIMARY_KEY]
    count = publisher.index_document_count(meilisearch.index_uid)
    sample_ids = sorted(random.sample(ids.to_list(), min(CHECK_SAMPLE, ids.len())))
    rows = (
        pl.scan_delta(uri, storage_options=options)
        .filter(pl.col(PRIMARY_KEY).is_in(sample_ids))
        .collect()
    )
    stored = publisher.sample_documents(meilisearch.index_uid, sample_ids)
    differing: list[str] = []
    fields: set[str] = set()
    for row in rows.iter_rows(named=True):
        found = _comparable(stored.get(row[PRIMARY_KEY], {}))
        expected = _comparable(to_document(row))
        if found != expected:
            differing.append(row[PRIMARY_KEY])
            keys = set(found) | set(expected)
            fields |= {key for key in keys if found.get(key) != expected.get(key)}
    passed = count == ids.len() and not differing
    return dg.AssetCheckResult(
        passed=passed,
        metadata={
            "enriched_rows": dg.MetadataValue.int(ids.len()),
            "index_documents": dg.MetadataValue.int(count if count is not None else -1),
            "sampled": dg.MetadataValue.int(len(sample_ids)),
            "differing_documents": dg.MetadataValue.int(len(differing)),
            "differing_examples": dg.MetadataValue.json(differing[:5]),
            "differing_fields": dg.MetadataValue.json(sorted(fields)),
        },
    )


SEARCH_ASSETS = [candidates_index]
SEARCH_CHECKS = [index_agrees_with_enriched]
