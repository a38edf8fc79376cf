"""The merge is order-independent and idempotent, newest non-blank wins, API beats data copy."""

from __future__ import annotations

import base64
import json
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

import polars as pl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from normalize.records import observations_from_raw
from normalize.state import State, apply_observations, empty_state

CANDIDATE_IDS = ("101", "102", "103", "104", "105")
JOB_IDS = ("9001", "9002")
# Few distinct instants, so that equal timestamps (the tie-break rules) happen often.
TIMES = ("2024-03-01T10:00:00", "2024-03-02T08:30:00", "2024-03-05T17:45:00")
CREATED = "2023-12-01T09:00:00"
# An activity's and an attachment's candidate is fixed (only a merge moves it).
ACTIVITY_PAIRS = {"7001": ("101", "9001"), "7002": ("102", "9002"), "7003": ("104", "9001")}
ATTACHMENT_OWNERS = {"310": "103", "311": "104", "312": "102"}
TOMBSTONE_EVENTS = (
    ("deleted", "103", None, "2024-03-03T12:00:00"),
    ("redacted", "101", None, "2024-03-04T12:00:00"),
    ("merged", "104", "102", "2024-03-04T15:00:00"),
    ("merged", "105", "104", "2024-03-05T09:00:00"),
)
RawPartition = dict[str, list[dict[str, Any]]]


def copy_date(iso: str) -> str:
    """The data copy writes MM/dd/yyyy HH:mm:ss."""
    moment = datetime.fromisoformat(iso)
    return moment.strftime("%m/%d/%Y %H:%M:%S")


@st.composite
def candidate_rows(draw: st.DrawFn, source: str) -> dict[str, Any]:
    when = draw(st.sampled_from(TIMES))
    fmt = (lambda t: t) if source == "api" else copy_date
    row = {
        "ID" if source == "api" else "CANDIDATEID": draw(st.sampled_from(CANDIDATE_IDS)),
        "FIRSTNAME": draw(st.sampled_from(["Ada", "ADA", "Grace", "", "Null", "Inaccessible"])),
        "LASTNAME": draw(st.sampled_from(["Lovelace", "", "HOPPER"])),
        "EMAIL": draw(st.sampled_from(["ada@x.com", "ADA@X.com; grace@y.org", "", "junk"])),
        "ALTERNATEEMAIL": draw(st.sampled_from(["", "Null", "grace@y.org"])),
        "CELLPHONE": draw(st.sampled_from(["617-555-0100", "", "+44 20 7946 0958"])),
        "HOMEPHONE": draw(st.sampled_from(["", "555.123.4567"])),
        "CITY": draw(st.sampled_from(["Boston", "", "NEW YORK"])),
        "STATE": draw(st.sampled_from(["MA", "new york", ""])),
        "ZIPCODE": draw(st.sampled_from(["02110", "10001-1234", ""])),
        "COUNTRY": draw(st.sampled_from(["US", "United States", ""])),
        "LINKEDIN": draw(
            st.sampled_from(["", "https://www.linkedin.com/in/ada", "linkedin.com/in/Grace-H"])
        ),
        "Application Type": draw(st.sampled_from(["Candidate", "Prospect", ""])),
        "DATECREATED": fmt(CREATED),
        "DATEUPDATED": fmt(when),
    }
    if source == "datacopy":
        row["STATUS"] = draw(st.sampled_from(["Inactive", "Active", ""]))
    return row


@st.composite
def resume_rows(draw: st.DrawFn) -> dict[str, Any]:
    candidate_id = draw(st.sampled_from(CANDIDATE_IDS))
    return {
        "CANDIDATEID": candidate_id,
        "RESUMEID": f"{candidate_id}_1_{draw(st.integers(1, 3))}",
        "PLAINTEXT": draw(
            st.sampled_from(
                [
                    "Engineer &amp; mentor<br>linkedin.com/in/ada-old",
                    "&lt;p&gt;Nurse&lt;/p&gt; https://github.com/Grace",
                    "",
                    "Plain resume",
                ]
            )
        ),
        "DATECREATED": draw(st.sampled_from(TIMES)),
    }


@st.composite
def application_rows(draw: st.DrawFn) -> dict[str, Any]:
    return {
        "CANDIDATEID": draw(st.sampled_from(CANDIDATE_IDS)),
        "JOBID": draw(st.sampled_from(JOB_IDS)),
        "DATEAPPLIED": TIMES[0],
        "RESUMESOURCE": draw(st.sampled_from(["Dice", "Candidate", ""])),
        "ACTION": draw(st.sampled_from(["", "Submitted", "Rejected"])),
        "ACTIONDATE": draw(st.sampled_from(["", *TIMES[1:]])),
    }


@st.composite
def activity_rows(draw: st.DrawFn) -> dict[str, Any]:
    activity_id = draw(st.sampled_from(sorted(ACTIVITY_PAIRS)))
    candidate_id, job_id = ACTIVITY_PAIRS[activity_id]
    flags = draw(st.lists(st.sampled_from(["0", "1"]), min_size=4, max_size=4))
    return {
        "ACTIVITYID": activity_id,
        "CANDIDATEID": candidate_id,
        "JOBID": job_id,
        "USERID": draw(st.sampled_from(["5", "6"])),
        "SUBMITTALFLAG": "1",
        "SUBMITTALDATE": TIMES[0],
        "INTERVIEWFLAG": flags[0],
        "INTERVIEWDATE": TIMES[1] if flags[0] == "1" else "",
        "REJECTFLAG": flags[1],
        "REJECTDATE": TIMES[2] if flags[1] == "1" else "",
        "HIREFLAG": flags[2],
        "STARTDATE": TIMES[2] if flags[2] == "1" else "",
        "DATECREATED": TIMES[0],
        "DATEUPDATED": draw(st.sampled_from(TIMES)),
    }


@st.composite
def attachment_rows(draw: st.DrawFn, source: str) -> dict[str, Any]:
    attachment_id = draw(st.sampled_from(sorted(ATTACHMENT_OWNERS)))
    text = draw(st.sampled_from(["Cover letter", "Certificate of nursing", ""]))
    row = {
        "ID" if source == "api" else "ATTACHMENTID": attachment_id,
        "CANDIDATEID": ATTACHMENT_OWNERS[attachment_id],
        "FILENAME": "file.txt",
        "UPLOADEDON": draw(st.sampled_from(TIMES)),
    }
    if source == "api":
        row["FILECONTENT"] = base64.b64encode(text.encode()).decode()
    else:
        row |= {"EXTRACTEDTEXT": text, "FILECONTENT_BASE64": ""}
    return row


@st.composite
def partitions(draw: st.DrawFn) -> RawPartition:
    """One raw partition: a change day of the API or a data-copy file set."""
    if draw(st.booleans()):
        return {
            "datacopy_candidates": draw(st.lists(candidate_rows("datacopy"), max_size=3)),
            "datacopy_resumes": draw(st.lists(resume_rows(), max_size=2)),
            "datacopy_attachments": draw(st.lists(attachment_rows("datacopy"), max_size=2)),
        }
    tombstones = draw(st.lists(st.sampled_from(TOMBSTONE_EVENTS), max_size=2, unique=True))
    return {
        "candidates": draw(st.lists(candidate_rows("api"), max_size=3)),
        "resumes": draw(st.lists(resume_rows(), max_size=2)),
        "attachments": draw(st.lists(attachment_rows("api"), max_size=2)),
        "applications": draw(st.lists(application_rows(), max_size=3)),
        "activities": draw(st.lists(activity_rows(), max_size=2)),
        "jobs": [
            {"ID": job, "JOBTITLE": title, "DATEUPDATED": when}
            for job, title, when in draw(
                st.lists(
                    st.tuples(
                        st.sampled_from(JOB_IDS),
                        st.sampled_from(["Engineer", "Nurse", ""]),
                        st.sampled_from(TIMES),
                    ),
                    max_size=2,
                )
            )
        ],
        "recruiters": [
            {"USERID": user, "FIRSTNAME": "Rita", "LASTNAME": last, "_seen": when}
            for user, last, when in draw(
                st.lists(
                    st.tuples(
                        st.sampled_from(["5", "6"]),
                        st.sampled_from(["Moreno", "MORENO-COLE"]),
                        st.sampled_from(TIMES),
                    ),
                    max_size=2,
                )
            )
        ],
        "tombstones": [
            {
                "_record_id": f"{kind}:{candidate_id}",
                "CANDIDATEID": candidate_id,
                **({"MERGEDTOCANDIDATEID": survivor} if survivor else {}),
                {"deleted": "DATEDELETED", "merged": "DATEMERGED", "redacted": "DATEREDACTED"}[
                    kind
                ]: at,
            }
            for kind, candidate_id, survivor, at in tombstones
        ],
    }


def raw_frames(partition: RawPartition) -> dict[str, pl.DataFrame]:
    """The partition as raw Delta rows (payload JSON of strings, as the extractors write)."""
    frames = {}
    for table, rows in partition.items():
        if not rows:
            continue
        payloads = [{k: v for k, v in r.items() if not k.startswith("_")} for r in rows]
        frames[table] = pl.DataFrame(
            {
                "_partition": ["p"] * len(rows),
                "record_id": [r.get("_record_id", "x") for r in rows],
                "payload": [json.dumps(p) for p in payloads],
                "_extracted_at": [
                    datetime.fromisoformat(r.get("_seen", TIMES[0])).replace(tzinfo=UTC)
                    for r in rows
                ],
            }
        )
    return frames


def merge_in_order(observations: Sequence[Mapping[str, pl.DataFrame]]) -> State:
    state = empty_state()
    for batch in observations:
        state = apply_observations(state, batch)
    return state


def assert_same_tables(left: State, right: State) -> None:
    assert left.keys() == right.keys()
    for name in left:
        assert left[name].equals(right[name]), f"{name} differs"


SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(raw=st.lists(partitions(), min_size=2, max_size=4), data=st.data())
def test_any_order_or_grouping_of_partitions_gives_identical_tables(raw, data) -> None:
    batches = [observations_from_raw(raw_frames(p)) for p in raw]
    order = data.draw(st.permutations(range(len(batches))))
    in_order = merge_in_order(batches)
    assert_same_tables(in_order, merge_in_order([batches[i] for i in order]))
    together = {
        table: pl.concat([b[table] for b in batches]) for table in batches[0]
    }  # one run that merges every partition at once
    assert_same_tables(in_order, apply_observations(empty_state(), together))


@SETTINGS
@given(raw=st.lists(partitions(), min_size=1, max_size=3), data=st.data())
def test_merging_a_partition_again_changes_nothing(raw, data) -> None:
    batches = [observations_from_raw(raw_frames(p)) for p in raw]
    state = merge_in_order(batches)
    again = batches[data.draw(st.integers(0, len(batches) - 1))]
    assert_same_tables(state, apply_observations(state, again))


# --------------------------------------------------------------------------- the rules


def _candidate(when: str, source: str = "api", **values: str) -> dict[str, Any]:
    id_column = "ID" if source == "api" else "CANDIDATEID"
    fmt = (lambda t: t) if source == "api" else copy_date
    return {id_column: "101", "DATECREATED": fmt(CREATED), "DATEUPDATED": fmt(when), **values}


def _merge(*partitions_: RawPartition) -> State:
    return merge_in_order([observations_from_raw(raw_frames(p)) for p in partitions_])


def _one_candidate(state: State) -> dict[str, Any]:
    [row] = state["candidates"].to_dicts()
    return row


def test_last_updated_wins_and_a_blank_never_overwrites() -> None:
    older = {"candidates": [_candidate(TIMES[0], FIRSTNAME="Ada", CITY="Boston")]}
    newer = {"candidates": [_candidate(TIMES[1], FIRSTNAME="Grace", CITY="")]}
    for state in (_merge(older, newer), _merge(newer, older)):
        row = _one_candidate(state)
        assert (row["first_name"], row["city"]) == ("Grace", "Boston")
        assert row["updated_at"] == datetime(2024, 3, 2, 13, 30, tzinfo=UTC)


def test_api_beats_data_copy_at_equal_timestamps_but_not_a_newer_copy() -> None:
    api = {"candidates": [_candidate(TIMES[1], FIRSTNAME="Api")]}
    same_time = {"datacopy_candidates": [_candidate(TIMES[1], "datacopy", FIRSTNAME="Copy")]}
    newer = {"datacopy_candidates": [_candidate(TIMES[2], "datacopy", FIRSTNAME="Newer")]}
    for state in (_merge(api, same_time), _merge(same_time, api)):
        assert (_one_candidate(state)["first_name"], _one_candidate(state)["source"]) == (
            "Api",
            "api",
        )
    row = _one_candidate(_merge(newer, api))
    assert (row["first_name"], row["source"]) == ("Newer", "datacopy")


def test_a_tombstone_keeps_winning_over_late_older_data() -> None:
    candidate = {
        "candidates": [_candidate(TIMES[0], FIRSTNAME="Ada")],
        "applications": [{"CANDIDATEID": "101", "JOBID": "9001", "DATEAPPLIED": TIMES[0]}],
        "attachments": [
            {"ID": "310", "CANDIDATEID": "101", "FILENAME": "a.txt", "FILECONTENT": "aGk="}
        ],
    }
    deleted = {
        "tombstones": [{"_record_id": "deleted:101", "CANDIDATEID": "101", "DATEDELETED": TIMES[1]}]
    }
    for state in (_merge(candidate, deleted), _merge(deleted, candidate)):
        assert state["candidates"].is_empty()
        assert state["applications"].is_empty() and state["attachments"].is_empty()
        assert state["tombstones"]["candidate_id"].to_list() == ["101"]


def test_merged_candidates_point_to_their_survivor() -> None:
    rows = {
        "candidates": [
            {"ID": cid, "FIRSTNAME": name, "DATEUPDATED": TIMES[0]}
            for cid, name in (("102", "Survivor"), ("104", "Dup"), ("105", "Dup2"))
        ],
        "applications": [{"CANDIDATEID": "104", "JOBID": "9001", "DATEAPPLIED": TIMES[0]}],
        "activities": [
            {"ACTIVITYID": "7003", "CANDIDATEID": "105", "JOBID": "9002", "SUBMITTALFLAG": "1"}
        ],
    }
    merges = {
        "tombstones": [
            {
                "_record_id": f"merged:{a}",
                "CANDIDATEID": a,
                "MERGEDTOCANDIDATEID": b,
                "DATEMERGED": t,
            }
            for a, b, t in (("104", "102", TIMES[1]), ("105", "104", TIMES[2]))
        ]
    }
    for state in (_merge(rows, merges), _merge(merges, rows)):
        survivor = _one_candidate(state)
        assert (survivor["candidate_id"], survivor["aliases"]) == ("102", ["104", "105"])
        pairs = state["applications"].select("candidate_id", "job_id").rows()
        assert pairs == [("102", "9001"), ("102", "9002")]
        assert state["activities"]["candidate_id"].to_list() == ["102"]


def _pipeline(applications: list[dict], activities: list[dict]) -> State:
    return _merge(
        {
            "candidates": [{"ID": "101", "DATEUPDATED": TIMES[0]}],
            "applications": applications,
            "activities": activities,
        }
    )


def test_application_status_is_the_latest_stage() -> None:
    applied = {"CANDIDATEID": "101", "JOBID": "9001", "DATEAPPLIED": TIMES[0]}
    rejected = applied | {"ACTION": "Rejected", "ACTIONDATE": TIMES[1]}
    interview = {
        "ACTIVITYID": "7001",
        "CANDIDATEID": "101",
        "JOBID": "9002",
        "USERID": "5",
        "SUBMITTALFLAG": "1",
        "SUBMITTALDATE": TIMES[0],
        "INTERVIEWFLAG": "1",
        "INTERVIEWDATE": TIMES[2],
    }
    state = _pipeline([applied], [])
    assert state["applications"]["status"].to_list() == ["Applied"]
    state = _pipeline([rejected], [interview])
    statuses = dict(state["applications"].select("job_id", "status").rows())
    assert statuses == {"9001": "Rejected", "9002": "Interviewing"}
    candidate = _one_candidate(state)
    assert candidate["status"] == "Interviewing"  # the most recent application's stage
    assert state["applications"].filter(pl.col("job_id") == "9002")["recruiter_id"][0] == "5"
    # Submittal and rejection at the same instant: the rejection is the outcome.
    same_time = interview | {"INTERVIEWFLAG": "0", "REJECTFLAG": "1", "REJECTDATE": TIMES[0]}
    assert _pipeline([], [same_time])["applications"]["status"].to_list() == ["Rejected"]
    hired = interview | {"HIREFLAG": "1", "STARTDATE": TIMES[2]}
    assert _pipeline([], [hired])["applications"]["status"].to_list() == ["Hired"]


def test_application_type_falls_back_to_whether_the_candidate_applied() -> None:
    applied = {"CANDIDATEID": "101", "JOBID": "9001", "DATEAPPLIED": TIMES[0]}
    sourced = {"ACTIVITYID": "7001", "CANDIDATEID": "101", "JOBID": "9002", "SUBMITTALFLAG": "1"}
    row = _one_candidate(_pipeline([applied], []))
    assert (row["application_type"], row["application_type_source"]) == ("Candidate", "derived")
    row = _one_candidate(_pipeline([], [sourced]))  # a recruiter's submittal is no application
    assert (row["application_type"], row["status"]) == ("Prospect", "Submitted")
    with_udf = _merge(
        {"candidates": [{"ID": "101", "DATEUPDATED": TIMES[0], "Application Type": "Prospect"}]},
        {"applications": [applied]},
    )
    assert _one_candidate(with_udf)["application_type"] == "Prospect"
