"""The BI metrics served: which rows each selects and which UPPERCASE columns it returns.

Column lists follow reference §4-§6; where the reference says the columns are not public, the
choice is documented in sandbox/README.md. Queries return typed polars frames with the BI
column names; `bi.py` turns them into strings and the envelope.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

import polars as pl

from sandbox.jobdiva.bi_params import APPLICATION_TYPE_UDF, BiContext

Query = Callable[[BiContext], pl.DataFrame]


@dataclass(frozen=True)
class BiEndpoint:
    name: str
    # Spaced metric name used in messages, e.g. "New/Updated Candidate Records" (reference §3.1).
    label: str
    query: Query
    # Integer id column keying the seeded "Null" literal (reference §3.1).
    id_column: str | None = None
    null_literal_columns: tuple[str, ...] = ()


def _col(source: str, name: str) -> pl.Expr:
    return pl.col(source).alias(name)


def _null(name: str) -> pl.Expr:
    return pl.lit(None, dtype=pl.Utf8).alias(name)


def _flag(value: bool, name: str) -> pl.Expr:
    return pl.lit(value).alias(name)


def _columns(mapping: Sequence[tuple[str, str | None]]) -> list[pl.Expr]:
    """(BI name, source column or None for always-null) pairs to expressions."""
    return [_null(name) if source is None else _col(source, name) for name, source in mapping]


def _touched_in(columns: Sequence[str], start: datetime, end: datetime) -> pl.Expr:
    """SQL `BETWEEN` (inclusive both ends) on any of the columns (reference §3.2)."""
    return pl.any_horizontal(
        pl.col(c).is_between(start, end, closed="both").fill_null(False) for c in columns
    )


def _between(column: str, start: datetime, end: datetime) -> pl.Expr:
    return _touched_in([column], start, end)


# ----- candidates ----------------------------------------------------------------------------

_CANDIDATE_NULL_LITERALS = ("ALTERNATEEMAIL", "ADDRESS2", "WORKPHONE_EXT", "FAX")

_CANDIDATE_FEED = [
    ("CANDIDATEID", "candidate_id"),
    ("FIRSTNAME", "first_name"),
    ("LASTNAME", "last_name"),
    ("DATECREATED", "created_at"),
    ("DATEUPDATED", "updated_at"),
    ("DATEPROFILEUPDATED", "profile_updated_at"),
    ("DATEUSERFIELDUPDATED", "userfield_updated_at"),
    ("EMAIL", "email"),
    ("ALTERNATEEMAIL", "alternate_email"),
    ("ADDRESS1", "address1"),
    ("ADDRESS2", "address2"),
    ("CITY", "city"),
    ("STATE", "state"),
    ("ZIPCODE", "zipcode"),
    ("WORKPHONE", "work_phone"),
    ("WORKPHONE_EXT", "work_phone_ext"),
    ("HOMEPHONE", "home_phone"),
    ("CELLPHONE", "cell_phone"),
    ("FAX", "fax"),
]

_CANDIDATE_DETAIL_HEAD = [
    ("ID", "candidate_id"),
    ("FIRSTNAME", "first_name"),
    ("LASTNAME", "last_name"),
    ("ADDRESS1", "address1"),
    ("ADDRESS2", "address2"),
    ("CITY", "city"),
    ("STATE", "state"),
    ("ZIPCODE", "zipcode"),
    ("COUNTRY", "country"),
    ("WORKPHONE", "work_phone"),
    ("WORKPHONE_EXT", "work_phone_ext"),
    ("HOMEPHONE", "home_phone"),
    ("CELLPHONE", "cell_phone"),
    ("FAX", "fax"),
]
_CANDIDATE_DETAIL_TAIL = [
    ("EMAIL", "email"),
    ("ALTERNATEEMAIL", "alternate_email"),
    ("LINKEDIN", "linkedin"),
    ("DATECREATED", "created_at"),
    ("DATEUPDATED", "updated_at"),
    ("DATEUSERFIELDUPDATED", "userfield_updated_at"),
    ("DATEPROFILEUPDATED", "profile_updated_at"),
    ("CURRENTSALARY", "current_salary"),
]


def _udf_columns(names: Sequence[str]) -> list[pl.Expr]:
    """UDF columns under their display names; the world only carries "Application Type"."""
    return [
        _col("application_type", name) if name == APPLICATION_TYPE_UDF else _null(name)
        for name in names
    ]


def _candidate_detail_columns(udfs: Sequence[str]) -> list[pl.Expr]:
    salary_known = pl.col("current_salary").is_not_null()
    return [
        *_columns(_CANDIDATE_DETAIL_HEAD),
        # Live rows also carry PHONE1 (reference §6): the first phone slot that is filled.
        pl.coalesce("cell_phone", "home_phone", "work_phone").alias("PHONE1"),
        *_columns(_CANDIDATE_DETAIL_TAIL),
        pl.when(salary_known).then(pl.lit("Year")).otherwise(None).alias("CURRENTSALARYPER"),
        _null("PREFERREDSALARYMIN"),
        _null("PREFERREDSALARYPER"),
        _col("resume_count", "RESUMECOUNT"),
        *_udf_columns(udfs),
    ]


def new_updated_candidate_records(ctx: BiContext) -> pl.DataFrame:
    start, end = ctx.window()
    udfs = ctx.user_fields()
    dates = ["created_at", "updated_at", "profile_updated_at", "userfield_updated_at"]
    frame = ctx.state.candidates().filter(_touched_in(dates, start, end)).sort("candidate_id")
    return frame.select(*_columns(_CANDIDATE_FEED), *_udf_columns(udfs))


def _candidate_details(ctx: BiContext, ids: list[int]) -> pl.DataFrame:
    udfs = ctx.user_fields()
    frame = ctx.state.candidates().filter(pl.col("candidate_id").is_in(ids)).sort("candidate_id")
    return frame.select(_candidate_detail_columns(udfs))


def candidates_detail(ctx: BiContext) -> pl.DataFrame:
    return _candidate_details(ctx, ctx.ids("candidateIds"))


def candidate_detail(ctx: BiContext) -> pl.DataFrame:
    return _candidate_details(ctx, [ctx.single_id("candidateId")])


# ----- resumes and attachments ---------------------------------------------------------------


def _resume_rows(ctx: BiContext, ids: list[int]) -> pl.DataFrame:
    resume_parts = pl.col("resume_id").str.split("_")
    frame = ctx.state.resumes().filter(pl.col("candidate_id").is_in(ids))
    return frame.sort("candidate_id", "created_at").select(
        _col("candidate_id", "CANDIDATEID"),
        resume_parts.list.get(1, null_on_oob=True).alias("DOCID"),
        resume_parts.list.get(2, null_on_oob=True).alias("DBID"),
        _col("resume_id", "RESUMEID"),
        _col("created_at", "DATECREATED"),
        _col("updated_at", "DATEUPDATED"),
        _null("DATEFIRSTDOWNLOADED"),
        _null("DATELASTDOWNLOADED"),
    )


def candidates_resumes_detail(ctx: BiContext) -> pl.DataFrame:
    return _resume_rows(ctx, ctx.ids("candidateIds"))


def candidate_resumes_detail(ctx: BiContext) -> pl.DataFrame:
    return _resume_rows(ctx, [ctx.single_id("candidateId")])


def resumes_text_detail(ctx: BiContext) -> pl.DataFrame:
    ids = ctx.string_ids("resumeIds")
    # Masked resumes have null ids, so they cannot be fetched (reference §5).
    frame = ctx.state.resumes().filter(pl.col("resume_id").is_in(ids)).sort("resume_id")
    return frame.select(_col("resume_id", "RESUMEID"), _col("plaintext", "PLAINTEXT"))


_ATTACHMENT_TYPES = {
    "resume": "Resume",
    "cover_letter": "Cover Letter",
    "certificate": "Certificate",
}


def candidate_attachment_list(ctx: BiContext) -> pl.DataFrame:
    candidate_id = ctx.single_id("candidateId")
    frame = ctx.state.attachments().filter(pl.col("candidate_id") == candidate_id)
    return frame.sort("uploaded_at", "attachment_id").select(
        _col("attachment_id", "ID"),
        _col("candidate_id", "CANDIDATEID"),
        _col("filename", "FILENAME"),
        pl.col("kind").replace_strict(_ATTACHMENT_TYPES, default=None).alias("ATTACHMENTTYPE"),
        _col("uploaded_at", "UPLOADEDON"),
    )


def candidate_attachment_detail(ctx: BiContext) -> pl.DataFrame:
    candidate_id = ctx.single_id("candidateId")
    file_name = ctx.required_string("fileName").strip().lower()
    # Exact file name, case-insensitive (reference §6).
    meta = ctx.state.attachments().filter(
        (pl.col("candidate_id") == candidate_id)
        & (pl.col("filename").str.to_lowercase() == file_name)
    )
    content = ctx.state.attachment_content(meta["_row"].to_list())
    return (
        meta.join(content, on="_row", how="left")
        .sort("attachment_id")
        .select(
            _col("attachment_id", "ID"),
            _col("filename", "FILENAME"),
            pl.col("content").bin.encode("base64").alias("FILECONTENT"),
            _col("uploaded_at", "UPLOADEDON"),
        )
    )


# ----- applications and activities -----------------------------------------------------------


def _applications_with_names(ctx: BiContext) -> pl.DataFrame:
    names = ctx.state.candidates().select("candidate_id", "first_name", "last_name", "email")
    return ctx.state.applications().join(names, on="candidate_id", how="left")


_APPLICATION_COLUMNS = [
    ("CANDIDATEID", "candidate_id"),
    ("FIRSTNAME", "first_name"),
    ("LASTNAME", "last_name"),
    ("EMAIL", "email"),
    ("JOBID", "job_id"),
    ("DATEAPPLIED", "date_applied"),
    ("RESUMEID", "resume_id"),
    ("RESUMESOURCE", "resume_source"),
    ("ACTION", "action"),
    ("ACTIONUSERID", "action_user_id"),
    ("ACTIONDATE", "action_date"),
    ("REFERRER", "referrer"),
]


def candidate_application_records(ctx: BiContext) -> pl.DataFrame:
    start, end = ctx.window()
    page_number = ctx.optional_int("pageNumber")
    page_size = ctx.optional_int("pageSize")
    frame = (
        _applications_with_names(ctx)
        .filter(_between("date_applied", start, end))
        .sort("date_applied", "candidate_id", "job_id")
    )
    if page_size is not None and page_size > 0:
        # Undocumented paging (reference §3.4): 1-based pages of pageSize rows.
        offset = (max(page_number or 1, 1) - 1) * page_size
        frame = frame.slice(offset, page_size)
    return frame.select(_columns(_APPLICATION_COLUMNS))


def job_applicants_detail(ctx: BiContext) -> pl.DataFrame:
    job_id = ctx.single_id("jobId")
    frame = _applications_with_names(ctx).filter(pl.col("job_id") == job_id)
    order = [
        *(pair for pair in _APPLICATION_COLUMNS if pair[0] != "RESUMEID"),
        ("RESUMEID", "resume_id"),
    ]
    return frame.sort("date_applied", "candidate_id").select(_columns(order))


def _activities_with_jobs(ctx: BiContext) -> pl.DataFrame:
    jobs = ctx.state.jobs().select(
        "job_id",
        pl.col("primary_sales_id").alias("job_primary_sales_id"),
        pl.col("contact_id").alias("job_contact_id"),
        pl.col("company_id").alias("job_company_id"),
        pl.col("jobdiva_no").alias("job_jobdiva_no"),
    )
    return ctx.state.activities().join(jobs, on="job_id", how="left")


def new_updated_activity_records(ctx: BiContext) -> pl.DataFrame:
    start, end = ctx.window()
    frame = _activities_with_jobs(ctx).filter(_touched_in(["created_at", "updated_at"], start, end))
    return frame.sort("activity_id").select(
        *_columns(
            [
                ("ACTIVITYID", "activity_id"),
                ("DATECREATED", "created_at"),
                ("DATEUPDATED", "updated_at"),
                ("DATEUSERFIELDUPDATED", None),
                ("USERID", "user_id"),
                ("UPDATEDBY_USERID", "updated_by_user_id"),
                ("PRIMARYSALESID", "job_primary_sales_id"),
                ("CANDIDATEID", "candidate_id"),
                ("JOBID", "job_id"),
                ("CONTACTID", "job_contact_id"),
                ("ROLEID", None),
                ("COMPANYID", "job_company_id"),
                ("SUBMITTALFLAG", "submittal_flag"),
                ("REJECTFLAG", "reject_flag"),
                ("INTERVIEWFLAG", "interview_flag"),
                ("HIREFLAG", "hire_flag"),
                ("SUBMITTALDATE", "submittal_date"),
                ("REJECTDATE", "reject_date"),
                ("REJECTREASON", "reject_reason"),
                ("INTERVIEWDATE", "interview_date"),
                ("INTERVIEW_TIMEZONEID", None),
                ("STARTDATE", "start_date"),
                ("ENDDATE", "end_date"),
                ("TERMINATIONDATE", None),
                ("TERMINATIONREASON", None),
                ("POSITIONTYPE", "position_type"),
                ("AGREEDBILLRATE", "agreed_bill_rate"),
                ("BILLFREQUENCY", None),
                ("AGREEDPAYRATE", "agreed_pay_rate"),
            ]
        ),
        _flag(False, "CORPTOCORP"),
        *_columns(
            [
                ("PAYFREQUENCY", None),
                ("CURRENCY", "currency"),
                ("FEE_TYPE", None),
                ("FEE_PERCENT", None),
                ("FEE", None),
            ]
        ),
    )


def submittal_interview_hire_activities_list(ctx: BiContext) -> pl.DataFrame:
    start, end = ctx.window()
    names = ctx.state.candidates().select("candidate_id", "first_name", "last_name", "email")
    frame = (
        _activities_with_jobs(ctx)
        .join(names, on="candidate_id", how="left")
        .filter(_between("updated_at", start, end))  # ACTIVITYDATE = last update (reference §4)
    )
    return frame.sort("activity_id").select(
        *_columns(
            [
                ("ACTIVITYID", "activity_id"),
                ("JOBID", "job_id"),
                ("JOBREFERENCENUMBER", "job_jobdiva_no"),
                ("CANDIDATEID", "candidate_id"),
                ("FIRSTNAME", "first_name"),
                ("LASTNAME", "last_name"),
                ("EMAIL", "email"),
                ("USERID", "user_id"),
                ("SUBMITTALFLAG", "submittal_flag"),
            ]
        ),
        _flag(False, "INTERNALSUBMITTALFLAG"),
        *_columns(
            [
                ("SUBMITTALDATE", "submittal_date"),
                ("INTERVIEWFLAG", "interview_flag"),
                ("INTERVIEWDATE", "interview_date"),
                ("INTERVIEW_TYPE", None),
                ("HIREFLAG", "hire_flag"),
                ("STARTDATE", "start_date"),
                ("START_STATUS", None),
                ("EXTERNALREJECTDATE", "reject_date"),
                ("INTERNALREJECTDATE", None),
                ("TERMINATIONDATE", None),
                ("ACTIVITYDATE", "updated_at"),
            ]
        ),
    )


# ----- jobs ----------------------------------------------------------------------------------

_JOB_FEED = [
    ("JOBID", "job_id"),
    ("JOBDIVANO", "jobdiva_no"),
    ("OPTIONALREFERENCENO", "optional_ref_no"),
    ("DIVISIONID", "division_id"),
    ("DIVISIONNAME", "division_name"),
    ("PRIMARYRECRUITERID", "primary_recruiter_id"),
    ("PRIMARYSALESID", "primary_sales_id"),
    ("COMPANYID", "company_id"),
    ("USERID", "owner_id"),
    ("COMPANYNAME", "company_name"),
    ("PRIMARYOWNERID", "owner_id"),
    ("CONTACTID", "contact_id"),
    ("CONTACTFIRSTNAME", "contact_first_name"),
    ("CONTACTLASTNAME", "contact_last_name"),
    ("ISSUEDATE", "issue_date"),
    ("DATEUPDATED", "updated_at"),
    ("DATEUSERFIELDUPDATED", None),
    ("DATESTATUSUPDATED", "status_updated_at"),
    ("STARTDATE", "start_date"),
    ("ENDDATE", "end_date"),
    ("POSITIONTYPE", "position_type"),
    ("JOBSTATUS", "job_status"),
    ("TITLE", "title"),
    ("OPENINGS", "openings"),
    ("FILLS", "fills"),
    ("MAXALLOWEDSUBMITTALS", None),
    ("CITY", "city"),
    ("STATE", "state"),
    ("ZIPCODE", "zipcode"),
    ("PRIORITY", "priority"),
    ("BILLRATEMIN", "bill_rate_min"),
    ("BILLRATEMAX", "bill_rate_max"),
    ("BILLFREQUENCY", None),
    ("PAYRATEMIN", "pay_rate_min"),
    ("PAYRATEMAX", "pay_rate_max"),
    ("PAYFREQUENCY", None),
    ("CURRENCY", "currency"),
]

_JOB_DETAIL = [
    ("ID", "job_id"),  # `ID` here, `JOBID` in the feeds (reference §9.6)
    ("JOBDIVANO", "jobdiva_no"),
    ("REFNO", "optional_ref_no"),
    ("DATEISSUED", "issue_date"),
    ("DATEUPDATED", "updated_at"),
    ("DATEUSERFIELDUPDATED", None),
    ("DATESTATUSUPDATED", "status_updated_at"),
    ("JOBSTATUS", "job_status"),
    ("CUSTOMERID", "contact_id"),
    ("COMPANYID", "company_id"),
    ("COMPANYNAME", "company_name"),
    ("CONTACTID", "contact_id"),
    ("CONTACTFIRSTNAME", "contact_first_name"),
    ("CONTACTLASTNAME", "contact_last_name"),
    ("DIVISIONID", "division_id"),
    ("DIVISIONNAME", "division_name"),
    ("CITY", "city"),
    ("STATE", "state"),
    ("ZIPCODE", "zipcode"),
    ("PRIORITY", "priority"),
    ("STARTDATE", "start_date"),
    ("ENDDATE", "end_date"),
    ("POSITIONS", "openings"),
    ("FILLS", "fills"),
    ("MAXALLOWEDSUBMITTALS", None),
    ("BILLRATEMIN", "bill_rate_min"),
    ("BILLRATEMAX", "bill_rate_max"),
    ("BILLRATEPER", None),
    ("PAYRATEMIN", "pay_rate_min"),
    ("PAYRATEMAX", "pay_rate_max"),
    ("PAYRATEPER", None),
    ("CURRENCY", "currency"),
    ("POSITIONTYPE", "position_type"),
    ("JOBTITLE", "title"),
    ("SKILLS", "skills"),
    ("JOBDESCRIPTION", "description_html"),
    ("PRIMARYRECRUITERID", "primary_recruiter_id"),
    ("PRIMARYSALESID", "primary_sales_id"),
    ("CREATED_BY", "owner_id"),
]


def new_updated_job_records(ctx: BiContext) -> pl.DataFrame:
    start, end = ctx.window()
    frame = ctx.state.jobs().filter(_touched_in(["issue_date", "updated_at"], start, end))
    return frame.sort("job_id").select(_columns(_JOB_FEED))


def _job_details(ctx: BiContext, ids: list[int]) -> pl.DataFrame:
    frame = ctx.state.jobs().filter(pl.col("job_id").is_in(ids)).sort("job_id")
    # Mixed-case key seen live on JobDetail (reference §3.1).
    return frame.select(*_columns(_JOB_DETAIL), _flag(False, "HealthCare"))


def jobs_detail(ctx: BiContext) -> pl.DataFrame:
    return _job_details(ctx, ctx.ids("jobIds"))


def job_detail(ctx: BiContext) -> pl.DataFrame:
    return _job_details(ctx, [ctx.single_id("jobId")])


def _job_user_rows(ctx: BiContext, ids: list[int]) -> pl.DataFrame:
    frame = ctx.state.job_users().filter(pl.col("job_id").is_in(ids)).sort("job_id", "user_id")
    return frame.select(
        _col("job_id", "JOBID"),
        _col("user_id", "USERID"),
        _col("primary_recruiter", "PRIMARYRECRUITER"),
        _col("recruiter", "RECRUITER"),
        _flag(False, "Secondary Recruiter"),
        _flag(False, "Tertiary Recruiter"),
        _col("primary_sales", "PRIMARYSALES"),
        _col("sales", "SALES"),
        _flag(False, "Secondary Sales"),
        _flag(False, "Tertiary Sales"),
        _col("date_last_assigned", "DATELASTASSIGNED"),
    )


def jobs_users_detail(ctx: BiContext) -> pl.DataFrame:
    return _job_user_rows(ctx, ctx.ids("jobIds"))


def job_users_detail(ctx: BiContext) -> pl.DataFrame:
    return _job_user_rows(ctx, [ctx.single_id("jobId")])


def open_jobs_list(ctx: BiContext) -> pl.DataFrame:
    frame = ctx.state.jobs().filter(pl.col("job_status") == "OPEN").sort("job_id")
    contact_name = pl.concat_str(
        "contact_first_name", "contact_last_name", separator=" ", ignore_nulls=True
    )
    columns = _columns(_JOB_FEED)
    contact_at = [name for name, _ in _JOB_FEED].index("CONTACTFIRSTNAME")
    return frame.select(
        *columns[:contact_at], contact_name.alias("CONTACTNAME"), *columns[contact_at + 2 :]
    )


def divisions_list(ctx: BiContext) -> pl.DataFrame:
    jobs = ctx.state.jobs().select("division_id", "division_name").drop_nulls("division_id")
    return (
        jobs.unique("division_id")
        .sort("division_id")
        .select(_col("division_id", "DIVISIONID"), _col("division_name", "DIVISIONNAME"))
    )


def userfields_list(ctx: BiContext) -> pl.DataFrame:
    names = list(dict.fromkeys((*ctx.udf_names, APPLICATION_TYPE_UDF)))
    return pl.DataFrame(
        {
            "ID": list(range(1, len(names) + 1)),
            "FIELDNAME": names,
            "FIELDTYPE": ["Drop Down" if n == APPLICATION_TYPE_UDF else "String" for n in names],
            "FIELDSIZE": [50] * len(names),
            "FIELDFOR": ["Candidates"] * len(names),
            "MANDATORY": ["No"] * len(names),
            "TABNAME": ["General"] * len(names),
        }
    )


# ----- users ---------------------------------------------------------------------------------


def users_list(ctx: BiContext) -> pl.DataFrame:
    return (
        ctx.state.users()
        .sort("user_id")
        .select(
            *_columns(
                [
                    ("USERID", "user_id"),
                    ("FIRSTNAME", "first_name"),
                    ("LASTNAME", "last_name"),
                    ("EMAIL", "email"),
                    ("DATECREATED", "created_at"),
                    ("ACTIVEFLAG", "active"),
                    ("DIVISION", "division"),
                    ("TITLE", "title"),
                    ("CITY", "city"),
                    ("STATE", "state"),
                    ("WORKPHONE", "work_phone"),
                    ("EXTENSION", None),
                    ("CELLPHONE", None),
                    ("RECRUITERFLAG", "recruiter_flag"),
                    ("SALESFLAG", "sales_flag"),
                    ("LINKEDIN", None),
                    ("MYSPACE", None),
                    ("FACEBOOK", None),
                    ("TWITTER", None),
                    ("YOUTUBE", None),
                ]
            )
        )
    )


def new_updated_user_records(ctx: BiContext) -> pl.DataFrame:
    start, end = ctx.window()
    frame = ctx.state.users().filter(_touched_in(["created_at", "updated_at"], start, end))
    return frame.sort("user_id").select(
        *_columns(
            [
                ("USERID", "user_id"),
                ("EMAIL", "email"),
                ("FIRSTNAME", "first_name"),
                ("LASTNAME", "last_name"),
                ("TITLE", "title"),
                ("DIVISION", "division"),
                ("ACTIVEFLAG", "active"),
                ("RECRUITERFLAG", "recruiter_flag"),
            ]
        ),
        _flag(False, "RECRUITINGMANAGERFLAG"),
        _flag(False, "TEAMLEADERFLAG"),
    )


# ----- tombstones ----------------------------------------------------------------------------


def _tombstones(ctx: BiContext, kind: str) -> pl.DataFrame:
    start, end = ctx.window()
    frame = ctx.state.tombstones().filter((pl.col("kind") == kind) & _between("at", start, end))
    return frame.sort("at", "candidate_id")


def deleted_candidate_records(ctx: BiContext) -> pl.DataFrame:
    return _tombstones(ctx, "deleted").select(
        _col("candidate_id", "CANDIDATEID"), _col("at", "DATEDELETED")
    )


def merged_candidates(ctx: BiContext) -> pl.DataFrame:
    return _tombstones(ctx, "merged").select(
        _col("candidate_id", "CANDIDATEID"),
        _col("merged_to_candidate_id", "MERGEDTOCANDIDATEID"),
        # Computed column rendered with a trailing ".0" (reference §3.2).
        (pl.col("at").dt.strftime("%Y-%m-%dT%H:%M:%S") + ".0").alias("DATEMERGED"),
    )


def redacted_candidates_records(ctx: BiContext) -> pl.DataFrame:
    # Columns are not public (reference §5); chosen: the id and when it was redacted.
    return _tombstones(ctx, "redacted").select(
        _col("candidate_id", "CANDIDATEID"), _col("at", "DATEREDACTED")
    )


def _empty_feed(columns: Sequence[str]) -> Query:
    """Tombstone feeds the world has no events for: validated, always empty."""

    def query(ctx: BiContext) -> pl.DataFrame:
        ctx.window()
        return pl.DataFrame(schema=dict.fromkeys(columns, pl.Utf8))

    return query


def _endpoint(name: str, label: str, query: Query, **kwargs: object) -> BiEndpoint:
    return BiEndpoint(name=name, label=label, query=query, **kwargs)  # type: ignore[arg-type]


_CANDIDATE_QUIRKS = {"null_literal_columns": _CANDIDATE_NULL_LITERALS}

ENDPOINTS: dict[str, BiEndpoint] = {
    e.name: e
    for e in (
        _endpoint(
            "NewUpdatedCandidateRecords",
            "New/Updated Candidate Records",
            new_updated_candidate_records,
            id_column="CANDIDATEID",
            **_CANDIDATE_QUIRKS,
        ),
        _endpoint(
            "CandidatesDetail",
            "Candidates Detail",
            candidates_detail,
            id_column="ID",
            **_CANDIDATE_QUIRKS,
        ),
        _endpoint(
            "CandidateDetail",
            "Candidate Detail",
            candidate_detail,
            id_column="ID",
            **_CANDIDATE_QUIRKS,
        ),
        _endpoint(
            "CandidatesResumesDetail", "Candidates Resumes Detail", candidates_resumes_detail
        ),
        _endpoint("CandidateResumesDetail", "Candidate Resumes Detail", candidate_resumes_detail),
        _endpoint("ResumesTextDetail", "Resumes Text Detail", resumes_text_detail),
        _endpoint(
            "CandidateAttachmentList", "Candidate Attachment List", candidate_attachment_list
        ),
        _endpoint(
            "CandidateAttachmentDetail", "Candidate Attachment Detail", candidate_attachment_detail
        ),
        _endpoint(
            "CandidateApplicationRecords",
            "Candidate Application Records",
            candidate_application_records,
        ),
        _endpoint("JobApplicantsDetail", "Job Applicants Detail", job_applicants_detail),
        _endpoint(
            "NewUpdatedActivityRecords",
            "New/Updated Activity Records",
            new_updated_activity_records,
            id_column="ACTIVITYID",
            null_literal_columns=("REJECTREASON",),
        ),
        _endpoint(
            "SubmittalInterviewHireActivitiesList",
            "Submittal/Interview/Hire Activities List",
            submittal_interview_hire_activities_list,
        ),
        _endpoint("NewUpdatedJobRecords", "New/Updated Job Records", new_updated_job_records),
        _endpoint(
            "JobsDetail",
            "Jobs Detail",
            jobs_detail,
            id_column="ID",
            null_literal_columns=("SKILLS", "REFNO"),
        ),
        _endpoint(
            "JobDetail",
            "Job Detail",
            job_detail,
            id_column="ID",
            null_literal_columns=("SKILLS", "REFNO"),
        ),
        _endpoint("JobsUsersDetail", "Jobs Users Detail", jobs_users_detail),
        _endpoint("JobUsersDetail", "Job Users Detail", job_users_detail),
        _endpoint("OpenJobsList", "Open Jobs List", open_jobs_list),
        _endpoint("DivisionsList", "Divisions List", divisions_list),
        _endpoint("UserfieldsList", "Userfields List", userfields_list),
        _endpoint("UsersList", "Users List", users_list),
        _endpoint("NewUpdatedUserRecords", "New/Updated User Records", new_updated_user_records),
        _endpoint(
            "DeletedCandidateRecords", "Deleted Candidate Records", deleted_candidate_records
        ),
        _endpoint("MergedCandidates", "Merged Candidates", merged_candidates),
        _endpoint(
            "RedactedCandidatesRecords", "Redacted Candidates Records", redacted_candidates_records
        ),
        _endpoint(
            "DeletedJobRecords", "Deleted Job Records", _empty_feed(["JOBID", "DATEDELETED"])
        ),
        _endpoint(
            "MergedJobs",
            "Merged Jobs",
            _empty_feed(["JOBID", "MERGETOJOBID", "USERID", "DATEMERGED"]),
        ),
        _endpoint(
            "DeletedActivityRecords",
            "Deleted Activity Records",
            _empty_feed(["ACTIVITYID", "DATEDELETED"]),
        ),
    )
}
