"""Synthetic documents of the `candidates` index for the search benchmark (bench/search.py).

Documents are generated directly in the shape `search_index.documents.to_document` gives (the
fields of `search_index.schema`, empty values left out), from the sandbox world's vocabularies:
names by culture, US and foreign cities, career tracks (titles by seniority, skills,
certifications, majors, resume duties), employers, schools and degrees. A candidate has ATS data
(contacts, status, applications to jobs with statuses and recruiters, a resume of a few hundred
words); about 70% are linked to a profile (current and past roles, years of experience, education,
profile skills…). The filter-only ``*_terms`` lists come from `search_index.terms.terms_of` and
`search_index.documents.location_values`, exactly as the indexer makes them.

Document ``i`` depends only on ``(seed, i)`` and :data:`GENERATOR_VERSION`: any document can be
regenerated on its own, which is how the benchmark checks that an index it reuses holds what
this generator makes now.
"""

from __future__ import annotations

import bisect
import itertools
import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from functools import cache
from typing import Any

from enrichment.derive import experience_bucket, tenure_bucket
from normalize.derive import STAGES
from sandbox.world import careers, names, places
from search_index.documents import display_location, display_name, location_values
from search_index.terms import terms_of, words

# Bump when documents change: an index built by another version is rebuilt, not reused.
GENERATOR_VERSION = "bench-search-1"
FIRST_CANDIDATE_ID = 1_000_000
# Every timestamp lies before this instant (fixed, so documents reproduce).
ANCHOR = datetime(2026, 11, 20, 18, 0, tzinfo=UTC)
HISTORY_DAYS = 8 * 365
MATCHED_SHARE = 0.7
ACTIVE_SHARE = 0.85
PROSPECT_SHARE = 0.28
FOREIGN_SHARE = 0.06
JOB_COUNT = 4_000
RECRUITER_COUNT = 60
FIRST_JOB_ID = 300_000
SOURCES = ("Indeed", "Dice", "LinkedIn", "Referral", "Website", "Monster", "Candidate")
MATCH_METHODS = ("model", "model", "model", "email", "linkedin_url")
STAGE_WEIGHTS = (0.4, 0.25, 0.12, 0.18, 0.05)  # Applied, Submitted, Interviewing, Rejected, Hired
COMPANY_SIZES = ("1-10", "11-50", "51-200", "201-500", "501-1000", "1001-5000", "5001-10000",
                 "10001+")  # fmt: skip
# Years of experience by seniority level (0 junior … 4 executive).
LEVEL_YEARS = ((0.2, 3.0), (2.0, 7.0), (5.0, 13.0), (8.0, 22.0), (12.0, 32.0))
LEVEL_WEIGHTS = (0.2, 0.32, 0.28, 0.13, 0.07)
EMAIL_DOMAINS = ("gmail.com", "gmail.com", "gmail.com", "yahoo.com", "outlook.com", "hotmail.com",
                 "icloud.com", "aol.com")  # fmt: skip
SUMMARY_SENTENCES = (
    "Known for clear communication with business stakeholders and technical teams alike.",
    "Comfortable working in fast-paced, deadline-driven environments with changing priorities.",
    "Experienced in Agile delivery, estimation and sprint planning with distributed teams.",
    "Passionate about continuous improvement, documentation and knowledge sharing.",
    "Strong analytical and problem-solving skills with a focus on measurable outcomes.",
    "Brings a customer-first mindset and a track record of on-time delivery.",
    "Enjoys mentoring colleagues and building inclusive, high-performing teams.",
    "Adept at translating ambiguous requirements into practical, well-tested solutions.",
    "Available for contract, contract-to-hire or full-time roles; open to hybrid work.",
    "Holds an active work authorization and is willing to relocate for the right role.",
    "Recognized by management for reliability, ownership and attention to detail.",
    "Hands-on experience supporting audits, compliance reviews and production incidents.",
)
BULLETS_GENERIC = (
    "Collaborated with cross-functional teams to deliver projects on schedule and within budget",
    "Prepared weekly status reports and presented progress to senior leadership",
    "Trained and onboarded new team members on tools, processes and best practices",
    "Identified process gaps and introduced checklists that reduced rework by 25%",
    "Partnered with vendors and internal customers to resolve escalations quickly",
    "Maintained accurate documentation and runbooks for daily operations",
    "Participated in on-call rotation and post-incident reviews",
    "Contributed to hiring by interviewing candidates and designing exercises",
)


@dataclass(frozen=True)
class _Pick:
    """Weighted choice over a fixed population."""

    items: tuple[Any, ...]
    cumulative: tuple[float, ...]

    @classmethod
    def of(cls, items: Sequence[Any], weights: Sequence[float] | None = None) -> _Pick:
        weights = weights or [1.0] * len(items)
        return cls(tuple(items), tuple(itertools.accumulate(weights)))

    @classmethod
    def ranked(cls, items: Sequence[Any], flatness: float = 3.0) -> _Pick:
        """Earlier items more often (weight 1 / (rank + flatness))."""
        return cls.of(items, [1.0 / (rank + flatness) for rank in range(len(items))])

    def __call__(self, rng: random.Random) -> Any:
        index = bisect.bisect_right(self.cumulative, rng.random() * self.cumulative[-1])
        return self.items[min(index, len(self.items) - 1)]


@dataclass(frozen=True)
class _Culture:
    key: str
    male: _Pick
    female: _Pick
    surnames: _Pick  # (male form, female form)
    languages: tuple[str, ...]
    region: str


@dataclass(frozen=True)
class _Job:
    job_id: str
    title: str
    recruiter_id: str
    recruiter_name: str


@dataclass(frozen=True)
class _Vocabulary:
    cultures: _Pick
    tracks: _Pick
    us_cities: _Pick
    foreign_cities: _Pick
    companies_by_sector: dict[str, _Pick]
    all_companies: _Pick
    schools_by_region: dict[str, _Pick]
    jobs: _Pick
    levels: _Pick


def _surname_forms(value: str) -> tuple[str, str]:
    male, _, female = value.partition("/")
    return male, female or male


@cache
def _vocabulary() -> _Vocabulary:
    cultures = [
        _Culture(
            culture.key,
            _Pick.ranked(culture.male),
            _Pick.ranked(culture.female),
            _Pick.ranked([_surname_forms(s) for s in culture.surnames]),
            culture.languages,
            culture.school_region,
        )
        for culture in names.CULTURES
    ]
    by_sector: dict[str, list[careers.Company]] = {}
    for company in careers.COMPANIES:
        by_sector.setdefault(company.sector, []).append(company)
    schools: dict[str, list[str]] = {}
    for school in careers.SCHOOLS:
        schools.setdefault(school.region, []).append(school.name)
    job_rng = random.Random(f"{GENERATOR_VERSION}:jobs")
    anglo = names.CULTURES[0]
    recruiters = [
        (
            f"R{1000 + k}",
            f"{job_rng.choice(anglo.male + anglo.female)} "
            f"{_surname_forms(job_rng.choice(anglo.surnames))[0]}",
        )
        for k in range(RECRUITER_COUNT)
    ]
    track_pick = _Pick.of(careers.TRACKS, [track.weight for track in careers.TRACKS])
    jobs = []
    for k in range(JOB_COUNT):
        track = track_pick(job_rng)
        level = job_rng.randrange(len(track.titles))
        recruiter_id, recruiter_name = recruiters[k % RECRUITER_COUNT]
        jobs.append(
            _Job(
                str(FIRST_JOB_ID + k),
                job_rng.choice(track.titles[level]),
                recruiter_id,
                recruiter_name,
            )
        )
    return _Vocabulary(
        cultures=_Pick.of(cultures, [culture.weight for culture in names.CULTURES]),
        tracks=track_pick,
        us_cities=_Pick.of(places.US_CITIES, [city.weight for city in places.US_CITIES]),
        foreign_cities=_Pick.of(places.FOREIGN_CITIES, [c.weight for c in places.FOREIGN_CITIES]),
        companies_by_sector={k: _Pick.ranked(v) for k, v in by_sector.items()},
        all_companies=_Pick.ranked(careers.COMPANIES, flatness=8.0),
        schools_by_region={k: _Pick.ranked(v) for k, v in schools.items()},
        jobs=_Pick.ranked(jobs, flatness=50.0),
        levels=_Pick.of(range(5), LEVEL_WEIGHTS),
    )


# --- terms, as the indexer makes them (memoised: the vocabulary repeats) -----------------------


@cache
def _value_terms(value: str) -> tuple[str, ...]:
    return tuple(terms_of([value]))


def _terms(values: Sequence[str | None]) -> list[str]:
    """``terms_of(values)``: the distinct phrase terms of the values in first-seen order."""
    seen: dict[str, None] = {}
    for value in values:
        if value:
            for term in _value_terms(value):
                seen.setdefault(term, None)
    return list(seen)


@cache
def _location_terms(city: str | None, state: str | None, country: str | None) -> tuple[str, ...]:
    return tuple(location_values(city, state, country))


def _distinct(values: Sequence[str | None]) -> list[str]:
    """Non-blank values, first spelling of each (case-insensitive) kept, in order."""
    seen: dict[str, str] = {}
    for value in values:
        if value and value.strip():
            seen.setdefault(value.strip().casefold(), value.strip())
    return list(seen.values())


def _slug(*parts: str) -> str:
    return ".".join(word for part in parts for word in words(part))


def _ts(moment: datetime) -> int:
    return int(moment.timestamp())


def _iso(moment: datetime) -> str:
    return moment.isoformat()


def _between(rng: random.Random, start: datetime, end: datetime, bias: float = 1.0) -> datetime:
    """An instant in [start, end], skewed towards `end` when bias < 1."""
    span = max(0.0, (end - start).total_seconds())
    return start + timedelta(seconds=int(span * rng.random() ** bias))


# --- one document ------------------------------------------------------------------------------


@dataclass
class _Position:
    title: str
    company: careers.Company
    start: int  # year
    end: int | None  # None = present


def _career(
    rng: random.Random, vocab: _Vocabulary, track: careers.Track, level: int, years: float
) -> list[_Position]:
    """Positions, current first: titles climb the track's levels, employers fit its sectors."""
    count = min(1 + level + rng.randrange(2), 5)
    end_year = ANCHOR.year
    out: list[_Position] = []
    span = max(1.0, years) / count
    for k in range(count):
        title_level = max(0, level - k // 2)
        if track.sectors:
            sector_pick = vocab.companies_by_sector.get(rng.choice(track.sectors))
            company = sector_pick(rng) if sector_pick else vocab.all_companies(rng)
        else:
            company = vocab.all_companies(rng)
        start_year = end_year - max(1, round(span * (0.6 + 0.8 * rng.random())))
        out.append(
            _Position(
                rng.choice(track.titles[title_level]),
                company,
                start_year,
                None if k == 0 else end_year,
            )
        )
        end_year = start_year
    return out


def _resume(
    rng: random.Random,
    *,
    name: str,
    email: str,
    phone: str,
    location: str | None,
    track: careers.Track,
    positions: list[_Position],
    skills: list[str],
    years: float,
    school: str,
    degree: str,
    major: str,
    certifications: list[str],
) -> str:
    """A plain-text resume of a few hundred words."""
    lines = [name, " | ".join(part for part in (email, phone, location) if part), ""]
    lines.append("PROFESSIONAL SUMMARY")
    lead = (
        f"{positions[0].title} with {max(1, round(years))} years of experience in "
        f"{', '.join(skills[:3])} and {skills[3] if len(skills) > 3 else 'related tools'}."
    )
    lines.append(" ".join([lead, *rng.sample(SUMMARY_SENTENCES, 4)]))
    lines += ["", "EXPERIENCE"]
    for position in positions:
        until = "Present" if position.end is None else str(position.end)
        lines.append(f"{position.title} — {position.company.name} ({position.start}–{until})")
        duties = rng.sample(track.duties, min(len(track.duties), 3))
        for duty in duties:
            lines.append("• " + duty.format(skill=rng.choice(skills)))
        lines.extend("• " + bullet for bullet in rng.sample(BULLETS_GENERIC, 2))
    lines += ["", "SKILLS", ", ".join(skills), "", "EDUCATION"]
    lines.append(f"{degree}, {major} — {school}")
    if certifications:
        lines += ["", "CERTIFICATIONS", *certifications]
    return "\n".join(lines)


def _phone(rng: random.Random, city: places.UsCity | None) -> str:
    area = rng.choice(city.area_codes) if city else 800 + rng.randrange(100)
    return f"({area}) {200 + rng.randrange(800)}-{rng.randrange(10_000):04d}"


def _applications(rng: random.Random, vocab: _Vocabulary, created: datetime) -> list[dict]:
    count = rng.choices((0, 1, 2, 3, 4, 6), (0.25, 0.3, 0.2, 0.12, 0.08, 0.05))[0]
    chosen: dict[str, _Job] = {}
    for _ in range(count):
        job = vocab.jobs(rng)
        chosen.setdefault(job.job_id, job)
    apps = []
    for job in chosen.values():
        updated = _between(rng, created, ANCHOR, bias=0.6)
        apps.append(
            {
                "job_id": job.job_id,
                "job_title": job.title,
                "status": rng.choices(STAGES, STAGE_WEIGHTS)[0],
                "updated_at": _iso(updated),
                "updated_at_ts": _ts(updated),
                "recruiter_id": job.recruiter_id,
                "recruiter_name": job.recruiter_name,
            }
        )
    apps.sort(key=lambda app: -app["updated_at_ts"])  # newest update first
    return apps


def document(index: int, seed: int) -> dict[str, Any]:
    """Document number ``index`` (0-based) of the set generated with ``seed``."""
    vocab = _vocabulary()
    rng = random.Random(f"{GENERATOR_VERSION}:{seed}:{index}")
    culture: _Culture = vocab.cultures(rng)
    female = rng.random() < 0.5
    first = (culture.female if female else culture.male)(rng)
    last = culture.surnames(rng)[1 if female else 0]
    name = display_name(first, last) or first
    abroad = rng.random() < FOREIGN_SHARE
    us_city = None if abroad else vocab.us_cities(rng)
    if us_city is not None:
        city, state, country = us_city.city, us_city.state, "US"
        postal = f"{us_city.zip_base + rng.randrange(40):05d}"
    else:
        foreign = vocab.foreign_cities(rng)
        city, state, country, postal = foreign.city, None, foreign.country, None
    location = display_location(city, state, country)
    track: careers.Track = vocab.tracks(rng)
    level: int = vocab.levels(rng)
    low, high = LEVEL_YEARS[level]
    years = round(low + (high - low) * rng.random(), 1)
    positions = _career(rng, vocab, track, level, years)
    current = positions[0]
    in_role = round(min(years, max(0.1, ANCHOR.year - current.start + rng.random() - 0.5)), 1)
    skill_count = 6 + rng.randrange(9)
    skills_pool = rng.sample(track.skills, min(skill_count, len(track.skills)))
    generic = rng.sample(careers.GENERIC_SKILLS, rng.randrange(3))
    school_pick = vocab.schools_by_region.get(culture.region) or vocab.schools_by_region["us"]
    school = school_pick(rng) if rng.random() < 0.6 else vocab.schools_by_region["us"](rng)
    degree = rng.choice(
        careers.MASTER_DEGREES if level >= 2 and rng.random() < 0.4 else careers.BACHELOR_DEGREES
    )
    major = rng.choice(track.majors)
    certifications = rng.sample(
        track.certifications, rng.randrange(min(3, len(track.certifications)))
    )
    email = f"{_slug(first, last)}{rng.randrange(100) if rng.random() < 0.4 else ''}@" + rng.choice(
        EMAIL_DOMAINS
    )
    phone = _phone(rng, us_city)
    resume_skills = skills_pool[: max(4, len(skills_pool) - rng.randrange(4))]
    resume_text = _resume(
        rng,
        name=name,
        email=email,
        phone=phone,
        location=location,
        track=track,
        positions=positions,
        skills=resume_skills,
        years=years,
        school=school,
        degree=degree,
        major=major,
        certifications=certifications,
    )
    resume_titles = _distinct([p.title for p in positions])
    created = _between(rng, ANCHOR - timedelta(days=HISTORY_DAYS), ANCHOR - timedelta(days=1))
    apps = _applications(rng, vocab, created)
    updated = max(
        [_between(rng, created, ANCHOR, bias=0.5)]
        + [datetime.fromtimestamp(a["updated_at_ts"], UTC) for a in apps]
    )
    status = apps[0]["status"] if apps else None
    status_at = datetime.fromtimestamp(apps[0]["updated_at_ts"], UTC) if apps else None
    slug = _slug(first, last).replace(".", "-")
    linkedin = (
        f"https://www.linkedin.com/in/{slug}-{index % 9973:x}" if rng.random() < 0.45 else None
    )
    github = (
        f"https://github.com/{slug.replace('-', '')}{index % 97}"
        if track.key in ("software", "data", "devops") and rng.random() < 0.3
        else None
    )

    doc: dict[str, Any] = {
        "candidate_id": str(FIRST_CANDIDATE_ID + index),
        "name": name,
        "first_name": first,
        "last_name": last,
        "emails": [email],
        "phones": [phone],
        "city": city,
        "state": state,
        "postal_code": postal,
        "country": country,
        "location": location,
        "linkedin_url": linkedin,
        "github_url": github,
        "application_type": "Prospect" if rng.random() < PROSPECT_SHARE else "Candidate",
        "status": status,
        "status_at_ts": _ts(status_at) if status_at else None,
        "is_active": rng.random() < ACTIVE_SHARE,
        "source": rng.choice(SOURCES),
        "created_at_ts": _ts(created),
        "updated_at_ts": _ts(updated),
        "updated_at": _iso(updated),
        "applications": apps,
        "job_ids": _distinct([app["job_id"] for app in apps]),
        "job_titles": _distinct([app["job_title"] for app in apps]),
        "application_statuses": _distinct([app["status"] for app in apps]),
        "job_status": _distinct([f"{app['job_id']}|{app['status']}" for app in apps]),
        "recruiter_ids": _distinct([app["recruiter_id"] for app in apps]),
        "recruiter_names": _distinct([app["recruiter_name"] for app in apps]),
        "resume_text": resume_text,
        "resume_text_truncated": False,
        "attachment_text_truncated": False,
        "resume_skills": resume_skills,
        "resume_titles": resume_titles,
    }
    matched = rng.random() < MATCHED_SHARE
    doc["is_matched"] = matched
    if matched:
        profile_skills = _distinct([*skills_pool, *generic])
        past = positions[1:]
        current_company = current.company
        enriched = (ANCHOR - timedelta(days=rng.randrange(30))).date()
        languages = ["English"]
        if culture.languages and rng.random() < 0.5:
            languages.append(rng.choice(culture.languages))
        if rng.random() < 0.15:
            languages.append(rng.choice(careers.EXTRA_LANGUAGES))
        gender = rng.choice(careers.DIVERSITY_GENDERS) if rng.random() < 0.3 else None
        doc |= {
            "profile_id": f"P{seed}-{index}",
            "match_probability": round(0.9 + 0.1 * rng.random(), 6),
            "match_method": rng.choice(MATCH_METHODS),
            "profile_name": name,
            "profile_headline": f"{current.title} at {current_company.name}",
            "profile_location": location,
            "profile_linkedin_url": linkedin
            or f"https://www.linkedin.com/in/{slug}-{(index * 7) % 9973:x}",
            "current_title": current.title,
            "current_company": current_company.name,
            "past_titles": _distinct([p.title for p in past]),
            "past_companies": _distinct([p.company.name for p in past]),
            "years_of_experience": years,
            "experience_bucket": experience_bucket(years),
            "years_in_current_role": in_role,
            "tenure_bucket": tenure_bucket(in_role),
            "industry": current_company.industry,
            "company_size": current_company.size,
            "schools": [school],
            "degrees": [degree],
            "majors": [major],
            "certifications": certifications,
            "languages": _distinct(languages),
            "groups": rng.sample(careers.GROUPS, rng.randrange(3)),
            "interests": rng.sample(careers.INTERESTS, rng.randrange(4)),
            "honors": rng.sample(careers.HONORS, rng.randrange(2)),
            "profile_skills": profile_skills,
            "diversity_gender": gender,
            "enriched_as_of": enriched.isoformat(),
            "enriched_as_of_ts": _ts(datetime.combine(enriched, time(), UTC)),
        }
    profile_skills = doc.get("profile_skills", [])
    titles = _distinct([doc.get("current_title"), *doc.get("past_titles", []), *resume_titles])
    companies = _distinct([doc.get("current_company"), *doc.get("past_companies", [])])
    skills = _distinct([*profile_skills, *resume_skills])
    doc |= {
        "titles": titles,
        "companies": companies,
        "skills": skills,
        "title_terms": _terms(titles),
        "current_title_terms": _terms([doc.get("current_title")]),
        "company_terms": _terms(companies),
        "current_company_terms": _terms([doc.get("current_company")]),
        "past_company_terms": _terms(doc.get("past_companies", [])),
        "skill_terms": _terms(skills),
        "school_terms": _terms(doc.get("schools", [])),
        "degree_terms": _terms(doc.get("degrees", [])),
        "major_terms": _terms(doc.get("majors", [])),
        "location_terms": list(_location_terms(city, state, country)),
        "certification_terms": _terms(doc.get("certifications", [])),
        "language_terms": _terms(doc.get("languages", [])),
        "industry_terms": _terms([doc.get("industry")]),
    }
    return {key: value for key, value in doc.items() if value is not None and value != []}


def documents(count: int, seed: int, start: int = 0) -> Iterator[dict[str, Any]]:
    """Documents ``start`` … ``count - 1``."""
    for index in range(start, count):
        yield document(index, seed)


def document_batches(count: int, seed: int, size: int = 5_000) -> Iterator[list[dict[str, Any]]]:
    """All ``count`` documents in batches of ``size``."""
    for start in range(0, count, size):
        yield [document(index, seed) for index in range(start, min(count, start + size))]


def sample_indexes(count: int, samples: int = 16) -> list[int]:
    """Document numbers spread over ``0 … count - 1`` (first and last included)."""
    if count <= samples:
        return list(range(count))
    step = (count - 1) / (samples - 1)
    return sorted({round(k * step) for k in range(samples)})
