"""Fault drills: a run killed with SIGKILL in each stage, Meilisearch killed mid-index,
Postgres restarted between runs, JobDiva answering 20 % of calls with faults. After each, the
lake's tables and the index equal those of a clean run: nothing lost, nothing duplicated.

Each stage runs in its own process (`python -m tests.drills`, the real asset through
`dg.materialize`), so a kill is a real `kill -9` at an arbitrary point, with no hook in the
code under test. The clean run of each stage, also in a process, is the reference, and its
duration (from the step's start to the process's end) places the time-based kills.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import random
import secrets
import signal
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import dagster as dg
import meilisearch
import pytest
from dagster._core.storage.tags import (
    ASSET_PARTITION_RANGE_END_TAG,
    ASSET_PARTITION_RANGE_START_TAG,
    MAX_RUNTIME_SECONDS_TAG,
)
from meilisearch.errors import MeilisearchApiError, MeilisearchCommunicationError

from assets.jobdiva_raw import jobdiva_raw
from assets.normalized import normalized
from extraction import jobdiva_client
from resources import JobDivaResource, LakeResource
from sandbox import services
from sandbox.jobdiva import FaultSettings, RunningSimulator, run_in_thread
from search_index.publisher import BUILD_INFIX, MeiliPublisher
from search_index.sync import publish_changes, state_uri
from tests.conftest import TEST_DATA_DIR
from tests.drills import (
    STAGE_DONE,
    STAGE_TABLES,
    StageProcess,
    WorldClock,
    assert_same_tables,
    code_location,
    copy_lake,
    dagster_home_env,
    delete_indexes,
    delta_version,
    index_documents,
    lake_tables,
    make_world,
    pipeline_env,
    stage_spec,
    stop_stage_processes,
)
from tests.sim_world import config_for
from tests.test_normalized_pipeline import load_datacopy

pytestmark = pytest.mark.heavy

SEED = 4
AS_OF = date(2026, 11, 21)  # the day enrichment derives years for, pinned for comparisons
SEARCH_BATCH = 50  # documents per request: a publish of the world is several requests
# A line inside each stage after which a kill lands mid-stage, before it wrote anything but
# for extraction (the first JobDiva window committed, the raw partitions to merge chosen, the
# links decided, the rows built, a part of the documents sent).
KILL_LINES = {
    "extraction": "[1/3]",
    "normalized": "merging candidates",
    "linkage": "candidates considered",
    "enrichment": "built ",
    "search": f"sent {4 * SEARCH_BATCH}/",
}
TIME_KILL_FRACTION = 0.4  # of the clean step's duration, after the step started
STEP_START = "STEP_START"


@dataclass
class Chain:
    """The clean run of every stage, one after the other, each on a copy of the lake the
    previous one left (`lakes[stage]` is the lake after `stage`)."""

    world_dir: Path
    root: Path
    jobdiva_url: str
    days: tuple[date, date]
    meili: services.ServiceEnv
    index_prefix: str
    lakes: dict[str, Path] = field(default_factory=dict)
    tables: dict[str, dict] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)  # step start → process end
    documents: dict[str, dict] = field(default_factory=dict)

    @property
    def clean_index(self) -> str:
        return f"{self.index_prefix}_clean"

    def spec(self, stage: str, lake: Path, index_uid: str = "") -> dict:
        return stage_spec(
            stage,
            lake,
            self.world_dir,
            jobdiva_url=self.jobdiva_url,
            days=self.days,
            meili_url=self.meili.meili_url,
            index_uid=index_uid or self.clean_index,
            as_of=AS_OF,
            batch_size=SEARCH_BATCH,
        )

    def process(self, stage: str, lake: Path, index_uid: str = "") -> StageProcess:
        return StageProcess(
            self.spec(stage, lake, index_uid), env={"MEILI_MASTER_KEY": self.meili.meili_master_key}
        )

    def client(self) -> meilisearch.Client:
        return meilisearch.Client(self.meili.meili_url, self.meili.meili_master_key, timeout=60)


@pytest.fixture(autouse=True)
def _no_stray_stage_processes() -> Iterator[None]:
    yield
    stop_stage_processes()


PREVIOUS = {
    "extraction": None,
    "normalized": "extraction",
    "linkage": "normalized",
    "enrichment": "linkage",
    "search": "enrichment",
}


def _finish(process: StageProcess) -> None:
    assert process.finish() == 0, process.output
    assert STAGE_DONE in process.lines[-1], process.output


@pytest.fixture(scope="module")
def chain(tmp_path_factory: pytest.TempPathFactory, service_env) -> Iterator[Chain]:
    root = tmp_path_factory.mktemp("drills")
    world_dir = make_world(root / "world", SEED)
    clock = WorldClock.of(world_dir)
    with run_in_thread(config_for(world_dir)) as simulator:
        setup = Chain(
            world_dir=world_dir,
            root=root,
            jobdiva_url=simulator.base_url,
            days=(clock.earliest.date(), clock.history_end.date()),
            meili=service_env,
            index_prefix=f"test_drill_{secrets.token_hex(4)}",
        )
        try:
            lake = root / "clean" / "start"
            lake.mkdir(parents=True)
            for stage, previous in PREVIOUS.items():
                if previous is not None:
                    lake = copy_lake(setup.lakes[previous], root / "clean" / stage)
                process = setup.process(stage, lake)
                assert process.wait_for(STEP_START), process.output
                started = time.monotonic()
                _finish(process)
                setup.seconds[stage] = time.monotonic() - started
                setup.lakes[stage] = lake
                if stage == "search":
                    setup.documents = index_documents(setup.client(), setup.clean_index)
                else:
                    setup.tables[stage] = lake_tables(lake, STAGE_TABLES[stage])
                if stage == "extraction":  # the data copy joins the raw tables here
                    load_datacopy(world_dir, lake)
            yield setup
        finally:
            delete_indexes(setup.client(), setup.index_prefix)


def test_the_clean_chain_mirrors_the_world(chain: Chain) -> None:
    """The reference itself: every stage wrote its tables, the index holds every row."""
    for stage in ("extraction", "normalized", "linkage", "enrichment"):
        assert chain.tables[stage], stage
        assert all(frame.height for frame in chain.tables[stage].values()), stage
    enriched = chain.tables["enrichment"]["enriched/enriched_candidates"]
    assert set(chain.documents) == set(enriched["candidate_id"].to_list())
    raw = chain.tables["extraction"]["raw/candidates"]
    assert raw.select("_partition", "record_id").is_unique().all()


# --------------------------------------------------------------------------- kill -9


@dataclass
class Kill:
    how: str
    landed: bool  # the process was still running when it was killed


# The table each stage commits first: a kill right after its commit lands mid-write, before
# the other tables (or the stage's state file) are written.
FIRST_COMMIT = {
    "extraction": ("raw", "candidates"),
    "normalized": ("normalized", "tombstones"),
    "linkage": ("linked", "candidate_profile_links"),
    "enrichment": ("enriched", "enriched_candidates"),
}


def _kill_after_line(chain: Chain, stage: str, lake: Path, index_uid: str) -> Kill:
    process = chain.process(stage, lake, index_uid)
    seen = process.wait_for(KILL_LINES[stage])
    return Kill(f"after the line {KILL_LINES[stage]!r}", seen and process.kill())


def _kill_after_commit(chain: Chain, stage: str, lake: Path, index_uid: str) -> Kill:
    """Killed as soon as the stage's first write is visible: a new version of its first table
    (for the index: the live index swapped in, its state not yet recorded)."""
    if stage == "search":
        client = chain.client()

        def written() -> bool:
            try:
                return bool(client.get_raw_index(index_uid))
            except MeilisearchApiError:
                return False

        how = f"once {index_uid} held documents"
        process = chain.process(stage, lake, index_uid)
    else:
        table = lake.joinpath(*FIRST_COMMIT[stage])
        version = delta_version(table)

        def written() -> bool:
            return delta_version(table) > version

        how = f"after commit {version + 1} of {'/'.join(FIRST_COMMIT[stage])}"
        process = chain.process(stage, lake, index_uid)
    return Kill(how, process.wait_until(written) and process.kill())


def _kill_after_time(chain: Chain, stage: str, lake: Path, index_uid: str) -> Kill:
    process = chain.process(stage, lake, index_uid)
    delay = TIME_KILL_FRACTION * chain.seconds[stage]
    if process.wait_for(STEP_START):
        time.sleep(delay)
    return Kill(f"{delay:.1f} s into the step", process.kill())


@pytest.mark.parametrize("stage", list(PREVIOUS))
def test_kill_9_mid_stage_then_rerun_equals_a_clean_run(
    chain: Chain, stage: str, tmp_path: Path
) -> None:
    """Three attempts killed with SIGKILL — at a fixed line inside the stage, right after its
    first write, at an arbitrary moment — then one run to the end: the stage's tables (or the
    index) equal the clean run's. Each attempt starts from what the previous one left."""
    previous = PREVIOUS[stage]
    if previous is None:
        lake = tmp_path / "lake"
        lake.mkdir()
    else:
        lake = copy_lake(chain.lakes[previous], tmp_path / "lake")
    index_uid = f"{chain.index_prefix}_{stage}_killed"
    kills = [
        kill(chain, stage, lake, index_uid)
        for kill in (_kill_after_line, _kill_after_commit, _kill_after_time)
    ]
    print(
        f"{stage}: " + "; ".join(f"{k.how}: {'killed' if k.landed else 'had ended'}" for k in kills)
    )
    # The first kill always lands (the line comes before the stage's writes); whether the
    # later ones found the attempt still running depends on timing, and either is fine.
    assert kills[0].landed, f"{stage}: the first kill did not interrupt the stage"
    _finish(chain.process(stage, lake, index_uid))
    if stage == "search":
        client = chain.client()
        assert index_documents(client, index_uid) == chain.documents
        leftovers = [i["uid"] for i in client.get_raw_indexes({"limit": 1000})["results"]]
        assert not [uid for uid in leftovers if uid.startswith(index_uid + BUILD_INFIX)]
    else:
        assert_same_tables(lake_tables(lake, STAGE_TABLES[stage]), chain.tables[stage])


def test_normalized_between_a_killed_and_a_repeated_extraction(chain: Chain, tmp_path: Path):
    """The refresh may run while an extraction that was killed has not been run again: it
    merges the spans that were committed; once the extraction ran again, the next refresh
    gives the clean normalized tables."""
    lake = tmp_path / "lake"
    lake.mkdir()
    assert _kill_after_line(chain, "extraction", lake, "").landed
    load_datacopy(chain.world_dir, lake)
    _finish(chain.process("normalized", lake))
    partial = lake_tables(lake, STAGE_TABLES["normalized"])
    clean = chain.tables["normalized"]
    assert partial["normalized/candidates"].height < clean["normalized/candidates"].height
    _finish(chain.process("extraction", lake))
    _finish(chain.process("normalized", lake))
    assert_same_tables(lake_tables(lake, STAGE_TABLES["normalized"]), clean)


# --------------------------------------------------------------------------- the instance


def test_the_instance_ends_runs_whose_worker_died(dagster_home: Path) -> None:
    """What the daemon needs to recover from a killed run worker by itself: run monitoring
    (the default run launcher cannot check a worker's health, so a run-time limit ends a dead
    run) and slots freed once a run has ended."""
    with dg.DagsterInstance.get() as instance:
        assert instance.run_monitoring_enabled
        assert instance.run_monitoring_settings.get("free_slots_after_run_end_seconds")
        if not instance.run_monitoring_max_runtime_seconds:  # else a limit per job
            for job in code_location().resolve_all_job_defs():
                assert MAX_RUNTIME_SECONDS_TAG in job.tags, job.name


def test_a_killed_run_on_the_instance_blocks_its_pool_until_it_is_ended(
    chain: Chain, tmp_path: Path, dagster_home: Path
) -> None:
    """kill -9 of a normalized run recorded in the project's instance (Postgres): the dead run
    stays STARTED and keeps the `normalized` pool slot (the pool's limit is 1), so the next run
    waits for it. Once the dead run is ended (marked failed, its slots freed: what the daemon's
    run monitoring does when configured, or an operator in the UI), the waiting run goes on,
    and the tables equal the clean run's."""
    lake = copy_lake(chain.lakes["extraction"], tmp_path / "lake")
    spec = {**chain.spec("normalized", lake), "persistent_instance": True}
    killed = StageProcess(spec)  # DAGSTER_HOME and DAGSTER_PG_URL come from the environment
    assert killed.wait_for(KILL_LINES["normalized"]) and killed.kill()
    rerun = StageProcess(spec)
    assert rerun.wait_for("Step blocked by limit for pool normalized"), rerun.output
    with dg.DagsterInstance.get() as instance:
        runs = {r.dagster_run.run_id: r.dagster_run for r in instance.get_run_records()}
        pool = instance.event_log_storage.get_concurrency_info("normalized")
        [holder] = [slot.run_id for slot in pool.claimed_slots]
        dead = runs[holder]
        assert dead.status == dg.DagsterRunStatus.STARTED
        assert rerun.process.poll() is None  # still waiting for the slot
        instance.report_run_failed(dead, "the run worker was killed (drill)")
        instance.event_log_storage.free_concurrency_slots_for_run(dead.run_id)
        _finish(rerun)
        statuses = sorted(r.dagster_run.status.value for r in instance.get_run_records())
        assert statuses == ["FAILURE", "SUCCESS"]
        assert not instance.event_log_storage.get_concurrency_info("normalized").claimed_slots
    assert_same_tables(lake_tables(lake, STAGE_TABLES["normalized"]), chain.tables["normalized"])


# --------------------------------------------------------------------------- Meilisearch


@contextlib.contextmanager
def own_meilisearch(root: Path) -> Iterator[tuple[services.Paths, dict, str]]:
    """A Meilisearch of this test only (its own data dir and port), stopped at the end; the
    binary is the one the shared test services use (no download)."""
    binary = services.resolve_meili_binary(services.Paths(TEST_DATA_DIR))
    paths, state, key = services.Paths(root), {}, secrets.token_urlsafe(24)
    root.mkdir(parents=True, exist_ok=True)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("MEILI_BIN", str(binary))
        patch.delenv("MEILI_PORT", raising=False)
        services.start_meilisearch(paths, state, key)
        try:
            yield paths, state, key
        finally:
            services.stop_meilisearch(paths)


def _kill_meilisearch(paths: services.Paths) -> None:
    pid = int(paths.meili_pid.read_text())
    os.kill(pid, signal.SIGKILL)
    deadline = time.monotonic() + 30
    while Path(f"/proc/{pid}").exists() and time.monotonic() < deadline:
        with contextlib.suppress(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)
        time.sleep(0.05)


def test_meilisearch_killed_mid_index_then_restarted(chain: Chain, tmp_path: Path) -> None:
    """Meilisearch SIGKILLed halfway through a full publish, started again on the same data
    dir: the interrupted publish raised (nothing recorded as published), readers never saw a
    partial index under the live name, and the publish run again gives the clean index."""
    enriched = str(chain.lakes["enrichment"] / "enriched" / "enriched_candidates")
    search_root = str(tmp_path / "search")
    uid = "candidates"
    with own_meilisearch(tmp_path / "meili") as (paths, state, key):
        url = f"http://127.0.0.1:{state['meili_port']}"

        def publisher() -> MeiliPublisher:
            client = meilisearch.Client(url, key, timeout=10)
            return MeiliPublisher(client, task_timeout_s=120, batch_size=20)

        def publish_killed_halfway(*, rebuild: bool) -> None:
            killed = []

            def log(message: str) -> None:
                if message.startswith("sent ") and not killed:
                    sent, total = message.split()[1].split("/")
                    if int(sent) >= int(total) // 2:
                        _kill_meilisearch(paths)
                        killed.append(message)

            with pytest.raises(MeilisearchCommunicationError):
                publish_changes(
                    publisher(), enriched, search_root, index_uid=uid, rebuild=rebuild, log=log
                )
            assert killed, "Meilisearch was not killed: the publish sent too few batches"
            services.start_meilisearch(paths, state, key)  # the same data dir and port

        # The first publish: nothing is published under the live name until the swap.
        publish_killed_halfway(rebuild=False)
        assert not Path(state_uri(search_root, uid)).exists()
        assert index_documents(meilisearch.Client(url, key), uid) == {}
        report = publish_changes(publisher(), enriched, search_root, index_uid=uid)
        assert report.mode == "full" and report.rebuilt_because == "first run"
        assert index_documents(meilisearch.Client(url, key), uid) == chain.documents
        published = Path(state_uri(search_root, uid)).read_text()

        # A rebuild: the live index stays whole while the new one is built, and after.
        publish_killed_halfway(rebuild=True)
        assert Path(state_uri(search_root, uid)).read_text() == published
        assert index_documents(meilisearch.Client(url, key), uid) == chain.documents
        publish_changes(publisher(), enriched, search_root, index_uid=uid, rebuild=True)
        client = meilisearch.Client(url, key)
        assert index_documents(client, uid) == chain.documents
        assert [i["uid"] for i in client.get_raw_indexes()["results"]] == [uid]


# --------------------------------------------------------------------------- Postgres


def test_postgres_restarted_between_runs(chain: Chain, tmp_path: Path) -> None:
    """The instance's own Postgres stopped and started between two runs: the second run
    (on the same DagsterInstance object) succeeds, and the run history and the
    materializations of both runs are there, also for a new instance."""
    paths, state, password = services.Paths(tmp_path / "pg"), {}, secrets.token_urlsafe(16)
    paths.data.mkdir(parents=True)
    lake = tmp_path / "lake"
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv("PG_PORT", raising=False)
        pg_url = services.start_postgres(paths, state, password)
        try:
            env = {
                **dagster_home_env(tmp_path, pg_url),
                **pipeline_env(
                    lake,
                    chain.world_dir,
                    chain.meili.meili_url,
                    chain.meili.meili_master_key,
                    "unused",
                    chain.jobdiva_url,
                ),
            }
            for name, value in env.items():
                patch.setenv(name, value)
            defs = code_location()
            day = chain.days[1].isoformat()
            with dg.DagsterInstance.get() as instance:
                extracted = defs.resolve_job_def("jobdiva_raw_job").execute_in_process(
                    instance=instance, partition_key=day
                )
                assert extracted.success
                assert services.stop_postgres(paths)
                services.start_postgres(paths, state, password)
                merged = defs.resolve_job_def("normalized_job").execute_in_process(
                    instance=instance
                )
                assert merged.success
            runs = {extracted.run_id: "jobdiva_raw_job", merged.run_id: "normalized_job"}
            with dg.DagsterInstance.get() as fresh:
                records = fresh.get_run_records()
                assert {r.dagster_run.run_id: r.dagster_run.job_name for r in records} == runs
                assert all(r.dagster_run.status == dg.DagsterRunStatus.SUCCESS for r in records)
                raw = fresh.get_latest_materialization_event(dg.AssetKey(["raw", "candidates"]))
                assert raw is not None and raw.run_id == extracted.run_id
                assert raw.dagster_event.partition == day
                table = dg.AssetKey(["normalized", "candidates"])
                latest = fresh.get_latest_materialization_event(table)
                assert latest is not None and latest.run_id == merged.run_id
        finally:
            services.stop_postgres(paths)


# --------------------------------------------------------------------------- JobDiva faults

# About 20 % of BI reads fail: five kinds at 4 % each (1 − 0.96⁵ ≈ 18.5 %) plus 1 % timeouts.
FAULTS = FaultSettings(
    rate_429=0.04, rate_5xx=0.04, rate_reset=0.04, rate_truncate=0.04, rate_error200=0.04
)
TIMEOUT_RATE = 0.01
CLIENT_TIMEOUT_S = 2.0
# How the client reports each kind of fault when it retries (extraction.jobdiva_client).
FAULT_SIGNS = {
    "429": "HTTP 429",
    "5xx": "HTTP 5",
    "connection reset": "RemoteProtocolError",
    "truncated body": "not valid JSON",
    "error shaped as 200": "throttled the call",
    "timeout": "ReadTimeout",
}


def _with_timeouts(simulator: RunningSimulator, rate: float, seed: int) -> None:
    """Make a seeded share of BI reads answer after the client gave up: the simulator has no
    timeout fault of its own (`latency_ms` delays every call)."""
    draw = random.Random(seed)
    faults = simulator.simulator.faults
    delay = faults.delay

    async def sometimes_too_slow() -> None:
        if draw.random() < rate:
            await asyncio.sleep(CLIENT_TIMEOUT_S + 1)
        await delay()

    faults.delay = sometimes_too_slow


class _Retries(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def test_jobdiva_at_20_percent_faults_gives_the_same_tables(chain: Chain, tmp_path: Path):
    """Extraction through 429s, 5xx, resets, truncated bodies, throttling shaped as 200 and
    timeouts: the raw tables, and the normalized tables merged from them, are the clean ones."""
    lake = tmp_path / "lake"
    retries = _Retries()
    client_log = logging.getLogger(jobdiva_client.__name__)
    client_log.addHandler(retries)
    try:
        with run_in_thread(config_for(chain.world_dir, faults=FAULTS, seed=20)) as simulator:
            _with_timeouts(simulator, TIMEOUT_RATE, seed=20)
            first, last = chain.days
            result = dg.materialize(
                [jobdiva_raw],
                resources={
                    "jobdiva": JobDivaResource(
                        base_url=simulator.base_url,
                        client_id="1000",
                        username="api@sandbox.jobdiva.test",
                        password="sandbox-password",
                        requests_per_minute=0,
                        timeout_s=CLIENT_TIMEOUT_S,
                        backoff_initial_s=0.01,
                        backoff_max_s=0.05,
                    ),
                    "lake": LakeResource(root_uri=str(lake)),
                },
                tags={
                    ASSET_PARTITION_RANGE_START_TAG: first.isoformat(),
                    ASSET_PARTITION_RANGE_END_TAG: last.isoformat(),
                },
            )
    finally:
        client_log.removeHandler(retries)
    assert result.success
    [event, *_] = result.asset_materializations_for_node("jobdiva_raw")
    calls, retried = (
        event.metadata["jobdiva_requests"].value,
        event.metadata["jobdiva_retries"].value,
    )
    seen = {kind: sum(sign in m for m in retries.messages) for kind, sign in FAULT_SIGNS.items()}
    print(f"JobDiva calls {calls}, retried {retried}: {seen}")
    assert 0.12 <= retried / calls <= 0.3, (retried, calls)
    assert all(seen.values()), seen  # every kind of fault was met (and survived)
    assert_same_tables(lake_tables(lake, STAGE_TABLES["extraction"]), chain.tables["extraction"])
    load_datacopy(chain.world_dir, lake)
    assert dg.materialize(
        [normalized], resources={"lake": LakeResource(root_uri=str(lake))}
    ).success
    assert_same_tables(lake_tables(lake, STAGE_TABLES["normalized"]), chain.tables["normalized"])
