"""Tiny JobDiva worlds in the sandbox/WORLD_FORMAT.md layout, with known rows, for simulator tests.

`WorldBuilder` writes `meta.json` plus one Parquet file per table with the documented columns and
types (declared here independently of the simulator, so a drift shows up as a failing test).
`reference_world()` is the shared fixture world whose rows the conformance tests name via `REF`;
`write_bulk_world()` makes large random worlds for the performance checks.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import numpy as np
import polars as pl

from sandbox.jobdiva import SimulatorConfig, run_in_thread

TS = pl.Datetime("us")

SCHEMAS: dict[str, dict[str, Any]] = {
    "candidate_versions": {
        "candidate_id": pl.Int64,
        "version_at": TS,
        **dict.fromkeys(
            [
                "first_name",
                "last_name",
                "email",
                "alternate_email",
                "address1",
                "address2",
                "city",
                "state",
                "zipcode",
                "country",
                "work_phone",
                "work_phone_ext",
                "home_phone",
                "cell_phone",
                "fax",
                "linkedin",
            ],
            pl.Utf8,
        ),
        "created_at": TS,
        "updated_at": TS,
        "profile_updated_at": TS,
        "userfield_updated_at": TS,
        "current_salary": pl.Float64,
        "application_type": pl.Utf8,
        "is_active": pl.Boolean,
        "title_hint": pl.Utf8,
        "skills_text": pl.Utf8,
    },
    "resumes": {
        "resume_id": pl.Utf8,
        "candidate_id": pl.Int64,
        "created_at": TS,
        "updated_at": TS,
        "plaintext": pl.Utf8,
        "source": pl.Utf8,
    },
    "attachments": {
        "attachment_id": pl.Int64,
        "candidate_id": pl.Int64,
        "filename": pl.Utf8,
        "kind": pl.Utf8,
        "content_type": pl.Utf8,
        "content": pl.Binary,
        "text": pl.Utf8,
        "uploaded_at": TS,
    },
    "users": {
        "user_id": pl.Int64,
        "first_name": pl.Utf8,
        "last_name": pl.Utf8,
        "email": pl.Utf8,
        "created_at": TS,
        "updated_at": TS,
        "active": pl.Boolean,
        "division": pl.Utf8,
        "title": pl.Utf8,
        "city": pl.Utf8,
        "state": pl.Utf8,
        "work_phone": pl.Utf8,
        "recruiter_flag": pl.Boolean,
        "sales_flag": pl.Boolean,
    },
    "jobs": {
        "job_id": pl.Int64,
        "jobdiva_no": pl.Utf8,
        "optional_ref_no": pl.Utf8,
        "division_id": pl.Int64,
        "division_name": pl.Utf8,
        "company_id": pl.Int64,
        "company_name": pl.Utf8,
        "contact_id": pl.Int64,
        "contact_first_name": pl.Utf8,
        "contact_last_name": pl.Utf8,
        "primary_recruiter_id": pl.Int64,
        "primary_sales_id": pl.Int64,
        "owner_id": pl.Int64,
        "issue_date": TS,
        "updated_at": TS,
        "status_updated_at": TS,
        "start_date": TS,
        "end_date": TS,
        "position_type": pl.Utf8,
        "job_status": pl.Utf8,
        "title": pl.Utf8,
        "openings": pl.Int64,
        "fills": pl.Int64,
        "city": pl.Utf8,
        "state": pl.Utf8,
        "zipcode": pl.Utf8,
        "priority": pl.Utf8,
        "bill_rate_min": pl.Float64,
        "bill_rate_max": pl.Float64,
        "pay_rate_min": pl.Float64,
        "pay_rate_max": pl.Float64,
        "currency": pl.Utf8,
        "description_html": pl.Utf8,
        "skills": pl.Utf8,
    },
    "job_users": {
        "job_id": pl.Int64,
        "user_id": pl.Int64,
        "primary_recruiter": pl.Boolean,
        "recruiter": pl.Boolean,
        "primary_sales": pl.Boolean,
        "sales": pl.Boolean,
        "date_last_assigned": TS,
    },
    "applications": {
        "candidate_id": pl.Int64,
        "job_id": pl.Int64,
        "date_applied": TS,
        "resume_id": pl.Utf8,
        "resume_source": pl.Utf8,
        "action": pl.Utf8,
        "action_user_id": pl.Int64,
        "action_date": TS,
        "referrer": pl.Utf8,
    },
    "activities": {
        "activity_id": pl.Int64,
        "candidate_id": pl.Int64,
        "job_id": pl.Int64,
        "user_id": pl.Int64,
        "updated_by_user_id": pl.Int64,
        "created_at": TS,
        "updated_at": TS,
        "submittal_flag": pl.Boolean,
        "reject_flag": pl.Boolean,
        "interview_flag": pl.Boolean,
        "hire_flag": pl.Boolean,
        "submittal_date": TS,
        "reject_date": TS,
        "reject_reason": pl.Utf8,
        "interview_date": TS,
        "start_date": TS,
        "end_date": TS,
        "position_type": pl.Utf8,
        "agreed_bill_rate": pl.Float64,
        "agreed_pay_rate": pl.Float64,
        "currency": pl.Utf8,
    },
    "tombstones": {
        "candidate_id": pl.Int64,
        "kind": pl.Utf8,
        "merged_to_candidate_id": pl.Int64,
        "at": TS,
        "privacy_mask": pl.Int64,
    },
}


def _row(table: str, values: dict[str, Any]) -> dict[str, Any]:
    unknown = set(values) - set(SCHEMAS[table])
    if unknown:
        raise KeyError(f"{table} has no columns {sorted(unknown)}")
    return dict.fromkeys(SCHEMAS[table]) | values


@dataclass
class WorldBuilder:
    history_start: datetime
    history_end: datetime
    seed: int = 11
    client_id: int = 1000
    udf_names: tuple[str, ...] = ("Application Type", "Clearance Level")
    rows: dict[str, list[dict[str, Any]]] = field(
        default_factory=lambda: {name: [] for name in SCHEMAS}
    )

    def candidate(self, candidate_id: int, created_at: datetime, **values: Any) -> dict[str, Any]:
        """The first version: created_at = updated_at = version_at."""
        defaults = {
            "first_name": f"First{candidate_id}",
            "last_name": f"Last{candidate_id}",
            "email": f"c{candidate_id}@example.com",
            "address1": f"{candidate_id} Main St",
            "city": "Boston",
            "state": "MA",
            "zipcode": "02110",
            "country": "US",
            "cell_phone": "617-555-0100",
            "is_active": True,
        }
        version = defaults | values
        version |= {"candidate_id": candidate_id, "version_at": created_at}
        version |= {"created_at": created_at, "updated_at": created_at}
        row = _row("candidate_versions", version)
        self.rows["candidate_versions"].append(row)
        return row

    def update(self, candidate_id: int, at: datetime, **changes: Any) -> dict[str, Any]:
        """A later version copying the latest one, with `updated_at` = `version_at` = at."""
        previous = max(
            (r for r in self.rows["candidate_versions"] if r["candidate_id"] == candidate_id),
            key=lambda r: r["version_at"],
        )
        row = previous | changes | {"version_at": at, "updated_at": at}
        self.rows["candidate_versions"].append(row)
        return row

    def add(self, table: str, **values: Any) -> dict[str, Any]:
        row = _row(table, values)
        self.rows[table].append(row)
        return row

    def write(self, directory: Path) -> Path:
        directory.mkdir(parents=True, exist_ok=True)
        counts = {}
        for table, schema in SCHEMAS.items():
            frame = pl.DataFrame(self.rows[table], schema=schema, orient="row")
            frame.write_parquet(directory / f"{table}.parquet")
            counts[table] = frame.height
        meta = {
            "seed": self.seed,
            "history_start": self.history_start.isoformat(),
            "history_end": self.history_end.isoformat(),
            "days": (self.history_end - self.history_start).days,
            "counts": counts,
            "tenant": {"client_id": self.client_id, "env_number": 1, "udf_names": self.udf_names},
            "generator_version": "tests.sim_world",
        }
        (directory / "meta.json").write_text(json.dumps(meta, indent=2))
        return directory


def dt(text: str) -> datetime:
    return datetime.fromisoformat(text)


class Reference:
    """Known facts of `reference_world()` the tests assert on."""

    now: datetime = dt("2024-03-31T18:00:00")
    plain: int = 101  # created in history, never updated, nulls in ALTERNATEEMAIL/ADDRESS2
    updated: int = 102  # created 2023, new city on 2024-03-10T12:00:00
    at_from_bound: int = 103  # created exactly 2024-03-12T08:00:00
    at_to_bound: int = 104  # created exactly 2024-03-12T09:30:00
    future_version: int = 105  # created 2024-03-20, new e-mail at 2024-04-05T09:00:00
    future_created: int = 106  # created 2024-04-02T10:00:00 (after now)
    deleted: int = 107  # deleted 2024-03-15T11:00:00
    merged: int = 108  # merged into 102 at 2024-03-16T12:00:00
    redacted: int = 109  # redacted 2024-03-17T13:00:00, mask 1|16|32
    profile_touched: int = 110  # only DATEPROFILEUPDATED in history (2024-03-22T14:00:00)
    udf_touched: int = 111  # only DATEUSERFIELDUPDATED in history (2024-03-23T15:00:00)
    late_evening: int = 112  # created 2024-03-25T23:30:00, Application Type "Prospect"
    bulk_ids: tuple[int, ...] = tuple(range(200, 350))  # created 2022, untouched since
    job_open: int = 9001
    job_filled: int = 9002
    job_future: int = 9003
    activity_done: int = 7001
    activity_unfinished: int = 7002
    plain_resume: str = "101_1_1"
    plain_attachment_name: str = "Ada_Resume.PDF"
    plain_attachment_bytes: bytes = b"%PDF-1.4\n% simulated resume of candidate 101\n"
    merged_into: int = 102
    redaction_mask: int = 1 | 16 | 32


REF = Reference


def reference_world() -> WorldBuilder:
    world = WorldBuilder(history_start=dt("2024-03-01T00:00:00"), history_end=REF.now)
    _reference_candidates(world)
    _reference_documents(world)
    _reference_jobs_and_activity(world)
    return world


def _reference_candidates(w: WorldBuilder) -> None:
    w.candidate(
        REF.plain,
        dt("2024-03-04T09:00:00"),
        first_name="Ada",
        last_name="Lovelace",
        email="ada@example.com",
        linkedin="https://www.linkedin.com/in/ada-lovelace",
        current_salary=120000.0,
        application_type="Candidate",
    )
    w.candidate(REF.updated, dt("2023-06-01T10:00:00"), first_name="Grace", city="Boston")
    w.update(REF.updated, dt("2024-03-10T12:00:00"), city="Cambridge")
    w.candidate(REF.at_from_bound, dt("2024-03-12T08:00:00"))
    w.candidate(REF.at_to_bound, dt("2024-03-12T09:30:00"))
    w.candidate(REF.future_version, dt("2024-03-20T10:00:00"), email="old105@example.com")
    w.update(REF.future_version, dt("2024-04-05T09:00:00"), email="new105@example.com")
    w.candidate(REF.future_created, dt("2024-04-02T10:00:00"))
    for candidate_id in (REF.deleted, REF.merged):
        w.candidate(candidate_id, dt("2023-01-15T08:00:00"))
    w.candidate(REF.redacted, dt("2023-02-01T08:00:00"), email="secret@example.com")
    w.candidate(
        REF.profile_touched,
        dt("2022-05-05T05:00:00"),
        profile_updated_at=dt("2024-03-22T14:00:00"),
    )
    w.candidate(
        REF.udf_touched,
        dt("2022-05-06T05:00:00"),
        userfield_updated_at=dt("2024-03-23T15:00:00"),
    )
    w.candidate(REF.late_evening, dt("2024-03-25T23:30:00"), application_type="Prospect")
    for candidate_id in REF.bulk_ids:
        w.candidate(candidate_id, dt("2022-01-10T10:00:00"))
    w.add("tombstones", candidate_id=REF.deleted, kind="deleted", at=dt("2024-03-15T11:00:00"))
    w.add(
        "tombstones",
        candidate_id=REF.merged,
        kind="merged",
        merged_to_candidate_id=REF.merged_into,
        at=dt("2024-03-16T12:00:00"),
    )
    w.add(
        "tombstones",
        candidate_id=REF.redacted,
        kind="redacted",
        at=dt("2024-03-17T13:00:00"),
        privacy_mask=REF.redaction_mask,
    )


def _reference_documents(w: WorldBuilder) -> None:
    for resume_id, candidate_id, created, text in (
        (
            REF.plain_resume,
            REF.plain,
            "2024-03-04T09:05:00",
            "Engineer &amp; mentor &lt;Python&gt;",
        ),
        ("102_1_1", REF.updated, "2023-06-01T10:05:00", "Compilers"),
        ("102_2_1", REF.updated, "2024-03-10T12:05:00", "Compilers &amp; COBOL"),
        ("105_2_1", REF.future_version, "2024-04-05T09:05:00", "Written after now"),
        ("109_1_1", REF.redacted, "2023-02-01T08:05:00", "Private"),
    ):
        w.add(
            "resumes",
            resume_id=resume_id,
            candidate_id=candidate_id,
            created_at=dt(created),
            updated_at=dt(created),
            plaintext=text,
            source="Candidate",
        )
    w.add(
        "attachments",
        attachment_id=5001,
        candidate_id=REF.plain,
        filename=REF.plain_attachment_name,
        kind="resume",
        content_type="application/pdf",
        content=REF.plain_attachment_bytes,
        text="simulated resume of candidate 101",
        uploaded_at=dt("2024-03-04T09:06:00"),
    )


def _reference_jobs_and_activity(w: WorldBuilder) -> None:
    w.add(
        "users",
        user_id=501,
        first_name="Rita",
        last_name="Recruiter",
        email="rita@x.test",
        created_at=dt("2020-01-01T09:00:00"),
        updated_at=dt("2020-01-01T09:00:00"),
        active=True,
        recruiter_flag=True,
        sales_flag=False,
    )
    w.add(
        "users",
        user_id=502,
        first_name="Sam",
        last_name="Sales",
        email="sam@x.test",
        created_at=dt("2024-03-08T09:00:00"),
        updated_at=dt("2024-03-08T09:00:00"),
        active=True,
        recruiter_flag=False,
        sales_flag=True,
    )
    job_defaults = {
        "company_id": 77,
        "company_name": "Acme",
        "division_id": 3,
        "division_name": "IT",
        "contact_id": 88,
        "owner_id": 501,
        "primary_recruiter_id": 501,
        "primary_sales_id": 502,
        "openings": 2,
        "fills": 0,
        "bill_rate_min": 85.0,
        "bill_rate_max": 95.5,
    }
    w.add(
        "jobs",
        job_id=REF.job_open,
        jobdiva_no="24-00001",
        title="Data Engineer",
        issue_date=dt("2024-03-02T10:00:00"),
        updated_at=dt("2024-03-18T10:00:00"),
        job_status="OPEN",
        description_html="<p>Build <b>data</b> pipelines</p>",
        **job_defaults,
    )
    w.add(
        "jobs",
        job_id=REF.job_filled,
        jobdiva_no="23-00099",
        title="Analyst",
        issue_date=dt("2023-12-01T10:00:00"),
        updated_at=dt("2024-03-05T10:00:00"),
        status_updated_at=dt("2024-03-05T10:00:00"),
        job_status="FILLED",
        **job_defaults,
    )
    w.add(
        "jobs",
        job_id=REF.job_future,
        jobdiva_no="24-00050",
        title="Future Role",
        issue_date=dt("2024-04-03T10:00:00"),
        updated_at=dt("2024-04-03T10:00:00"),
        job_status="OPEN",
        **job_defaults,
    )
    w.add(
        "job_users",
        job_id=REF.job_open,
        user_id=501,
        primary_recruiter=True,
        recruiter=True,
        primary_sales=False,
        sales=False,
        date_last_assigned=dt("2024-03-02T10:00:00"),
    )
    w.add(
        "job_users",
        job_id=REF.job_open,
        user_id=502,
        primary_recruiter=False,
        recruiter=False,
        primary_sales=True,
        sales=True,
        date_last_assigned=dt("2024-03-02T10:00:00"),
    )
    w.add(
        "applications",
        candidate_id=REF.plain,
        job_id=REF.job_open,
        date_applied=dt("2024-03-06T10:00:00"),
        resume_id=REF.plain_resume,
        resume_source="Website",
        action="Submitted",
        action_user_id=501,
        action_date=dt("2024-03-07T11:00:00"),
    )
    w.add(
        "applications",
        candidate_id=REF.updated,
        job_id=REF.job_open,
        date_applied=dt("2024-03-11T10:00:00"),
        resume_id="102_2_1",
    )
    w.add(
        "applications",
        candidate_id=REF.at_to_bound,
        job_id=REF.job_open,
        date_applied=dt("2024-03-13T10:00:00"),
        action="Rejected",
        action_user_id=501,
        action_date=dt("2024-04-02T10:00:00"),
    )
    w.add(
        "activities",
        activity_id=REF.activity_done,
        candidate_id=REF.plain,
        job_id=REF.job_open,
        user_id=501,
        created_at=dt("2024-03-07T11:00:00"),
        updated_at=dt("2024-03-09T15:00:00"),
        submittal_flag=True,
        reject_flag=False,
        interview_flag=True,
        hire_flag=False,
        submittal_date=dt("2024-03-07T11:00:00"),
        interview_date=dt("2024-03-09T15:00:00"),
        agreed_bill_rate=90.0,
    )
    w.add(
        "activities",
        activity_id=REF.activity_unfinished,
        candidate_id=REF.updated,
        job_id=REF.job_filled,
        user_id=501,
        created_at=dt("2024-03-10T13:00:00"),
        updated_at=dt("2024-04-03T09:00:00"),
        submittal_flag=True,
        reject_flag=False,
        interview_flag=True,
        hire_flag=True,
        submittal_date=dt("2024-03-10T13:00:00"),
        interview_date=dt("2024-04-01T09:00:00"),
    )


def write_bulk_world(directory: Path, candidates: int, seed: int = 5) -> Path:
    """A random world of `candidates` candidates (~30 % updated once in history) and one resume
    each, written with vectorised polars so 100k rows take a second or two."""
    rng = np.random.default_rng(seed)
    history_start = datetime(2024, 1, 1)
    history_end = datetime(2024, 6, 30, 18, 0, 0)
    ids = np.arange(10_000_000_000, 10_000_000_000 + candidates, dtype=np.int64)
    before = rng.integers(0, 5 * 365 * 86400, candidates)
    in_history = rng.random(candidates) < 0.4
    history_seconds = int((history_end - history_start).total_seconds())
    offsets = np.where(in_history, rng.integers(0, history_seconds, candidates), -before).astype(
        "timedelta64[s]"
    )
    created = np.datetime64(history_start, "us") + offsets
    base = pl.DataFrame({"candidate_id": ids, "created_at": created}).with_columns(
        pl.col("created_at").cast(TS)
    )
    names = pl.Series(np.char.add("Name", ids.astype(str)))
    first = base.with_columns(
        version_at=pl.col("created_at"),
        updated_at=pl.col("created_at"),
        first_name=names,
        last_name=pl.lit("Bulk"),
        email=pl.concat_str(pl.lit("b"), pl.col("candidate_id").cast(pl.Utf8), pl.lit("@x.test")),
        city=pl.lit("Austin"),
        is_active=pl.lit(True),
    )
    updated_mask = rng.random(candidates) < 0.3
    update_at = np.datetime64(history_start, "us") + rng.integers(
        0, history_seconds, candidates
    ).astype("timedelta64[s]")
    second = (
        first.with_columns(pl.Series("update_at", update_at).cast(TS))
        .filter(pl.Series(updated_mask) & (pl.col("update_at") > pl.col("created_at")))
        .with_columns(version_at=pl.col("update_at"), updated_at=pl.col("update_at"))
        .with_columns(city=pl.lit("Dallas"))
        .drop("update_at")
    )
    versions = pl.concat([first, second], how="vertical")
    schema = SCHEMAS["candidate_versions"]
    versions = versions.select(
        pl.col(c).cast(t) if c in versions.columns else pl.lit(None, dtype=t).alias(c)
        for c, t in schema.items()
    )
    directory.mkdir(parents=True, exist_ok=True)
    versions.write_parquet(directory / "candidate_versions.parquet")
    resumes = base.select(
        pl.concat_str(pl.col("candidate_id").cast(pl.Utf8), pl.lit("_1_1")).alias("resume_id"),
        "candidate_id",
        "created_at",
        pl.col("created_at").alias("updated_at"),
        pl.lit("Bulk resume &amp; text").alias("plaintext"),
        pl.lit("Candidate").alias("source"),
    )
    resumes.write_parquet(directory / "resumes.parquet")
    builder = WorldBuilder(history_start=history_start, history_end=history_end, seed=seed)
    for table, schema in SCHEMAS.items():
        if table not in ("candidate_versions", "resumes"):
            pl.DataFrame(schema=schema).write_parquet(directory / f"{table}.parquet")
    meta = {
        "seed": builder.seed,
        "history_start": history_start.isoformat(),
        "history_end": history_end.isoformat(),
        "days": (history_end - history_start).days,
        "counts": {"candidate_versions": versions.height, "resumes": resumes.height},
        "tenant": {"client_id": 1000, "env_number": 1, "udf_names": ["Application Type"]},
        "generator_version": "tests.sim_world.bulk",
    }
    (directory / "meta.json").write_text(json.dumps(meta))
    return directory


def config_for(world_dir: Path, **overrides: Any) -> SimulatorConfig:
    """A test config: fixed credentials, and quirks that would blur assertions switched off
    unless a test turns them on (quoting, "Null" literals, empty-data shape)."""
    settings: dict[str, Any] = {
        "world_dir": world_dir,
        "client_id": 1000,
        "username": "api@sandbox.jobdiva.test",
        "password": "sandbox-password",
        "token_quoting": "never",
        "null_literal_rate": 0.0,
        "empty_data": "list",
    }
    return SimulatorConfig(**(settings | overrides))


def window(start: str, end: str) -> dict[str, str]:
    """fromDate/toDate query parameters from ISO strings."""
    fmt = "%m/%d/%Y %H:%M:%S"
    return {"fromDate": dt(start).strftime(fmt), "toDate": dt(end).strftime(fmt)}


def days_after(start: str, days: int) -> str:
    return (dt(start) + timedelta(days=days)).isoformat()


CREDENTIALS = {
    "clientid": "1000",
    "username": "api@sandbox.jobdiva.test",
    "password": "sandbox-password",
}


def login(client: httpx.Client) -> str:
    """A fresh access token from the bare-token endpoint (quotes stripped if any)."""
    response = client.get("/apiv2/authenticate", params=CREDENTIALS)
    response.raise_for_status()
    return response.text.strip().strip('"')


def bi(
    client: httpx.Client, token: str, name: str, params: Any = None, *, v1: bool = False
) -> httpx.Response:
    prefix = "/api/bi/" if v1 else "/apiv2/bi/"
    return client.get(prefix + name, params=params, headers={"Authorization": f"Bearer {token}"})


def rows(response: httpx.Response) -> list[dict[str, str]]:
    """`data` as a list whatever its shape (list, bare object for one row, or null)."""
    assert response.status_code == 200, response.text
    data = response.json()["data"]
    if data is None:
        return []
    return [data] if isinstance(data, dict) else data


def ids_of(response: httpx.Response, column: str = "CANDIDATEID") -> list[int]:
    return [int(row[column]) for row in rows(response)]


@contextlib.contextmanager
def serve(world_dir: Path, **overrides: Any) -> Iterator[tuple[httpx.Client, str]]:
    """A running simulator over `world_dir` and a logged-in client: (http, token)."""
    with (
        run_in_thread(config_for(world_dir, **overrides)) as simulator,
        httpx.Client(base_url=simulator.base_url, timeout=10) as http,
    ):
        yield http, login(http)
