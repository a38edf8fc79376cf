"""Columns computed from merged state: application status, candidate status and type, lists.

They are pure functions of the merged tables, never merged themselves, so they inherit the
merge's order-independence. The rules (and what is assumption) are in normalize/README.md.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from datetime import datetime
from typing import Any

import polars as pl

from normalize.schema import APPLICATIONS, CANDIDATES, FIELD_VERSIONS, TS

# Pipeline stages; at equal timestamps the later stage in this list wins.
STAGES = ("Applied", "Submitted", "Interviewing", "Rejected", "Hired")
STAGE_RANK = {stage: rank for rank, stage in enumerate(STAGES, start=1)}
APPLICATION_TYPES = ("Candidate", "Prospect")
ACTION_STAGES = {"Submitted": "Submitted", "Rejected": "Rejected"}

_EVENT_SCHEMA = {"candidate_id": pl.String, "job_id": pl.String, "stage": pl.String, "at": TS}


def row_hash(row: dict[str, Any]) -> str:
    """Digest of a derived row's values (what downstream stages compare to skip unchanged rows)."""

    def default(value: Any) -> str:
        if isinstance(value, datetime):
            return value.isoformat()
        raise TypeError(type(value).__name__)

    values = {k: v for k, v in row.items() if k not in (FIELD_VERSIONS, "content_hash")}
    payload = json.dumps(values, sort_keys=True, default=default, ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _unique(values: Iterable[str | None]) -> list[str]:
    return list(dict.fromkeys(v for v in values if v))


# --------------------------------------------------------------------------- applications


def _activity_events(activities: pl.DataFrame) -> pl.DataFrame:
    """One event per stage an activity reached; a flag without its date uses the update time."""
    stages = (
        ("Submitted", "submitted", "submitted_at"),
        ("Interviewing", "interviewed", "interview_at"),
        ("Rejected", "rejected", "rejected_at"),
        ("Hired", "hired", "start_at"),
    )
    frames = [
        activities.filter(pl.col(flag).fill_null(False)).select(
            "candidate_id",
            "job_id",
            pl.lit(stage).alias("stage"),
            pl.coalesce(date, "updated_at", "created_at").alias("at"),
        )
        for stage, flag, date in stages
    ]
    return pl.concat([pl.DataFrame(schema=_EVENT_SCHEMA), *frames], how="vertical_relaxed")


def _application_events(base: pl.DataFrame) -> pl.DataFrame:
    applied = base.filter(pl.col("applied_at").is_not_null()).select(
        "candidate_id", "job_id", pl.lit("Applied").alias("stage"), pl.col("applied_at").alias("at")
    )
    acted = base.filter(pl.col("action").is_in(list(ACTION_STAGES))).select(
        "candidate_id",
        "job_id",
        pl.col("action").replace_strict(ACTION_STAGES).alias("stage"),
        pl.coalesce("action_at", "applied_at").alias("at"),
    )
    return pl.concat([pl.DataFrame(schema=_EVENT_SCHEMA), applied, acted], how="vertical_relaxed")


def _latest_stage(events: pl.DataFrame) -> pl.DataFrame:
    """Per pair: the stage of the latest event (ties: the later stage), and when."""
    ranked = events.with_columns(
        pl.col("stage").replace_strict(STAGE_RANK, return_dtype=pl.Int32).alias("rank")
    )
    # An undated event (no date and no update time) only counts when nothing else is dated.
    order = {"by": ["at", "rank"], "nulls_last": False}
    return ranked.group_by("candidate_id", "job_id").agg(
        pl.col("stage").sort_by(**order).last().alias("status"),
        pl.col("at").sort_by(**order).last().alias("status_at"),
        pl.col("at").max().alias("last_event_at"),
    )


def _latest_activity(activities: pl.DataFrame) -> pl.DataFrame:
    """Per pair: the most recently updated activity, whose recruiter owns the application."""
    order = ("updated_at", "activity_id")
    return activities.group_by("candidate_id", "job_id").agg(
        pl.col("activity_id").sort_by(*order).last(),
        pl.col("user_id").sort_by(*order).last().alias("activity_user_id"),
        pl.col("submitted_at").sort_by(*order).last(),
        pl.col("interview_at").sort_by(*order).last(),
        pl.col("rejected_at").sort_by(*order).last(),
        pl.col("reject_reason").sort_by(*order).last(),
        pl.when(pl.col("hired").fill_null(False))
        .then(pl.coalesce("start_at", "updated_at"))
        .otherwise(None)
        .sort_by(*order)
        .last()
        .alias("hired_at"),
        pl.col("updated_at").max().alias("activity_updated_at"),
    )


def derive_applications(
    base: pl.DataFrame, activities: pl.DataFrame, jobs: pl.DataFrame, recruiters: pl.DataFrame
) -> pl.DataFrame:
    """The applications table: every (candidate, job) with an application record or a
    submittal activity, its status, job title and recruiter."""
    versions = [pl.col(FIELD_VERSIONS).struct.field(f) for f in APPLICATIONS.latest]
    base = base.filter(pl.any_horizontal(v.is_not_null() for v in versions))
    activities = activities.filter(
        pl.col("candidate_id").is_not_null() & pl.col("job_id").is_not_null()
    )
    pairs = pl.concat(
        [base.select("candidate_id", "job_id"), activities.select("candidate_id", "job_id")]
    ).unique()
    events = pl.concat([_application_events(base), _activity_events(activities)])
    rows = (
        pairs.join(base, on=["candidate_id", "job_id"], how="left")
        .join(_latest_stage(events), on=["candidate_id", "job_id"], how="left")
        .join(_latest_activity(activities), on=["candidate_id", "job_id"], how="left")
        .join(
            jobs.select("job_id", pl.col("title").alias("job_title"), "primary_recruiter_id"),
            on="job_id",
            how="left",
        )
        .with_columns(
            pl.coalesce("activity_user_id", "action_user_id", "primary_recruiter_id").alias(
                "recruiter_id"
            ),
            pl.col("applied_at").is_not_null().alias("is_application"),
            pl.max_horizontal(
                "last_event_at", "activity_updated_at", "applied_at", "action_at"
            ).alias("updated_at"),
            pl.col("source").fill_null("api"),
        )
        .join(
            recruiters.select(pl.col("recruiter_id"), pl.col("name").alias("recruiter_name")),
            on="recruiter_id",
            how="left",
        )
    )
    return _with_content_hash(APPLICATIONS.conform(rows))


# --------------------------------------------------------------------------- candidates


def _application_summary(applications: pl.DataFrame) -> pl.DataFrame:
    ranked = applications.with_columns(
        pl.col("status").replace_strict(STAGE_RANK, default=0, return_dtype=pl.Int32).alias("rank")
    )
    return ranked.group_by("candidate_id").agg(
        pl.col("is_application").any().alias("has_application"),
        pl.col("status").sort_by("status_at", "rank", nulls_last=False).last(),
        pl.col("status_at").sort_by("status_at", "rank", nulls_last=False).last(),
    )


def _candidate_row(row: dict[str, Any]) -> dict[str, Any]:
    linkedin_found = row.pop("resume_linkedin_urls") or []
    github_found = row.pop("resume_github_urls") or []
    other_found = row.pop("resume_other_urls") or []
    linkedin = row["ats_linkedin_url"] or (linkedin_found[0] if linkedin_found else None)
    github = github_found[0] if github_found else None
    has_application = bool(row.pop("has_application"))
    row.update(
        emails=_unique([*(row["primary_emails"] or []), *(row["alternate_emails"] or [])]),
        phones=_unique(
            [row["cell_phone"], row["home_phone"], row["work_phone"], row["other_phone"]]
        ),
        linkedin_url=linkedin,
        github_url=github,
        # Further profile URLs (often an older LinkedIn slug) stay available to linkage.
        other_urls=_unique(
            [
                *(u for u in linkedin_found if u != linkedin),
                *(u for u in github_found if u != github),
                *other_found,
            ]
        ),
        application_type=row["ats_application_type"]
        or ("Candidate" if has_application else "Prospect"),
        application_type_source="udf" if row["ats_application_type"] else "derived",
        is_active=row["record_status"] != "Inactive",
        aliases=row["aliases"] or [],
    )
    return row


def derive_candidates(
    base: pl.DataFrame, resumes: pl.DataFrame, applications: pl.DataFrame, aliases: pl.DataFrame
) -> pl.DataFrame:
    """The candidates table for the rows of `base` (merged fields) and what hangs off them."""
    if base.is_empty():
        return CANDIDATES.empty()
    joined = (
        base.join(
            resumes.select(
                "candidate_id",
                "resume_id",
                "resume_text",
                "resume_linkedin_urls",
                "resume_github_urls",
                "resume_other_urls",
            ),
            on="candidate_id",
            how="left",
        )
        .join(_application_summary(applications), on="candidate_id", how="left")
        .join(aliases, on="candidate_id", how="left")
    )
    rows = [_candidate_row(row) for row in joined.to_dicts()]
    frame = pl.from_dicts(rows, schema=CANDIDATES.schema)
    return _with_content_hash(CANDIDATES.conform(frame))


def _with_content_hash(frame: pl.DataFrame) -> pl.DataFrame:
    if frame.is_empty():
        return frame
    hashes = [row_hash(row) for row in frame.drop(FIELD_VERSIONS).to_dicts()]
    return frame.with_columns(pl.Series("content_hash", hashes, dtype=pl.String))
