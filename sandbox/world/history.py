"""The candidate timeline: creation times and ids, updates, tombstones, and the versions table.

Most candidates exist before `history_start` (the initial snapshot); the rest are created during
the history. Updates, deletions, merges of ATS duplicates and redactions are spread over the
history so that every day has at least one change.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import numpy as np
import polars as pl

from sandbox.world import places
from sandbox.world.candidates import CandidatePlan, title_at
from sandbox.world.common import day_slices, random_instants, to_us
from sandbox.world.config import WorldConfig
from sandbox.world.people import us_phone_numbers
from sandbox.world.spellings import phone_spellings
from sandbox.world.vocab import location_table

FIRST_CANDIDATE_ID = 19_500_000_000_000
SNAPSHOT_SHARE = 0.88
UPDATE_RATE_PER_DAY = 0.012  # history updates per candidate per day
MERGE_SHARE = 0.5  # of ATS duplicates, merged into their survivor during the history
DELETE_SHARE = 0.012
REDACT_SHARE = 0.006
PRIVACY_MASKS = (63, 63, 25, 1, 16, 24, 8, 32, 7, 31)
EVENT_KINDS = (
    "phone",
    "email",
    "move",
    "linkedin",
    "title",
    "salary",
    "active",
    "apptype",
    "resume",
)
EVENT_WEIGHTS = (0.22, 0.16, 0.12, 0.12, 0.08, 0.05, 0.06, 0.04, 0.15)
HOUR = np.timedelta64(3600, "s").astype("timedelta64[us]")
SECOND = np.timedelta64(1, "s").astype("timedelta64[us]")
DAY = np.timedelta64(1, "D").astype("timedelta64[us]")

VERSION_COLUMNS = (
    "candidate_id",
    "version_at",
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
    "created_at",
    "updated_at",
    "profile_updated_at",
    "userfield_updated_at",
    "current_salary",
    "application_type",
    "is_active",
    "title_hint",
    "skills_text",
)


@dataclass(frozen=True)
class Timeline:
    rows: pl.DataFrame  # one per candidate, ordered by creation (= id order)
    tombstones: pl.DataFrame
    events: pl.DataFrame  # updates: candidate row, time, kind and pre-drawn values


def schedule(rng: np.random.Generator, plan: CandidatePlan, config: WorldConfig) -> Timeline:
    count = len(plan.person)
    start, end = to_us(config.history_start), to_us(config.history_end)
    earliest = to_us(config.earliest) + DAY
    is_dup = plan.duplicate_of >= 0
    showcase = np.zeros(count, dtype=bool)
    showcase[plan.showcase_row] = True
    created = _creation_times(rng, count, is_dup, showcase, plan.duplicate_of, earliest, start, end)

    order = np.argsort(created, kind="stable")
    rank = np.empty(count, dtype=np.int64)
    rank[order] = np.arange(count)
    created = created[order]
    ids = FIRST_CANDIDATE_ID + np.cumsum(rng.integers(1_000, 1_500_000, count))
    original = np.where(is_dup, rank[np.maximum(plan.duplicate_of, 0)], -1)[order]
    is_dup, showcase = is_dup[order], showcase[order]
    age = (end - created).astype(np.int64) / max((end - earliest).astype(np.int64), 1)
    is_active = (rng.random(count) >= 0.08 + 0.33 * age) & ~showcase
    rows = pl.DataFrame(
        {
            "row": np.arange(count),
            "candidate_id": ids,
            "person": plan.person[order],
            "matched": plan.matched[order],
            "is_duplicate": is_dup,
            "original_row": original,
            "showcase": showcase,
            "created_at": created,
            "is_active": is_active,
            "application_type": np.where(rng.random(count) < 0.28, "Prospect", "Candidate"),
        }
    )
    rows = rows.with_columns(_duplicate_groups(original, ids))
    tombstones = _tombstones(rng, rows, start, end)
    events = _events(rng, rows, tombstones, config, start, end)
    return Timeline(rows, tombstones, events)


def _creation_times(
    rng: np.random.Generator,
    count: int,
    is_dup: np.ndarray,
    showcase: np.ndarray,
    duplicate_of: np.ndarray,
    earliest: np.datetime64,
    start: np.datetime64,
    end: np.datetime64,
) -> np.ndarray:
    span = (start - earliest - DAY).astype(np.int64)
    # Density grows towards the present: the ATS adds more records every year.
    anchor = earliest + (np.sqrt(rng.random(count)) * span).astype(np.int64).astype(
        "timedelta64[us]"
    )
    day = anchor.astype("datetime64[D]").astype("datetime64[us]")
    snapshot = random_instants(
        rng, np.maximum(day, earliest), np.minimum(day + DAY - SECOND, start - SECOND)
    )
    during = random_instants(rng, np.full(count, start), np.full(count, end - HOUR))
    in_history = (rng.random(count) >= SNAPSHOT_SHARE) & ~showcase
    created = np.where(in_history, during, snapshot)
    # A duplicate record is entered after the original one.
    dup_rows = np.flatnonzero(is_dup)
    lo = created[duplicate_of[dup_rows]] + DAY
    hi = np.full(len(dup_rows), end - HOUR)
    created[dup_rows] = random_instants(rng, np.minimum(lo, hi), hi)
    return created


def _duplicate_groups(original: np.ndarray, ids: np.ndarray) -> pl.Series:
    """Group number per candidate in an ATS duplicate group (null otherwise), numbered by the
    survivor's id."""
    survivors = np.unique(original[original >= 0])
    group_of_row = np.full(len(ids), -1, dtype=np.int64)
    group_of_row[survivors] = np.arange(1, len(survivors) + 1)
    members = np.flatnonzero(original >= 0)
    group_of_row[members] = group_of_row[original[members]]
    return pl.Series(
        "duplicate_group", np.where(group_of_row > 0, group_of_row, None).tolist(), dtype=pl.Int64
    )


def _at_least_one(rng: np.random.Generator, eligible: np.ndarray, share: float) -> np.ndarray:
    if len(eligible) == 0:
        return eligible
    chosen = eligible[rng.random(len(eligible)) < share]
    if len(chosen) == 0:
        chosen = eligible[[int(rng.integers(0, len(eligible)))]]
    return chosen


def _tombstones(
    rng: np.random.Generator, rows: pl.DataFrame, start: np.datetime64, end: np.datetime64
) -> pl.DataFrame:
    created = rows["created_at"].to_numpy()
    ids = rows["candidate_id"].to_numpy()
    original = rows["original_row"].to_numpy()
    is_dup = rows["is_duplicate"].to_numpy()
    is_original = rows["duplicate_group"].is_not_null().to_numpy() & ~is_dup
    showcase = rows["showcase"].to_numpy()
    old_enough = created < end - 2 * HOUR
    count = len(ids)

    merged = _at_least_one(rng, np.flatnonzero(is_dup & old_enough), MERGE_SHARE)
    plain = np.flatnonzero(~is_dup & ~is_original & ~showcase & old_enough)
    deleted = (
        rng.choice(plain, min(max(1, round(count * DELETE_SHARE)), len(plain) // 3), replace=False)
        if len(plain) >= 3
        else plain[:0]
    )
    rest = np.setdiff1d(plain, deleted)
    redacted = (
        rng.choice(rest, min(max(1, round(count * REDACT_SHARE)), len(rest) // 3), replace=False)
        if len(rest) >= 3
        else rest[:0]
    )
    kinds = [("merged", merged), ("deleted", np.sort(deleted)), ("redacted", np.sort(redacted))]
    frames = []
    for kind, which in kinds:
        lo = np.maximum(created[which] + HOUR, start)
        at = random_instants(rng, lo, np.full(len(which), end))
        frames.append(
            pl.DataFrame(
                {
                    "row": which.astype(np.int64),
                    "candidate_id": ids[which],
                    "kind": [kind] * len(which),
                    "merged_to_candidate_id": ids[original[which]] if kind == "merged" else None,
                    "at": at,
                    "privacy_mask": np.array(PRIVACY_MASKS)[
                        rng.integers(0, len(PRIVACY_MASKS), len(which))
                    ]
                    if kind == "redacted"
                    else None,
                },
                schema={
                    "row": pl.Int64,
                    "candidate_id": pl.Int64,
                    "kind": pl.String,
                    "merged_to_candidate_id": pl.Int64,
                    "at": pl.Datetime("us"),
                    "privacy_mask": pl.Int64,
                },
            )
        )
    return pl.concat(frames).sort("at", "candidate_id")


def _events(
    rng: np.random.Generator,
    rows: pl.DataFrame,
    tombstones: pl.DataFrame,
    config: WorldConfig,
    start: np.datetime64,
    end: np.datetime64,
) -> pl.DataFrame:
    created = rows["created_at"].to_numpy()
    count = len(created)
    showcase = rows["showcase"].to_numpy()
    ended_at = np.full(count, end + DAY)
    tomb_rows = tombstones["row"].to_numpy()
    ended_at[tomb_rows] = tombstones["at"].to_numpy()

    # Before the history: some snapshot records were edited once or twice.
    snapshot = np.flatnonzero((created < start) & ~showcase)
    repeats = (rng.random(len(snapshot)) < 0.25).astype(int) + (rng.random(len(snapshot)) < 0.08)
    pre_rows = np.repeat(snapshot, repeats)
    lo, hi = created[pre_rows] + HOUR, np.full(len(pre_rows), start - SECOND)
    keep = lo < hi
    pre_rows = pre_rows[keep]
    pre_at = random_instants(rng, lo[keep], hi[keep])

    # During the history: updates of records that exist and are not gone at that moment.
    wanted = round(count * UPDATE_RATE_PER_DAY * config.days)
    at = random_instants(rng, np.full(wanted, start), np.full(wanted, end))
    existing = np.searchsorted(created, at, side="left")
    pick = (rng.random(wanted) * existing).astype(np.int64)
    valid = (existing > 0) & (at < ended_at[np.minimum(pick, count - 1)])
    valid &= ~showcase[np.minimum(pick, count - 1)]
    hist_rows, hist_at = pick[valid], at[valid]

    extra_rows, extra_at = _cover_every_day(
        rng, config, created, ended_at, showcase, tombstones, np.concatenate([hist_at]), start
    )
    all_rows = np.concatenate([pre_rows, hist_rows, extra_rows]).astype(np.int64)
    all_at = np.concatenate([pre_at, hist_at, extra_at])
    n = len(all_rows)
    loc = location_table()
    new_place = rng.choice(loc.us_count, n, p=loc.us_weights)
    prefixes = pl.Series(["+1"] * n)
    new_phone = phone_spellings(
        rng, prefixes, pl.Series(us_phone_numbers(rng, new_place).astype(str))
    )
    kinds = np.array(EVENT_KINDS)[rng.choice(len(EVENT_KINDS), n, p=EVENT_WEIGHTS)]
    # The showcase candidate must stay inactive (it is the data copy's encoding witness).
    kinds = np.where(showcase[all_rows] & (kinds == "active"), "phone", kinds)
    frame = pl.DataFrame(
        {
            "row": all_rows,
            "at": all_at,
            "kind": kinds,
            "new_place": new_place,
            "new_phone": new_phone,
            **{f"u{k}": rng.random(n) for k in range(4)},
            "digits": rng.integers(10, 999, n),
        }
    )
    return frame.sort("row", "at")


def _cover_every_day(
    rng: np.random.Generator,
    config: WorldConfig,
    created: np.ndarray,
    ended_at: np.ndarray,
    showcase: np.ndarray,
    tombstones: pl.DataFrame,
    update_times: np.ndarray,
    start: np.datetime64,
) -> tuple[np.ndarray, np.ndarray]:
    """Add an update to every 24-hour slice and calendar day that would otherwise be empty."""
    changes = np.sort(
        np.concatenate(
            [created[created >= start], update_times, tombstones["at"].to_numpy()]
        ).astype("datetime64[us]")
    )
    stable = np.flatnonzero((created < start) & (ended_at > to_us(config.history_end)) & ~showcase)
    if len(stable) == 0:
        stable = np.flatnonzero(ended_at > to_us(config.history_end))
    rows: list[int] = []
    times: list[np.datetime64] = []
    for a, b in day_slices(config.history_start, config.history_end):
        lo, hi = to_us(a), to_us(b)
        inside = np.searchsorted(changes, hi, side="right" if b == config.history_end else "left")
        if inside - np.searchsorted(changes, lo, side="left") > 0:
            continue
        t = random_instants(rng, np.array([lo]), np.array([max(lo, hi - SECOND)]))[0]
        row = int(stable[int(rng.integers(0, len(stable)))])
        if created[row] >= t:
            continue
        rows.append(row)
        times.append(t)
        changes = np.sort(np.append(changes, t))
    return np.array(rows, dtype=np.int64), np.array(times, dtype="datetime64[us]")


def build_versions(
    states: list[dict], rows: pl.DataFrame, events: pl.DataFrame, people_records: list[dict]
) -> tuple[pl.DataFrame, dict[int, list[datetime]]]:
    """Apply each candidate's updates in time order; one row per version.

    Returns the versions and, per candidate row, the upload times of its later resumes.
    """
    loc = location_table()
    created = rows["created_at"].to_list()
    by_row: dict[int, list[dict]] = {}
    for event in events.iter_rows(named=True):
        by_row.setdefault(event["row"], []).append(event)
    versions: list[dict] = []
    resume_uploads: dict[int, list[datetime]] = {}
    for row, state in enumerate(states):
        state = dict(state)
        state.update(
            created_at=created[row],
            profile_updated_at=created[row],
            userfield_updated_at=created[row],
        )
        versions.append(_version(state, created[row]))
        for event in by_row.get(row, ()):
            at = event["at"]
            _apply(state, event, people_records[row], loc, at)
            if event["kind"] == "resume":
                resume_uploads.setdefault(row, []).append(at)
            versions.append(_version(state, at))
    frame = pl.DataFrame(versions, schema=_version_schema(), orient="row")
    return frame, resume_uploads


def _version(state: dict, at: datetime) -> tuple:
    values = {**state, "version_at": at, "updated_at": at}
    return tuple(values[c] for c in VERSION_COLUMNS)


def _version_schema() -> dict[str, pl.DataType]:
    schema: dict[str, pl.DataType] = {c: pl.String() for c in VERSION_COLUMNS}
    schema.update(
        candidate_id=pl.Int64(),
        version_at=pl.Datetime("us"),
        created_at=pl.Datetime("us"),
        updated_at=pl.Datetime("us"),
        profile_updated_at=pl.Datetime("us"),
        userfield_updated_at=pl.Datetime("us"),
        current_salary=pl.Float64(),
        is_active=pl.Boolean(),
    )
    return schema


def _apply(state: dict, event: dict, person: dict, loc: object, at: datetime) -> None:
    kind = event["kind"]
    u = (event["u0"], event["u1"], event["u2"], event["u3"])
    if kind == "linkedin" and state["linkedin"] is not None:
        kind = "phone"
    if kind == "phone":
        if state["cell_phone"] and u[0] < 0.3:
            state["home_phone"] = state["cell_phone"]
        state["cell_phone"] = event["new_phone"]
    elif kind == "email":
        if state["email"]:
            state["alternate_email"] = state["email"]
        if person["personal_email"] != state["email"] and u[0] < 0.5:
            state["email"] = person["personal_email"]
        else:
            local = "".join(ch for ch in person["first_ascii"].lower() if ch.isalnum())
            surname = "".join(ch for ch in person["last_ascii"].lower() if ch.isalnum())
            domain = ("gmail.com", "outlook.com", "yahoo.com", "icloud.com")[int(u[1] * 4)]
            state["email"] = f"{local}.{surname}{event['digits']}@{domain}"
    elif kind == "move":
        place = event["new_place"]
        state["city"] = loc.city[place].as_py()
        state["state"] = loc.state[place].as_py()
        zip5 = int(loc.zip_base[place]) + int(u[1] * 60)
        state["zipcode"] = f"{zip5:05d}"
        street = places.STREET_NAMES[int(u[3] * len(places.STREET_NAMES))]
        state["address1"] = f"{int(u[2] * 9000) + 10} {street} St"
        state["address2"] = None
    elif kind == "linkedin":
        state["linkedin"] = state["_linkedin_when_added"]
    elif kind == "title":
        state["title_hint"] = title_at(person["positions"], at.date()) or state["title_hint"]
    elif kind == "salary":
        base = state["current_salary"] or 60_000.0
        state["current_salary"] = float(round(base * (1.03 + u[1] * 0.15), -3))
    elif kind == "active":
        state["is_active"] = not state["is_active"]
    elif kind == "apptype":
        state["application_type"] = "Candidate"
        state["userfield_updated_at"] = at
    elif kind == "resume":
        state["profile_updated_at"] = at


def tombstone_end(tombstones: pl.DataFrame, count: int, default: datetime) -> list[datetime]:
    """Per candidate row: when it disappears from reads (deleted or merged), else `default`."""
    ends = [default] * count
    gone = tombstones.filter(pl.col("kind").is_in(["deleted", "merged"]))
    for row, at in gone.select("row", "at").iter_rows():
        ends[row] = at
    return ends
