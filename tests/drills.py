"""Helpers shared by the daily-cycle test and the fault drills.

- `make_world`: a small sandbox world whose whole past fits in three JobDiva windows, so an
  initial load mirrors every candidate;
- `lake_tables` / `assert_same_tables`: Delta tables read back in a canonical order, without
  the columns that record *when* a run happened (see `VOLATILE_COLUMNS`);
- `index_documents`: every document of a Meilisearch index;
- `fresh_database` / `dagster_home_env`: a Dagster instance (the repo's dagster.yaml) on a new
  Postgres database, for module-scoped fixtures (conftest's `dagster_home` is per test);
- `code_location`: the project's `Definitions` with resources bound from the environment, as
  `dagster dev` would bind them;
- `StageProcess`: one pipeline stage run in a subprocess (`python -m tests.drills`, the spec in
  the environment) that a drill may SIGKILL part-way.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path
from typing import Any

import polars as pl

from assets.normalized import NORMALIZED_TABLES
from normalize.records import API_RAW_TABLES, RAW_TABLES

REPO_ROOT = Path(__file__).resolve().parents[1]

# A small world (as the other pipeline tests use) whose past starts 30 days before the
# history: the initial load can extract everything since `earliest` in three windows.
WORLD_SIZE = {"profiles": 1500, "candidates": 400, "days": 10, "lookback_days": 30}
JOBDIVA_CREDENTIALS = {
    "JOBDIVA_CLIENT_ID": "1000",
    "JOBDIVA_USERNAME": "api@sandbox.jobdiva.test",
    "JOBDIVA_PASSWORD": "sandbox-password",
}
# Columns that say when a run happened rather than what the source held. Two clean runs of
# every stage over the same world differ in exactly these (checked once by hand), so
# comparisons leave them out:
# - raw `_extracted_at`: the moment the span was committed;
# - normalized/recruiters `seen_at` and its `field_versions`: JobDiva's UsersList has no update
#   date, so the snapshot time (`_extracted_at`) is the recruiter's version (normalize/README);
# - linked `linked_at`: when the run that last changed the link finished (its decision and
#   explanation, `link_hash`, are compared).
# Enriched rows carry their link's `linked_at` (and `row_hash` covers it), and `enriched_as_of`
# is the run's day: the drills compare them all the same, as they pin `as_of` and enrich from
# the clean run's links.
VOLATILE_COLUMNS: dict[tuple[str, str], tuple[str, ...]] = {
    **{("raw", table): ("_extracted_at",) for table in RAW_TABLES},
    ("normalized", "recruiters"): ("seen_at", "field_versions"),
    ("linked", "candidate_profile_links"): ("linked_at",),
}
STAGE_TABLES: dict[str, tuple[tuple[str, str], ...]] = {
    "extraction": tuple(("raw", t) for t in API_RAW_TABLES),
    "normalized": tuple(("normalized", t) for t in NORMALIZED_TABLES),
    "linkage": (("linked", "candidate_profile_links"),),
    "enrichment": (("enriched", "enriched_candidates"),),
}


# --------------------------------------------------------------------------- worlds


@dataclass(frozen=True)
class WorldClock:
    """The calendar of a generated world (naive US-Eastern, as JobDiva)."""

    earliest: datetime
    history_start: datetime
    history_end: datetime

    @classmethod
    def of(cls, world_dir: Path) -> WorldClock:
        meta = json.loads((world_dir / "meta.json").read_text())
        return cls(
            earliest=datetime.fromisoformat(meta["earliest"]),
            history_start=datetime.fromisoformat(meta["history_start"]),
            history_end=datetime.fromisoformat(meta["history_end"]),
        )

    def day(self, index: int) -> date:
        """Day `index` of the history: day 0 is the calendar day the history starts on."""
        return self.history_start.date() + timedelta(days=index)


def midnight(day: date) -> datetime:
    return datetime.combine(day, clock_time.min)


def make_world(out: Path, seed: int) -> Path:
    from sandbox.world import generate_world

    return generate_world(out, seed=seed, **WORLD_SIZE).out_dir


# --------------------------------------------------------------------------- lake tables


def read_table(uri: str | Path, drop: tuple[str, ...] = ()) -> pl.DataFrame:
    """A Delta table without `drop`, rows in a canonical order (every flat column sorted)."""
    frame = pl.read_delta(str(uri)).drop(drop, strict=False)
    flat = [
        name
        for name, dtype in frame.schema.items()
        if not isinstance(dtype, pl.List | pl.Struct | pl.Array)
    ]
    return frame.sort(flat, nulls_last=True, maintain_order=True)


def lake_tables(lake: Path, tables: tuple[tuple[str, str], ...]) -> dict[str, pl.DataFrame]:
    """`group/table` → its rows (see `read_table`); an absent table is left out."""
    out = {}
    for group, table in tables:
        path = lake / group / table
        if (path / "_delta_log").is_dir():
            out[f"{group}/{table}"] = read_table(path, VOLATILE_COLUMNS.get((group, table), ()))
    return out


def table_difference(actual: pl.DataFrame, expected: pl.DataFrame) -> str:
    """A short account of how two frames differ (for assertion messages)."""
    if actual.columns != expected.columns:
        return f"columns {actual.columns} != {expected.columns}"
    key = next((c for c in actual.columns if c.endswith("_id")), actual.columns[0])
    lines = [f"rows {actual.height} vs {expected.height}"]
    both = set(actual[key].to_list()) & set(expected[key].to_list())
    only_actual = set(actual[key].to_list()) - both
    only_expected = set(expected[key].to_list()) - both
    lines.append(
        f"{key} only here {sorted(only_actual)[:5]}, only there {sorted(only_expected)[:5]}"
    )
    for name in actual.columns:
        if not actual[name].equals(expected[name]) and actual.height == expected.height:
            lines.append(f"column {name} differs")
    return "; ".join(lines)


def assert_same_tables(actual: Mapping[str, pl.DataFrame], expected: Mapping[str, pl.DataFrame]):
    assert set(actual) == set(expected), (sorted(actual), sorted(expected))
    for name, frame in expected.items():
        assert actual[name].equals(frame), f"{name}: {table_difference(actual[name], frame)}"


def delta_version(table: Path) -> int:
    """The newest committed version of a Delta table (-1 when there is none yet)."""
    log = table / "_delta_log"
    versions = [int(p.name[:20]) for p in log.glob("*.json")] if log.is_dir() else []
    return max(versions, default=-1)


def copy_lake(source: Path, destination: Path) -> Path:
    shutil.copytree(source, destination)
    return destination


# --------------------------------------------------------------------------- the index


def index_documents(client: Any, uid: str) -> dict[str, dict]:
    """Every document of index `uid` by candidate id (empty when the index does not exist)."""
    from meilisearch.errors import MeilisearchApiError

    path = f"{client.config.paths.index}/{uid}/{client.config.paths.document}/fetch"
    documents: dict[str, dict] = {}
    offset = 0
    while True:
        try:
            page = client.http.post(path, {"limit": 1000, "offset": offset})
        except MeilisearchApiError as exc:
            if exc.code == "index_not_found":
                return {}
            raise
        for document in page["results"]:
            documents[str(document["candidate_id"])] = document
        offset += len(page["results"])
        if not page["results"] or offset >= page["total"]:
            return documents


def delete_indexes(client: Any, prefix: str) -> None:
    """Delete every index whose uid starts with `prefix` (a test's own indexes), and the API
    keys scoped to them only (the search keys the index asset makes)."""
    for index in client.get_raw_indexes({"limit": 1000})["results"]:
        if index["uid"].startswith(prefix):
            client.delete_index(index["uid"])
    for key in client.get_keys({"limit": 1000}).results:
        if key.indexes and all(uid.startswith(prefix) for uid in key.indexes):
            client.delete_key(key.uid)


# --------------------------------------------------------------------------- Dagster


@contextlib.contextmanager
def fresh_database(server_url: str) -> Iterator[str]:
    """A new, empty database on the Postgres server of `server_url`; dropped afterwards."""
    import psycopg2
    from sqlalchemy.engine import make_url

    url = make_url(server_url)
    name = f"test_{uuid.uuid4().hex[:12]}"
    admin = psycopg2.connect(
        dbname="postgres", host=url.host, port=url.port, user=url.username, password=url.password
    )
    admin.autocommit = True
    try:
        with admin.cursor() as cur:
            cur.execute(f'create database "{name}"')
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with contextlib.suppress(psycopg2.Error), admin.cursor() as cur:
            cur.execute(f'drop database if exists "{name}" with (force)')
        admin.close()


def dagster_home_env(root: Path, pg_url: str) -> dict[str, str]:
    """Environment of a DAGSTER_HOME under `root` holding the repo's dagster.yaml."""
    home = root / "dagster_home"
    home.mkdir(parents=True, exist_ok=True)
    shutil.copy(REPO_ROOT / "dagster.yaml", home / "dagster.yaml")
    return {
        "DAGSTER_HOME": str(home),
        "DAGSTER_PG_URL": pg_url,
        "DAGSTER_COMPUTE_LOG_DIR": str(root / "compute_logs"),
        "DAGSTER_ARTIFACT_DIR": str(root / "artifacts"),
    }


def pipeline_env(
    lake: Path, world_dir: Path, meili_url: str, meili_key: str, index_uid: str, jobdiva_url: str
) -> dict[str, str]:
    """The settings `pipelines.definitions.build_resources` reads, pointing at a test world."""
    return {
        "LAKE_URI": str(lake),
        "MEILI_URL": meili_url,
        "MEILI_MASTER_KEY": meili_key,
        "MEILI_INDEX": index_uid,
        "JOBDIVA_BASE_URL": jobdiva_url,
        **JOBDIVA_CREDENTIALS,
        "JOBDIVA_REQUESTS_PER_MINUTE": "0",  # the simulator does not throttle unless asked
        "PROFILE_CORPUS_URI": str(world_dir / "profiles.parquet"),
        "DATACOPY_DIR": str(world_dir / "datacopy"),
        "DATACOPY_SETTLE_SECONDS": "0",
    }


def code_location() -> Any:
    """The code location's definitions, resources bound from the current environment (the
    module-level `defs` bound them when first imported, possibly for another test)."""
    import dagster as dg

    from pipelines.definitions import build_resources, defs

    return dg.Definitions(
        assets=defs.assets,
        asset_checks=defs.asset_checks,
        jobs=defs.jobs,
        schedules=defs.schedules,
        sensors=defs.sensors,
        resources=build_resources(),
    )


def failed_blocking_checks(result: Any) -> list[tuple[str, dict]]:
    import dagster as dg

    return [
        (e.check_name, {k: v.value for k, v in e.metadata.items()})
        for e in result.get_asset_check_evaluations()
        if not e.passed and e.severity == dg.AssetCheckSeverity.ERROR
    ]


def node_metadata(result: Any, node: str) -> dict[str, Any]:
    """Metadata of the (first) materialization of `node` in an in-process result."""
    [event, *_] = result.asset_materializations_for_node(node)
    return {key: value.value for key, value in event.metadata.items()}


# --------------------------------------------------------------------------- stage processes

STAGE_DONE = "DRILL STAGE DONE"
_STARTED: list[StageProcess] = []


def stop_stage_processes() -> None:
    """SIGKILL the stage processes started here that still run (a drill that failed midway)."""
    while _STARTED:
        _STARTED.pop().kill()


@dataclass
class StageProcess:
    """`python -m tests.drills` (the spec in DRILL_SPEC) in its own process group, its output
    collected by a thread; `wait_for` a line or `wait_until` a condition, then `kill` (SIGKILL)
    or `finish`."""

    spec: dict[str, Any]
    env: dict[str, str] = field(default_factory=dict)
    lines: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        environment = {
            **os.environ,
            **self.env,
            "PYTHONPATH": str(REPO_ROOT),
            "DRILL_SPEC": json.dumps(self.spec),
        }
        self.started = time.monotonic()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tests.drills"],
            cwd=REPO_ROOT,
            env=environment,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            text=True,
            start_new_session=True,
        )
        _STARTED.append(self)
        self._changed = threading.Condition()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            with self._changed:
                self.lines.append(line.rstrip("\n"))
                self._changed.notify_all()
        with self._changed:
            self._changed.notify_all()

    def wait_for(self, fragment: str, timeout_s: float = 300) -> bool:
        """Block until a line holds `fragment` (True) or the process ended without one."""
        deadline = time.monotonic() + timeout_s
        index = 0
        with self._changed:
            while True:
                for line in self.lines[index:]:
                    if fragment in line:
                        return True
                index = len(self.lines)
                if self.process.poll() is not None and not self._reader.is_alive():
                    return False
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise TimeoutError(f"no line with {fragment!r} after {timeout_s} s")
                self._changed.wait(min(remaining, 0.5))

    def wait_until(self, condition: Callable[[], bool], timeout_s: float = 300) -> bool:
        """Poll `condition` every few milliseconds while the process runs: True once it
        holds, False when the process ended first."""
        deadline = time.monotonic() + timeout_s
        while self.process.poll() is None:
            if condition():
                return True
            if time.monotonic() > deadline:
                raise TimeoutError(f"condition not met after {timeout_s} s")
            time.sleep(0.005)
        return False

    def kill(self) -> bool:
        """SIGKILL the whole process group; True when it was still running (a real kill)."""
        running = self.process.poll() is None
        if running:
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()
        self._reader.join(10)
        return running and self.process.returncode == -signal.SIGKILL

    def finish(self, timeout_s: float = 600) -> int:
        try:
            self.process.wait(timeout_s)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        self._reader.join(10)
        return self.process.returncode

    @property
    def output(self) -> str:
        return "\n".join(self.lines[-60:])


# --------------------------------------------------------------------------- the subprocess

STAGE_FAILED = "DRILL STAGE FAILED"
STAGES = ("extraction", "normalized", "linkage", "enrichment", "search")


def stage_spec(
    stage: str,
    lake: Path,
    world_dir: Path,
    *,
    jobdiva_url: str = "",
    days: tuple[date, date] | None = None,
    meili_url: str = "",
    index_uid: str = "",
    as_of: date | None = None,
    batch_size: int = 10_000,
    persistent_instance: bool = False,
) -> dict[str, Any]:
    """What `python -m tests.drills` runs (the Meilisearch key travels in the environment)."""
    assert stage in STAGES, stage
    return {
        "stage": stage,
        "lake": str(lake),
        "world": str(world_dir),
        "jobdiva_url": jobdiva_url,
        "days": [d.isoformat() for d in days] if days else None,
        "meili_url": meili_url,
        "index_uid": index_uid,
        "as_of": as_of.isoformat() if as_of else "",
        "batch_size": batch_size,
        "persistent_instance": persistent_instance,
    }


def run_stage(spec: Mapping[str, Any]) -> bool:
    """Materialize one stage's asset with the real asset code (no checks), as a run would."""
    import dagster as dg
    from dagster._core.storage.tags import (
        ASSET_PARTITION_RANGE_END_TAG,
        ASSET_PARTITION_RANGE_START_TAG,
    )

    from assets.enrichment import enriched_candidates
    from assets.jobdiva_raw import jobdiva_raw
    from assets.linkage import candidate_profile_links
    from assets.normalized import normalized
    from assets.search_index import candidates_index
    from resources import (
        JobDivaResource,
        LakeResource,
        MeilisearchResource,
        ProfileCorpusResource,
    )

    stage = spec["stage"]
    resources: dict[str, Any] = {
        "lake": LakeResource(root_uri=spec["lake"]),
        "corpus": ProfileCorpusResource(uri=str(Path(spec["world"]) / "profiles.parquet")),
    }
    tags: dict[str, str] = {}
    run_config: dict[str, Any] | None = None
    if stage == "extraction":
        first, last = spec["days"]
        tags = {ASSET_PARTITION_RANGE_START_TAG: first, ASSET_PARTITION_RANGE_END_TAG: last}
        resources["jobdiva"] = JobDivaResource(
            base_url=spec["jobdiva_url"],
            client_id=JOBDIVA_CREDENTIALS["JOBDIVA_CLIENT_ID"],
            username=JOBDIVA_CREDENTIALS["JOBDIVA_USERNAME"],
            password=JOBDIVA_CREDENTIALS["JOBDIVA_PASSWORD"],
            requests_per_minute=0,
            backoff_initial_s=0.01,
            backoff_max_s=0.05,
        )
    if stage == "enrichment" and spec["as_of"]:
        run_config = {
            "ops": {"enriched__enriched_candidates": {"config": {"as_of": spec["as_of"]}}}
        }
    if stage == "search":
        resources["meilisearch"] = MeilisearchResource(
            url=spec["meili_url"],
            api_key=os.environ["MEILI_MASTER_KEY"],
            index_uid=spec["index_uid"],
            batch_size=spec["batch_size"],
            task_timeout_s=300,
        )
    asset = {
        "extraction": jobdiva_raw,
        "normalized": normalized,
        "linkage": candidate_profile_links,
        "enrichment": enriched_candidates,
        "search": candidates_index,
    }[stage]
    instance = dg.DagsterInstance.get() if spec["persistent_instance"] else None
    result = dg.materialize(
        [asset],
        resources=resources,
        run_config=run_config,
        tags=tags,
        instance=instance,
        raise_on_error=False,
    )
    return result.success


if __name__ == "__main__":
    ok = run_stage(json.loads(os.environ["DRILL_SPEC"]))
    print(STAGE_DONE if ok else STAGE_FAILED, flush=True)
    sys.exit(0 if ok else 1)
