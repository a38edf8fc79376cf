"""Group `jobdiva_raw`: one change window of JobDiva into append-only raw Delta tables.

A daily partition is the change window of that Eastern calendar day; a record lands in the
partition of its latest change (see `extraction.jobdiva_feeds`). Ranges are extracted in spans of
one JobDiva window (≤14 days) and every table's span is replaced in one atomic Delta commit, so a
re-run (or a re-launched backfill after a kill) converges on the same tables.
"""

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

import dagster as dg
import pyarrow as pa

from extraction.jobdiva_client import EASTERN, MAX_WINDOW_DAYS, JobDivaError, eastern_day_window
from extraction.jobdiva_feeds import SpanExtract, extract_span
from extraction.raw_store import partition_rows, replace_partition_rows
from pipelines.partitions import change_window_partitions
from resources.jobdiva import JobDivaResource
from resources.lake import LakeResource

RAW_TABLES: dict[str, str] = {
    "candidates": "Candidate detail rows (CandidatesDetail) of candidates changed in the window",
    "resumes": "Newest resume per changed candidate: metadata and PLAINTEXT",
    "attachments": "Attachment files of changed candidates (metadata and base64 content)",
    "applications": "Applications dated in the window (CandidateApplicationRecords)",
    "activities": "Submittal/interview/hire activities changed in the window",
    "jobs": "Job detail rows (JobsDetail) of jobs changed in the window",
    "job_users": "Recruiter/sales assignments of changed jobs (JobsUsersDetail)",
    "recruiters": "Snapshot of JobDiva users (UsersList), kept in the last day of each run",
    "tombstones": "Deleted, merged and redacted candidates of the window",
}
GROUP = "jobdiva_raw"
# A backfill run covers up to a year of days; spans inside it commit every 14 days.
MAX_PARTITIONS_PER_RUN = 366
JOBDIVA_POOL = "jobdiva_api"


def raw_asset_key(table: str) -> dg.AssetKey:
    return dg.AssetKey(["raw", table])


def spans(first_day: date, last_day: date, max_days: int = MAX_WINDOW_DAYS) -> list[tuple]:
    """Consecutive spans of at most one JobDiva window (14 days) covering the range."""
    out = []
    while first_day <= last_day:
        span_end = min(last_day, first_day + timedelta(days=max_days - 1))
        out.append((first_day, span_end))
        first_day = span_end + timedelta(days=1)
    return out


def write_span(lake: LakeResource, span: SpanExtract, extracted_at: datetime) -> dict[str, int]:
    """Replace the span's day partitions of every raw table, one atomic commit per table."""
    written = {}
    for table in RAW_TABLES:
        parts = []
        for day, records in sorted(span.table(table).items()):
            start, end = eastern_day_window(day)
            parts.append(
                partition_rows(
                    day.isoformat(),
                    records,
                    start.replace(tzinfo=EASTERN).astimezone(UTC),
                    end.replace(tzinfo=EASTERN).astimezone(UTC),
                    extracted_at,
                )
            )
        data = pa.concat_tables(parts)
        replace_partition_rows(
            lake.table_uri("raw", table),
            span.first_day.isoformat(),
            data,
            lake.storage_options,
            last_partition_key=span.last_day.isoformat(),
        )
        written[table] = data.num_rows
    return written


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
    totals = dict.fromkeys(RAW_TABLES, 0)
    first_day, last_day = _day_range(context)
    todo = spans(first_day, last_day)
    with jobdiva.client() as client:
        for index, (span_first, span_last) in enumerate(todo, start=1):
            try:
                span = extract_span(client, span_first, span_last, with_users=index == len(todo))
            except JobDivaError as exc:
                raise dg.Failure(
                    description=f"JobDiva change windows {span_first}..{span_last} failed, "
                    f"nothing written for them: {exc}",
                    metadata={
                        "failed_span": f"{span_first}..{span_last}",
                        "spans_committed": index - 1,
                    },
                ) from None
            written = write_span(lake, span, datetime.now(UTC))
            for table, count in written.items():
                totals[table] += count
            context.log.info(
                f"[{index}/{len(todo)}] {span_first}..{span_last}: "
                + ", ".join(f"{t}={n}" for t, n in written.items())
                + f" (requests so far {client.stats.requests}, retries {client.stats.retries})"
            )
        stats = client.stats
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
