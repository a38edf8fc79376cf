"""One merge step over all normalized tables: state + observations → state (pure, no I/O).

`apply_observations` is the whole rule set — field-wise newest-non-blank merge, tombstones
(removal, re-pointing of merged ids, aliases) and the derived columns — so the property tests
can check order-independence and idempotence on it directly, and the Delta engine
(`normalize.engine`) only decides which stored rows to load and which changed rows to write.

The state passed in may be a subset of the stored tables, provided it holds every row the
observations can affect: the rows of the touched candidates in `candidates`,
`candidate_resumes` and `attachments`, and the complete (small) tables `tombstones`,
`recruiters`, `jobs`, `activities` and `applications`.
"""

from __future__ import annotations

from collections.abc import Mapping

import polars as pl

from normalize.derive import derive_applications, derive_candidates
from normalize.merge import fold, observations_to_versioned, stored_to_versioned
from normalize.schema import (
    ACTIVITIES,
    APPLICATIONS,
    ATTACHMENTS,
    CANDIDATES,
    JOBS,
    RECRUITERS,
    RESUMES,
    TABLES,
    TOMBSTONES,
    TableSpec,
)
from normalize.tombstones import TombstoneGraph

State = dict[str, pl.DataFrame]


def empty_state() -> State:
    return {name: spec.empty() for name, spec in TABLES.items()}


def _stored(state: Mapping[str, pl.DataFrame], spec: TableSpec) -> pl.DataFrame:
    frame = state.get(spec.name)
    return stored_to_versioned(spec.empty() if frame is None else spec.conform(frame), spec)


def _incoming(observations: Mapping[str, pl.DataFrame], spec: TableSpec) -> pl.DataFrame:
    frame = observations.get(spec.name)
    return observations_to_versioned(spec.empty_observations() if frame is None else frame, spec)


def merge_tombstones(
    state: Mapping[str, pl.DataFrame], observations: Mapping[str, pl.DataFrame]
) -> pl.DataFrame:
    return TOMBSTONES.conform(
        fold(TOMBSTONES, _stored(state, TOMBSTONES), _incoming(observations, TOMBSTONES))
    )


def apply_observations(
    state: Mapping[str, pl.DataFrame], observations: Mapping[str, pl.DataFrame]
) -> State:
    """Merge observations (any tables, any mix of partitions) into the state."""
    tombstones = merge_tombstones(state, observations)
    graph = TombstoneGraph.from_table(tombstones)

    def merged(spec: TableSpec, prepare=lambda frame: frame) -> pl.DataFrame:
        return fold(spec, prepare(_stored(state, spec)), prepare(_incoming(observations, spec)))

    # Rows owned by a candidate follow it: re-pointed when it was merged, dropped when it was
    # deleted or redacted (an activity's or attachment's candidate never changes otherwise).
    activities = ACTIVITIES.conform(merged(ACTIVITIES, graph.repoint))
    attachments = ATTACHMENTS.conform(merged(ATTACHMENTS, graph.repoint))
    jobs = JOBS.conform(merged(JOBS))
    recruiters = RECRUITERS.conform(merged(RECRUITERS))
    applications = derive_applications(
        merged(APPLICATIONS, graph.repoint), activities, jobs, recruiters
    )
    # A merged-away candidate keeps no row or resume of its own: the survivor lists it.
    resumes = RESUMES.conform(merged(RESUMES, graph.without_gone))
    candidates = derive_candidates(
        merged(CANDIDATES, graph.without_gone), resumes, applications, graph.aliases()
    )
    return {
        CANDIDATES.name: candidates,
        APPLICATIONS.name: applications,
        JOBS.name: jobs,
        RECRUITERS.name: recruiters,
        ATTACHMENTS.name: attachments,
        TOMBSTONES.name: tombstones,
        RESUMES.name: resumes,
        ACTIVITIES.name: activities,
    }


def touched_candidate_ids(
    observations: Mapping[str, pl.DataFrame], tombstones: pl.DataFrame
) -> set[str]:
    """Candidates whose rows (or derived columns) a batch of observations can change."""
    graph = TombstoneGraph.from_table(tombstones)
    ids: set[str] = set()
    for name in (CANDIDATES, RESUMES, APPLICATIONS, ACTIVITIES, ATTACHMENTS):
        frame = observations.get(name.name)
        if frame is not None and "candidate_id" in frame.columns:
            ids |= set(frame["candidate_id"].drop_nulls().to_list())
    new_tombstones = observations.get(TOMBSTONES.name)
    if new_tombstones is not None and not new_tombstones.is_empty():
        ids |= graph.touched_ids(new_tombstones)
    return ids | {r for i in ids if (r := graph.resolve(i)) is not None}
