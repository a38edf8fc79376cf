"""Candidates vs profiles on a small sandbox world: the person model links live candidates to
their true profiles with high precision and recall, and every link carries the contract's
columns (match_probability, match_method, evidence, model_version)."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from linkage import evaluate
from linkage.person import (
    PERSON_THRESHOLD,
    link_candidates,
    load_world_candidates,
    person_model,
    prepare_candidates,
    prepare_profiles,
    profile_vocabulary,
)
from sandbox.world import generate_world

PRECISION_FLOOR = 0.99
RECALL_FLOOR = 0.96


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> tuple[pl.DataFrame, ...]:
    directory: Path = tmp_path_factory.mktemp("world") / "w"
    generate_world(directory, profiles=2_000, candidates=500, days=10, seed=7)
    raw_candidates, resumes, truth = load_world_candidates(directory)
    profiles = prepare_profiles(pl.read_parquet(directory / "profiles.parquet"))
    candidates = prepare_candidates(raw_candidates, resumes, profile_vocabulary(profiles))
    return candidates, profiles, truth


def test_small_world_precision_and_recall(world) -> None:
    candidates, profiles, truth = world
    model = person_model().fit(candidates, profiles)
    links = link_candidates(model, candidates, profiles)
    scores = evaluate(links, truth, left="candidate_id", right="profile_id")
    assert scores.precision >= PRECISION_FLOOR, scores
    assert scores.recall >= RECALL_FLOOR, scores
    assert links["candidate_id"].is_unique().all()
    assert links["match_probability"].min() >= PERSON_THRESHOLD
    assert set(links["match_method"]) <= {"linkedin_url", "github_url", "fellegi_sunter"}
    assert links["model_version"].unique().to_list() == [model.model_version]


def test_link_evidence_explains_a_deterministic_key(world) -> None:
    candidates, profiles, _ = world
    model = person_model().fit(candidates, profiles)
    links = link_candidates(model, candidates, profiles)
    by_url = links.filter(pl.col("match_method") == "linkedin_url")
    assert by_url.height > 0
    evidence = {item["comparison"]: item for item in by_url["evidence"][0]}
    assert evidence["linkedin"]["level"] == "same LinkedIn URL"
    assert evidence["linkedin"]["weight"] > 10


def test_prepared_candidate_has_resume_terms(world) -> None:
    candidates, _, _ = world
    mined = candidates.select(
        pl.col(c).list.len().gt(0).mean() for c in ("employers", "schools", "skills", "emails")
    ).row(0, named=True)
    assert mined["employers"] > 0.8 and mined["skills"] > 0.8 and mined["emails"] > 0.8
