"""Sensors: poll JobDiva's change feeds and run the current window only when it changed."""

import json
import time
from datetime import datetime, timedelta
from pathlib import Path

import dagster as dg

from assets.datacopy_raw import datacopy_file_sets
from assets.linkage import linkage_store
from extraction.jobdiva_client import EASTERN, JobDivaError
from extraction.jobdiva_feeds import count_changes
from linkage.incremental import read_state
from pipelines.jobs import datacopy_raw_job, jobdiva_raw_job, linkage_job
from resources.corpus import ProfileCorpusResource
from resources.datacopy import DataCopyResource
from resources.jobdiva import JobDivaResource
from resources.lake import LakeResource

POLL_INTERVAL_S = 15 * 60
# Re-read a little before the cursor: a record committed just as the last poll ran is not lost.
CURSOR_OVERLAP = timedelta(minutes=5)


def now_eastern() -> datetime:
    """The current naive US-Eastern wall clock (JobDiva's time zone)."""
    return datetime.now(EASTERN).replace(tzinfo=None, microsecond=0)


@dg.sensor(
    name="jobdiva_change_sensor",
    job=jobdiva_raw_job,
    minimum_interval_seconds=POLL_INTERVAL_S,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Polls JobDiva's change feeds since the last poll; when any feed has rows, "
    "runs today's change-window partition (idempotent, so repeated runs converge).",
)
def jobdiva_change_sensor(context: dg.SensorEvaluationContext, jobdiva: JobDivaResource):
    until = now_eastern()
    since = (
        datetime.fromisoformat(context.cursor) - CURSOR_OVERLAP
        if context.cursor
        else datetime.combine(until.date(), datetime.min.time())
    )
    try:
        with jobdiva.client() as client:
            changes = count_changes(client, since, until)
    except JobDivaError as exc:  # keep the cursor: the next tick polls the same span again
        return dg.SkipReason(f"could not poll JobDiva: {exc}")
    context.update_cursor(until.isoformat())
    changed = {feed: n for feed, n in changes.items() if n}
    if not changed:
        return dg.SkipReason(f"no JobDiva changes between {since} and {until} (Eastern)")
    # Every day of the polled span: after a daemon outage the span covers whole days that no
    # schedule tick will come back for (a schedule only runs its latest missed tick).
    days = (until.date() - since.date()).days
    partitions = [(since.date() + timedelta(days=offset)).isoformat() for offset in range(days + 1)]
    return [
        dg.RunRequest(
            run_key=f"{partition}@{until.isoformat()}",
            partition_key=partition,
            tags={"jobdiva_changes": ", ".join(f"{k}={v}" for k, v in changed.items())},
        )
        for partition in partitions
    ]


def settled_file_sets(root: Path, settle_seconds: int, now: float | None = None) -> list[str]:
    """Sub-directories of `root` whose files have not changed for `settle_seconds` (copy done)."""
    if not root.is_dir():
        return []
    now = time.time() if now is None else now
    ready = []
    for directory in sorted(p for p in root.iterdir() if p.is_dir()):
        files = [f for f in directory.rglob("*") if f.is_file()]
        if files and max(f.stat().st_mtime for f in files) <= now - settle_seconds:
            ready.append(directory.name)
    return ready


@dg.sensor(
    name="datacopy_sensor",
    job=datacopy_raw_job,
    minimum_interval_seconds=60,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Watches DATACOPY_DIR; each new file-set directory becomes a dynamic partition "
    "and is loaded exactly once (the cursor remembers the sets already picked up).",
)
def datacopy_sensor(context: dg.SensorEvaluationContext, datacopy: DataCopyResource):
    seen: list[str] = json.loads(context.cursor) if context.cursor else []
    ready = settled_file_sets(Path(datacopy.directory), datacopy.settle_seconds)
    new = [name for name in ready if name not in seen]
    if not new:
        return dg.SkipReason(f"no new data-copy file set in {datacopy.directory}")
    return dg.SensorResult(
        run_requests=[
            dg.RunRequest(run_key=f"datacopy:{name}", partition_key=name) for name in new
        ],
        dynamic_partitions_requests=[datacopy_file_sets.build_add_request(new)],
        cursor=json.dumps(sorted([*seen, *new])),
    )


@dg.sensor(
    name="profile_corpus_sensor",
    job=linkage_job,
    minimum_interval_seconds=10 * 60,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Runs the linkage when the profile corpus has a version the last linkage run did "
    "not see; the run re-links only candidates whose blocks the corpus change touched.",
)
def profile_corpus_sensor(
    context: dg.SensorEvaluationContext, corpus: ProfileCorpusResource, lake: LakeResource
):
    state = read_state(linkage_store(lake))
    if state is None:
        return dg.SkipReason("the linkage has not run yet; its first run links everything")
    version = corpus.version()
    if version == state.corpus_version:
        return dg.SkipReason(f"corpus {version} is the one linked")
    return dg.RunRequest(run_key=f"corpus:{version}", tags={"corpus_version": version})
