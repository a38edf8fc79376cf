"""ATS candidate records: who they are (truth, duplicates) and how noisy their first version is."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import IntEnum

import numpy as np
import polars as pl

from sandbox.world import names, noise, places
from sandbox.world.config import RowCounts, WorldConfig
from sandbox.world.people import us_phone_numbers
from sandbox.world.spellings import ATS_URL_NOISE, linkedin_urls, phone_spellings
from sandbox.world.vocab import location_table

ATS_PHONE_WEIGHTS = (0.3, 0.12, 0.2, 0.05, 0.04, 0.1, 0.05, 0.04, 0.05, 0.05)
LINKEDIN_SHARE_MATCHED = 0.4
LINKEDIN_SHARE_UNMATCHED = 0.2
STALE_LINKEDIN_SHARE = 0.2


class D(IntEnum):
    """Column of the per-candidate uniform draws used for each decision."""

    MOVE = 0
    NICKNAME = 1
    MAIDEN = 2
    FOLD = 3
    FOLD_STYLE = 4
    COMPOUND = 5
    TYPO = 6
    TYPO_SIDE = 7
    TYPO_KIND = 8
    TYPO_POS = 9
    LINKEDIN = 10
    STALE = 11
    TITLE = 12
    STATE_SPELLING = 13
    ADDRESS = 14
    CITY = 15
    ZIP = 16
    COUNTRY = 17
    WORK_PHONE = 18
    HOME_PHONE = 19
    CELL_PHONE = 20
    FAX = 21
    SALARY = 22
    SKILLS = 23
    EMAIL = 24
    ALTERNATE = 25
    ALTERNATE_PICK = 26
    SWAP = 27
    CASE = 28
    CASE_STYLE = 29
    MIDDLE = 30


@dataclass(frozen=True)
class CandidatePlan:
    """One entry per candidate row (before rows are ordered by creation)."""

    person: np.ndarray
    matched: np.ndarray
    duplicate_of: np.ndarray  # base row this row duplicates, or -1
    showcase_row: int  # the inactive candidate whose accented name lands in the cp1252 file


def plan_candidates(rng: np.random.Generator, config: WorldConfig) -> CandidatePlan:
    counts = RowCounts.of(config)
    matched_people = rng.choice(config.profiles, counts.matched, replace=False)
    hidden_people = config.profiles + np.arange(counts.hidden)
    base_person = rng.permutation(np.concatenate([matched_people, hidden_people]))
    base_matched = base_person < config.profiles
    originals = (
        rng.integers(0, counts.base, counts.duplicates)
        if counts.base
        else np.zeros(0, dtype=np.int64)
    )
    person = np.concatenate([base_person, base_person[originals]])
    matched = np.concatenate([base_matched, base_matched[originals]])
    duplicate_of = np.concatenate([np.full(counts.base, -1), originals])
    is_original = np.zeros(counts.base, dtype=bool)
    is_original[originals] = True
    # Prefer a person without a profile, so renaming them does not touch the corpus.
    eligible = np.flatnonzero(~is_original & ~base_matched)
    if len(eligible) == 0:
        eligible = np.flatnonzero(~is_original)
    showcase = int(eligible[0]) if len(eligible) else 0
    return CandidatePlan(person, matched, duplicate_of, showcase)


def apply_showcase_name(people: pl.DataFrame, person: int, seed: int) -> pl.DataFrame:
    """Give one person a name whose bytes differ between UTF-8 and Windows-1252."""
    first, last = names.CP1252_SHOWCASE_NAMES[seed % len(names.CP1252_SHOWCASE_NAMES)]
    local = f"{names.email_part(first)}.{names.email_part(last)}{person}"
    values = {
        "first_name": first,
        "first_ascii": names.ascii_fold(first),
        "last_name": last,
        "last_ascii": names.ascii_fold(last),
        "preferred_first": None,
        "alt_last": None,
        "culture": "german",
        "personal_email": f"{local}@gmail.com",
        "work_email": None,
        "slug": f"{names.slug_part(first)}-{names.slug_part(last)}-{person:x}",
        "old_li_path": None,
        "github": None,
    }
    is_row = pl.col("person") == person
    return people.with_columns(
        [
            pl.when(is_row).then(pl.lit(v, dtype=pl.String)).otherwise(pl.col(k)).alias(k)
            for k, v in values.items()
        ]
    )


def address_lines(rng: np.random.Generator, count: int) -> tuple[list[str], list[str | None]]:
    number = rng.integers(1, 9999, count)
    street = np.array(places.STREET_NAMES)[rng.integers(0, len(places.STREET_NAMES), count)]
    suffix = np.array(places.STREET_SUFFIXES)[rng.integers(0, len(places.STREET_SUFFIXES), count)]
    line1 = [f"{n} {s} {x}" for n, s, x in zip(number.tolist(), street, suffix, strict=True)]
    unit_form = np.array(places.UNIT_FORMS)[rng.integers(0, len(places.UNIT_FORMS), count)]
    unit_no = rng.integers(1, 40, count)
    letters = np.array(list("ABCDEF"))[rng.integers(0, 6, count)]
    has_unit = rng.random(count) < 0.18
    line2 = [
        form.format(n=n, letter=letter) if has else None
        for form, n, letter, has in zip(unit_form, unit_no.tolist(), letters, has_unit, strict=True)
    ]
    return line1, line2


def zip_codes(rng: np.random.Generator, zip_base: np.ndarray) -> list[str | None]:
    """ZIP codes near the city's base ZIP; some ZIP+4, none abroad."""
    zip5 = zip_base + rng.integers(0, 60, len(zip_base))
    plus4 = rng.integers(1000, 9999, len(zip_base))
    long_form = rng.random(len(zip_base)) < 0.06
    return [
        None if b < 0 else (f"{z:05d}-{p}" if lf else f"{z:05d}")
        for b, z, p, lf in zip(
            zip_base.tolist(), zip5.tolist(), plus4.tolist(), long_form, strict=True
        )
    ]


def title_at(positions: list[dict], day: date) -> str | None:
    """The job title a person held on a day (their first one if the career started later)."""
    if not positions:
        return None
    for position in positions:
        if position["start"] <= day and (position["end"] is None or day < position["end"]):
            return position["title"]
    return positions[-1]["title"]


def initial_states(
    rng: np.random.Generator, rows: pl.DataFrame, who: pl.DataFrame, records: list[dict]
) -> tuple[list[dict], dict[str, int]]:
    """The first ATS version of every candidate row, with realistic noise.

    `rows` holds per row: candidate_id, matched, showcase, created_at, is_active and
    application_type; `who` and `records` the row's person (frame rows and dicts).
    """
    count = rows.height
    loc = location_table()
    u = rng.random((count, len(D)))

    moved_place = rng.choice(loc.us_count, count, p=loc.us_weights)
    abroad = who["place"].to_numpy() >= loc.us_count
    moves = (u[:, D.MOVE] < 0.12) | (abroad & (u[:, D.MOVE] < 0.6))
    place = np.where(moves, moved_place, who["place"].to_numpy())
    line1, line2 = address_lines(rng, count)
    zips = zip_codes(rng, loc.zip_base[place])
    city = loc.city.take(place).to_pylist()
    state = loc.state.take(place).to_pylist()
    state_name = loc.state_name.take(place).to_pylist()
    country = loc.country.take(place).to_pylist()

    prefix = who["phone_prefix"]
    cell = phone_spellings(rng, prefix, who["phone"], 0.02, ATS_PHONE_WEIGHTS).to_list()
    cell_old = phone_spellings(rng, prefix, who["old_phone"], 0.0, ATS_PHONE_WEIGHTS).to_list()
    home = phone_spellings(rng, prefix, who["phone"], 0.0, ATS_PHONE_WEIGHTS).to_list()
    work_numbers = pl.Series(us_phone_numbers(rng, who["place"].to_numpy()).astype(str))
    work = phone_spellings(rng, prefix, work_numbers, 0.1, ATS_PHONE_WEIGHTS).to_list()
    work_ext = rng.integers(100, 9999, count).astype(str).tolist()
    fax_numbers = pl.Series(us_phone_numbers(rng, who["place"].to_numpy()).astype(str))
    fax = phone_spellings(rng, prefix, fax_numbers, 0.0, ATS_PHONE_WEIGHTS).to_list()

    li_current = linkedin_urls(
        rng, pl.Series(["in/" + s for s in who["slug"].to_list()]), who["country"], ATS_URL_NOISE
    ).to_list()
    li_stale = linkedin_urls(rng, who["old_li_path"], who["country"], ATS_URL_NOISE).to_list()
    fresh_local = rng.integers(10, 9999, count).tolist()

    row_info = rows.select(
        "candidate_id", "matched", "showcase", "created_at", "is_active", "application_type"
    ).to_dicts()
    noise_counts = {k: 0 for k in NOISE_KINDS}
    states = []
    for i in range(count):
        person, info, r = records[i], row_info[i], u[i]
        first, last, applied = _noisy_name(person, r, showcase=info["showcase"])
        for kind in applied:
            noise_counts[kind] += 1
        email, alternate, email_kind = _emails(person, r, fresh_local[i])
        noise_counts[email_kind] += 1
        linkedin = None
        li_share = LINKEDIN_SHARE_MATCHED if info["matched"] else LINKEDIN_SHARE_UNMATCHED
        if r[D.LINKEDIN] < li_share:
            stale = li_stale[i] is not None and r[D.STALE] < STALE_LINKEDIN_SHARE
            linkedin = li_stale[i] if stale else li_current[i]
            noise_counts["linkedin_stale" if stale else "linkedin_present"] += 1
        if moves[i]:
            noise_counts["moved_city"] += 1
        created_day = info["created_at"].date()
        title = title_at(person["positions"], created_day) if r[D.TITLE] < 0.6 else None
        state_value = state[i]
        if country[i] == "United States" and r[D.STATE_SPELLING] < 0.1:
            state_value = state_name[i]
        states.append(
            {
                "candidate_id": info["candidate_id"],
                "first_name": first,
                "last_name": last,
                "email": email,
                "alternate_email": alternate,
                "address1": line1[i] if r[D.ADDRESS] < 0.7 else None,
                "address2": line2[i] if r[D.ADDRESS] < 0.7 else None,
                "city": city[i] if r[D.CITY] > 0.03 else None,
                "state": state_value if r[D.CITY] > 0.03 else None,
                "zipcode": zips[i] if r[D.ZIP] < 0.8 else None,
                "country": _country_spelling(country[i], r[D.COUNTRY]),
                "work_phone": work[i] if r[D.WORK_PHONE] < 0.14 else None,
                "work_phone_ext": work_ext[i] if r[D.WORK_PHONE] < 0.05 else None,
                "home_phone": home[i] if r[D.HOME_PHONE] < 0.18 else None,
                "cell_phone": (cell_old[i] if cell_old[i] and r[D.CELL_PHONE] < 0.12 else cell[i])
                if r[D.CELL_PHONE] < 0.8
                else None,
                "fax": fax[i] if r[D.FAX] < 0.01 else None,
                "linkedin": linkedin,
                "current_salary": _salary(person["career_years"], r[D.SALARY]),
                "application_type": info["application_type"],
                "is_active": info["is_active"],
                "title_hint": title,
                "skills_text": _skills_text(person["skills"], r[D.SKILLS], info["showcase"]),
                "_place": int(place[i]),
                "_linkedin_when_added": li_current[i],
            }
        )
    return states, noise_counts


NOISE_KINDS = (
    "nickname",
    "typo",
    "swapped_names",
    "maiden_or_married_surname",
    "diacritics_dropped",
    "compound_surname_variant",
    "letter_case",
    "middle_initial_in_first_name",
    "email_personal",
    "email_work",
    "email_old",
    "email_unknown",
    "email_missing",
    "linkedin_present",
    "linkedin_stale",
    "moved_city",
)


def _noisy_name(person: dict, r: np.ndarray, *, showcase: bool) -> tuple[str, str, list[str]]:
    first, last = person["first_name"], person["last_name"]
    applied: list[str] = []
    if showcase:
        return first, last, applied
    if person["preferred_first"] and r[D.NICKNAME] < 0.3:
        first = person["preferred_first"]
        applied.append("nickname")
    if person["alt_last"] and r[D.MAIDEN] < 0.4:
        last = person["alt_last"]
        applied.append("maiden_or_married_surname")
    if r[D.FOLD] < 0.5 and not (first + last).isascii():
        first = noise.fold(first, r[D.FOLD_STYLE], person["culture"])
        last = noise.fold(last, r[D.FOLD_STYLE], person["culture"])
        applied.append("diacritics_dropped")
    if (" " in last or "-" in last) and r[D.COMPOUND] < 0.3:
        last = noise.compound_variant(last, r[D.FOLD_STYLE])
        applied.append("compound_surname_variant")
    if r[D.TYPO] < 0.05:
        if r[D.TYPO_SIDE] < 0.5:
            first = noise.typo(first, r[D.TYPO_KIND], r[D.TYPO_POS])
        else:
            last = noise.typo(last, r[D.TYPO_KIND], r[D.TYPO_POS])
        applied.append("typo")
    if person["middle_initial"] and r[D.MIDDLE] < 0.03:
        first = f"{first} {person['middle_initial']}"
        applied.append("middle_initial_in_first_name")
    swap_share = _SWAP_SHARE.get(person["culture"], 0.03)
    if r[D.SWAP] < swap_share:
        first, last = last, first
        applied.append("swapped_names")
    if r[D.CASE] < 0.03:
        first, last = (
            noise.letter_case(first, r[D.CASE_STYLE]),
            noise.letter_case(last, r[D.CASE_STYLE]),
        )
        applied.append("letter_case")
    return first, last, applied


_SWAP_SHARE = {c.key: c.swap_share for c in names.CULTURES}


def _emails(person: dict, r: np.ndarray, fresh: int) -> tuple[str | None, str | None, str]:
    """Main and alternate e-mail: personal, work, an old address, an unknown one, or none."""
    personal, work, old = person["personal_email"], person["work_email"], person["old_email"]
    draw = r[D.EMAIL]
    if draw >= 0.9:
        email, kind = None, "email_missing"
    elif draw >= 0.77:
        initial = person["first_ascii"][:1].lower()
        surname = "".join(ch for ch in person["last_ascii"].lower() if ch.isalnum())
        email, kind = f"{initial}{surname}{fresh}@gmail.com", "email_unknown"
    elif draw >= 0.67 and old:
        email, kind = old, "email_old"
    elif draw >= 0.55 and work:
        email, kind = work, "email_work"
    else:
        email, kind = personal, "email_personal"
    alternates = [a for a in (personal, work, old) if a and a != email]
    alternate = (
        alternates[int(r[D.ALTERNATE_PICK] * len(alternates))]
        if alternates and r[D.ALTERNATE] < 0.2
        else None
    )
    return email, alternate, kind


def _country_spelling(country: str, u: float) -> str | None:
    if country != "United States":
        return country if u < 0.8 else None
    if u < 0.4:
        return "US"
    if u < 0.55:
        return "USA"
    if u < 0.7:
        return "United States"
    return None


def _salary(years: float, u: float) -> float | None:
    if u > 0.3:
        return None
    return float(round(45_000 + years * 4_500 + u * 60_000, -3))


def _skills_text(skills: list[str], u: float, showcase: bool) -> str | None:
    """Qualifications as a recruiter typed them; sometimes one per line."""
    if not skills or (u > 0.5 and not showcase):
        return None
    picked = skills[: 3 + int(u * 10) % 6]
    if showcase or u < 0.12:
        return "\n".join(picked)
    separator = (", ", "; ", " | ", ",")[int(u * 1000) % 4]
    return separator.join(picked)
