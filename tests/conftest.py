"""Shared fixtures: the real local services (Postgres, Meilisearch) for the test session."""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from sandbox import services

REPO_ROOT = Path(__file__).resolve().parents[1]
TEST_DATA_DIR = REPO_ROOT / ".data" / "test"

# The reference worlds of the tests start in 2024; partitions are defined at import time.
os.environ.setdefault("JOBDIVA_PARTITION_START", "2024-01-01")


@pytest.fixture(scope="session")
def service_env() -> Iterator[services.ServiceEnv]:
    """Postgres + Meilisearch for the tests, separate from the demo's (own data dir and ports).

    Stops at the end only what this session started, so a developer's running services survive.
    """
    with services.running(TEST_DATA_DIR) as env:
        yield env


@pytest.fixture
def pg_database(service_env: services.ServiceEnv) -> Iterator[str]:
    """A fresh, empty Postgres database for one test; dropped afterwards."""
    import psycopg2
    from sqlalchemy.engine import make_url

    url = make_url(service_env.dagster_pg_url)
    name = f"test_{uuid.uuid4().hex[:12]}"
    conn_args = {
        "host": url.host, "port": url.port, "user": url.username, "password": url.password,
    }  # fmt: skip
    admin = psycopg2.connect(dbname="postgres", **conn_args)
    admin.autocommit = True
    with admin.cursor() as cur:
        cur.execute(f'create database "{name}"')
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.cursor() as cur:
            cur.execute(f'drop database if exists "{name}" with (force)')
        admin.close()


@pytest.fixture
def dagster_home(tmp_path: Path, pg_database: str, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A DAGSTER_HOME holding the repo's dagster.yaml, its storage in a fresh Postgres database."""
    home = tmp_path / "dagster_home"
    home.mkdir()
    shutil.copy(REPO_ROOT / "dagster.yaml", home / "dagster.yaml")
    monkeypatch.setenv("DAGSTER_HOME", str(home))
    monkeypatch.setenv("DAGSTER_PG_URL", pg_database)
    monkeypatch.setenv("DAGSTER_COMPUTE_LOG_DIR", str(tmp_path / "compute_logs"))
    monkeypatch.setenv("DAGSTER_ARTIFACT_DIR", str(tmp_path / "artifacts"))
    return home


@pytest.fixture
def meili_index_uid() -> str:
    return f"test_{uuid.uuid4().hex[:12]}"


def pytest_configure(config: pytest.Config) -> None:
    os.environ.setdefault("DAGSTER_DISABLE_TELEMETRY", "1")
