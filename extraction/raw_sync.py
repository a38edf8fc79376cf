"""Sync a range of JobDiva change days into the raw Delta tables (no Dagster).

The range is walked in spans of one JobDiva window (≤14 days); each span is extracted in full,
then every table's span of day partitions is replaced in one atomic Delta commit. A killed sync
keeps the spans it finished; running it again replaces them with identical rows.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

import pyarrow as pa

from extraction.jobdiva_client import (
    EASTERN,
    MAX_WINDOW_DAYS,
    JobDivaClient,
    JobDivaError,
    eastern_day_window,
)
from extraction.jobdiva_feeds import SpanExtract, extract_span
from extraction.raw_store import partition_rows, replace_partition_rows

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


@dataclass
class SyncResult:
    days: int = 0
    spans: int = 0
    rows: dict[str, int] = field(default_factory=lambda: dict.fromkeys(RAW_TABLES, 0))


def spans(first_day: date, last_day: date, max_days: int = MAX_WINDOW_DAYS) -> list[tuple]:
    """Consecutive spans of at most `max_days` days (one JobDiva window) covering the range."""
    out = []
    while first_day <= last_day:
        span_end = min(last_day, first_day + timedelta(days=max_days - 1))
        out.append((first_day, span_end))
        first_day = span_end + timedelta(days=1)
    return out


def write_span(
    table_uri: Callable[[str], str],
    span: SpanExtract,
    extracted_at: datetime,
    storage_options: dict[str, str] | None = None,
) -> dict[str, int]:
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
            table_uri(table),
            span.first_day.isoformat(),
            data,
            storage_options,
            last_partition_key=span.last_day.isoformat(),
        )
        written[table] = data.num_rows
    return written


def sync_range(
    client: JobDivaClient,
    first_day: date,
    last_day: date,
    table_uri: Callable[[str], str],
    storage_options: dict[str, str] | None = None,
    *,
    span_days: int = MAX_WINDOW_DAYS,
    on_span: Callable[[int, int, SpanExtract, dict[str, int]], None] | None = None,
) -> SyncResult:
    """Extract and write every day of [first_day, last_day]; the user list once, at the end.

    Raises the client's JobDivaError for a span that failed; earlier spans stay committed.
    """
    todo = spans(first_day, last_day, span_days)
    result = SyncResult(days=(last_day - first_day).days + 1)
    for index, (span_first, span_last) in enumerate(todo, start=1):
        try:
            span = extract_span(client, span_first, span_last, with_users=index == len(todo))
        except JobDivaError as exc:
            raise type(exc)(
                f"change windows {span_first}..{span_last} failed, nothing written for them "
                f"({index - 1} earlier spans committed): {exc}"
            ) from None
        written = write_span(table_uri, span, datetime.now(UTC), storage_options)
        for table, count in written.items():
            result.rows[table] += count
        result.spans += 1
        if on_span is not None:
            on_span(index, len(todo), span, written)
    return result
