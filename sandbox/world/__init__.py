"""Synthetic world generator: a public-profile corpus, a JobDiva tenant's history and the
admin's data copy, all derived from one seed (contract: sandbox/WORLD_FORMAT.md)."""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np
import polars as pl

from sandbox.world import ats, documents, io
from sandbox.world.candidates import apply_showcase_name, initial_states, plan_candidates
from sandbox.world.common import (
    DEFAULT_HISTORY_END,
    GENERATOR_VERSION,
    LOOKBACK_DAYS,
    Progress,
    stream,
)
from sandbox.world.config import RowCounts, WorldConfig
from sandbox.world.datacopy import write_datacopy
from sandbox.world.history import build_versions, schedule, tombstone_end
from sandbox.world.people import generate_people
from sandbox.world.profiles import build_profiles, profile_ids
from sandbox.world.spellings import phone_spellings

__all__ = ["DEFAULT_HISTORY_END", "WorldSummary", "generate_world"]

TENANT = {"client_id": 2981, "env_number": 1, "udf_names": ["Application Type"]}
PERSON_FIELDS = (
    "first_name",
    "last_name",
    "preferred_first",
    "alt_last",
    "middle_initial",
    "culture",
    "personal_email",
    "old_email",
    "work_email",
    "first_ascii",
    "last_ascii",
    "positions",
    "education",
    "skills",
    "certifications",
    "languages",
    "career_years",
    "track",
    "city",
    "state",
    "slug",
    "old_li_path",
    "github",
)


@dataclass(frozen=True)
class WorldSummary:
    out_dir: Path
    seed: int
    history_start: datetime
    history_end: datetime
    counts: dict[str, int]
    seconds: float


def generate_world(
    out_dir: str | Path,
    *,
    profiles: int,
    candidates: int,
    days: int,
    seed: int,
    match_share: float = 0.7,
    end: datetime | None = None,
    duplicate_share: float = 0.03,
    binary_attachment_cap: int = 300,
    lookback_days: int = LOOKBACK_DAYS,
    progress: bool = False,
) -> WorldSummary:
    """Generate a world into `out_dir` (replacing a previous world there atomically).

    `end` is history_end (naive US-Eastern); it defaults to a fixed anchor so runs reproduce.
    """
    config = WorldConfig(
        profiles=profiles,
        candidates=candidates,
        days=days,
        seed=seed,
        match_share=match_share,
        duplicate_share=duplicate_share,
        history_end=end or DEFAULT_HISTORY_END,
        binary_attachment_cap=binary_attachment_cap,
        lookback_days=lookback_days,
    )
    config.validate()
    report = Progress(progress)
    started = time.perf_counter()
    with io.staged_directory(Path(out_dir)) as folder:
        counts = _build(config, folder, report)
    seconds = time.perf_counter() - started
    report.stage(f"done: {Path(out_dir)}")
    return WorldSummary(
        Path(out_dir), seed, config.history_start, config.history_end, counts, seconds
    )


def _build(config: WorldConfig, folder: Path, report: Progress) -> dict[str, int]:
    seed = config.seed
    row_counts = RowCounts.of(config)
    ref_day = np.datetime64(config.history_end.date())
    report.stage(f"people: {config.profiles:,} with profiles + {row_counts.hidden:,} without")
    people = generate_people(stream(seed, "people"), config.profiles + row_counts.hidden, ref_day)
    plan = plan_candidates(stream(seed, "candidates"), config)
    people = apply_showcase_name(people, int(plan.person[plan.showcase_row]), seed)

    report.stage("profiles")
    profiles = build_profiles(
        stream(seed, "profiles"), people.head(config.profiles), config.history_end
    )
    io.write_table(folder, "profiles", profiles)

    report.stage(f"candidates: {config.candidates:,} over {config.days} days of history")
    timeline = schedule(stream(seed, "history"), plan, config)
    rows = timeline.rows
    who = people[rows["person"].to_numpy()]
    records = who.select(PERSON_FIELDS).to_dicts()
    states, noise_counts = initial_states(stream(seed, "noise"), rows, who, records)
    versions, uploads = build_versions(states, rows, timeline.events, records)
    gone_at = tombstone_end(
        timeline.tombstones, rows.height, config.history_end + timedelta(days=1)
    )
    tombstones = timeline.tombstones.select(
        "candidate_id", "kind", "merged_to_candidate_id", "at", "privacy_mask"
    )

    report.stage("resumes and attachments")
    doc_rng = stream(seed, "documents")
    resume_phones = phone_spellings(doc_rng, who["phone_prefix"], who["phone"]).to_list()
    contacts = documents.resume_contacts(doc_rng, rows["matched"].to_list(), records, resume_phones)
    showcase = rows["showcase"].to_list()
    resumes, per_row = documents.build_resumes(
        doc_rng, rows, records, contacts, uploads, gone_at, config.history_end, showcase
    )
    attachments = documents.build_attachments(
        stream(seed, "attachments"),
        rows,
        records,
        contacts,
        per_row,
        gone_at,
        config.history_end,
        config.binary_attachment_cap,
    )

    report.stage("users, jobs, applications, activities")
    ats_rng = stream(seed, "ats")
    users = ats.build_users(ats_rng, config)
    jobs, job_users = ats.build_jobs(ats_rng, config, users)
    applications = ats.build_applications(ats_rng, config, rows, gone_at, resumes, jobs)
    activities = ats.build_activities(ats_rng, config, rows, gone_at, applications, jobs, users)

    truth = rows.filter(pl.col("matched")).select(
        "candidate_id", profile_ids(rows.filter(pl.col("matched"))["person"].to_numpy())
    )
    truth_duplicates = rows.filter(pl.col("duplicate_group").is_not_null()).select(
        "candidate_id", "duplicate_group"
    )
    tables = {
        "candidate_versions": versions,
        "resumes": resumes,
        "attachments": attachments,
        "users": users,
        "jobs": jobs,
        "job_users": job_users,
        "applications": applications,
        "activities": activities,
        "tombstones": tombstones,
        "truth": truth,
        "truth_duplicates": truth_duplicates,
    }
    report.stage("writing tables and the data copy")
    for name, frame in tables.items():
        io.write_table(folder, name, frame)
    showcase_id = int(rows.filter(pl.col("showcase"))["candidate_id"][0])
    manifest = write_datacopy(
        stream(seed, "datacopy"),
        folder / "datacopy",
        config,
        versions,
        tombstones,
        resumes,
        attachments,
        showcase_id,
    )
    counts = {"profiles": profiles.height, **{k: v.height for k, v in tables.items()}}
    counts["candidates"] = rows.height
    io.write_meta(folder, _meta(config, counts, noise_counts, rows, tombstones, people, manifest))
    return counts


def _meta(
    config: WorldConfig,
    counts: dict[str, int],
    noise_counts: dict[str, int],
    rows: pl.DataFrame,
    tombstones: pl.DataFrame,
    people: pl.DataFrame,
    manifest: dict,
) -> dict:
    kinds = tombstones["kind"].value_counts(sort=True)
    return {
        "seed": config.seed,
        "history_start": config.history_start.isoformat(),
        "earliest": config.earliest.isoformat(),
        "history_end": config.history_end.isoformat(),
        "days": config.days,
        "counts": counts,
        "tenant": TENANT,
        "generator_version": GENERATOR_VERSION,
        "parameters": {
            "profiles": config.profiles,
            "candidates": config.candidates,
            "match_share": config.match_share,
            "duplicate_share": config.duplicate_share,
            "binary_attachment_cap": config.binary_attachment_cap,
        },
        "truth": {
            "matched_candidates": int(rows["matched"].sum()),
            "duplicate_groups": int(rows["duplicate_group"].n_unique() - 1),
            "duplicate_records": int(rows["is_duplicate"].sum()),
            "lookalike_people": int((people["lookalike_of"] >= 0).sum()),
        },
        "tombstones": dict(zip(kinds["kind"].to_list(), kinds["count"].to_list(), strict=True)),
        "noise_in_first_versions": noise_counts,
        "datacopy": {
            "file_sets": [manifest["file_set"]],
            "manifests": [f"datacopy/{manifest['file_set']}/manifest.json"],
        },
    }
