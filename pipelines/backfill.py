"""Launch and watch the JobDiva full load: an asset backfill of `jobdiva_raw` over past days.

`python -m pipelines.backfill --from 2021-10-01 --to 2026-11-20 [--dagster-url URL] [--no-wait]`

The backfill goes through the running Dagster webserver (the same GraphQL call the UI's
"Materialize → Launch backfill" makes), so it is visible under Overview → Backfills, honours the
asset's backfill policy (up to a year of days per run) and the `jobdiva_api` concurrency limit,
and can be resumed from the UI ("Re-execute → failed and missing") after an interruption.
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import date, timedelta

import httpx
from tqdm import tqdm

from extraction.raw_sync import RAW_TABLES

LAUNCH = """
mutation Launch($params: LaunchBackfillParams!) {
  launchPartitionBackfill(backfillParams: $params) {
    __typename
    ... on LaunchBackfillSuccess { backfillId }
    ... on PythonError { message }
    ... on UnauthorizedError { message }
    ... on PartitionSetNotFoundError { message }
    ... on InvalidStepError { invalidStepKey }
    ... on InvalidOutputError { stepKey }
    ... on RunConflict { message }
  }
}
"""
STATUS = """
query Status($id: String!) {
  partitionBackfillOrError(backfillId: $id) {
    __typename
    ... on PartitionBackfill {
      status
      numPartitions
      error { message }
      assetBackfillData {
        assetBackfillStatuses {
          ... on AssetPartitionsStatusCounts {
            numPartitionsTargeted numPartitionsMaterialized numPartitionsFailed
          }
        }
      }
    }
    ... on PythonError { message }
  }
}
"""
FINISHED = {"COMPLETED", "COMPLETED_SUCCESS", "COMPLETED_FAILED", "FAILED", "CANCELED"}


class BackfillError(RuntimeError):
    pass


def _graphql(url: str, query: str, variables: dict) -> dict:
    response = httpx.post(
        f"{url.rstrip('/')}/graphql", json={"query": query, "variables": variables}, timeout=120
    )
    response.raise_for_status()
    body = response.json()
    if body.get("errors"):
        raise BackfillError(f"Dagster GraphQL error: {body['errors'][0].get('message')}")
    return body["data"]


def day_keys(first: date, last: date) -> list[str]:
    return [(first + timedelta(days=i)).isoformat() for i in range((last - first).days + 1)]


def launch(url: str, first: date, last: date, title: str = "JobDiva full load") -> str:
    params = {
        "assetSelection": [{"path": ["raw", table]} for table in RAW_TABLES],
        "partitionNames": day_keys(first, last),
        "fromFailure": False,
        "title": title,
        "tags": [{"key": "jobdiva_api", "value": "true"}],
    }
    result = _graphql(url, LAUNCH, {"params": params})["launchPartitionBackfill"]
    if result["__typename"] != "LaunchBackfillSuccess":
        raise BackfillError(f"backfill not launched: {result}")
    return result["backfillId"]


def status(url: str, backfill_id: str) -> dict:
    result = _graphql(url, STATUS, {"id": backfill_id})["partitionBackfillOrError"]
    if result["__typename"] != "PartitionBackfill":
        raise BackfillError(f"cannot read backfill {backfill_id}: {result}")
    return result


def _partitions_done(current: dict) -> int:
    """Days finished (materialized or failed), taken from the least advanced raw table."""
    statuses = (current.get("assetBackfillData") or {}).get("assetBackfillStatuses") or []
    counts = [
        s["numPartitionsMaterialized"] + s["numPartitionsFailed"]
        for s in statuses
        if "numPartitionsTargeted" in s
    ]
    return min(counts, default=0)


def wait(url: str, backfill_id: str, timeout_s: float = 3600, poll_s: float = 2.0) -> dict:
    """Poll until the backfill finishes, with a progress bar over its partitions."""
    deadline = time.monotonic() + timeout_s
    bar: tqdm | None = None
    while True:
        current = status(url, backfill_id)
        done = _partitions_done(current)
        if bar is None:
            bar = tqdm(total=current["numPartitions"], desc="backfill", unit="day", file=sys.stderr)
        bar.n = done
        bar.refresh()
        if current["status"] in FINISHED:
            bar.close()
            return current
        if time.monotonic() > deadline:
            bar.close()
            raise BackfillError(f"backfill {backfill_id} still {current['status']} after timeout")
        time.sleep(poll_s)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pipelines.backfill", description=__doc__)
    parser.add_argument("--from", dest="first", required=True, type=date.fromisoformat)
    parser.add_argument("--to", dest="last", required=True, type=date.fromisoformat)
    parser.add_argument("--dagster-url", default="http://127.0.0.1:3000")
    parser.add_argument("--no-wait", action="store_true")
    args = parser.parse_args(argv)
    try:
        backfill_id = launch(args.dagster_url, args.first, args.last)
        print(f"backfill {backfill_id} launched: {args.dagster_url}/runs/b/{backfill_id}")
        if args.no_wait:
            return 0
        final = wait(args.dagster_url, backfill_id)
    except (BackfillError, httpx.HTTPError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"backfill {backfill_id}: {final['status']}")
    return 0 if final["status"] in {"COMPLETED", "COMPLETED_SUCCESS"} else 1


if __name__ == "__main__":
    sys.exit(main())
