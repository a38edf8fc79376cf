"""The daily cycle driven through Dagster on a real instance (Postgres), a real lake and a real
Meilisearch index: one day of JobDiva changes reaches the search results, and only it.

The world's own history holds the day's creations, updates, a merge and a redaction; the test
adds one of each kind through the simulator's admin API as well (a new candidate, an edited
e-mail, a deletion, a redaction, a merge of a candidate with applications), so every kind is
there whatever the generator drew. The simulator serves the world as of the end of day 8; the
initial load (every change day since the world's earliest date, the data copy found by the
sensor, then `refresh_job`) runs through Dagster; then the simulator's clock moves to 01:30 the
day after day 9, the schedule is evaluated for its 01:00 tick, its run request is executed and
`refresh_job` runs. Expectations come from the world's tables and the admin log, not from the
pipeline.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import dagster as dg
import httpx
import meilisearch
import polars as pl
import pytest
from dagster._core.storage.tags import (
    ASSET_PARTITION_RANGE_END_TAG,
    ASSET_PARTITION_RANGE_START_TAG,
)
from deltalake import DeltaTable
from fastapi.testclient import TestClient

from normalize.contacts import split_emails
from resources.meilisearch import SEARCH_KEY_NAME
from sandbox.jobdiva import run_in_thread
from search_api.app import create_app
from search_api.config import ApiConfig
from search_api.keys import add_key
from search_index.publisher import MeiliPublisher
from tests.drills import (
    WorldClock,
    code_location,
    dagster_home_env,
    delete_indexes,
    failed_blocking_checks,
    fresh_database,
    index_documents,
    make_world,
    midnight,
    node_metadata,
    pipeline_env,
)
from tests.sim_world import config_for

pytestmark = pytest.mark.heavy

# Seed 12's day 9 holds, besides creations and updates, a merge and a redaction of its own.
SEED = 12
EASTERN = ZoneInfo("America/New_York")
NEW_CANDIDATE = {"first_name": "Quorra", "last_name": "Zyzzyvant", "city": "Boise", "state": "ID"}
NEW_EMAIL = "quorra.zyzzyvant@example.org"
EDITED_EMAIL = "edited.daily.cycle@example.net"
ENRICHED_NODE = "enriched__enriched_candidates"
INDEX_NODE = "search__candidates_index"


# --------------------------------------------------------------------------- the world's truth


@dataclass(frozen=True)
class World:
    """The world's tables with candidate ids as strings."""

    versions: pl.DataFrame
    tombstones: pl.DataFrame
    applications: pl.DataFrame
    activities: pl.DataFrame
    attachments: pl.DataFrame
    jobs: pl.DataFrame
    users: pl.DataFrame
    resumes: pl.DataFrame

    @classmethod
    def read(cls, world_dir: Path) -> World:
        def table(name: str) -> pl.DataFrame:
            frame = pl.read_parquet(world_dir / f"{name}.parquet")
            ids = [c for c in ("candidate_id", "merged_to_candidate_id", "job_id") if c in frame]
            return frame.with_columns(pl.col(ids).cast(pl.String))

        return cls(
            versions=table("candidate_versions"),
            tombstones=table("tombstones"),
            applications=table("applications"),
            activities=table("activities"),
            attachments=table("attachments").drop("content"),
            jobs=table("jobs"),
            users=table("users"),
            resumes=table("resumes"),
        )


@dataclass(frozen=True)
class AdminLog:
    """What the test changed through `/__admin` during day 9."""

    created: str
    edited: str
    deleted: str
    redacted: str
    merged: str
    survivor: str


@dataclass(frozen=True)
class DayChanges:
    """What day 9 changed, by the world's tables plus the admin log.

    Every candidate of the world is in the mirror: the initial load extracts every change day
    since the world's `earliest`, before which nothing exists.
    """

    live_before: set[str]
    live_after: set[str]
    versioned: set[str]  # a candidate version on the day: created or updated
    created: set[str]
    removed: dict[str, str]  # candidate id → deleted / redacted / merged
    survivors: dict[str, str]  # merged id → survivor
    applied: set[str]  # an application dated on the day
    activity: set[str]  # an activity (submittal, interview, hire) served as changed on the day
    on_new_job: set[str]  # an application or activity to a job issued on the day
    attached: set[str]  # an attachment uploaded on the day
    relink: set[str]  # created, or a column linkage compares changed (or a new resume)

    @property
    def touched(self) -> set[str]:
        """Live candidates whose enriched row the day's changes reach (links aside)."""
        reached = (
            self.versioned
            | set(self.survivors.values())
            | self.applied
            | self.activity
            | self.on_new_job
            | self.attached
        )
        return reached & self.live_after


def _on(frame: pl.DataFrame, column: str, start: datetime, end: datetime) -> pl.DataFrame:
    return frame.filter((pl.col(column) >= start) & (pl.col(column) < end))


def _served_activity_updates(activities: pl.DataFrame, now: datetime) -> pl.Series:
    """`updated_at` of each activity as the simulator serves it at `now`: the world keeps only
    an activity's final state, so before its last update the simulator shows the newest event
    dated by then (sandbox.jobdiva.world.WorldState.activities)."""
    events = [
        pl.when(pl.col(c) <= now).then(pl.col(c))
        for c in ("submittal_date", "interview_date", "reject_date")
    ]
    visible = pl.max_horizontal("created_at", *events)
    served = pl.when(pl.col("updated_at") <= now).then(pl.col("updated_at")).otherwise(visible)
    return activities.select(pl.max_horizontal("created_at", served)).to_series()


def day_changes(world: World, day: date, admin: AdminLog, clock: datetime) -> DayChanges:
    """Day 9's changes as the mirror sees them when the day's partition is extracted at `clock`.

    What reaches a candidate's enriched row (normalize/derive.py): its own version (created or
    updated: `updated_at` moves), a merge into it (alias, the merged candidate's applications),
    and a change to one of its applications — an application dated on the day (the application
    feed selects on DATEAPPLIED only), an activity whose served `updated_at` falls on the day
    (status, dates), a job first issued on the day (job title and recruiter of applications to
    it; a world job's title and recruiter never change, the simulator only reveals status
    changes). Attachments uploaded on the day count too.
    """
    start, end = midnight(day), midnight(day + timedelta(days=1))
    created_at = world.versions.group_by("candidate_id").agg(pl.col("version_at").min())
    existing_before = set(created_at.filter(pl.col("version_at") < start)["candidate_id"])
    gone_before = set(world.tombstones.filter(pl.col("at") < start)["candidate_id"])
    tombstones = _on(world.tombstones, "at", start, end)
    removed = dict(tombstones.select("candidate_id", "kind").rows())
    removed |= {admin.deleted: "deleted", admin.redacted: "redacted", admin.merged: "merged"}
    merges = tombstones.filter(pl.col("kind") == "merged")
    survivors = dict(merges.select("candidate_id", "merged_to_candidate_id").rows())
    survivors[admin.merged] = admin.survivor
    created = set(_on(created_at, "version_at", start, end)["candidate_id"]) | {admin.created}
    versioned = set(_on(world.versions, "version_at", start, end)["candidate_id"])
    versioned |= {admin.created, admin.edited}
    live_before = existing_before - gone_before
    live_after = (live_before | created) - set(removed)
    served = world.activities.filter(pl.col("created_at") <= clock).with_columns(
        _served_updated=_served_activity_updates(
            world.activities.filter(pl.col("created_at") <= clock), clock
        )
    )
    activities = served.filter(pl.col("_served_updated").is_between(start, end, closed="left"))
    new_jobs = _on(world.jobs, "issue_date", start, end)["job_id"].to_list()
    on_new_jobs = pl.concat(
        [
            world.applications.filter(pl.col("date_applied") <= clock).select(
                "candidate_id", "job_id"
            ),
            served.select("candidate_id", "job_id"),
        ]
    ).filter(pl.col("job_id").is_in(new_jobs))
    return DayChanges(
        live_before=live_before,
        live_after=live_after,
        versioned=versioned,
        created=created,
        removed=removed,
        survivors=survivors,
        applied=set(_on(world.applications, "date_applied", start, end)["candidate_id"]),
        activity=set(activities["candidate_id"].drop_nulls()),
        on_new_job=set(on_new_jobs["candidate_id"].drop_nulls()),
        attached=set(_on(world.attachments, "uploaded_at", start, end)["candidate_id"]),
        relink=(created | _linkage_fields_changed(world, start, end) | {admin.edited}) & live_after,
    )


# The world's columns behind normalized columns that linkage compares (LINKAGE_COLUMNS: names,
# e-mails, phones, city, state, LinkedIn URL; resume text comes from a new resume).
LINKAGE_FIELDS = [
    "first_name", "last_name", "email", "alternate_email", "cell_phone", "home_phone",
    "work_phone", "city", "state", "linkedin",
]  # fmt: skip


def _linkage_fields_changed(world: World, start: datetime, end: datetime) -> set[str]:
    """Candidates updated in [start, end) whose linkage fields differ from their version
    before `start`, or who got a new resume."""
    before = world.versions.filter(pl.col("version_at") < start).sort("version_at")
    after = world.versions.filter(pl.col("version_at") < end).sort("version_at")
    day = set(_on(world.versions, "version_at", start, end)["candidate_id"])
    last_before = before.group_by("candidate_id").last().select("candidate_id", *LINKAGE_FIELDS)
    last_after = after.group_by("candidate_id").last().select("candidate_id", *LINKAGE_FIELDS)
    unchanged = last_after.join(last_before, on=[*LINKAGE_FIELDS, "candidate_id"], nulls_equal=True)
    resumed = set(_on(world.resumes, "created_at", start, end)["candidate_id"])
    return (day - set(unchanged["candidate_id"])) | (resumed & day)


def quiet_candidates(world: World, start: datetime) -> list[str]:
    """Candidates live at `start` whom nothing in the world changes from then on, directly or
    through an application, activity, attachment or job: fit for the admin's changes."""
    later_jobs = world.jobs.filter(pl.max_horizontal("issue_date", "updated_at") >= start)
    busy = (
        set(world.versions.filter(pl.col("version_at") >= start)["candidate_id"])
        | set(world.tombstones["candidate_id"])
        | set(world.tombstones["merged_to_candidate_id"].drop_nulls())
        | set(
            world.applications.filter(
                (pl.max_horizontal("date_applied", "action_date") >= start)
                | pl.col("job_id").is_in(later_jobs["job_id"].to_list())
            )["candidate_id"]
        )
        | set(
            world.activities.filter(
                (pl.max_horizontal("created_at", "updated_at") >= start)
                | pl.col("job_id").is_in(later_jobs["job_id"].to_list())
            )["candidate_id"]
        )
        | set(world.attachments.filter(pl.col("uploaded_at") >= start)["candidate_id"])
    )
    return sorted(set(world.versions["candidate_id"]) - busy)


# --------------------------------------------------------------------------- the cycle


@dataclass(repr=False)
class Cycle:
    world_dir: Path
    lake: Path
    day: date
    changes: DayChanges
    admin: AdminLog
    requests: list[dg.RunRequest]
    runs: list[dg.RunRecord]
    before: dict[str, dict]
    after: dict[str, dict]
    raw: dict[str, dict]  # raw table → metadata of the day's extraction
    normalized: dict[str, dict]  # normalized table → metadata of the day's refresh
    linkage: dict
    enrichment: dict
    index: dict
    enriched_before: int  # version of enriched/enriched_candidates before the day
    links_before: pl.DataFrame
    links_after: pl.DataFrame
    api: TestClient
    api_headers: dict[str, str]
    defs: dg.Definitions
    ran_at: datetime  # the simulator's clock when the day's partition was extracted


def _admin(http: httpx.Client, path: str, body: dict) -> dict:
    response = http.post(f"/__admin/{path}", json=body)
    assert response.status_code == 200, response.text
    return response.json()


def _make_changes(http: httpx.Client, world: World, day: date) -> AdminLog:
    """Day 9 at 11:00: a new candidate, an edited e-mail, a deletion, a redaction and a merge
    of a candidate with applications into one without applications to the same jobs."""
    _admin(http, "advance", {"to": (midnight(day) + timedelta(hours=11)).isoformat()})
    quiet = quiet_candidates(world, midnight(day))
    apps = world.applications.group_by("candidate_id").agg(pl.col("job_id"))
    jobs_of = dict(apps.rows())
    merged = next(c for c in quiet if jobs_of.get(c))
    survivor = next(
        c for c in quiet if c != merged and not set(jobs_of.get(c, [])) & set(jobs_of[merged])
    )
    edited, deleted, redacted = [c for c in quiet if c not in (merged, survivor)][:3]
    created = _admin(http, "candidates", {**NEW_CANDIDATE, "email": NEW_EMAIL})
    assert created["created"]
    _admin(http, "candidates", {"candidate_id": int(edited), "email": EDITED_EMAIL})
    _admin(http, "tombstones", {"candidate_id": int(deleted), "kind": "deleted"})
    _admin(
        http, "tombstones", {"candidate_id": int(redacted), "kind": "redacted", "privacy_mask": 63}
    )
    _admin(
        http,
        "tombstones",
        {"candidate_id": int(merged), "kind": "merged", "merged_to_candidate_id": int(survivor)},
    )
    return AdminLog(str(created["candidate_id"]), edited, deleted, redacted, merged, survivor)


# Every dated column of the world's tables: an event in any of them is a change.
DATED_COLUMNS = {
    "versions": ["version_at"],
    "tombstones": ["at"],
    "applications": ["date_applied", "action_date"],
    "activities": ["created_at", "updated_at", "submittal_date", "interview_date", "reject_date"],
    "attachments": ["uploaded_at"],
    "jobs": ["issue_date", "updated_at", "status_updated_at"],
    "users": ["created_at", "updated_at"],
}


def _assert_quiet_between(world: World, start: datetime, end: datetime) -> None:
    """The run extracts day 9 at 01:30 the next day: nothing may happen in between, or a
    candidate changed on day 9 and again after midnight would belong to the next partition."""
    for table, columns in DATED_COLUMNS.items():
        for column in columns:
            assert _on(getattr(world, table), column, start, end).is_empty(), (column, start)


def _run(
    job: dg.JobDefinition, instance: dg.DagsterInstance, **kwargs
) -> dg.ExecuteInProcessResult:
    result = job.execute_in_process(instance=instance, raise_on_error=False, **kwargs)
    assert not failed_blocking_checks(result), failed_blocking_checks(result)
    assert result.success, [e.message for e in result.all_events if e.is_failure]
    return result


def _materialized(result: dg.ExecuteInProcessResult, node: str) -> dict[str, dict]:
    return {
        event.asset_key.path[-1]: {k: v.value for k, v in event.metadata.items()}
        for event in result.asset_materializations_for_node(node)
    }


def _links(lake: Path) -> pl.DataFrame:
    return pl.read_delta(str(lake / "linked" / "candidate_profile_links")).drop("linked_at")


@pytest.fixture(scope="module")
def cycle(tmp_path_factory: pytest.TempPathFactory, service_env) -> Iterator[Cycle]:
    root = tmp_path_factory.mktemp("daily_cycle")
    world_dir = make_world(root / "world", SEED)
    clock = WorldClock.of(world_dir)
    world = World.read(world_dir)
    day = clock.day(9)
    tick = datetime.combine(day + timedelta(days=1), datetime.min.time().replace(hour=1))
    ran_at = tick + timedelta(minutes=30)
    _assert_quiet_between(world, midnight(day + timedelta(days=1)), ran_at)
    # DayChanges does not model recruiter changes: the day must not bring any.
    assert _on(world.users, "created_at", midnight(day), ran_at).is_empty()
    assert _on(world.users, "updated_at", midnight(day), ran_at).is_empty()
    lake = root / "lake"
    index_uid = f"test_daily_{root.name[-8:]}_{int(datetime.now().timestamp())}"
    client = meilisearch.Client(service_env.meili_url, service_env.meili_master_key, timeout=60)
    with contextlib.ExitStack() as stack:
        patch = stack.enter_context(pytest.MonkeyPatch.context())
        pg_url = stack.enter_context(fresh_database(service_env.dagster_pg_url))
        simulator = stack.enter_context(
            run_in_thread(
                config_for(world_dir, now=midnight(day) - timedelta(seconds=1), admin=True)
            )
        )
        env = {
            **dagster_home_env(root, pg_url),
            **pipeline_env(
                lake,
                world_dir,
                service_env.meili_url,
                service_env.meili_master_key,
                index_uid,
                simulator.base_url,
            ),
        }
        for name, value in env.items():
            patch.setenv(name, value)
        stack.callback(delete_indexes, client, index_uid)
        defs = code_location()
        instance = stack.enter_context(dg.DagsterInstance.get())
        raw_job = defs.resolve_job_def("jobdiva_raw_job")
        refresh_job = defs.resolve_job_def("refresh_job")

        # The initial load: every change day up to day 8, the data copy, the refresh.
        _run(
            raw_job,
            instance,
            tags={
                ASSET_PARTITION_RANGE_START_TAG: clock.earliest.date().isoformat(),
                ASSET_PARTITION_RANGE_END_TAG: (day - timedelta(days=1)).isoformat(),
            },
        )
        # The data copy: the sensor sees the file set, which becomes a dynamic partition.
        sensor = defs.resolve_sensor_def("datacopy_sensor")
        found = sensor(dg.build_sensor_context(instance=instance, resources=defs.resources))
        for request in found.dynamic_partitions_requests:
            instance.add_dynamic_partitions(request.partitions_def_name, request.partition_keys)
        assert found.run_requests
        for request in found.run_requests:
            _run(
                defs.resolve_job_def("datacopy_raw_job"),
                instance,
                partition_key=request.partition_key,
                tags=request.tags,
            )
        _run(refresh_job, instance)
        before = index_documents(client, index_uid)
        enriched_before = DeltaTable(str(lake / "enriched" / "enriched_candidates")).version()
        links_before = _links(lake)

        # Day 9 happens, then the clock reaches 01:30 the next day.
        http = stack.enter_context(httpx.Client(base_url=simulator.base_url, timeout=30))
        admin = _make_changes(http, world, day)
        _admin(http, "advance", {"to": ran_at.isoformat()})

        schedule = defs.resolve_schedule_def("jobdiva_daily_incremental")
        context = dg.build_schedule_context(
            instance=instance,
            scheduled_execution_time=tick.replace(tzinfo=EASTERN),
            repository_def=defs.get_repository_def(),
        )
        requests = list(schedule.evaluate_tick(context).run_requests or [])
        raw = {}
        for request in requests:
            result = _run(
                raw_job,
                instance,
                partition_key=request.partition_key,
                tags={**request.tags, "dagster/schedule_name": schedule.name},
            )
            raw = _materialized(result, "jobdiva_raw")
        refreshed = _run(refresh_job, instance)

        search_key = MeiliPublisher(client).search_key(index_uid, SEARCH_KEY_NAME)
        keys_file = root / "api_keys.json"
        api_key = add_key(keys_file, "daily-cycle")
        config = ApiConfig(service_env.meili_url, search_key, index_uid, keys_file=keys_file)
        api = stack.enter_context(TestClient(create_app(config)))
        yield Cycle(
            world_dir=world_dir,
            lake=lake,
            day=day,
            changes=day_changes(world, day, admin, ran_at),
            admin=admin,
            requests=requests,
            runs=list(instance.get_run_records()),
            before=before,
            after=index_documents(client, index_uid),
            raw=raw,
            normalized=_materialized(refreshed, "normalized"),
            linkage=node_metadata(refreshed, "linked__candidate_profile_links"),
            enrichment=node_metadata(refreshed, ENRICHED_NODE),
            index=node_metadata(refreshed, INDEX_NODE),
            enriched_before=enriched_before,
            links_before=links_before,
            links_after=_links(lake),
            api=api,
            api_headers={"Authorization": f"Bearer {api_key}"},
            defs=defs,
            ran_at=ran_at,
        )


# --------------------------------------------------------------------------- helpers


def _search(cycle: Cycle, q: str) -> set[str]:
    response = cycle.api.post("/search", json={"q": q, "per_page": 1000}, headers=cycle.api_headers)
    assert response.status_code == 200, response.text
    return {hit["candidate_id"] for hit in response.json()["hits"]}


def _profile(cycle: Cycle, candidate_id: str) -> httpx.Response:
    return cycle.api.get(f"/candidates/{candidate_id}", headers=cycle.api_headers)


def _world_version(cycle: Cycle, candidate_id: str) -> dict:
    versions = World.read(cycle.world_dir).versions.filter(
        (pl.col("candidate_id") == candidate_id)
        & (pl.col("version_at") < midnight(cycle.day + timedelta(days=1)))
    )
    return versions.sort("version_at").row(-1, named=True)


def _name(document: dict) -> str:
    return f"{document['first_name']} {document['last_name']}"


# --------------------------------------------------------------------------- tests


def test_the_schedule_requests_exactly_the_day_that_ended(cycle: Cycle) -> None:
    [request] = cycle.requests
    assert request.partition_key == cycle.day.isoformat()
    assert request.run_key == f"daily-{cycle.day.isoformat()}"
    runs = [r for r in cycle.runs if r.dagster_run.job_name == "jobdiva_raw_job"]
    daily = [
        r for r in runs if r.dagster_run.tags.get("dagster/partition") == cycle.day.isoformat()
    ]
    assert len(daily) == 1 and daily[0].dagster_run.is_success
    assert all(r.dagster_run.is_success for r in cycle.runs)
    # The day's partition holds each changed candidate once, nothing of another day.
    raw = pl.read_delta(str(cycle.lake / "raw" / "candidates"))
    day_rows = raw.filter(pl.col("_partition") == cycle.day.isoformat())
    assert day_rows["record_id"].is_unique().all()
    live_or_redacted = cycle.changes.versioned - {
        c for c, kind in cycle.changes.removed.items() if kind != "redacted"
    }
    assert set(day_rows["record_id"]) == live_or_redacted
    assert cycle.raw["candidates"]["rows"] == len(live_or_redacted)


def test_new_candidates_are_findable(cycle: Cycle) -> None:
    created = cycle.changes.created & cycle.changes.live_after
    assert cycle.admin.created in created and len(created) > 1  # the world's own as well
    for candidate_id in sorted(created):
        assert candidate_id not in cycle.before
        document = cycle.after[candidate_id]
        assert candidate_id in _search(cycle, _name(document)), _name(document)
    assert _search(cycle, NEW_EMAIL) == {cycle.admin.created}
    assert _search(cycle, "Zyzzyvant") == {cycle.admin.created}
    assert cycle.after[cycle.admin.created]["location"] == "Boise, ID"


def test_updated_fields_are_updated(cycle: Cycle) -> None:
    updated = (cycle.changes.versioned - cycle.changes.created) & cycle.changes.live_after
    assert cycle.admin.edited in updated and len(updated) > 1
    for candidate_id in sorted(updated - {cycle.admin.edited}):
        version = _world_version(cycle, candidate_id)
        document = cycle.after[candidate_id]
        emails = [*split_emails(version["email"]), *split_emails(version["alternate_email"])]
        assert document["emails"] == list(dict.fromkeys(emails)), candidate_id
        assert document["updated_at_ts"] == int(
            version["updated_at"].replace(tzinfo=EASTERN).timestamp()
        )
        assert document["updated_at_ts"] > cycle.before[candidate_id]["updated_at_ts"]
    assert EDITED_EMAIL in cycle.after[cycle.admin.edited]["emails"]
    assert EDITED_EMAIL not in cycle.before[cycle.admin.edited]["emails"]
    assert _search(cycle, EDITED_EMAIL) == {cycle.admin.edited}
    assert EDITED_EMAIL in _profile(cycle, cycle.admin.edited).json()["ats"]["emails"]


def test_deleted_and_redacted_candidates_are_gone(cycle: Cycle) -> None:
    removed = {c for c, kind in cycle.changes.removed.items() if kind != "merged"}
    assert {"deleted", "redacted"} <= set(cycle.changes.removed.values())
    assert removed & set(cycle.before) == removed - cycle.changes.created
    for candidate_id in sorted(removed):
        assert candidate_id not in cycle.after
        assert _profile(cycle, candidate_id).status_code == 404
        assert not _search(cycle, candidate_id)  # candidate ids are searchable
        if candidate_id in cycle.before:
            assert candidate_id not in _search(cycle, _name(cycle.before[candidate_id]))


def test_merged_candidates_collapse_into_their_survivor(cycle: Cycle) -> None:
    world = World.read(cycle.world_dir)
    assert len(cycle.changes.survivors) >= 2  # the world's merge and the admin's
    for merged, survivor in cycle.changes.survivors.items():
        assert merged in cycle.before and merged not in cycle.after
        assert _profile(cycle, merged).status_code == 404
        document = cycle.after[survivor]
        assert merged in document["aliases"]
        assert merged not in cycle.before[survivor].get("aliases", [])
        jobs = set(
            world.applications.filter(
                (pl.col("candidate_id") == merged) & (pl.col("date_applied") < midnight(cycle.day))
            )["job_id"]
        )
        assert jobs <= set(document.get("job_ids", [])), (merged, survivor)
        assert survivor in _search(cycle, _name(document))
    merged_jobs = set(cycle.before[cycle.admin.merged].get("job_ids", []))
    assert merged_jobs and merged_jobs <= set(cycle.after[cycle.admin.survivor]["job_ids"])
    assert not merged_jobs & set(cycle.before[cycle.admin.survivor].get("job_ids", []))


def _links_changed(cycle: Cycle) -> set[str]:
    """Candidates whose link (profile, probability, method, evidence, runner-up) changed."""
    before = set(cycle.links_before.select("candidate_id", "link_hash").rows())
    after = set(cycle.links_after.select("candidate_id", "link_hash").rows())
    return {candidate_id for candidate_id, _ in before ^ after}


def test_no_more_work_than_the_changes_require(cycle: Cycle) -> None:
    changes = cycle.changes
    # The candidates the day reaches (DayChanges.touched, see day_changes): a version on the
    # day (created or updated), a merge's survivor (alias and the merged candidate's
    # applications), an application dated on the day, an activity served as changed on the day
    # or a job issued on the day (application status, job title), an attachment uploaded on
    # the day; and a link that changed (a new candidate may take a profile another one was
    # linked to): the one input taken from the pipeline, as the linkage's decisions are its
    # own. All among the candidates live afterwards.
    links = _links_changed(cycle) - set(changes.removed)
    expected = changes.touched | (links & changes.live_after)
    gone = set(changes.removed) & changes.live_before
    assert set(cycle.after) == changes.live_after
    assert set(cycle.before) == changes.live_before
    # enrichment built exactly those, and its table changed for exactly those
    assert cycle.enrichment["candidates_built"] == len(expected)
    table = DeltaTable(str(cycle.lake / "enriched" / "enriched_candidates"))
    feed = pl.DataFrame(
        table.load_cdf(starting_version=cycle.enriched_before + 1).read_all()
    ).filter(pl.col("_change_type") != "update_preimage")
    assert set(feed["candidate_id"]) == expected | gone
    assert (cycle.enrichment["rows_inserted"], cycle.enrichment["rows_deleted"]) == (
        len(changes.created & changes.live_after),
        len(gone),
    )
    # the index received exactly those documents and deletions ...
    assert cycle.index["mode"] == "incremental"
    assert cycle.index["documents_added"] == len(expected)
    assert cycle.index["documents_deleted"] == len(gone)
    # ... and every other document is exactly as it was
    differing = {c for c in cycle.after if cycle.after[c] != cycle.before.get(c)}
    assert differing == expected
    # linkage looked only at candidates whose compared columns changed, dropped the removed
    assert cycle.linkage["candidates_considered"] == len(changes.relink)
    assert cycle.linkage["candidates_removed"] == len(gone)
    assert not cycle.linkage["relinked_all"]
    # normalized wrote exactly those candidates, and merged only the day's raw partitions
    candidates = cycle.normalized["candidates"]
    assert candidates["rows_inserted"] == len(changes.created & changes.live_after)
    assert candidates["rows_updated"] == len(expected - changes.created)
    assert candidates["rows_deleted"] == len(gone)
    assert cycle.normalized["candidates"]["raw_partitions_merged"] == len(cycle.raw) == 9


def test_the_change_sensor_requests_every_day_since_its_last_poll(
    cycle: Cycle, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The sensor last polled at the end of the initial load (day 8, 23:59:59); the daemon was
    down through day 9. Polled at 01:30 after day 9, it sees day 9's changes and must request
    day 9's partition (the schedule does not run missed ticks either)."""
    import pipelines.sensors

    monkeypatch.setattr(pipelines.sensors, "now_eastern", lambda: cycle.ran_at)
    sensor = cycle.defs.resolve_sensor_def("jobdiva_change_sensor")
    last_poll = midnight(cycle.day) - timedelta(seconds=1)
    context = dg.build_sensor_context(
        instance=dg.DagsterInstance.ephemeral(),
        cursor=last_poll.isoformat(),
        resources=cycle.defs.resources,
    )
    result = sensor(context)
    assert isinstance(result, list), result  # changes were seen: run requests, no skip
    assert cycle.day.isoformat() in {request.partition_key for request in result}
