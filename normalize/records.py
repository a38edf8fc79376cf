"""Raw rows → typed observations of the normalized tables (no Dagster, no I/O).

A raw row is one BI row (API) or one data-copy CSV row, kept as a JSON payload of strings
(UPPERCASE keys, `""`/`"Null"` for null, naive US-Eastern timestamps). Each becomes an
*observation*: the row's key, its canonical field values and a version

    "<changed at, UTC, µs>|<source rank>|<content hash>"

a string whose order is (last-updated, API over data copy, content). The merge keeps, per field,
the value of the greatest version among observations where the field is not blank.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

import polars as pl

from extraction.jobdiva_client import parse_eastern_timestamp
from normalize.contacts import canonical_phone, canonical_postal_code, split_emails
from normalize.documents import extract_document_text
from normalize.names import normalize_name_for_display
from normalize.regions import canonical_country, canonical_state, display_city
from normalize.schema import (
    ACTIVITIES,
    APPLICATIONS,
    ATTACHMENTS,
    CANDIDATES,
    JOBS,
    RECRUITERS,
    RESUMES,
    TOMBSTONES,
    VERSION,
    TableSpec,
)
from normalize.text import clean_html_text, normalize_whitespace, null_if_blank
from normalize.urls import canonical_linkedin_url, find_profile_urls

Source = Literal["api", "datacopy"]
# At equal timestamps the API (the live system) beats the admin's data copy.
SOURCE_RANK: dict[str, str] = {"api": "2", "datacopy": "1"}
NO_TIME = "0000-00-00T00:00:00.000000Z"  # sorts before every real timestamp
APPLICATION_TYPES = {"candidate": "Candidate", "prospect": "Prospect"}
RECORD_STATUSES = {"active": "Active", "inactive": "Inactive"}
# createCandidate without an e-mail stores this placeholder; it is nobody's address.
_PLACEHOLDER_EMAIL = re.compile(r"^auto_\d+@jobdiva\.com$")
_MIME_BY_KIND = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "text": "text/plain",
}
_TRUE = frozenset({"1", "true", "yes", "y"})
_FALSE = frozenset({"0", "false", "no", "n"})


@dataclass(frozen=True)
class RecordOptions:
    """Settings of the canonicalisation; changing them needs a rebuild (see the README)."""

    default_phone_region: str = "US"
    # Privacy masks replace values with a tenant-configured text (reference §5).
    masked_values: frozenset[str] = frozenset({"inaccessible"})


# --------------------------------------------------------------------------- values


def text(value: str | None, options: RecordOptions = RecordOptions()) -> str | None:
    """Trimmed text; None for JobDiva's null spellings and for privacy-masked values."""
    value = null_if_blank(value)
    if value is None or value.casefold() in options.masked_values:
        return None
    return value


def timestamp(value: str | None) -> datetime | None:
    """A JobDiva timestamp (naive US-Eastern, ISO or MM/dd/yyyy) as UTC; None if unreadable."""
    value = text(value)
    if value is None:
        return None
    try:
        return parse_eastern_timestamp(value)
    except ValueError:
        return None


def latest(*moments: datetime | None) -> datetime | None:
    present = [m for m in moments if m is not None]
    return max(present) if present else None


def flag(value: str | None) -> bool | None:
    value = text(value)
    if value is None:
        return None
    folded = value.casefold()
    return True if folded in _TRUE else False if folded in _FALSE else None


def integer(value: str | None) -> int | None:
    value = text(value)
    try:
        return None if value is None else int(float(value))
    except ValueError:
        return None


def number(value: str | None) -> float | None:
    value = text(value)
    try:
        return None if value is None else float(value)
    except ValueError:
        return None


def identifier(row: Mapping[str, str], *columns: str) -> str | None:
    """The first present id column, without a float's `.0` (ids are int64 as text)."""
    for column in columns:
        value = text(row.get(column))
        if value is not None:
            return value[:-2] if value.endswith(".0") and value[:-2].isdigit() else value
    return None


def column(row: Mapping[str, str], name: str) -> str | None:
    """A column looked up case-insensitively (user-defined fields keep their display name)."""
    if name in row:
        return row[name]
    folded = name.casefold()
    return next((v for k, v in row.items() if k.casefold() == folded), None)


def phone(value: str | None, options: RecordOptions) -> str | None:
    """E.164 where parseable; otherwise the number as written if it has enough digits."""
    value = text(value, options)
    if value is None:
        return None
    canonical = canonical_phone(value, options.default_phone_region)
    if canonical is not None:
        return canonical
    return " ".join(value.split()) if sum(c.isdigit() for c in value) >= 7 else None


def emails(value: str | None, options: RecordOptions) -> list[str] | None:
    found = [e for e in split_emails(text(value, options)) if not _PLACEHOLDER_EMAIL.match(e)]
    return found or None


def vocabulary(value: str | None, known: Mapping[str, str]) -> str | None:
    """A known value in its canonical spelling; an unknown one as written (checks flag it)."""
    value = text(value)
    return None if value is None else known.get(value.casefold(), value)


def none_if_empty(values: list[str]) -> list[str] | None:
    return values or None


# --------------------------------------------------------------------------- versions


def _json_default(value: Any) -> str:
    if isinstance(value, datetime):
        return value.isoformat()
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def content_hash(fields: Mapping[str, Any]) -> str:
    """A stable digest of an observation's canonical values (the last tie-break)."""
    payload = json.dumps(fields, sort_keys=True, default=_json_default, ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:20]


def version_key(changed_at: datetime | None, source: str, digest: str) -> str:
    """Fixed-width, so string order is (changed_at, API over data copy, digest) order."""
    stamp = changed_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ") if changed_at else NO_TIME
    return f"{stamp}|{SOURCE_RANK[source]}|{digest}"


def observation(
    key: Mapping[str, str], fields: Mapping[str, Any], changed_at: datetime | None, source: str
) -> dict[str, Any]:
    row = {**key, **fields}
    return {**row, VERSION: version_key(changed_at, source, content_hash(row))}


# --------------------------------------------------------------------------- per table


def candidate_observation(
    row: Mapping[str, str], source: Source, options: RecordOptions = RecordOptions()
) -> dict[str, Any] | None:
    """CandidatesDetail (API, id `ID`) or a data-copy candidates.csv row (id `CANDIDATEID`)."""
    candidate_id = identifier(row, "ID", "CANDIDATEID")
    if candidate_id is None:
        return None
    country = canonical_country(text(row.get("COUNTRY"), options))
    created_at = timestamp(row.get("DATECREATED"))
    changed_at = latest(
        created_at,
        timestamp(row.get("DATEUPDATED")),
        timestamp(row.get("DATEPROFILEUPDATED")),
        timestamp(row.get("DATEUSERFIELDUPDATED")),
    )
    fields = {
        "first_name": normalize_name_for_display(text(row.get("FIRSTNAME"), options)),
        "last_name": normalize_name_for_display(text(row.get("LASTNAME"), options)),
        "primary_emails": emails(row.get("EMAIL"), options),
        "alternate_emails": emails(row.get("ALTERNATEEMAIL"), options),
        "cell_phone": phone(row.get("CELLPHONE"), options),
        "home_phone": phone(row.get("HOMEPHONE"), options),
        "work_phone": phone(row.get("WORKPHONE"), options),
        "other_phone": phone(row.get("PHONE1"), options),
        "fax": phone(row.get("FAX"), options),
        "city": display_city(text(row.get("CITY"), options)),
        "state": canonical_state(text(row.get("STATE"), options), country),
        "postal_code": canonical_postal_code(text(row.get("ZIPCODE"), options), country),
        "country": country,
        "ats_linkedin_url": canonical_linkedin_url(text(row.get("LINKEDIN"), options)),
        "ats_application_type": vocabulary(column(row, "Application Type"), APPLICATION_TYPES),
        "record_status": vocabulary(row.get("STATUS"), RECORD_STATUSES),
        "source": source,
        "created_at": created_at,
        "updated_at": changed_at,
    }
    return observation({"candidate_id": candidate_id}, fields, changed_at, source)


def resume_observation(
    row: Mapping[str, str], source: Source, options: RecordOptions = RecordOptions()
) -> dict[str, Any] | None:
    """A resume with its text (ResumesTextDetail merged with its metadata, or resumes.csv)."""
    candidate_id = identifier(row, "CANDIDATEID")
    resume_id = text(row.get("RESUMEID"), options)
    if candidate_id is None or resume_id is None:
        return None
    plaintext = text(row.get("PLAINTEXT"), options)
    # URLs are looked for in the raw text: find_profile_urls decodes entities itself and an
    # href inside markup would be lost by the HTML clean-up.
    urls = find_profile_urls(plaintext)
    changed_at = latest(timestamp(row.get("DATECREATED")), timestamp(row.get("DATEUPDATED")))
    fields = {
        "resume_id": resume_id,
        "resume_text": clean_html_text(plaintext),
        "resume_linkedin_urls": none_if_empty(urls["linkedin"]),
        "resume_github_urls": none_if_empty(urls["github"]),
        "resume_other_urls": none_if_empty(urls["other"]),
        "source": source,
        "resume_updated_at": changed_at,
    }
    return observation({"candidate_id": candidate_id}, fields, changed_at, source)


def _decode_base64(value: str | None) -> tuple[bytes | None, str | None]:
    value = text(value)
    if value is None:
        return None, None
    try:
        return base64.b64decode(value, validate=True), None
    except (binascii.Error, ValueError) as exc:
        return None, f"file content is not base64: {exc}"


def attachment_observation(row: Mapping[str, str], source: Source) -> dict[str, Any] | None:
    """CandidateAttachmentDetail (base64 `FILECONTENT`) or attachments.csv (`EXTRACTEDTEXT`,
    base64 `FILECONTENT_BASE64` for PDF/DOCX). Text is extracted from the file when there is
    one, else the provided text is used."""
    attachment_id = identifier(row, "ATTACHMENTID", "ID")
    if attachment_id is None:
        return None
    filename = text(row.get("FILENAME"))
    declared_type = text(row.get("CONTENTTYPE"))
    content, error = _decode_base64(row.get("FILECONTENT") or row.get("FILECONTENT_BASE64"))
    extracted_text, kind = None, None
    if content:
        extracted = extract_document_text(content, filename, declared_type)
        extracted_text, kind, error = extracted.text, extracted.kind, extracted.error
    provided = text(row.get("EXTRACTEDTEXT"))
    if extracted_text is None and provided is not None:
        extracted_text, kind = provided, "provided"
    body = normalize_whitespace(extracted_text) if extracted_text else None
    uploaded_at = timestamp(row.get("UPLOADEDON"))
    fields = {
        "candidate_id": identifier(row, "CANDIDATEID"),
        "filename": filename,
        "attachment_type": text(row.get("ATTACHMENTTYPE")),
        "content_type": declared_type or _MIME_BY_KIND.get(kind or ""),
        "size_bytes": len(content) if content else integer(row.get("FILESIZE")),
        "content_sha256": hashlib.sha256(content).hexdigest() if content else None,
        "text": body or None,
        "text_kind": kind if body else None,
        "extraction_error": None if body else error,
        "source": source,
        "uploaded_at": uploaded_at,
    }
    return observation({"attachment_id": attachment_id}, fields, uploaded_at, source)


def application_observation(row: Mapping[str, str]) -> dict[str, Any] | None:
    """CandidateApplicationRecords: one application of a candidate to a job."""
    candidate_id, job_id = identifier(row, "CANDIDATEID"), identifier(row, "JOBID")
    if candidate_id is None or job_id is None:
        return None
    applied_at, action_at = timestamp(row.get("DATEAPPLIED")), timestamp(row.get("ACTIONDATE"))
    fields = {
        "applied_at": applied_at,
        "resume_id": text(row.get("RESUMEID")),
        "resume_source": text(row.get("RESUMESOURCE")),
        "action": text(row.get("ACTION")),
        "action_at": action_at,
        "action_user_id": identifier(row, "ACTIONUSERID"),
        "referrer": text(row.get("REFERRER")),
        "source": "api",
    }
    key = {"candidate_id": candidate_id, "job_id": job_id}
    return observation(key, fields, latest(applied_at, action_at), "api")


def activity_observation(row: Mapping[str, str]) -> dict[str, Any] | None:
    """NewUpdatedActivityRecords: a submittal with its interview, rejection and hire stages."""
    activity_id = identifier(row, "ACTIVITYID")
    if activity_id is None:
        return None
    created_at = timestamp(row.get("DATECREATED"))
    updated_at = latest(
        created_at, timestamp(row.get("DATEUPDATED")), timestamp(row.get("DATEUSERFIELDUPDATED"))
    )
    fields = {
        "candidate_id": identifier(row, "CANDIDATEID"),
        "job_id": identifier(row, "JOBID"),
        "user_id": identifier(row, "USERID"),
        "updated_by_user_id": identifier(row, "UPDATEDBY_USERID"),
        "submitted": flag(row.get("SUBMITTALFLAG")),
        "interviewed": flag(row.get("INTERVIEWFLAG")),
        "rejected": flag(row.get("REJECTFLAG")),
        "hired": flag(row.get("HIREFLAG")),
        "submitted_at": timestamp(row.get("SUBMITTALDATE")),
        "interview_at": timestamp(row.get("INTERVIEWDATE")),
        "rejected_at": timestamp(row.get("REJECTDATE")),
        "reject_reason": text(row.get("REJECTREASON")),
        "start_at": timestamp(row.get("STARTDATE")),
        "end_at": timestamp(row.get("ENDDATE")),
        "terminated_at": timestamp(row.get("TERMINATIONDATE")),
        "position_type": text(row.get("POSITIONTYPE")),
        "source": "api",
        "created_at": created_at,
        "updated_at": updated_at,
    }
    return observation({"activity_id": activity_id}, fields, updated_at, "api")


def _role_ids(assignments: Iterable[Mapping[str, str]], *flags: str) -> list[str] | None:
    ids = {
        user_id
        for row in assignments
        if (user_id := identifier(row, "USERID")) and any(flag(row.get(f)) for f in flags)
    }
    return sorted(ids) or None


def job_observation(
    row: Mapping[str, str], assignments: Iterable[Mapping[str, str]] = ()
) -> dict[str, Any] | None:
    """JobsDetail (id `ID`), with the JobsUsersDetail rows of the same change window."""
    job_id = identifier(row, "ID", "JOBID")
    if job_id is None:
        return None
    assignments = list(assignments)
    issued_at = timestamp(row.get("DATEISSUED") or row.get("ISSUEDATE"))
    status_updated_at = timestamp(row.get("DATESTATUSUPDATED"))
    changed_at = latest(
        issued_at,
        timestamp(row.get("DATEUPDATED")),
        timestamp(row.get("DATEUSERFIELDUPDATED")),
        status_updated_at,
    )
    fields = {
        "jobdiva_no": text(row.get("JOBDIVANO")),
        "reference_no": text(row.get("REFNO") or row.get("OPTIONALREFERENCENO")),
        "title": text(row.get("JOBTITLE") or row.get("TITLE")),
        "status": text(row.get("JOBSTATUS")),
        "company_id": identifier(row, "COMPANYID"),
        "company_name": text(row.get("COMPANYNAME")),
        "division": text(row.get("DIVISIONNAME") or row.get("DIVISION")),  # trailing spaces
        "city": display_city(text(row.get("CITY"))),
        "state": canonical_state(text(row.get("STATE"))),
        "postal_code": canonical_postal_code(text(row.get("ZIPCODE")), None),
        "position_type": text(row.get("POSITIONTYPE")),
        "priority": text(row.get("PRIORITY")),
        "openings": integer(row.get("POSITIONS") or row.get("OPENINGS")),
        "fills": integer(row.get("FILLS")),
        "primary_recruiter_id": identifier(row, "PRIMARYRECRUITERID"),
        "primary_sales_id": identifier(row, "PRIMARYSALESID"),
        "recruiter_ids": _role_ids(assignments, "PRIMARYRECRUITER", "RECRUITER"),
        "sales_ids": _role_ids(assignments, "PRIMARYSALES", "SALES"),
        "skills": text(row.get("SKILLS")),
        "description_text": clean_html_text(text(row.get("JOBDESCRIPTION"))),
        "bill_rate_min": number(row.get("BILLRATEMIN")),
        "bill_rate_max": number(row.get("BILLRATEMAX")),
        "pay_rate_min": number(row.get("PAYRATEMIN")),
        "pay_rate_max": number(row.get("PAYRATEMAX")),
        "currency": text(row.get("CURRENCY")),
        "start_date": timestamp(row.get("STARTDATE")),
        "end_date": timestamp(row.get("ENDDATE")),
        "status_updated_at": status_updated_at,
        "source": "api",
        "issued_at": issued_at,
        "updated_at": changed_at,
    }
    return observation({"job_id": job_id}, fields, changed_at, "api")


def recruiter_observation(
    row: Mapping[str, str], seen_at: datetime, options: RecordOptions = RecordOptions()
) -> dict[str, Any] | None:
    """A UsersList row; the list has no update date, so the snapshot time is its version."""
    recruiter_id = identifier(row, "USERID")
    if recruiter_id is None:
        return None
    first = normalize_name_for_display(text(row.get("FIRSTNAME")))
    last = normalize_name_for_display(text(row.get("LASTNAME")))
    fields = {
        "name": " ".join(p for p in (first, last) if p) or None,
        "first_name": first,
        "last_name": last,
        "email": (emails(row.get("EMAIL"), options) or [None])[0],
        "title": text(row.get("TITLE")),
        "division": text(row.get("DIVISION")),
        "city": display_city(text(row.get("CITY"))),
        "state": canonical_state(text(row.get("STATE"))),
        "work_phone": phone(row.get("WORKPHONE"), options),
        "cell_phone": phone(row.get("CELLPHONE"), options),
        "is_active": flag(row.get("ACTIVEFLAG")),
        "is_recruiter": flag(row.get("RECRUITERFLAG")),
        "is_sales": flag(row.get("SALESFLAG")),
        "source": "api",
        "created_at": timestamp(row.get("DATECREATED")),
        "seen_at": seen_at,
    }
    return observation({"recruiter_id": recruiter_id}, fields, seen_at, "api")


TOMBSTONE_DATES = {"deleted": "DATEDELETED", "merged": "DATEMERGED", "redacted": "DATEREDACTED"}


def tombstone_observation(record_id: str, row: Mapping[str, str]) -> dict[str, Any] | None:
    """`deleted:<id>`, `merged:<id>` (MERGEDTOCANDIDATEID) or `redacted:<id>`."""
    kind = record_id.split(":", 1)[0]
    candidate_id = identifier(row, "CANDIDATEID")
    if kind not in TOMBSTONE_DATES or candidate_id is None:
        return None
    at = timestamp(row.get(TOMBSTONE_DATES[kind]))
    fields = {
        "merged_to_candidate_id": identifier(row, "MERGEDTOCANDIDATEID", "MERGETOCANDIDATEID")
        if kind == "merged"
        else None,
        "at": at,
    }
    return observation({"candidate_id": candidate_id, "kind": kind}, fields, at, "api")


# --------------------------------------------------------------------------- raw tables

API_RAW_TABLES = (
    "candidates",
    "resumes",
    "attachments",
    "applications",
    "activities",
    "jobs",
    "job_users",
    "recruiters",
    "tombstones",
)
DATACOPY_RAW_TABLES = ("datacopy_candidates", "datacopy_resumes", "datacopy_attachments")
RAW_TABLES = (*API_RAW_TABLES, *DATACOPY_RAW_TABLES)


def _frame(spec: TableSpec, rows: Iterable[dict[str, Any] | None]) -> pl.DataFrame:
    present = [row for row in rows if row is not None]
    if not present:
        return spec.empty_observations()
    return pl.from_dicts(present, schema=spec.observation_schema)


def _payloads(raw: pl.DataFrame | None) -> list[dict[str, str]]:
    if raw is None or raw.is_empty():
        return []
    return [json.loads(p) for p in raw["payload"]]


def _jobs(raw_jobs: pl.DataFrame | None, raw_job_users: pl.DataFrame | None) -> pl.DataFrame:
    """Job rows with the assignments extracted in the same change window (same partition)."""
    assignments: dict[tuple[str, str], list[dict[str, str]]] = defaultdict(list)
    if raw_job_users is not None and not raw_job_users.is_empty():
        for partition, payload in raw_job_users.select("_partition", "payload").iter_rows():
            row = json.loads(payload)
            assignments[(partition, identifier(row, "JOBID") or "")].append(row)
    rows = []
    if raw_jobs is not None and not raw_jobs.is_empty():
        for partition, payload in raw_jobs.select("_partition", "payload").iter_rows():
            row = json.loads(payload)
            job_id = identifier(row, "ID", "JOBID") or ""
            rows.append(job_observation(row, assignments.get((partition, job_id), ())))
    return _frame(JOBS, rows)


def _recruiters(raw: pl.DataFrame | None, options: RecordOptions) -> pl.DataFrame:
    if raw is None or raw.is_empty():
        return RECRUITERS.empty_observations()
    pairs = raw.select("payload", "_extracted_at").iter_rows()
    return _frame(
        RECRUITERS, (recruiter_observation(json.loads(p), at, options) for p, at in pairs)
    )


def _tombstones(raw: pl.DataFrame | None) -> pl.DataFrame:
    if raw is None or raw.is_empty():
        return TOMBSTONES.empty_observations()
    pairs = raw.select("record_id", "payload").iter_rows()
    return _frame(TOMBSTONES, (tombstone_observation(r, json.loads(p)) for r, p in pairs))


def observations_from_raw(
    raw: Mapping[str, pl.DataFrame], options: RecordOptions = RecordOptions()
) -> dict[str, pl.DataFrame]:
    """Observation frames per normalized table from raw rows per raw table (any subset)."""
    api, copy = "api", "datacopy"
    candidates = [
        *(candidate_observation(p, api, options) for p in _payloads(raw.get("candidates"))),
        *(
            candidate_observation(p, copy, options)
            for p in _payloads(raw.get("datacopy_candidates"))
        ),
    ]
    resumes = [
        *(resume_observation(p, api, options) for p in _payloads(raw.get("resumes"))),
        *(resume_observation(p, copy, options) for p in _payloads(raw.get("datacopy_resumes"))),
    ]
    attachments = [
        *(attachment_observation(p, api) for p in _payloads(raw.get("attachments"))),
        *(attachment_observation(p, copy) for p in _payloads(raw.get("datacopy_attachments"))),
    ]
    return {
        CANDIDATES.name: _frame(CANDIDATES, candidates),
        RESUMES.name: _frame(RESUMES, resumes),
        ATTACHMENTS.name: _frame(ATTACHMENTS, attachments),
        APPLICATIONS.name: _frame(
            APPLICATIONS, map(application_observation, _payloads(raw.get("applications")))
        ),
        ACTIVITIES.name: _frame(
            ACTIVITIES, map(activity_observation, _payloads(raw.get("activities")))
        ),
        JOBS.name: _jobs(raw.get("jobs"), raw.get("job_users")),
        RECRUITERS.name: _recruiters(raw.get("recruiters"), options),
        TOMBSTONES.name: _tombstones(raw.get("tombstones")),
    }
