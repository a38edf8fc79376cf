"""`make demo`: local services, a generated world, the JobDiva simulator and the Dagster UI.

`python -m sandbox.demo up|stop`. A second `up` reuses what exists (world, running processes).
Writes `<data>/demo.json` so scripts can drive the running demo.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx

from sandbox import services

DEMO_WORLD = {"profiles": 20_000, "candidates": 4_000, "days": 30, "seed": 7}
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
    log = (run_dir / f"{name}.log").open("ab")
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
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if httpx.get(url, timeout=2.0).status_code < 500:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise services.ServiceError(f"{what} did not answer on {url} within {timeout:.0f} s")


def up() -> dict[str, str]:
    data, run_dir, demo_json = _paths()
    run_dir.mkdir(parents=True, exist_ok=True)
    env_settings = services.up()
    env = {**os.environ, **env_settings.as_env()}
    summary: dict[str, str] = {
        "meili_url": env_settings.meili_url,
        "dagster_url": f"http://127.0.0.1:{DAGSTER_PORT}",
    }

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
    summary["world_dir"] = str(world_dir)

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
        ],
        env,
        run_dir,
    )
    summary["jobdiva_url"] = f"http://127.0.0.1:{JOBDIVA_PORT}"
    env.setdefault("JOBDIVA_BASE_URL", summary["jobdiva_url"])
    _wait_http(f"{summary['jobdiva_url']}/apiv2/authenticate", "the JobDiva simulator")

    dagster_bin = str(Path(sys.executable).with_name("dagster"))
    _spawn(
        "dagster",
        [dagster_bin, "dev", "-w", "workspace.yaml", "-h", "127.0.0.1", "-p", str(DAGSTER_PORT)],
        env,
        run_dir,
    )
    _wait_http(f"{summary['dagster_url']}/server_info", "the Dagster UI")

    demo_json.write_text(json.dumps(summary, indent=2))
    print("\nRediscovery demo is up:")
    for key, value in summary.items():
        print(f"  {key:12s} {value}")
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
    except (services.ServiceError, subprocess.CalledProcessError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
