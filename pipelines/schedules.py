"""Schedules: the daily incremental that keeps the mirror fresh."""

from datetime import timedelta

import dagster as dg

from pipelines.jobs import jobdiva_raw_job
from pipelines.partitions import JOBDIVA_TIMEZONE


@dg.schedule(
    name="jobdiva_daily_incremental",
    job=jobdiva_raw_job,
    cron_schedule="0 1 * * *",
    execution_timezone=JOBDIVA_TIMEZONE,
    default_status=dg.DefaultScheduleStatus.RUNNING,
    description="Every day at 01:00 US-Eastern: extract the change window of the day that ended.",
)
def jobdiva_daily_incremental(context: dg.ScheduleEvaluationContext) -> dg.RunRequest:
    # The partitions include today (end_offset=1), so name yesterday's partition explicitly.
    day = (context.scheduled_execution_time - timedelta(days=1)).date().isoformat()
    return dg.RunRequest(run_key=f"daily-{day}", partition_key=day)
