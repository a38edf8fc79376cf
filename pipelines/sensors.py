"""Sensors: poll JobDiva's change feeds and run the current window only when it changed."""

from datetime import datetime, timedelta

import dagster as dg

from extraction.jobdiva_client import EASTERN, JobDivaError
from extraction.jobdiva_feeds import count_changes
from pipelines.jobs import jobdiva_raw_job
from resources.jobdiva import JobDivaResource

POLL_INTERVAL_S = 15 * 60
# Re-read a little before the cursor: a record committed just as the last poll ran is not lost.
CURSOR_OVERLAP = timedelta(minutes=5)


def now_eastern() -> datetime:
    """The current naive US-Eastern wall clock (JobDiva's time zone)."""
    return datetime.now(EASTERN).replace(tzinfo=None, microsecond=0)


@dg.sensor(
    name="jobdiva_change_sensor",
    job=jobdiva_raw_job,
    minimum_interval_seconds=POLL_INTERVAL_S,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Polls JobDiva's change feeds since the last poll; when any feed has rows, "
    "runs today's change-window partition (idempotent, so repeated runs converge).",
)
def jobdiva_change_sensor(context: dg.SensorEvaluationContext, jobdiva: JobDivaResource):
    until = now_eastern()
    since = (
        datetime.fromisoformat(context.cursor) - CURSOR_OVERLAP
        if context.cursor
        else datetime.combine(until.date(), datetime.min.time())
    )
    try:
        with jobdiva.client() as client:
            changes = count_changes(client, since, until)
    except JobDivaError as exc:  # keep the cursor: the next tick polls the same span again
        return dg.SkipReason(f"could not poll JobDiva: {exc}")
    context.update_cursor(until.isoformat())
    changed = {feed: n for feed, n in changes.items() if n}
    if not changed:
        return dg.SkipReason(f"no JobDiva changes between {since} and {until} (Eastern)")
    partitions = sorted({since.date().isoformat(), until.date().isoformat()})
    return [
        dg.RunRequest(
            run_key=f"{partition}@{until.isoformat()}",
            partition_key=partition,
            tags={"jobdiva_changes": ", ".join(f"{k}={v}" for k, v in changed.items())},
        )
        for partition in partitions
    ]
