"""A smoke run of the pipeline benchmark (bench/pipeline.py) on a tiny world: both loads run
every stage and the last line is the RESULT line. Timings are the bench's to report, never
asserted here."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import uuid
from pathlib import Path

import meilisearch
import pytest
from meilisearch.errors import MeilisearchApiError

from bench.pipeline import STAGES
from sandbox.services import ServiceEnv

pytestmark = pytest.mark.services

REPO_ROOT = Path(__file__).resolve().parents[1]
RESULT_KEYS = [
    "candidates", "profiles", "full_seconds", "incremental_seconds", "incremental_ratio",
    "peak_mb",
]  # fmt: skip
NUMBER = re.compile(r"\d+(\.\d+)?")


def test_smoke_run(service_env: ServiceEnv, tmp_path: Path) -> None:
    uid = f"test_bench_pipeline_{uuid.uuid4().hex[:10]}"
    command = [
        sys.executable, "-m", "bench.pipeline", "--candidates", "150", "--profiles", "600",
        "--days", "5", "--lookback-days", "30", "--worlds-dir", str(tmp_path / "worlds"),
        "--data-dir", str(tmp_path / "services"), "--work-dir", str(tmp_path), "--index-uid", uid,
    ]  # fmt: skip
    # The session's services (MEILI_URL set: the bench starts no Meilisearch of its own).
    environment = {**os.environ, **service_env.as_env(), "PYTHONPATH": str(REPO_ROOT)}
    environment.pop("JOBDIVA_PARTITION_START", None)  # the bench sets it from the world
    done = subprocess.run(
        command, cwd=REPO_ROOT, env=environment, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr[-3000:]
    lines = done.stdout.strip().splitlines()
    assert [line for line in lines if line.startswith("RESULT")] == [lines[-1]]
    fields = dict(item.split("=", 1) for item in lines[-1].split()[1:])
    assert list(fields) == RESULT_KEYS
    assert all(NUMBER.fullmatch(value) for value in fields.values()), fields
    assert fields["candidates"] == "150" and fields["profiles"] == "600"
    ratio = float(fields["incremental_seconds"]) / float(fields["full_seconds"])
    assert float(fields["incremental_ratio"]) == pytest.approx(ratio, abs=1e-3)
    # the table has every stage; the incremental day changed something and was incremental
    for stage in STAGES:
        assert any(line.startswith(stage) for line in lines), stage
    assert "mode full" in done.stdout and "mode incremental" in done.stdout
    assert re.search(r"incremental day: [1-9]\d* of \d+ live candidates changed", done.stdout)
    # the index and the lake are gone without --keep
    client = meilisearch.Client(service_env.meili_url, service_env.meili_master_key)
    with pytest.raises(MeilisearchApiError):
        client.get_index(uid)
    assert not (tmp_path / "run-150x600-1" / "lake").exists()
