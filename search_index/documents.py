"""`enriched_candidates` rows → documents of the index `candidates` (fields: schema.py).

Pure and row-wise: the same row always gives the same document, so the asset check can rebuild
a sample of documents from the table and compare them with what the index holds.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import UTC, date, datetime, time
from typing import Any

import polars as pl

from enrichment.derive import distinct_values
from normalize.regions import US_STATES
from search_index.schema import DOCUMENT_FIELDS, MAX_TEXT_CHARS
from search_index.terms import terms_of

# State code → its name (the first listed spelling), so `location:texas` finds `TX`.
STATE_NAMES: dict[str, str] = {}
for _name, _code in US_STATES.items():
    STATE_NAMES.setdefault(_code, _name.title())

# Evidence weights shown to a recruiter need no more precision than this.
_WEIGHT_DIGITS = 2


def _ts(value: datetime | None) -> int | None:
    return int(value.timestamp()) if isinstance(value, datetime) else None


def _iso(value: datetime | date | None) -> str | None:
    return value.isoformat() if isinstance(value, datetime | date) else None


def _cut(text: str | None) -> tuple[str | None, bool]:
    if text is None:
        return None, False
    if len(text) <= MAX_TEXT_CHARS:
        return text, False
    return text[:MAX_TEXT_CHARS], True


def _round(value: float | None, digits: int) -> float | None:
    return round(value, digits) if value is not None else None


def display_name(first: str | None, last: str | None) -> str | None:
    return " ".join(part for part in (first, last) if part) or None


def display_location(city: str | None, state: str | None, country: str | None) -> str | None:
    """`Austin, TX` for the US, `Toronto, ON, CA` elsewhere; None when nothing is known.

    >>> display_location("Austin", "TX", "US"), display_location(None, None, "GB")
    ('Austin, TX', 'GB')
    """
    parts = [city, state] if country in (None, "US") else [city, state, country]
    return ", ".join(part for part in parts if part) or None


def location_values(city: str | None, state: str | None, country: str | None) -> list[str]:
    """What a location filter may name: the city, the state code and name, the country, and
    the city with its state (`austin tx`), as phrase terms.

    >>> location_values("Austin", "TX", "US")[:4]
    ['austin', 'austin tx', 'tx', 'texas']
    """
    values = [city, f"{city} {state}" if city and state else None, state]
    if state and country in (None, "US"):
        values.append(STATE_NAMES.get(state))
    values.append(country)
    if country == "US":
        values.extend(["United States", "USA"])
    return terms_of(values)


def _applications(apps: list[Mapping[str, Any]] | None) -> list[dict[str, Any]]:
    return [
        {
            "job_id": app["job_id"],
            "job_title": app["job_title"],
            "status": app["status"],
            "updated_at": _iso(app["updated_at"]),
            "updated_at_ts": _ts(app["updated_at"]),
            "recruiter_id": app["recruiter_id"],
            "recruiter_name": app["recruiter_name"],
        }
        for app in apps or []
    ]


def _evidence(items: list[Mapping[str, Any]] | None) -> list[dict[str, Any]] | None:
    if not items:
        return None
    return [
        {
            "comparison": item["comparison"],
            "level": item["level"],
            "weight": round(float(item["weight"]), _WEIGHT_DIGITS)
            if item["weight"] is not None
            else None,
        }
        for item in items
    ]


def to_document(row: Mapping[str, Any]) -> dict[str, Any]:
    """The index document of one enriched row; fields without a value are left out."""
    past_titles = row.get("past_titles") or []
    past_companies = row.get("past_companies") or []
    resume_titles = row.get("resume_titles") or []
    resume_skills = row.get("resume_skills") or []
    profile_skills = row.get("profile_skills") or []
    titles = distinct_values([row.get("current_title"), *past_titles, *resume_titles])
    companies = distinct_values([row.get("current_company"), *past_companies])
    skills = distinct_values([*profile_skills, *resume_skills])
    apps = _applications(row.get("applications"))
    attachments = row.get("attachments") or []
    resume_text, resume_cut = _cut(row.get("resume_text"))
    attachment_text, attachment_cut = _cut(
        "\n\n".join(a["text"] for a in attachments if a.get("text")) or None
    )
    city, state, country = row.get("city"), row.get("state"), row.get("country")
    doc: dict[str, Any] = {
        "candidate_id": row["candidate_id"],
        "name": display_name(row.get("first_name"), row.get("last_name")),
        "first_name": row.get("first_name"),
        "last_name": row.get("last_name"),
        "emails": row.get("emails") or [],
        "phones": row.get("phones") or [],
        "city": city,
        "state": state,
        "postal_code": row.get("postal_code"),
        "country": country,
        "location": display_location(city, state, country),
        "linkedin_url": row.get("linkedin_url"),
        "github_url": row.get("github_url"),
        "other_urls": row.get("other_urls") or [],
        "application_type": row.get("application_type"),
        "status": row.get("status"),
        "status_at_ts": _ts(row.get("status_at")),
        "is_active": row.get("is_active"),
        "source": row.get("source"),
        "created_at_ts": _ts(row.get("created_at")),
        "updated_at_ts": _ts(row.get("updated_at")),
        "updated_at": _iso(row.get("updated_at")),
        "aliases": row.get("aliases") or [],
        "applications": apps,
        "job_ids": distinct_values(app["job_id"] for app in apps),
        "job_titles": distinct_values(app["job_title"] for app in apps),
        "application_statuses": distinct_values(app["status"] for app in apps),
        "job_status": distinct_values(f"{app['job_id']}|{app['status']}" for app in apps),
        "recruiter_ids": distinct_values(app["recruiter_id"] for app in apps),
        "recruiter_names": distinct_values(app["recruiter_name"] for app in apps),
        "resume_text": resume_text,
        "resume_text_truncated": resume_cut,
        "attachments": [
            {
                "attachment_id": a["attachment_id"],
                "filename": a["filename"],
                "attachment_type": a["attachment_type"],
                "uploaded_at": _iso(a["uploaded_at"]),
            }
            for a in attachments
        ],
        "attachment_text": attachment_text,
        "attachment_text_truncated": attachment_cut,
        "is_matched": row.get("profile_id") is not None,
        "profile_id": row.get("profile_id"),
        "match_probability": _round(row.get("match_probability"), 6),
        "match_method": row.get("match_method"),
        "match_evidence": _evidence(row.get("match_evidence")),
        "profile_name": row.get("profile_name"),
        "profile_headline": row.get("profile_headline"),
        "profile_location": row.get("profile_location"),
        "profile_linkedin_url": row.get("profile_linkedin_url"),
        "profile_github_url": row.get("profile_github_url"),
        "profile_other_urls": row.get("profile_other_urls") or [],
        "current_title": row.get("current_title"),
        "current_company": row.get("current_company"),
        "past_titles": past_titles,
        "past_companies": past_companies,
        "years_of_experience": row.get("years_of_experience"),
        "experience_bucket": row.get("experience_bucket"),
        "years_in_current_role": row.get("years_in_current_role"),
        "tenure_bucket": row.get("tenure_bucket"),
        "industry": row.get("industry"),
        "company_size": row.get("company_size"),
        "schools": row.get("schools") or [],
        "degrees": row.get("degrees") or [],
        "majors": row.get("majors") or [],
        "certifications": row.get("certifications") or [],
        "languages": row.get("languages") or [],
        "groups": row.get("groups") or [],
        "interests": row.get("interests") or [],
        "honors": row.get("honors") or [],
        "profile_skills": profile_skills,
        "diversity_gender": row.get("diversity_gender"),
        "diversity_ethnicity": row.get("diversity_ethnicity"),
        "diversity_veteran": row.get("diversity_veteran"),
        "diversity_disability": row.get("diversity_disability"),
        "enriched_as_of": _iso(row.get("enriched_as_of")),
        "enriched_as_of_ts": _ts(_midnight(row.get("enriched_as_of"))),
        "resume_skills": resume_skills,
        "resume_titles": resume_titles,
        "titles": titles,
        "companies": companies,
        "skills": skills,
        "title_terms": terms_of(titles),
        "current_title_terms": terms_of([row.get("current_title")]),
        "company_terms": terms_of(companies),
        "current_company_terms": terms_of([row.get("current_company")]),
        "past_company_terms": terms_of(past_companies),
        "skill_terms": terms_of(skills),
        "school_terms": terms_of(row.get("schools") or []),
        "degree_terms": terms_of(row.get("degrees") or []),
        "major_terms": terms_of(row.get("majors") or []),
        "location_terms": location_values(city, state, country),
        "certification_terms": terms_of(row.get("certifications") or []),
        "language_terms": terms_of(row.get("languages") or []),
        "industry_terms": terms_of([row.get("industry")]),
    }
    unknown = set(doc) - set(DOCUMENT_FIELDS)
    if unknown:  # the schema module is the contract: a field not declared there is a bug
        raise KeyError(f"document fields not declared in search_index.schema: {sorted(unknown)}")
    return {key: value for key, value in doc.items() if value is not None and value != []}


def _midnight(day: date | None) -> datetime | None:
    return datetime.combine(day, time(), UTC) if isinstance(day, date) else None


def documents(frame: pl.DataFrame) -> list[dict[str, Any]]:
    """The documents of every row of an enriched frame."""
    return [to_document(row) for row in frame.iter_rows(named=True)]


def document_batches(frame: pl.DataFrame, size: int) -> Iterator[list[dict[str, Any]]]:
    """Documents in batches of `size` rows (so a large table is never all in memory twice)."""
    for start in range(0, frame.height, size):
        yield documents(frame.slice(start, size))
