"""One `enriched_candidates` row per live candidate: the ATS record as it is, its applications and
attachments, the linked profile's values beside it, the derived fields and the resume terms.

Pure frames in, one frame out (no I/O): :mod:`enrichment.incremental` decides which candidates
to build and writes them. ATS columns keep their `normalized/candidates` names; every profile
value that could be confused with an ATS one is prefixed `profile_` (so a recruiter sees both
when they differ: the ATS e-mail and the profile's, the ATS LinkedIn URL and the profile's).
Unmatched candidates keep their ATS data and get null profile fields.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import polars as pl

from enrichment.derive import DERIVED_SCHEMA, enrich_profiles
from enrichment.resume import Vocabulary, extract_resume_terms
from linkage.incremental import row_hashes
from linkage.model import EVIDENCE_DTYPE

CANDIDATE_ID = "candidate_id"
STRINGS = pl.List(pl.String())
UTC = pl.Datetime("us", "UTC")

# From normalized/candidates, unchanged.
ATS_COLUMNS: dict[str, pl.DataType] = {
    "candidate_id": pl.String(),
    "first_name": pl.String(),
    "last_name": pl.String(),
    "emails": STRINGS,
    "phones": STRINGS,
    "city": pl.String(),
    "state": pl.String(),
    "postal_code": pl.String(),
    "country": pl.String(),
    "linkedin_url": pl.String(),
    "github_url": pl.String(),
    "other_urls": STRINGS,
    "application_type": pl.String(),
    "status": pl.String(),
    "status_at": UTC,
    "created_at": UTC,
    "updated_at": UTC,
    "is_active": pl.Boolean(),
    "source": pl.String(),
    "resume_id": pl.String(),
    "resume_text": pl.String(),
    "aliases": STRINGS,
}
APPLICATION_DTYPE = pl.Struct(
    {
        "job_id": pl.String(),
        "job_title": pl.String(),
        "status": pl.String(),
        "status_at": UTC,
        "updated_at": UTC,
        "recruiter_id": pl.String(),
        "recruiter_name": pl.String(),
    }
)
ATTACHMENT_DTYPE = pl.Struct(
    {
        "attachment_id": pl.String(),
        "filename": pl.String(),
        "attachment_type": pl.String(),
        "uploaded_at": UTC,
        "text": pl.String(),
    }
)
LINK_COLUMNS: dict[str, pl.DataType] = {
    "profile_id": pl.String(),
    "match_probability": pl.Float64(),
    "match_method": pl.String(),
    "match_evidence": EVIDENCE_DTYPE,
    "linked_at": UTC,
}
# Profile values that have an ATS namesake, renamed with the prefix.
PROFILE_COLUMNS: dict[str, pl.DataType] = {
    "profile_name": pl.String(),
    "profile_first_name": pl.String(),
    "profile_last_name": pl.String(),
    "profile_emails": STRINGS,
    "profile_phones": STRINGS,
    "profile_headline": pl.String(),
    "profile_location": pl.String(),
    "profile_skills": STRINGS,
    "profile_linkedin_url": pl.String(),
    "profile_github_url": pl.String(),
    "profile_other_urls": STRINGS,
    "profile_updated_at": pl.Datetime("us"),
}
DIVERSITY_FIELDS = ("gender", "ethnicity", "veteran", "disability")
# Derived columns of a profile; its own id, day and URLs are carried under other names.
_NOT_DERIVED = {
    "profile_id",
    "as_of",
    "profile_updated_at",
    "linkedin_url",
    "github_url",
    "other_urls",
}
DERIVED_COLUMNS: dict[str, pl.DataType] = {
    name: dtype for name, dtype in DERIVED_SCHEMA.items() if name not in _NOT_DERIVED
}
DIVERSITY_COLUMNS: dict[str, pl.DataType] = {
    f"diversity_{name}": pl.String() for name in DIVERSITY_FIELDS
}
ENRICHED_SCHEMA: dict[str, pl.DataType] = {
    **ATS_COLUMNS,
    "applications": pl.List(APPLICATION_DTYPE),
    "attachments": pl.List(ATTACHMENT_DTYPE),
    "resume_skills": STRINGS,
    "resume_titles": STRINGS,
    **LINK_COLUMNS,
    **PROFILE_COLUMNS,
    **DERIVED_COLUMNS,
    **DIVERSITY_COLUMNS,
    "enriched_as_of": pl.Date(),
    "row_hash": pl.String(),
}
# What a row's hash covers: everything but the day it was computed and the hash itself, so
# re-enriching an unchanged candidate writes nothing (and re-indexes nothing).
HASHED_COLUMNS = tuple(
    name for name in ENRICHED_SCHEMA if name not in {"enriched_as_of", "row_hash"}
)


def _conform(frame: pl.DataFrame, schema: dict[str, pl.DataType]) -> pl.DataFrame:
    """The frame with exactly `schema`'s columns (missing ones null), cast to its types."""
    return frame.select(
        (pl.col(name) if name in frame.columns else pl.lit(None)).cast(dtype).alias(name)
        for name, dtype in schema.items()
    )


def applications_by_candidate(applications: pl.DataFrame) -> pl.DataFrame:
    """Each candidate's applications as one list, newest update first."""
    rows = _conform(applications, {CANDIDATE_ID: pl.String(), **APPLICATION_DTYPE.to_schema()})
    return (
        rows.sort(
            [CANDIDATE_ID, "updated_at", "job_id"], descending=[False, True, False], nulls_last=True
        )
        .group_by(CANDIDATE_ID, maintain_order=True)
        .agg(applications=pl.struct(list(APPLICATION_DTYPE.to_schema())))
    )


def attachments_by_candidate(attachments: pl.DataFrame) -> pl.DataFrame:
    """Each candidate's attachments (metadata and extracted text), newest upload first."""
    rows = _conform(attachments, {CANDIDATE_ID: pl.String(), **ATTACHMENT_DTYPE.to_schema()})
    return (
        rows.sort(
            [CANDIDATE_ID, "uploaded_at", "attachment_id"],
            descending=[False, True, False],
            nulls_last=True,
        )
        .group_by(CANDIDATE_ID, maintain_order=True)
        .agg(attachments=pl.struct(list(ATTACHMENT_DTYPE.to_schema())))
    )


PROFILE_FIELDS_SCHEMA: dict[str, pl.DataType] = {
    "profile_id": pl.String(),
    **PROFILE_COLUMNS,
    **DERIVED_COLUMNS,
    **DIVERSITY_COLUMNS,
}
# The profile values taken as they are (the URLs and update time come from the derivations).
_OWN_PROFILE_SCHEMA: dict[str, pl.DataType] = {
    "profile_id": pl.String(),
    **{
        name: dtype
        for name, dtype in PROFILE_COLUMNS.items()
        if not name.endswith(("_url", "_urls", "_updated_at"))
    },
    **DIVERSITY_COLUMNS,
}


def _full_name(row: dict[str, Any]) -> str | None:
    if row.get("full_name"):
        return row["full_name"]
    parts = [row.get("first_name"), row.get("last_name")]
    return " ".join(part for part in parts if part) or None


def _diversity(value: Any) -> dict[str, str | None]:
    """Self-reported diversity fields, passed through as text; absent when not supplied."""
    given = value if isinstance(value, dict) else {}
    out: dict[str, str | None] = {}
    for name in DIVERSITY_FIELDS:
        raw = given.get(name)
        out[f"diversity_{name}"] = None if raw is None or str(raw).strip() == "" else str(raw)
    return out


def profile_fields(profiles: pl.DataFrame, as_of: date) -> pl.DataFrame:
    """Per profile: the prefixed profile values, the derived fields and diversity (if given)."""
    if profiles.is_empty():
        return pl.DataFrame(schema=PROFILE_FIELDS_SCHEMA)
    profiles = profiles.with_columns(pl.col("profile_id").cast(pl.String))
    derived = enrich_profiles(profiles, as_of)
    own: list[dict[str, Any]] = []
    for row in profiles.iter_rows(named=True):
        own.append(
            {
                "profile_id": row["profile_id"],
                "profile_name": _full_name(row),
                "profile_first_name": row.get("first_name"),
                "profile_last_name": row.get("last_name"),
                "profile_emails": row.get("emails") or [],
                "profile_phones": row.get("phones") or [],
                "profile_headline": row.get("headline"),
                "profile_location": row.get("location"),
                "profile_skills": list(dict.fromkeys(s for s in row.get("skills") or [] if s)),
                **_diversity(row.get("diversity")),
            }
        )
    own_frame = pl.DataFrame(own, schema=_OWN_PROFILE_SCHEMA)
    renamed = derived.rename(
        {
            "linkedin_url": "profile_linkedin_url",
            "github_url": "profile_github_url",
            "other_urls": "profile_other_urls",
        }
    ).drop("as_of")
    joined = own_frame.join(renamed, on="profile_id", how="left")
    return _conform(joined, PROFILE_FIELDS_SCHEMA).unique("profile_id", keep="first")


def enrich_candidates(
    candidates: pl.DataFrame,
    applications: pl.DataFrame,
    attachments: pl.DataFrame,
    links: pl.DataFrame,
    profiles: pl.DataFrame,
    *,
    as_of: date,
    skills: Vocabulary,
    titles: Vocabulary,
) -> pl.DataFrame:
    """The enriched rows (:data:`ENRICHED_SCHEMA`) of `candidates`, one each, by candidate_id.

    `applications`, `attachments` and `links` may hold other candidates' rows (ignored);
    `profiles` are corpus rows (at least those the links name).
    """
    base = _conform(candidates, ATS_COLUMNS)
    ids = base.select(CANDIDATE_ID)
    apps = applications_by_candidate(applications.join(ids, on=CANDIDATE_ID, how="semi"))
    files = attachments_by_candidate(attachments.join(ids, on=CANDIDATE_ID, how="semi"))
    link_rows = (
        links.join(ids, on=CANDIDATE_ID, how="semi")
        .rename({"evidence": "match_evidence"}, strict=False)
        .select(CANDIDATE_ID, *LINK_COLUMNS)
    )
    linked_ids = link_rows["profile_id"].drop_nulls().unique()
    profile_rows = profile_fields(
        profiles.with_columns(pl.col("profile_id").cast(pl.String)).filter(
            pl.col("profile_id").is_in(linked_ids.implode())
        ),
        as_of,
    )
    terms = extract_resume_terms(base["resume_text"], skills, titles)
    enriched = (
        pl.concat([base, terms], how="horizontal")
        .join(apps, on=CANDIDATE_ID, how="left")
        .join(files, on=CANDIDATE_ID, how="left")
        .join(link_rows, on=CANDIDATE_ID, how="left")
        .join(profile_rows, on="profile_id", how="left")
        .with_columns(
            pl.col("applications").fill_null(pl.lit([], dtype=pl.List(APPLICATION_DTYPE))),
            pl.col("attachments").fill_null(pl.lit([], dtype=pl.List(ATTACHMENT_DTYPE))),
            enriched_as_of=pl.lit(as_of, dtype=pl.Date),
        )
    )
    enriched = _conform(enriched, ENRICHED_SCHEMA)
    # The stable digest linkage uses too (not polars' hash, which changes between versions).
    hashes = row_hashes(enriched, HASHED_COLUMNS).alias("row_hash")
    return enriched.with_columns(hashes).sort(CANDIDATE_ID)
