"""What a span of JobDiva change windows yields, per raw table and per day (sync algorithm §10).

A record belongs to the day partition of its **latest change** (the newest of the dates its feed
selects on). JobDiva feeds return current state, so a record changed on several days is returned
by each of those days' windows with the same content; assigning it to its latest day makes every
span of days — one day or fourteen — put each record in the same partition, which keeps raw
partitions identical whatever ranges a backfill or the daily run used. A record whose latest
change lies after the span is left to that later day's partition.

Payloads keep the source row exactly as received (strings).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from extraction.jobdiva_client import BiRow, JobDivaClient, eastern_day_window, parse_value, unique

# Candidate-level "Application Type" is a tenant user-defined field (see the sandbox README).
CANDIDATE_USER_FIELDS = ("Application Type",)

# The dates each change feed selects on (reference §4, §5).
CANDIDATE_DATES = ("DATECREATED", "DATEUPDATED", "DATEPROFILEUPDATED", "DATEUSERFIELDUPDATED")
APPLICATION_DATES = ("DATEAPPLIED",)
ACTIVITY_DATES = ("DATECREATED", "DATEUPDATED", "DATEUSERFIELDUPDATED")
JOB_DATES = ("ISSUEDATE", "DATEUPDATED", "DATEUSERFIELDUPDATED")
TOMBSTONE_FEEDS = {
    "deleted": ("DeletedCandidateRecords", ("DATEDELETED",)),
    "merged": ("MergedCandidates", ("DATEMERGED",)),
    "redacted": ("RedactedCandidatesRecords", ("DATEREDACTED",)),
}

# Feeds polled by the change sensor: one cheap window call each, no detail reads.
CHANGE_FEEDS = (
    "NewUpdatedCandidateRecords",
    "CandidateApplicationRecords",
    "NewUpdatedActivityRecords",
    "NewUpdatedJobRecords",
    *(feed for feed, _ in TOMBSTONE_FEEDS.values()),
)


@dataclass(frozen=True)
class RawRecord:
    record_id: str
    feed: str
    payload: str  # the source row as canonical JSON (sorted keys), values untouched

    @classmethod
    def of(cls, record_id: str, feed: str, row: BiRow) -> RawRecord:
        return cls(record_id, feed, json.dumps(row, sort_keys=True, ensure_ascii=False))


@dataclass
class SpanExtract:
    """Everything a span of days yields: `days[day][table]` → records of that day partition."""

    first_day: date
    last_day: date
    days: dict[date, dict[str, list[RawRecord]]] = field(default_factory=dict)

    def add(self, day: date, table: str, records: Iterable[RawRecord]) -> None:
        self.days.setdefault(day, defaultdict(list))[table].extend(records)

    def table(self, table: str) -> dict[date, list[RawRecord]]:
        return {day: tables.get(table, []) for day, tables in self.days.items()}


def _first(row: BiRow, *keys: str) -> str | None:
    for key in keys:
        if (value := parse_value(row.get(key))) is not None:
            return value.strip()
    return None


def latest_change_day(row: BiRow, date_columns: Sequence[str]) -> date | None:
    """The Eastern calendar day of the newest of `date_columns` (ISO strings sort as dates)."""
    values = [v[:19] for c in date_columns if (v := _first(row, c)) and len(v) >= 10]
    return date.fromisoformat(max(values)[:10]) if values else None


def _place(day: date, span: SpanExtract) -> date | None:
    """The partition day for a latest change on `day`, or None when it is after the span."""
    return None if day > span.last_day else max(day, span.first_day)


def _bucket(row: BiRow, date_columns: Sequence[str], span: SpanExtract) -> date | None:
    """The partition day of a feed row (undated rows go to the span's newest day)."""
    return _place(latest_change_day(row, date_columns) or span.last_day, span)


def _id_buckets(
    rows: Iterable[BiRow], id_column: str, date_columns: Sequence[str], span: SpanExtract
) -> dict[str, date]:
    """Partition day per id; an id whose latest change is after the span is left out."""
    latest: dict[str, date] = {}
    for row in rows:
        record_id = _first(row, id_column)
        if record_id is not None:
            day = latest_change_day(row, date_columns) or span.last_day
            latest[record_id] = max(day, latest.get(record_id, date.min))
    placed = {record_id: _place(day, span) for record_id, day in latest.items()}
    return {record_id: day for record_id, day in placed.items() if day is not None}


def _records(rows: Iterable[BiRow], feed: str, *id_keys: str) -> list[tuple[str, RawRecord]]:
    out = []
    for row in rows:
        record_id = _first(row, *id_keys)
        if record_id is None:
            raise ValueError(f"{feed}: a row has none of the id columns {id_keys}: {sorted(row)}")
        out.append((record_id, RawRecord.of(record_id, feed, row)))
    return out


def span_bounds(first_day: date, last_day: date) -> tuple[datetime, datetime]:
    return eastern_day_window(first_day)[0], eastern_day_window(last_day)[1]


# --------------------------------------------------------------------------- candidates


def candidate_details(client: JobDivaClient, candidate_ids: list[str]) -> list[tuple]:
    rows = client.detail(
        "CandidatesDetail", "candidateIds", candidate_ids, userFieldsName=CANDIDATE_USER_FIELDS[0]
    )
    return _records(rows, "CandidatesDetail", "ID", "CANDIDATEID")


def resumes(client: JobDivaClient, candidate_ids: list[str]) -> list[tuple[str, RawRecord]]:
    """The newest resume of each candidate, its metadata merged with its text (§10.4)."""
    newest: dict[str, BiRow] = {}
    for row in client.detail("CandidatesResumesDetail", "candidateIds", candidate_ids):
        candidate_id, resume_id = _first(row, "CANDIDATEID"), _first(row, "RESUMEID")
        if candidate_id is None or resume_id is None:  # redacted resumes come back without ids
            continue
        current = newest.get(candidate_id)
        if current is None or _resume_order(row) > _resume_order(current):
            newest[candidate_id] = row
    by_resume_id = {_first(row, "RESUMEID"): row for row in newest.values()}
    out = []
    for text_row in client.detail("ResumesTextDetail", "resumeIds", list(by_resume_id)):
        resume_id = _first(text_row, "RESUMEID", "GLOBAL_ID", "ID")
        meta = by_resume_id.get(resume_id)
        if meta is None:
            raise ValueError(f"ResumesTextDetail returned an unrequested resume {resume_id!r}")
        record = RawRecord.of(resume_id, "ResumesTextDetail", {**meta, **text_row})
        out.append((_first(meta, "CANDIDATEID"), record))
    return out


def _resume_order(row: BiRow) -> tuple[str, str, str]:
    return (
        _first(row, "DATEUPDATED") or "",
        _first(row, "DATECREATED") or "",
        _first(row, "RESUMEID") or "",
    )


def attachments(client: JobDivaClient, candidate_ids: list[str]) -> list[tuple[str, RawRecord]]:
    """Attachment files of each candidate: one list call, then one detail call per file."""
    out = []
    for candidate_id in unique(candidate_ids):
        for entry in client.bi("CandidateAttachmentList", {"candidateId": candidate_id}):
            filename = _first(entry, "FILENAME", "FILE_NAME", "NAME")
            if filename is None:
                continue
            params = {"candidateId": candidate_id, "fileName": filename}
            for detail in client.bi("CandidateAttachmentDetail", params):
                row = {**entry, **detail, "CANDIDATEID": candidate_id}
                record_id = f"{candidate_id}:{_first(row, 'ID', 'ATTACHMENTID') or filename}"
                out.append(
                    (candidate_id, RawRecord.of(record_id, "CandidateAttachmentDetail", row))
                )
    return out


def extract_candidates(client: JobDivaClient, span: SpanExtract) -> None:
    start, end = span_bounds(span.first_day, span.last_day)
    # An empty userFieldsName keeps some tenants' NewUpdated*Records from failing (§9.10).
    feed_rows = client.feed("NewUpdatedCandidateRecords", start, end, userFieldsName="")
    buckets = _id_buckets(feed_rows, "CANDIDATEID", CANDIDATE_DATES, span)
    ids = list(buckets)
    for table, pairs in (
        ("candidates", candidate_details(client, ids)),
        ("resumes", resumes(client, ids)),
        ("attachments", attachments(client, ids)),
    ):
        for candidate_id, record in pairs:
            span.add(buckets[candidate_id], table, [record])


# --------------------------------------------------------------------------- the rest


def extract_dated_feed(
    client: JobDivaClient,
    span: SpanExtract,
    table: str,
    feed: str,
    date_columns: Sequence[str],
    record_id_of,
    **extra: str,
) -> None:
    start, end = span_bounds(span.first_day, span.last_day)
    for row in client.feed(feed, start, end, **extra):
        day = _bucket(row, date_columns, span)
        if day is not None:
            span.add(day, table, [RawRecord.of(record_id_of(row), feed, row)])


def extract_jobs(client: JobDivaClient, span: SpanExtract) -> None:
    start, end = span_bounds(span.first_day, span.last_day)
    feed_rows = client.feed("NewUpdatedJobRecords", start, end, userFieldsName="")
    buckets = _id_buckets(feed_rows, "JOBID", JOB_DATES, span)
    ids = list(buckets)
    # JobsDetail names its id column ID, the list feeds JOBID (§9.6).
    for job_id, record in _records(client.detail("JobsDetail", "jobIds", ids), "JobsDetail", "ID"):
        span.add(buckets[job_id], "jobs", [record])
    for row in client.detail("JobsUsersDetail", "jobIds", ids):
        job_id = _first(row, "JOBID")
        record_id = f"{job_id}:{_first(row, 'USERID')}"
        span.add(buckets[job_id], "job_users", [RawRecord.of(record_id, "JobsUsersDetail", row)])


def extract_span(
    client: JobDivaClient, first_day: date, last_day: date, *, with_users: bool
) -> SpanExtract:
    """Extract every raw table for the days [first_day, last_day] (≤14 days: one window)."""
    if (last_day - first_day).days >= 14:
        raise ValueError("a span is at most 14 days (one JobDiva window)")
    span = SpanExtract(first_day, last_day)
    for day in (first_day + timedelta(days=i) for i in range((last_day - first_day).days + 1)):
        span.days[day] = defaultdict(list)
    extract_candidates(client, span)
    extract_dated_feed(
        client,
        span,
        "applications",
        "CandidateApplicationRecords",
        APPLICATION_DATES,
        lambda r: f"{_first(r, 'CANDIDATEID')}:{_first(r, 'JOBID')}",
    )
    extract_dated_feed(
        client,
        span,
        "activities",
        "NewUpdatedActivityRecords",
        ACTIVITY_DATES,
        lambda r: _first(r, "ACTIVITYID"),
        userFieldsName="",
    )
    extract_jobs(client, span)
    for kind, (feed, dates) in TOMBSTONE_FEEDS.items():
        extract_dated_feed(
            client,
            span,
            "tombstones",
            feed,
            dates,
            lambda r, kind=kind: f"{kind}:{_first(r, 'CANDIDATEID')}",
        )
    if with_users:
        # NewUpdatedUserRecords carries no dates to partition by; the whole (small) user list
        # is a snapshot kept in the span's last day.
        users = _records(client.bi("UsersList", {}), "UsersList", "USERID")
        span.add(last_day, "recruiters", [record for _, record in users])
    return span


def count_changes(client: JobDivaClient, start: datetime, end: datetime) -> dict[str, int]:
    """Rows each change feed returns for [start, end]; all zero means nothing to extract."""
    return {name: len(client.feed(name, start, end)) for name in CHANGE_FEEDS}
