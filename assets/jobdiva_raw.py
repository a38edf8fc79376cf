"""Group `jobdiva_raw`: one change window of JobDiva into append-only raw Delta tables.

A daily partition is the change window of that Eastern calendar day; a record lands in the
partition of its latest change (see `extraction.jobdiva_feeds`). Ranges are extracted in spans of
one JobDiva window (≤14 days) and every table's span is replaced in one atomic Delta commit, so a
re-run (or a re-launched backfill after a kill) converges on the same tables.
"""

from collections.abc import Iterator
from datetime import date, timedelta

import dagster as dg

from extraction.jobdiva_client import EASTERN, JobDivaError
from extraction.jobdiva_feeds import SpanExtract
from extraction.raw_sync import RAW_TABLES, sync_range
from pipelines.partitions import change_window_partitions
from resources.jobdiva import JobDivaResource
from resources.lake import LakeResource

GROUP = "jobdiva_raw"
# A backfill run covers up to a year of days; spans inside it commit every 14 days.
MAX_PARTITIONS_PER_RUN = 366
JOBDIVA_POOL = "jobdiva_api"


def raw_asset_key(table: str) -> dg.AssetKey:
    return dg.AssetKey(["raw", table])


def _day_range(context: dg.AssetExecutionContext) -> tuple[date, date]:
    window = context.partition_time_window
    first = window.start.astimezone(EASTERN).date()
    last = (window.end.astimezone(EASTERN) - timedelta(seconds=1)).date()
    return first, last


@dg.multi_asset(
    name="jobdiva_raw",
    specs=[
        dg.AssetSpec(
            raw_asset_key(table),
            description=description,
            group_name=GROUP,
            kinds={"delta"},
            metadata={"table": f"raw/{table}"},
        )
        for table, description in RAW_TABLES.items()
    ],
    partitions_def=change_window_partitions,
    backfill_policy=dg.BackfillPolicy.multi_run(max_partitions_per_run=MAX_PARTITIONS_PER_RUN),
    pool=JOBDIVA_POOL,
    op_tags={JOBDIVA_POOL: "true"},
)
def jobdiva_raw(
    context: dg.AssetExecutionContext, jobdiva: JobDivaResource, lake: LakeResource
) -> Iterator[dg.MaterializeResult]:
    """Extract the partition range from JobDiva, one ≤14-day span at a time.

    Each span is committed before the next starts, so a killed backfill keeps its finished
    spans and a re-run replaces them with identical rows.
    """
    first_day, last_day = _day_range(context)

    def log_span(index: int, total: int, span: SpanExtract, written: dict[str, int]) -> None:
        context.log.info(
            f"[{index}/{total}] {span.first_day}..{span.last_day}: "
            + ", ".join(f"{t}={n}" for t, n in written.items())
            + f" (requests so far {client.stats.requests}, retries {client.stats.retries})"
        )

    with jobdiva.client() as client:
        try:
            result = sync_range(
                client,
                first_day,
                last_day,
                lambda t: lake.table_uri("raw", t),
                lake.storage_options,
                on_span=log_span,
            )
        except JobDivaError as exc:
            raise dg.Failure(description=f"JobDiva extraction failed: {exc}") from None
        stats = client.stats
    totals = result.rows
    days = (last_day - first_day).days + 1
    for table, rows in totals.items():
        yield dg.MaterializeResult(
            asset_key=raw_asset_key(table),
            metadata={
                "rows": dg.MetadataValue.int(rows),
                "days": dg.MetadataValue.int(days),
                "jobdiva_requests": dg.MetadataValue.int(stats.requests),
                "jobdiva_retries": dg.MetadataValue.int(stats.retries),
                "jobdiva_reauthentications": dg.MetadataValue.int(stats.reauthentications),
                "table_uri": dg.MetadataValue.path(lake.table_uri("raw", table)),
            },
        )
