"""The public-profile corpus (ARCHITECTURE §5): one row per profile, as a scraper would store it."""

from __future__ import annotations

from datetime import datetime

import numpy as np
import polars as pl

from sandbox.world import careers
from sandbox.world.spellings import PROFILE_URL_NOISE, github_urls, linkedin_urls, phone_spellings

CREDENTIALS = ("PMP", "MBA", "RN", "CPA", "PhD", "CISSP", "SHRM-CP", "PE")


def profile_ids(persons: np.ndarray) -> pl.Series:
    return pl.Series("profile_id", [f"p{p + 1:07d}" for p in persons.tolist()], dtype=pl.String)


def build_profiles(
    rng: np.random.Generator, people: pl.DataFrame, history_end: datetime
) -> pl.DataFrame:
    """Format the first `people.height` people as public profiles."""
    count = people.height
    draws = pl.DataFrame(
        {
            "use_preferred": rng.random(count) < 0.25,
            "name_style": rng.choice(6, count, p=[0.84, 0.05, 0.04, 0.01, 0.03, 0.03]),
            "credential": np.array(CREDENTIALS)[rng.integers(0, len(CREDENTIALS), count)],
            "has_linkedin": rng.random(count) < 0.97,
            "email_personal": rng.random(count) < 0.5,
            "email_work": rng.random(count) < 0.15,
            "email_old": rng.random(count) < 0.08,
            "has_phone": rng.random(count) < 0.2,
            "location_style": rng.choice(3, count, p=[0.5, 0.2, 0.3]),
            "headline_style": rng.choice(3, count, p=[0.6, 0.25, 0.15]),
            "twitter": rng.random(count) < 0.15,
            "x_host": rng.random(count) < 0.4,
            "website": rng.random(count) < 0.08,
            "stackoverflow": rng.random(count) < 0.05,
            "so_id": rng.integers(10_000, 22_000_000, count),
            "github_listed": rng.random(count) < 0.7,
            "updated_days": rng.integers(0, 720, count),
            "updated_seconds": rng.integers(0, 86_400, count),
        }
    )
    frame = pl.concat([people, draws], how="horizontal")
    frame = frame.with_columns(
        profile_id=profile_ids(people["person"].to_numpy()),
        linkedin_url=pl.when(pl.col("has_linkedin")).then(
            linkedin_urls(
                rng,
                pl.Series(["in/" + s for s in people["slug"].to_list()]),
                people["country"],
                PROFILE_URL_NOISE,
            )
        ),
        github_url=github_urls(rng, people["github"], noisy=False),
        phone_text=phone_spellings(
            rng, people["phone_prefix"], people["phone"], weights=(3, 0, 3, 1, 0, 0, 0, 3, 0, 0)
        ),
        diversity=_diversity(rng, count),
    )
    first = (
        pl.when(pl.col("use_preferred") & pl.col("preferred_first").is_not_null())
        .then(pl.col("preferred_first"))
        .otherwise(pl.col("first_name"))
    )
    frame = frame.with_columns(profile_first=first)
    return frame.select(
        "profile_id",
        pl.col("profile_first").alias("first_name"),
        "last_name",
        _full_name().alias("full_name"),
        "linkedin_url",
        "github_url",
        pl.concat_list(
            [
                pl.when(pl.col("email_personal")).then(pl.col("personal_email")),
                pl.when(pl.col("email_work")).then(pl.col("work_email")),
                pl.when(pl.col("email_old")).then(pl.col("old_email")),
            ]
        )
        .list.drop_nulls()
        .alias("emails"),
        pl.concat_list([pl.when(pl.col("has_phone")).then(pl.col("phone_text"))])
        .list.drop_nulls()
        .alias("phones"),
        "city",
        pl.col("state"),
        "country",
        _location().alias("location"),
        _headline().alias("headline"),
        "positions",
        "education",
        "skills",
        "certifications",
        "languages",
        "groups",
        "interests",
        "honors",
        _social_links().alias("social_links"),
        "diversity",
        (
            pl.lit(history_end)
            - pl.duration(days=pl.col("updated_days"), seconds=pl.col("updated_seconds"))
        )
        .cast(pl.Datetime("us"))
        .alias("updated_at"),
    )


def _full_name() -> pl.Expr:
    first, last = pl.col("profile_first"), pl.col("last_name")
    plain = pl.concat_str([first, pl.lit(" "), last])
    style = pl.col("name_style")
    alias_form = pl.concat_str(
        [pl.col("first_name"), pl.lit(" ("), pl.col("preferred_first"), pl.lit(") "), last]
    )
    return (
        pl.when((style == 1) & pl.col("middle_initial").is_not_null())
        .then(pl.concat_str([first, pl.lit(" "), pl.col("middle_initial"), pl.lit(". "), last]))
        .when(style == 2)
        .then(pl.concat_str([plain, pl.lit(", "), pl.col("credential")]))
        .when(style == 3)
        .then(pl.concat_str([pl.lit("Dr. "), plain]))
        .when((style == 4) & pl.col("preferred_first").is_not_null())
        .then(alias_form)
        .when((style == 5) & pl.col("alt_last").is_not_null())
        .then(pl.concat_str([plain, pl.lit(" ("), pl.col("alt_last"), pl.lit(")")]))
        .otherwise(plain)
    )


def _location() -> pl.Expr:
    style = pl.col("location_style")
    us = pl.col("country") == "United States"
    return (
        pl.when(us & (style == 0))
        .then(
            pl.concat_str([pl.col("city"), pl.col("state_name"), pl.col("country")], separator=", ")
        )
        .when(us & (style == 1))
        .then(pl.col("metro"))
        .when(us)
        .then(pl.concat_str([pl.col("city"), pl.col("state")], separator=", "))
        .when(style == 1)
        .then(pl.concat_str([pl.col("city"), pl.col("country")], separator=", "))
        .otherwise(
            pl.concat_str([pl.col("city"), pl.col("state"), pl.col("country")], separator=", ")
        )
    )


def _headline() -> pl.Expr:
    style = pl.col("headline_style")
    title, company = pl.col("current_title"), pl.col("current_company")
    top_skills = pl.col("skills").list.head(3).list.join(" | ")
    employed = pl.col("is_employed")
    return (
        pl.when(~employed & (style == 0))
        .then(pl.concat_str([pl.lit("Open to work | "), title]))
        .when(~employed)
        .then(pl.concat_str([title, pl.lit(" | Seeking new opportunities")]))
        .when(style == 0)
        .then(pl.concat_str([title, pl.lit(" at "), company]))
        .when(style == 1)
        .then(pl.concat_str([title, pl.lit(" | "), top_skills]))
        .otherwise(title)
    )


def _social_links() -> pl.Expr:
    def link(condition: pl.Expr, network: str, url: pl.Expr) -> pl.Expr:
        return pl.when(condition & url.is_not_null()).then(
            pl.struct(network=pl.lit(network), url=url)
        )

    twitter_handle = pl.col("slug").str.replace_all("-", "_").str.slice(0, 15)
    twitter_url = pl.concat_str(
        [
            pl.when(pl.col("x_host"))
            .then(pl.lit("https://x.com/"))
            .otherwise(pl.lit("https://twitter.com/")),
            twitter_handle,
        ]
    )
    website = pl.concat_str(
        [pl.lit("https://"), pl.col("slug").str.replace_all(r"-[0-9a-f]{8}$", ""), pl.lit(".dev")]
    )
    stackoverflow = pl.concat_str(
        [
            pl.lit("https://stackoverflow.com/users/"),
            pl.col("so_id").cast(pl.String),
            pl.lit("/"),
            pl.col("slug").str.replace_all(r"-[0-9a-f]{8}$", ""),
        ]
    )
    return pl.concat_list(
        [
            link(pl.col("github_listed"), "github", pl.col("github_url")),
            link(pl.col("twitter"), "twitter", twitter_url),
            link(pl.col("website"), "website", website),
            link(pl.col("stackoverflow"), "stackoverflow", stackoverflow),
        ]
    ).list.drop_nulls()


def _diversity(rng: np.random.Generator, count: int) -> pl.Series:
    """Self-reported and rare: about 8 % of profiles fill it in, field by field."""
    present = rng.random(count) < 0.08

    def field(values: tuple[str, ...], fill: float) -> list[str | None]:
        pick = np.array(values, dtype=object)[rng.integers(0, len(values), count)]
        keep = present & (rng.random(count) < fill)
        return np.where(keep, pick, None).tolist()

    frame = pl.DataFrame(
        {
            "gender": field(careers.DIVERSITY_GENDERS, 0.9),
            "ethnicity": field(careers.DIVERSITY_ETHNICITIES, 0.7),
            "veteran": field(("No", "Yes", "Prefer not to say"), 0.6),
            "disability": field(("No", "Yes", "Prefer not to say"), 0.5),
        },
        schema={k: pl.String for k in ("gender", "ethnicity", "veteran", "disability")},
    )
    return frame.select(
        diversity=pl.when(pl.Series(present)).then(pl.struct(pl.all())).otherwise(None)
    )["diversity"]
