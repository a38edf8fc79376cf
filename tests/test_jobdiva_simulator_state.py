"""State moves only through "now", /__admin and the write endpoints, and reads see every change."""

from __future__ import annotations

from pathlib import Path

import httpx
import polars as pl
import pytest

from tests.sim_world import (
    REF,
    WorldBuilder,
    bi,
    dt,
    ids_of,
    reference_world,
    rows,
    serve,
    window,
)

NOW = "2024-03-31T18:00:00"
LAST_DAY = window("2024-03-31T00:00:00", NOW)


@pytest.fixture(scope="module")
def world_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return reference_world().write(tmp_path_factory.mktemp("state-world"))


@pytest.fixture
def api(world_dir: Path):
    """A fresh admin-enabled simulator per test: these tests change the state."""
    with serve(world_dir, admin=True) as served:
        yield served


def _get(api, name: str, params=None) -> httpx.Response:
    http, token = api
    return bi(http, token, name, params)


def _write(api, name: str, body: object) -> httpx.Response:
    http, token = api
    return http.post(f"/apiv2/jobdiva/{name}", json=body, headers={"Authorization": token})


def _admin(api, path: str, body: object) -> httpx.Response:
    return api[0].post(f"/__admin/{path}", json=body)


def _candidate(api, candidate_id: int) -> dict[str, str] | None:
    found = rows(_get(api, "CandidatesDetail", {"candidateIds": candidate_id}))
    return found[0] if found else None


# ----- the admin surface ---------------------------------------------------------------------


def test_admin_surface_is_off_by_default(world_dir: Path) -> None:
    with serve(world_dir) as (http, token):
        for response in (
            http.get("/__admin/state"),
            http.post("/__admin/advance", json={"days": 1}),
            http.post("/__admin/faults", json={"rate_5xx": 1.0}, headers={"Authorization": token}),
        ):
            assert response.status_code in (401, 404)
        assert rows(bi(http, token, "CandidatesDetail", {"candidateIds": REF.plain}))


def test_state_reports_now_and_counts(api) -> None:
    state = api[0].get("/__admin/state").json()
    assert state["now"] == NOW
    assert state["counts"]["candidates"] == 10 + len(REF.bulk_ids) - 1  # 106 is in the future
    assert state["counts"]["deleted"] == state["counts"]["merged"] == 1


def test_advancing_now_reveals_rows_from_the_future(api) -> None:
    assert _candidate(api, REF.future_created) is None
    assert _admin(api, "advance", {"days": 6}).json()["now"] == "2024-04-06T18:00:00"
    assert _candidate(api, REF.future_created) is not None
    assert _candidate(api, REF.future_version)["EMAIL"] == "new105@example.com"
    april = window("2024-04-01T00:00:00", "2024-04-06T23:59:59")
    feed = ids_of(_get(api, "NewUpdatedCandidateRecords", april))
    assert feed == [REF.future_version, REF.future_created]
    assert ids_of(_get(api, "JobsDetail", {"jobIds": REF.job_future}), "ID") == [REF.job_future]
    march = window("2024-03-01T00:00:00", "2024-03-14T23:59:59")
    applications = rows(_get(api, "CandidateApplicationRecords", march))
    assert applications[-1]["ACTION"] == "Rejected"


def test_advance_to_a_timestamp_and_bad_requests(api) -> None:
    moved = _admin(api, "advance", {"to": "2024-04-02T10:00:00"}).json()
    assert moved["now"] == "2024-04-02T10:00:00"
    assert _candidate(api, REF.future_created) is not None  # created exactly at now
    assert _admin(api, "advance", {}).status_code == 400
    assert _admin(api, "advance", {"to": "tomorrow"}).status_code == 400


def test_admin_creates_and_updates_candidates_at_now(api) -> None:
    created = _admin(api, "candidates", {"first_name": "Nova", "email": "nova@x.test"}).json()
    assert created["created"] is True
    new_id = created["candidate_id"]
    (row,) = rows(_get(api, "NewUpdatedCandidateRecords", LAST_DAY))
    assert (int(row["CANDIDATEID"]), row["FIRSTNAME"], row["DATECREATED"]) == (
        new_id,
        "Nova",
        NOW,
    )
    updated = _admin(api, "candidates", {"candidate_id": REF.plain, "city": "Paris"}).json()
    assert updated["created"] is False
    after = _candidate(api, REF.plain)
    assert (after["CITY"], after["DATEUPDATED"]) == ("Paris", NOW)
    assert after["DATECREATED"] == "2024-03-04T09:00:00"
    assert after["FIRSTNAME"] == "Ada"
    assert _admin(api, "candidates", {"favourite_colour": "red"}).status_code == 400
    assert _admin(api, "candidates", {"candidate_id": REF.deleted}).status_code == 409


def test_admin_tombstones_apply_at_now(api) -> None:
    day_applied = window("2024-03-06T00:00:00", "2024-03-06T00:00:00")
    assert ids_of(_get(api, "CandidateApplicationRecords", day_applied)) == [REF.plain]
    assert _admin(api, "tombstones", {"candidate_id": REF.plain, "kind": "deleted"}).is_success
    assert _candidate(api, REF.plain) is None
    assert ids_of(_get(api, "CandidateApplicationRecords", day_applied)) == []
    assert rows(_get(api, "DeletedCandidateRecords", LAST_DAY)) == [
        {"CANDIDATEID": str(REF.plain), "DATEDELETED": NOW}
    ]
    merge = {"candidate_id": REF.at_from_bound, "kind": "merged"}
    assert _admin(api, "tombstones", merge).status_code == 400  # no survivor given
    merge["merged_to_candidate_id"] = REF.at_to_bound
    assert _admin(api, "tombstones", merge).is_success
    (merged,) = rows(_get(api, "MergedCandidates", LAST_DAY))
    assert merged["MERGEDTOCANDIDATEID"] == str(REF.at_to_bound)
    redact = {"candidate_id": REF.at_to_bound, "kind": "redacted", "privacy_mask": 8}
    assert _admin(api, "tombstones", redact).is_success
    masked = _candidate(api, REF.at_to_bound)
    assert masked["CELLPHONE"] == masked["PHONE1"] == "Inaccessible"
    assert masked["FIRSTNAME"] == f"First{REF.at_to_bound}"
    again = _admin(api, "tombstones", {"candidate_id": REF.deleted, "kind": "deleted"})
    assert again.status_code == 404
    assert _admin(api, "tombstones", {"candidate_id": 1, "kind": "vanished"}).status_code == 400


# ----- write endpoints -----------------------------------------------------------------------


def test_create_candidate_returns_a_plain_id_and_shows_up_in_reads(api) -> None:
    body = {
        "firstName": "Linus",
        "lastName": "Torvalds",
        "email": "linus@x.test",
        "zipCode": "97201",
        "unknownField": {"ignored": True},
        "titleskillcertifications": [{"titleskillcertification": "Kernel"}],
    }
    response = _write(api, "createCandidate", body)
    assert response.status_code == 200
    assert response.text.isdigit()
    new_id = response.json()
    detail = _candidate(api, new_id)
    assert (detail["FIRSTNAME"], detail["EMAIL"], detail["ZIPCODE"]) == (
        "Linus",
        "linus@x.test",
        "97201",
    )
    (feed_row,) = rows(_get(api, "NewUpdatedCandidateRecords", LAST_DAY))
    assert (int(feed_row["CANDIDATEID"]), feed_row["DATECREATED"]) == (new_id, NOW)


def test_create_candidate_without_email_gets_a_placeholder(api) -> None:
    new_id = _write(api, "createCandidate", {"firstName": "No", "lastName": "Mail"}).json()
    assert _candidate(api, new_id)["EMAIL"] == f"Auto_{new_id}@jobdiva.com"


@pytest.mark.parametrize("missing", ["firstName", "lastName"])
def test_create_candidate_requires_names(api, missing: str) -> None:
    body = {"firstName": "A", "lastName": "B", "email": "ab@x.test"} | {missing: ""}
    response = _write(api, "createCandidate", body)
    assert response.status_code == 500
    assert missing in response.json()["message"]
    assert api[0].get("/__admin/state").json()["generation"] == 0


def test_create_candidate_with_a_taken_email_violates_the_unique_index(api) -> None:
    body = {"firstName": "Ada", "lastName": "Again", "email": "ADA@example.com"}
    response = _write(api, "createCandidate", body)
    assert response.status_code == 500
    assert response.json()["message"] == (
        "ORA-00001: unique constraint (JOBDIVA.IDX_TCANDIDATE_EMAIL) violated"
    )


def test_create_job_application(api) -> None:
    body = {"candidateid": REF.updated, "jobid": REF.job_filled, "resumesource": 3}
    response = _write(api, "createJobApplication", body)
    assert (response.status_code, response.text) == (200, "true")
    (row,) = rows(_get(api, "CandidateApplicationRecords", LAST_DAY))
    assert (row["CANDIDATEID"], row["JOBID"], row["DATEAPPLIED"]) == (
        str(REF.updated),
        str(REF.job_filled),
        NOW,
    )
    unknown = _write(api, "createJobApplication", {"candidateid": 424242, "jobid": REF.job_open})
    assert unknown.status_code == 500
    assert unknown.json()["message"] == "Error: Candidate(424242) is not found."


def test_update_social_network_links(api) -> None:
    links = [
        {"name": "LinkedIn", "link": "https://linkedin.com/in/grace-h"},
        {"name": "GitHub", "link": "https://github.com/grace"},
    ]
    response = _write(
        api, "updateCandidateSNLinks", {"candidateid": REF.updated, "socialnetworks": links}
    )
    assert (response.status_code, response.text) == (200, "true")
    assert _candidate(api, REF.updated)["LINKEDIN"] == "https://linkedin.com/in/grace-h"
    invalid = [{"name": "Facebook", "link": "https://facebook.com/grace"}]
    refused = _write(
        api, "updateCandidateSNLinks", {"candidateid": REF.updated, "socialnetworks": invalid}
    )
    assert refused.status_code == 500
    assert refused.json()["message"] == "Invalid Social Network Name (Facebook)"


def test_update_candidate_profile_checks_email_uniqueness(api) -> None:
    ok = _write(api, "updateCandidateProfile", {"candidateid": REF.plain, "city": "Rome"})
    assert ok.text == "true"
    assert _candidate(api, REF.plain)["CITY"] == "Rome"
    taken = {"candidateid": REF.updated, "email": "ada@example.com"}
    assert _write(api, "updateCandidateProfile", taken).status_code == 500


def test_writes_need_a_token_and_valid_json(api) -> None:
    http, token = api
    anonymous = http.post(
        "/apiv2/jobdiva/createCandidate", json={"firstName": "A", "lastName": "B"}
    )
    assert anonymous.status_code == 401
    malformed = http.post(
        "/apiv2/jobdiva/createCandidate",
        content=b"{not json",
        headers={"Authorization": token, "Content-Type": "application/json"},
    )
    assert malformed.status_code == 400
    assert malformed.json()["apierror"]["message"] == "Malformed JSON request"


def test_loader_tolerates_extra_columns_missing_tables_and_aware_timestamps(
    tmp_path: Path,
) -> None:
    world = WorldBuilder(history_start=dt("2024-03-01T00:00:00"), history_end=dt(NOW))
    world.candidate(REF.plain, dt("2024-03-04T09:00:00"), first_name="Ada")
    world_dir = world.write(tmp_path / "odd-world")
    versions = pl.read_parquet(world_dir / "candidate_versions.parquet").with_columns(
        pl.lit("legacy").alias("source_system"),
        pl.col("created_at").dt.replace_time_zone("America/New_York").dt.convert_time_zone("UTC"),
    )
    versions.write_parquet(world_dir / "candidate_versions.parquet")
    (world_dir / "jobs.parquet").unlink()
    with serve(world_dir, admin=True) as api:
        assert _candidate(api, REF.plain)["DATECREATED"] == "2024-03-04T09:00:00"
        assert rows(_get(api, "JobsDetail", {"jobIds": 1})) == []
        assert _admin(api, "candidates", {"candidate_id": REF.plain, "city": "Oslo"}).is_success
        assert _candidate(api, REF.plain)["CITY"] == "Oslo"
