"""Group `jobdiva_raw`: one change window of JobDiva into append-only raw Delta tables.

A daily partition is the change window of that Eastern calendar day. Each day is extracted and
then written table by table, every table's partition replaced in one atomic Delta commit, so a
re-run (or a re-launched backfill after a kill) converges on the same tables.
"""

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import dagster as dg

from extraction import jobdiva_feeds as feeds
from extraction.jobdiva_client import (
    EASTERN,
    UTC,
    JobDivaClient,
    JobDivaError,
    eastern_day_window,
)
from extraction.jobdiva_feeds import RawRecord
from extraction.raw_store import replace_partition
from pipelines.partitions import PARTITION_START_DATE, change_window_partitions
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
    "recruiters": "JobDiva users (recruiters) changed in the window; the first day: all users",
    "tombstones": "Deleted, merged and redacted candidates of the window",
}
GROUP = "jobdiva_raw"
JOBDIVA_POOL = "jobdiva_api"


def raw_asset_key(table: str) -> dg.AssetKey:
    return dg.AssetKey(["raw", table])


@dataclass
class WindowExtract:
    """Everything one day window yields, before anything is written."""

    day: date
    start: datetime  # naive Eastern, inclusive
    end: datetime
    tables: dict[str, list[RawRecord]] = field(default_factory=dict)


def extract_window(client: JobDivaClient, day: date) -> WindowExtract:
    start, end = eastern_day_window(day)
    out = WindowExtract(day, start, end)
    candidate_ids = feeds.changed_candidate_ids(client, start, end)
    out.tables["candidates"] = feeds.candidates(client, candidate_ids)
    out.tables["resumes"] = feeds.resumes(client, candidate_ids)
    out.tables["attachments"] = feeds.attachments(client, candidate_ids)
    out.tables["applications"] = feeds.applications(client, start, end)
    out.tables["activities"] = feeds.activities(client, start, end)
    job_ids = feeds.changed_job_ids(client, start, end)
    out.tables["jobs"] = feeds.jobs(client, job_ids)
    out.tables["job_users"] = feeds.job_users(client, job_ids)
    first_day = day == date.fromisoformat(PARTITION_START_DATE)
    out.tables["recruiters"] = feeds.recruiters(client, start, end, full_list=first_day)
    out.tables["tombstones"] = feeds.tombstones(client, start, end)
    return out


def write_window(lake: LakeResource, extract: WindowExtract) -> dict[str, int]:
    window_start = extract.start.replace(tzinfo=EASTERN).astimezone(UTC)
    window_end = extract.end.replace(tzinfo=EASTERN).astimezone(UTC)
    partition_key = extract.day.isoformat()
    return {
        table: replace_partition(
            lake.table_uri("raw", table),
            partition_key,
            records,
            window_start,
            window_end,
            lake.storage_options,
        )
        for table, records in extract.tables.items()
    }


def _days(context: dg.AssetExecutionContext) -> Iterator[date]:
    window = context.partition_time_window
    day = window.start.astimezone(EASTERN).date()
    last = (window.end.astimezone(EASTERN) - timedelta(seconds=1)).date()
    while day <= last:
        yield day
        day += timedelta(days=1)


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
    backfill_policy=dg.BackfillPolicy.multi_run(max_partitions_per_run=31),
    pool=JOBDIVA_POOL,
    op_tags={JOBDIVA_POOL: "true"},
)
def jobdiva_raw(
    context: dg.AssetExecutionContext, jobdiva: JobDivaResource, lake: LakeResource
) -> Iterator[dg.MaterializeResult]:
    """Extract each day of the partition range from JobDiva and replace its raw partitions."""
    totals = dict.fromkeys(RAW_TABLES, 0)
    days = list(_days(context))
    with jobdiva.client() as client:
        for index, day in enumerate(days, start=1):
            try:
                extract = extract_window(client, day)
            except JobDivaError as exc:
                # Nothing of this day was written; earlier days of the range are committed.
                raise dg.Failure(
                    description=f"JobDiva change window {day} failed, nothing written for it: "
                    f"{exc}",
                    metadata={"failed_day": day.isoformat(), "days_committed": index - 1},
                ) from None
            written = write_window(lake, extract)
            for table, count in written.items():
                totals[table] += count
            context.log.info(
                f"[{index}/{len(days)}] {day}: "
                + ", ".join(f"{t}={n}" for t, n in written.items())
                + f" (requests so far {client.stats.requests}, retries {client.stats.retries})"
            )
        stats = client.stats
    for table, rows in totals.items():
        yield dg.MaterializeResult(
            asset_key=raw_asset_key(table),
            metadata={
                "rows": dg.MetadataValue.int(rows),
                "days": dg.MetadataValue.int(len(days)),
                "jobdiva_requests": dg.MetadataValue.int(stats.requests),
                "jobdiva_retries": dg.MetadataValue.int(stats.retries),
                "jobdiva_reauthentications": dg.MetadataValue.int(stats.reauthentications),
                "table_uri": dg.MetadataValue.path(lake.table_uri("raw", table)),
            },
        )
