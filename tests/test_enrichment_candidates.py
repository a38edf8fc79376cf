"""The enriched row (ATS beside profile) and the index document made from it."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import polars as pl
import pytest
from deltalake import write_deltalake

from enrichment.candidates import ENRICHED_SCHEMA, enrich_candidates
from enrichment.incremental import EnrichmentInputs, EnrichOptions, enrich_changes, stale_ids
from enrichment.resume import Vocabulary
from search_index.documents import location_values, to_document
from search_index.schema import DOCUMENT_FIELDS, MAX_TEXT_CHARS

AS_OF = date(2026, 11, 1)
SKILLS = Vocabulary.build(["Python", "Kubernetes", "C++"])
TITLES = Vocabulary.build(["Data Engineer", "Software Engineer"])
UTC_TS = pl.Datetime("us", "UTC")


def candidates_frame() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "candidate_id": ["1", "2"],
            "first_name": ["Ana", "Bo"],
            "last_name": ["Díaz", "Li"],
            "emails": [["ana@old-mail.test"], ["bo@mail.test"]],
            "phones": [["+15125550100"], []],
            "city": ["Austin", "Toronto"],
            "state": ["TX", "ON"],
            "country": ["US", "CA"],
            "linkedin_url": ["linkedin.com/in/ana-ats", None],
            "application_type": ["Candidate", "Prospect"],
            "status": ["Rejected", None],
            "updated_at": [datetime(2026, 10, 1, tzinfo=UTC), datetime(2026, 9, 1, tzinfo=UTC)],
            "is_active": [True, False],
            "source": ["api", "datacopy"],
            "resume_text": [
                "Data Engineer with Python, Kubernetes and C++ (not C).",
                "Software Engineer; python scripting.",
            ],
            "aliases": [[], []],
        },
        schema_overrides={"updated_at": UTC_TS},
    )


def applications_frame() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "candidate_id": ["1", "1", "9"],
            "job_id": ["100", "200", "300"],
            "job_title": ["Data Engineer", "Analyst", "Other"],
            "status": ["Rejected", "Submitted", "Applied"],
            "updated_at": [
                datetime(2026, 10, 1, tzinfo=UTC),
                datetime(2026, 8, 1, tzinfo=UTC),
                datetime(2026, 8, 1, tzinfo=UTC),
            ],
            "recruiter_id": ["7", "8", "8"],
            "recruiter_name": ["Pat Lee", "Sam Roe", "Sam Roe"],
        },
        schema_overrides={"updated_at": UTC_TS},
    )


def links_frame() -> pl.DataFrame:
    evidence = [{"comparison": "email", "level": "exact", "weight": 9.5}]
    return pl.DataFrame(
        {
            "candidate_id": ["1"],
            "profile_id": ["p1"],
            "match_probability": [0.9993],
            "match_method": ["fellegi_sunter"],
            "evidence": [evidence],
            "linked_at": [datetime(2026, 10, 2, tzinfo=UTC)],
        },
        schema_overrides={"linked_at": UTC_TS},
    )


def profiles_frame(diversity: dict | None = None) -> pl.DataFrame:
    positions = [
        {"company": "Acme", "title": "Lead Data Engineer", "start": date(2022, 1, 1), "end": None,
         "industry": "Software", "company_size": "201-500"},
        {"company": "Globex", "title": "Data Engineer", "start": date(2018, 1, 1),
         "end": date(2022, 6, 30), "industry": "Retail", "company_size": "10001+"},
    ]  # fmt: skip
    return pl.DataFrame(
        {
            "profile_id": ["p1", "p2"],
            "first_name": ["Ana", "X"],
            "last_name": ["Diaz", "Y"],
            "full_name": ["Ana Diaz", "X Y"],
            "emails": [["ana@new-mail.test"], []],
            "linkedin_url": ["https://www.linkedin.com/in/ana-profile/", None],
            "headline": ["Data platforms", None],
            "location": ["Austin, Texas", None],
            "positions": [positions, []],
            "education": [[{"school": "UT Austin", "degree": "BSc", "major": "CS",
                            "start": date(2010, 1, 1), "end": date(2014, 1, 1)}], []],
            "skills": [["Spark", "Python"], []],
            "certifications": [["CKA"], []],
            "languages": [["Spanish"], []],
            "groups": [[], []],
            "interests": [[], []],
            "honors": [[], []],
            "social_links": [[], []],
            "diversity": [diversity, None],
        }
    )  # fmt: skip


def enrich(**overrides) -> pl.DataFrame:
    inputs = {
        "candidates": candidates_frame(),
        "applications": applications_frame(),
        "attachments": pl.DataFrame(schema={"candidate_id": pl.String}),
        "links": links_frame(),
        "profiles": profiles_frame(),
    } | overrides
    return enrich_candidates(
        inputs["candidates"], inputs["applications"], inputs["attachments"], inputs["links"],
        inputs["profiles"], as_of=AS_OF, skills=SKILLS, titles=TITLES,
    )  # fmt: skip


def test_ats_values_stay_and_profile_values_sit_beside_them() -> None:
    rows = {row["candidate_id"]: row for row in enrich().iter_rows(named=True)}
    ana = rows["1"]
    assert ana["emails"] == ["ana@old-mail.test"]
    assert ana["profile_emails"] == ["ana@new-mail.test"]
    assert ana["linkedin_url"] == "linkedin.com/in/ana-ats"
    assert ana["profile_linkedin_url"] == "linkedin.com/in/ana-profile"
    assert ana["last_name"] == "Díaz" and ana["profile_name"] == "Ana Diaz"
    assert ana["current_title"] == "Lead Data Engineer"
    assert ana["current_company"] == "Acme"
    assert ana["past_companies"] == ["Globex"]
    assert ana["years_of_experience"] == pytest.approx(8.8, abs=0.05)
    assert ana["years_in_current_role"] == pytest.approx(4.8, abs=0.05)
    assert ana["match_method"] == "fellegi_sunter"
    assert ana["match_evidence"][0]["comparison"] == "email"


def test_unmatched_candidates_keep_their_ats_data_only() -> None:
    bo = enrich().filter(pl.col("candidate_id") == "2").row(0, named=True)
    assert bo["profile_id"] is None and bo["profile_linkedin_url"] is None
    assert bo["current_title"] is None and bo["past_companies"] is None
    assert bo["emails"] == ["bo@mail.test"] and bo["is_active"] is False


def test_applications_are_the_candidates_own_newest_first() -> None:
    ana = enrich().filter(pl.col("candidate_id") == "1").row(0, named=True)
    assert [app["job_id"] for app in ana["applications"]] == ["100", "200"]
    bo = enrich().filter(pl.col("candidate_id") == "2").row(0, named=True)
    assert bo["applications"] == []


def test_resume_terms_are_extracted_for_everyone() -> None:
    rows = {row["candidate_id"]: row for row in enrich().iter_rows(named=True)}
    assert rows["1"]["resume_skills"] == ["Python", "Kubernetes", "C++"]
    assert rows["1"]["resume_titles"] == ["Data Engineer"]
    assert rows["2"]["resume_skills"] == ["Python"]  # unmatched too
    assert rows["2"]["resume_titles"] == ["Software Engineer"]


def test_diversity_only_when_the_corpus_supplies_it() -> None:
    without = enrich().filter(pl.col("candidate_id") == "1").row(0, named=True)
    assert without["diversity_gender"] is None
    given = enrich(profiles=profiles_frame({"gender": "Female", "ethnicity": "", "veteran": None,
                                           "disability": None}))  # fmt: skip
    ana = given.filter(pl.col("candidate_id") == "1").row(0, named=True)
    assert ana["diversity_gender"] == "Female" and ana["diversity_ethnicity"] is None


def test_the_row_hash_ignores_the_day_only() -> None:
    first = enrich()
    later = enrich_candidates(
        candidates_frame(), applications_frame(), pl.DataFrame(schema={"candidate_id": pl.String}),
        links_frame(), profiles_frame(), as_of=AS_OF, skills=SKILLS, titles=TITLES,
    )  # fmt: skip
    assert first["row_hash"].to_list() == later["row_hash"].to_list()
    moved = enrich_candidates(
        candidates_frame().with_columns(city=pl.lit("Dallas")), applications_frame(),
        pl.DataFrame(schema={"candidate_id": pl.String}), links_frame(), profiles_frame(),
        as_of=AS_OF, skills=SKILLS, titles=TITLES,
    )  # fmt: skip
    assert first["row_hash"].to_list() != moved["row_hash"].to_list()
    assert list(first.schema) == list(ENRICHED_SCHEMA)


# --- documents -------------------------------------------------------------------------------


def test_documents_carry_terms_facets_and_composites() -> None:
    ana = to_document(enrich().filter(pl.col("candidate_id") == "1").row(0, named=True))
    assert set(ana) <= set(DOCUMENT_FIELDS)
    assert ana["job_status"] == ["100|Rejected", "200|Submitted"]
    assert ana["recruiter_names"] == ["Pat Lee", "Sam Roe"]
    assert "data engineer" in ana["title_terms"] and "lead data engineer" in ana["title_terms"]
    assert ana["current_company_terms"] == ["acme"]
    assert ana["past_company_terms"] == ["globex"]
    assert ana["skills"] == ["Spark", "Python", "Kubernetes", "C++"]
    assert "c++" in ana["skill_terms"]
    assert {"austin", "tx", "texas", "austin tx"} <= set(ana["location_terms"])
    assert ana["location"] == "Austin, TX"
    assert ana["updated_at_ts"] == int(datetime(2026, 10, 1, tzinfo=UTC).timestamp())
    assert ana["is_matched"] is True and ana["match_probability"] == 0.9993
    bo = to_document(enrich().filter(pl.col("candidate_id") == "2").row(0, named=True))
    assert bo["is_matched"] is False and bo["is_active"] is False
    assert "profile_id" not in bo and "current_title" not in bo
    assert bo["location"] == "Toronto, ON, CA"


def test_long_texts_are_cut_and_flagged() -> None:
    long = candidates_frame().with_columns(resume_text=pl.lit("python " * 20_000))
    doc = to_document(enrich(candidates=long).row(0, named=True))
    assert len(doc["resume_text"]) == MAX_TEXT_CHARS and doc["resume_text_truncated"] is True


def test_location_values_name_the_state_both_ways() -> None:
    assert location_values("Austin", "TX", "US")[:4] == ["austin", "austin tx", "tx", "texas"]
    assert location_values(None, None, None) == []


# --- the incremental run ---------------------------------------------------------------------


class FakeCorpus:
    def __init__(self, frame: pl.DataFrame, version: str = "v1") -> None:
        self.frame, self._version = frame, version

    def version(self) -> str:
        return self._version

    def read(self, columns=None, as_of=None) -> pl.DataFrame:
        return self.frame.select(columns) if columns else self.frame


def _lake(tmp_path: Path) -> EnrichmentInputs:
    config = {"delta.enableChangeDataFeed": "true"}
    inputs = EnrichmentInputs(
        candidates_uri=str(tmp_path / "candidates"),
        applications_uri=str(tmp_path / "applications"),
        attachments_uri=str(tmp_path / "attachments"),
        links_uri=str(tmp_path / "links"),
        enriched_uri=str(tmp_path / "enriched"),
    )
    write_deltalake(inputs.candidates_uri, candidates_frame().to_arrow(), configuration=config)
    write_deltalake(inputs.applications_uri, applications_frame().to_arrow(), configuration=config)
    write_deltalake(inputs.links_uri, links_frame().to_arrow(), configuration=config)
    return inputs


def test_a_run_builds_only_changed_candidates_and_writes_only_changed_rows(tmp_path) -> None:
    inputs = _lake(tmp_path)
    corpus = FakeCorpus(profiles_frame())
    first = enrich_changes(inputs, corpus, EnrichOptions(as_of=AS_OF))
    assert first.rebuilt_all_because == "first run"
    assert (first.rows_inserted, first.rows_total, first.matched_total) == (2, 2, 1)

    again = enrich_changes(inputs, corpus, EnrichOptions(as_of=AS_OF))
    assert again.candidates_built == 0 and again.rows_updated == 0

    from deltalake import DeltaTable

    DeltaTable(inputs.candidates_uri).update({"city": "'Dallas'"}, predicate="candidate_id = '2'")
    changed = enrich_changes(inputs, corpus, EnrichOptions(as_of=AS_OF))
    assert changed.changed_by_input["candidates"] == 1
    assert (changed.candidates_built, changed.rows_updated) == (1, 1)

    DeltaTable(inputs.candidates_uri).delete("candidate_id = '1'")
    removed = enrich_changes(inputs, corpus, EnrichOptions(as_of=AS_OF))
    assert removed.rows_deleted == 1 and removed.rows_total == 1

    new_corpus = FakeCorpus(profiles_frame(), version="v2")
    relinked = enrich_changes(inputs, new_corpus, EnrichOptions(as_of=AS_OF))
    assert relinked.rebuilt_all_because == "new corpus version v2"
    assert relinked.rows_updated == 0  # built again, nothing changed


def test_stale_rows_are_refreshed_spread_over_days(tmp_path) -> None:
    inputs = _lake(tmp_path)
    enrich_changes(inputs, FakeCorpus(profiles_frame()), EnrichOptions(as_of=AS_OF))
    from deltalake import DeltaTable

    table = DeltaTable(inputs.enriched_uri)
    assert stale_ids(table, AS_OF, 90) == set()
    assert stale_ids(table, date(2027, 6, 1), 90) == {"1", "2"}  # past 180 days: all due
    assert stale_ids(table, AS_OF, 0) == set()
