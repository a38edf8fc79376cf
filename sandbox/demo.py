"""`make demo`: local services, a generated world, the JobDiva simulator and the Dagster UI.

`python -m sandbox.demo up|stop`. A second `up` reuses what exists (world, running processes).
Writes `<data>/demo.json` so scripts can drive the running demo.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx

from pipelines import backfill
from sandbox import services
from sandbox.jobdiva import DEFAULT_CLIENT_ID, DEFAULT_PASSWORD, DEFAULT_USERNAME

# One year of older records before a 30-day history: the full load is a backfill of ~400 daily
# partitions, which keeps the whole demo within 10 minutes on 2 cores.
DEMO_WORLD = {
    "profiles": 20_000, "candidates": 4_000, "days": 30, "seed": 7, "lookback-days": 365,
}  # fmt: skip
# Preferred ports; a port another program holds is replaced by a free one (kept in ports.json
# so that a second `make demo` finds the processes it started).
PREFERRED_PORTS = {
    "dagster": int(os.environ.get("DAGSTER_PORT", "3000")),
    "jobdiva-simulator": int(os.environ.get("JOBDIVA_SIM_PORT", "8765")),
    "search-api": int(os.environ.get("SEARCH_API_PORT", "8000")),
}
EXAMPLE_QUERIES = (
    {"q": '"data engineer" OR "data scientist"', "filters": {"is_matched": True}},
    {"q": "skill:python AND -intern", "filters": {"years_of_experience": {"min": 5}}},
    {"q": "title:(developer OR engineer) AND location:texas", "sort": ["updated_at_ts:desc"]},
)


def _paths() -> tuple[Path, Path, Path]:
    data = services.data_dir()
    return data, data / "demo", data / "demo.json"


def _alive(pid_file: Path) -> bool:
    if not pid_file.exists():
        return False
    try:
        os.kill(int(pid_file.read_text()), 0)
    except (OSError, ValueError):
        return False
    return True


def _spawn(name: str, argv: list[str], env: dict[str, str], run_dir: Path) -> None:
    """Start a long-running process in its own session; its pid file lets `stop` find it."""
    pid_file = run_dir / f"{name}.pid"
    if _alive(pid_file):
        return
    with (run_dir / f"{name}.log").open("ab") as log:
        proc = subprocess.Popen(
            argv,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env=env,
            start_new_session=True,
        )
    pid_file.write_text(str(proc.pid))


def _ports(run_dir: Path) -> dict[str, int]:
    """The port of each demo process: the one it runs on, else the preferred one if free,
    else a free one."""
    stored_file = run_dir / "ports.json"
    stored = json.loads(stored_file.read_text()) if stored_file.exists() else {}
    ports: dict[str, int] = {}
    for name, preferred in PREFERRED_PORTS.items():
        if _alive(run_dir / f"{name}.pid") and name in stored:
            ports[name] = stored[name]
        elif services.port_is_free(preferred):
            ports[name] = preferred
        else:
            ports[name] = services.free_port()
            print(f"port {preferred} is taken: {name} uses {ports[name]}", flush=True)
    stored_file.write_text(json.dumps(ports))
    return ports


def _wait_http(url: str, what: str, timeout: float = 180.0) -> None:
    def answers() -> bool:
        try:
            return httpx.get(url, timeout=2.0).status_code < 500
        except httpx.HTTPError:
            return False

    services.wait_until(answers, f"{what} on {url}", timeout=timeout)


def _world(data: Path) -> Path:
    world_dir = data / "world-demo"
    if not (world_dir / "meta.json").exists():
        print(f"generating the demo world in {world_dir} …", flush=True)
        subprocess.run(
            [
                sys.executable,
                "-m",
                "sandbox.world",
                "--out",
                str(world_dir),
                *(f"--{k}={v}" for k, v in DEMO_WORLD.items()),
            ],
            check=True,
        )
    return world_dir


def _pipeline_env(data: Path, world_dir: Path, meta: dict, jobdiva_port: int) -> dict[str, str]:
    """Settings of the Dagster processes: the simulator's credentials, the demo lake, and a
    partition start that reaches back to the world's oldest record."""
    # The partitions reach back to the world's oldest record (meta.json `earliest`).
    oldest = date.fromisoformat(meta["earliest"][:10]) - timedelta(days=1)
    return {
        "JOBDIVA_BASE_URL": f"http://127.0.0.1:{jobdiva_port}",
        "JOBDIVA_CLIENT_ID": str(DEFAULT_CLIENT_ID),
        "JOBDIVA_USERNAME": DEFAULT_USERNAME,
        "JOBDIVA_PASSWORD": DEFAULT_PASSWORD,
        "JOBDIVA_REQUESTS_PER_MINUTE": "0",  # a local simulator needs no client-side pacing
        "JOBDIVA_PARTITION_START": oldest.isoformat(),
        "LAKE_URI": os.environ.get("LAKE_URI", str(data / "lake")),
        "DATACOPY_DIR": str(data / "datacopy"),
        "DATACOPY_SETTLE_SECONDS": "5",
        "PROFILE_CORPUS_URI": str(world_dir / "profiles.parquet"),
        "DAGSTER_HOME": os.environ.get("DAGSTER_HOME", str(data / "dagster_home")),
    }


def _copy_datacopy(world_dir: Path, target: Path) -> None:
    """Drop the world's data-copy file sets where the admin would: the sensor picks them up."""
    for file_set in sorted((world_dir / "datacopy").iterdir()):
        if file_set.is_dir() and not (target / file_set.name).exists():
            shutil.copytree(file_set, target / file_set.name)


def _lake(settings: dict[str, str]) -> Any:
    """The demo's lake as the pipeline sees it (a path or an object-storage URI)."""
    from pipelines.settings import setting
    from resources.lake import LakeResource

    return LakeResource(
        root_uri=settings["LAKE_URI"], storage_options_json=setting("LAKE_STORAGE_OPTIONS")
    )


def _table_counts(settings: dict[str, str]) -> dict[str, int]:
    """Rows per Delta table of the lake, found by listing its stage folders (any storage)."""
    import polars as pl
    import pyarrow.fs as pafs

    from linkage.incremental import open_filesystem

    lake = _lake(settings)
    filesystem, root = open_filesystem(lake.root_uri, lake.storage_options)
    counts = {}
    for stage in ("raw", "normalized", "linked", "enriched"):
        selector = pafs.FileSelector(f"{root}/{stage}", allow_not_found=True)
        found = filesystem.get_file_info(selector)
        folders = [info for info in found if info.type == pafs.FileType.Directory]
        for folder in sorted(folders, key=lambda info: info.base_name):
            if lake.exists(stage, folder.base_name):
                uri = lake.table_uri(stage, folder.base_name)
                frame = pl.scan_delta(uri, storage_options=lake.storage_options or None)
                counts[f"{stage}/{folder.base_name}"] = frame.select(pl.len()).collect().item()
    return counts


@contextmanager
def _step(timings: dict[str, float], name: str) -> Iterator[None]:
    """Time one step of the demo (printed at the end and kept in demo.json)."""
    started = time.perf_counter()
    yield
    timings[name] = round(time.perf_counter() - started, 1)


def up() -> dict[str, Any]:
    started = time.perf_counter()
    timings: dict[str, float] = {}
    data, run_dir, demo_json = _paths()
    run_dir.mkdir(parents=True, exist_ok=True)
    with _step(timings, "services"):
        env_settings = services.up()
    with _step(timings, "world"):
        world_dir = _world(data)
    meta = json.loads((world_dir / "meta.json").read_text())
    ports = _ports(run_dir)
    settings = _pipeline_env(data, world_dir, meta, ports["jobdiva-simulator"])
    env = {**os.environ, **env_settings.as_env(), **settings}
    Path(settings["DAGSTER_HOME"]).mkdir(parents=True, exist_ok=True)
    dagster_yaml = Path(settings["DAGSTER_HOME"]) / "dagster.yaml"
    if not dagster_yaml.exists():
        dagster_yaml.symlink_to(Path("dagster.yaml").resolve())
    summary: dict[str, Any] = {
        "dagster_url": f"http://127.0.0.1:{ports['dagster']}",
        "meili_url": env_settings.meili_url,
        "jobdiva_url": settings["JOBDIVA_BASE_URL"],
        "world_dir": str(world_dir),
        "lake_uri": settings["LAKE_URI"],
    }

    _spawn(
        "jobdiva-simulator",
        [
            sys.executable,
            "-m",
            "sandbox.jobdiva",
            "--world",
            str(world_dir),
            "--port",
            str(ports["jobdiva-simulator"]),
            "--client-id",
            settings["JOBDIVA_CLIENT_ID"],
            "--username",
            settings["JOBDIVA_USERNAME"],
            "--password",
            settings["JOBDIVA_PASSWORD"],
        ],
        env,
        run_dir,
    )
    _wait_http(f"{summary['jobdiva_url']}/apiv2/authenticate", "the JobDiva simulator")

    dagster_bin = str(Path(sys.executable).with_name("dagster"))
    _spawn(
        "dagster",
        [
            dagster_bin,
            "dev",
            "-w",
            "workspace.yaml",
            "-h",
            "127.0.0.1",
            "-p",
            str(ports["dagster"]),
        ],
        env,
        run_dir,
    )
    _wait_http(f"{summary['dagster_url']}/server_info", "the Dagster UI")

    last_day = date.fromisoformat(meta["history_end"][:10])
    lake = _lake(settings)
    if not lake.exists("raw", "candidates"):
        print("full load: backfilling jobdiva_raw over the world's history …", flush=True)
        first_day = date.fromisoformat(settings["JOBDIVA_PARTITION_START"])
        with _step(timings, "full-load backfill"):
            backfill_id = backfill.launch(summary["dagster_url"], first_day, last_day)
            summary["backfill_url"] = f"{summary['dagster_url']}/runs/b/{backfill_id}"
            final = backfill.wait(summary["dagster_url"], backfill_id)
        if final["status"] not in {"COMPLETED", "COMPLETED_SUCCESS"}:
            raise services.ServiceError(f"the full-load backfill ended {final['status']}")
    _copy_datacopy(world_dir, Path(settings["DATACOPY_DIR"]))
    print("waiting for the data-copy sensor to load the file set …", flush=True)
    with _step(timings, "data copy (sensor)"):
        services.wait_until(
            lambda: lake.exists("raw", "datacopy_candidates"),
            "the data-copy load",
            timeout=300,
        )

    print("running refresh_job (normalize, link, enrich, publish to Meilisearch) …", flush=True)
    with _step(timings, "refresh_job"):
        run_id = backfill.launch_job(summary["dagster_url"], "refresh_job")
        final_status = backfill.wait_run(summary["dagster_url"], run_id)
    if final_status != "SUCCESS":
        raise services.ServiceError(
            f"refresh_job ended {final_status}: {summary['dagster_url']}/runs/{run_id}"
        )

    with _step(timings, "search API"):
        summary |= _start_search_api(data, env, run_dir, demo_json, ports["search-api"])
    timings["total"] = round(time.perf_counter() - started, 1)
    summary["seconds"] = timings
    demo_json.write_text(json.dumps(summary, indent=2))
    os.chmod(demo_json, 0o600)  # it holds the demo's API key
    print("\nRediscovery demo is ready:")
    for key, value in summary.items():
        if key != "seconds":
            print(f"  {key:12s} {value}")
    print("  seconds      " + ", ".join(f"{name} {sec:.0f}" for name, sec in timings.items()))
    print("\nTables:")
    for table, rows in _table_counts(settings).items():
        print(f"  {table:36s} {rows:>8d} rows")
    _print_examples(summary["api_url"], summary["api_key"])
    print(f"\n(written to {demo_json}; stop with `make demo-stop`)")
    return summary


def _start_search_api(
    data: Path, env: dict[str, str], run_dir: Path, demo_json: Path, api_port: int
) -> dict[str, str]:
    """The search API with the index's search-only key and a demo API key (kept across runs)."""
    import meilisearch

    from resources.meilisearch import SEARCH_KEY_NAME
    from search_api.keys import add_key
    from search_index.publisher import MeiliPublisher
    from search_index.schema import INDEX_UID

    client = meilisearch.Client(env["MEILI_URL"], env["MEILI_MASTER_KEY"])
    search_key = MeiliPublisher(client).search_key(INDEX_UID, SEARCH_KEY_NAME)
    keys_file = data / "api_keys.json"
    previous = json.loads(demo_json.read_text()) if demo_json.exists() else {}
    api_key = previous.get("api_key") if keys_file.exists() else None
    if not api_key:
        api_key = add_key(keys_file, "demo")
    api_env = {
        **env,
        "MEILI_SEARCH_KEY": search_key,
        "MEILI_INDEX": INDEX_UID,
        "SEARCH_API_KEYS_FILE": str(keys_file),
        "SEARCH_API_PORT": str(api_port),
    }
    api_env.pop("MEILI_MASTER_KEY", None)  # the API never holds the master key
    _spawn("search-api", [sys.executable, "-m", "search_api"], api_env, run_dir)
    api_url = f"http://127.0.0.1:{api_port}"
    _wait_http(f"{api_url}/healthz", "the search API")
    return {"api_url": api_url, "api_docs": f"{api_url}/docs", "api_key": api_key}


def _print_examples(api_url: str, api_key: str) -> None:
    print("\nExample searches (POST /search):")
    headers = {"Authorization": f"Bearer {api_key}"}
    for body in EXAMPLE_QUERIES:
        response = httpx.post(f"{api_url}/search", json={**body, "per_page": 3}, headers=headers)
        response.raise_for_status()
        result = response.json()
        print(f"\n  {json.dumps(body)}  → {result['total']} candidates")
        for hit in result["hits"]:
            title = " at ".join(
                v for v in (hit.get("current_title"), hit.get("current_company")) if v
            )
            name, where = hit.get("name") or "?", hit.get("location") or ""
            print(f"    {hit['candidate_id']}  {name}  {title}  {where}")
    print(
        f"\n  try: curl -s -X POST {api_url}/search -H 'Authorization: Bearer {api_key}' "
        "-H 'Content-Type: application/json' -d '{\"q\": \"java NOT javascript\"}'"
    )


def stop() -> None:
    _, run_dir, _ = _paths()
    for pid_file in sorted(run_dir.glob("*.pid")) if run_dir.exists() else []:
        if _alive(pid_file):
            pid = int(pid_file.read_text())
            os.killpg(pid, signal.SIGTERM)  # the whole session: dagster dev has children
            for _ in range(100):
                if not _alive(pid_file):
                    break
                time.sleep(0.1)
            else:
                os.killpg(pid, signal.SIGKILL)
            print(f"stopped {pid_file.stem}")
        pid_file.unlink(missing_ok=True)
    print("stopped: " + (", ".join(services.down()) or "no services were running"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m sandbox.demo", description=__doc__)
    parser.add_argument("command", choices=["up", "stop"])
    args = parser.parse_args(argv)
    try:
        up() if args.command == "up" else stop()
    except (services.ServiceError, backfill.BackfillError, subprocess.CalledProcessError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
