"""What one change window of JobDiva yields, per raw table (the sync algorithm of §10).

Every function takes a client and a naive-Eastern window and returns `RawRecord`s that keep the
source payload exactly as received (strings), so the raw tables are a faithful mirror.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from extraction.jobdiva_client import BiRow, JobDivaClient, parse_value, unique

# Candidate-level "Application Type" is a tenant user-defined field (see the sandbox README).
CANDIDATE_USER_FIELDS = ("Application Type",)


@dataclass(frozen=True)
class RawRecord:
    record_id: str
    feed: str
    payload: str  # the source row as canonical JSON (sorted keys), values untouched

    @classmethod
    def of(cls, record_id: str, feed: str, row: BiRow) -> RawRecord:
        return cls(record_id, feed, json.dumps(row, sort_keys=True, ensure_ascii=False))


def _first(row: BiRow, *keys: str) -> str | None:
    for key in keys:
        if (value := parse_value(row.get(key))) is not None:
            return value.strip()
    return None


def _records(rows: Iterable[BiRow], feed: str, *id_keys: str) -> list[RawRecord]:
    records = []
    for row in rows:
        record_id = _first(row, *id_keys)
        if record_id is None:
            raise ValueError(f"{feed}: a row has none of the id columns {id_keys}: {sorted(row)}")
        records.append(RawRecord.of(record_id, feed, row))
    return records


def changed_candidate_ids(client: JobDivaClient, start: datetime, end: datetime) -> list[str]:
    # An empty userFieldsName keeps some tenants' NewUpdated*Records from failing (§9.10).
    rows = client.feed("NewUpdatedCandidateRecords", start, end, userFieldsName="")
    return unique(row.get("CANDIDATEID") for row in rows)


def candidates(client: JobDivaClient, candidate_ids: list[str]) -> list[RawRecord]:
    rows = client.detail(
        "CandidatesDetail",
        "candidateIds",
        candidate_ids,
        userFieldsName=CANDIDATE_USER_FIELDS[0],
    )
    return _records(rows, "CandidatesDetail", "ID", "CANDIDATEID")


def resumes(client: JobDivaClient, candidate_ids: list[str]) -> list[RawRecord]:
    """The newest resume of each candidate, its metadata merged with its text (§10.4)."""
    meta_rows = client.detail("CandidatesResumesDetail", "candidateIds", candidate_ids)
    newest: dict[str, BiRow] = {}
    for row in meta_rows:
        candidate_id, resume_id = _first(row, "CANDIDATEID"), _first(row, "RESUMEID")
        if candidate_id is None or resume_id is None:  # redacted resumes come back without ids
            continue
        key = (_first(row, "DATEUPDATED") or "", _first(row, "DATECREATED") or "", resume_id)
        current = newest.get(candidate_id)
        if current is None or key > (
            _first(current, "DATEUPDATED") or "", _first(current, "DATECREATED") or "",
            _first(current, "RESUMEID") or "",
        ):  # fmt: skip
            newest[candidate_id] = row
    by_resume_id = {_first(row, "RESUMEID"): row for row in newest.values()}
    text_rows = client.detail("ResumesTextDetail", "resumeIds", list(by_resume_id))
    records = []
    for text_row in text_rows:
        resume_id = _first(text_row, "RESUMEID", "GLOBAL_ID", "ID")
        meta = by_resume_id.get(resume_id)
        if meta is None:
            raise ValueError(f"ResumesTextDetail returned an unrequested resume {resume_id!r}")
        records.append(RawRecord.of(resume_id, "ResumesTextDetail", {**meta, **text_row}))
    return records


def attachments(client: JobDivaClient, candidate_ids: list[str]) -> list[RawRecord]:
    """Attachment files of each candidate: one list call, then one detail call per file."""
    records = []
    for candidate_id in unique(candidate_ids):
        listing = client.bi("CandidateAttachmentList", {"candidateId": candidate_id})
        for entry in listing:
            filename = _first(entry, "FILENAME", "FILE_NAME", "NAME")
            if filename is None:
                continue
            details = client.bi(
                "CandidateAttachmentDetail", {"candidateId": candidate_id, "fileName": filename}
            )
            for detail in details:
                row = {**entry, **detail, "CANDIDATEID": candidate_id}
                attachment_id = _first(row, "ID", "ATTACHMENTID") or filename
                records.append(
                    RawRecord.of(
                        f"{candidate_id}:{attachment_id}", "CandidateAttachmentDetail", row
                    )
                )
    return records


def applications(client: JobDivaClient, start: datetime, end: datetime) -> list[RawRecord]:
    rows = client.feed("CandidateApplicationRecords", start, end)
    records = []
    for row in rows:
        key = f"{_first(row, 'CANDIDATEID')}:{_first(row, 'JOBID')}"
        records.append(RawRecord.of(key, "CandidateApplicationRecords", row))
    return records


def activities(client: JobDivaClient, start: datetime, end: datetime) -> list[RawRecord]:
    rows = client.feed("NewUpdatedActivityRecords", start, end, userFieldsName="")
    return _records(rows, "NewUpdatedActivityRecords", "ACTIVITYID")


def changed_job_ids(client: JobDivaClient, start: datetime, end: datetime) -> list[str]:
    rows = client.feed("NewUpdatedJobRecords", start, end, userFieldsName="")
    return unique(row.get("JOBID") for row in rows)


def jobs(client: JobDivaClient, job_ids: list[str]) -> list[RawRecord]:
    # JobsDetail names its id column ID, the list feeds JOBID (§9.6).
    return _records(client.detail("JobsDetail", "jobIds", job_ids), "JobsDetail", "ID", "JOBID")


def job_users(client: JobDivaClient, job_ids: list[str]) -> list[RawRecord]:
    rows = client.detail("JobsUsersDetail", "jobIds", job_ids)
    return [
        RawRecord.of(f"{_first(r, 'JOBID')}:{_first(r, 'USERID')}", "JobsUsersDetail", r)
        for r in rows
    ]


def recruiters(
    client: JobDivaClient, start: datetime, end: datetime, *, full_list: bool
) -> list[RawRecord]:
    """Users changed in the window; the first partition also takes the whole `UsersList`."""
    rows = client.feed("NewUpdatedUserRecords", start, end)
    records = _records(rows, "NewUpdatedUserRecords", "USERID")
    if full_list:
        records += _records(client.bi("UsersList", {}), "UsersList", "USERID")
    return records


TOMBSTONE_FEEDS = {
    "deleted": "DeletedCandidateRecords",
    "merged": "MergedCandidates",
    "redacted": "RedactedCandidatesRecords",
}


def tombstones(client: JobDivaClient, start: datetime, end: datetime) -> list[RawRecord]:
    records = []
    for kind, feed in TOMBSTONE_FEEDS.items():
        for row in client.feed(feed, start, end):
            records.append(RawRecord.of(f"{kind}:{_first(row, 'CANDIDATEID')}", feed, row))
    return records


# Feeds polled by the change sensor: one cheap window call each, no detail reads.
CHANGE_FEEDS = (
    "NewUpdatedCandidateRecords",
    "CandidateApplicationRecords",
    "NewUpdatedActivityRecords",
    "NewUpdatedJobRecords",
    "DeletedCandidateRecords",
    "MergedCandidates",
    "RedactedCandidatesRecords",
)


def count_changes(client: JobDivaClient, start: datetime, end: datetime) -> dict[str, int]:
    """Rows each change feed returns for [start, end]; all zero means nothing to extract."""
    return {name: len(client.feed(name, start, end)) for name in CHANGE_FEEDS}
