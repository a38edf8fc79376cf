"""BI reads follow JobDiva's envelope, string, date-window, id-list and column conventions."""

from __future__ import annotations

import base64
import re
from pathlib import Path

import httpx
import pytest

from tests.sim_world import REF, bi, ids_of, reference_world, rows, serve, window

MARCH_FIRST_HALF = window("2024-03-01T00:00:00", "2024-03-14T23:59:59")
QUEUE_TIMESTAMP = re.compile(r"^\d{2}-\d{2}-\d{4} \d{2}:\d{2}:\d{2}$")


@pytest.fixture(scope="module")
def world_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return reference_world().write(tmp_path_factory.mktemp("bi-world"))


@pytest.fixture(scope="module")
def api(world_dir: Path):
    with serve(world_dir) as served:
        yield served


def _get(api, name: str, params=None, *, v1: bool = False) -> httpx.Response:
    http, token = api
    return bi(http, token, name, params, v1=v1)


# ----- envelope and values -------------------------------------------------------------------


def test_envelope_uppercase_keys_and_string_values(api) -> None:
    response = _get(api, "NewUpdatedCandidateRecords", MARCH_FIRST_HALF)
    body = response.json()
    assert set(body) == {"message", "data"}
    assert body["message"] == 'Query "New/Updated Candidate Records" completed successfully'
    assert len(body["data"]) > 1
    for row in body["data"]:
        assert all(key == key.upper() for key in row)
        assert all(isinstance(value, str) for value in row.values())
    plain = next(row for row in body["data"] if row["CANDIDATEID"] == str(REF.plain))
    assert plain["DATECREATED"] == "2024-03-04T09:00:00"


def test_sql_null_is_an_empty_string(api) -> None:
    (row,) = rows(_get(api, "CandidatesDetail", {"candidateIds": REF.plain}))
    assert row["ALTERNATEEMAIL"] == ""
    assert row["ADDRESS2"] == ""
    assert row["DATEPROFILEUPDATED"] == ""
    assert row["CURRENTSALARY"] == "120000"
    assert row["RESUMECOUNT"] == "1"


def test_one_row_comes_back_as_a_bare_object(api) -> None:
    data = _get(api, "CandidatesDetail", {"candidateIds": REF.plain}).json()["data"]
    assert isinstance(data, dict)
    assert data["ID"] == str(REF.plain)
    two = _get(api, "CandidatesDetail", {"candidateIds": f"{REF.plain},{REF.updated}"})
    assert isinstance(two.json()["data"], list)


def test_empty_result_shapes(api, world_dir: Path) -> None:
    assert _get(api, "CandidatesDetail", {"candidateIds": 999999}).json()["data"] == []
    with serve(world_dir, empty_data="null") as (http, token):
        response = bi(http, token, "CandidatesDetail", {"candidateIds": 999999})
        assert response.json() == {
            "message": 'Query "Candidates Detail" completed successfully',
            "data": None,
        }


def test_literal_null_quirk_on_listed_text_columns(world_dir: Path) -> None:
    with serve(world_dir, null_literal_rate=1.0) as (http, token):
        (row,) = rows(bi(http, token, "CandidatesDetail", {"candidateIds": REF.plain}))
        assert row["ALTERNATEEMAIL"] == "Null"
        assert row["FAX"] == "Null"
        assert row["DATEPROFILEUPDATED"] == ""  # not a column the quirk touches
        assert row["EMAIL"] == "ada@example.com"  # filled values never become "Null"


def test_v1_answers_arrays_with_a_header_row_unless_alternate_format(api) -> None:
    ids = {"candidateIds": f"{REF.plain},{REF.updated}"}
    header, *values = _get(api, "CandidatesDetail", ids, v1=True).json()["data"]
    assert header[:3] == ["ID", "FIRSTNAME", "LASTNAME"]
    assert [row[0] for row in values] == [str(REF.plain), str(REF.updated)]
    assert all(len(row) == len(header) for row in values)
    objects = _get(api, "CandidatesDetail", ids | {"alternateFormat": "TRUE"}, v1=True)
    assert [row["ID"] for row in rows(objects)] == [str(REF.plain), str(REF.updated)]


# ----- dates and windows ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    [
        "2024-03-01",
        "2024-03-01T00:00:00",
        "03/01/2024",
        "3/1/2024 00:00:00",
        "13/01/2024 00:00:00",
        "03/01/2024 24:00:00",
    ],
)
def test_unparsable_dates_get_the_400_apierror_wrapper(api, raw: str) -> None:
    params = {"fromDate": raw, "toDate": "03/02/2024 00:00:00"}
    response = _get(api, "NewUpdatedCandidateRecords", params)
    assert response.status_code == 400
    error = response.json()["apierror"]
    assert error["status"] == "BAD_REQUEST"
    assert error["message"] == (
        f"The parameter 'fromDate' of value '{raw}' could not be converted to type 'Date'"
    )
    assert QUEUE_TIMESTAMP.match(error["timestamp"])
    assert "debugMessage" in error


@pytest.mark.parametrize("missing", ["fromDate", "toDate"])
def test_missing_date_is_a_400(api, missing: str) -> None:
    params = {k: v for k, v in MARCH_FIRST_HALF.items() if k != missing}
    response = _get(api, "DeletedCandidateRecords", params)
    assert response.status_code == 400
    assert response.json()["apierror"]["message"] == f"{missing} parameter is missing"


def test_window_bounds_are_inclusive(api) -> None:
    exact = window("2024-03-12T08:00:00", "2024-03-12T09:30:00")
    assert ids_of(_get(api, "NewUpdatedCandidateRecords", exact)) == [
        REF.at_from_bound,
        REF.at_to_bound,
    ]
    narrower = window("2024-03-12T08:00:01", "2024-03-12T09:29:59")
    assert ids_of(_get(api, "NewUpdatedCandidateRecords", narrower)) == []


def test_midnight_to_date_covers_the_whole_day(api) -> None:
    midnight = window("2024-03-25T00:00:00", "2024-03-25T00:00:00")
    assert ids_of(_get(api, "NewUpdatedCandidateRecords", midnight)) == [REF.late_evening]
    one_second_later = window("2024-03-25T00:00:00", "2024-03-25T00:00:01")
    assert ids_of(_get(api, "NewUpdatedCandidateRecords", one_second_later)) == []


def test_fourteen_day_rule_counts_calendar_dates(api) -> None:
    # 14 days 23:59:59 long but 14 calendar dates apart: accepted.
    wide_hours = _get(api, "NewUpdatedCandidateRecords", MARCH_FIRST_HALF)
    assert wide_hours.json()["message"].endswith("completed successfully")
    # Only 14 days 1.5 hours long but 15 calendar dates apart: refused, as HTTP 200.
    fifteen = window("2024-03-01T23:00:00", "2024-03-16T00:30:00")
    response = _get(api, "NewUpdatedCandidateRecords", fifteen)
    assert response.status_code == 200
    assert response.json() == {
        "message": "Date range more than 14 days, metric name = New/Updated Candidate Records",
        "data": [],
    }
    refused = _get(api, "MergedCandidates", fifteen).json()["message"]
    assert refused.startswith("Date range more than 14 days")


# ----- feed selection and "as of now" --------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        ("2024-03-04", [REF.plain]),  # DATECREATED
        ("2024-03-10", [REF.updated]),  # DATEUPDATED
        ("2024-03-22", [REF.profile_touched]),  # DATEPROFILEUPDATED
        ("2024-03-23", [REF.udf_touched]),  # DATEUSERFIELDUPDATED
        ("2024-03-28", []),
    ],
)
def test_candidate_feed_selects_on_each_of_its_dates(api, day: str, expected: list[int]) -> None:
    one_day = window(f"{day}T00:00:00", f"{day}T23:59:59")
    assert ids_of(_get(api, "NewUpdatedCandidateRecords", one_day)) == expected


def test_feed_returns_each_record_once_in_its_current_state(api) -> None:
    found = rows(_get(api, "NewUpdatedCandidateRecords", MARCH_FIRST_HALF))
    ids = [row["CANDIDATEID"] for row in found]
    assert len(ids) == len(set(ids))
    updated = next(row for row in found if row["CANDIDATEID"] == str(REF.updated))
    assert updated["CITY"] == "Cambridge"
    assert updated["DATECREATED"] == "2023-06-01T10:00:00"


def test_rows_from_after_now_are_invisible(api) -> None:
    april = window("2024-04-01T00:00:00", "2024-04-10T00:00:00")
    assert ids_of(_get(api, "NewUpdatedCandidateRecords", april)) == []
    (row,) = rows(_get(api, "CandidatesDetail", {"candidateIds": REF.future_version}))
    assert row["EMAIL"] == "old105@example.com"
    assert rows(_get(api, "CandidatesDetail", {"candidateIds": REF.future_created})) == []
    resumes = _get(api, "CandidatesResumesDetail", {"candidateIds": REF.future_version})
    assert rows(resumes) == []
    assert ids_of(_get(api, "JobsDetail", {"jobIds": REF.job_future}), "ID") == []


def test_events_after_now_are_blanked_on_current_state_tables(api) -> None:
    applications = rows(_get(api, "CandidateApplicationRecords", MARCH_FIRST_HALF))
    pending = next(row for row in applications if row["CANDIDATEID"] == str(REF.at_to_bound))
    assert (pending["ACTION"], pending["ACTIONDATE"]) == ("", "")
    activities = rows(_get(api, "NewUpdatedActivityRecords", MARCH_FIRST_HALF))
    unfinished = next(r for r in activities if r["ACTIVITYID"] == str(REF.activity_unfinished))
    assert unfinished["HIREFLAG"] == "0"
    assert (unfinished["INTERVIEWFLAG"], unfinished["INTERVIEWDATE"]) == ("0", "")
    assert unfinished["SUBMITTALFLAG"] == "1"
    assert unfinished["DATEUPDATED"] == "2024-03-10T13:00:00"


def test_tombstoned_candidates_disappear_and_are_reported(api) -> None:
    gone = f"{REF.deleted},{REF.merged}"
    assert rows(_get(api, "CandidatesDetail", {"candidateIds": gone})) == []
    tombstone_window = window("2024-03-14T00:00:00", "2024-03-20T00:00:00")
    (deleted,) = rows(_get(api, "DeletedCandidateRecords", tombstone_window))
    assert deleted == {"CANDIDATEID": str(REF.deleted), "DATEDELETED": "2024-03-15T11:00:00"}
    (merged,) = rows(_get(api, "MergedCandidates", tombstone_window))
    assert merged == {
        "CANDIDATEID": str(REF.merged),
        "MERGEDTOCANDIDATEID": str(REF.merged_into),
        "DATEMERGED": "2024-03-16T12:00:00.0",
    }
    earlier = window("2024-03-01T00:00:00", "2024-03-14T00:00:00")
    assert rows(_get(api, "DeletedCandidateRecords", earlier)) == []


def test_redaction_masks_fields_and_resumes(api) -> None:
    (row,) = rows(_get(api, "CandidatesDetail", {"candidateIds": REF.redacted}))
    assert row["FIRSTNAME"] == row["LASTNAME"] == row["EMAIL"] == "Inaccessible"
    assert row["CITY"] == "Boston"  # bit 4 not set
    assert row["RESUMECOUNT"] == "0"
    (resume,) = rows(_get(api, "CandidatesResumesDetail", {"candidateIds": REF.redacted}))
    assert resume["RESUMEID"] == ""
    assert rows(_get(api, "ResumesTextDetail", {"resumeIds": "109_1_1"})) == []
    redacted = window("2024-03-17T00:00:00", "2024-03-17T23:59:59")
    assert rows(_get(api, "RedactedCandidatesRecords", redacted)) == [
        {"CANDIDATEID": str(REF.redacted), "DATEREDACTED": "2024-03-17T13:00:00"}
    ]


# ----- id lists ------------------------------------------------------------------------------


def test_repeated_and_comma_separated_ids_are_equivalent(api) -> None:
    repeated = [("candidateIds", REF.plain), ("candidateIds", REF.updated)]
    comma = {"candidateIds": f"{REF.plain},{REF.updated}"}
    expected = [REF.plain, REF.updated]
    assert ids_of(_get(api, "CandidatesDetail", repeated), "ID") == expected
    assert ids_of(_get(api, "CandidatesDetail", comma), "ID") == expected
    duplicated = {"candidateIds": f"{REF.plain},{REF.plain},424242"}
    assert ids_of(_get(api, "CandidatesDetail", duplicated), "ID") == [REF.plain]


def test_up_to_100_ids_are_served_and_101_refused(api) -> None:
    hundred = [("candidateIds", i) for i in REF.bulk_ids[:100]]
    assert len(rows(_get(api, "CandidatesDetail", hundred))) == 100
    too_many = [("candidateIds", i) for i in REF.bulk_ids[:101]]
    response = _get(api, "CandidatesDetail", too_many)
    assert response.status_code == 200
    assert response.json()["message"].startswith("Error: Too many values for 'candidateIds'")
    assert response.json()["data"] == []


def test_bad_or_missing_id_lists_are_400(api) -> None:
    bad = _get(api, "CandidatesDetail", {"candidateIds": "101,abc"})
    assert bad.status_code == 400
    assert bad.json()["apierror"]["message"] == (
        "The parameter 'candidateIds' of value '101,abc' could not be converted to type 'Long[]'"
    )
    missing = _get(api, "JobsDetail", {})
    assert missing.status_code == 400
    assert missing.json()["apierror"]["message"] == "jobIds parameter is missing"


# ----- columns per endpoint ------------------------------------------------------------------


def test_job_detail_uses_id_while_job_feed_uses_jobid(api) -> None:
    (detail,) = rows(_get(api, "JobsDetail", {"jobIds": f"{REF.job_open},{REF.job_future}"}))
    assert detail["ID"] == str(REF.job_open)
    assert "JOBID" not in detail
    assert detail["JOBDESCRIPTION"] == "<p>Build <b>data</b> pipelines</p>"
    assert detail["BILLRATEMAX"] == "95.5"
    assert "HealthCare" in detail
    feed = rows(_get(api, "NewUpdatedJobRecords", MARCH_FIRST_HALF))
    assert sorted(int(row["JOBID"]) for row in feed) == [REF.job_open, REF.job_filled]
    assert all("ID" not in row for row in feed)


def test_jobs_users_detail_has_spaced_role_keys(api) -> None:
    found = rows(_get(api, "JobsUsersDetail", {"jobIds": REF.job_open}))
    assert [row["USERID"] for row in found] == ["501", "502"]
    assert found[0]["PRIMARYRECRUITER"] == "1"
    assert found[0]["Secondary Recruiter"] == "0"
    assert {"Tertiary Recruiter", "Secondary Sales", "Tertiary Sales"} <= set(found[0])


def test_user_fields_name_adds_udf_columns(api) -> None:
    day = window("2024-03-25T00:00:00", "2024-03-25T23:59:59")
    (plain,) = rows(_get(api, "NewUpdatedCandidateRecords", day))
    assert "Application Type" not in plain
    with_udfs = day | {"userFieldsName": ["application type", "Clearance Level", "Nope"]}
    (row,) = rows(_get(api, "NewUpdatedCandidateRecords", with_udfs))
    assert row["Application Type"] == "Prospect"
    assert row["Clearance Level"] == ""
    assert "Nope" not in row
    empty = _get(api, "CandidatesDetail", {"candidateIds": REF.plain, "userFieldsName": ""})
    assert "Application Type" not in rows(empty)[0]


def test_resume_text_keeps_html_entities(api) -> None:
    (resume,) = rows(_get(api, "ResumesTextDetail", {"resumeIds": REF.plain_resume}))
    assert resume == {
        "RESUMEID": REF.plain_resume,
        "PLAINTEXT": "Engineer &amp; mentor &lt;Python&gt;",
    }
    listed = rows(_get(api, "CandidatesResumesDetail", {"candidateIds": REF.updated}))
    assert [row["RESUMEID"] for row in listed] == ["102_1_1", "102_2_1"]


def test_attachment_list_and_base64_content(api) -> None:
    (listed,) = rows(_get(api, "CandidateAttachmentList", {"candidateId": REF.plain}))
    assert listed["FILENAME"] == REF.plain_attachment_name
    lookup = {"candidateId": REF.plain, "fileName": REF.plain_attachment_name.lower()}
    (detail,) = rows(_get(api, "CandidateAttachmentDetail", lookup))
    assert base64.b64decode(detail["FILECONTENT"]) == REF.plain_attachment_bytes
    assert detail["UPLOADEDON"] == "2024-03-04T09:06:00"


def test_application_records_page(api) -> None:
    everything = ids_of(_get(api, "CandidateApplicationRecords", MARCH_FIRST_HALF))
    assert everything == [REF.plain, REF.updated, REF.at_to_bound]
    page = MARCH_FIRST_HALF | {"pageNumber": 2, "pageSize": 1}
    assert ids_of(_get(api, "CandidateApplicationRecords", page)) == [REF.updated]


def test_activity_list_selects_on_last_update(api) -> None:
    day = window("2024-03-09T00:00:00", "2024-03-09T23:59:59")
    (row,) = rows(_get(api, "SubmittalInterviewHireActivitiesList", day))
    assert row["ACTIVITYID"] == str(REF.activity_done)
    assert row["ACTIVITYDATE"] == "2024-03-09T15:00:00"
    assert row["JOBREFERENCENUMBER"] == "24-00001"


def test_user_endpoints(api) -> None:
    assert ids_of(_get(api, "UsersList"), "USERID") == [501, 502]
    recent = window("2024-03-08T00:00:00", "2024-03-08T23:59:59")
    assert ids_of(_get(api, "NewUpdatedUserRecords", recent), "USERID") == [502]
