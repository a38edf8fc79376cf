"""`GET /candidates/{id}`: one candidate as a recruiter reads it — ATS data beside the profile."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from search_api.config import ApiConfig

EVIDENCE_SHOWN = 8


class Application(BaseModel):
    job_id: str
    job_title: str | None = None
    status: str | None = None
    updated_at: str | None = None
    recruiter_id: str | None = None
    recruiter_name: str | None = None
    summary: str = Field(description="'<requisition> — <status>, updated <day>, <recruiter>'")


class Attachment(BaseModel):
    attachment_id: str
    filename: str | None = None
    attachment_type: str | None = None
    uploaded_at: str | None = None


class LinkEvidence(BaseModel):
    match_method: str
    match_probability: float | None = None
    explanation: str = Field(description="e.g. 'matched on LinkedIn URL' or the fields that agreed")
    evidence: list[dict[str, Any]] = Field(default_factory=list)


class AtsData(BaseModel):
    name: str | None = None
    emails: list[str] = Field(default_factory=list)
    phones: list[str] = Field(default_factory=list)
    location: str | None = None
    linkedin_url: str | None = None
    github_url: str | None = None
    other_urls: list[str] = Field(default_factory=list)
    application_type: str | None = None
    status: str | None = None
    is_active: bool | None = None
    last_updated: str | None = None
    applications: list[Application] = Field(default_factory=list)
    attachments: list[Attachment] = Field(default_factory=list)
    view_in_jobdiva: str


class ProfileData(BaseModel):
    profile_id: str
    name: str | None = None
    headline: str | None = None
    location: str | None = None
    linkedin_url: str | None = None
    github_url: str | None = None
    other_urls: list[str] = Field(default_factory=list)
    current_title: str | None = None
    current_company: str | None = None
    past_titles: list[str] = Field(default_factory=list)
    past_companies: list[str] = Field(default_factory=list)
    years_of_experience: float | None = None
    years_in_current_role: float | None = None
    industry: str | None = None
    company_size: str | None = None
    schools: list[str] = Field(default_factory=list)
    degrees: list[str] = Field(default_factory=list)
    majors: list[str] = Field(default_factory=list)
    skills: list[str] = Field(default_factory=list)
    certifications: list[str] = Field(default_factory=list)
    languages: list[str] = Field(default_factory=list)
    groups: list[str] = Field(default_factory=list)
    interests: list[str] = Field(default_factory=list)
    honors: list[str] = Field(default_factory=list)
    diversity: dict[str, str] = Field(default_factory=dict)
    enriched_as_of: str | None = None
    link: LinkEvidence


class CandidateProfile(BaseModel):
    candidate_id: str
    ats: AtsData
    resume_skills: list[str] = Field(default_factory=list)
    resume_titles: list[str] = Field(default_factory=list)
    profile: ProfileData | None = Field(
        default=None, description="the linked public profile; null when none was matched"
    )


def application_summary(app: dict[str, Any]) -> str:
    """`Data Engineer (123) — Rejected, updated 2026-11-02, Pat Lee`."""
    requisition = app.get("job_title") or "Job"
    head = f"{requisition} ({app['job_id']}) — {app.get('status') or 'no status'}"
    if app.get("updated_at"):
        head += f", updated {app['updated_at'][:10]}"
    if app.get("recruiter_name"):
        head += f", {app['recruiter_name']}"
    return head


def explain_link(method: str, evidence: list[dict[str, Any]] | None) -> str:
    """A recruiter's sentence for why a profile was linked."""
    if method == "linkedin_url":
        return "matched on LinkedIn URL"
    if method == "github_url":
        return "matched on GitHub URL"
    agreeing = [
        item["comparison"].replace("_", " ")
        for item in sorted(evidence or [], key=lambda item: -(item.get("weight") or 0))
        if (item.get("weight") or 0) > 0
    ]
    if not agreeing:
        return "matched by the probabilistic model"
    return "matched on " + ", ".join(agreeing[:EVIDENCE_SHOWN])


def candidate_profile(document: dict[str, Any], config: ApiConfig) -> CandidateProfile:
    """The profile view of an index document."""
    get = document.get
    ats = AtsData(
        name=get("name"),
        emails=get("emails") or [],
        phones=get("phones") or [],
        location=get("location"),
        linkedin_url=get("linkedin_url"),
        github_url=get("github_url"),
        other_urls=get("other_urls") or [],
        application_type=get("application_type"),
        status=get("status"),
        is_active=get("is_active"),
        last_updated=get("updated_at"),
        applications=[
            Application(
                **{k: app.get(k) for k in Application.model_fields if k != "summary"},
                summary=application_summary(app),
            )
            for app in get("applications") or []
        ],
        attachments=[Attachment(**attachment) for attachment in get("attachments") or []],
        view_in_jobdiva=config.candidate_url(document["candidate_id"]),
    )
    profile = None
    if get("profile_id"):
        method = get("match_method") or "unknown"
        profile = ProfileData(
            profile_id=get("profile_id"),
            name=get("profile_name"),
            headline=get("profile_headline"),
            location=get("profile_location"),
            linkedin_url=get("profile_linkedin_url"),
            github_url=get("profile_github_url"),
            other_urls=get("profile_other_urls") or [],
            current_title=get("current_title"),
            current_company=get("current_company"),
            past_titles=get("past_titles") or [],
            past_companies=get("past_companies") or [],
            years_of_experience=get("years_of_experience"),
            years_in_current_role=get("years_in_current_role"),
            industry=get("industry"),
            company_size=get("company_size"),
            schools=get("schools") or [],
            degrees=get("degrees") or [],
            majors=get("majors") or [],
            skills=get("profile_skills") or [],
            certifications=get("certifications") or [],
            languages=get("languages") or [],
            groups=get("groups") or [],
            interests=get("interests") or [],
            honors=get("honors") or [],
            diversity={
                name.removeprefix("diversity_"): get(name)
                for name in (
                    "diversity_gender",
                    "diversity_ethnicity",
                    "diversity_veteran",
                    "diversity_disability",
                )
                if get(name)
            },
            enriched_as_of=get("enriched_as_of"),
            link=LinkEvidence(
                match_method=method,
                match_probability=get("match_probability"),
                explanation=explain_link(method, get("match_evidence")),
                evidence=get("match_evidence") or [],
            ),
        )
    return CandidateProfile(
        candidate_id=document["candidate_id"],
        ats=ats,
        resume_skills=get("resume_skills") or [],
        resume_titles=get("resume_titles") or [],
        profile=profile,
    )
