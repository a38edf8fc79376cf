"""Raw JobDiva and data-copy rows become canonical, versioned observations."""

from __future__ import annotations

import base64
import io
import json
from datetime import UTC, datetime

import docx
import polars as pl
import pytest
from reportlab.pdfgen import canvas

from normalize.records import (
    RecordOptions,
    application_observation,
    attachment_observation,
    candidate_observation,
    job_observation,
    observations_from_raw,
    recruiter_observation,
    resume_observation,
    tombstone_observation,
    version_key,
)
from normalize.regions import canonical_country, canonical_state, display_city
from normalize.schema import VERSION

API_CANDIDATE = {
    "ID": "19500001237205",
    "FIRSTNAME": "JUAN",
    "LASTNAME": "de la cruz",
    "EMAIL": " Juan.Cruz@Example.COM ; auto_19500001237205@jobdiva.com",
    "ALTERNATEEMAIL": "Null",
    "CELLPHONE": "(617) 555-0100 x12",
    "HOMEPHONE": "",
    "WORKPHONE": "Inaccessible",
    "PHONE1": "(617) 555-0100",
    "FAX": "",
    "CITY": "  SAN   FRANCISCO ",
    "STATE": "california",
    "ZIPCODE": "94105-1234",
    "COUNTRY": "United States",
    "LINKEDIN": "http://LinkedIn.com/in/Juan-Cruz/?trk=x",
    "DATECREATED": "2024-01-10T12:00:00",
    "DATEUPDATED": "2024-03-10T12:00:00",
    "DATEPROFILEUPDATED": "",
    "DATEUSERFIELDUPDATED": "2024-02-01T09:00:00",
    "Application Type": "prospect",
}


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def test_api_candidate_is_canonical() -> None:
    row = candidate_observation(API_CANDIDATE, "api")
    assert row["candidate_id"] == "19500001237205"
    assert (row["first_name"], row["last_name"]) == ("Juan", "De la Cruz")
    assert row["primary_emails"] == ["juan.cruz@example.com"]  # placeholder address dropped
    assert row["alternate_emails"] is None  # "Null"
    assert row["cell_phone"] == row["other_phone"] == "+16175550100"
    assert row["work_phone"] is None  # privacy mask
    assert (row["city"], row["state"], row["postal_code"], row["country"]) == (
        "San Francisco",
        "CA",
        "94105",
        "US",
    )
    assert row["ats_linkedin_url"] == "linkedin.com/in/juan-cruz"
    assert row["ats_application_type"] == "Prospect"
    # Naive US-Eastern to UTC, across the DST change of 2024-03-10.
    assert row["created_at"] == utc("2024-01-10T17:00:00")
    assert row["updated_at"] == utc("2024-03-10T16:00:00")
    assert row[VERSION].startswith("2024-03-10T16:00:00.000000Z|2|")


def test_data_copy_candidate_uses_its_date_format_and_status() -> None:
    row = candidate_observation(
        {
            "CANDIDATEID": "19500001237205",
            "FIRSTNAME": "Juan",
            "DATEUPDATED": "03/10/2024 12:00:00",
            "STATUS": "INACTIVE",
            "Application Type": "Candidate",
        },
        "datacopy",
    )
    assert row["updated_at"] == utc("2024-03-10T16:00:00")
    assert row["record_status"] == "Inactive"
    assert row["source"] == "datacopy"
    assert row[VERSION].startswith("2024-03-10T16:00:00.000000Z|1|")


def test_versions_order_by_time_then_source() -> None:
    early, late = utc("2024-03-01T10:00:00"), utc("2024-03-01T10:00:01")
    assert version_key(late, "datacopy", "0") > version_key(early, "api", "f")
    assert version_key(early, "api", "0") > version_key(early, "datacopy", "f")
    assert version_key(None, "api", "f") < version_key(early, "datacopy", "0")


@pytest.mark.parametrize(("region", "expected"), [("GB", "+442079460958"), ("US", "020 7946 0958")])
def test_default_phone_region_is_configurable(region: str, expected: str) -> None:
    options = RecordOptions(default_phone_region=region)
    row = candidate_observation({"ID": "1", "CELLPHONE": "020 7946 0958"}, "api", options)
    assert row["cell_phone"] == expected  # not parseable: kept as written, never dropped


def test_unknown_application_type_is_kept_for_the_checks_to_flag() -> None:
    row = candidate_observation({"ID": "1", "Application Type": "Lead"}, "api")
    assert row["ats_application_type"] == "Lead"


def test_resume_text_loses_html_and_yields_profile_urls() -> None:
    row = resume_observation(
        {
            "CANDIDATEID": "7",
            "RESUMEID": "7_1_2",
            "PLAINTEXT": "Ada&lt;br&gt;R&amp;amp;D lead<br>LinkedIn: linkedin.com/in/Ada-L. "
            "Code: https://github.com/AdaL/compiler, old www.linkedin.com/in/ada-old "
            "and https://ada.dev/blog",
            "DATECREATED": "2024-03-01T09:00:00",
            "DATEUPDATED": "",
        },
        "api",
    )
    assert row["resume_text"].startswith("Ada\nR&D lead\nLinkedIn:")
    assert "<br>" not in row["resume_text"] and "&amp;" not in row["resume_text"]
    assert row["resume_linkedin_urls"] == ["linkedin.com/in/ada-l", "linkedin.com/in/ada-old"]
    assert row["resume_github_urls"] == ["github.com/adal"]
    assert row["resume_other_urls"] == ["https://ada.dev/blog"]


def _pdf(text: str) -> bytes:
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, invariant=1)
    pdf.drawString(72, 800, text)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def _docx(text: str) -> bytes:
    document = docx.Document()
    document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("filename", "content", "kind"),
    [("cv.pdf", _pdf("Zoe Muller resume"), "pdf"), ("cv.docx", _docx("Zoë Müller CV"), "docx")],
)
def test_attachment_text_is_extracted_from_pdf_and_docx(
    filename: str, content: bytes, kind: str
) -> None:
    row = attachment_observation(
        {
            "ID": "310",
            "CANDIDATEID": "7",
            "FILENAME": filename,
            "ATTACHMENTTYPE": "Resume",
            "UPLOADEDON": "2024-03-01T09:00:00",
            "FILECONTENT": base64.b64encode(content).decode(),
        },
        "api",
    )
    assert row["text_kind"] == kind
    assert row["text"] in ("Zoe Muller resume", "Zoë Müller CV")
    assert row["size_bytes"] == len(content) and len(row["content_sha256"]) == 64


def test_data_copy_text_attachment_uses_the_provided_text() -> None:
    row = attachment_observation(
        {
            "ATTACHMENTID": "311",
            "CANDIDATEID": "7",
            "FILENAME": "letter.txt",
            "CONTENTTYPE": "text/plain",
            "UPLOADEDON": "03/01/2024 09:00:00",
            "FILESIZE": "12",
            "EXTRACTEDTEXT": "Dear team,\r\nhello",
            "FILECONTENT_BASE64": "",
        },
        "datacopy",
    )
    assert (row["text"], row["text_kind"], row["size_bytes"]) == (
        "Dear team,\nhello",
        "provided",
        12,
    )


def test_applications_activities_jobs_recruiters_and_tombstones() -> None:
    application = application_observation(
        {
            "CANDIDATEID": "7",
            "JOBID": "9001",
            "DATEAPPLIED": "2024-03-01T09:00:00",
            "ACTION": "Rejected",
            "ACTIONDATE": "2024-03-02T09:00:00",
            "RESUMESOURCE": "Dice",
        }
    )
    assert (application["candidate_id"], application["job_id"], application["action"]) == (
        "7",
        "9001",
        "Rejected",
    )
    assert application[VERSION].startswith("2024-03-02T14:00:00")
    job = job_observation(
        {
            "ID": "9001",
            "JOBTITLE": "Engineer",
            "DIVISIONNAME": "Healthcare ",
            "JOBDESCRIPTION": "<p>Build <b>things</b></p>",
            "POSITIONS": "2",
            "BILLRATEMIN": "78.5",
            "DATEUPDATED": "2024-03-01T09:00:00",
        },
        [
            {"JOBID": "9001", "USERID": "5", "RECRUITER": "1", "SALES": "0"},
            {"JOBID": "9001", "USERID": "6", "RECRUITER": "0", "PRIMARYSALES": "1"},
        ],
    )
    assert (job["division"], job["description_text"], job["openings"]) == (
        "Healthcare",
        "Build things",
        2,
    )
    assert (job["recruiter_ids"], job["sales_ids"], job["bill_rate_min"]) == (["5"], ["6"], 78.5)
    seen = utc("2024-03-05T00:00:00")
    recruiter = recruiter_observation(
        {"USERID": "5", "FIRSTNAME": "ADA", "LASTNAME": "LOVELACE", "ACTIVEFLAG": "0"}, seen
    )
    assert (recruiter["name"], recruiter["is_active"], recruiter["seen_at"]) == (
        "Ada Lovelace",
        False,
        seen,
    )
    merged = tombstone_observation(
        "merged:8",
        {"CANDIDATEID": "8", "MERGEDTOCANDIDATEID": "7", "DATEMERGED": "2024-03-16T12:00:00.0"},
    )
    assert (merged["kind"], merged["merged_to_candidate_id"], merged["at"]) == (
        "merged",
        "7",
        utc("2024-03-16T16:00:00"),
    )


def test_observations_from_raw_tables() -> None:
    raw = pl.DataFrame(
        {
            "_partition": ["2024-03-10"],
            "record_id": ["19500001237205"],
            "payload": [json.dumps(API_CANDIDATE)],
        }
    )
    observations = observations_from_raw({"candidates": raw})
    assert observations["candidates"].height == 1
    assert observations["applications"].is_empty() and observations["tombstones"].is_empty()


def test_location_helpers() -> None:
    assert canonical_country("USA") == "US" and canonical_country("  Viet  Nam") == "Viet Nam"
    assert canonical_state("New York") == "NY" and canonical_state("Ontario", "CA") == "Ontario"
    assert display_city("new york") == "New York" and display_city("McAllen") == "McAllen"
