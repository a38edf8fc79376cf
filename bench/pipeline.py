"""Pipeline benchmark: a full load and an incremental day, end to end, stage by stage.

    python -m bench.pipeline --candidates 20000 --profiles 100000 [--days 30] [--lookback-days 365]

1. The world (``sandbox.world``: ``--days`` of history, nothing older than ``--lookback-days``
   before it) is generated once and cached in ``.data/bench/worlds/<N>x<M>-<seed>``.
2. The JobDiva simulator serves it from its own process (so that its memory and its in-memory
   world are not counted as the pipeline's), with the ``/__admin`` surface and its clock at the
   end of the history minus one day. Meilisearch runs from ``--data-dir`` (``sandbox.services``,
   default ``.data/bench/pipeline``, apart from the other benches' services).
3. **Full load**, each stage one ``dg.materialize`` run of the real assets (with their checks) on
   a fresh lake: the raw extraction of every day of the history in one run over the partition
   range (as a backfill run does), the data copy, ``normalized``, the linkage (the model is
   trained here), the enrichment and the index (built and swapped in).
4. **Incremental day**: the simulator's clock moves on until ``--changed-share`` of the live
   candidates have changed (created, updated or tombstoned by the world itself; the world's own
   day changes about 1.5 %, so the window is usually a little shorter than a day); when the whole
   day has fewer changes, candidates are updated through ``/__admin/candidates`` to make up the
   share. The change partitions of the window are extracted, then every downstream stage runs
   again, touching only what changed.

Reported per stage and run: seconds, rows processed (raw rows written, data-copy rows loaded, raw
rows merged, candidates linked, candidates enriched, documents sent or deleted) and rows per
second, the stage's peak RSS (the process high-water mark is reset before each stage through
``/proc/self/clear_refs``), Meilisearch's RSS (sampled from ``/proc``) and the machine's load
average when the stage ended (other work on the machine slows every stage). Stage seconds are
the whole ``materialize`` run: the asset, its checks and Dagster's own overhead. The last line is
``RESULT candidates=… profiles=… full_seconds=… incremental_seconds=… incremental_ratio=…
peak_mb=…`` (the ratio is incremental / full; peak_mb is this process's peak RSS).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import resource
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import polars as pl

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_WORLDS_DIR = REPO_ROOT / ".data" / "bench" / "worlds"
DEFAULT_DATA_DIR = REPO_ROOT / ".data" / "bench" / "pipeline"
SIM_CLIENT_ID, SIM_USERNAME, SIM_PASSWORD = "1000", "api@sandbox.jobdiva.test", "sandbox-password"
STAGES = ("extraction", "datacopy", "normalized", "linkage", "enrichment", "index")
# What a stage counts as its rows (for rows per second).
STAGE_ROWS = {
    "extraction": "raw rows written",
    "datacopy": "data-copy rows loaded",
    "normalized": "raw rows merged",
    "linkage": "candidates linked",
    "enrichment": "candidates enriched",
    "index": "documents sent or deleted",
}


def progress(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# --- memory ----------------------------------------------------------------------------------


def _status_kb(pid: int | str, field_name: str) -> int | None:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    for line in status.splitlines():
        if line.startswith(f"{field_name}:"):
            return int(line.split()[1])
    return None


def reset_peak_rss() -> bool:
    """Reset this process's RSS high-water mark (Linux ≥ 4.0); False when it cannot be."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def own_peak_mb() -> float:
    """This process's RSS high-water mark (since the last reset) in MB."""
    kb = _status_kb("self", "VmHWM")
    if kb is None:  # no /proc: ru_maxrss (kilobytes on Linux) never resets
        kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return kb / 1024


def cpu_seconds(pid: int) -> float | None:
    """User + system CPU seconds of a whole process (all its threads), from /proc."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class RssSampler:
    """Samples the RSS of other processes (Meilisearch, the simulator) in a thread; the highest
    value seen since the last `take()` is that process's peak over the interval."""

    def __init__(self, pids: dict[str, int], interval_s: float = 0.25) -> None:
        self.pids = pids
        self.interval_s = interval_s
        self._peaks: dict[str, int] = {}
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="rss-sampler", daemon=True)

    def __enter__(self) -> RssSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=5)

    def _sample(self) -> None:
        for name, pid in self.pids.items():
            kb = _status_kb(pid, "VmRSS")
            if kb is not None:
                with self._lock:
                    self._peaks[name] = max(self._peaks.get(name, 0), kb)

    def _run(self) -> None:
        while not self._stop.wait(self.interval_s):
            self._sample()

    def take(self) -> dict[str, float]:
        """Peak RSS per process (MB) since the previous call."""
        self._sample()
        with self._lock:
            peaks, self._peaks = self._peaks, {}
        return {name: kb / 1024 for name, kb in peaks.items()}


# --- the world -------------------------------------------------------------------------------


def world_dir(args: argparse.Namespace) -> Path:
    """The cached world for these parameters (generated when missing or different)."""
    from sandbox.world import generate_world

    directory = args.worlds_dir / f"{args.candidates}x{args.profiles}-{args.seed}"
    meta_file = directory / "meta.json"
    if meta_file.exists():
        meta = json.loads(meta_file.read_text())
        start = datetime.fromisoformat(meta["history_start"])
        lookback = (start - datetime.fromisoformat(meta["earliest"])).days
        if meta["days"] == args.days and lookback == args.lookback_days:
            return directory
        progress(f"{directory} has days={meta['days']}, lookback={lookback}: generating again")
    progress(f"generating world: {args.candidates:,} candidates, {args.profiles:,} profiles")
    generate_world(
        directory,
        profiles=args.profiles,
        candidates=args.candidates,
        days=args.days,
        seed=args.seed,
        lookback_days=args.lookback_days,
        progress=True,
    )
    return directory


@dataclass(frozen=True)
class DayPlan:
    """The incremental window (t0, t1] and the candidates to update at its end."""

    start: datetime
    end: datetime
    live: int
    organic: int  # candidates the world itself changes in the window
    target: int
    top_up: list[int] = field(default_factory=list)


def plan_day(world: Path, start: datetime, share: float, seed: int) -> DayPlan:
    """The window from `start` until `share` of the candidates live at `start` changed (at most
    a day, to the world's end); the candidates to top it up with when a day holds fewer."""
    meta = json.loads((world / "meta.json").read_text())
    history_end = datetime.fromisoformat(meta["history_end"])
    day_end = min(start + timedelta(days=1), history_end)
    columns = ["candidate_id", "version_at", "created_at"]
    versions = pl.read_parquet(world / "candidate_versions.parquet", columns=columns)
    tombstones = pl.read_parquet(world / "tombstones.parquet", columns=["candidate_id", "at"])
    gone = set(tombstones.filter(pl.col("at") <= start)["candidate_id"].to_list())
    existing = versions.filter(pl.col("created_at") <= start)["candidate_id"].unique()
    live_ids = sorted(set(existing.to_list()) - gone)
    events = pl.concat(
        [
            versions.select("candidate_id", at=pl.col("version_at")),
            tombstones.select("candidate_id", "at"),
        ]
    ).filter((pl.col("at") > start) & (pl.col("at") <= day_end))
    first_change = events.group_by("candidate_id").agg(pl.col("at").min()).sort("at")
    target = max(1, round(share * len(live_ids)))
    if first_change.height >= target:
        end = first_change["at"][target - 1]
        return DayPlan(start, end, len(live_ids), target, target)
    # Candidates the world leaves alone all day (its own changes and tombstones are events).
    pool = sorted(set(live_ids) - set(first_change["candidate_id"].to_list()))
    top_up = random.Random(seed).sample(pool, min(len(pool), target - first_change.height))
    return DayPlan(start, day_end, len(live_ids), first_change.height, target, top_up)


# --- the simulator ---------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def simulator(world: Path, now: datetime, log_path: Path) -> Iterator[tuple[str, int]]:
    """The JobDiva simulator in its own process (admin surface on); yields (base_url, pid)."""
    port = _free_port()
    command = [
        sys.executable, "-m", "sandbox.jobdiva", "--world", str(world), "--port", str(port),
        "--admin", "--now", now.strftime("%Y-%m-%dT%H:%M:%S"), "--client-id", SIM_CLIENT_ID,
        "--username", SIM_USERNAME, "--password", SIM_PASSWORD,
    ]  # fmt: skip
    environment = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    with log_path.open("ab") as log:
        process = subprocess.Popen(
            command, cwd=REPO_ROOT, env=environment, stdout=log, stderr=subprocess.STDOUT
        )
    base_url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 900
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"the simulator exited ({process.returncode}); see {log_path}")
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"{base_url}/__admin/state", timeout=5).status_code == 200:
                    break
            if time.monotonic() > deadline:
                raise RuntimeError(f"the simulator did not start; see {log_path}")
            time.sleep(0.5)
        yield base_url, process.pid
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def advance(base_url: str, to: datetime) -> None:
    response = httpx.post(f"{base_url}/__admin/advance", json={"to": to.isoformat()}, timeout=120)
    response.raise_for_status()


def top_up(base_url: str, world: Path, plan: DayPlan, seed: int) -> int:
    """Update `plan.top_up` candidates through the admin surface at the window's end (a new cell
    phone, or another candidate's city and state: columns the linkage reads)."""
    if not plan.top_up:
        return 0
    advance(base_url, plan.end - timedelta(minutes=1))
    places = (
        pl.read_parquet(world / "candidate_versions.parquet", columns=["city", "state"])
        .drop_nulls()
        .unique()
        .sort("city", "state")
        .rows()
    )
    rng = random.Random(seed)
    updated = 0
    with httpx.Client(base_url=base_url, timeout=120) as client:
        for index, candidate_id in enumerate(plan.top_up):
            if index % 2 == 0:
                change = {"cell_phone": f"(555) {rng.randrange(200, 999)}-{index % 10_000:04d}"}
            else:
                city, state = rng.choice(places)
                change = {"city": city, "state": state}
            body = {"candidate_id": candidate_id, **change}
            response = client.post("/__admin/candidates", json=body)
            if response.status_code == 409:  # tombstoned meanwhile: the world changed it
                continue
            response.raise_for_status()
            updated += 1
    return updated


# --- running stages --------------------------------------------------------------------------


@dataclass
class StageResult:
    seconds: float
    rows: int
    peak_mb: float
    others_mb: dict[str, float]
    checks_seconds: float = 0.0
    load: float = 0.0  # the 1-minute load average when the stage ended (the machine's noise)
    detail: str = ""
    warnings: list[str] = field(default_factory=list)

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.seconds if self.seconds else 0.0


def _metadata_values(result: Any) -> dict[str, list[dict[str, Any]]]:
    """Materialization metadata of a run, by asset key path (`raw/candidates`)."""
    found: dict[str, list[dict[str, Any]]] = {}
    for event in result.get_asset_materialization_events():
        materialization = event.event_specific_data.materialization
        values = {key: value.value for key, value in materialization.metadata.items()}
        found.setdefault("/".join(materialization.asset_key.path), []).append(values)
    return found


def _step_seconds(instance: Any, run_id: str) -> dict[str, float]:
    """Seconds per step of a run, from its event log."""
    import dagster as dg

    started: dict[str, float] = {}
    seconds: dict[str, float] = {}
    ends = {dg.DagsterEventType.STEP_SUCCESS, dg.DagsterEventType.STEP_FAILURE}
    for record in instance.all_logs(run_id):
        event = record.dagster_event
        if event is None or record.step_key is None:
            continue
        if event.event_type == dg.DagsterEventType.STEP_START:
            started[record.step_key] = record.timestamp
        elif event.event_type in ends and record.step_key in started:
            seconds[record.step_key] = record.timestamp - started[record.step_key]
    return seconds


def _rows_of(stage: str, metadata: dict[str, list[dict[str, Any]]]) -> tuple[int, str]:
    """The stage's processed rows and a one-line detail from its assets' metadata."""
    if stage == "extraction":
        # A run over a partition range records one materialization per partition, each with
        # the run's figures: the first one of each table is the run's.
        tables = {key: ms[0]["rows"] for key, ms in metadata.items()}
        requests = max(ms[0]["jobdiva_requests"] for ms in metadata.values())
        candidates = tables.get("raw/candidates", 0)
        return sum(tables.values()), f"{requests} requests, {candidates} candidate rows"
    if stage == "datacopy":
        rows = sum(m.get("rows_loaded", 0) for ms in metadata.values() for m in ms)
        quarantined = sum(m.get("rows_quarantined", 0) for m in metadata["raw/datacopy_quarantine"])
        return rows, f"{quarantined} rows quarantined"
    if stage == "normalized":
        first = metadata["normalized/candidates"][0]
        changed = {
            key.split("/")[1]: m["rows_inserted"] + m["rows_updated"] + m["rows_deleted"]
            for key, [m] in metadata.items()
        }
        return sum(first["raw_rows_read"].values()), f"rows changed {changed}"
    if stage == "linkage":
        [m] = metadata["linked/candidate_profile_links"]
        seconds = ", ".join(f"{k} {v:.1f}s" for k, v in m["seconds"].items())
        return m["candidates_considered"], (
            f"changed {m['candidates_changed']}, removed {m['candidates_removed']}, links "
            f"+{m['links_inserted']}/~{m['links_updated']}/-{m['links_deleted']}, trained "
            f"{m['model_trained']} [{seconds}]"
        )
    if stage == "enrichment":
        [m] = metadata["enriched/enriched_candidates"]
        seconds = ", ".join(f"{k} {v:.1f}s" for k, v in m["seconds"].items())
        return m["candidates_built"], (
            f"by input {m['changed_by_input']}, rows +{m['rows_inserted']}/~{m['rows_updated']}"
            f"/-{m['rows_deleted']} [{seconds}]"
        )
    [m] = metadata["search/candidates_index"]
    seconds = ", ".join(f"{k} {v:.1f}s" for k, v in m["seconds"].items())
    return m["changed_rows"], f"mode {m['mode']}, {m['index_documents']} documents [{seconds}]"


class Pipeline:
    """The real assets on one lake, run stage by stage with `dg.materialize`."""

    def __init__(
        self,
        world: Path,
        lake_uri: str,
        sim_url: str,
        meili: Any,
        index_uid: str,
        sampler: RssSampler,
    ) -> None:
        import dagster as dg

        from resources import (
            DataCopyResource,
            JobDivaResource,
            LakeResource,
            MeilisearchResource,
            ProfileCorpusResource,
        )

        self.world = world
        self.sampler = sampler
        self.instance = dg.DagsterInstance.ephemeral()
        self.resources = {
            "lake": LakeResource(root_uri=lake_uri),
            "corpus": ProfileCorpusResource(uri=str(world / "profiles.parquet")),
            "jobdiva": JobDivaResource(
                base_url=sim_url,
                client_id=SIM_CLIENT_ID,
                username=SIM_USERNAME,
                password=SIM_PASSWORD,
                requests_per_minute=0,
                backoff_initial_s=0.05,
                backoff_max_s=1.0,
            ),
            "datacopy": DataCopyResource(directory=str(world / "datacopy"), settle_seconds=0),
            "meilisearch": MeilisearchResource(
                url=meili.meili_url,
                api_key=meili.meili_master_key,
                index_uid=index_uid,
                task_timeout_s=3600,
            ),
        }

    def _stage_assets(self, stage: str) -> list:
        from assets.datacopy_raw import datacopy_raw
        from assets.enrichment import ENRICHMENT_ASSETS, ENRICHMENT_CHECKS
        from assets.jobdiva_raw import jobdiva_raw
        from assets.linkage import LINKAGE_ASSETS, LINKAGE_CHECKS
        from assets.normalized import normalized
        from assets.normalized_checks import NORMALIZED_CHECKS
        from assets.search_index import SEARCH_ASSETS, SEARCH_CHECKS

        return {
            "extraction": [jobdiva_raw],
            "datacopy": [datacopy_raw],
            "normalized": [normalized, *NORMALIZED_CHECKS],
            "linkage": [*LINKAGE_ASSETS, *LINKAGE_CHECKS],
            "enrichment": [*ENRICHMENT_ASSETS, *ENRICHMENT_CHECKS],
            "index": [*SEARCH_ASSETS, *SEARCH_CHECKS],
        }[stage]

    def _materialize(self, stage: str, **kwargs: Any) -> tuple[Any, float]:
        import dagster as dg

        run_config = {"loggers": {"console": {"config": {"log_level": "INFO"}}}}
        started = time.perf_counter()
        result = dg.materialize(
            self._stage_assets(stage),
            resources=self.resources,
            instance=self.instance,
            run_config=run_config,
            raise_on_error=False,
            **kwargs,
        )
        seconds = time.perf_counter() - started
        if not result.success:
            raise RuntimeError(f"the {stage} run failed (see the Dagster log above)")
        return result, seconds

    def run(self, stage: str, **kwargs: Any) -> StageResult:
        """Run one stage (for the data copy: one run per file set); returns its figures."""
        import dagster as dg

        reset_peak_rss()
        self.sampler.take()
        cpu_before = {name: cpu_seconds(pid) for name, pid in self.sampler.pids.items()}
        own_cpu_before = time.process_time()
        if stage == "datacopy":
            from assets.datacopy_raw import datacopy_file_sets

            file_sets = sorted(p.name for p in (self.world / "datacopy").iterdir() if p.is_dir())
            self.instance.add_dynamic_partitions(datacopy_file_sets.name, file_sets)
            runs = [self._materialize(stage, partition_key=name) for name in file_sets]
        else:
            runs = [self._materialize(stage, **kwargs)]
        metadata: dict[str, list[dict[str, Any]]] = {}
        for result, _ in runs:
            for key, values in _metadata_values(result).items():
                metadata.setdefault(key, []).extend(values)
        rows, detail = _rows_of(stage, metadata)
        # Whose CPU the stage used: this process (the pipeline) and the services it called.
        cpu = {"pipeline": time.process_time() - own_cpu_before}
        for name, pid in self.sampler.pids.items():
            now, before = cpu_seconds(pid), cpu_before.get(name)
            if now is not None and before is not None:
                cpu[name] = now - before
        detail = "cpu " + ", ".join(f"{k} {v:.1f}s" for k, v in cpu.items()) + "; " + detail
        checks_seconds, warnings = 0.0, []
        for result, _ in runs:
            steps = _step_seconds(self.instance, result.run_id)
            asset_steps = {event.step_key for event in result.get_asset_materialization_events()}
            checks_seconds += sum(s for step, s in steps.items() if step not in asset_steps)
            for evaluation in result.get_asset_check_evaluations():
                if not evaluation.passed:
                    blocking = evaluation.severity == dg.AssetCheckSeverity.ERROR
                    warnings.append(f"{evaluation.check_name} {'FAILED' if blocking else 'warns'}")
        return StageResult(
            seconds=sum(seconds for _, seconds in runs),
            rows=rows,
            peak_mb=own_peak_mb(),
            others_mb=self.sampler.take(),
            checks_seconds=checks_seconds,
            load=os.getloadavg()[0],
            detail=detail,
            warnings=warnings,
        )


def run_load(
    pipeline: Pipeline, label: str, first: date, last: date, with_datacopy: bool
) -> dict[str, StageResult]:
    from dagster._core.storage.tags import (
        ASSET_PARTITION_RANGE_END_TAG,
        ASSET_PARTITION_RANGE_START_TAG,
    )

    results: dict[str, StageResult] = {}
    for stage in STAGES:
        if stage == "datacopy" and not with_datacopy:
            continue
        progress(f"{label}: {stage} …")
        kwargs: dict[str, Any] = {}
        if stage == "extraction":
            kwargs["tags"] = {
                ASSET_PARTITION_RANGE_START_TAG: first.isoformat(),
                ASSET_PARTITION_RANGE_END_TAG: last.isoformat(),
            }
        result = pipeline.run(stage, **kwargs)
        results[stage] = result
        progress(
            f"{label}: {stage} {result.seconds:.1f} s, {result.rows:,} rows, peak "
            f"{result.peak_mb:.0f} MB, load {result.load:.1f} — {result.detail}"
            + (f" ({'; '.join(result.warnings)})" if result.warnings else "")
        )
    return results


# --- report ----------------------------------------------------------------------------------


def _total(results: dict[str, StageResult]) -> float:
    return sum(result.seconds for result in results.values())


def dominating(results: dict[str, StageResult]) -> tuple[str, float]:
    stage = max(results, key=lambda name: results[name].seconds)
    return stage, results[stage].seconds / max(_total(results), 1e-9)


def format_table(full: dict[str, StageResult], incremental: dict[str, StageResult]) -> str:
    header = (
        f"{'stage':<11}{'full s':>9}{'rows':>10}{'rows/s':>9}{'peak MB':>9}{'meili MB':>9}  |"
        f"{'incr s':>8}{'rows':>8}{'rows/s':>9}{'peak MB':>9}{'meili MB':>9}  rows are"
    )
    lines = [header, "-" * len(header)]

    def cells(result: StageResult | None, wide: bool) -> str:
        if result is None:
            widths = (9, 10, 9, 9, 9) if wide else (8, 8, 9, 9, 9)
            return "".join(f"{'-':>{width}}" for width in widths)
        meili = result.others_mb.get("meilisearch")
        meili_text = f"{meili:.0f}" if meili is not None else "-"
        if wide:
            return (
                f"{result.seconds:>9.1f}{result.rows:>10,}{result.rows_per_second:>9,.0f}"
                f"{result.peak_mb:>9.0f}{meili_text:>9}"
            )
        return (
            f"{result.seconds:>8.1f}{result.rows:>8,}{result.rows_per_second:>9,.0f}"
            f"{result.peak_mb:>9.0f}{meili_text:>9}"
        )

    for stage in STAGES:
        lines.append(
            f"{stage:<11}{cells(full.get(stage), True)}  |"
            f"{cells(incremental.get(stage), False)}  {STAGE_ROWS[stage]}"
        )
    lines.append("-" * len(header))
    full_total, incremental_total = _total(full), _total(incremental)
    lines.append(f"{'total':<11}{full_total:>9.1f}{'':>46}|{incremental_total:>8.1f}")
    return "\n".join(lines)


# --- main ------------------------------------------------------------------------------------


def _set_partition_start(earliest: date) -> None:
    """The daily partitions must reach back to the world's first day (read at import time)."""
    configured = os.environ.get("JOBDIVA_PARTITION_START")
    if configured is None or date.fromisoformat(configured) > earliest:
        os.environ["JOBDIVA_PARTITION_START"] = earliest.isoformat()
    if "pipelines.partitions" in sys.modules:
        from pipelines.partitions import PARTITION_START_DATE

        if date.fromisoformat(PARTITION_START_DATE) > earliest:
            raise SystemExit(
                f"partitions start {PARTITION_START_DATE}, after the world's first day {earliest}"
            )


def _provide_meili_binary(data_dir: Path) -> None:
    """Give a fresh data dir the verified Meilisearch binary another data dir of this checkout
    holds (a hard link), so that nothing is downloaded; sandbox.services verifies it."""
    from sandbox import services

    target = data_dir / "bin" / "meilisearch"
    if os.environ.get("MEILI_BIN") or shutil.which("meilisearch") or target.exists():
        return
    root = REPO_ROOT / ".data"
    candidates = [root / "bin" / "meilisearch", *sorted(root.glob("**/bin/meilisearch"))]
    for source in candidates:
        if source.is_file() and services.sha256_of(source) == services.MEILI_SHA256:
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.link(source, target)
            except OSError:
                shutil.copy2(source, target)
            return


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--candidates", type=int, default=20_000)
    parser.add_argument("--profiles", type=int, default=100_000)
    parser.add_argument("--days", type=int, default=30, help="days of history in the world")
    parser.add_argument(
        "--lookback-days", type=int, default=365, help="how far before the history records go"
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--changed-share", type=float, default=0.01, help="share of candidates the day changes"
    )
    parser.add_argument("--worlds-dir", type=Path, default=DEFAULT_WORLDS_DIR)
    parser.add_argument(
        "--data-dir", type=Path, default=DEFAULT_DATA_DIR, help="the services' data dir"
    )
    parser.add_argument(
        "--work-dir", type=Path, help="where the lake and the simulator's log go (the data dir)"
    )
    parser.add_argument("--index-uid", help="Meilisearch index (bench_pipeline_<N>x<M>)")
    parser.add_argument("--keep", action="store_true", help="keep the lake and the index")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    from sandbox import services

    world = world_dir(args)
    meta = json.loads((world / "meta.json").read_text())
    history_end = datetime.fromisoformat(meta["history_end"])
    earliest = datetime.fromisoformat(meta["earliest"]).date()
    _set_partition_start(earliest)
    t0 = history_end - timedelta(days=1)
    plan = plan_day(world, t0, args.changed_share, args.seed)
    progress(
        f"incremental window {plan.start:%m-%d %H:%M}..{plan.end:%m-%d %H:%M} "
        f"({(plan.end - plan.start).total_seconds() / 3600:.1f} h): {plan.organic:,} candidates "
        f"changed by the world, {len(plan.top_up):,} to update, of {plan.live:,} live"
    )

    data_dir = args.data_dir.resolve()
    name = f"{args.candidates}x{args.profiles}-{args.seed}"
    work = (args.work_dir or data_dir).resolve() / f"run-{name}"
    shutil.rmtree(work, ignore_errors=True)
    (work / "lake").mkdir(parents=True)
    index_uid = args.index_uid or f"bench_pipeline_{args.candidates}x{args.profiles}"
    if not os.environ.get("MEILI_URL"):
        _provide_meili_binary(data_dir)
    with (
        services.running(data_dir) as meili,
        simulator(world, t0, work / "simulator.log") as (sim_url, sim_pid),
    ):
        headers = {"Authorization": f"Bearer {meili.meili_master_key}"}
        client = httpx.Client(base_url=meili.meili_url, timeout=60, headers=headers)
        client.delete(f"/indexes/{index_uid}")  # a previous run's, if kept
        pids = {"simulator": sim_pid}
        meili_pid_file = services.Paths(data_dir).meili_pid
        if not os.environ.get("MEILI_URL") and meili_pid_file.exists():
            pids["meilisearch"] = int(meili_pid_file.read_text())
        with RssSampler(pids) as sampler:
            pipeline = Pipeline(world, str(work / "lake"), sim_url, meili, index_uid, sampler)
            full = run_load(pipeline, "full", earliest, t0.date(), with_datacopy=True)
            updated = top_up(sim_url, world, plan, args.seed)
            advance(sim_url, plan.end)
            incremental = run_load(
                pipeline, "incremental", t0.date(), plan.end.date(), with_datacopy=False
            )
        if not args.keep:
            client.delete(f"/indexes/{index_uid}")
        client.close()
    if not args.keep:
        shutil.rmtree(work / "lake", ignore_errors=True)

    full_seconds, incremental_seconds = _total(full), _total(incremental)
    ratio = incremental_seconds / full_seconds if full_seconds else 0.0
    peak_mb = max(result.peak_mb for result in [*full.values(), *incremental.values()])
    meili_peaks = [
        r.others_mb["meilisearch"]
        for r in [*full.values(), *incremental.values()]
        if "meilisearch" in r.others_mb
    ]
    meili_text = f"{max(meili_peaks):.0f} MB" if meili_peaks else "not measured (MEILI_URL)"
    sim_peak = max(
        r.others_mb.get("simulator", 0.0) for r in [*full.values(), *incremental.values()]
    )
    changed = plan.organic + updated
    counts = meta["counts"]
    print(
        f"\nworld: {world} ({counts['candidates']:,} candidates, {counts['profiles']:,} "
        f"profiles, {meta['days']} days of history)"
    )
    print(
        f"incremental day: {changed:,} of {plan.live:,} live candidates changed "
        f"({changed / max(plan.live, 1):.2%}: {plan.organic:,} by the world in "
        f"{(plan.end - plan.start).total_seconds() / 3600:.1f} h, {updated:,} updated via admin)"
    )
    print(format_table(full, incremental))
    for label, results in (("full", full), ("incremental", incremental)):
        stage, share = dominating(results)
        print(f"{label}: dominated by {stage} ({share:.0%} of {_total(results):.1f} s)")
        for stage_name, result in results.items():
            checks = f"checks {result.checks_seconds:.1f}s; " if result.checks_seconds else ""
            print(f"  {stage_name:<11}load {result.load:.1f}; {checks}{result.detail}")
    print(
        f"incremental/full: {ratio:.4f}; peak RSS {peak_mb:.0f} MB (pipeline process), "
        f"Meilisearch {meili_text}, simulator {sim_peak:.0f} MB"
    )
    fields = {
        "candidates": args.candidates,
        "profiles": args.profiles,
        "full_seconds": f"{full_seconds:.2f}",
        "incremental_seconds": f"{incremental_seconds:.2f}",
        "incremental_ratio": f"{ratio:.4f}",
        "peak_mb": f"{peak_mb:.0f}",
    }
    print("RESULT " + " ".join(f"{key}={value}" for key, value in fields.items()), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
