"""A full sandbox world normalized: every live candidate exactly once, with its applications."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import dagster as dg
import polars as pl
import pytest

from assets.normalized import normalized
from assets.normalized_checks import NORMALIZED_CHECKS
from normalize.engine import read_normalized
from resources import LakeResource
from sandbox.world import generate_world
from tests.test_normalized_pipeline import (
    assert_candidates_match_world,
    assert_merges_point_to_survivors,
    extract_days,
    load_datacopy,
    world_state,
)

# Candidates are created up to five years before the history; ending the world in 2029 keeps
# all of it after the tests' partition start (2024-01-01).
WORLD_END = datetime(2029, 3, 1, 18, 0, 0)


@pytest.mark.heavy
def test_a_full_backfill_normalizes_every_live_candidate_once(tmp_path: Path) -> None:
    summary = generate_world(
        tmp_path / "world", profiles=1500, candidates=400, days=10, seed=11, end=WORLD_END
    )
    lake = tmp_path / "lake"
    first_day = datetime(2024, 1, 1).date()
    extract_days(summary.out_dir, lake, first_day, summary.history_end.date())
    load_datacopy(summary.out_dir, lake)
    result = dg.materialize(
        [normalized, *NORMALIZED_CHECKS], resources={"lake": LakeResource(root_uri=str(lake))}
    )
    assert result.success
    for evaluation in result.get_asset_check_evaluations():
        assert evaluation.passed, (evaluation.check_name, evaluation.metadata)

    world = world_state(summary.out_dir)
    tables = read_normalized(LakeResource(root_uri=str(lake)).table_uri)
    assert_candidates_match_world(tables["candidates"], world, world.live)
    assert_merges_point_to_survivors(tables, world)

    # Every application and submittal of a live candidate, and nothing else.
    pairs = set()
    for table in ("applications", "activities"):
        rows = pl.read_parquet(summary.out_dir / f"{table}.parquet")
        pairs |= {(str(c), str(j)) for c, j in rows.select("candidate_id", "job_id").rows()}
    expected = {pair for pair in pairs if pair[0] in world.live}
    assert set(tables["applications"].select("candidate_id", "job_id").rows()) == expected

    # Statuses agree with the world's own submittal flags.
    activities = pl.read_parquet(summary.out_dir / "activities.parquet").select(
        pl.col("candidate_id").cast(pl.String),
        pl.col("job_id").cast(pl.String),
        "hire_flag",
        "reject_flag",
        "interview_flag",
    )
    joined = tables["applications"].join(activities, on=["candidate_id", "job_id"])
    assert joined.height > 0
    for status, hired, rejected, interviewed in joined.select(
        "status", "hire_flag", "reject_flag", "interview_flag"
    ).rows():
        expected_status = (
            "Hired"
            if hired
            else "Rejected"
            if rejected
            else "Interviewing"
            if interviewed
            else "Submitted"
        )
        assert status == expected_status
