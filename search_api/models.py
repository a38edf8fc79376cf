"""Request and response bodies of the search API (their JSON Schema is the OpenAPI at /docs)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from search_api.query.filters import SearchFilters
from search_index.schema import SORTABLE

MAX_QUERY_CHARS = 10_000
EXAMPLE_SEARCHES = (
    '"data engineer" AND (python OR scala) -intern',
    "title:(engineer OR developer) AND skill:kubernetes",
    "java NOT javascript",
)


class SearchRequest(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"q": EXAMPLE_SEARCHES[0], "per_page": 20},
                {
                    "q": EXAMPLE_SEARCHES[1],
                    "filters": {"status": ["Submitted"], "years_of_experience": {"min": 5}},
                    "sort": ["updated_at_ts:desc"],
                },
            ]
        },
    )

    q: str = Field(
        default="",
        max_length=MAX_QUERY_CHARS,
        description='keywords, or a Boolean string: AND, OR, NOT, -term, "phrases", '
        "parentheses, field: scopes (title:, company:, skill:, school:, location:, …)",
    )
    filters: SearchFilters | None = Field(default=None, description="power and ATS filters")
    sort: list[str] = Field(
        default_factory=list,
        max_length=3,
        description=f"e.g. updated_at_ts:desc; fields: {', '.join(SORTABLE)}",
    )
    page: int = Field(default=1, ge=1, le=10_000)
    per_page: int = Field(default=20, ge=1, le=1000)
    highlight: bool = Field(default=True, description="highlights and resume/attachment crops")
    facets: list[str] = Field(
        default_factory=list,
        max_length=40,
        description="facet fields to count over the whole result set (filter panel counts)",
    )

    @field_validator("sort")
    @classmethod
    def _known_sort(cls, values: list[str]) -> list[str]:
        for value in values:
            field, _, direction = value.partition(":")
            if field not in SORTABLE or direction not in ("asc", "desc"):
                raise ValueError(f"sort {value!r}: use <field>:asc|desc with a field of {SORTABLE}")
        return values


class InsightsRequest(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"q": EXAMPLE_SEARCHES[0]}]},
    )

    q: str = Field(default="", max_length=MAX_QUERY_CHARS)
    filters: SearchFilters | None = None
    top: int | None = Field(default=None, ge=1, le=100, description="values per dimension")


class Hit(BaseModel):
    candidate_id: str
    name: str | None = None
    current_title: str | None = None
    current_company: str | None = None
    location: str | None = None
    status: str | None = None
    application_type: str | None = None
    updated_at: str | None = None
    linkedin_url: str | None = None
    profile_linkedin_url: str | None = None
    is_matched: bool = False
    matched_clauses: list[str] = Field(
        default_factory=list, description="the Boolean clauses (DNF conjuncts) this hit matched"
    )
    highlights: dict[str, Any] = Field(
        default_factory=dict, description="field → highlighted or cropped text (<mark>…</mark>)"
    )
    view_in_jobdiva: str


class SearchResponse(BaseModel):
    hits: list[Hit]
    total: int
    total_is_exact: bool = Field(
        description="false when more candidates match than the index counts exactly "
        "(maxTotalHits); `total` is then a lower bound"
    )
    page: int
    per_page: int
    plan: dict[str, Any]
    warnings: list[str]
    facets: dict[str, dict[str, int]] = Field(default_factory=dict)


class HealthResponse(BaseModel):
    status: str
    meilisearch: bool
    index_uid: str
    documents: int | None = None
    newest_candidate_update: str | None = None
    newest_enrichment: str | None = None
