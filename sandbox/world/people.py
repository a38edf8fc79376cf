"""The real people behind the world, generated column-wise with numpy and Arrow.

Every public profile and every ATS candidate is a view of one person. The first `M` people
are the public-profile corpus; the rest are people who have no public profile (candidates
without a match). Look-alikes — different people sharing a name and a city — are made by
copying a name and place from another person.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import polars as pl
import pyarrow as pa

from sandbox.world import careers, names
from sandbox.world.common import choose_in_ranges, distinct_in_ranges, list_array, normalized
from sandbox.world.vocab import career_tables, location_table, name_tables

LOOKALIKE_SHARE = 0.03
ABROAD_SHARE = 0.06
# Rank exponent of employer popularity: the biggest employer has about 5 % of all jobs.
EMPLOYER_CONCENTRATION = 0.7
GENERAL_EMAIL_DOMAINS = (
    "gmail.com",
    "yahoo.com",
    "hotmail.com",
    "outlook.com",
    "icloud.com",
    "aol.com",
    "live.com",
    "msn.com",
    "protonmail.com",
    "ymail.com",
)
GENERAL_EMAIL_WEIGHTS = (0.55, 0.12, 0.08, 0.08, 0.06, 0.04, 0.02, 0.02, 0.02, 0.01)
TECH_TRACKS = ("software", "data", "devops", "qa", "security")


def take(values: pa.Array, idx: np.ndarray) -> pa.Array:
    """values[idx], null where idx < 0."""
    idx = np.asarray(idx, dtype=np.int64)
    missing = idx < 0
    return values.take(pa.array(np.where(missing, 0, idx), mask=missing))


def hex_tokens(count: int, salt: int) -> list[str]:
    """Distinct 8-hex-digit tokens (an odd multiplier is a bijection modulo 2**32)."""
    raw = (np.arange(count, dtype=np.uint64) * np.uint64(2654435761) + np.uint64(salt)) % (2**32)
    return [f"{t:08x}" for t in raw.tolist()]


def generate_people(rng: np.random.Generator, count: int, ref_day: np.datetime64) -> pl.DataFrame:
    """`count` people with names, places, contact details and careers as of `ref_day`."""
    nt = name_tables()
    cultures = names.CULTURES
    culture = rng.choice(len(cultures), count, p=normalized([c.weight for c in cultures]))
    female = rng.random(count) < 0.5
    sex = female.astype(int)
    first_idx = choose_in_ranges(
        rng, nt.first_start[culture, sex], nt.first_size[culture, sex], 0.8
    )
    last_idx = choose_in_ranges(rng, nt.last_start[culture], nt.last_size[culture], 0.7)
    compound_share = np.array([c.compound_surname_share for c in cultures])[culture]
    last2_idx = choose_in_ranges(rng, nt.last_start[culture], nt.last_size[culture], 0.5)
    last2_idx = np.where(
        (rng.random(count) < compound_share) & (last2_idx != last_idx), last2_idx, -1
    )
    hyphenated = rng.random(count) < 0.6
    place = _places(rng, culture)

    # Look-alikes: copy name and place from a donor, keep everything else of one's own.
    lookalike_of = np.where(rng.random(count) < LOOKALIKE_SHARE, rng.integers(0, count, count), -1)
    lookalike_of = np.where(lookalike_of == np.arange(count), -1, lookalike_of)
    copy = lookalike_of >= 0
    donor = lookalike_of[copy]
    for arr in (culture, female, first_idx, last_idx, last2_idx, hyphenated, place):
        arr[copy] = arr[donor]

    frame = pl.DataFrame(
        {
            "person": np.arange(count, dtype=np.int64),
            "culture": pa.array([c.key for c in cultures]).take(pa.array(culture)),
            "female": female,
            "lookalike_of": lookalike_of,
            "first_name": take(nt.first, first_idx),
            "first_ascii": take(nt.first_ascii, first_idx),
            "first_slug": take(nt.first_slug, first_idx),
            "first_email": take(nt.first_email, first_idx),
            "l1_m": take(nt.last_male, last_idx),
            "l1_f": take(nt.last_female, last_idx),
            "l2_m": take(nt.last_male, last2_idx),
            "l2_f": take(nt.last_female, last2_idx),
            "l1_slug_m": take(nt.last_male_slug, last_idx),
            "l1_slug_f": take(nt.last_female_slug, last_idx),
            "l2_slug_m": take(nt.last_male_slug, last2_idx),
            "l2_slug_f": take(nt.last_female_slug, last2_idx),
            "l1_email_m": take(nt.last_male_email, last_idx),
            "l1_email_f": take(nt.last_female_email, last_idx),
            "l2_email_m": take(nt.last_male_email, last2_idx),
            "l2_email_f": take(nt.last_female_email, last2_idx),
            "hyphenated": hyphenated,
        }
    )
    frame = _assemble_surnames(frame)
    frame = frame.with_columns(
        _middle_initials(rng, count),
        _preferred_first(rng, culture, female, first_idx),
        _alternate_surnames(rng, female),
        *_place_columns(place),
    )
    frame = frame.with_columns(*_phones(rng, place))
    careers_frame = _careers(rng, culture, place, ref_day)
    frame = pl.concat([frame, careers_frame], how="horizontal")
    frame = _identifiers(rng, frame)
    return frame


def _places(rng: np.random.Generator, culture: np.ndarray) -> np.ndarray:
    loc = location_table()
    count = len(culture)
    us = rng.choice(loc.us_count, count, p=loc.us_weights)
    abroad_pos = choose_in_ranges(rng, loc.abroad_start[culture], loc.abroad_size[culture])
    abroad = rng.random(count) < ABROAD_SHARE
    return np.where(abroad, loc.abroad_flat[np.minimum(abroad_pos, len(loc.abroad_flat) - 1)], us)


def _assemble_surnames(frame: pl.DataFrame) -> pl.DataFrame:
    def gendered(stem: str) -> pl.Expr:
        return pl.when(pl.col("female")).then(pl.col(f"{stem}_f")).otherwise(pl.col(f"{stem}_m"))

    sep = pl.when(pl.col("hyphenated")).then(pl.lit("-")).otherwise(pl.lit(" "))
    last1, last2 = gendered("l1"), gendered("l2")
    frame = frame.with_columns(
        last_name=pl.when(last2.is_null())
        .then(last1)
        .otherwise(pl.concat_str([last1, sep, last2])),
        last_slug=pl.when(last2.is_null())
        .then(gendered("l1_slug"))
        .otherwise(pl.concat_str([gendered("l1_slug"), pl.lit("-"), gendered("l2_slug")])),
        last_email=pl.when(last2.is_null())
        .then(gendered("l1_email"))
        .otherwise(pl.concat_str([gendered("l1_email"), gendered("l2_email")])),
    )
    helper = [c for c in frame.columns if c[:3] in ("l1_", "l2_")] + ["hyphenated"]
    return frame.drop(helper).with_columns(
        last_ascii=pl.col("last_name").map_batches(_fold_series, return_dtype=pl.String)
    )


def map_distinct(series: pl.Series, fn: Callable[[str], str]) -> pl.Series:
    """Apply a Python string function once per distinct value (names are a small vocabulary)."""
    distinct = series.drop_nulls().unique(maintain_order=True).to_list()
    mapping = {v: fn(v) for v in distinct}
    return series.replace_strict(mapping, default=None, return_dtype=pl.String)


def _fold_series(series: pl.Series) -> pl.Series:
    return map_distinct(series, names.ascii_fold)


def _middle_initials(rng: np.random.Generator, count: int) -> pl.Series:
    letters = np.array(list("AAABBCCDDEEFGHHJJKLLMMMNPRRSSTTW"))
    pick = letters[rng.integers(0, len(letters), count)]
    has = rng.random(count) < 0.3
    return pl.Series("middle_initial", np.where(has, pick, None).tolist(), dtype=pl.String)


def _preferred_first(
    rng: np.random.Generator, culture: np.ndarray, female: np.ndarray, first_idx: np.ndarray
) -> pl.Series:
    """A nickname, transliteration or English alias the person also goes by (or null)."""
    nt = name_tables()
    count = len(first_idx)
    nick_size = nt.nick_size[first_idx]
    nick_pos = choose_in_ranges(rng, nt.nick_start[first_idx], np.maximum(nick_size, 1))
    uses_nick = (nick_size > 0) & (rng.random(count) < 0.55)
    alias_share = np.array([c.english_alias_share for c in names.CULTURES])[culture]
    sex = female.astype(int)
    alias_pos = choose_in_ranges(rng, nt.alias_start[sex], nt.alias_size[sex])
    uses_alias = rng.random(count) < alias_share
    nick = np.asarray(take(nt.nick, np.where(uses_nick, nick_pos, -1)).to_pylist(), dtype=object)
    alias = np.asarray(take(nt.aliases, alias_pos).to_pylist(), dtype=object)
    return pl.Series("preferred_first", np.where(uses_alias, alias, nick).tolist(), dtype=pl.String)


def _alternate_surnames(rng: np.random.Generator, female: np.ndarray) -> pl.Series:
    """Maiden or married surname of about a fifth of the women (a spouse of any culture)."""
    nt = name_tables()
    count = len(female)
    cultures = names.CULTURES
    spouse_culture = rng.choice(len(cultures), count, p=normalized([c.weight for c in cultures]))
    idx = choose_in_ranges(rng, nt.last_start[spouse_culture], nt.last_size[spouse_culture], 0.7)
    has = female & (rng.random(count) < 0.22)
    return pl.Series(
        "alt_last", take(nt.last_female, np.where(has, idx, -1)).to_pylist(), dtype=pl.String
    )


def _place_columns(place: np.ndarray) -> list[pl.Series]:
    loc = location_table()
    return [
        pl.Series("place", place, dtype=pl.Int64),
        pl.Series("city", take(loc.city, place)),
        pl.Series("state", take(loc.state, place)),
        pl.Series("state_name", take(loc.state_name, place)),
        pl.Series("country", take(loc.country, place)),
        pl.Series("metro", take(loc.metro, place)),
        pl.Series("zip_base", loc.zip_base[place]),
        pl.Series("phone_prefix", take(loc.phone_prefix, place)),
    ]


def us_phone_numbers(rng: np.random.Generator, place: np.ndarray) -> np.ndarray:
    """10-digit national numbers with an area code of the place (random digits abroad)."""
    loc = location_table()
    count = len(place)
    codes = np.array(
        [
            loc.area_codes[p][k % len(loc.area_codes[p])] if loc.area_codes[p] else 0
            for p, k in zip(place.tolist(), rng.integers(0, 12, count).tolist(), strict=True)
        ],
        dtype=np.int64,
    )
    exchange = rng.integers(201, 1000, count)
    # Avoid N11 service codes and the fictional 555 exchange.
    exchange = np.where((exchange % 100 == 11) | (exchange == 555), exchange + 1, exchange)
    line = rng.integers(0, 10000, count)
    foreign = rng.integers(100_000_000, 999_999_999, count)
    national = codes * 10_000_000 + exchange * 10_000 + line
    return np.where(codes > 0, national, foreign)


def _phones(rng: np.random.Generator, place: np.ndarray) -> list[pl.Series]:
    count = len(place)
    current = us_phone_numbers(rng, place)
    old = us_phone_numbers(rng, place)
    has_old = rng.random(count) < 0.25
    return [
        pl.Series("phone", current.astype(str)),
        pl.Series("old_phone", np.where(has_old, old.astype(str), None).tolist(), dtype=pl.String),
    ]


def _careers(
    rng: np.random.Generator, culture: np.ndarray, place: np.ndarray, ref_day: np.datetime64
) -> pl.DataFrame:
    ct = career_tables()
    count = len(culture)
    track = rng.choice(len(careers.TRACKS), count, p=ct.track_weights)
    years = np.clip(rng.normal(11.0, 7.0, count), 0.5, 38.0)
    top_level = np.clip((years / 4.5).astype(np.int64) + rng.integers(-1, 2, count), 0, 4)
    positions = _positions(rng, track, years, top_level, ref_day)
    education = _education(rng, culture, track, years, ref_day)
    skills = _skills(rng, track)
    certs = _ranged_lists(
        rng,
        ct.cert,
        ct.cert_start[track],
        ct.cert_size[track],
        rng.choice(4, count, p=[0.5, 0.3, 0.15, 0.05]),
    )
    languages = _languages(rng, culture, place)
    groups = _pool_lists(rng, careers.GROUPS, rng.choice(5, count, p=[0.45, 0.25, 0.15, 0.1, 0.05]))
    interests = _pool_lists(
        rng, careers.INTERESTS, rng.choice(5, count, p=[0.5, 0.2, 0.15, 0.1, 0.05])
    )
    honors = _pool_lists(rng, careers.HONORS, rng.choice(3, count, p=[0.7, 0.22, 0.08]))
    table = pa.table(
        {
            "track": pa.array(track, type=pa.int64()),
            "career_years": pa.array(years),
            "positions": positions,
            "education": education,
            "skills": skills,
            "certifications": certs,
            "languages": languages,
            "groups": groups,
            "interests": interests,
            "honors": honors,
        }
    )
    return pl.from_arrow(table)


def _month_start(days: np.ndarray) -> np.ndarray:
    return days.astype("datetime64[M]").astype("datetime64[D]")


def _positions(
    rng: np.random.Generator,
    track: np.ndarray,
    years: np.ndarray,
    top_level: np.ndarray,
    ref_day: np.datetime64,
) -> pa.ListArray:
    """Back-to-back jobs, most recent first; the newest may have ended (between jobs)."""
    ct = career_tables()
    count = len(track)
    n_pos = np.clip(1 + rng.poisson(years / 3.8), 1, 7)
    offsets = np.zeros(count + 1, dtype=np.int64)
    np.cumsum(n_pos, out=offsets[1:])
    owner = np.repeat(np.arange(count), n_pos)
    rank = np.arange(offsets[-1]) - offsets[owner]
    mean_days = years * 365.0 / n_pos
    duration = np.maximum(mean_days[owner] * rng.uniform(0.45, 1.55, len(owner)), 60.0)
    ended_now = rng.random(count) < 0.12
    gap = np.where(
        rank == 0,
        np.where(ended_now[owner], rng.uniform(15, 300, len(owner)), 0.0),
        rng.uniform(0, 120, len(owner)),
    )
    step = gap + duration
    cumulative = np.cumsum(step)
    before_group = cumulative[offsets[owner]] - step[offsets[owner]]
    back = cumulative - before_group  # days from ref_day back to each start
    start = _month_start(ref_day - back.astype(np.int64).astype("timedelta64[D]"))
    end = _month_start(ref_day - (back - duration).astype(np.int64).astype("timedelta64[D]"))
    end = np.where(end <= start, start + np.timedelta64(31, "D"), end)
    end = _month_start(end)
    current = (rank == 0) & ~ended_now[owner]
    level = np.clip(top_level[owner] - (rank * rng.uniform(0.6, 1.2, len(owner))).astype(int), 0, 4)
    title_idx = choose_in_ranges(
        rng, ct.title_start[track[owner], level], ct.title_size[track[owner], level]
    )
    pool_pos = choose_in_ranges(
        rng, ct.pool_start[track[owner]], ct.pool_size[track[owner]], EMPLOYER_CONCENTRATION
    )
    company_idx = ct.pool_flat[pool_pos]
    # Promotions: some earlier jobs were at the same employer as the next one.
    same_employer = (rank >= 1) & (rng.random(len(owner)) < 0.15)
    company_idx[same_employer] = company_idx[np.flatnonzero(same_employer) - 1]
    structs = pa.StructArray.from_arrays(
        [
            take(ct.company, company_idx),
            take(ct.title, title_idx),
            pa.array(start, type=pa.date32()),
            pa.array(end, type=pa.date32(), mask=current),
            take(ct.company_industry, company_idx),
            take(ct.company_size, company_idx),
        ],
        names=["company", "title", "start", "end", "industry", "company_size"],
    )
    return list_array(offsets, structs)


def _education(
    rng: np.random.Generator,
    culture: np.ndarray,
    track: np.ndarray,
    years: np.ndarray,
    ref_day: np.datetime64,
) -> pa.ListArray:
    """Degrees, most recent first: a bachelor's, then maybe a master's, then maybe more."""
    ct = career_tables()
    count = len(culture)
    n_edu = rng.choice(4, count, p=[0.08, 0.6, 0.27, 0.05])
    offsets = np.zeros(count + 1, dtype=np.int64)
    np.cumsum(n_edu, out=offsets[1:])
    owner = np.repeat(np.arange(count), n_edu)
    display_rank = np.arange(offsets[-1]) - offsets[owner]
    level = n_edu[owner] - 1 - display_rank  # 0 bachelor, 1 master, 2 doctorate/certificate
    career_start = ref_day - (years * 365).astype(np.int64).astype("timedelta64[D]")
    bachelor_end = career_start[owner] - rng.integers(0, 400, len(owner)).astype("timedelta64[D]")
    extra = np.where(level == 0, 0, rng.integers(500, 2900, len(owner)) * level)
    end = np.minimum(
        bachelor_end + extra.astype("timedelta64[D]"), ref_day - np.timedelta64(40, "D")
    )
    length = np.choose(level, [1460, 700, 1100])
    start = end - length.astype("timedelta64[D]")
    end = _month_start(end)
    start = _month_start(start)

    region = np.array([c.school_region for c in names.CULTURES])[culture[owner]]
    home_start = np.array([ct.school_start.get(r, ct.school_start["us"]) for r in region])
    home_size = np.array([ct.school_size.get(r, ct.school_size["us"]) for r in region])
    home_share = np.where(level == 0, 0.55, 0.25)
    at_home = (rng.random(len(owner)) < home_share) & (region != "us")
    school_idx = np.where(
        at_home,
        choose_in_ranges(rng, home_start, home_size),
        choose_in_ranges(
            rng,
            np.full(len(owner), ct.school_start["us"]),
            np.full(len(owner), ct.school_size["us"]),
            0.3,
        ),
    )
    degree_vocab = pa.array(
        [*careers.BACHELOR_DEGREES, *careers.MASTER_DEGREES, *careers.OTHER_DEGREES]
    )
    degree_start = np.array(
        [
            0,
            len(careers.BACHELOR_DEGREES),
            len(careers.BACHELOR_DEGREES) + len(careers.MASTER_DEGREES),
        ]
    )[level]
    degree_size = np.array(
        [len(careers.BACHELOR_DEGREES), len(careers.MASTER_DEGREES), len(careers.OTHER_DEGREES)]
    )[level]
    degree_idx = choose_in_ranges(rng, degree_start, degree_size, 0.6)
    major_idx = choose_in_ranges(
        rng, ct.major_start[track[owner]], ct.major_size[track[owner]], 0.8
    )
    structs = pa.StructArray.from_arrays(
        [
            take(ct.school, school_idx),
            take(degree_vocab, degree_idx),
            take(ct.major, major_idx),
            pa.array(start, type=pa.date32()),
            pa.array(end, type=pa.date32()),
        ],
        names=["school", "degree", "major", "start", "end"],
    )
    return list_array(offsets, structs)


def _ranged_lists(
    rng: np.random.Generator,
    vocab: pa.Array,
    starts: np.ndarray,
    sizes: np.ndarray,
    counts: np.ndarray,
) -> pa.ListArray:
    flat, offsets = distinct_in_ranges(rng, starts, sizes, counts)
    return list_array(offsets, take(vocab, flat))


def _pool_lists(
    rng: np.random.Generator, pool: tuple[str, ...], counts: np.ndarray
) -> pa.ListArray:
    count = len(counts)
    return _ranged_lists(
        rng, pa.array(pool), np.zeros(count, dtype=np.int64), np.full(count, len(pool)), counts
    )


def _skills(rng: np.random.Generator, track: np.ndarray) -> pa.ListArray:
    """Track skills (most people list 5–15) followed by a few generic ones."""
    ct = career_tables()
    count = len(track)
    own, own_offsets = distinct_in_ranges(
        rng, ct.skill_start[track], ct.skill_size[track], rng.integers(3, 16, count)
    )
    generic_size = len(ct.skill) - ct.generic_skill_start
    gen, gen_offsets = distinct_in_ranges(
        rng,
        np.full(count, ct.generic_skill_start),
        np.full(count, generic_size),
        rng.choice(4, count, p=[0.4, 0.3, 0.2, 0.1]),
    )
    owner = np.concatenate(
        [
            np.repeat(np.arange(count), np.diff(own_offsets)),
            np.repeat(np.arange(count), np.diff(gen_offsets)),
        ]
    )
    values = np.concatenate([own, gen])
    order = np.argsort(owner, kind="stable")
    offsets = own_offsets + gen_offsets
    return list_array(offsets, take(ct.skill, values[order]))


def _languages(rng: np.random.Generator, culture: np.ndarray, place: np.ndarray) -> pa.ListArray:
    """English for most, the heritage language for many, sometimes one more."""
    cultures = names.CULTURES
    count = len(culture)
    loc = location_table()
    lang_vocab: list[str] = []
    start = np.zeros(len(cultures), dtype=np.int64)
    size = np.zeros(len(cultures), dtype=np.int64)
    for c, cult in enumerate(cultures):
        start[c], size[c] = len(lang_vocab), len(cult.languages)
        lang_vocab.extend(cult.languages)
    english_idx = len(lang_vocab)
    lang_vocab.append("English")
    extra_start = len(lang_vocab)
    lang_vocab.extend(careers.EXTRA_LANGUAGES)
    vocab = pa.array(lang_vocab)
    abroad = place >= loc.us_count
    has_english = rng.random(count) < np.where(abroad, 0.75, 0.97)
    heritage_share = np.where(np.array([c.key for c in cultures])[culture] == "anglo", 0.12, 0.6)
    has_heritage = rng.random(count) < heritage_share
    heritage = choose_in_ranges(rng, start[culture], size[culture], 0.8)
    has_extra = rng.random(count) < 0.08
    extra = extra_start + rng.integers(0, len(careers.EXTRA_LANGUAGES), count)
    extra = np.where(extra == heritage, -1, extra)
    columns = np.stack(
        [
            np.where(has_english, english_idx, -1),
            np.where(has_heritage, heritage, -1),
            np.where(has_extra, extra, -1),
        ],
        axis=1,
    )
    # Drop a repeated language (an extra that equals the heritage one was already cleared).
    keep = columns >= 0
    counts = keep.sum(axis=1)
    offsets = np.zeros(count + 1, dtype=np.int64)
    np.cumsum(counts, out=offsets[1:])
    return list_array(offsets, take(vocab, columns[keep]))


def _identifiers(rng: np.random.Generator, frame: pl.DataFrame) -> pl.DataFrame:
    """LinkedIn slugs (current and stale), GitHub handles and e-mail addresses."""
    count = frame.height
    salt = int(rng.integers(0, 2**32))
    tokens = hex_tokens(count, salt)
    tokens_old = hex_tokens(count, salt ^ 0x5BD1E995)
    track_keys = np.array([t.key for t in careers.TRACKS])
    is_tech = np.isin(track_keys[frame["track"].to_numpy()], TECH_TRACKS)
    slug_style = rng.choice(6, count, p=[0.2, 0.1, 0.05, 0.45, 0.15, 0.05])
    old_style = np.where(rng.random(count) < 0.25, rng.integers(0, 3, count), -1)
    has_github = rng.random(count) < np.where(is_tech, 0.55, 0.05)
    gh_style = np.where(has_github, rng.integers(0, 7, count), -1)
    frame = frame.with_columns(
        token=pl.Series(tokens),
        token_old=pl.Series(tokens_old),
        slug_style=pl.Series(slug_style),
        old_style=pl.Series(old_style),
        gh_style=pl.Series(gh_style),
        email_style=pl.Series(rng.integers(0, 8, count)),
        old_email_style=pl.Series(np.where(rng.random(count) < 0.3, rng.integers(0, 8, count), -1)),
        email_uses_preferred=pl.Series(rng.random(count) < 0.15),
        email_domain=pl.Series(_email_domains(rng, frame["culture"].to_list()).tolist()),
        old_email_domain=pl.Series(_email_domains(rng, frame["culture"].to_list()).tolist()),
        digits2=pl.Series(rng.integers(10, 100, count).astype(str)),
        digits4=pl.Series(rng.integers(1960, 2005, count).astype(str)),
    )
    first, last, tok = pl.col("first_slug"), pl.col("last_slug"), pl.col("token")
    first_plain, last_plain = pl.col("first_email"), pl.col("last_email")
    initial = first_plain.str.slice(0, 1)
    style = pl.col("slug_style")
    mid = pl.col("middle_initial").str.to_lowercase()
    slug = (
        pl.when(style == 0)
        .then(pl.concat_str([first, pl.lit("-"), last]))
        .when(style == 1)
        .then(pl.concat_str([first_plain, last_plain]))
        .when(style == 2)
        .then(pl.concat_str([initial, last_plain]))
        .when(style == 3)
        .then(pl.concat_str([first, pl.lit("-"), last, pl.lit("-"), tok]))
        .when(style == 4)
        .then(pl.concat_str([first, pl.lit("-"), last, pl.lit("-"), pl.col("digits2")]))
        .otherwise(
            pl.coalesce(
                pl.concat_str([first, pl.lit("-"), mid, pl.lit("-"), last]),
                pl.concat_str([first, pl.lit("-"), last, pl.lit("-"), tok]),
            )
        )
    )
    frame = frame.with_columns(slug=slug)
    frame = frame.with_columns(
        slug=pl.when(pl.col("slug").is_first_distinct())
        .then(pl.col("slug"))
        .otherwise(pl.concat_str([pl.col("slug"), pl.lit("-"), tok]))
    )
    old = pl.col("old_style")
    old_tok = pl.col("token_old")
    pub_tail = pl.concat_str(
        [old_tok.str.slice(0, 2), old_tok.str.slice(2, 3), old_tok.str.slice(5, 3)], separator="/"
    )
    frame = frame.with_columns(
        old_li_path=pl.when(old == 0)
        .then(pl.concat_str([pl.lit("pub/"), first, pl.lit("-"), last, pl.lit("/"), pub_tail]))
        .when(old == 1)
        .then(pl.concat_str([pl.lit("in/"), first_plain, last_plain, pl.col("digits4")]))
        .when(old == 2)
        .then(
            pl.concat_str(
                [pl.lit("in/"), initial, last_plain, pl.lit("-"), old_tok.str.slice(0, 5)]
            )
        )
        .otherwise(None)
    )
    frame = frame.with_columns(
        old_li_path=pl.when(pl.col("old_li_path") == pl.concat_str([pl.lit("in/"), pl.col("slug")]))
        .then(None)
        .otherwise(pl.col("old_li_path"))
    )
    frame = _github_handles(frame)
    frame = _emails(frame)
    helper = [
        "token",
        "token_old",
        "slug_style",
        "old_style",
        "gh_style",
        "email_style",
        "old_email_style",
        "email_uses_preferred",
        "email_domain",
        "old_email_domain",
        "digits2",
        "digits4",
        "first_slug",
        "last_slug",
        "first_email",
        "last_email",
    ]
    return frame.drop(helper)


def _email_domains(rng: np.random.Generator, culture: list[str]) -> np.ndarray:
    """Mostly the big US providers; part of each culture uses a home-country provider."""
    count = len(culture)
    general = np.array(GENERAL_EMAIL_DOMAINS, dtype=object)[
        rng.choice(len(GENERAL_EMAIL_DOMAINS), count, p=normalized(GENERAL_EMAIL_WEIGHTS))
    ]
    own_domains = {c.key: c.email_domains for c in names.CULTURES}
    pick = rng.integers(0, 1000, count).tolist()
    own = np.array(
        [own_domains[c][p % len(own_domains[c])] for c, p in zip(culture, pick, strict=True)],
        dtype=object,
    )
    use_own = rng.random(count) < np.where(np.array(culture, dtype=object) == "anglo", 0.12, 0.3)
    return np.where(use_own, own, general)


def _github_handles(frame: pl.DataFrame) -> pl.DataFrame:
    style = pl.col("gh_style")
    first, last = pl.col("first_email"), pl.col("last_email")
    first_cap = pl.col("first_ascii").str.replace_all(r"[^A-Za-z0-9]", "")
    last_cap = pl.col("last_ascii").str.replace_all(r"[^A-Za-z0-9]", "")
    initial = first.str.slice(0, 1)
    handle = (
        pl.when(style == 0)
        .then(pl.concat_str([first, last]))
        .when(style == 1)
        .then(pl.concat_str([initial, last]))
        .when(style == 2)
        .then(pl.concat_str([pl.col("first_slug"), pl.lit("-"), pl.col("last_slug")]))
        .when(style == 3)
        .then(pl.concat_str([first_cap, last_cap]))
        .when(style == 4)
        .then(pl.concat_str([first, pl.col("digits2")]))
        .when(style == 5)
        .then(pl.concat_str([last, initial]))
        .when(style == 6)
        .then(pl.concat_str([first, pl.lit("-"), last, pl.lit("-dev")]))
        .otherwise(None)
    )
    frame = frame.with_columns(github=handle)
    return frame.with_columns(
        github=pl.when(
            pl.col("github").is_null() | pl.col("github").str.to_lowercase().is_first_distinct()
        )
        .then(pl.col("github"))
        .otherwise(pl.concat_str([pl.col("github"), pl.lit("-"), pl.col("token").str.slice(0, 6)]))
    )


def _email_local(style: pl.Expr, first: pl.Expr, last: pl.Expr) -> pl.Expr:
    initial = first.str.slice(0, 1)
    return (
        pl.when(style == 0)
        .then(pl.concat_str([first, pl.lit("."), last]))
        .when(style == 1)
        .then(pl.concat_str([first, last]))
        .when(style == 2)
        .then(pl.concat_str([initial, last]))
        .when(style == 3)
        .then(pl.concat_str([first, pl.lit("_"), last]))
        .when(style == 4)
        .then(pl.concat_str([first, pl.lit("."), last, pl.col("digits2")]))
        .when(style == 5)
        .then(pl.concat_str([first, last.str.slice(0, 1), pl.col("digits4")]))
        .when(style == 6)
        .then(pl.concat_str([last, pl.lit("."), first]))
        .otherwise(pl.concat_str([first, pl.col("digits4")]))
    )


def _emails(frame: pl.DataFrame) -> pl.DataFrame:
    preferred_plain = pl.col("preferred_first").map_batches(
        lambda s: map_distinct(s, names.email_part), return_dtype=pl.String
    )
    first_for_email = (
        pl.when(pl.col("email_uses_preferred") & pl.col("preferred_first").is_not_null())
        .then(preferred_plain)
        .otherwise(pl.col("first_email"))
    )
    local = _email_local(pl.col("email_style"), first_for_email, pl.col("last_email"))
    old_local = _email_local(pl.col("old_email_style"), pl.col("first_email"), pl.col("last_email"))
    frame = frame.with_columns(
        personal_email=pl.concat_str([local, pl.lit("@"), pl.col("email_domain")]),
        old_email=pl.when(pl.col("old_email_style") >= 0)
        .then(pl.concat_str([old_local, pl.lit("@"), pl.col("old_email_domain")]))
        .otherwise(None),
    )
    # One mailbox belongs to one person: number the later holders of a taken address.
    for column in ("personal_email", "old_email"):
        user, domain = (
            pl.col(column).str.split("@").list.get(0),
            pl.col(column).str.split("@").list.get(1),
        )
        frame = frame.with_columns(
            pl.when(pl.col(column).is_null() | pl.col(column).is_first_distinct())
            .then(pl.col(column))
            .otherwise(pl.concat_str([user, pl.col("token").str.slice(0, 5), pl.lit("@"), domain]))
            .alias(column)
        )
    frame = frame.with_columns(
        old_email=pl.when(
            pl.col("old_email").is_in(pl.col("personal_email").implode())
            | (pl.col("old_email") == pl.col("personal_email"))
        )
        .then(None)
        .otherwise(pl.col("old_email"))
    )
    ct = career_tables()
    domain_of = dict(zip(ct.company.to_pylist(), ct.company_domain.to_pylist(), strict=True))
    current = pl.col("positions").list.first()
    frame = frame.with_columns(
        current_company=current.struct.field("company"),
        current_title=current.struct.field("title"),
        is_employed=current.struct.field("end").is_null(),
    )
    frame = frame.with_columns(
        work_email=pl.when(pl.col("is_employed"))
        .then(
            pl.concat_str(
                [
                    pl.col("first_email"),
                    pl.lit("."),
                    pl.col("last_email"),
                    pl.lit("@"),
                    pl.col("current_company").replace_strict(domain_of, default=None),
                ]
            )
        )
        .otherwise(None)
    )
    return frame
