"""Pure derivations of the enrichment stage (ARCHITECTURE.md §4 item 5): no Dagster, no I/O.

>>> from datetime import date
>>> years_of_experience([{"start": date(2020, 1, 1), "end": None}], date(2022, 1, 1))
2.0
"""

from __future__ import annotations

from enrichment.derive import (
    DERIVED_SCHEMA,
    current_company,
    current_position,
    current_positions,
    current_title,
    degrees,
    distinct_values,
    enrich_profile,
    enrich_profiles,
    experience_bucket,
    majors,
    past_companies,
    past_titles,
    position_company_size,
    position_industry,
    schools,
    social_links,
    tenure_bucket,
    years_in_current_role,
    years_of_experience,
)

__all__ = [
    "DERIVED_SCHEMA",
    "current_company",
    "current_position",
    "current_positions",
    "current_title",
    "degrees",
    "distinct_values",
    "enrich_profile",
    "enrich_profiles",
    "experience_bucket",
    "majors",
    "past_companies",
    "past_titles",
    "position_company_size",
    "position_industry",
    "schools",
    "social_links",
    "tenure_bucket",
    "years_in_current_role",
    "years_of_experience",
]
