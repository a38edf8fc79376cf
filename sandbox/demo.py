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
from datetime import date, timedelta
from pathlib import Path

import httpx

from pipelines import backfill
from sandbox import services
from sandbox.jobdiva import DEFAULT_CLIENT_ID, DEFAULT_PASSWORD, DEFAULT_USERNAME

DEMO_WORLD = {"profiles": 20_000, "candidates": 4_000, "days": 30, "seed": 7}
WORLD_LOOKBACK_DAYS = 5 * 366  # the generator's oldest records are 5 years before its history
DAGSTER_PORT = int(os.environ.get("DAGSTER_PORT", "3000"))
JOBDIVA_PORT = int(os.environ.get("JOBDIVA_SIM_PORT", "8765"))


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


def _pipeline_env(data: Path, world_dir: Path, meta: dict) -> dict[str, str]:
    """Settings of the Dagster processes: the simulator's credentials, the demo lake, and a
    partition start that reaches back to the world's oldest record."""
    oldest = date.fromisoformat(meta["history_start"][:10]) - timedelta(days=WORLD_LOOKBACK_DAYS)
    return {
        "JOBDIVA_BASE_URL": f"http://127.0.0.1:{JOBDIVA_PORT}",
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


def _table_counts(lake: str) -> dict[str, int]:
    import polars as pl

    counts = {}
    stages = ("raw", "normalized", "linked")
    for table in sorted(t for stage in stages for t in Path(lake, stage).glob("*")):
        if (table / "_delta_log").exists():
            counts[f"{table.parent.name}/{table.name}"] = (
                pl.scan_delta(str(table)).select(pl.len()).collect().item()
            )
    return counts


def up() -> dict[str, str]:
    data, run_dir, demo_json = _paths()
    run_dir.mkdir(parents=True, exist_ok=True)
    env_settings = services.up()
    world_dir = _world(data)
    meta = json.loads((world_dir / "meta.json").read_text())
    settings = _pipeline_env(data, world_dir, meta)
    env = {**os.environ, **env_settings.as_env(), **settings}
    Path(settings["DAGSTER_HOME"]).mkdir(parents=True, exist_ok=True)
    dagster_yaml = Path(settings["DAGSTER_HOME"]) / "dagster.yaml"
    if not dagster_yaml.exists():
        dagster_yaml.symlink_to(Path("dagster.yaml").resolve())
    summary: dict[str, str] = {
        "dagster_url": f"http://127.0.0.1:{DAGSTER_PORT}",
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
            str(JOBDIVA_PORT),
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
        [dagster_bin, "dev", "-w", "workspace.yaml", "-h", "127.0.0.1", "-p", str(DAGSTER_PORT)],
        env,
        run_dir,
    )
    _wait_http(f"{summary['dagster_url']}/server_info", "the Dagster UI")

    last_day = date.fromisoformat(meta["history_end"][:10])
    if not Path(settings["LAKE_URI"], "raw", "candidates", "_delta_log").exists():
        print("full load: backfilling jobdiva_raw over the world's history …", flush=True)
        first_day = date.fromisoformat(settings["JOBDIVA_PARTITION_START"])
        backfill_id = backfill.launch(summary["dagster_url"], first_day, last_day)
        summary["backfill_url"] = f"{summary['dagster_url']}/runs/b/{backfill_id}"
        final = backfill.wait(summary["dagster_url"], backfill_id)
        if final["status"] not in {"COMPLETED", "COMPLETED_SUCCESS"}:
            raise services.ServiceError(f"the full-load backfill ended {final['status']}")
    _copy_datacopy(world_dir, Path(settings["DATACOPY_DIR"]))
    print("waiting for the data-copy sensor to load the file set …", flush=True)
    services.wait_until(
        lambda: Path(settings["LAKE_URI"], "raw", "datacopy_candidates", "_delta_log").exists(),
        "the data-copy load",
        timeout=300,
    )

    for job_name in ("normalized_job", "linkage_job"):
        print(f"running {job_name} …", flush=True)
        run_id = backfill.launch_job(summary["dagster_url"], job_name)
        final_status = backfill.wait_run(summary["dagster_url"], run_id)
        if final_status != "SUCCESS":
            raise services.ServiceError(
                f"{job_name} ended {final_status}: {summary['dagster_url']}/runs/{run_id}"
            )

    demo_json.write_text(json.dumps(summary, indent=2))
    print("\nRediscovery demo is up:")
    for key, value in summary.items():
        print(f"  {key:12s} {value}")
    print("\nTables:")
    for table, rows in _table_counts(settings["LAKE_URI"]).items():
        print(f"  {table:28s} {rows:>8d} rows")
    print(
        "\nSearch examples arrive with the search API (not built yet). Meanwhile, e.g. the links:\n"
        "  .venv/bin/python -c \"import polars as pl; print(pl.read_delta('"
        + settings["LAKE_URI"]
        + "/linked/candidate_profile_links').select('candidate_id', 'profile_id', "
        "'match_method', 'match_probability').head())\""
    )
    print(f"\n(written to {demo_json}; stop with `make demo-stop`)")
    return summary


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
