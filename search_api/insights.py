"""Insight dimensions: distributions over the whole result set of a search (ARCHITECTURE §6).

``POST /insights`` runs the same query and filters as a search with ``facets=facet_names()``
and turns Meilisearch's ``facetDistribution`` into :class:`Insights` with :func:`build_insights`;
``POST /insights/export.xlsx`` renders the same object (:mod:`search_api.export`), so the
workbook's counts are the endpoint's counts by construction.

Counts are candidates per value. List fields (skills, schools, past companies, …) count a
candidate once under each of their values, so a dimension's counts can add up to more than
the total and its shares to more than 1.

Pure code: no Meilisearch client, no FastAPI, no Dagster.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict

# The bucket labels come from the derivation that writes them, so a new bucket cannot be
# missing from the charts' x-axis.
from enrichment.derive import EXPERIENCE_BUCKETS, TENURE_BUCKETS
from search_index.schema import MAX_VALUES_PER_FACET


@dataclass(frozen=True, slots=True)
class Dimension:
    """One insight dimension: an API key, a human label and the index facet it counts.

    ``buckets`` is the natural order of a bucketed numeric facet (empty for plain facets).
    """

    key: str
    label: str
    facet: str
    buckets: tuple[str, ...] = ()


def _labels(buckets: tuple[tuple[float, str], ...]) -> tuple[str, ...]:
    return tuple(label for _, label in buckets)


DIMENSIONS: tuple[Dimension, ...] = (
    Dimension("location", "Location", "location"),
    Dimension("current_company", "Current company", "current_company"),
    Dimension("current_title", "Current title", "current_title"),
    Dimension("past_company", "Past companies", "past_companies"),
    Dimension("past_title", "Past titles", "past_titles"),
    Dimension("skills", "Skills", "skills"),
    Dimension(
        "years_of_experience",
        "Years of experience",
        "experience_bucket",
        _labels(EXPERIENCE_BUCKETS),
    ),
    Dimension("years_in_role", "Years in current role", "tenure_bucket", _labels(TENURE_BUCKETS)),
    Dimension("school", "School", "schools"),
    Dimension("degree", "Degree", "degrees"),
    Dimension("major", "Major", "majors"),
    Dimension("diversity_gender", "Diversity - gender", "diversity_gender"),
    Dimension("diversity_ethnicity", "Diversity - ethnicity", "diversity_ethnicity"),
    Dimension("diversity_veteran", "Diversity - veteran status", "diversity_veteran"),
    Dimension("diversity_disability", "Diversity - disability", "diversity_disability"),
    Dimension("industry", "Industry", "industry"),
    Dimension("company_size", "Company size", "company_size"),
    Dimension("certifications", "Certifications", "certifications"),
    Dimension("languages", "Languages", "languages"),
    Dimension("groups", "Groups", "groups"),
    Dimension("interests", "Interests", "interests"),
    Dimension("honors", "Honors & awards", "honors"),
)


def facet_names() -> list[str]:
    """The facets to request from Meilisearch for insights, in dimension order."""
    return list(dict.fromkeys(dimension.facet for dimension in DIMENSIONS))


# --- response model ----------------------------------------------------------------------------


class ValueCount(BaseModel):
    """Candidates with one value of a dimension; ``share`` is ``count / total`` (0 if no total)."""

    model_config = ConfigDict(frozen=True)

    value: str
    count: int
    share: float


class DimensionInsight(BaseModel):
    """The distribution of one dimension over the result set.

    ``values`` is ordered by count (desc) then value, except for bucket dimensions, which list
    every bucket in its natural order, zeros included, so charts keep a stable x-axis. A
    dimension no candidate in the result has a value for has no values at all.

    ``distinct_values_shown`` counts the listed values that have candidates (zero buckets are
    not values anyone has). ``truncated`` says more values may exist than are listed: either
    Meilisearch returned exactly ``maxValuesPerFacet`` values (it stops there, by count, and does
    not say whether more exist) or the request's ``top`` cut the list.
    """

    model_config = ConfigDict(frozen=True)

    key: str
    label: str
    facet: str
    values: list[ValueCount]
    distinct_values_shown: int
    truncated: bool


class Insights(BaseModel):
    """All insight dimensions of one search; ``total`` is the number of candidates it matched.

    Shares are relative to ``total``. A candidate counts once under each value of a list field,
    so the shares of a list dimension (skills, schools, …) can sum to more than 1; the shares of
    a single-valued one sum to at most 1 (candidates without the field count nowhere).
    """

    model_config = ConfigDict(frozen=True)

    total: int
    dimensions: list[DimensionInsight]


# --- building ----------------------------------------------------------------------------------


def _by_count(counts: Mapping[str, int]) -> list[tuple[str, int]]:
    """Values with candidates, most first; ties by value (case-insensitive) for stable output."""
    positive = [(str(value), int(count)) for value, count in counts.items() if count > 0]
    return sorted(positive, key=lambda item: (-item[1], item[0].casefold(), item[0]))


def _bucketed(counts: Mapping[str, int], buckets: tuple[str, ...]) -> list[tuple[str, int]]:
    """Every bucket in order (zeros included); unknown labels follow by count, never dropped."""
    known = [(bucket, int(counts.get(bucket, 0))) for bucket in buckets]
    unknown = _by_count({value: n for value, n in counts.items() if value not in buckets})
    return known + unknown


def _share(count: int, total: int) -> float:
    return count / total if total > 0 else 0.0


def _dimension_insight(
    dimension: Dimension, counts: Mapping[str, int], total: int, top: int | None
) -> DimensionInsight:
    capped = len(counts) >= MAX_VALUES_PER_FACET
    if not any(count > 0 for count in counts.values()):
        pairs: list[tuple[str, int]] = []
    elif dimension.buckets:
        # Buckets are few and fixed: `top` would only break the stable x-axis, so it is ignored.
        pairs = _bucketed(counts, dimension.buckets)
    else:
        pairs = _by_count(counts)
    cut = top is not None and not dimension.buckets and len(pairs) > top
    if cut:
        pairs = pairs[:top]
    return DimensionInsight(
        key=dimension.key,
        label=dimension.label,
        facet=dimension.facet,
        values=[ValueCount(value=v, count=n, share=_share(n, total)) for v, n in pairs],
        distinct_values_shown=sum(1 for _, n in pairs if n > 0),
        truncated=capped or cut,
    )


def build_insights(
    facet_distribution: Mapping[str, Mapping[str, int]],
    total: int,
    *,
    top: int | None = None,
) -> Insights:
    """Insights from a Meilisearch ``facetDistribution`` and the search's total hit count.

    ``total`` must be the exact number of matching candidates (not a capped estimate), since
    every share is relative to it. ``top`` keeps the first ``top`` values of each plain
    dimension (bucket dimensions always list all buckets). Facets missing from the distribution
    give empty dimensions, which are kept so the response always has every dimension.

    >>> insights = build_insights({"skills": {"SQL": 2, "Python": 3}}, total=4)
    >>> [(v.value, v.count, v.share) for v in insights.dimensions[5].values]
    [('Python', 3, 0.75), ('SQL', 2, 0.5)]
    >>> [v.count for v in insights.dimensions[6].values]  # no experience data: no buckets
    []
    """
    if top is not None and top < 1:
        raise ValueError(f"top must be at least 1, got {top}")
    dimensions = [
        _dimension_insight(dimension, facet_distribution.get(dimension.facet) or {}, total, top)
        for dimension in DIMENSIONS
    ]
    return Insights(total=total, dimensions=dimensions)
