"""Vocabulary tables flattened into Arrow arrays and index ranges for vectorised sampling."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np
import pyarrow as pa

from sandbox.world import careers, names, places


@dataclass(frozen=True)
class NameTables:
    """First names and surnames of every culture, with the index range of each group."""

    first: pa.Array
    first_ascii: pa.Array
    first_slug: pa.Array
    first_email: pa.Array
    # [culture, is_female] → start / size in `first`
    first_start: np.ndarray
    first_size: np.ndarray
    # nickname ranges per first name (size 0 = none)
    nick: pa.Array
    nick_start: np.ndarray
    nick_size: np.ndarray
    # surnames: [index] male form / female form
    last_male: pa.Array
    last_female: pa.Array
    last_male_slug: pa.Array
    last_female_slug: pa.Array
    last_male_email: pa.Array
    last_female_email: pa.Array
    last_start: np.ndarray  # per culture
    last_size: np.ndarray
    aliases: pa.Array  # English aliases, male then female
    alias_start: np.ndarray  # [is_female]
    alias_size: np.ndarray


def _strings(values: list[str]) -> pa.Array:
    return pa.array(values, type=pa.string())


@cache
def name_tables() -> NameTables:
    cultures = names.CULTURES
    first: list[str] = []
    first_start = np.zeros((len(cultures), 2), dtype=np.int64)
    first_size = np.zeros((len(cultures), 2), dtype=np.int64)
    for c, culture in enumerate(cultures):
        for is_female, pool in ((0, culture.male), (1, culture.female)):
            first_start[c, is_female] = len(first)
            first_size[c, is_female] = len(pool)
            first.extend(pool)
    nick: list[str] = []
    nick_start = np.zeros(len(first), dtype=np.int64)
    nick_size = np.zeros(len(first), dtype=np.int64)
    for i, name in enumerate(first):
        options = names.NICKNAMES.get(name, ())
        nick_start[i] = len(nick)
        nick_size[i] = len(options)
        nick.extend(options)
    male: list[str] = []
    female: list[str] = []
    last_start = np.zeros(len(cultures), dtype=np.int64)
    last_size = np.zeros(len(cultures), dtype=np.int64)
    for c, culture in enumerate(cultures):
        last_start[c] = len(male)
        last_size[c] = len(culture.surnames)
        for entry in culture.surnames:
            m, _, f = entry.partition("/")
            male.append(m)
            female.append(f or m)
    aliases = [*names.ENGLISH_ALIASES_MALE, *names.ENGLISH_ALIASES_FEMALE]
    return NameTables(
        first=_strings(first),
        first_ascii=_strings([names.ascii_fold(x) for x in first]),
        first_slug=_strings([names.slug_part(x) for x in first]),
        first_email=_strings([names.email_part(x) for x in first]),
        first_start=first_start,
        first_size=first_size,
        nick=_strings(nick),
        nick_start=nick_start,
        nick_size=nick_size,
        last_male=_strings(male),
        last_female=_strings(female),
        last_male_slug=_strings([names.slug_part(x) for x in male]),
        last_female_slug=_strings([names.slug_part(x) for x in female]),
        last_male_email=_strings([names.email_part(x) for x in male]),
        last_female_email=_strings([names.email_part(x) for x in female]),
        last_start=last_start,
        last_size=last_size,
        aliases=_strings(aliases),
        alias_start=np.array([0, len(names.ENGLISH_ALIASES_MALE)], dtype=np.int64),
        alias_size=np.array(
            [len(names.ENGLISH_ALIASES_MALE), len(names.ENGLISH_ALIASES_FEMALE)], dtype=np.int64
        ),
    )


@dataclass(frozen=True)
class LocationTable:
    """US cities first, then cities abroad; one row per place."""

    city: pa.Array
    state: pa.Array  # US state abbreviation, or region abroad
    state_name: pa.Array
    country: pa.Array
    metro: pa.Array
    zip_base: np.ndarray  # -1 abroad
    phone_prefix: pa.Array
    area_codes: list[tuple[int, ...]]
    us_count: int
    us_weights: np.ndarray
    # cities abroad per culture: ranges into `abroad_flat` (global place indices)
    abroad_flat: np.ndarray
    abroad_start: np.ndarray
    abroad_size: np.ndarray


@cache
def location_table() -> LocationTable:
    us = places.US_CITIES
    foreign = places.FOREIGN_CITIES
    foreign_index = {f.city: len(us) + i for i, f in enumerate(foreign)}
    abroad_flat: list[int] = []
    abroad_start = np.zeros(len(names.CULTURES), dtype=np.int64)
    abroad_size = np.zeros(len(names.CULTURES), dtype=np.int64)
    for c, culture in enumerate(names.CULTURES):
        abroad_start[c] = len(abroad_flat)
        abroad_size[c] = len(culture.abroad_cities)
        abroad_flat.extend(foreign_index[city] for city in culture.abroad_cities)
    return LocationTable(
        city=_strings([u.city for u in us] + [f.city for f in foreign]),
        state=_strings([u.state for u in us] + [f.region for f in foreign]),
        state_name=_strings([u.state_name for u in us] + [f.region for f in foreign]),
        country=_strings(["United States"] * len(us) + [f.country for f in foreign]),
        metro=_strings([u.metro for u in us] + [f"Greater {f.city} Area" for f in foreign]),
        zip_base=np.array([u.zip_base for u in us] + [-1] * len(foreign), dtype=np.int64),
        phone_prefix=_strings(["+1"] * len(us) + [f.phone_prefix for f in foreign]),
        area_codes=[u.area_codes for u in us] + [() for _ in foreign],
        us_count=len(us),
        us_weights=np.array([u.weight for u in us], dtype=np.float64) / sum(u.weight for u in us),
        abroad_flat=np.array(abroad_flat, dtype=np.int64),
        abroad_start=abroad_start,
        abroad_size=abroad_size,
    )


@dataclass(frozen=True)
class CareerTables:
    company: pa.Array
    company_domain: pa.Array
    company_industry: pa.Array
    company_size: pa.Array
    # employer pools per track: ranges into `pool_flat` (company indices, big employers first)
    pool_flat: np.ndarray
    pool_start: np.ndarray
    pool_size: np.ndarray
    # titles per track and level: title_start[track, level], title_size[track, level]
    title: pa.Array
    title_start: np.ndarray
    title_size: np.ndarray
    skill: pa.Array  # track skills, then generic skills at the end
    skill_start: np.ndarray
    skill_size: np.ndarray
    generic_skill_start: int
    cert: pa.Array
    cert_start: np.ndarray
    cert_size: np.ndarray
    major: pa.Array
    major_start: np.ndarray
    major_size: np.ndarray
    school: pa.Array
    school_start: dict[str, int]
    school_size: dict[str, int]
    track_weights: np.ndarray


@cache
def career_tables() -> CareerTables:
    companies = careers.COMPANIES
    tracks = careers.TRACKS
    pool_flat: list[int] = []
    pool_start = np.zeros(len(tracks), dtype=np.int64)
    pool_size = np.zeros(len(tracks), dtype=np.int64)
    for t, track in enumerate(tracks):
        pool = [
            i for i, c in enumerate(companies) if track.sectors is None or c.sector in track.sectors
        ]
        pool_start[t] = len(pool_flat)
        pool_size[t] = len(pool)
        pool_flat.extend(pool)
    titles: list[str] = []
    title_start = np.zeros((len(tracks), 5), dtype=np.int64)
    title_size = np.zeros((len(tracks), 5), dtype=np.int64)
    for t, track in enumerate(tracks):
        for level in range(5):
            options = track.titles[min(level, len(track.titles) - 1)]
            title_start[t, level] = len(titles)
            title_size[t, level] = len(options)
            titles.extend(options)

    def ranged(attr: str) -> tuple[list[str], np.ndarray, np.ndarray]:
        flat: list[str] = []
        start = np.zeros(len(tracks), dtype=np.int64)
        size = np.zeros(len(tracks), dtype=np.int64)
        for t, track in enumerate(tracks):
            values = getattr(track, attr)
            start[t], size[t] = len(flat), len(values)
            flat.extend(values)
        return flat, start, size

    skills, skill_start, skill_size = ranged("skills")
    generic_start = len(skills)
    skills = skills + list(careers.GENERIC_SKILLS)
    certs, cert_start, cert_size = ranged("certifications")
    majors, major_start, major_size = ranged("majors")
    school_names: list[str] = []
    school_start: dict[str, int] = {}
    school_size: dict[str, int] = {}
    for school in careers.SCHOOLS:
        if school.region not in school_start:
            school_start[school.region] = len(school_names)
            school_size[school.region] = 0
        school_size[school.region] += 1
        school_names.append(school.name)
    return CareerTables(
        company=_strings([c.name for c in companies]),
        company_domain=_strings([c.domain for c in companies]),
        company_industry=_strings([c.industry for c in companies]),
        company_size=_strings([c.size for c in companies]),
        pool_flat=np.array(pool_flat, dtype=np.int64),
        pool_start=pool_start,
        pool_size=pool_size,
        title=_strings(titles),
        title_start=title_start,
        title_size=title_size,
        skill=_strings(skills),
        skill_start=skill_start,
        skill_size=skill_size,
        generic_skill_start=generic_start,
        cert=_strings(certs),
        cert_start=cert_start,
        cert_size=cert_size,
        major=_strings(majors),
        major_start=major_start,
        major_size=major_size,
        school=_strings(school_names),
        school_start=school_start,
        school_size=school_size,
        track_weights=np.array([t.weight for t in tracks]) / sum(t.weight for t in tracks),
    )
