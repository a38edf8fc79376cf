"""jobdiva_raw against the simulator: fault-tolerant, idempotent, resumable after a kill."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import dagster as dg
import polars as pl
import pytest
from dagster._core.storage.tags import (
    ASSET_PARTITION_RANGE_END_TAG,
    ASSET_PARTITION_RANGE_START_TAG,
)
from deltalake import DeltaTable

from assets.jobdiva_raw import jobdiva_raw
from extraction.raw_sync import RAW_TABLES
from resources import JobDivaResource, LakeResource
from sandbox.jobdiva import FaultSettings, run_in_thread
from tests.sim_world import REF, config_for, reference_world

REPO_ROOT = Path(__file__).resolve().parents[1]
FIRST_DAY, LAST_DAY = "2024-03-01", "2024-03-30"  # a 30-day backfill of the reference world
FAULTS = FaultSettings(rate_429=0.1, rate_5xx=0.1, rate_reset=0.05, rate_truncate=0.05)


@pytest.fixture(scope="module")
def world_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return reference_world().write(tmp_path_factory.mktemp("world") / "reference")


@pytest.fixture
def simulator(world_dir: Path) -> Iterator:
    with run_in_thread(config_for(world_dir, token_ttl_s=3)) as sim:
        yield sim


def jobdiva_resource(base_url: str, **overrides) -> JobDivaResource:
    settings = {
        "base_url": base_url,
        "client_id": "1000",
        "username": "api@sandbox.jobdiva.test",
        "password": "sandbox-password",
        "requests_per_minute": 0,
        "backoff_initial_s": 0.01,
        "backoff_max_s": 0.05,
        "max_attempts": 15,
    }
    return JobDivaResource(**(settings | overrides))


def backfill(base_url: str, lake_root: Path, first: str = FIRST_DAY, last: str = LAST_DAY):
    return dg.materialize(
        [jobdiva_raw],
        resources={
            "jobdiva": jobdiva_resource(base_url),
            "lake": LakeResource(root_uri=str(lake_root)),
        },
        tags={ASSET_PARTITION_RANGE_START_TAG: first, ASSET_PARTITION_RANGE_END_TAG: last},
    )


def snapshot(lake_root: Path) -> dict[str, pl.DataFrame]:
    """Each raw table's rows without the extraction timestamp, in a stable order."""
    tables = {}
    for table in RAW_TABLES:
        uri = lake_root / "raw" / table
        if not (uri / "_delta_log").exists():
            tables[table] = pl.DataFrame()
            continue
        frame = pl.read_delta(str(uri)).drop("_extracted_at")
        tables[table] = frame.sort(["_partition", "_feed", "record_id"])
    return tables


def test_faulty_backfill_equals_clean_backfill(simulator, tmp_path: Path) -> None:
    clean = backfill(simulator.base_url, tmp_path / "clean")
    assert clean.success
    simulator.simulator.faults.settings.update(FAULTS.as_dict())
    faulty = backfill(simulator.base_url, tmp_path / "faulty")
    assert faulty.success

    expected, actual = snapshot(tmp_path / "clean"), snapshot(tmp_path / "faulty")
    assert expected["candidates"].height > 0 and expected["tombstones"].height == 3
    for table in RAW_TABLES:
        assert actual[table].equals(expected[table]), table

    metadata = faulty.asset_materializations_for_node("jobdiva_raw")[0].metadata
    assert metadata["jobdiva_retries"].value > 0  # the faults really happened


def test_rerunning_a_partition_replaces_its_rows(simulator, tmp_path: Path) -> None:
    lake = tmp_path / "lake"
    assert backfill(simulator.base_url, lake).success
    first = snapshot(lake)
    assert backfill(simulator.base_url, lake, "2024-03-10", "2024-03-17").success
    again = snapshot(lake)
    for table in RAW_TABLES:
        if table == "recruiters":  # a user-list snapshot, kept in the last day of each run
            continue
        assert again[table].equals(first[table]), table
    recruiters = again["recruiters"]
    assert set(recruiters["_partition"]) == {"2024-03-17", LAST_DAY}
    assert recruiters.filter(pl.col("_partition") == "2024-03-17")["payload"].to_list() == (
        first["recruiters"]["payload"].to_list()
    )
    candidates = pl.read_delta(str(lake / "raw" / "candidates"))
    assert candidates.select("_partition", "record_id").is_duplicated().sum() == 0
    # The update of candidate 102 on 2024-03-10 is in that day's partition, with its window.
    row = candidates.filter(
        (pl.col("record_id") == str(REF.updated)) & (pl.col("_partition") == "2024-03-10")
    )
    assert row.height == 1
    assert row["_window_start"][0] == datetime.fromisoformat("2024-03-10T05:00:00+00:00")


def test_an_error_shaped_as_200_fails_the_partition_without_writing(
    simulator, tmp_path: Path
) -> None:
    simulator.simulator.faults.settings.update({"rate_error200": 1.0})
    # A throttle message shaped as 200 is retried; with every call refused the run gives up.
    result = dg.materialize(
        [jobdiva_raw],
        resources={
            "jobdiva": jobdiva_resource(simulator.base_url, max_attempts=3),
            "lake": LakeResource(root_uri=str(tmp_path / "lake")),
        },
        partition_key="2024-03-10",
        raise_on_error=False,
    )
    assert not result.success
    failure = next(e for e in result.all_events if e.is_step_failure)
    message = failure.step_failure_data.user_failure_data.description
    assert message.startswith(
        "JobDiva extraction failed: change windows 2024-03-10..2024-03-10 failed, nothing written"
    )
    assert "too many API requests" in message and "gave up after 3 attempts" in message
    assert not (tmp_path / "lake" / "raw" / "candidates").exists()


KILLED_RUN = textwrap.dedent(
    """
    import sys
    from tests.test_extraction_pipeline import backfill
    backfill(sys.argv[1], __import__("pathlib").Path(sys.argv[2]))
    """
)


def test_a_killed_backfill_rerun_converges(simulator, tmp_path: Path) -> None:
    clean_lake, lake = tmp_path / "clean", tmp_path / "lake"
    assert backfill(simulator.base_url, clean_lake).success
    simulator.simulator.faults.settings.update({"latency_ms": 40})  # slow enough to kill midway
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    proc = subprocess.Popen(
        [sys.executable, "-c", KILLED_RUN, simulator.base_url, str(lake)], cwd=REPO_ROOT, env=env
    )
    candidates_log = lake / "raw" / "candidates" / "_delta_log"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        if candidates_log.exists() and len(list(candidates_log.glob("*.json"))) >= 1:
            break
        time.sleep(0.05)
    assert proc.poll() is None, "the run finished before it could be killed"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    killed_versions = DeltaTable(str(lake / "raw" / "candidates")).version()
    assert 0 <= killed_versions < 2  # midway: the first 14-day span committed, not all three

    simulator.simulator.faults.settings.update({"latency_ms": 0})
    assert backfill(simulator.base_url, lake).success
    expected, actual = snapshot(clean_lake), snapshot(lake)
    for table in RAW_TABLES:
        assert actual[table].equals(expected[table]), table


def _tick(simulator, monkeypatch, cursor: str | None, now: str):
    import pipelines.sensors as sensors

    monkeypatch.setattr(sensors, "now_eastern", lambda: datetime.fromisoformat(now))
    context = dg.build_sensor_context(
        cursor=cursor, resources={"jobdiva": jobdiva_resource(simulator.base_url)}
    )
    return context, sensors.jobdiva_change_sensor(context)


def test_change_sensor_skips_quiet_windows(simulator, monkeypatch) -> None:
    context, result = _tick(simulator, monkeypatch, "2024-03-30T12:00:00", "2024-03-31T18:00:00")
    assert isinstance(result, dg.SkipReason)
    assert "no JobDiva changes" in result.skip_message
    assert context.cursor == "2024-03-31T18:00:00"


def test_change_sensor_runs_the_changed_window(simulator, monkeypatch) -> None:
    # Candidate 112 was created at 2024-03-25T23:30 (Eastern).
    context, result = _tick(simulator, monkeypatch, "2024-03-25T23:00:00", "2024-03-25T23:45:00")
    assert [r.partition_key for r in result] == ["2024-03-25"]
    assert "NewUpdatedCandidateRecords=1" in result[0].tags["jobdiva_changes"]
    assert context.cursor == "2024-03-25T23:45:00"
    # The next tick, with nothing new, launches nothing.
    _, again = _tick(simulator, monkeypatch, context.cursor, "2024-03-26T00:30:00")
    assert isinstance(again, dg.SkipReason)


def test_change_sensor_keeps_its_cursor_when_jobdiva_fails(simulator, monkeypatch) -> None:
    simulator.simulator.faults.settings.update({"rate_5xx": 1.0})
    import pipelines.sensors as sensors

    monkeypatch.setattr(sensors, "now_eastern", lambda: datetime(2024, 3, 26))
    resource = jobdiva_resource(simulator.base_url, max_attempts=2)
    context = dg.build_sensor_context(cursor="2024-03-25T00:00:00", resources={"jobdiva": resource})
    result = sensors.jobdiva_change_sensor(context)
    assert isinstance(result, dg.SkipReason) and "could not poll JobDiva" in result.skip_message
    assert context.cursor == "2024-03-25T00:00:00"


def test_connection_check_reads_and_writes(simulator) -> None:
    from pipelines.connection import verify_jobdiva_connection

    result = verify_jobdiva_connection.execute_in_process(
        resources={"jobdiva": jobdiva_resource(simulator.base_url)},
        run_config={"ops": {"check_jobdiva_connection": {"config": {"job_id": str(REF.job_open)}}}},
    )
    assert result.success
    output = result.output_for_node("check_jobdiva_connection")
    assert output["feed_rows"]["UsersList"] > 0
    created = simulator.simulator.state.live_version(int(output["test_candidate_id"]))
    assert created["last_name"].startswith("ConnectionCheck")


def test_connection_check_names_the_wrong_credential(simulator) -> None:
    from pipelines.connection import verify_jobdiva_connection

    result = verify_jobdiva_connection.execute_in_process(
        resources={"jobdiva": jobdiva_resource(simulator.base_url, password="wrong")},
        raise_on_error=False,
    )
    assert not result.success
    failure = next(e for e in result.all_events if e.is_step_failure)
    description = failure.step_failure_data.user_failure_data.description
    assert "JOBDIVA_PASSWORD" in description and "wrong" not in description


def test_generated_world_backfill_with_faults_and_token_expiry(tmp_path: Path) -> None:
    """The same check on a generated world: many candidates, resumes, attachments, tombstones."""
    from sandbox.world import generate_world

    world = generate_world(
        tmp_path / "world", profiles=800, candidates=250, days=30, seed=9, progress=False
    )
    first = (world.history_end.date() - timedelta(days=29)).isoformat()
    last = world.history_end.date().isoformat()
    with run_in_thread(config_for(world.out_dir, token_ttl_s=2)) as sim:
        assert backfill(sim.base_url, tmp_path / "clean", first, last).success
        sim.simulator.faults.settings.update(FAULTS.as_dict())
        faulty = backfill(sim.base_url, tmp_path / "faulty", first, last)
    assert faulty.success
    expected, actual = snapshot(tmp_path / "clean"), snapshot(tmp_path / "faulty")
    assert min(expected[t].height for t in ("candidates", "resumes", "tombstones")) > 0
    for table in RAW_TABLES:
        assert actual[table].equals(expected[table]), table
    metadata = faulty.asset_materializations_for_node("jobdiva_raw")[0].metadata
    assert metadata["jobdiva_reauthentications"].value > 0


def test_daily_schedule_requests_the_day_that_ended() -> None:
    from zoneinfo import ZoneInfo

    from pipelines.schedules import jobdiva_daily_incremental

    tick = datetime(2026, 3, 9, 1, 0, tzinfo=ZoneInfo("America/New_York"))
    context = dg.build_schedule_context(scheduled_execution_time=tick)
    request = jobdiva_daily_incremental(context)
    assert request.partition_key == "2026-03-08"
    assert request.run_key == "daily-2026-03-08"


def test_code_location_wires_jobs_schedules_and_sensors() -> None:
    from pipelines.definitions import defs

    repo = defs.get_repository_def()
    assert {"jobdiva_raw_job", "datacopy_raw_job", "verify_jobdiva_connection"} <= {
        job.name for job in repo.get_all_jobs()
    }
    assert {s.name for s in repo.schedule_defs} == {"jobdiva_daily_incremental"}
    assert {"jobdiva_change_sensor", "datacopy_sensor"} <= {s.name for s in repo.sensor_defs}
    raw_keys = {k.to_user_string() for k in repo.assets_defs_by_key}
    assert {f"raw/{t}" for t in RAW_TABLES} <= raw_keys
    job = repo.get_job("jobdiva_raw_job")
    assert job.tags.get("jobdiva_api") == "true"  # meets dagster.yaml's run tag limit
