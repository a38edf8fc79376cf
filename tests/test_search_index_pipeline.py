"""Enrichment and the published index on a sandbox world taken through every stage."""

from __future__ import annotations

import time

import meilisearch
import polars as pl
import pytest
from deltalake import DeltaTable
from meilisearch.errors import MeilisearchApiError

from resources.meilisearch import SEARCH_KEY_NAME
from search_index.publisher import MeiliPublisher
from tests.pipeline_world import (
    DOWNSTREAM,
    INDEX,
    PipelineWorld,
    build_pipeline_world,
    enrichment_metadata,
    index_metadata,
)


def _all_ids(client: meilisearch.Client, uid: str) -> set[str]:
    documents = client.index(uid).get_documents({"fields": ["candidate_id"], "limit": 100_000})
    return {doc.candidate_id for doc in documents.results}


def _table(setup: PipelineWorld, *path: str) -> pl.DataFrame:
    return pl.read_delta(str(setup.lake.joinpath(*path)))


@pytest.fixture(scope="module")
def pipeline(tmp_path_factory: pytest.TempPathFactory, service_env) -> PipelineWorld:
    root = tmp_path_factory.mktemp("search_index")
    uid = f"test_pipeline_{int(time.time() * 1000)}"
    setup = build_pipeline_world(root, service_env, uid)
    yield setup
    client = setup.client()
    for index in client.get_raw_indexes({"limit": 1000})["results"]:
        if index["uid"].startswith(uid):
            client.delete_index(index["uid"])


def test_every_live_candidate_is_one_document(pipeline: PipelineWorld) -> None:
    live = set(_table(pipeline, "normalized", "candidates")["candidate_id"].to_list())
    assert _all_ids(pipeline.client(), pipeline.index_uid) == live
    enriched = _table(pipeline, "enriched", "enriched_candidates")
    assert enriched["candidate_id"].is_unique().all()
    assert set(enriched["candidate_id"].to_list()) == live


def test_deleted_redacted_and_merged_candidates_are_not_in_the_index(pipeline) -> None:
    tombstones = _table(pipeline, "normalized", "tombstones")
    gone = set(tombstones["candidate_id"].to_list())
    assert set(tombstones["kind"].to_list()) >= {"deleted", "redacted", "merged"}
    assert gone and not gone & _all_ids(pipeline.client(), pipeline.index_uid)


def test_a_former_employer_finds_the_matched_candidate(pipeline: PipelineWorld) -> None:
    enriched = _table(pipeline, "enriched", "enriched_candidates")
    matched = enriched.filter(
        pl.col("profile_id").is_not_null() & (pl.col("past_companies").list.len() > 0)
    )
    assert matched.height > 50
    index = pipeline.client().index(pipeline.index_uid)
    for row in matched.head(5).iter_rows(named=True):
        company = row["past_companies"][-1]
        found = index.search(
            company, {"hitsPerPage": 1000, "attributesToRetrieve": ["candidate_id"]}
        )
        assert row["candidate_id"] in {hit["candidate_id"] for hit in found["hits"]}, company


def test_ats_values_stay_and_profile_values_sit_beside_them(pipeline: PipelineWorld) -> None:
    enriched = _table(pipeline, "enriched", "enriched_candidates")
    index = pipeline.client().index(pipeline.index_uid)
    differing = enriched.filter(
        pl.col("profile_id").is_not_null()
        & (pl.col("profile_emails").list.len() > 0)
        & (pl.col("emails").list.len() > 0)
        & (pl.col("emails").list.first() != pl.col("profile_emails").list.first())
    )
    assert differing.height > 0
    row = differing.row(0, named=True)
    doc = index.get_document(row["candidate_id"])
    assert doc.emails == row["emails"]
    assert doc.is_matched is True and doc.profile_id == row["profile_id"]

    unmatched = enriched.filter(pl.col("profile_id").is_null()).row(0, named=True)
    doc = dict(index.get_document(unmatched["candidate_id"]))
    assert doc["is_matched"] is False
    for field in ("profile_id", "profile_linkedin_url", "current_title", "match_method"):
        assert field not in doc
    assert doc["name"] == f"{unmatched['first_name']} {unmatched['last_name']}".strip()


def test_resume_skills_are_extracted_for_everyone(pipeline: PipelineWorld) -> None:
    enriched = _table(pipeline, "enriched", "enriched_candidates")
    with_resume = enriched.filter(pl.col("resume_text").str.len_chars() > 200)
    for matched in (True, False):
        group = with_resume.filter(pl.col("profile_id").is_not_null() == matched)
        share = (group["resume_skills"].list.len() > 0).mean()
        assert share > 0.8, (matched, share)


def test_the_search_key_searches_but_cannot_write(pipeline: PipelineWorld) -> None:
    publisher = MeiliPublisher(pipeline.client())
    key = publisher.search_key(pipeline.index_uid, SEARCH_KEY_NAME)
    assert key != pipeline.meili.meili_master_key
    reader = meilisearch.Client(pipeline.meili.meili_url, key)
    assert reader.index(pipeline.index_uid).search("", {"limit": 1})["hits"]
    with pytest.raises(MeilisearchApiError):
        reader.index(pipeline.index_uid).add_documents([{"candidate_id": "1"}])


def _touch_candidates(setup: PipelineWorld, ids: list[str]) -> None:
    """A day's change: the candidates' city changes (as a normalized run would write it)."""
    uri = str(setup.lake / "normalized" / "candidates")
    table = DeltaTable(uri)
    source = (
        pl.read_delta(uri)
        .filter(pl.col("candidate_id").is_in(ids))
        .with_columns(city=pl.lit("Zyxwville"))
    )
    (
        table.merge(source.to_arrow(), "t.candidate_id = s.candidate_id", "s", "t")
        .when_matched_update_all()
        .execute()
    )


def _delete_candidates(setup: PipelineWorld, ids: list[str]) -> None:
    table = DeltaTable(str(setup.lake / "normalized" / "candidates"))
    quoted = ", ".join(f"'{cid}'" for cid in ids)
    table.delete(f"candidate_id IN ({quoted})")


def test_an_incremental_day_sends_only_the_changed_documents(pipeline: PipelineWorld) -> None:
    live = sorted(_table(pipeline, "normalized", "candidates")["candidate_id"].to_list())
    changed, deleted = live[:4], live[4:5]  # about 1 % of the world

    full = index_metadata(pipeline.downstream(rebuild=True))
    assert full["mode"] == "full"
    assert full["documents_added"] == len(live)

    _touch_candidates(pipeline, changed)
    _delete_candidates(pipeline, deleted)
    enrich = enrichment_metadata(pipeline.run(DOWNSTREAM))
    assert enrich["candidates_built"] == len(changed)
    assert (enrich["rows_updated"], enrich["rows_deleted"]) == (len(changed), len(deleted))
    figures = index_metadata(pipeline.run(INDEX))
    assert figures["mode"] == "incremental"
    assert figures["documents_added"] == len(changed)
    assert figures["documents_deleted"] == len(deleted)

    index = pipeline.client().index(pipeline.index_uid)
    for cid in changed:
        assert index.get_document(cid).city == "Zyxwville"
    assert deleted[0] not in _all_ids(pipeline.client(), pipeline.index_uid)
    print(f"publish: full {full['seconds']} incremental {figures['seconds']}")

    again = index_metadata(pipeline.run(INDEX))
    assert again["mode"] == "noop" and again["documents_added"] == 0
