"""normalized on a sandbox world: the world's own state, no-op re-runs, any partition order."""

from __future__ import annotations

import json
import shutil
import tempfile
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path

import dagster as dg
import polars as pl
import pytest
from dagster._core.storage.tags import (
    ASSET_PARTITION_RANGE_END_TAG,
    ASSET_PARTITION_RANGE_START_TAG,
)
from deltalake import DeltaTable, write_deltalake
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import normalize.engine as engine
from assets.datacopy_raw import datacopy_file_sets, datacopy_raw
from assets.jobdiva_raw import jobdiva_raw
from assets.normalized import NORMALIZED_TABLES, normalized
from assets.normalized_checks import NORMALIZED_CHECKS
from normalize.contacts import split_emails
from normalize.engine import NormalizeOptions, normalize_lake, read_normalized
from normalize.names import normalize_name_for_display
from normalize.records import RAW_TABLES
from normalize.text import normalize_whitespace
from normalize.urls import canonical_linkedin_url
from resources import DataCopyResource, JobDivaResource, LakeResource
from sandbox.jobdiva import run_in_thread
from sandbox.world import generate_world
from tests.sim_world import config_for

# --------------------------------------------------------------------------- the world's truth


@dataclass(frozen=True)
class WorldState:
    """What the world itself says at the simulator's "now" (sandbox/WORLD_FORMAT.md)."""

    now: datetime
    current: pl.DataFrame  # the latest version of every candidate created by now
    removed: set[str]  # deleted or redacted by now
    merged: dict[str, str]  # merged by now → survivor
    datacopy_cutoff: datetime
    quarantined: set[str]  # data-copy candidates whose row the importer had to quarantine

    @property
    def live(self) -> set[str]:
        ids = set(self.current["candidate_id"].to_list())
        return ids - self.removed - set(self.merged)

    def changed_since(self, moment: datetime) -> set[str]:
        """Candidates whose current version has a date on or after `moment` (the feed's
        selection: created, updated, profile- or UDF-updated)."""
        dates = ("created_at", "updated_at", "profile_updated_at", "userfield_updated_at")
        changed = self.current.filter(pl.max_horizontal(*dates) >= moment)
        return set(changed["candidate_id"].to_list())


def world_state(world_dir: Path) -> WorldState:
    meta = json.loads((world_dir / "meta.json").read_text())
    now = datetime.fromisoformat(meta["history_end"])
    versions = pl.read_parquet(world_dir / "candidate_versions.parquet").filter(
        pl.col("version_at") <= now
    )
    current = (
        versions.sort("version_at")
        .group_by("candidate_id")
        .last()
        .with_columns(pl.col("candidate_id").cast(pl.String))
    )
    tombstones = pl.read_parquet(world_dir / "tombstones.parquet").filter(pl.col("at") <= now)
    removed = tombstones.filter(pl.col("kind").is_in(["deleted", "redacted"]))
    merges = tombstones.filter(pl.col("kind") == "merged")
    [manifest] = (world_dir / "datacopy").glob("*/manifest.json")
    return WorldState(
        now=now,
        current=current,
        removed={str(i) for i in removed["candidate_id"]},
        merged={
            str(a): str(b)
            for a, b in merges.select("candidate_id", "merged_to_candidate_id").rows()
        },
        datacopy_cutoff=datetime.fromisoformat(json.loads(manifest.read_text())["cutoff"]),
        quarantined={
            str(dirt["candidate_id"])
            for dirt in json.loads(manifest.read_text())["dirt"]
            if dirt["kind"] == "ragged_row" and dirt.get("file") == "candidates.csv"
        },
    )


def assert_candidates_match_world(candidates: pl.DataFrame, world: WorldState, expected: set[str]):
    """Each expected candidate exactly once, nothing else, with the world's current values."""
    ids = candidates["candidate_id"].to_list()
    assert len(ids) == len(set(ids))
    assert set(ids) == expected
    assert not set(ids) & (world.removed | set(world.merged))
    truth = {row["candidate_id"]: row for row in world.current.to_dicts()}
    changed_after_cutoff = world.changed_since(world.datacopy_cutoff)
    for row in candidates.to_dicts():
        version = truth[row["candidate_id"]]
        assert row["first_name"] == normalize_name_for_display(version["first_name"])
        assert row["last_name"] == normalize_name_for_display(version["last_name"])
        assert row["application_type"] == version["application_type"]
        emails = [*split_emails(version["email"]), *split_emails(version["alternate_email"])]
        assert row["emails"] == list(dict.fromkeys(emails)), row["candidate_id"]
        if (linkedin := canonical_linkedin_url(version["linkedin"])) is not None:
            assert row["linkedin_url"] == linkedin
        if row["candidate_id"] not in changed_after_cutoff | world.quarantined:
            # The API has no active flag; the data copy (inactive candidates) is the source.
            assert row["is_active"] == version["is_active"], row["candidate_id"]


def assert_merges_point_to_survivors(normalized_tables: dict, world: WorldState) -> None:
    tombstones = normalized_tables["tombstones"].filter(pl.col("kind") == "merged")
    recorded = dict(tombstones.select("candidate_id", "merged_to_candidate_id").rows())
    aliases = dict(normalized_tables["candidates"].select("candidate_id", "aliases").rows())
    applications = set(normalized_tables["applications"]["candidate_id"].to_list())
    assert world.merged and not set(world.merged) & applications
    for merged_id, survivor in world.merged.items():
        assert recorded[merged_id] == survivor
        if survivor in aliases:
            assert merged_id in aliases[survivor]


# --------------------------------------------------------------------------- raw lake fixture


def jobdiva_resource(base_url: str) -> JobDivaResource:
    return JobDivaResource(
        base_url=base_url,
        client_id="1000",
        username="api@sandbox.jobdiva.test",
        password="sandbox-password",
        requests_per_minute=0,
        backoff_initial_s=0.01,
        backoff_max_s=0.05,
    )


def extract_days(
    world_dir: Path, lake_root: Path, first: date, last: date, now: datetime | None = None
) -> None:
    """Extract the change days [first, last] through the simulator (its clock at `now`, by
    default the world's end) with the real raw asset, as a backfill would."""
    with run_in_thread(config_for(world_dir, now=now)) as simulator:
        result = dg.materialize(
            [jobdiva_raw],
            resources={
                "jobdiva": jobdiva_resource(simulator.base_url),
                "lake": LakeResource(root_uri=str(lake_root)),
            },
            tags={
                ASSET_PARTITION_RANGE_START_TAG: first.isoformat(),
                ASSET_PARTITION_RANGE_END_TAG: last.isoformat(),
            },
        )
    assert result.success


def load_datacopy(world_dir: Path, lake_root: Path) -> None:
    """Load every data-copy file set with the real raw asset, as the sensor would."""
    instance = dg.DagsterInstance.ephemeral()
    file_sets = sorted(p.name for p in (world_dir / "datacopy").iterdir() if p.is_dir())
    instance.add_dynamic_partitions(datacopy_file_sets.name, file_sets)
    for file_set in file_sets:
        result = dg.materialize(
            [datacopy_raw],
            partition_key=file_set,
            instance=instance,
            resources={
                "datacopy": DataCopyResource(
                    directory=str(world_dir / "datacopy"), settle_seconds=0
                ),
                "lake": LakeResource(root_uri=str(lake_root)),
            },
        )
        assert result.success


@pytest.fixture(scope="module")
def world_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("normalized_world") / "world"
    # Seed 4 has, among the candidates this test extracts, one deleted and one redacted
    # after the data copy was cut, and a merged duplicate with an application.
    generate_world(out, profiles=1500, candidates=400, days=10, seed=4)
    return out


@pytest.fixture(scope="module")
def backfill_days(world_dir: Path) -> tuple[date, date]:
    """The whole history: every update, creation in history and tombstone of the world."""
    meta = json.loads((world_dir / "meta.json").read_text())
    start = datetime.fromisoformat(meta["history_start"]).date()
    return start, datetime.fromisoformat(meta["history_end"]).date()


@pytest.fixture(scope="module")
def raw_lake(world_dir: Path, backfill_days, tmp_path_factory) -> Path:
    """Raw tables as an incremental mirror builds them: the first half of the history
    extracted while it was "now" (so candidates deleted or merged later are in raw), then the
    rest with the tombstones, and the data copy."""
    root = tmp_path_factory.mktemp("normalized_raw") / "lake"
    first, last = backfill_days
    middle = first + (last - first) / 2
    extract_days(world_dir, root, first, middle, now=datetime.combine(middle, time(23, 59, 59)))
    extract_days(world_dir, root, middle + timedelta(days=1), last)
    load_datacopy(world_dir, root)
    return root


def copy_raw(raw_lake: Path, destination: Path) -> Path:
    shutil.copytree(raw_lake / "raw", destination / "raw")
    return destination


@dataclass(frozen=True)
class Run:
    lake: Path
    result: dg.ExecuteInProcessResult


def materialize_normalized(lake: Path, **config) -> dg.ExecuteInProcessResult:
    return dg.materialize(
        [normalized, *NORMALIZED_CHECKS],
        resources={"lake": LakeResource(root_uri=str(lake))},
        run_config={"ops": {"normalized": {"config": config}}} if config else None,
    )


@pytest.fixture(scope="module")
def first_run(raw_lake: Path, tmp_path_factory) -> Run:
    lake = copy_raw(raw_lake, tmp_path_factory.mktemp("normalized_lake"))
    return Run(lake, materialize_normalized(lake))


def _metadata(result: dg.ExecuteInProcessResult) -> dict[str, dict]:
    return {
        m.asset_key.path[-1]: {k: v.value for k, v in m.metadata.items()}
        for m in result.asset_materializations_for_node("normalized")
    }


def _versions(lake: Path) -> dict[str, int]:
    return {t: DeltaTable(str(lake / "normalized" / t)).version() for t in NORMALIZED_TABLES}


# --------------------------------------------------------------------------- tests


def test_normalized_tables_match_the_world(first_run: Run, world_dir: Path, backfill_days) -> None:
    assert first_run.result.success
    evaluations = {e.check_name: e for e in first_run.result.get_asset_check_evaluations()}
    for evaluation in evaluations.values():
        if evaluation.blocking:
            assert evaluation.passed, (evaluation.check_name, evaluation.metadata)
    # Only the history was extracted: some applications belong to candidates last changed
    # before it, which the (warning) reference check reports.
    assert not evaluations["applications_reference_candidates"].passed
    world = world_state(world_dir)
    tables = read_normalized(LakeResource(root_uri=str(first_run.lake)).table_uri)
    window_start = datetime.combine(backfill_days[0], datetime.min.time())
    datacopy_ids = set(
        pl.read_delta(str(first_run.lake / "raw" / "datacopy_candidates"))["record_id"]
    )
    expected = (world.changed_since(window_start) | datacopy_ids) & world.live
    assert_candidates_match_world(tables["candidates"], world, expected)
    assert_merges_point_to_survivors(tables, world)
    # Raw does hold candidates deleted, redacted and merged after they were extracted ...
    raw_ids = datacopy_ids | set(
        pl.read_delta(str(first_run.lake / "raw" / "candidates"))["record_id"]
    )
    assert raw_ids & world.removed and raw_ids & set(world.merged)
    # ... and a merged duplicate's application now belongs to its survivor.
    world_applications = pl.read_parquet(world_dir / "applications.parquet")
    repointed = {
        (world.merged[str(c)], str(j))
        for c, j in world_applications.select("candidate_id", "job_id").rows()
        if str(c) in world.merged
    }
    assert repointed & set(tables["applications"].select("candidate_id", "job_id").rows())
    gone = world.removed | set(world.merged)
    assert not gone & set(tables["attachments"]["candidate_id"].to_list())
    assert not gone & set(tables["applications"]["candidate_id"].to_list())
    # Attachment text was extracted from the real PDF/DOCX bytes (or taken from the copy).
    attachments = pl.read_parquet(world_dir / "attachments.parquet").select(
        pl.col("attachment_id").cast(pl.String), pl.col("text").alias("world_text"), "content_type"
    )
    joined = tables["attachments"].join(attachments, on="attachment_id")
    assert joined.height == tables["attachments"].height > 0
    assert {"pdf", "docx"} <= set(joined["text_kind"].to_list())
    for text, world_text in joined.select("text", "world_text").rows():
        assert " ".join(text.split()) == " ".join(normalize_whitespace(world_text).split())
    candidates = tables["candidates"]
    assert candidates["source"].value_counts().height == 2  # both API and data-copy winners
    assert candidates.filter(pl.col("resume_text").is_not_null()).height > candidates.height * 0.8


def test_materialization_reports_changes_and_a_preview(first_run: Run) -> None:
    metadata = _metadata(first_run.result)
    assert set(metadata) == set(NORMALIZED_TABLES)
    candidates = metadata["candidates"]
    assert candidates["rows_inserted"] == candidates["dagster/row_count"] > 0
    assert candidates["rows_updated"] == candidates["rows_deleted"] == 0
    assert candidates["preview"].startswith("| candidate_id | first_name |")
    assert candidates["preview"].count("\n") == 6  # header, rule, five rows
    assert candidates["raw_partitions_merged"] > 0


def test_rerunning_or_reprocessing_changes_nothing(first_run: Run) -> None:
    before = _versions(first_run.lake)
    tables = read_normalized(LakeResource(root_uri=str(first_run.lake)).table_uri)
    for config in ({}, {"reprocess_partitions": ["*"]}):
        result = materialize_normalized(first_run.lake, **config)
        assert result.success
        for table, figures in _metadata(result).items():
            assert (figures["rows_inserted"], figures["rows_updated"], figures["rows_deleted"]) == (
                0,
                0,
                0,
            ), table
        assert _versions(first_run.lake) == before  # no commit at all
    after = read_normalized(LakeResource(root_uri=str(first_run.lake)).table_uri)
    for name, frame in tables.items():
        assert after[name].equals(frame), name


def _raw_units(raw_lake: Path) -> list[str]:
    """Partition keys across raw tables: change days and data-copy file sets."""
    keys: set[str] = set()
    for table in RAW_TABLES:
        path = raw_lake / "raw" / table
        if (path / "_delta_log").exists():
            keys |= set(pl.read_delta(str(path))["_partition"].unique().to_list())
    return sorted(keys)


def _copy_partitions(raw_lake: Path, staging: Path, keys: list[str]) -> None:
    for table in RAW_TABLES:
        source = raw_lake / "raw" / table
        if not (source / "_delta_log").exists():
            continue
        rows = pl.read_delta(str(source)).filter(pl.col("_partition").is_in(keys))
        if rows.height:
            write_deltalake(
                str(staging / "raw" / table),
                rows.to_arrow(),
                mode="append",
                partition_by=["_partition"],
            )


@settings(
    max_examples=2,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_any_partition_order_converges_on_the_same_tables(
    first_run: Run, raw_lake: Path, data: st.DataObject
) -> None:
    """Raw partitions arriving in a random order and grouping, each group merged by its own run,
    end in exactly the tables of one run over everything."""
    units = data.draw(st.permutations(_raw_units(raw_lake)))
    groups = data.draw(st.integers(min_value=2, max_value=5))
    size = -(-len(units) // groups)
    with tempfile.TemporaryDirectory() as staging:
        uri = LakeResource(root_uri=staging).table_uri
        for start in range(0, len(units), size):
            _copy_partitions(raw_lake, Path(staging), units[start : start + size])
            normalize_lake(uri)
        actual = read_normalized(uri)
    expected = read_normalized(LakeResource(root_uri=str(first_run.lake)).table_uri)
    for name, frame in expected.items():
        assert actual[name].equals(frame), name


def test_a_run_killed_midway_is_finished_by_the_next(
    first_run: Run, raw_lake: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    lake = copy_raw(raw_lake, tmp_path)
    uri = LakeResource(root_uri=str(lake)).table_uri
    real_write = engine.write_changes

    def dies_at_candidates(table_uri: str, *args, **kwargs) -> None:
        if table_uri.endswith("/candidates"):
            raise KeyboardInterrupt("killed")
        real_write(table_uri, *args, **kwargs)

    monkeypatch.setattr(engine, "write_changes", dies_at_candidates)
    with pytest.raises(KeyboardInterrupt):
        normalize_lake(uri)
    assert (lake / "normalized" / "attachments").exists()
    assert not (lake / "normalized" / "candidates").exists()
    monkeypatch.setattr(engine, "write_changes", real_write)
    report = normalize_lake(uri)
    assert report.tables["candidates"].inserted > 0
    assert report.tables["attachments"].inserted == 0  # already written by the killed run
    expected = read_normalized(LakeResource(root_uri=str(first_run.lake)).table_uri)
    for name, frame in read_normalized(uri).items():
        assert frame.equals(expected[name]), name


def test_rebuild_recomputes_the_same_tables(first_run: Run, raw_lake: Path, tmp_path: Path) -> None:
    lake = copy_raw(raw_lake, tmp_path)
    uri = LakeResource(root_uri=str(lake)).table_uri
    normalize_lake(uri)
    report = normalize_lake(uri, options=NormalizeOptions(rebuild=True))
    assert all(t.inserted == t.updated == t.deleted == 0 for t in report.tables.values())


def test_definitions_include_the_normalized_stage() -> None:
    from pipelines.definitions import defs

    graph = defs.resolve_asset_graph()
    keys = {key.to_user_string() for key in graph.get_all_asset_keys()}
    assert {f"normalized/{t}" for t in NORMALIZED_TABLES} <= keys
    blocking = {key.name for key in graph.asset_check_keys if graph.get_check_spec(key).blocking}
    assert {"candidates_keys_are_unique", "candidates_reconcile_with_raw"} <= blocking
    assert defs.resolve_job_def("normalized_job") is not None


@pytest.mark.filterwarnings("ignore:Parameter `include_sources`")  # Dagster's own tester
def test_a_raw_partition_update_requests_the_normalized_assets() -> None:
    from pipelines.definitions import defs

    instance = dg.DagsterInstance.ephemeral()
    first = dg.evaluate_automation_conditions(defs=defs, instance=instance)
    idle = dg.evaluate_automation_conditions(defs=defs, instance=instance, cursor=first.cursor)
    assert idle.total_requested == 0
    # One day of raw changes, while most daily partitions were never extracted.
    instance.report_runless_asset_event(
        dg.AssetMaterialization(asset_key=["raw", "candidates"], partition="2024-03-10")
    )
    after = dg.evaluate_automation_conditions(defs=defs, instance=instance, cursor=idle.cursor)
    requested = {r.key.path[-1] for r in after.results if r.true_subset.size}
    assert set(NORMALIZED_TABLES) <= requested
    # Only what is downstream of the normalized tables rides along (linkage, enrichment, index).
    downstream = {"candidate_profile_links", "enriched_candidates", "candidates_index"}
    assert requested - set(NORMALIZED_TABLES) <= downstream
