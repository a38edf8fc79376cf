"""Structured search filters (power filters and ATS filters) as Meilisearch filter expressions.

Word-like filters (titles, companies, location, skills, education, certifications, languages,
industry) compare the folded phrase (search_index.terms.normal_phrase) with the filter-only
``*_terms`` lists, so ``title: ["Software Engineer"]`` matches "Senior Software Engineer II"
exactly as the query scope ``title:"software engineer"`` does. Exact facets (company size,
diversity, application type, status, jobs, recruiters) compare the stored value itself
(Meilisearch compares filter strings case-insensitively). OR within one list, AND across fields.

Every value goes through :func:`quote_value`, so no input can change a filter's structure.

>>> SearchFilters(title=["Software Engineer"], skills=["Java", "C++"]).to_filter_expression()
'title_terms = "software engineer" AND skill_terms = "java" AND skill_terms = "c++"'
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

from search_index import terms

# Meilisearch ignores filterable values longer than this many bytes (known limitations).
MAX_VALUE_BYTES = terms.MAX_TERM_BYTES
# Values per list: an IN [...] of thousands of values is a mistake, not a search.
MAX_VALUES_PER_FILTER = 500


def quote_value(value: str) -> str:
    """A Meilisearch filter string literal for ``value``, matched literally.

    Backslashes and double quotes are escaped (Meilisearch 1.21 unescapes both; checked on the
    binary with quotes, backslashes, ``]``, newlines and injection attempts).

    >>> quote_value('x" OR is_active = true')
    '"x\\\\" OR is_active = true"'
    """
    if len(value.encode()) > MAX_VALUE_BYTES:
        raise ValueError(
            f"a filter value may have at most {MAX_VALUE_BYTES} bytes (Meilisearch limit); "
            f"got {len(value.encode())}"
        )
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def equals(field: str, value: str) -> str:
    return f"{field} = {quote_value(value)}"


def any_of(field: str, values: Sequence[str]) -> str:
    """``field = v`` for one value, ``field IN [...]`` for several (OR)."""
    if len(values) == 1:
        return equals(field, values[0])
    return f"{field} IN [{', '.join(quote_value(value) for value in values)}]"


def all_of(parts: Iterable[str | None]) -> str | None:
    """AND of the non-empty parts; a part with a top-level OR is parenthesised."""
    kept = [part for part in parts if part]
    if not kept:
        return None
    if len(kept) == 1:
        return kept[0]
    return " AND ".join(f"({part})" if _has_top_level_or(part) else part for part in kept)


def _has_top_level_or(expression: str) -> bool:
    """True when ``expression`` has an OR outside quotes and parentheses (Meilisearch binds
    NOT tighter than AND, and AND tighter than OR, so only OR needs parentheses in an AND)."""
    depth, in_quote, escaped = 0, False, False
    for i, ch in enumerate(expression):
        if escaped:
            escaped = False
        elif in_quote:
            escaped = ch == "\\"
            in_quote = ch != '"'
        elif ch == '"':
            in_quote = True
        elif ch in "()":
            depth += 1 if ch == "(" else -1
        elif depth == 0 and expression.startswith(" OR ", i):
            return True
    return False


def term_value(value: str, *, what: str) -> str:
    """A word-like filter value in the indexer's term form; refuses what can never match."""
    phrase = terms.normal_phrase(value)
    if not phrase:
        raise ValueError(f"{what}: {value!r} has no letters or digits")
    if len(phrase.split()) > terms.MAX_PHRASE_WORDS:
        raise ValueError(
            f"{what}: {value!r} has more than {terms.MAX_PHRASE_WORDS} words; the index keeps "
            "phrases up to that length only, so it could never match"
        )
    if len(phrase.encode()) > MAX_VALUE_BYTES:
        raise ValueError(f"{what}: {value!r} is longer than {MAX_VALUE_BYTES} bytes")
    return phrase


def _number(value: float) -> str:
    """A plain decimal (Meilisearch reads no exponent notation such as 1e-05)."""
    if float(value).is_integer():
        return str(int(value))
    return format(Decimal(repr(float(value))), "f")


def _timestamp(value: datetime | date, *, end_of_day: bool) -> int:
    """UNIX seconds; naive datetimes are UTC; a date covers its whole (UTC) day."""
    if isinstance(value, datetime):
        aware = value if value.tzinfo else value.replace(tzinfo=UTC)
        return int(aware.timestamp())
    day = value + timedelta(days=1) if end_of_day else value
    return int(datetime.combine(day, time(), tzinfo=UTC).timestamp())


class Range(BaseModel):
    """An inclusive numeric range; either end may be open."""

    model_config = ConfigDict(extra="forbid")

    min: float | None = Field(default=None, ge=0, le=100, allow_inf_nan=False)
    max: float | None = Field(default=None, ge=0, le=100, allow_inf_nan=False)

    @model_validator(mode="after")
    def _ordered(self) -> Range:
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError(f"min ({self.min}) is greater than max ({self.max})")
        return self

    def expression(self, field: str) -> str | None:
        parts = []
        if self.min is not None:
            parts.append(f"{field} >= {_number(self.min)}")
        if self.max is not None:
            parts.append(f"{field} <= {_number(self.max)}")
        return " AND ".join(parts) or None


class JobStatus(BaseModel):
    """Candidates whose application *to this job* has this status (one composite value)."""

    model_config = ConfigDict(extra="forbid")

    job_id: str = Field(min_length=1)
    status: str = Field(min_length=1)

    @field_validator("job_id")
    @classmethod
    def _no_separator(cls, value: str) -> str:
        if "|" in value:
            raise ValueError("a job id cannot contain '|' (it separates job and status)")
        return value

    def composite(self) -> str:
        return f"{self.job_id}|{self.status}"


# Request field -> index term list (word-like filters).
TERM_FILTERS = {
    "title": "title_terms",
    "current_company": "current_company_terms",
    "past_company": "past_company_terms",
    "company": "company_terms",
    "location": "location_terms",
    "school": "school_terms",
    "degree": "degree_terms",
    "major": "major_terms",
    "industry": "industry_terms",
    "certifications": "certification_terms",
    "languages": "language_terms",
}
# Request field -> exact facet of the index (the field has the same name).
FACET_FILTERS = (
    "company_size", "diversity_gender", "diversity_ethnicity", "diversity_veteran",
    "diversity_disability", "application_type", "status", "job_ids", "recruiter_ids",
    "recruiter_names",
)  # fmt: skip
_LIST_FIELDS = (*TERM_FILTERS, "skills", *FACET_FILTERS, "job_status")

ValueList = list[str]
_DATE_ONLY = re.compile(r"\d{4}-\d{2}-\d{2}")


class SearchFilters(BaseModel):
    """The structured filters of a search request (a single string is taken as a list of one)."""

    model_config = ConfigDict(extra="forbid")

    # power filters
    title: ValueList = []
    current_company: ValueList = []
    past_company: ValueList = []
    company: ValueList = []  # current or past
    location: ValueList = []
    skills: ValueList = []
    skills_mode: Literal["all", "any"] = "all"
    years_of_experience: Range | None = None
    years_in_current_role: Range | None = None
    school: ValueList = []
    degree: ValueList = []
    major: ValueList = []
    industry: ValueList = []
    company_size: ValueList = []
    certifications: ValueList = []
    languages: ValueList = []
    diversity_gender: ValueList = []
    diversity_ethnicity: ValueList = []
    diversity_veteran: ValueList = []
    diversity_disability: ValueList = []
    # ATS filters
    application_type: ValueList = []
    status: ValueList = []
    job_ids: ValueList = []
    recruiter_ids: ValueList = []
    recruiter_names: ValueList = []
    job_status: list[JobStatus] = []
    updated_after: datetime | date | None = None
    updated_before: datetime | date | None = None
    is_active: bool | None = None
    is_matched: bool | None = None

    @field_validator(*_LIST_FIELDS, mode="before")
    @classmethod
    def _one_or_many(cls, value: Any) -> Any:
        return [value] if isinstance(value, str | dict) else value

    @field_validator(*TERM_FILTERS, "skills")
    @classmethod
    def _words(cls, values: list[str], info: ValidationInfo) -> list[str]:
        _check_count(values, info.field_name)
        return list(dict.fromkeys(term_value(value, what=info.field_name) for value in values))

    @field_validator(*FACET_FILTERS)
    @classmethod
    def _exact(cls, values: list[str], info: ValidationInfo) -> list[str]:
        _check_count(values, info.field_name)
        for value in values:
            if not value.strip():
                raise ValueError(f"{info.field_name}: empty value")
            quote_value(value)  # the byte limit, reported at validation time
        return list(dict.fromkeys(values))

    @field_validator("updated_after", "updated_before", mode="before")
    @classmethod
    def _date_only(cls, value: Any) -> Any:
        """A bare YYYY-MM-DD is a whole day, not midnight (see _timestamp)."""
        if isinstance(value, str) and _DATE_ONLY.fullmatch(value.strip()):
            return date.fromisoformat(value.strip())
        return value

    @model_validator(mode="after")
    def _dates_ordered(self) -> SearchFilters:
        after, before = self.updated_after, self.updated_before
        if after is not None and before is not None:
            start = _timestamp(after, end_of_day=False)
            if start > _timestamp(before, end_of_day=True):
                raise ValueError("updated_after is later than updated_before")
        return self

    def to_filter_expression(self) -> str | None:
        """The Meilisearch filter for these filters, or None when nothing is set."""
        return all_of(
            [
                *(self._terms(name, field) for name, field in TERM_FILTERS.items()),
                self._skills(),
                *(self._facet(name) for name in FACET_FILTERS),
                self._job_status(),
                _range(self.years_of_experience, "years_of_experience"),
                _range(self.years_in_current_role, "years_in_current_role"),
                *self._updated(),
                _flag("is_active", self.is_active),
                _flag("is_matched", self.is_matched),
            ]
        )

    def _terms(self, name: str, field: str) -> str | None:
        values = getattr(self, name)
        return any_of(field, values) if values else None

    def _skills(self) -> str | None:
        if not self.skills:
            return None
        if self.skills_mode == "any":
            return any_of("skill_terms", self.skills)
        return " AND ".join(equals("skill_terms", skill) for skill in self.skills)

    def _facet(self, name: str) -> str | None:
        values = getattr(self, name)
        return any_of(name, values) if values else None

    def _job_status(self) -> str | None:
        values = list(dict.fromkeys(item.composite() for item in self.job_status))
        return any_of("job_status", values) if values else None

    def _updated(self) -> list[str]:
        out = []
        if self.updated_after is not None:
            out.append(f"updated_at_ts >= {_timestamp(self.updated_after, end_of_day=False)}")
        if self.updated_before is not None:
            before = self.updated_before
            if isinstance(before, datetime):
                out.append(f"updated_at_ts <= {_timestamp(before, end_of_day=False)}")
            else:  # a date includes that whole day
                out.append(f"updated_at_ts < {_timestamp(before, end_of_day=True)}")
        return out


def _check_count(values: list[str], name: str) -> None:
    if len(values) > MAX_VALUES_PER_FILTER:
        raise ValueError(f"{name}: at most {MAX_VALUES_PER_FILTER} values")


def _range(value: Range | None, field: str) -> str | None:
    return None if value is None else value.expression(field)


def _flag(field: str, value: bool | None) -> str | None:
    return None if value is None else f"{field} = {'true' if value else 'false'}"
