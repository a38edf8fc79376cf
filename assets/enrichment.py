"""Group `enrichment`: `enriched/enriched_candidates`, each live candidate's ATS record with its
linked profile beside it (never over it), derived fields and the terms found in the resume.

Not partitioned, like its inputs: each run builds the candidates whose inputs changed since the
last run (`enrichment.incremental`), and writes only rows whose content changed.
"""

from datetime import date

import dagster as dg
import polars as pl
from deltalake import DeltaTable
from pydantic import Field

from enrichment.incremental import (
    DEFAULT_REFRESH_AFTER_DAYS,
    EnrichmentInputs,
    EnrichOptions,
    EnrichReport,
    enrich_changes,
)
from resources.corpus import ProfileCorpusResource
from resources.lake import LakeResource

GROUP = "enrichment"
POOL = "enrichment"
ENRICHED_KEY = dg.AssetKey(["enriched", "enriched_candidates"])
INPUT_KEYS = [
    dg.AssetKey(["normalized", "candidates"]),
    dg.AssetKey(["normalized", "applications"]),
    dg.AssetKey(["normalized", "attachments"]),
    dg.AssetKey(["linked", "candidate_profile_links"]),
]
PREVIEW_ROWS = 5


def enrichment_inputs(lake: LakeResource) -> EnrichmentInputs:
    return EnrichmentInputs(
        candidates_uri=lake.table_uri("normalized", "candidates"),
        applications_uri=lake.table_uri("normalized", "applications"),
        attachments_uri=lake.table_uri("normalized", "attachments"),
        links_uri=lake.table_uri("linked", "candidate_profile_links"),
        enriched_uri=lake.table_uri(*ENRICHED_KEY.path),
        storage_options=lake.storage_options,
    )


class EnrichConfig(dg.Config):
    rebuild: bool = Field(
        default=False,
        description="build every candidate again (rows whose content is unchanged are still "
        "not rewritten)",
    )
    refresh_after_days: int = Field(
        default=DEFAULT_REFRESH_AFTER_DAYS,
        description="re-derive a row (years of experience, years in role) when its "
        "enriched_as_of is older than this plus a per-candidate offset of up to as many days; "
        "0 turns the refresh off",
    )
    as_of: str = Field(
        default="",
        description="ISO day the derivations are computed for (default today, UTC)",
    )


def _preview(table_uri: str, storage_options: dict[str, str]) -> str:
    rows = (
        pl.scan_delta(table_uri, storage_options=storage_options or None)
        .filter(pl.col("profile_id").is_not_null())
        .select(
            "candidate_id",
            "first_name",
            "last_name",
            "current_title",
            "current_company",
            "years_of_experience",
            "match_method",
        )
        .head(PREVIEW_ROWS)
        .collect()
    )
    if rows.is_empty():
        return "_no matched candidate yet_"
    header = "| " + " | ".join(rows.columns) + " |"
    lines = [header, "|" + "---|" * len(rows.columns)]
    lines += ["| " + " | ".join(str(v) for v in row) + " |" for row in rows.iter_rows()]
    return "\n".join(lines)


def _metadata(report: EnrichReport, inputs: EnrichmentInputs) -> dict:
    matched_share = report.matched_total / report.rows_total if report.rows_total else 0.0
    return {
        "dagster/row_count": dg.MetadataValue.int(report.rows_total),
        "matched_candidates": dg.MetadataValue.int(report.matched_total),
        "matched_share": dg.MetadataValue.float(round(matched_share, 4)),
        "built_all_because": dg.MetadataValue.text(report.rebuilt_all_because or "-"),
        "changed_by_input": dg.MetadataValue.json(report.changed_by_input),
        "stale_refreshed": dg.MetadataValue.int(report.stale_refreshed),
        "candidates_built": dg.MetadataValue.int(report.candidates_built),
        "rows_inserted": dg.MetadataValue.int(report.rows_inserted),
        "rows_updated": dg.MetadataValue.int(report.rows_updated),
        "rows_deleted": dg.MetadataValue.int(report.rows_deleted),
        "table_version": dg.MetadataValue.int(report.table_version or 0),
        "corpus_version": dg.MetadataValue.text(report.corpus_version),
        "vocabulary_sizes": dg.MetadataValue.json(report.vocabulary_sizes),
        "seconds": dg.MetadataValue.json(report.seconds),
        "preview": dg.MetadataValue.md(_preview(inputs.enriched_uri, inputs.storage_options)),
        "table_uri": dg.MetadataValue.path(inputs.enriched_uri),
    }


@dg.asset(
    key=ENRICHED_KEY,
    description="One row per live candidate: ATS fields as they are, the linked profile's "
    "values beside them (profile_*), derived current/past titles and companies, years of "
    "experience and in role, industry, company size, education, certifications, languages, "
    "groups, interests, honors, social links, resume skills and titles, enriched_as_of",
    group_name=GROUP,
    deps=INPUT_KEYS,
    kinds={"delta", "polars"},
    metadata={"table": "enriched/enriched_candidates"},
    pool=POOL,
    automation_condition=dg.AutomationCondition.eager(),
)
def enriched_candidates(
    context: dg.AssetExecutionContext,
    config: EnrichConfig,
    lake: LakeResource,
    corpus: ProfileCorpusResource,
) -> dg.MaterializeResult:
    """Build the candidates whose inputs changed since the last run and merge the rows whose
    content changed."""
    inputs = enrichment_inputs(lake)
    report = enrich_changes(
        inputs,
        corpus,
        EnrichOptions(
            rebuild=config.rebuild,
            refresh_after_days=config.refresh_after_days,
            as_of=date.fromisoformat(config.as_of) if config.as_of else None,
        ),
        log=context.log.info,
    )
    return dg.MaterializeResult(metadata=_metadata(report, inputs))


@dg.asset_check(
    asset=ENRICHED_KEY,
    blocking=True,
    description="one row per live candidate (same ids as normalized/candidates), profile "
    "fields only on matched rows, years within [0, 70]",
)
def enriched_candidates_are_consistent(lake: LakeResource) -> dg.AssetCheckResult:
    inputs = enrichment_inputs(lake)
    options = inputs.storage_options or None
    enriched = pl.read_delta(
        inputs.enriched_uri,
        columns=[
            "candidate_id",
            "profile_id",
            "current_title",
            "years_of_experience",
            "years_in_current_role",
        ],
        storage_options=options,
    )
    live = pl.read_delta(inputs.candidates_uri, columns=["candidate_id"], storage_options=options)
    missing = live.join(enriched, on="candidate_id", how="anti")["candidate_id"]
    extra = enriched.join(live, on="candidate_id", how="anti")["candidate_id"]
    duplicated = enriched.filter(pl.col("candidate_id").is_duplicated())["candidate_id"].unique()
    orphan_profile_values = enriched.filter(
        pl.col("profile_id").is_null() & pl.col("current_title").is_not_null()
    ).height
    years = pl.col("years_of_experience")
    in_role = pl.col("years_in_current_role")
    out_of_range = enriched.filter(
        (years < 0) | (years > 70) | (in_role < 0) | (in_role > years + 0.05)
    ).height
    failures = {
        "missing_candidates": missing.len(),
        "extra_candidates": extra.len(),
        "duplicated_candidates": duplicated.len(),
        "profile_values_without_a_link": orphan_profile_values,
        "years_out_of_range": out_of_range,
    }
    return dg.AssetCheckResult(
        passed=not any(failures.values()),
        metadata={
            "rows": dg.MetadataValue.int(enriched.height),
            "table_version": dg.MetadataValue.int(
                DeltaTable(inputs.enriched_uri, storage_options=options).version()
            ),
            **{name: dg.MetadataValue.int(count) for name, count in failures.items()},
            "examples": dg.MetadataValue.json(
                {"missing": missing.head(5).to_list(), "extra": extra.head(5).to_list()}
            ),
        },
    )


ENRICHMENT_ASSETS = [enriched_candidates]
ENRICHMENT_CHECKS = [enriched_candidates_are_consistent]
