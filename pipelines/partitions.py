"""Partitions. A daily partition is the change window of that day in JobDiva local time."""

from __future__ import annotations

import os

import dagster as dg

JOBDIVA_TIMEZONE = "America/New_York"  # JobDiva serves and expects naive US-Eastern wall clock

# Fixed, never moving (a moving start date would re-key every partition); configurable so a
# tenant's first full load can reach back as far as its history goes.
PARTITION_START_DATE = os.environ.get("JOBDIVA_PARTITION_START", "2026-01-01")

# end_offset=1: today is a partition too, so the change sensor can run the window in progress.
change_window_partitions = dg.DailyPartitionsDefinition(
    start_date=PARTITION_START_DATE, timezone=JOBDIVA_TIMEZONE, end_offset=1
)
