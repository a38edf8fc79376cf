"""The many real spellings of one LinkedIn URL, GitHub URL or phone number (vectorised).

Each function takes random draws from the caller's generator, so output is seed-determined.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from sandbox.world.common import normalized

COUNTRY_SUBDOMAINS = {
    "United Kingdom": "uk",
    "Canada": "ca",
    "India": "in",
    "Germany": "de",
    "France": "fr",
    "Netherlands": "nl",
    "Australia": "au",
    "Mexico": "mx",
    "Spain": "es",
    "Ireland": "ie",
    "Poland": "pl",
    "Singapore": "sg",
    "Nigeria": "ng",
    "United Arab Emirates": "ae",
}
TRACKING_QUERIES = (
    "?trk=nav_responsive_tab_profile",
    "?trk=public_profile_browsemap",
    "?trk=hp-identity-name",
    "?utm_source=share&utm_campaign=share_via&utm_content=profile&utm_medium=ios_app",
    "?originalSubdomain=uk",
)


@dataclass(frozen=True)
class UrlNoise:
    """Probabilities of each spelling variation."""

    http: float  # "http://" instead of "https://"
    no_scheme: float
    bare_host: float  # "linkedin.com" without "www."
    country_host: float  # "uk.linkedin.com"
    shouting_host: float  # "LinkedIn.com" / "WWW.LINKEDIN.COM"
    title_case: float  # "/in/John-Smith"
    upper_case: float
    trailing_slash: float
    query: float


PROFILE_URL_NOISE = UrlNoise(0.04, 0.0, 0.05, 0.04, 0.0, 0.02, 0.0, 0.12, 0.02)
ATS_URL_NOISE = UrlNoise(0.15, 0.18, 0.15, 0.08, 0.04, 0.06, 0.02, 0.3, 0.1)


def _pick(rng: np.random.Generator, count: int, probability: float) -> pl.Series:
    return pl.Series(rng.random(count) < probability)


def linkedin_urls(
    rng: np.random.Generator, paths: pl.Series, countries: pl.Series, noise: UrlNoise
) -> pl.Series:
    """Spell LinkedIn paths ("in/slug", "pub/…") as full URLs with realistic variation."""
    count = len(paths)
    scheme_draw = rng.random(count)
    host_draw = rng.random(count)
    case_draw = rng.random(count)
    frame = pl.DataFrame(
        {
            "path": paths,
            "sub": countries.replace_strict(COUNTRY_SUBDOMAINS, default="uk"),
            "scheme": np.where(
                scheme_draw < noise.no_scheme,
                "",
                np.where(scheme_draw < noise.no_scheme + noise.http, "http://", "https://"),
            ),
            "host_kind": np.searchsorted(
                np.cumsum([noise.bare_host, noise.country_host, noise.shouting_host]), host_draw
            ),
            "shout_kind": rng.integers(0, 2, count),
            "case_kind": np.where(
                case_draw < noise.title_case,
                1,
                np.where(case_draw < noise.title_case + noise.upper_case, 2, 0),
            ),
            "slash": _pick(rng, count, noise.trailing_slash),
            "query": np.where(
                rng.random(count) < noise.query,
                np.array(TRACKING_QUERIES)[rng.integers(0, len(TRACKING_QUERIES), count)],
                "",
            ),
        }
    )
    host = (
        pl.when(pl.col("host_kind") == 0)
        .then(pl.lit("linkedin.com"))
        .when(pl.col("host_kind") == 1)
        .then(pl.concat_str([pl.col("sub"), pl.lit(".linkedin.com")]))
        .when(pl.col("host_kind") == 2)
        .then(
            pl.when(pl.col("shout_kind") == 0)
            .then(pl.lit("LinkedIn.com"))
            .otherwise(pl.lit("WWW.LINKEDIN.COM"))
        )
        .otherwise(pl.lit("www.linkedin.com"))
    )
    path = (
        pl.when(pl.col("case_kind") == 1)
        .then(pl.col("path").str.to_titlecase())
        .when(pl.col("case_kind") == 2)
        .then(pl.col("path").str.to_uppercase())
        .otherwise(pl.col("path"))
    )
    # "In/" after title-casing looks wrong even for sloppy data: keep the path prefix lower case.
    path = pl.concat_str([pl.col("path").str.slice(0, 3), path.str.slice(3)])
    url = pl.concat_str(
        [
            pl.col("scheme"),
            host,
            pl.lit("/"),
            path,
            pl.when(pl.col("slash")).then(pl.lit("/")).otherwise(pl.lit("")),
            pl.col("query"),
        ]
    )
    return frame.select(url=pl.when(pl.col("path").is_null()).then(None).otherwise(url))["url"]


def github_urls(rng: np.random.Generator, handles: pl.Series, noisy: bool) -> pl.Series:
    """Spell GitHub handles as URLs: scheme, www, trailing slash, tab query vary."""
    count = len(handles)
    level = 1.0 if noisy else 0.35
    scheme_draw = rng.random(count)
    frame = pl.DataFrame(
        {
            "handle": handles,
            "scheme": np.where(
                scheme_draw < 0.1 * level,
                "",
                np.where(scheme_draw < 0.2 * level, "http://", "https://"),
            ),
            "www": _pick(rng, count, 0.1 * level),
            "slash": _pick(rng, count, 0.15 * level),
            "tab": _pick(rng, count, 0.04 * level),
        }
    )
    url = pl.concat_str(
        [
            pl.col("scheme"),
            pl.when(pl.col("www")).then(pl.lit("www.github.com/")).otherwise(pl.lit("github.com/")),
            pl.col("handle"),
            pl.when(pl.col("slash")).then(pl.lit("/")).otherwise(pl.lit("")),
            pl.when(pl.col("tab")).then(pl.lit("?tab=repositories")).otherwise(pl.lit("")),
        ]
    )
    return frame.select(url=pl.when(pl.col("handle").is_null()).then(None).otherwise(url))["url"]


US_PHONE_STYLES = (
    "({a}) {e}-{l}",
    "{a}.{e}.{l}",
    "{a}-{e}-{l}",
    "+1 {a} {e} {l}",
    "+1 ({a}) {e}-{l}",
    "{a}{e}{l}",
    "1-{a}-{e}-{l}",
    "+1{a}{e}{l}",
    "{a} {e} {l}",
    "+1-{a}-{e}-{l}",
)
US_PHONE_WEIGHTS = (0.3, 0.1, 0.22, 0.06, 0.04, 0.08, 0.04, 0.08, 0.04, 0.04)
EXTENSION_STYLES = (" x{x}", " ext. {x}", " Ext {x}", " ext {x}", ";ext={x}", " X{x}")


def phone_spellings(
    rng: np.random.Generator,
    prefixes: pl.Series,
    nationals: pl.Series,
    extension_share: float = 0.0,
    weights: tuple[float, ...] = US_PHONE_WEIGHTS,
) -> pl.Series:
    """Format national numbers in the many ways people type them (null stays null)."""
    count = len(nationals)
    style = rng.choice(len(US_PHONE_STYLES), count, p=normalized(weights))
    frame = pl.DataFrame(
        {
            "prefix": prefixes,
            "national": nationals,
            "style": style,
            "foreign_spaced": _pick(rng, count, 0.6),
            "ext": np.where(
                rng.random(count) < extension_share,
                np.array(EXTENSION_STYLES)[rng.integers(0, len(EXTENSION_STYLES), count)],
                "",
            ),
            "ext_digits": rng.integers(1, 9999, count).astype(str),
        }
    )
    a = pl.col("national").str.slice(0, 3)
    e = pl.col("national").str.slice(3, 3)
    line = pl.col("national").str.slice(6, 4)
    us_forms = [
        pl.concat_str([pl.lit("("), a, pl.lit(") "), e, pl.lit("-"), line]),
        pl.concat_str([a, pl.lit("."), e, pl.lit("."), line]),
        pl.concat_str([a, pl.lit("-"), e, pl.lit("-"), line]),
        pl.concat_str([pl.lit("+1 "), a, pl.lit(" "), e, pl.lit(" "), line]),
        pl.concat_str([pl.lit("+1 ("), a, pl.lit(") "), e, pl.lit("-"), line]),
        pl.concat_str([a, e, line]),
        pl.concat_str([pl.lit("1-"), a, pl.lit("-"), e, pl.lit("-"), line]),
        pl.concat_str([pl.lit("+1"), a, e, line]),
        pl.concat_str([a, pl.lit(" "), e, pl.lit(" "), line]),
        pl.concat_str([pl.lit("+1-"), a, pl.lit("-"), e, pl.lit("-"), line]),
    ]
    us = pl.when(pl.col("style") == 0).then(us_forms[0])
    for k in range(1, len(us_forms)):
        us = us.when(pl.col("style") == k).then(us_forms[k])
    us = us.otherwise(us_forms[0])
    foreign = pl.concat_str(
        [
            pl.col("prefix"),
            pl.when(pl.col("foreign_spaced")).then(pl.lit(" ")).otherwise(pl.lit("")),
            pl.col("national"),
        ]
    )
    number = pl.when(pl.col("prefix") == "+1").then(us).otherwise(foreign)
    ext = pl.col("ext").str.replace("{x}", pl.col("ext_digits"), literal=True)
    return frame.select(
        phone=pl.when(pl.col("national").is_null())
        .then(None)
        .otherwise(pl.concat_str([number, ext]))
    )["phone"]
