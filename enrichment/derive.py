"""Derived profile fields for ``enriched_candidates`` (ARCHITECTURE.md §4 item 5, §5).

Pure functions over the profile corpus's plain values: ``positions`` is a list of mappings with
``company``, ``title``, ``start`` (date), ``end`` (date or None = still there), ``industry`` and
``company_size``; ``education`` a list of mappings with ``school``, ``degree``, ``major``,
``start`` and ``end``. Every derivation is relative to an explicit ``as_of`` day so results are
reproducible and each enriched value can carry the day it was true on.

Conventions:

* A position is *current* on ``as_of`` when ``start <= as_of`` and its end is open or
  ``>= as_of``. A position without a start is never current and adds no experience.
* A position is *future* when it starts after ``as_of``; future positions are ignored everywhere.
* A position is *past* when it is neither current nor future. Past values are ordered most recent
  first (latest end, then latest start, undated last, then input order).
* Text values are stripped; blanks and None are dropped; "distinct" compares case-insensitively and
  keeps the first spelling seen.
* Years are 365.25-day years rounded to one decimal.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from typing import Any

import polars as pl

from normalize.urls import canonical_github_url, canonical_linkedin_url, canonical_other_url

Record = Mapping[str, Any]

DAYS_PER_YEAR = 365.25

EXPERIENCE_BUCKETS: tuple[tuple[float, str], ...] = (
    (1, "0-1"),
    (3, "1-3"),
    (5, "3-5"),
    (10, "5-10"),
    (20, "10-20"),
    (math.inf, "20+"),
)
TENURE_BUCKETS: tuple[tuple[float, str], ...] = (
    (1, "0-1"),
    (2, "1-2"),
    (3, "2-3"),
    (5, "3-5"),
    (10, "5-10"),
    (math.inf, "10+"),
)

# --- helpers -----------------------------------------------------------------------------------


def _day(value: Any) -> date | None:
    """A ``date`` from a date, datetime or ISO string; None for anything else."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip()[:10])
        except ValueError:
            return None
    return None


def _text(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _years(days: int) -> float:
    return round(days / DAYS_PER_YEAR, 1)


def _items(records: Iterable[Record | None] | None) -> list[Record]:
    return [record for record in records or [] if record is not None]


def _recency_key(index: int, record: Record) -> tuple[int, int, int, int, int]:
    """Sort key: latest end first, then latest start, undated last, then input order."""
    end, start = _day(record.get("end")), _day(record.get("start"))
    return (
        end is None,
        -end.toordinal() if end else 0,
        start is None,
        -start.toordinal() if start else 0,
        index,
    )


def distinct_values(values: Iterable[Any] | None) -> list[str]:
    """Stripped, non-blank values, first spelling of each case-insensitive value, order kept.

    >>> distinct_values([" Python", "python", None, "", "SQL"])
    ['Python', 'SQL']
    """
    seen: set[str] = set()
    result: list[str] = []
    for value in values or []:
        text = _text(value)
        if text is None or text.casefold() in seen:
            continue
        seen.add(text.casefold())
        result.append(text)
    return result


# --- positions ---------------------------------------------------------------------------------


def _is_current(position: Record, as_of: date) -> bool:
    start, end = _day(position.get("start")), _day(position.get("end"))
    return start is not None and start <= as_of and (end is None or end >= as_of)


def _is_future(position: Record, as_of: date) -> bool:
    start = _day(position.get("start"))
    return start is not None and start > as_of


def current_positions(positions: Sequence[Record | None] | None, as_of: date) -> list[Record]:
    """Positions held on ``as_of`` (started by then, end open or not before it), input order.

    >>> jobs = [
    ...     {"title": "Old", "start": date(2010, 1, 1), "end": date(2015, 1, 1)},
    ...     {"title": "Now", "start": date(2015, 1, 1), "end": None},
    ...     {"title": "Next", "start": date(2030, 1, 1), "end": None},
    ... ]
    >>> [p["title"] for p in current_positions(jobs, date(2020, 1, 1))]
    ['Now']
    """
    return [p for p in _items(positions) if _is_current(p, as_of)]


def current_position(positions: Sequence[Record | None] | None, as_of: date) -> Record | None:
    """The most recent current position (latest start; ties go to the earlier one in the list).

    >>> jobs = [
    ...     {"title": "Board member", "start": date(2012, 1, 1), "end": None},
    ...     {"title": "CTO", "start": date(2019, 6, 1), "end": None},
    ... ]
    >>> current_position(jobs, date(2024, 1, 1))["title"]
    'CTO'
    """
    current = current_positions(positions, as_of)
    if not current:
        return None
    # max() returns the first of equal maxima, so ties keep input order.
    return max(current, key=lambda p: _day(p.get("start")) or date.min)


def current_title(positions: Sequence[Record | None] | None, as_of: date) -> str | None:
    """Title of :func:`current_position`, or None.

    >>> current_title([{"title": " Data Engineer ", "start": date(2020, 1, 1)}], date(2024, 1, 1))
    'Data Engineer'
    """
    position = current_position(positions, as_of)
    return None if position is None else _text(position.get("title"))


def current_company(positions: Sequence[Record | None] | None, as_of: date) -> str | None:
    """Company of :func:`current_position`, or None.

    >>> current_company([{"company": "Acme", "start": date(2020, 1, 1)}], date(2024, 1, 1))
    'Acme'
    """
    position = current_position(positions, as_of)
    return None if position is None else _text(position.get("company"))


def _past_positions(positions: Sequence[Record | None] | None, as_of: date) -> list[Record]:
    items = _items(positions)
    past = [
        (index, p)
        for index, p in enumerate(items)
        if not _is_current(p, as_of) and not _is_future(p, as_of)
    ]
    past.sort(key=lambda pair: _recency_key(*pair))
    return [p for _, p in past]


def _past_values(positions: Sequence[Record | None] | None, as_of: date, field: str) -> list[str]:
    current = {
        text.casefold()
        for p in current_positions(positions, as_of)
        if (text := _text(p.get(field))) is not None
    }
    values = distinct_values(p.get(field) for p in _past_positions(positions, as_of))
    return [value for value in values if value.casefold() not in current]


def past_titles(positions: Sequence[Record | None] | None, as_of: date) -> list[str]:
    """Distinct titles of past positions, most recent first, without any current title.

    >>> jobs = [
    ...     {"title": "Analyst", "start": date(2010, 1, 1), "end": date(2013, 1, 1)},
    ...     {"title": "Engineer", "start": date(2013, 1, 1), "end": date(2018, 1, 1)},
    ...     {"title": "Lead", "start": date(2018, 1, 1), "end": None},
    ... ]
    >>> past_titles(jobs, date(2024, 1, 1))
    ['Engineer', 'Analyst']
    """
    return _past_values(positions, as_of, "title")


def past_companies(positions: Sequence[Record | None] | None, as_of: date) -> list[str]:
    """Distinct companies of past positions, most recent first, without any current company.

    >>> jobs = [
    ...     {"company": "Initech", "start": date(2010, 1, 1), "end": date(2013, 1, 1)},
    ...     {"company": "Acme", "start": date(2013, 1, 1), "end": date(2018, 1, 1)},
    ...     {"company": "Acme", "start": date(2018, 1, 1), "end": None},
    ... ]
    >>> past_companies(jobs, date(2024, 1, 1))
    ['Initech']
    """
    return _past_values(positions, as_of, "company")


def _intervals(positions: Sequence[Record | None] | None, as_of: date) -> list[tuple[date, date]]:
    """``[start, end)`` of each started position, open or later ends clipped to ``as_of``."""
    intervals = []
    for position in _items(positions):
        start, end = _day(position.get("start")), _day(position.get("end"))
        if start is None or start > as_of:
            continue
        end = as_of if end is None else min(end, as_of)
        if end >= start:
            intervals.append((start, end))
    return intervals


def years_of_experience(positions: Sequence[Record | None] | None, as_of: date) -> float:
    """Length of the union of position intervals up to ``as_of``, in years (one decimal).

    Overlapping or nested positions count once, an open end runs to ``as_of``, positions that
    start after ``as_of`` or have no start are ignored, and gaps between jobs do not count.

    >>> jobs = [
    ...     {"start": date(2010, 1, 1), "end": date(2016, 1, 1)},
    ...     {"start": date(2012, 1, 1), "end": date(2014, 1, 1)},  # nested: no extra time
    ...     {"start": date(2018, 1, 1), "end": None},
    ... ]
    >>> years_of_experience(jobs, date(2020, 1, 1))
    8.0
    """
    total = 0
    merged_start: date | None = None
    merged_end: date | None = None
    for start, end in sorted(_intervals(positions, as_of)):
        if merged_end is not None and start <= merged_end:
            merged_end = max(merged_end, end)
            continue
        if merged_start is not None and merged_end is not None:
            total += (merged_end - merged_start).days
        merged_start, merged_end = start, end
    if merged_start is not None and merged_end is not None:
        total += (merged_end - merged_start).days
    return _years(total)


def years_in_current_role(positions: Sequence[Record | None] | None, as_of: date) -> float | None:
    """Years from the start of :func:`current_position` to ``as_of`` (one decimal), or None.

    >>> years_in_current_role([{"start": date(2021, 1, 1), "end": None}], date(2023, 1, 1))
    2.0
    >>> ended = [{"start": date(2010, 1, 1), "end": date(2012, 1, 1)}]
    >>> years_in_current_role(ended, date(2023, 1, 1)) is None
    True
    """
    position = current_position(positions, as_of)
    if position is None:
        return None
    start = _day(position.get("start"))
    return None if start is None else _years((as_of - start).days)


def _reference_position(positions: Sequence[Record | None] | None, as_of: date) -> Record | None:
    current = current_position(positions, as_of)
    if current is not None:
        return current
    past = _past_positions(positions, as_of)
    return past[0] if past else None


def position_industry(positions: Sequence[Record | None] | None, as_of: date) -> str | None:
    """Industry of the current position, else of the most recent past one.

    >>> jobs = [{"industry": "Banking", "start": date(2010, 1, 1), "end": date(2015, 1, 1)}]
    >>> position_industry(jobs, date(2024, 1, 1))
    'Banking'
    """
    position = _reference_position(positions, as_of)
    return None if position is None else _text(position.get("industry"))


def position_company_size(positions: Sequence[Record | None] | None, as_of: date) -> str | None:
    """Company size of the current position, else of the most recent past one.

    >>> jobs = [{"company_size": "51-200", "start": date(2020, 1, 1), "end": None}]
    >>> position_company_size(jobs, date(2024, 1, 1))
    '51-200'
    """
    position = _reference_position(positions, as_of)
    return None if position is None else _text(position.get("company_size"))


# --- education ---------------------------------------------------------------------------------


def _education_values(education: Sequence[Record | None] | None, field: str) -> list[str]:
    items = list(enumerate(_items(education)))
    items.sort(key=lambda pair: _recency_key(*pair))
    return distinct_values(record.get(field) for _, record in items)


def schools(education: Sequence[Record | None] | None) -> list[str]:
    """Distinct schools, most recent end first (undated entries last, then input order).

    >>> schools([
    ...     {"school": "State U", "end": date(2008, 6, 1)},
    ...     {"school": "Tech Institute", "end": date(2012, 6, 1)},
    ... ])
    ['Tech Institute', 'State U']
    """
    return _education_values(education, "school")


def degrees(education: Sequence[Record | None] | None) -> list[str]:
    """Distinct degrees, most recent end first.

    >>> degrees([{"degree": "BSc", "end": date(2008, 6, 1)}, {"degree": "MSc", "end": None}])
    ['BSc', 'MSc']
    """
    return _education_values(education, "degree")


def majors(education: Sequence[Record | None] | None) -> list[str]:
    """Distinct majors, most recent end first.

    >>> majors([{"major": "Physics", "end": date(2008, 6, 1)}, {"major": "physics"}])
    ['Physics']
    """
    return _education_values(education, "major")


# --- social links ------------------------------------------------------------------------------


def social_links(profile: Record) -> dict[str, Any]:
    """Canonical LinkedIn and GitHub URLs plus other profile links of one profile.

    ``linkedin_url`` and ``github_url`` win; otherwise the first ``social_links`` entry that
    canonicalises as LinkedIn/GitHub fills them. A second, different LinkedIn or GitHub account
    goes to ``other`` as ``https://`` plus its canonical form; every other valid http(s) link goes
    there lightly normalised (:func:`normalize.urls.canonical_other_url`), distinct, input order.

    >>> social_links({
    ...     "linkedin_url": "https://www.linkedin.com/in/Jane-Doe/",
    ...     "github_url": None,
    ...     "social_links": [
    ...         {"network": "github", "url": "https://github.com/JaneDoe/repo"},
    ...         {"network": "twitter", "url": "https://twitter.com/jane_doe"},
    ...         {"network": "linkedin", "url": "linkedin.com/in/jane-doe"},
    ...     ],
    ... })  # doctest: +NORMALIZE_WHITESPACE
    {'linkedin': 'linkedin.com/in/jane-doe', 'github': 'github.com/janedoe',
     'other': ['https://twitter.com/jane_doe']}
    """
    linkedin = canonical_linkedin_url(profile.get("linkedin_url"))
    github = canonical_github_url(profile.get("github_url"))
    other: list[str] = []
    for link in _items(profile.get("social_links")):
        url = link.get("url")
        as_linkedin, as_github = canonical_linkedin_url(url), canonical_github_url(url)
        if as_linkedin is not None and linkedin in (None, as_linkedin):
            linkedin = as_linkedin
            continue
        if as_github is not None and github in (None, as_github):
            github = as_github
            continue
        account = as_linkedin or as_github
        canonical = f"https://{account}" if account else canonical_other_url(url)
        if canonical is not None and canonical not in other:
            other.append(canonical)
    return {"linkedin": linkedin, "github": github, "other": other}


# --- facet buckets -----------------------------------------------------------------------------


def _bucket(years: float | None, buckets: tuple[tuple[float, str], ...]) -> str | None:
    if years is None or math.isnan(years):
        return None
    for upper, label in buckets:
        if years < upper:
            return label
    return buckets[-1][1]


def experience_bucket(years: float | None) -> str | None:
    """Facet value for years of experience: 0-1, 1-3, 3-5, 5-10, 10-20, 20+ (lower bound in).

    >>> [experience_bucket(y) for y in (0.0, 1.0, 4.9, 10.0, 35.0, None)]
    ['0-1', '1-3', '3-5', '10-20', '20+', None]
    """
    return _bucket(years, EXPERIENCE_BUCKETS)


def tenure_bucket(years: float | None) -> str | None:
    """Facet value for years in the current role: 0-1, 1-2, 2-3, 3-5, 5-10, 10+ (lower bound in).

    >>> [tenure_bucket(y) for y in (0.5, 2.0, 12.0, None)]
    ['0-1', '2-3', '10+', None]
    """
    return _bucket(years, TENURE_BUCKETS)


# --- one profile and a frame of profiles -------------------------------------------------------

LIST_FIELDS = ("certifications", "languages", "groups", "interests", "honors")

DERIVED_SCHEMA: dict[str, pl.DataType] = {
    "profile_id": pl.String(),
    "as_of": pl.Date(),
    "profile_updated_at": pl.Datetime("us"),
    "current_title": pl.String(),
    "current_company": pl.String(),
    "past_titles": pl.List(pl.String()),
    "past_companies": pl.List(pl.String()),
    "years_of_experience": pl.Float64(),
    "experience_bucket": pl.String(),
    "years_in_current_role": pl.Float64(),
    "tenure_bucket": pl.String(),
    "industry": pl.String(),
    "company_size": pl.String(),
    "schools": pl.List(pl.String()),
    "degrees": pl.List(pl.String()),
    "majors": pl.List(pl.String()),
    **{field: pl.List(pl.String()) for field in LIST_FIELDS},
    "linkedin_url": pl.String(),
    "github_url": pl.String(),
    "other_urls": pl.List(pl.String()),
}


def enrich_profile(profile: Record, as_of: date) -> dict[str, Any]:
    """All derived fields of one profile row (keys of :data:`DERIVED_SCHEMA`).

    >>> row = enrich_profile(
    ...     {"profile_id": "p1", "positions": [{"title": "Dev", "start": date(2020, 1, 1)}]},
    ...     date(2022, 1, 1),
    ... )
    >>> row["current_title"], row["years_of_experience"], row["experience_bucket"], row["schools"]
    ('Dev', 2.0, '1-3', [])
    """
    positions = profile.get("positions")
    education = profile.get("education")
    experience = years_of_experience(positions, as_of)
    in_role = years_in_current_role(positions, as_of)
    links = social_links(profile)
    updated_at = profile.get("updated_at")
    return {
        "profile_id": profile.get("profile_id"),
        "as_of": as_of,
        "profile_updated_at": updated_at if isinstance(updated_at, datetime) else None,
        "current_title": current_title(positions, as_of),
        "current_company": current_company(positions, as_of),
        "past_titles": past_titles(positions, as_of),
        "past_companies": past_companies(positions, as_of),
        "years_of_experience": experience,
        "experience_bucket": experience_bucket(experience),
        "years_in_current_role": in_role,
        "tenure_bucket": tenure_bucket(in_role),
        "industry": position_industry(positions, as_of),
        "company_size": position_company_size(positions, as_of),
        "schools": schools(education),
        "degrees": degrees(education),
        "majors": majors(education),
        **{field: distinct_values(profile.get(field)) for field in LIST_FIELDS},
        "linkedin_url": links["linkedin"],
        "github_url": links["github"],
        "other_urls": links["other"],
    }


def enrich_profiles(profiles: pl.DataFrame, as_of: date) -> pl.DataFrame:
    """Derived columns (:data:`DERIVED_SCHEMA`) for each row of a profile-corpus frame.

    One output row per input row, keyed by ``profile_id``; missing optional input columns are
    treated as null. ``as_of`` is stamped on every row.

    >>> job = {"company": "Acme", "title": "Dev", "start": date(2020, 1, 1), "end": None}
    >>> frame = pl.DataFrame({"profile_id": ["p1"], "positions": [[job]]})
    >>> enrich_profiles(frame, date(2022, 1, 1)).select("profile_id", "current_company").rows()
    [('p1', 'Acme')]
    """
    rows = [enrich_profile(profile, as_of) for profile in profiles.iter_rows(named=True)]
    return pl.DataFrame(rows, schema=DERIVED_SCHEMA)
