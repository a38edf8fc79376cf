"""The normalized tables: keys, merge rules per column, and column types (ARCHITECTURE §5).

Every table is described by a `TableSpec`:

- `key`: the JobDiva id (or id pair) rows are merged on;
- `latest`: fields where the newest non-blank observation wins (each keeps its own version in
  the struct column `field_versions`, which is what makes the merge order-independent);
- `earliest` / `newest`: timestamps merged with min / max;
- `derived`: columns recomputed from the merged fields and other tables after every merge.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

TS = pl.Datetime("us", "UTC")
STR = pl.String
LIST = pl.List(pl.String)
BOOL = pl.Boolean
INT = pl.Int64
FLOAT = pl.Float64

FIELD_VERSIONS = "field_versions"
VERSION = "_version"  # the version of an observation (see records.version_key)


@dataclass(frozen=True)
class TableSpec:
    name: str
    key: tuple[str, ...]
    latest: dict[str, pl.DataType]
    earliest: dict[str, pl.DataType]
    newest: dict[str, pl.DataType]
    derived: dict[str, pl.DataType]
    # Output column order (contract columns first); every column above appears once.
    order: tuple[str, ...] = ()

    @property
    def base_columns(self) -> list[str]:
        return [*self.key, *self.latest, *self.earliest, *self.newest]

    @property
    def key_schema(self) -> dict[str, pl.DataType]:
        return dict.fromkeys(self.key, STR)

    @property
    def observation_schema(self) -> dict[str, pl.DataType]:
        """Columns of an observation frame: key, fields and its version."""
        return {
            **self.key_schema,
            **self.latest,
            **self.earliest,
            **self.newest,
            VERSION: STR,
        }

    @property
    def versions_dtype(self) -> pl.Struct:
        return pl.Struct({name: STR for name in self.latest})

    @property
    def schema(self) -> dict[str, pl.DataType]:
        """The stored table: base columns, derived columns and the field versions."""
        columns = {
            **self.key_schema,
            **self.latest,
            **self.earliest,
            **self.newest,
            **self.derived,
            FIELD_VERSIONS: self.versions_dtype,
        }
        ordered = [c for c in self.order if c in columns]
        return {
            name: columns[name] for name in [*ordered, *(c for c in columns if c not in ordered)]
        }

    def empty(self) -> pl.DataFrame:
        return pl.DataFrame(schema=self.schema)

    def conform(self, frame: pl.DataFrame) -> pl.DataFrame:
        """The frame with exactly this table's columns and types, sorted by key."""
        return frame.select(
            pl.col(name).cast(dtype) if name in frame.columns else pl.lit(None, dtype).alias(name)
            for name, dtype in self.schema.items()
        ).sort(list(self.key))

    def empty_observations(self) -> pl.DataFrame:
        return pl.DataFrame(schema=self.observation_schema)


CANDIDATES = TableSpec(
    name="candidates",
    key=("candidate_id",),
    latest={
        "first_name": STR,
        "last_name": STR,
        # Source slots: each JobDiva column merges on its own, so a blank slot never hides
        # another; `emails`/`phones` are derived from them.
        "primary_emails": LIST,
        "alternate_emails": LIST,
        "cell_phone": STR,
        "home_phone": STR,
        "work_phone": STR,
        "other_phone": STR,
        "fax": STR,
        "city": STR,
        "state": STR,
        "postal_code": STR,
        "country": STR,
        "ats_linkedin_url": STR,
        "ats_application_type": STR,
        "record_status": STR,
        "source": STR,
    },
    earliest={"created_at": TS},
    newest={"updated_at": TS},
    derived={
        "emails": LIST,
        "phones": LIST,
        "linkedin_url": STR,
        "github_url": STR,
        "other_urls": LIST,
        "application_type": STR,
        "application_type_source": STR,
        "status": STR,
        "status_at": TS,
        "is_active": BOOL,
        "resume_id": STR,
        "resume_text": STR,
        "aliases": LIST,
        "content_hash": STR,
    },
    order=(
        "candidate_id", "first_name", "last_name", "emails", "phones", "city", "state",
        "postal_code", "country", "linkedin_url", "github_url", "other_urls", "application_type",
        "status", "created_at", "updated_at", "is_active", "source", "resume_text",
        "content_hash", "aliases", "application_type_source", "status_at", "resume_id",
    ),
)  # fmt: skip

RESUMES = TableSpec(
    name="candidate_resumes",
    key=("candidate_id",),
    latest={
        "resume_id": STR,
        "resume_text": STR,
        "resume_linkedin_urls": LIST,
        "resume_github_urls": LIST,
        "resume_other_urls": LIST,
        "source": STR,
    },
    earliest={},
    newest={"resume_updated_at": TS},
    derived={},
)

APPLICATIONS = TableSpec(
    name="applications",
    key=("candidate_id", "job_id"),
    latest={
        "applied_at": TS,
        "resume_id": STR,
        "resume_source": STR,
        "action": STR,
        "action_at": TS,
        "action_user_id": STR,
        "referrer": STR,
        "source": STR,
    },
    earliest={},
    newest={},
    derived={
        "job_title": STR,
        "status": STR,
        "status_at": TS,
        "updated_at": TS,
        "recruiter_id": STR,
        "recruiter_name": STR,
        "is_application": BOOL,
        "activity_id": STR,
        "submitted_at": TS,
        "interview_at": TS,
        "rejected_at": TS,
        "reject_reason": STR,
        "hired_at": TS,
        "content_hash": STR,
    },
    order=(
        "candidate_id", "job_id", "job_title", "status", "updated_at", "recruiter_id",
        "recruiter_name", "status_at", "is_application", "applied_at",
    ),
)  # fmt: skip

ACTIVITIES = TableSpec(
    name="activities",
    key=("activity_id",),
    latest={
        "candidate_id": STR,
        "job_id": STR,
        "user_id": STR,
        "updated_by_user_id": STR,
        "submitted": BOOL,
        "interviewed": BOOL,
        "rejected": BOOL,
        "hired": BOOL,
        "submitted_at": TS,
        "interview_at": TS,
        "rejected_at": TS,
        "reject_reason": STR,
        "start_at": TS,
        "end_at": TS,
        "terminated_at": TS,
        "position_type": STR,
        "source": STR,
    },
    earliest={"created_at": TS},
    newest={"updated_at": TS},
    derived={},
)

JOBS = TableSpec(
    name="jobs",
    key=("job_id",),
    latest={
        "jobdiva_no": STR,
        "reference_no": STR,
        "title": STR,
        "status": STR,
        "company_id": STR,
        "company_name": STR,
        "division": STR,
        "city": STR,
        "state": STR,
        "postal_code": STR,
        "position_type": STR,
        "priority": STR,
        "openings": INT,
        "fills": INT,
        "primary_recruiter_id": STR,
        "primary_sales_id": STR,
        "recruiter_ids": LIST,
        "sales_ids": LIST,
        "skills": STR,
        "description_text": STR,
        "bill_rate_min": FLOAT,
        "bill_rate_max": FLOAT,
        "pay_rate_min": FLOAT,
        "pay_rate_max": FLOAT,
        "currency": STR,
        "start_date": TS,
        "end_date": TS,
        "status_updated_at": TS,
        "source": STR,
    },
    earliest={"issued_at": TS},
    newest={"updated_at": TS},
    derived={},
)

RECRUITERS = TableSpec(
    name="recruiters",
    key=("recruiter_id",),
    latest={
        "name": STR,
        "first_name": STR,
        "last_name": STR,
        "email": STR,
        "title": STR,
        "division": STR,
        "city": STR,
        "state": STR,
        "work_phone": STR,
        "cell_phone": STR,
        "is_active": BOOL,
        "is_recruiter": BOOL,
        "is_sales": BOOL,
        "source": STR,
    },
    earliest={"created_at": TS},
    newest={"seen_at": TS},
    derived={},
)

ATTACHMENTS = TableSpec(
    name="attachments",
    key=("attachment_id",),
    latest={
        "candidate_id": STR,
        "filename": STR,
        "attachment_type": STR,
        "content_type": STR,
        "size_bytes": INT,
        "content_sha256": STR,
        "text": STR,
        "text_kind": STR,
        "extraction_error": STR,
        "source": STR,
    },
    earliest={},
    newest={"uploaded_at": TS},
    derived={},
)

TOMBSTONES = TableSpec(
    name="tombstones",
    key=("candidate_id", "kind"),
    latest={"merged_to_candidate_id": STR},
    earliest={},
    newest={"at": TS},
    derived={},
)

# Which raw partitions were merged, with a fingerprint of their files (see normalize.lake).
INGESTED_SCHEMA: dict[str, pl.DataType] = {"raw_table": STR, "partition": STR, "fingerprint": STR}
INGESTED_KEY = ("raw_table", "partition")

TABLES: dict[str, TableSpec] = {
    spec.name: spec
    for spec in (
        CANDIDATES,
        APPLICATIONS,
        JOBS,
        RECRUITERS,
        ATTACHMENTS,
        TOMBSTONES,
        RESUMES,
        ACTIVITIES,
    )
}
