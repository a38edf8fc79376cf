"""The index document of the Meilisearch index `candidates` and its settings (ARCHITECTURE §6).

One document per live candidate, id ``candidate_id``. ATS values keep their own names; values
from the linked public profile sit beside them (``profile_*`` where a name would clash), never
over them. Fields ending in ``_terms`` are filter-only word lists (:mod:`search_index.terms`)
that make scoped Boolean terms exact; fields ending in ``_ts`` are UNIX seconds (UTC).

This module is the contract between the pipeline (which writes documents) and the search API
(which compiles queries against them); the API imports it, never the other way round.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

INDEX_UID = "candidates"
PRIMARY_KEY = "candidate_id"

# --- field groups ------------------------------------------------------------------------------

ATS_FIELDS = (
    "candidate_id", "name", "first_name", "last_name", "emails", "phones",
    "city", "state", "postal_code", "country", "location",
    "linkedin_url", "github_url", "other_urls",
    "application_type", "status", "status_at_ts", "is_active", "source",
    "created_at_ts", "updated_at_ts", "updated_at", "aliases",
    # applications: [{job_id, job_title, status, updated_at, updated_at_ts, recruiter_id,
    # recruiter_name}] for display; the lists below are their filterable projections
    "applications", "job_ids", "job_titles", "application_statuses", "job_status",
    "recruiter_ids", "recruiter_names",
    "resume_text", "resume_text_truncated",
    # attachments: [{attachment_id, filename, attachment_type, uploaded_at}]; texts apart
    "attachments", "attachment_text", "attachment_text_truncated",
)  # fmt: skip
PROFILE_FIELDS = (
    "is_matched", "profile_id", "match_probability", "match_method", "match_evidence",
    "profile_name", "profile_headline", "profile_location",
    "profile_linkedin_url", "profile_github_url", "profile_other_urls",
    "current_title", "current_company", "past_titles", "past_companies",
    "years_of_experience", "experience_bucket", "years_in_current_role", "tenure_bucket",
    "industry", "company_size", "schools", "degrees", "majors",
    "certifications", "languages", "groups", "interests", "honors", "profile_skills",
    "diversity_gender", "diversity_ethnicity", "diversity_veteran", "diversity_disability",
    "enriched_as_of", "enriched_as_of_ts",
)  # fmt: skip
# Everyone's, from the resume whether matched or not; and the unions used for search/facets.
COMBINED_FIELDS = ("resume_skills", "resume_titles", "titles", "companies", "skills")
TERM_FIELDS = (
    "title_terms",  # titles: current, past, resume
    "current_title_terms",
    "company_terms",  # current and past companies
    "current_company_terms",
    "past_company_terms",
    "skill_terms",  # profile and resume skills
    "school_terms",
    "degree_terms",
    "major_terms",
    "location_terms",  # city, state code and name, country, "city state"
    "certification_terms",
    "language_terms",
    "industry_terms",
)
DOCUMENT_FIELDS = ATS_FIELDS + PROFILE_FIELDS + COMBINED_FIELDS + TERM_FIELDS

# --- settings ----------------------------------------------------------------------------------

# Order is rank: a hit in a name or title beats one deep in a resume.
SEARCHABLE = [
    "name", "current_title", "titles", "current_company", "companies", "skills",
    "profile_headline", "schools", "degrees", "majors", "certifications", "industry",
    "location", "emails", "candidate_id", "job_titles", "resume_text", "attachment_text",
]  # fmt: skip
# Exact facets (insights and click-to-filter) and ATS filters.
FACETS = [
    "location", "city", "state", "country",
    "current_title", "current_company", "past_titles", "past_companies", "titles", "companies",
    "skills", "experience_bucket", "tenure_bucket", "schools", "degrees", "majors",
    "industry", "company_size", "certifications", "languages", "groups", "interests", "honors",
    "diversity_gender", "diversity_ethnicity", "diversity_veteran", "diversity_disability",
    "application_type", "status", "is_active", "source", "is_matched", "match_method",
    "job_ids", "application_statuses", "job_status", "recruiter_ids", "recruiter_names",
]  # fmt: skip
NUMERIC_FILTERS = [
    "years_of_experience", "years_in_current_role", "updated_at_ts", "created_at_ts",
    "status_at_ts", "match_probability", "enriched_as_of_ts",
]  # fmt: skip
SORTABLE = [
    "updated_at_ts", "created_at_ts", "years_of_experience", "years_in_current_role",
    "match_probability", "last_name", "first_name", "enriched_as_of_ts",
]  # fmt: skip
# Ids, e-mails and skills are exact: `c#` must not match `c`, an e-mail no neighbour's.
TYPO_OFF_ATTRIBUTES = ["candidate_id", "emails", "skills"]
# Page depth a recruiter can reach; exact totals come from facet counts (uncapped).
MAX_TOTAL_HITS = 10_000
MAX_VALUES_PER_FACET = 100
# Resume and attachment text beyond this many characters is cut (and flagged in the document):
# Meilisearch indexes at most 65,535 positions per attribute and drops the rest silently.
MAX_TEXT_CHARS = 60_000


def _filterable(patterns: list[str], *, facet_search: bool, comparison: bool) -> dict[str, Any]:
    """One granular filterable entry: only the features the API uses (cheaper to index)."""
    return {
        "attributePatterns": patterns,
        "features": {
            "facetSearch": facet_search,
            "filter": {"equality": True, "comparison": comparison},
        },
    }


def index_settings() -> dict[str, Any]:
    """The full settings payload, applied before any document is added."""
    return {
        "searchableAttributes": SEARCHABLE,
        "displayedAttributes": ["*"],
        "filterableAttributes": [
            _filterable(FACETS, facet_search=True, comparison=False),
            _filterable([*TERM_FIELDS, "candidate_id"], facet_search=False, comparison=False),
            _filterable(NUMERIC_FILTERS, facet_search=False, comparison=True),
        ],
        "sortableAttributes": SORTABLE,
        "rankingRules": ["words", "typo", "proximity", "attribute", "sort", "exactness"],
        "typoTolerance": {
            "enabled": True,
            "disableOnAttributes": TYPO_OFF_ATTRIBUTES,
            "disableOnNumbers": True,
        },
        "nonSeparatorTokens": ["+", "#"],
        "pagination": {"maxTotalHits": MAX_TOTAL_HITS},
        "faceting": {
            "maxValuesPerFacet": MAX_VALUES_PER_FACET,
            "sortFacetValuesBy": {"*": "count"},
        },
    }


def settings_hash(settings: dict[str, Any] | None = None) -> str:
    """A short digest of a settings payload (canonical JSON), shown in materialization metadata.

    >>> settings_hash() == settings_hash(index_settings())
    True
    """
    payload = json.dumps(settings if settings is not None else index_settings(), sort_keys=True)
    return hashlib.sha256(payload.encode()).hexdigest()[:16]
