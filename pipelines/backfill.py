"""Launch and watch the JobDiva full load: an asset backfill of `jobdiva_raw` over past days
(and, for scripts such as the demo, a plain job run).

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
    if response.status_code != 200:
        raise BackfillError(
            f"Dagster GraphQL answered {response.status_code}: {response.text[:300]}"
        )
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


LAUNCH_RUN = """
mutation Launch($params: ExecutionParams!) {
  launchRun(executionParams: $params) {
    __typename
    ... on LaunchRunSuccess { run { runId } }
    ... on PythonError { message }
    ... on RunConfigValidationInvalid { errors { message } }
    ... on PipelineNotFoundError { message }
  }
}
"""
RUN_STATUS = """
query Run($id: ID!) { runOrError(runId: $id) { __typename ... on Run { status } } }
"""
RUN_FINISHED = {"SUCCESS", "FAILURE", "CANCELED"}


def launch_job(url: str, job_name: str, location: str = "rediscovery") -> str:
    """Launch an unpartitioned job of the code location through the webserver; its run id."""
    selector = {
        "repositoryLocationName": location,
        "repositoryName": "__repository__",
        "jobName": job_name,
    }
    params = {"selector": selector, "runConfigData": {}}
    result = _graphql(url, LAUNCH_RUN, {"params": params})["launchRun"]
    if result["__typename"] != "LaunchRunSuccess":
        raise BackfillError(f"{job_name} not launched: {result}")
    return result["run"]["runId"]


def wait_run(url: str, run_id: str, timeout_s: float = 1800, poll_s: float = 2.0) -> str:
    """Poll a run until it finishes; its final status."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        status_ = _graphql(url, RUN_STATUS, {"id": run_id})["runOrError"].get("status")
        if status_ in RUN_FINISHED:
            return status_
        time.sleep(poll_s)
    raise BackfillError(f"run {run_id} did not finish within {timeout_s:.0f} s")


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
