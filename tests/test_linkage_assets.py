"""The linkage asset: exact URL links, high precision, readable evidence, re-links only changes."""

import doctest
import hashlib
import json
import shutil
from dataclasses import dataclass
from pathlib import Path

import dagster as dg
import polars as pl
import pytest
from deltalake import DeltaTable, write_deltalake

import linkage.incremental
from assets.linkage import (
    LINKAGE_ASSETS,
    LINKAGE_CHECKS,
    candidate_profile_links_are_valid,
)
from linkage import evaluate
from linkage.person import load_world_candidates
from normalize.contacts import canonical_email, canonical_phone
from normalize.text import clean_html_text
from normalize.urls import canonical_linkedin_url, find_profile_urls
from resources.corpus import ProfileCorpusResource
from resources.lake import LakeResource
from sandbox.world import generate_world

PRECISION_FLOOR = 0.98
RECALL_FLOOR = 0.95
LINKS_NODE = "linked__candidate_profile_links"
NEW_EMPLOYER = "Zyxw Robotics"


# --- a normalized-candidates-shaped table from a sandbox world ------------------------------


def _unique(values: list[str | None]) -> list[str]:
    return list(dict.fromkeys(value for value in values if value))


def normalized_candidates(world: Path) -> pl.DataFrame:
    """Live candidates (latest version) in the columns of `normalized/candidates`."""
    candidates, _, _ = load_world_candidates(world)
    newest_resume = (
        pl.read_parquet(world / "resumes.parquet")
        .sort("updated_at")
        .group_by("candidate_id")
        .last()
        .select("candidate_id", "plaintext")
    )
    rows = []
    for row in candidates.join(newest_resume, on="candidate_id", how="left").iter_rows(named=True):
        text = clean_html_text(row["plaintext"])
        found = find_profile_urls(text)
        linkedin = _unique([canonical_linkedin_url(row["linkedin"]), *found["linkedin"]])
        record = {
            "candidate_id": str(row["candidate_id"]),
            "first_name": row["first_name"],
            "last_name": row["last_name"],
            "emails": _unique(
                [canonical_email(row["email"]), canonical_email(row["alternate_email"])]
            ),
            "phones": _unique(
                [canonical_phone(row[k]) for k in ("cell_phone", "home_phone", "work_phone")]
            ),
            "city": row["city"],
            "state": row["state"],
            "postal_code": row["zipcode"],
            "country": row["country"],
            "linkedin_url": linkedin[0] if linkedin else None,
            "github_url": found["github"][0] if found["github"] else None,
            "other_urls": [*linkedin[1:], *found["github"][1:], *found["other"]],
            "status": None,
            "updated_at": row["updated_at"],
            "resume_text": text,
            "aliases": [],
        }
        digest = json.dumps(record, sort_keys=True, default=str).encode()
        rows.append({**record, "content_hash": hashlib.sha256(digest).hexdigest()})
    return pl.DataFrame(rows, infer_schema_length=None).with_columns(
        pl.col("updated_at")
        .dt.replace_time_zone("America/New_York", ambiguous="earliest", non_existent="null")
        .dt.convert_time_zone("UTC"),
        pl.col("status").cast(pl.String),
    )


# --- fixtures --------------------------------------------------------------------------------


@dataclass
class Sandbox:
    """A sandbox world, a lake holding its normalized-shaped candidates, a corpus file."""

    world: Path
    lake: Path
    corpus: Path

    @property
    def candidates_uri(self) -> str:
        return str(self.lake / "normalized" / "candidates")

    @property
    def links_uri(self) -> str:
        return str(self.lake / "linked" / "candidate_profile_links")

    def copy(self, directory: Path) -> "Sandbox":
        """An independent lake and corpus (tests that change them work on their own copy)."""
        shutil.copytree(self.lake, directory / "lake")
        shutil.copy(self.corpus, directory / "profiles.parquet")
        return Sandbox(self.world, directory / "lake", directory / "profiles.parquet")

    def resources(self) -> dict:
        return {
            "lake": LakeResource(root_uri=str(self.lake)),
            "corpus": ProfileCorpusResource(uri=str(self.corpus)),
        }

    def materialize(self, **config: object) -> dg.ExecuteInProcessResult:
        run_config = {"ops": {LINKS_NODE: {"config": config}}} if config else None
        return dg.materialize(
            [*LINKAGE_ASSETS, *LINKAGE_CHECKS], resources=self.resources(), run_config=run_config
        )

    def links(self) -> pl.DataFrame:
        return pl.read_delta(self.links_uri)


def metadata(result: dg.ExecuteInProcessResult) -> dict:
    event = result.asset_materializations_for_node(LINKS_NODE)[0]
    return {key: value.value for key, value in event.metadata.items()}


def check_outcomes(result: dg.ExecuteInProcessResult) -> dict[str, bool]:
    return {e.check_name: e.passed for e in result.get_asset_check_evaluations()}


@pytest.fixture(scope="module")
def first_run(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[Sandbox, dg.ExecuteInProcessResult]:
    root = tmp_path_factory.mktemp("linkage")
    world = root / "world"
    generate_world(world, profiles=1_500, candidates=400, days=10, seed=5)
    setup = Sandbox(world, root / "lake", world / "profiles.parquet")
    write_deltalake(
        setup.candidates_uri,
        normalized_candidates(world).to_arrow(),
        configuration={"delta.enableChangeDataFeed": "true"},
    )
    return setup, setup.materialize()


# --- the first run ---------------------------------------------------------------------------


def test_first_run_links_everyone_with_high_precision_and_recall(first_run) -> None:
    setup, result = first_run
    assert result.success
    figures = metadata(result)
    live = pl.read_delta(setup.candidates_uri)
    assert figures["candidates_considered"] == live.height
    assert figures["model_trained"] is True
    # Every candidate meets at least its own profile's blocks, so more pairs than candidates.
    assert figures["pairs_scored"] > live.height
    links = setup.links()
    assert links["candidate_id"].is_unique().all()
    _, _, truth = load_world_candidates(setup.world)
    scores = evaluate(links, truth, left="candidate_id", right="profile_id")
    assert scores.precision >= PRECISION_FLOOR, scores
    assert scores.recall >= RECALL_FLOOR, scores
    assert figures["match_rate"] == pytest.approx(links.height / live.height, abs=1e-4)
    assert "| match_probability | links | share |" in figures["probability_histogram"]
    assert set(links["model_version"]) == {figures["model_version"]}
    model_dir = setup.lake / "linked" / "models"
    pointer = json.loads((model_dir / "current.json").read_text())
    assert pointer["model_version"] == figures["model_version"]
    assert (model_dir / f"{figures['model_version']}.json").exists()


def test_linkedin_url_links_are_exact(first_run) -> None:
    setup, _ = first_run
    profiles = pl.read_parquet(setup.corpus, columns=["profile_id", "linkedin_url"])
    owners = (
        profiles.with_columns(
            url=pl.col("linkedin_url").map_elements(canonical_linkedin_url, return_dtype=pl.String)
        )
        .drop_nulls("url")
        .filter(pl.len().over("url") == 1)
    )
    expected = (
        pl.read_delta(setup.candidates_uri)
        .join(owners, left_on="linkedin_url", right_on="url")
        .select("candidate_id", expected_profile="profile_id")
    )
    assert expected.height > 20
    got = expected.join(setup.links(), on="candidate_id", how="left")
    assert got["profile_id"].eq_missing(got["expected_profile"]).all()
    assert set(got["match_method"]) == {"linkedin_url"}


def test_evidence_says_which_fields_agreed(first_run) -> None:
    setup, _ = first_run
    links = setup.links()
    for row in links.head(50).iter_rows(named=True):
        levels = {item["comparison"]: item for item in row["evidence"]}
        assert {"linkedin", "email", "first_name", "last_name", "location"} <= set(levels)
        assert all(isinstance(item["level"], str) for item in row["evidence"])
    by_url = links.filter(pl.col("match_method") == "linkedin_url").row(0, named=True)
    linkedin = next(item for item in by_url["evidence"] if item["comparison"] == "linkedin")
    assert linkedin["level"] == "same LinkedIn URL" and linkedin["weight"] > 10
    explanation = linkage.incremental.explain(by_url["evidence"], limit=20)
    assert "linkedin: same LinkedIn URL (+" in explanation


def test_checks_pass_on_the_links(first_run) -> None:
    _, result = first_run
    assert check_outcomes(result) == {
        "candidate_profile_links_are_valid": True,
        "candidate_profile_links_match_rate": True,
    }


# --- incremental runs ------------------------------------------------------------------------


def _update_candidates(setup: Sandbox, rows: pl.DataFrame) -> None:
    table = DeltaTable(setup.candidates_uri)
    (
        table.merge(rows.to_arrow(), "t.candidate_id = s.candidate_id", "s", "t")
        .when_matched_update_all()
        .execute()
    )


def test_changed_deleted_and_corpus_changes_relink_only_what_they_touch(
    first_run, tmp_path: Path
) -> None:
    setup = first_run[0].copy(tmp_path)
    before = setup.links()
    first_version = before["model_version"][0]
    candidates = pl.read_delta(setup.candidates_uri)
    linked_ids = before["candidate_id"].sort().to_list()

    # Three linkage changes and one status-only change: only the three are re-linked. One
    # resume now names an employer the corpus does not know yet.
    changed_ids = linked_ids[:3]
    changed = candidates.filter(pl.col("candidate_id").is_in(changed_ids)).with_columns(
        pl.col("last_name") + "x",
        pl.col("emails").list.concat(pl.lit(["new@example.org"])),
        resume_text=pl.when(pl.col("candidate_id") == changed_ids[0])
        .then(pl.concat_str(pl.col("resume_text"), pl.lit(f"\n{NEW_EMPLOYER}")))
        .otherwise(pl.col("resume_text")),
    )
    status_only = candidates.filter(pl.col("candidate_id") == linked_ids[3]).with_columns(
        status=pl.lit("Hired")
    )
    _update_candidates(setup, pl.concat([changed, status_only]))
    figures = metadata(setup.materialize())
    assert figures["candidates_considered"] == 3
    assert figures["model_trained"] is False
    assert figures["model_version"] == first_version
    after = setup.links()
    untouched = before.filter(~pl.col("candidate_id").is_in(changed_ids))
    assert_frame_rows_equal(untouched, after.filter(~pl.col("candidate_id").is_in(changed_ids)))

    # A deleted candidate loses its link; nothing else is linked again.
    deleted = linked_ids[10]
    DeltaTable(setup.candidates_uri).delete(f"candidate_id = '{deleted}'")
    figures = metadata(setup.materialize())
    assert figures["candidates_removed"] == 1
    assert figures["candidates_considered"] == 0
    assert figures["pairs_scored"] == 0
    assert figures["links_deleted"] == 1
    assert deleted not in setup.links()["candidate_id"].to_list()

    # A new corpus version (one profile edited, one added with the new employer) re-links only
    # the candidates around them, and mines the new employer from the resume that names it.
    target = setup.links().filter(pl.col("match_method") == "fellegi_sunter").row(0, named=True)
    profiles = pl.read_parquet(setup.corpus)
    edited = profiles.with_columns(
        emails=pl.when(pl.col("profile_id") == target["profile_id"])
        .then(pl.col("emails").list.concat(pl.lit(["moved@example.org"])))
        .otherwise(pl.col("emails"))
    )
    pl.concat([edited, new_profile(profiles)]).write_parquet(setup.corpus)
    figures = metadata(setup.materialize())
    assert figures["corpus_diff"] == {"added": 1, "changed": 1, "removed": 0}
    assert figures["candidates_remined"] == 1
    assert 0 < figures["candidates_considered"] <= 20
    assert figures["candidates_changed"] == 0
    assert target["candidate_id"] in setup.links()["candidate_id"].to_list()
    prepared = pl.read_delta(str(setup.lake / "linked" / "_prepared_candidates"))
    mined = prepared.filter(pl.col("candidate_id") == changed_ids[0])["employers"][0].to_list()
    assert NEW_EMPLOYER.lower() in mined


def new_profile(profiles: pl.DataFrame) -> pl.DataFrame:
    """A profile of someone else, at an employer no other profile has."""
    position = {**profiles["positions"][0][0], "company": NEW_EMPLOYER}
    return profiles.head(1).with_columns(
        profile_id=pl.lit("p-new"),
        first_name=pl.lit("Quillon"),
        last_name=pl.lit("Vexmoor"),
        full_name=pl.lit("Quillon Vexmoor"),
        linkedin_url=pl.lit(None, pl.String),
        github_url=pl.lit(None, pl.String),
        emails=pl.lit([], pl.List(pl.String)),
        phones=pl.lit([], pl.List(pl.String)),
        positions=pl.lit([position], profiles["positions"].dtype),
        social_links=pl.lit([], profiles["social_links"].dtype),
    )


def assert_frame_rows_equal(left: pl.DataFrame, right: pl.DataFrame) -> None:
    """Same rows, `linked_at` included: links not re-linked were not rewritten."""
    assert left.sort("candidate_id").equals(right.sort("candidate_id"))


def test_check_fails_on_corrupted_links(first_run, tmp_path: Path) -> None:
    setup = first_run[0].copy(tmp_path)
    links = setup.links()
    corrupted = pl.concat([links, links.head(1)]).with_columns(
        profile_id=pl.when(pl.int_range(pl.len()) == 1)
        .then(pl.lit("p-missing"))
        .otherwise(pl.col("profile_id")),
        match_probability=pl.when(pl.int_range(pl.len()) == 2)
        .then(pl.lit(1.5))
        .otherwise(pl.col("match_probability")),
    )
    write_deltalake(setup.links_uri, corrupted.to_arrow(), mode="overwrite")
    result = candidate_profile_links_are_valid(**setup.resources())
    assert not result.passed
    figures = {key: value.value for key, value in result.metadata.items()}
    assert figures["unknown_profile_ids"] == 1
    assert figures["probabilities_out_of_range"] == 1
    assert figures["duplicated_candidate_ids"] == 1


def test_incremental_docstring_examples() -> None:
    results = doctest.testmod(linkage.incremental, optionflags=doctest.ELLIPSIS)
    assert results.attempted > 0 and results.failed == 0


def test_retraining_on_the_same_data_keeps_the_version_and_a_new_threshold_relinks_all(
    first_run, tmp_path: Path
) -> None:
    setup = first_run[0].copy(tmp_path)
    version = setup.links()["model_version"][0]
    figures = metadata(setup.materialize(retrain=True))
    assert figures["model_trained"] is True
    assert figures["model_version"] == version  # training is seeded: same data, same model
    assert figures["candidates_considered"] == 0
    figures = metadata(setup.materialize(threshold=0.99))
    assert figures["relinked_all_because"] == "threshold changed (0.9 → 0.99)"
    assert figures["candidates_considered"] == figures["candidates_total"]
    by_model = setup.links().filter(pl.col("match_method") == "fellegi_sunter")
    assert by_model["match_probability"].min() >= 0.99


def test_a_recreated_candidates_table_relinks_all_and_rewrites_only_changes(
    first_run, tmp_path: Path
) -> None:
    setup = first_run[0].copy(tmp_path)
    before = setup.links()
    candidates = pl.read_delta(setup.candidates_uri)
    shutil.rmtree(setup.candidates_uri)
    write_deltalake(
        setup.candidates_uri,
        candidates.to_arrow(),
        configuration={"delta.enableChangeDataFeed": "true"},
    )
    figures = metadata(setup.materialize())
    assert figures["relinked_all_because"] == "normalized/candidates was recreated"
    assert figures["candidates_considered"] == candidates.height
    assert figures["links_inserted"] + figures["links_updated"] + figures["links_deleted"] == 0
    assert_frame_rows_equal(before, setup.links())


@pytest.mark.parametrize(
    ("feed", "changed", "removed"),
    [
        # An overwrite commit deletes and re-inserts every row: only real changes count.
        (
            [("1", "Ann", "delete", 3), ("1", "Ann", "insert", 3), ("2", "Bo", "delete", 3),
             ("2", "Bob", "insert", 3), ("3", "Cy", "delete", 3)],
            ["2"], ["3"],
        ),
        # Updated twice, back to where it was: nothing to re-link.
        (
            [("1", "Ann", "update_preimage", 4), ("1", "Anne", "update_postimage", 4),
             ("1", "Anne", "update_preimage", 5), ("1", "Ann", "update_postimage", 5)],
            [], [],
        ),
        # Deleted, then created again: a new candidate.
        ([("1", "Ann", "delete", 4), ("1", "Ann", "insert", 6)], [], []),
        ([("1", "Ann", "insert", 4), ("1", "Ann", "delete", 6)], [], ["1"]),
    ],
)  # fmt: skip
def test_change_feed_reduces_to_linkage_changes(feed, changed, removed) -> None:
    frame = pl.DataFrame(
        feed, schema=["candidate_id", "first_name", "_change_type", "_commit_version"], orient="row"
    ).with_columns(
        pl.lit(None, pl.String).alias(column)
        for column in linkage.incremental.LINKAGE_COLUMNS
        if column != "first_name"
    )
    changes = linkage.incremental.candidate_changes(frame)
    assert changes.rows["candidate_id"].to_list() == changed
    assert changes.removed == removed


def test_delta_corpus_versions_and_reads_as_of(tmp_path: Path) -> None:
    uri = str(tmp_path / "corpus")
    write_deltalake(uri, pl.DataFrame({"profile_id": ["p1"]}).to_arrow())
    corpus = ProfileCorpusResource(uri=uri)
    assert corpus.version() == "delta-v0"
    write_deltalake(uri, pl.DataFrame({"profile_id": ["p2"]}).to_arrow(), mode="append")
    assert corpus.version() == "delta-v1"
    assert corpus.read(as_of="delta-v0")["profile_id"].to_list() == ["p1"]
    assert corpus.read(columns=["profile_id"]).height == 2


def test_corpus_sensor_runs_the_linkage_only_for_a_new_corpus_version(
    first_run, tmp_path: Path
) -> None:
    from pipelines.sensors import profile_corpus_sensor

    setup = first_run[0].copy(tmp_path)

    def tick():
        return profile_corpus_sensor(dg.build_sensor_context(resources=setup.resources()))

    setup.materialize()  # the copy's corpus file is a new version to the digest; link it
    assert isinstance(tick(), dg.SkipReason)  # the corpus the last run linked
    profiles = pl.read_parquet(setup.corpus)
    pl.concat([profiles, new_profile(profiles)]).write_parquet(setup.corpus)
    request = tick()
    assert isinstance(request, dg.RunRequest)
    assert request.tags["corpus_version"] == ProfileCorpusResource(uri=str(setup.corpus)).version()
    setup.materialize()
    assert isinstance(tick(), dg.SkipReason)  # linked now
