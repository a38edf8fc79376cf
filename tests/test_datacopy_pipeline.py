"""datacopy_raw on the sandbox's data copy: the sensor picks each file set once; nothing is lost."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import dagster as dg
import polars as pl
import pytest

from assets.datacopy_raw import datacopy_file_sets, datacopy_raw
from resources import DataCopyResource, LakeResource
from sandbox.world import generate_world


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dcworld") / "world"
    generate_world(out, profiles=1500, candidates=400, days=10, seed=11)
    return out


@pytest.fixture(scope="module")
def file_set(world: Path) -> tuple[Path, str]:
    [directory] = sorted(p for p in (world / "datacopy").iterdir() if p.is_dir())
    return directory.parent, directory.name


def test_file_set_loads_with_every_dirty_row_quarantined(
    dagster_home: Path, file_set: tuple[Path, str], tmp_path: Path
) -> None:
    root, name = file_set
    manifest = json.loads((root / name / "manifest.json").read_text())
    lake = tmp_path / "lake"
    with dg.DagsterInstance.get() as instance:  # the repo's dagster.yaml, storage in Postgres
        instance.add_dynamic_partitions(datacopy_file_sets.name, [name])
        result = dg.materialize(
            [datacopy_raw],
            partition_key=name,
            instance=instance,
            resources={
                "datacopy": DataCopyResource(directory=str(root), settle_seconds=0),
                "lake": LakeResource(root_uri=str(lake)),
            },
        )
    assert result.success
    by_key = {
        m.asset_key.path[-1]: m.metadata
        for m in result.asset_materializations_for_node("datacopy_raw")
    }
    for table in ("candidates", "resumes", "attachments"):
        meta = by_key[f"datacopy_{table}"]
        assert meta["rows_in"].value == meta["rows_loaded"].value + meta["rows_quarantined"].value
        assert meta["rows_in"].value == manifest["files"][f"{table}.csv"]["records"]

    quarantine = pl.read_delta(str(lake / "raw" / "datacopy_quarantine"))
    dirt = manifest["dirt"]
    ragged = quarantine.filter(pl.col("kind") == "ragged_row")
    for item in (d for d in dirt if d["kind"] == "ragged_row"):
        assert any(str(item["candidate_id"]) in raw for raw in ragged["raw"]), item
    duplicates = [d for d in dirt if d["kind"] == "duplicate_id"]
    reasons = quarantine.filter(pl.col("reason").str.starts_with("duplicate"))["reason"].to_list()
    for item in duplicates:
        assert sum(str(item["candidate_id"]) in r for r in reasons) == item["copies"] - 1

    loaded = pl.read_delta(str(lake / "raw" / "datacopy_candidates"))
    ragged_ids = {str(d["candidate_id"]) for d in dirt if d["kind"] == "ragged_row"}
    expected_ids = {str(i) for i in manifest["candidate_ids"]} - ragged_ids
    assert set(loaded["record_id"]) == expected_ids  # every other candidate arrived, once
    assert loaded["record_id"].is_duplicated().sum() == 0
    payloads = [json.loads(p) for p in loaded["payload"]]
    assert any("\n" in (p.get("QUALIFICATIONS") or "") for p in payloads)  # quoted newlines
    extra = [d["column"] for d in dirt if d["kind"] == "extra_column"]
    assert extra
    files = by_key["datacopy_candidates"]["files"].data
    assert files["candidates.csv"]["unmapped_columns"] == extra  # reported, and kept:
    assert all(extra[0] in p for p in payloads)
    resumes = pl.read_delta(str(lake / "raw" / "datacopy_resumes"))
    assert not any("\ufffd" in json.loads(p)["PLAINTEXT"] for p in resumes["payload"])  # cp1252


def test_rerunning_a_file_set_changes_nothing(file_set: tuple[Path, str], tmp_path: Path) -> None:
    root, name = file_set
    lake = tmp_path / "lake"
    resources = {
        "datacopy": DataCopyResource(directory=str(root), settle_seconds=0),
        "lake": LakeResource(root_uri=str(lake)),
    }
    instance = dg.DagsterInstance.ephemeral()
    instance.add_dynamic_partitions(datacopy_file_sets.name, [name])
    snapshots = []
    for _ in range(2):
        result = dg.materialize(
            [datacopy_raw], partition_key=name, instance=instance, resources=resources
        )
        assert result.success
        snapshots.append(
            pl.read_delta(str(lake / "raw" / "datacopy_candidates")).drop("_extracted_at")
        )
    assert snapshots[0].sort("record_id").equals(snapshots[1].sort("record_id"))


def test_sensor_picks_up_each_settled_file_set_once(tmp_path: Path) -> None:
    from pipelines.sensors import datacopy_sensor

    root = tmp_path / "datacopy"
    (root / "2026-11-01_full").mkdir(parents=True)
    (root / "2026-11-01_full" / "candidates.csv").write_text("CANDIDATEID\n1\n")
    resource = DataCopyResource(directory=str(root), settle_seconds=60)

    # Still being copied (files younger than the settle time): nothing yet.
    context = dg.build_sensor_context(resources={"datacopy": resource})
    assert isinstance(datacopy_sensor(context), dg.SkipReason)

    old = time.time() - 3600
    os.utime(root / "2026-11-01_full" / "candidates.csv", (old, old))
    context = dg.build_sensor_context(resources={"datacopy": resource})
    result = datacopy_sensor(context)
    assert [r.partition_key for r in result.run_requests] == ["2026-11-01_full"]
    assert result.dynamic_partitions_requests[0].partition_keys == ["2026-11-01_full"]

    # The next tick, with the cursor, launches nothing for the same set.
    again = datacopy_sensor(
        dg.build_sensor_context(cursor=result.cursor, resources={"datacopy": resource})
    )
    assert isinstance(again, dg.SkipReason)
