"""The lake on object storage (ARCHITECTURE: the lake moves by changing `LAKE_URI`).

One small world goes through every stage twice — a full load, then an incremental day — once
with the lake (and the profile corpus) on a local path and once on an S3 endpoint (moto's
server, started here). Every Delta table, every small JSON file the stages keep beside their
tables, and the two Meilisearch indexes must come out the same.
"""

from __future__ import annotations

import contextlib
import json
import shutil
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import boto3
import dagster as dg
import httpx
import meilisearch
import polars as pl
import pyarrow.fs as pafs
import pytest
from dagster._core.storage.tags import (
    ASSET_PARTITION_RANGE_END_TAG,
    ASSET_PARTITION_RANGE_START_TAG,
)
from deltalake import DeltaTable, write_deltalake
from polars.testing import assert_frame_equal

from assets.datacopy_raw import datacopy_file_sets, datacopy_raw
from assets.enrichment import ENRICHMENT_ASSETS, ENRICHMENT_CHECKS
from assets.jobdiva_raw import jobdiva_raw
from assets.linkage import LINKAGE_ASSETS, LINKAGE_CHECKS
from assets.normalized import normalized
from assets.normalized_checks import NORMALIZED_CHECKS
from assets.search_index import SEARCH_ASSETS, SEARCH_CHECKS
from linkage.incremental import open_filesystem, read_text, write_text
from resources import (
    DataCopyResource,
    JobDivaResource,
    LakeResource,
    MeilisearchResource,
    ProfileCorpusResource,
)
from sandbox.jobdiva import run_in_thread
from sandbox.services import ServiceEnv
from sandbox.world import generate_world
from tests.sim_world import config_for

BUCKET = "rediscovery-lake"
# The derivations' day, fixed so that both runs compute years of experience for the same day
# (otherwise `enriched_as_of` is today, which could differ between the two runs at midnight).
AS_OF = "2026-11-21"
DOWNSTREAM = [
    normalized,
    *NORMALIZED_CHECKS,
    *LINKAGE_ASSETS,
    *LINKAGE_CHECKS,
    *ENRICHMENT_ASSETS,
    *ENRICHMENT_CHECKS,
    *SEARCH_ASSETS,
    *SEARCH_CHECKS,
]
# Columns that hold the moment or the identity of a write, not data: they differ between any
# two runs of the pipeline, wherever the lake is.
RUN_COLUMNS: dict[str, tuple[str, ...]] = {
    # When the extraction run wrote the rows (wall clock).
    "raw/*": ("_extracted_at",),
    # A digest of the names of the raw partition's data files, which Delta names with a random
    # UUID per write, so no two lakes share them (it only tells "this partition changed").
    "normalized/_ingested": ("fingerprint",),
    # The user list is a snapshot without dates of its own: a recruiter is "seen" when the
    # extraction run read it (the raw rows' `_extracted_at`), and that moment is also the
    # version of each of the row's fields.
    "normalized/recruiters": ("seen_at", "field_versions"),
    # When the linkage run decided the link (wall clock).
    "linked/candidate_profile_links": ("linked_at",),
    # `linked_at` copied from the link; `row_hash` is the digest of the row, `linked_at`
    # included (the rest of the row is compared column by column).
    "enriched/enriched_candidates": ("linked_at", "row_hash"),
}


# Materialization metadata that says what a run did (and must not depend on where the lake is).
REPORTED: dict[str, tuple[str, ...]] = {
    "normalized": (
        "rows_inserted", "rows_updated", "rows_deleted", "dagster/row_count",
        "raw_partitions_merged", "raw_rows_read",
    ),
    "linked": (
        "relinked_all_because", "candidates_considered", "candidates_changed",
        "candidates_removed", "links_inserted", "links_updated", "links_deleted",
        "dagster/row_count", "model_version", "model_trained",
    ),
    "enriched": (
        "built_all_because", "changed_by_input", "candidates_built", "rows_inserted",
        "rows_updated", "rows_deleted", "dagster/row_count", "table_version",
    ),
    "search": (
        "mode", "rebuilt_because", "changed_rows", "documents_added", "documents_deleted",
        "index_documents", "enriched_table_version",
    ),
}  # fmt: skip


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def s3_options() -> Iterator[dict[str, str]]:
    """An S3 endpoint (moto's server) with an empty bucket; the lake's storage options.

    The server runs in its own process: `DeltaTable.is_deltatable` (deltalake 1.6) keeps the GIL
    while it waits for the endpoint, so a server thread in this process (moto's
    `ThreadedMotoServer`) could never answer it and the call would hang until its timeout.
    """
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    endpoint = f"http://127.0.0.1:{port}"
    options = {
        "AWS_ENDPOINT_URL": endpoint,
        "AWS_ACCESS_KEY_ID": "rediscovery-test",
        "AWS_SECRET_ACCESS_KEY": "rediscovery-test-secret",
        "AWS_REGION": "us-east-1",
        "AWS_ALLOW_HTTP": "true",
        # No AWS_S3_ALLOW_UNSAFE_RENAME and no locking provider: deltalake ≥ 0.23 commits to
        # S3 with conditional puts (If-None-Match), which moto's server implements.
    }
    try:
        deadline = time.monotonic() + 60
        while True:
            assert server.poll() is None, "moto's server exited"
            with contextlib.suppress(httpx.HTTPError):
                httpx.get(endpoint, timeout=2)
                break
            assert time.monotonic() < deadline, "moto's server did not start"
            time.sleep(0.2)
        boto3.client(
            "s3",
            endpoint_url=endpoint,
            aws_access_key_id=options["AWS_ACCESS_KEY_ID"],
            aws_secret_access_key=options["AWS_SECRET_ACCESS_KEY"],
            region_name=options["AWS_REGION"],
        ).create_bucket(Bucket=BUCKET)
        yield options
    finally:
        server.terminate()
        server.wait(timeout=20)


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("s3_world") / "world"
    # 40 days in all (30 of them before the history): every record is within the partitions.
    generate_world(out, profiles=1500, candidates=400, days=10, seed=4, lookback_days=30)
    return out


def test_side_files_accept_every_spelling_of_the_delta_options(s3_options: dict[str, str]) -> None:
    """The stages' small JSON files use the lake's storage options as deltalake does, in any
    of the spellings deltalake accepts, and `s3a://` URIs."""
    options = {
        "endpoint_url": s3_options["AWS_ENDPOINT_URL"],
        "access_key_id": s3_options["AWS_ACCESS_KEY_ID"],
        "secret_access_key": s3_options["AWS_SECRET_ACCESS_KEY"],
        "default_region": s3_options["AWS_REGION"],
        "allow_http": "true",
    }
    root = f"s3a://{BUCKET}/spellings-{uuid.uuid4().hex[:8]}"
    write_deltalake(f"{root}/table", pl.DataFrame({"n": [1]}).to_arrow(), storage_options=options)
    write_text(f"{root}/state.json", '{"version": 0}\n', options)
    assert read_text(f"{root}/state.json", options) == '{"version": 0}\n'
    assert read_text(f"{root}/missing.json", options) is None
    filesystem, path = open_filesystem(root, options)
    listed = filesystem.get_file_info(pafs.FileSelector(path, recursive=True))
    assert {info.path.removeprefix(path) for info in listed} >= {
        "/state.json",
        "/table/_delta_log/00000000000000000000.json",
    }


def test_the_demo_reads_a_lake_on_s3(
    s3_options: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """`make demo` with `LAKE_URI=s3://…` sees the tables there (it once looked for local
    folders, so it would backfill again on every run and never see the data copy)."""
    from sandbox import demo

    root = f"s3://{BUCKET}/demo-{uuid.uuid4().hex[:8]}"
    monkeypatch.setenv("LAKE_STORAGE_OPTIONS", json.dumps(s3_options))
    settings = {"LAKE_URI": root}
    assert not demo._lake(settings).exists("raw", "candidates")
    assert demo._table_counts(settings) == {}
    for table, rows in (("raw/candidates", 3), ("linked/candidate_profile_links", 2)):
        frame = pl.DataFrame({"n": list(range(rows))}).to_arrow()
        write_deltalake(f"{root}/{table}", frame, storage_options=s3_options)
    write_text(f"{root}/linked/_state.json", "{}\n", s3_options)
    assert demo._lake(settings).exists("raw", "candidates")
    assert demo._table_counts(settings) == {
        "linked/candidate_profile_links": 2,
        "raw/candidates": 3,
    }


def test_concurrent_commits_do_not_overwrite_each_other(s3_options: dict[str, str]) -> None:
    """Two writers that loaded the same table version both commit: the second one's log entry
    is not written over the first one's (conditional put), it retries as the next version."""
    uri = f"s3://{BUCKET}/concurrency-{uuid.uuid4().hex[:8]}"
    write_deltalake(uri, pl.DataFrame({"n": [0]}).to_arrow(), storage_options=s3_options)
    first = DeltaTable(uri, storage_options=s3_options)
    second = DeltaTable(uri, storage_options=s3_options)
    for table, value in ((first, 1), (second, 2)):
        write_deltalake(table, pl.DataFrame({"n": [value]}).to_arrow(), mode="append")
    final = DeltaTable(uri, storage_options=s3_options)
    assert final.version() == 2
    assert sorted(pl.read_delta(uri, storage_options=s3_options)["n"].to_list()) == [0, 1, 2]


# --------------------------------------------------------------------------- the pipeline


@dataclass(frozen=True)
class Lake:
    """Where one run keeps its lake and reads its corpus, and its index."""

    root_uri: str
    storage_options: dict[str, str]
    corpus_uri: str
    index_uid: str

    def resource(self) -> LakeResource:
        return LakeResource(
            root_uri=self.root_uri, storage_options_json=json.dumps(self.storage_options)
        )

    def resources(self, meili: ServiceEnv) -> dict[str, Any]:
        return {
            "lake": self.resource(),
            "corpus": ProfileCorpusResource(
                uri=self.corpus_uri, storage_options_json=json.dumps(self.storage_options)
            ),
            "meilisearch": MeilisearchResource(
                url=meili.meili_url,
                api_key=meili.meili_master_key,
                index_uid=self.index_uid,
                task_timeout_s=300,
            ),
        }


def _succeeded(result: dg.ExecuteInProcessResult) -> None:
    for evaluation in result.get_asset_check_evaluations():
        # Warnings are allowed (a short history); every blocking check must pass.
        blocking = evaluation.severity == dg.AssetCheckSeverity.ERROR
        assert evaluation.passed or not blocking, (evaluation.check_name, evaluation.metadata)
    assert result.success


def _extract(world: Path, lake: Lake, now: datetime, first: str, last: str) -> None:
    with run_in_thread(config_for(world, now=now)) as simulator:
        jobdiva = JobDivaResource(
            base_url=simulator.base_url,
            client_id="1000",
            username="api@sandbox.jobdiva.test",
            password="sandbox-password",
            requests_per_minute=0,
            backoff_initial_s=0.01,
            backoff_max_s=0.05,
        )
        result = dg.materialize(
            [jobdiva_raw],
            resources={"jobdiva": jobdiva, "lake": lake.resource()},
            tags={ASSET_PARTITION_RANGE_START_TAG: first, ASSET_PARTITION_RANGE_END_TAG: last},
        )
    _succeeded(result)


def _load_datacopy(world: Path, lake: Lake) -> None:
    instance = dg.DagsterInstance.ephemeral()
    file_sets = sorted(p.name for p in (world / "datacopy").iterdir() if p.is_dir())
    instance.add_dynamic_partitions(datacopy_file_sets.name, file_sets)
    for file_set in file_sets:
        datacopy = DataCopyResource(directory=str(world / "datacopy"), settle_seconds=0)
        result = dg.materialize(
            [datacopy_raw],
            partition_key=file_set,
            instance=instance,
            resources={"datacopy": datacopy, "lake": lake.resource()},
        )
        _succeeded(result)


def _downstream(lake: Lake, meili: ServiceEnv) -> dict[str, dict[str, Any]]:
    """normalized → linkage → enrichment → index; what each asset reported, by table."""
    config = {"ops": {"enriched__enriched_candidates": {"config": {"as_of": AS_OF}}}}
    result = dg.materialize(
        DOWNSTREAM, resources=lake.resources(meili), run_config=config, raise_on_error=False
    )
    _succeeded(result)
    reported = {}
    for event in result.get_asset_materialization_events():
        materialization = event.event_specific_data.materialization
        table = "/".join(materialization.asset_key.path)
        reported[table] = {
            name: value.value
            for name, value in materialization.metadata.items()
            if name in REPORTED.get(table.split("/")[0], ())
        }
    return reported


def run_pipeline(world: Path, lake: Lake, meili: ServiceEnv) -> list[dict[str, dict[str, Any]]]:
    """A full load with the clock a day before the world's end, then that last day; what the
    downstream assets reported in each."""
    meta = json.loads((world / "meta.json").read_text())
    earliest = datetime.fromisoformat(meta["earliest"])
    end = datetime.fromisoformat(meta["history_end"])
    yesterday = end - timedelta(days=1)
    _extract(world, lake, yesterday, earliest.date().isoformat(), yesterday.date().isoformat())
    _load_datacopy(world, lake)
    full = _downstream(lake, meili)
    _extract(world, lake, end, yesterday.date().isoformat(), end.date().isoformat())
    return [full, _downstream(lake, meili)]


# --------------------------------------------------------------------------- comparing lakes


def lake_files(lake: Lake) -> dict[str, int]:
    """Every file under the lake root: path relative to the root → size."""
    filesystem, root = open_filesystem(lake.root_uri, lake.storage_options)
    selector = pafs.FileSelector(root, recursive=True)
    return {
        info.path.removeprefix(root).lstrip("/"): info.size
        for info in filesystem.get_file_info(selector)
        if info.type == pafs.FileType.File
    }


def delta_tables(files: dict[str, int]) -> set[str]:
    return {path.split("/_delta_log/")[0] for path in files if "/_delta_log/" in path}


def side_files(files: dict[str, int], index_uid: str) -> set[str]:
    """The stages' own small files (state, models, vocabulary), index uid made neutral."""
    return {
        path.replace(index_uid, "<index>")
        for path in files
        if path.endswith(".json") and "/_delta_log/" not in path
    }


def _run_columns(table: str) -> tuple[str, ...]:
    return RUN_COLUMNS.get(table, RUN_COLUMNS["raw/*"] if table.startswith("raw/") else ())


def read_sorted(lake: Lake, table: str) -> pl.DataFrame:
    """The table without its run columns, rows in a canonical order (by a hash of the row)."""
    frame = pl.read_delta(f"{lake.root_uri}/{table}", storage_options=lake.storage_options).drop(
        _run_columns(table), strict=False
    )
    return frame.with_columns(_row=frame.hash_rows(seed=7)).sort("_row").drop("_row")


def index_documents(client: meilisearch.Client, index_uid: str) -> list[dict[str, Any]]:
    index = client.index(index_uid)
    total = index.get_stats().number_of_documents
    found = index.get_documents({"limit": max(total, 1)}).results
    return sorted((dict(document) for document in found), key=lambda doc: doc["candidate_id"])


@pytest.mark.heavy
@pytest.mark.services
def test_the_lake_on_s3_gives_the_same_results_as_on_a_local_path(
    world: Path,
    s3_options: dict[str, str],
    service_env: ServiceEnv,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)  # a "s3:" directory here would betray a local-path assumption
    run = uuid.uuid4().hex[:8]
    # On S3 the corpus is a directory of Parquet files (a prefix: nothing a reader can expand).
    corpus_dir = f"corpus-{run}"
    filesystem, _ = open_filesystem(f"s3://{BUCKET}", s3_options)
    with filesystem.open_output_stream(f"{BUCKET}/{corpus_dir}/part-0.parquet") as stream:
        stream.write((world / "profiles.parquet").read_bytes())
    local = Lake(
        root_uri=str(tmp_path / "lake"),
        storage_options={},
        corpus_uri=str(world / "profiles.parquet"),
        index_uid=f"test_s3_local_{run}",
    )
    remote = Lake(
        root_uri=f"s3://{BUCKET}/lake-{run}",
        storage_options=s3_options,
        corpus_uri=f"s3://{BUCKET}/{corpus_dir}",
        index_uid=f"test_s3_remote_{run}",
    )
    client = meilisearch.Client(service_env.meili_url, service_env.meili_master_key, timeout=60)
    try:
        local_reports = run_pipeline(world, local, service_env)
        remote_reports = run_pipeline(world, remote, service_env)
        # The same work in each run: on S3 too, the second run read the stages' state and
        # change feeds and processed only the last day.
        assert remote_reports == local_reports
        day = remote_reports[1]
        assert day["linked/candidate_profile_links"]["relinked_all_because"] == "-"
        assert day["enriched/enriched_candidates"]["built_all_because"] == "-"
        assert day["search/candidates_index"]["mode"] == "incremental"
        assert 0 < day["enriched/enriched_candidates"]["candidates_built"] < 100
        assert not (tmp_path / "s3:").exists()
        assert not any(path.name.startswith("s3:") for path in tmp_path.rglob("s3:*"))

        local_files, remote_files = lake_files(local), lake_files(remote)
        tables = delta_tables(local_files)
        assert delta_tables(remote_files) == tables
        assert {
            "raw/candidates", "raw/datacopy_candidates", "normalized/candidates",
            "normalized/_ingested", "linked/candidate_profile_links",
            "linked/_prepared_candidates", "linked/_prepared_profiles",
            "enriched/enriched_candidates",
        } <= tables  # fmt: skip
        assert side_files(remote_files, remote.index_uid) == side_files(
            local_files, local.index_uid
        )
        for table in sorted(tables):
            expected, found = read_sorted(local, table), read_sorted(remote, table)
            assert expected.height > 0 or table.startswith(("raw/", "normalized/")), table
            try:
                assert_frame_equal(found, expected)
            except AssertionError as difference:
                raise AssertionError(f"{table}: {difference}") from None
            versions = [
                DeltaTable(f"{lake.root_uri}/{table}", storage_options=lake.storage_options)
                for lake in (local, remote)
            ]
            # The same commits: no stage wrote more (or less) on object storage.
            assert versions[0].version() == versions[1].version(), table

        # The trained model and the resume vocabulary drawn from the corpus.
        models = sorted(path for path in local_files if path.startswith("linked/models/"))
        assert len(models) == 2  # the model and current.json
        for path in models:
            documents = [
                json.loads(read_text(f"{lake.root_uri}/{path}", lake.storage_options) or "{}")
                for lake in (local, remote)
            ]
            if path.endswith("current.json"):
                assert documents[0]["model_version"] == documents[1]["model_version"]
                continue
            for document in documents:  # when and how long the training took
                del document["trained_at"], document["training"]["seconds"]
            assert documents[0] == documents[1], path
        vocabularies = [
            json.loads(
                read_text(
                    f"{lake.root_uri}/enriched/enriched_candidates_vocabulary.json",
                    lake.storage_options,
                )
                or "{}"
            )
            for lake in (local, remote)
        ]
        # corpus_version digests the corpus files' names, sizes and mtimes: it differs by place.
        assert {k: v for k, v in vocabularies[0].items() if k != "corpus_version"} == {
            k: v for k, v in vocabularies[1].items() if k != "corpus_version"
        }
        assert vocabularies[0]["skills"]

        local_documents = index_documents(client, local.index_uid)
        assert local_documents
        assert index_documents(client, remote.index_uid) == local_documents
    finally:
        for uid in (local.index_uid, remote.index_uid):
            client.delete_index(uid)
        shutil.rmtree(tmp_path / "lake", ignore_errors=True)
