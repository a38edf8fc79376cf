"""The world on disk (sandbox/WORLD_FORMAT.md) and its state "as of now".

`World` is the immutable load; `WorldState` adds the movable clock and in-memory writes and
answers every read with polars frames that already follow the format's visibility rules: nothing
from the future, tombstoned candidates gone everywhere, redaction masks applied.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import polars as pl

from sandbox.jobdiva.formatting import INACCESSIBLE

EASTERN = ZoneInfo("America/New_York")
DATETIME = pl.Datetime("us")
STR = pl.Utf8
I64 = pl.Int64
F64 = pl.Float64
BOOL = pl.Boolean

TABLE_SCHEMAS: dict[str, dict[str, pl.DataType]] = {
    "candidate_versions": {
        "candidate_id": I64,
        "version_at": DATETIME,
        "first_name": STR,
        "last_name": STR,
        "email": STR,
        "alternate_email": STR,
        "address1": STR,
        "address2": STR,
        "city": STR,
        "state": STR,
        "zipcode": STR,
        "country": STR,
        "work_phone": STR,
        "work_phone_ext": STR,
        "home_phone": STR,
        "cell_phone": STR,
        "fax": STR,
        "linkedin": STR,
        "created_at": DATETIME,
        "updated_at": DATETIME,
        "profile_updated_at": DATETIME,
        "userfield_updated_at": DATETIME,
        "current_salary": F64,
        "application_type": STR,
        "is_active": BOOL,
        "title_hint": STR,
        "skills_text": STR,
    },
    "resumes": {
        "resume_id": STR,
        "candidate_id": I64,
        "created_at": DATETIME,
        "updated_at": DATETIME,
        "plaintext": STR,
        "source": STR,
    },
    "attachments": {
        "attachment_id": I64,
        "candidate_id": I64,
        "filename": STR,
        "kind": STR,
        "content_type": STR,
        "content": pl.Binary,
        "text": STR,
        "uploaded_at": DATETIME,
    },
    "users": {
        "user_id": I64,
        "first_name": STR,
        "last_name": STR,
        "email": STR,
        "created_at": DATETIME,
        "updated_at": DATETIME,
        "active": BOOL,
        "division": STR,
        "title": STR,
        "city": STR,
        "state": STR,
        "work_phone": STR,
        "recruiter_flag": BOOL,
        "sales_flag": BOOL,
    },
    "jobs": {
        "job_id": I64,
        "jobdiva_no": STR,
        "optional_ref_no": STR,
        "division_id": I64,
        "division_name": STR,
        "company_id": I64,
        "company_name": STR,
        "contact_id": I64,
        "contact_first_name": STR,
        "contact_last_name": STR,
        "primary_recruiter_id": I64,
        "primary_sales_id": I64,
        "owner_id": I64,
        "issue_date": DATETIME,
        "updated_at": DATETIME,
        "status_updated_at": DATETIME,
        "start_date": DATETIME,
        "end_date": DATETIME,
        "position_type": STR,
        "job_status": STR,
        "title": STR,
        "openings": I64,
        "fills": I64,
        "city": STR,
        "state": STR,
        "zipcode": STR,
        "priority": STR,
        "bill_rate_min": F64,
        "bill_rate_max": F64,
        "pay_rate_min": F64,
        "pay_rate_max": F64,
        "currency": STR,
        "description_html": STR,
        "skills": STR,
    },
    "job_users": {
        "job_id": I64,
        "user_id": I64,
        "primary_recruiter": BOOL,
        "recruiter": BOOL,
        "primary_sales": BOOL,
        "sales": BOOL,
        "date_last_assigned": DATETIME,
    },
    "applications": {
        "candidate_id": I64,
        "job_id": I64,
        "date_applied": DATETIME,
        "resume_id": STR,
        "resume_source": STR,
        "action": STR,
        "action_user_id": I64,
        "action_date": DATETIME,
        "referrer": STR,
    },
    "activities": {
        "activity_id": I64,
        "candidate_id": I64,
        "job_id": I64,
        "user_id": I64,
        "updated_by_user_id": I64,
        "created_at": DATETIME,
        "updated_at": DATETIME,
        "submittal_flag": BOOL,
        "reject_flag": BOOL,
        "interview_flag": BOOL,
        "hire_flag": BOOL,
        "submittal_date": DATETIME,
        "reject_date": DATETIME,
        "reject_reason": STR,
        "interview_date": DATETIME,
        "start_date": DATETIME,
        "end_date": DATETIME,
        "position_type": STR,
        "agreed_bill_rate": F64,
        "agreed_pay_rate": F64,
        "currency": STR,
    },
    "tombstones": {
        "candidate_id": I64,
        "kind": STR,
        "merged_to_candidate_id": I64,
        "at": DATETIME,
        "privacy_mask": I64,
    },
}

TOMBSTONE_KINDS = ("deleted", "merged", "redacted")
# WORLD_FORMAT.md / reference §5: privacy bitmask → masked candidate columns.
PRIVACY_MASK_COLUMNS: dict[int, tuple[str, ...]] = {
    1: ("first_name", "last_name"),
    2: ("address1", "address2"),
    4: ("city", "state", "zipcode", "country"),
    8: ("work_phone", "work_phone_ext", "home_phone", "cell_phone", "fax"),
    16: ("email", "alternate_email"),
}
RESUME_MASK_BIT = 32
# Columns a write or an admin call may set on a candidate (the rest is bookkeeping).
CANDIDATE_EDITABLE_COLUMNS = tuple(
    name
    for name in TABLE_SCHEMAS["candidate_versions"]
    if name not in {"candidate_id", "version_at", "created_at", "updated_at"}
)


@dataclass(frozen=True)
class WorldMeta:
    seed: int
    history_start: datetime
    history_end: datetime
    client_id: int | None
    env_number: int
    udf_names: tuple[str, ...]
    raw: Mapping[str, Any] = field(repr=False)

    @classmethod
    def from_json(cls, raw: Mapping[str, Any]) -> WorldMeta:
        tenant = raw.get("tenant") or {}
        client_id = tenant.get("client_id")
        return cls(
            seed=int(raw.get("seed") or 0),
            history_start=parse_eastern_iso(raw["history_start"]),
            history_end=parse_eastern_iso(raw["history_end"]),
            client_id=int(client_id) if client_id is not None else None,
            env_number=int(tenant.get("env_number") or 1),
            udf_names=tuple(tenant.get("udf_names") or ()),
            raw=raw,
        )


def parse_eastern_iso(text: str) -> datetime:
    """ISO timestamp as naive US-Eastern wall clock (aware values are converted)."""
    value = datetime.fromisoformat(text)
    if value.tzinfo is not None:
        value = value.astimezone(EASTERN).replace(tzinfo=None)
    return value


def conform(frame: pl.DataFrame, schema: Mapping[str, pl.DataType]) -> pl.DataFrame:
    """Add missing columns as nulls and normalise ids, flags and timestamps to the contract."""
    columns = []
    for name, dtype in schema.items():
        if name not in frame.columns:
            columns.append(pl.lit(None, dtype=dtype).alias(name))
            continue
        actual = frame.schema[name]
        if dtype == DATETIME and actual != DATETIME:
            columns.append(_as_naive_datetime(name, actual))
        elif dtype in (I64, BOOL, F64) and actual != dtype:
            columns.append(pl.col(name).cast(dtype, strict=False))
    return frame.with_columns(columns) if columns else frame


def _as_naive_datetime(name: str, actual: pl.DataType) -> pl.Expr:
    column = pl.col(name)
    if isinstance(actual, pl.Datetime) and actual.time_zone is not None:
        column = column.dt.convert_time_zone(str(EASTERN)).dt.replace_time_zone(None)
    return column.cast(DATETIME).alias(name)


def empty_table(name: str) -> pl.DataFrame:
    return pl.DataFrame(schema=TABLE_SCHEMAS[name])


@dataclass
class World:
    """A loaded world directory. Profiles and truth tables are not served, so not loaded."""

    meta: WorldMeta
    tables: dict[str, pl.DataFrame]

    @classmethod
    def load(cls, directory: Path | str) -> World:
        directory = Path(directory)
        meta = WorldMeta.from_json(json.loads((directory / "meta.json").read_text()))
        tables = {name: _read_table(directory, name) for name in TABLE_SCHEMAS}
        return cls(meta=meta, tables=tables)


def _read_table(directory: Path, name: str) -> pl.DataFrame:
    path = directory / f"{name}.parquet"
    if not path.exists():
        return empty_table(name)
    return conform(pl.read_parquet(path), TABLE_SCHEMAS[name])


def _with_valid_until(versions: pl.DataFrame) -> pl.DataFrame:
    """Index each version by the instant the next one replaces it: the as-of filter is a scan."""
    return (
        versions.drop("_valid_until", strict=False)
        .sort(["candidate_id", "version_at"], maintain_order=True)
        .with_columns(pl.col("version_at").shift(-1).over("candidate_id").alias("_valid_until"))
    )


def _not_after(column: str, now: datetime) -> pl.Expr:
    return pl.col(column).is_not_null() & (pl.col(column) <= now)


def _is_future(column: str, now: datetime) -> pl.Expr:
    return pl.col(column).is_not_null() & (pl.col(column) > now)


class WorldState:
    """The world as of a movable "now", plus in-memory writes. Not thread-safe: the server
    touches it only from its event loop."""

    def __init__(self, world: World, now: datetime | None = None) -> None:
        self.meta = world.meta
        self._now = now or world.meta.history_end
        self.generation = 0
        tables = world.tables
        self._versions = _with_valid_until(tables["candidate_versions"])
        self._resumes = tables["resumes"]
        attachments = tables["attachments"].with_row_index("_row")
        self._attachment_content = attachments.select("_row", "content")
        self._attachments = attachments.drop("content", "text")
        self._users = tables["users"]
        self._jobs = tables["jobs"]
        self._job_users = tables["job_users"]
        self._applications = tables["applications"]
        self._activities = tables["activities"]
        self._tombstones = tables["tombstones"]
        self._cache: dict[str, pl.DataFrame] = {}

    # ----- clock and cache -------------------------------------------------------------------

    @property
    def now(self) -> datetime:
        return self._now

    def set_now(self, now: datetime) -> None:
        self._now = now
        self._cache.clear()

    def _changed(self) -> None:
        self.generation += 1
        self._cache.clear()

    def _cached(self, key: str, compute: Callable[[], pl.DataFrame]) -> pl.DataFrame:
        if key not in self._cache:
            self._cache[key] = compute()
        return self._cache[key]

    # ----- candidates ------------------------------------------------------------------------

    def current_versions(self) -> pl.DataFrame:
        """Latest version of every candidate created by now, before tombstones and masks."""
        now = self._now
        return self._cached(
            "current_versions",
            lambda: self._versions.filter(
                (pl.col("version_at") <= now)
                & (pl.col("_valid_until").is_null() | (pl.col("_valid_until") > now))
            ).drop("_valid_until"),
        )

    def tombstones(self) -> pl.DataFrame:
        """Tombstone events that happened by now."""
        return self._cached(
            "tombstones", lambda: self._tombstones.filter(_not_after("at", self._now))
        )

    def gone_candidate_ids(self) -> pl.DataFrame:
        return self._cached(
            "gone",
            lambda: (
                self.tombstones()
                .filter(pl.col("kind").is_in(["deleted", "merged"]))
                .select("candidate_id")
                .unique()
            ),
        )

    def live_versions(self) -> pl.DataFrame:
        """Current versions of candidates not deleted or merged away (unmasked)."""
        return self._cached(
            "live_versions",
            lambda: self.current_versions().join(
                self.gone_candidate_ids(), on="candidate_id", how="anti"
            ),
        )

    def candidates(self) -> pl.DataFrame:
        """Visible candidates as served: masks applied, plus `privacy_mask` and `resume_count`."""
        return self._cached("candidates", self._compute_candidates)

    def _compute_candidates(self) -> pl.DataFrame:
        masks = (
            self.tombstones()
            .filter(pl.col("kind") == "redacted")
            .group_by("candidate_id")
            .agg(pl.col("privacy_mask").fill_null(0).bitwise_or())
        )
        resume_counts = (
            self._resumes_created()
            .group_by("candidate_id")
            .agg(pl.len().cast(I64).alias("resume_count"))
        )
        frame = (
            self.live_versions()
            .join(masks, on="candidate_id", how="left")
            .join(resume_counts, on="candidate_id", how="left")
            .with_columns(
                pl.col("privacy_mask").fill_null(0),
                pl.col("resume_count").fill_null(0),
            )
        )
        return frame.with_columns(_masked_columns(frame.columns))

    # ----- dependent tables ------------------------------------------------------------------

    def _visible_candidate_ids(self) -> pl.DataFrame:
        return self.candidates().select("candidate_id", "privacy_mask")

    def _resumes_created(self) -> pl.DataFrame:
        return self._cached(
            "resumes_created", lambda: self._resumes.filter(_not_after("created_at", self._now))
        )

    def resumes(self) -> pl.DataFrame:
        """Resumes of visible candidates; a resume-masked candidate's resume ids are null."""

        def compute() -> pl.DataFrame:
            frame = self._resumes_created().join(
                self._visible_candidate_ids(), on="candidate_id", how="inner"
            )
            return frame.with_columns(
                _clamp_future("updated_at", "created_at", self._now),
                _null_if_resume_masked("resume_id"),
            )

        return self._cached("resumes", compute)

    def attachments(self) -> pl.DataFrame:
        """Attachment metadata (no content) of visible candidates; `_row` finds the content."""
        return self._cached(
            "attachments",
            lambda: self._attachments.filter(_not_after("uploaded_at", self._now)).join(
                self._visible_candidate_ids().select("candidate_id"), on="candidate_id", how="semi"
            ),
        )

    def attachment_content(self, rows: Iterable[int]) -> pl.DataFrame:
        """`_row`, `content` for the given attachment rows (content is only read on demand)."""
        wanted = pl.DataFrame({"_row": list(rows)}, schema={"_row": pl.UInt32})
        return wanted.join(self._attachment_content, on="_row", how="left")

    def applications(self) -> pl.DataFrame:
        """Applications of visible candidates; an action dated after now is not yet taken."""

        def compute() -> pl.DataFrame:
            frame = self._applications.filter(_not_after("date_applied", self._now)).join(
                self._visible_candidate_ids(), on="candidate_id", how="inner"
            )
            action_pending = _is_future("action_date", self._now)
            return frame.with_columns(
                *(
                    pl.when(action_pending).then(None).otherwise(pl.col(c)).alias(c)
                    for c in ("action", "action_user_id", "action_date")
                ),
                _null_if_resume_masked("resume_id"),
            )

        return self._cached("applications", compute)

    def activities(self) -> pl.DataFrame:
        """Activities of visible candidates. The world stores only their final state, so before
        the last update the events dated after now are blanked (an approximation)."""
        return self._cached("activities", self._compute_activities)

    def _compute_activities(self) -> pl.DataFrame:
        now = self._now
        frame = self._activities.filter(_not_after("created_at", now)).join(
            self._visible_candidate_ids().select("candidate_id"), on="candidate_id", how="semi"
        )
        events = (
            ("submittal_flag", "submittal_date"),
            ("reject_flag", "reject_date"),
            ("interview_flag", "interview_date"),
        )
        frame = frame.with_columns(
            pl.col("reject_reason").alias("_reject_reason"),
            *(_is_future(date, now).alias(f"_hide_{date}") for _, date in events),
            _is_future("updated_at", now).alias("_unfinished"),
        )
        frame = frame.with_columns(
            *(
                pl.when(pl.col(f"_hide_{date}")).then(False).otherwise(pl.col(flag)).alias(flag)
                for flag, date in events
            ),
            *(
                pl.when(pl.col(f"_hide_{date}")).then(None).otherwise(pl.col(date)).alias(date)
                for _, date in events
            ),
            pl.when(pl.col("_hide_reject_date"))
            .then(None)
            .otherwise(pl.col("_reject_reason"))
            .alias("reject_reason"),
            pl.when(pl.col("_unfinished"))
            .then(False)
            .otherwise(pl.col("hire_flag"))
            .alias("hire_flag"),
        )
        last_visible_event = pl.max_horizontal("created_at", *(pl.col(date) for _, date in events))
        frame = frame.with_columns(
            pl.when(pl.col("_unfinished"))
            .then(last_visible_event)
            .otherwise(pl.col("updated_at"))
            .alias("updated_at")
        )
        return frame.drop("_reject_reason", "_unfinished", *(f"_hide_{date}" for _, date in events))

    def jobs(self) -> pl.DataFrame:
        """Jobs issued by now; a status change after now is not visible yet (status OPEN)."""

        def compute() -> pl.DataFrame:
            now = self._now
            frame = self._jobs.filter(_not_after("issue_date", now))
            status_pending = _is_future("status_updated_at", now)
            frame = frame.with_columns(
                pl.when(status_pending)
                .then(pl.lit("OPEN"))
                .otherwise(pl.col("job_status"))
                .alias("job_status"),
                pl.when(status_pending)
                .then(None)
                .otherwise(pl.col("status_updated_at"))
                .alias("status_updated_at"),
            )
            last_visible = pl.max_horizontal("issue_date", "status_updated_at")
            return frame.with_columns(
                pl.when(_is_future("updated_at", now))
                .then(last_visible)
                .otherwise(pl.col("updated_at"))
                .alias("updated_at")
            )

        return self._cached("jobs", compute)

    def users(self) -> pl.DataFrame:
        return self._cached(
            "users",
            lambda: self._users.filter(_not_after("created_at", self._now)).with_columns(
                _clamp_future("updated_at", "created_at", self._now)
            ),
        )

    def job_users(self) -> pl.DataFrame:
        def compute() -> pl.DataFrame:
            assigned = pl.col("date_last_assigned")
            return self._job_users.filter(assigned.is_null() | (assigned <= self._now)).join(
                self.jobs().select("job_id"), on="job_id", how="semi"
            )

        return self._cached("job_users", compute)

    # ----- writes ----------------------------------------------------------------------------

    def next_candidate_id(self) -> int:
        highest = [
            self._versions["candidate_id"].max(),
            self._tombstones["candidate_id"].max(),
            self._tombstones["merged_to_candidate_id"].max(),
        ]
        return int(max((value for value in highest if value is not None), default=0)) + 1

    def live_version(self, candidate_id: int) -> dict[str, Any] | None:
        rows = self.live_versions().filter(pl.col("candidate_id") == candidate_id).to_dicts()
        return rows[0] if rows else None

    def candidate_ever_existed(self, candidate_id: int) -> bool:
        return self._versions.filter(pl.col("candidate_id") == candidate_id).height > 0

    def email_holder(self, email: str) -> int | None:
        """The live candidate already holding this e-mail (case-insensitive), if any."""
        lowered = email.strip().lower()
        holders = self.live_versions().filter(
            pl.col("email").str.to_lowercase().str.strip_chars() == lowered
        )
        return int(holders["candidate_id"][0]) if holders.height else None

    def write_candidate(
        self, changes: Mapping[str, Any], candidate_id: int | None = None
    ) -> tuple[int, bool]:
        """Create (unknown id) or update (new version) a candidate at now.
        Returns (candidate_id, created)."""
        now = self._now
        current = self.live_version(candidate_id) if candidate_id is not None else None
        created = current is None
        if candidate_id is None:
            candidate_id = self.next_candidate_id()
        row: dict[str, Any] = dict.fromkeys(TABLE_SCHEMAS["candidate_versions"])
        if current is not None:
            row.update(current)
        else:
            row.update(created_at=now, is_active=True)
        row.update(changes)
        row.update(candidate_id=candidate_id, version_at=now, updated_at=now)
        self._versions = _with_valid_until(_appended(self._versions.drop("_valid_until"), row))
        self._changed()
        return candidate_id, created

    def add_tombstone(
        self,
        candidate_id: int,
        kind: str,
        merged_to_candidate_id: int | None = None,
        privacy_mask: int | None = None,
    ) -> None:
        row = {
            "candidate_id": candidate_id,
            "kind": kind,
            "merged_to_candidate_id": merged_to_candidate_id,
            "at": self._now,
            "privacy_mask": privacy_mask,
        }
        self._tombstones = _appended(self._tombstones, row)
        self._changed()

    def add_application(self, row: Mapping[str, Any]) -> None:
        self._applications = _appended(self._applications, row)
        self._changed()

    # ----- summary ---------------------------------------------------------------------------

    def counts(self) -> dict[str, int]:
        tombstones = self.tombstones()
        return {
            "candidates": self.candidates().height,
            "candidate_versions": self._versions.filter(pl.col("version_at") <= self._now).height,
            "resumes": self.resumes().height,
            "attachments": self.attachments().height,
            "applications": self.applications().height,
            "activities": self.activities().height,
            "jobs": self.jobs().height,
            "users": self.users().height,
            "deleted": tombstones.filter(pl.col("kind") == "deleted").height,
            "merged": tombstones.filter(pl.col("kind") == "merged").height,
            "redacted": tombstones.filter(pl.col("kind") == "redacted").height,
        }


def _appended(frame: pl.DataFrame, row: Mapping[str, Any]) -> pl.DataFrame:
    """The frame plus one row, typed like the frame (a world may carry extra columns or other
    dtypes than the contract's; values that do not fit become null)."""
    values = {name: row.get(name) for name in frame.columns}
    return pl.concat([frame, pl.DataFrame([values], schema=frame.schema, strict=False)])


def _masked_columns(columns: Iterable[str]) -> list[pl.Expr]:
    present = set(columns)
    expressions = []
    for bit, names in PRIVACY_MASK_COLUMNS.items():
        masked = (pl.col("privacy_mask") & bit) != 0
        expressions.extend(
            pl.when(masked).then(pl.lit(INACCESSIBLE)).otherwise(pl.col(name).cast(STR)).alias(name)
            for name in names
            if name in present
        )
    resume_masked = (pl.col("privacy_mask") & RESUME_MASK_BIT) != 0
    expressions.append(
        pl.when(resume_masked).then(0).otherwise(pl.col("resume_count")).alias("resume_count")
    )
    return expressions


def _null_if_resume_masked(column: str) -> pl.Expr:
    masked = (pl.col("privacy_mask").fill_null(0) & RESUME_MASK_BIT) != 0
    return pl.when(masked).then(None).otherwise(pl.col(column)).alias(column)


def _clamp_future(column: str, fallback: str, now: datetime) -> pl.Expr:
    return (
        pl.when(_is_future(column, now))
        .then(pl.col(fallback))
        .otherwise(pl.col(column))
        .alias(column)
    )
