"""At scale: a 20k-candidate world loads in seconds and 100k-candidate window reads stay fast."""

from __future__ import annotations

import time
from datetime import datetime
from pathlib import Path

import httpx
import polars as pl
import pytest

from sandbox.jobdiva import create_app, run_in_thread
from tests.sim_world import bi, config_for, login, rows, window, write_bulk_world


@pytest.fixture(scope="module")
def bulk_100k(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_bulk_world(tmp_path_factory.mktemp("bulk-100k"), candidates=100_000)


def test_a_20k_candidate_world_loads_in_seconds(tmp_path: Path) -> None:
    world_dir = write_bulk_world(tmp_path / "bulk-20k", candidates=20_000)
    started = time.perf_counter()
    app = create_app(config_for(world_dir))
    elapsed = time.perf_counter() - started
    assert app.state.simulator.state.candidates().height == 20_000
    assert elapsed < 5.0


def _expected_ids(world_dir: Path, start: datetime, end: datetime) -> list[int]:
    """Independent answer: latest version per candidate, then created/updated in the window."""
    versions = pl.read_parquet(world_dir / "candidate_versions.parquet")
    latest = versions.sort("version_at").group_by("candidate_id").last()
    touched = pl.col("created_at").is_between(start, end) | pl.col("updated_at").is_between(
        start, end
    )
    return sorted(latest.filter(touched)["candidate_id"].to_list())


@pytest.mark.parametrize(
    ("start", "end"),
    [
        ("2024-06-03T00:00:00", "2024-06-03T23:59:59"),
        ("2024-06-01T00:00:00", "2024-06-14T23:59:59"),
    ],
    ids=["one-day", "fourteen-days"],
)
def test_window_query_over_100k_candidates_is_fast_and_right(
    bulk_100k: Path, start: str, end: str
) -> None:
    with (
        run_in_thread(config_for(bulk_100k)) as simulator,
        httpx.Client(base_url=simulator.base_url, timeout=30) as http,
    ):
        token = login(http)
        timings = []
        for _ in range(3):
            started = time.perf_counter()
            response = bi(http, token, "NewUpdatedCandidateRecords", window(start, end))
            timings.append(time.perf_counter() - started)
    found = sorted(int(row["CANDIDATEID"]) for row in rows(response))
    expected = _expected_ids(bulk_100k, datetime.fromisoformat(start), datetime.fromisoformat(end))
    assert found == expected
    assert len(found) > 100
    assert max(timings) < 1.0, timings
