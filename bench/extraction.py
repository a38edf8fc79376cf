"""Extraction benchmark: JobDiva (simulator) → raw Delta tables.

`python -m bench.extraction --candidates 20000 --profiles 100000 --days 30`

Measures, against the local simulator (its default settings: no rate limit, no faults):
- ours: the last `--days` days synced in 14-day spans (what a backfill run does);
- baseline: the same days synced one day at a time (a naive per-partition extraction),
  in the same process, so the ratio ours/baseline compares request counts and wall time;
- the full load: every day of the world's history (the first backfill of a tenant).
Requests per candidate and the wall time the same requests would take at JobDiva's documented
throttle (about 12 BI calls a minute, reference §8) are derived from the counted requests.
The last line is `RESULT key=value …`.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import polars as pl
from tqdm import tqdm

from extraction.jobdiva_client import JobDivaClient, JobDivaCredentials
from extraction.raw_sync import sync_range
from sandbox.jobdiva import SimulatorConfig, run_in_thread
from sandbox.world import generate_world

JOBDIVA_CALLS_PER_MINUTE = 12  # reference §8: the 2021 leaky bucket for a small tenant


def _world(args: argparse.Namespace) -> Path:
    world = Path(args.world)
    if not (world / "meta.json").exists():
        print(f"generating world in {world} …", file=sys.stderr)
        generate_world(
            world,
            profiles=args.profiles,
            candidates=args.candidates,
            days=args.days,
            seed=args.seed,
            progress=True,
        )
    return world


def _sync(base_url: str, first: date, last: date, span_days: int, label: str) -> dict:
    creds = JobDivaCredentials("1000", "api@sandbox.jobdiva.test", "sandbox-password")
    lake = Path(tempfile.mkdtemp(prefix="bench-extraction-"))
    client = JobDivaClient(base_url, creds, requests_per_minute=0)
    total = (last - first).days // span_days + 1
    bar = tqdm(total=total, desc=label, unit="span", file=sys.stderr)
    started = time.perf_counter()
    result = sync_range(
        client,
        first,
        last,
        lambda t: str(lake / "raw" / t),
        span_days=span_days,
        on_span=lambda *_: bar.update(1),
    )
    seconds = time.perf_counter() - started
    bar.close()
    client.close()
    candidates = pl.read_delta(str(lake / "raw" / "candidates"))["record_id"].n_unique()
    return {
        "seconds": seconds,
        "requests": client.stats.requests,
        "by_endpoint": client.stats.by_endpoint,
        "candidates": candidates,
        "rows": result.rows,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--candidates", type=int, default=20_000)
    parser.add_argument("--profiles", type=int, default=100_000)
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--world", default=".data/world-bench")
    parser.add_argument("--skip-full", action="store_true", help="skip the full-history load")
    args = parser.parse_args(argv)

    world = _world(args)
    meta = json.loads((world / "meta.json").read_text())
    history_end = date.fromisoformat(meta["history_end"][:10])
    first = history_end - timedelta(days=args.days - 1)
    config = SimulatorConfig(
        world_dir=world,
        client_id=1000,
        username="api@sandbox.jobdiva.test",
        password="sandbox-password",
    )
    with run_in_thread(config) as sim:
        ours = _sync(sim.base_url, first, history_end, 14, "ours (14-day spans)")
        baseline = _sync(sim.base_url, first, history_end, 1, "baseline (1-day spans)")
        full = None
        if not args.skip_full:
            oldest = date.fromisoformat(meta["history_start"][:10]) - timedelta(days=5 * 366)
            full = _sync(sim.base_url, oldest, history_end, 14, "full load")

    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\nworld: {world} ({meta['counts'].get('candidates')} candidates)")
    for label, run in (("ours", ours), ("baseline", baseline), ("full", full)):
        if run is None:
            continue
        per_candidate = run["requests"] / max(1, run["candidates"])
        at_throttle_h = run["requests"] / JOBDIVA_CALLS_PER_MINUTE / 60
        print(
            f"{label:9s} {run['seconds']:8.1f} s  {run['requests']:7d} requests  "
            f"{run['candidates']:6d} candidates  {per_candidate:5.2f} req/candidate  "
            f"≈{at_throttle_h:6.1f} h at {JOBDIVA_CALLS_PER_MINUTE}/min"
        )
        top = sorted(run["by_endpoint"].items(), key=lambda kv: -kv[1])[:6]
        print("          " + ", ".join(f"{k}={v}" for k, v in top))
    fields = {
        "candidates": args.candidates,
        "profiles": args.profiles,
        "days": args.days,
        "window_seconds": round(ours["seconds"], 2),
        "window_requests": ours["requests"],
        "window_candidates": ours["candidates"],
        "requests_per_candidate": round(ours["requests"] / max(1, ours["candidates"]), 3),
        "baseline_seconds": round(baseline["seconds"], 2),
        "baseline_requests": baseline["requests"],
        "time_ratio": round(ours["seconds"] / baseline["seconds"], 3),
        "request_ratio": round(ours["requests"] / baseline["requests"], 3),
    }
    if full is not None:
        fields |= {
            "full_seconds": round(full["seconds"], 2),
            "full_requests": full["requests"],
            "full_candidates": full["candidates"],
            "full_requests_per_candidate": round(full["requests"] / max(1, full["candidates"]), 3),
            "full_hours_at_12_per_min": round(full["requests"] / JOBDIVA_CALLS_PER_MINUTE / 60, 1),
        }
    fields["peak_mb"] = round(peak_mb)
    print("RESULT " + " ".join(f"{k}={v}" for k, v in fields.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
