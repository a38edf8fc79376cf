"""Enrichment derivations are pure functions of a profile and an as_of day (ARCHITECTURE §4.5)."""

from __future__ import annotations

import doctest
import random
from datetime import date, datetime, timedelta

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import enrichment
import enrichment.derive
from enrichment import (
    DERIVED_SCHEMA,
    current_company,
    current_positions,
    current_title,
    degrees,
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

AS_OF = date(2024, 1, 1)


def job(
    start: date | None,
    end: date | None = None,
    title: str | None = "Engineer",
    company: str | None = "Acme",
    industry: str | None = None,
    company_size: str | None = None,
) -> dict:
    return {
        "company": company,
        "title": title,
        "start": start,
        "end": end,
        "industry": industry,
        "company_size": company_size,
    }


def d(year: int, month: int = 1, day: int = 1) -> date:
    return date(year, month, day)


def years(start: date, end: date) -> float:
    return round((end - start).days / 365.25, 1)


@pytest.mark.parametrize("module", [enrichment, enrichment.derive])
def test_docstring_examples(module) -> None:
    results = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert results.attempted > 0
    assert results.failed == 0


# --- years of experience -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("positions", "expected"),
    [
        pytest.param([], 0.0, id="empty"),
        pytest.param(None, 0.0, id="none"),
        pytest.param([None], 0.0, id="null-entry"),
        pytest.param([job(d(2014), d(2020))], years(d(2014), d(2020)), id="single-closed"),
        pytest.param([job(d(2020))], years(d(2020), AS_OF), id="open-ended"),
        pytest.param(
            [job(d(2010), d(2016)), job(d(2014), d(2018))],
            years(d(2010), d(2018)),
            id="overlapping",
        ),
        pytest.param(
            [job(d(2010), d(2020)), job(d(2012), d(2014)), job(d(2015), None)],
            years(d(2010), AS_OF),
            id="nested-and-open-inside",
        ),
        pytest.param(
            [job(d(2010), d(2015)), job(d(2015), d(2020))],
            years(d(2010), d(2020)),
            id="adjacent",
        ),
        pytest.param(
            [job(d(2010), d(2012)), job(d(2014), d(2016))],
            years(d(2010), d(2012)) + years(d(2014), d(2016)),
            id="gap-not-counted",
        ),
        pytest.param([job(d(2030))], 0.0, id="future-start-ignored"),
        pytest.param(
            [job(d(2020), d(2030))], years(d(2020), AS_OF), id="future-end-clipped-to-as-of"
        ),
        pytest.param([job(None, d(2020))], 0.0, id="no-start-ignored"),
        pytest.param([job(d(2020), d(2019))], 0.0, id="end-before-start-ignored"),
        pytest.param([job(d(2010), d(2020)), job(d(2010), d(2020))], 10.0, id="duplicate"),
        pytest.param(
            [job(datetime(2020, 1, 1, 12, 0), None)], years(d(2020), AS_OF), id="datetime-start"
        ),
    ],
)
def test_years_of_experience(positions, expected: float) -> None:
    assert years_of_experience(positions, AS_OF) == pytest.approx(expected, abs=0.11)


# --- current / past ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("positions", "title", "company"),
    [
        pytest.param([], None, None, id="empty"),
        pytest.param(None, None, None, id="none"),
        pytest.param([job(d(2010), d(2015))], None, None, id="only-ended"),
        pytest.param([job(d(2030), title="Future")], None, None, id="only-future"),
        pytest.param([job(None, None, title="Undated")], None, None, id="undated-not-current"),
        pytest.param([job(d(2020), title="Dev", company="Acme")], "Dev", "Acme", id="open"),
        pytest.param([job(d(2020), AS_OF, title="Dev")], "Dev", "Acme", id="ends-on-as-of"),
        pytest.param([job(AS_OF, None, title="Dev")], "Dev", "Acme", id="starts-on-as-of"),
        pytest.param(
            [job(d(2010), title="Board", company="NGO"), job(d(2019), title="CTO", company="X")],
            "CTO",
            "X",
            id="latest-start-wins",
        ),
        pytest.param(
            [job(d(2019), title="A", company="A Co"), job(d(2019), title="B", company="B Co")],
            "A",
            "A Co",
            id="tie-keeps-input-order",
        ),
        pytest.param(
            [job(d(2020), title=None, company="  ")], None, None, id="null-and-blank-fields"
        ),
    ],
)
def test_current_title_and_company(positions, title: str | None, company: str | None) -> None:
    assert current_title(positions, AS_OF) == title
    assert current_company(positions, AS_OF) == company


def test_current_positions_lists_all_concurrent_jobs() -> None:
    jobs = [job(d(2010), d(2012)), job(d(2015)), job(d(2018), d(2030)), job(d(2030))]
    assert current_positions(jobs, AS_OF) == [jobs[1], jobs[2]]


def test_past_titles_and_companies_most_recent_first_without_current() -> None:
    jobs = [
        job(d(2005), d(2008), title="Intern", company="Initech"),
        job(d(2012), d(2016), title="Engineer", company="Globex"),
        job(d(2008), d(2012), title="engineer", company="Initech"),
        job(d(2016), None, title="Lead", company="Globex"),
        job(d(2016), d(2018), title="Advisor", company="Hooli"),
        job(d(2030), None, title="Future CEO", company="Future Co"),
        job(None, None, title="Volunteer", company="Red Cross"),
    ]
    assert past_titles(jobs, AS_OF) == ["Advisor", "Engineer", "Intern", "Volunteer"]
    assert past_companies(jobs, AS_OF) == ["Hooli", "Initech", "Red Cross"]


@pytest.mark.parametrize("positions", [[], None, [None], [job(d(2020))]])
def test_past_values_empty(positions) -> None:
    assert past_titles(positions, AS_OF) == []
    assert past_companies(positions, AS_OF) == []


@pytest.mark.parametrize(
    ("positions", "expected"),
    [
        pytest.param([], None, id="empty"),
        pytest.param([job(d(2021, 6, 1))], years(d(2021, 6, 1), AS_OF), id="open"),
        pytest.param([job(d(2010), d(2015))], None, id="ended"),
        pytest.param([job(d(2010)), job(d(2022))], years(d(2022), AS_OF), id="latest-current"),
        pytest.param([job(d(2030))], None, id="future"),
    ],
)
def test_years_in_current_role(positions, expected: float | None) -> None:
    assert years_in_current_role(positions, AS_OF) == expected


@pytest.mark.parametrize(
    ("positions", "industry", "size"),
    [
        pytest.param([], None, None, id="empty"),
        pytest.param(
            [
                job(d(2010), d(2015), industry="Banking", company_size="10001+"),
                job(d(2015), None, industry="Software", company_size="51-200"),
            ],
            "Software",
            "51-200",
            id="current",
        ),
        pytest.param(
            [
                job(d(2010), d(2015), industry="Banking", company_size="10001+"),
                job(d(2015), d(2020), industry="Retail", company_size="201-500"),
                job(d(2030), None, industry="Space", company_size="1-10"),
            ],
            "Retail",
            "201-500",
            id="fallback-latest-past-not-future",
        ),
        pytest.param([job(d(2020), industry=None)], None, None, id="current-without-values"),
    ],
)
def test_industry_and_company_size(positions, industry: str | None, size: str | None) -> None:
    assert position_industry(positions, AS_OF) == industry
    assert position_company_size(positions, AS_OF) == size


# --- education ---------------------------------------------------------------------------------


def test_education_most_recent_end_first_distinct() -> None:
    education = [
        {"school": "State U", "degree": "BSc", "major": "Physics", "start": None, "end": d(2008)},
        {"school": "Tech", "degree": "MSc", "major": "Computer Science", "end": d(2012)},
        {"school": "Online", "degree": None, "major": "physics", "end": None},
        {"school": "state u", "degree": "PhD", "major": "Physics", "end": d(2016)},
        None,
    ]
    assert schools(education) == ["state u", "Tech", "Online"]
    assert degrees(education) == ["PhD", "MSc", "BSc"]
    assert majors(education) == ["Physics", "Computer Science"]


@pytest.mark.parametrize("education", [[], None, [None], [{"school": " ", "end": None}]])
def test_education_empty(education) -> None:
    assert schools(education) == degrees(education) == majors(education) == []


# --- social links ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("profile", "expected"),
    [
        pytest.param({}, {"linkedin": None, "github": None, "other": []}, id="empty"),
        pytest.param(
            {"linkedin_url": None, "github_url": None, "social_links": None},
            {"linkedin": None, "github": None, "other": []},
            id="nulls",
        ),
        pytest.param(
            {"linkedin_url": "www.LinkedIn.com/in/Jane-Doe/", "github_url": "github.com/JD/x"},
            {"linkedin": "linkedin.com/in/jane-doe", "github": "github.com/jd", "other": []},
            id="fields-canonicalised",
        ),
        pytest.param(
            {
                "social_links": [
                    {"network": "linkedin", "url": "https://linkedin.com/in/jd"},
                    {"network": "github", "url": "https://jd.github.io"},
                    {"network": "website", "url": "HTTPS://JD.dev/#top"},
                    {"network": "website", "url": "https://jd.dev"},
                    {"network": "junk", "url": "not a url"},
                    {"network": "empty", "url": None},
                    None,
                ]
            },
            {
                "linkedin": "linkedin.com/in/jd",
                "github": "github.com/jd",
                "other": ["https://jd.dev"],
            },
            id="filled-from-social-links",
        ),
        pytest.param(
            {
                "linkedin_url": "linkedin.com/in/jd",
                "social_links": [{"network": "linkedin", "url": "linkedin.com/in/other-person"}],
            },
            {
                "linkedin": "linkedin.com/in/jd",
                "github": None,
                "other": ["https://linkedin.com/in/other-person"],
            },
            id="field-wins-second-account-kept-as-other",
        ),
    ],
)
def test_social_links(profile: dict, expected: dict) -> None:
    assert social_links(profile) == expected


# --- buckets -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, None),
        (float("nan"), None),
        (-1.0, "0-1"),
        (0.0, "0-1"),
        (0.9, "0-1"),
        (1.0, "1-3"),
        (2.9, "1-3"),
        (3.0, "3-5"),
        (5.0, "5-10"),
        (9.9, "5-10"),
        (10.0, "10-20"),
        (20.0, "20+"),
        (60.0, "20+"),
    ],
)
def test_experience_bucket(value: float | None, expected: str | None) -> None:
    assert experience_bucket(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, None),
        (0.0, "0-1"),
        (1.0, "1-2"),
        (2.5, "2-3"),
        (4.0, "3-5"),
        (7, "5-10"),
        (10, "10+"),
    ],
)
def test_tenure_bucket(value: float | None, expected: str | None) -> None:
    assert tenure_bucket(value) == expected


# --- polars helper -----------------------------------------------------------------------------


def test_enrich_profiles_frame() -> None:
    position = pl.Struct(
        {
            "company": pl.String,
            "title": pl.String,
            "start": pl.Date,
            "end": pl.Date,
            "industry": pl.String,
            "company_size": pl.String,
        }
    )
    profiles = pl.DataFrame(
        {
            "profile_id": ["p1", "p2"],
            "linkedin_url": ["https://www.linkedin.com/in/Jane", None],
            "positions": [
                [
                    job(d(2015), d(2020), "Dev", "Initech", "Software", "51-200"),
                    job(d(2020), None, "Lead", "Acme", "Banking", "10001+"),
                ],
                None,
            ],
            "education": [[{"school": "MIT", "degree": "BSc", "major": "CS"}], []],
            "skills": [["Python"], None],
            "languages": [["English", "english", "French"], None],
            "social_links": [[{"network": "github", "url": "github.com/jane"}], None],
            "updated_at": [datetime(2023, 5, 1), None],
        },
        schema_overrides={"positions": pl.List(position)},
    )
    out = enrich_profiles(profiles, AS_OF)
    assert out.schema == pl.Schema(DERIVED_SCHEMA)
    assert out["profile_id"].to_list() == ["p1", "p2"]
    first, second = out.rows(named=True)
    assert first["as_of"] == AS_OF
    assert first["profile_updated_at"] == datetime(2023, 5, 1)
    assert (first["current_title"], first["current_company"]) == ("Lead", "Acme")
    assert (first["past_titles"], first["past_companies"]) == (["Dev"], ["Initech"])
    assert first["years_of_experience"] == years(d(2015), AS_OF)
    assert first["experience_bucket"] == "5-10"
    assert first["years_in_current_role"] == years(d(2020), AS_OF)
    assert first["tenure_bucket"] == "3-5"
    assert (first["industry"], first["company_size"]) == ("Banking", "10001+")
    assert (first["schools"], first["degrees"], first["majors"]) == (["MIT"], ["BSc"], ["CS"])
    assert first["languages"] == ["English", "French"]
    assert first["certifications"] == []
    assert (first["linkedin_url"], first["github_url"]) == (
        "linkedin.com/in/jane",
        "github.com/jane",
    )
    assert second["current_title"] is None
    assert second["years_of_experience"] == 0.0
    assert second["experience_bucket"] == "0-1"
    assert second["years_in_current_role"] is None
    assert second["tenure_bucket"] is None


def test_enrich_profiles_empty_frame() -> None:
    out = enrich_profiles(pl.DataFrame({"profile_id": []}, schema={"profile_id": pl.String}), AS_OF)
    assert out.height == 0
    assert out.schema == pl.Schema(DERIVED_SCHEMA)


# --- properties --------------------------------------------------------------------------------

DAY0 = date(1990, 1, 1)
SPAN_DAYS = (AS_OF - DAY0).days + 3650  # some positions start or end after AS_OF

_position = st.builds(
    lambda start, length, open_end: job(
        DAY0 + timedelta(days=start),
        None if open_end else DAY0 + timedelta(days=start + length),
    ),
    start=st.integers(0, SPAN_DAYS),
    length=st.integers(0, 8000),
    open_end=st.booleans(),
)


@settings(max_examples=200, deadline=None)
@given(positions=st.lists(_position, max_size=8), seed=st.integers(0, 2**32 - 1))
def test_years_of_experience_properties(positions: list[dict], seed: int) -> None:
    result = years_of_experience(positions, AS_OF)
    started = [p for p in positions if p["start"] <= AS_OF]
    if not started:
        assert result == 0.0
    else:
        span = years(min(p["start"] for p in started), AS_OF)
        longest = max(years(p["start"], min(p["end"] or AS_OF, AS_OF)) for p in started)
        assert longest <= result <= span
    shuffled = positions[:]
    random.Random(seed).shuffle(shuffled)
    assert years_of_experience(shuffled, AS_OF) == result
