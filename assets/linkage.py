"""Group `linkage`: `linked/candidate_profile_links`, each candidate's profile in the public
corpus, with the evidence that explains it (how it works: `linkage.incremental`).

The asset is not partitioned, like `normalized` that it reads: each run links the candidates
whose linkage columns changed since the previous run (Delta change data feed of
`normalized/candidates`), and after a new corpus version the candidates whose blocks it touches.
What a run processed is stored in the lake beside the links (`linked/_state.json`), not in the
Dagster instance, so the lake alone says what is linked, whichever instance runs next.
"""

import dagster as dg
import polars as pl
from deltalake import DeltaTable
from pydantic import Field

from linkage.incremental import (
    LinkageStore,
    LinkOptions,
    LinkQuality,
    LinkReport,
    candidate_count,
    explain,
    link_changes,
    link_quality,
    read_links,
)
from linkage.person import PERSON_THRESHOLD
from resources.corpus import ProfileCorpusResource
from resources.lake import LakeResource

GROUP = "linkage"
# One linkage run at a time (dagster.yaml gives every pool a limit of 1): two runs would MERGE
# the same candidates.
POOL = "linkage"
LINKS_KEY = dg.AssetKey(["linked", "candidate_profile_links"])
NORMALIZED_CANDIDATES = dg.AssetKey(["normalized", "candidates"])
PREVIEW_LINKS = 5


def linkage_store(lake: LakeResource) -> LinkageStore:
    return LinkageStore(lake.table_uri("linked"), lake.storage_options)


def normalized_candidates_uri(lake: LakeResource) -> str:
    return lake.table_uri(*NORMALIZED_CANDIDATES.path)


class LinkageConfig(dg.Config):
    threshold: float = Field(
        default=PERSON_THRESHOLD,
        description="link a candidate to its best profile when the match probability is at "
        "least this (deterministic URL links apply whatever it is); a change re-links all",
    )
    retrain: bool = Field(
        default=False,
        description="estimate the model again on all candidates and the corpus (otherwise the "
        "stored current model is loaded); a new model version re-links all",
    )
    relink_all: bool = Field(
        default=False,
        description="prepare every candidate and profile anew and re-link all (after a change "
        "of the canonicalisation or linkage code)",
    )


def _preview(links: pl.DataFrame) -> str:
    if links.is_empty():
        return "_no link changed_"
    lines = [
        "| candidate_id | profile_id | match_probability | match_weight | match_method | why |",
        "|---|---|---|---|---|---|",
    ]
    for row in links.head(PREVIEW_LINKS).iter_rows(named=True):
        lines.append(
            f"| {row['candidate_id']} | {row['profile_id']} | {row['match_probability']:.6f} "
            f"| {row['match_weight']:.1f} | {row['match_method']} | {explain(row['evidence'])} |"
        )
    return "\n".join(lines)


def _metadata(report: LinkReport, quality: LinkQuality, store: LinkageStore) -> dict:
    run_links = report.links
    run_methods = dict(run_links.group_by("match_method").len().iter_rows())
    considered = report.candidates_considered
    return {
        "dagster/row_count": dg.MetadataValue.int(quality.links),
        "candidates_considered": dg.MetadataValue.int(considered),
        "candidates_in_change_feed": dg.MetadataValue.int(report.candidates_in_change_feed),
        "candidates_changed": dg.MetadataValue.int(report.candidates_changed),
        "candidates_removed": dg.MetadataValue.int(report.candidates_removed),
        "candidates_touched_by_corpus": dg.MetadataValue.int(report.candidates_touched_by_corpus),
        "candidates_remined": dg.MetadataValue.int(report.candidates_remined),
        "relinked_all": dg.MetadataValue.bool(report.relinked_all_because is not None),
        "relinked_all_because": dg.MetadataValue.text(report.relinked_all_because or "-"),
        "linked_this_run": dg.MetadataValue.int(run_links.height),
        "linked_this_run_by_method": dg.MetadataValue.json(run_methods),
        "match_rate_this_run": dg.MetadataValue.float(
            round(run_links.height / considered, 4) if considered else 0.0
        ),
        "deterministic_overrides": dg.MetadataValue.int(report.deterministic_overrides),
        "pairs_scored": dg.MetadataValue.int(report.pairs_scored),
        "links_inserted": dg.MetadataValue.int(report.writes.inserted),
        "links_updated": dg.MetadataValue.int(report.writes.updated),
        "links_deleted": dg.MetadataValue.int(report.writes.deleted),
        "candidates_total": dg.MetadataValue.int(quality.candidates),
        "match_rate": dg.MetadataValue.float(round(quality.match_rate, 4)),
        "links_by_method": dg.MetadataValue.json(quality.by_method),
        "ambiguous_candidates": dg.MetadataValue.int(quality.ambiguous_candidates),
        "profiles_linked_by_several_candidates": dg.MetadataValue.int(quality.shared_profiles),
        "probability_histogram": dg.MetadataValue.md(quality.histogram),
        "preview": dg.MetadataValue.md(_preview(run_links)),
        "model_version": dg.MetadataValue.text(report.model_version),
        "model_trained": dg.MetadataValue.bool(report.model_trained),
        "corpus_version": dg.MetadataValue.text(report.corpus_version),
        "corpus_profiles": dg.MetadataValue.int(report.corpus_profiles),
        "corpus_diff": dg.MetadataValue.json(report.corpus_diff),
        "normalized_candidates_version": dg.MetadataValue.int(report.candidates_version),
        "seconds": dg.MetadataValue.json(report.seconds),
        "seconds_total": dg.MetadataValue.float(round(sum(report.seconds.values()), 2)),
        "table_uri": dg.MetadataValue.path(store.links_uri),
    }


@dg.asset(
    key=LINKS_KEY,
    description="Each candidate's profile in the public corpus (none when no profile is "
    "likely enough): match_probability, match_method (linkedin_url, github_url, "
    "fellegi_sunter), the per-comparison evidence, model_version, linked_at",
    group_name=GROUP,
    deps=[NORMALIZED_CANDIDATES],
    kinds={"delta", "polars"},
    metadata={"table": "linked/candidate_profile_links"},
    pool=POOL,
    automation_condition=dg.AutomationCondition.eager(),
)
def candidate_profile_links(
    context: dg.AssetExecutionContext,
    config: LinkageConfig,
    lake: LakeResource,
    corpus: ProfileCorpusResource,
) -> dg.MaterializeResult:
    """Link the candidates changed since the last run (and those a new corpus version touches);
    reports the run's and the table's link figures."""
    store = linkage_store(lake)
    report = link_changes(
        store,
        normalized_candidates_uri(lake),
        corpus,
        LinkOptions(
            threshold=config.threshold, retrain=config.retrain, relink_all=config.relink_all
        ),
        log=context.log.info,
    )
    quality = link_quality(read_links(store), report.candidates_total)
    return dg.MaterializeResult(metadata=_metadata(report, quality, store))


# --- checks ----------------------------------------------------------------------------------


class MatchRateConfig(dg.Config):
    min_match_rate: float = Field(
        default=0.3, description="warn when fewer candidates than this share have a link"
    )
    max_match_rate: float = Field(
        default=0.95, description="warn when more candidates than this share have a link"
    )


@dg.asset_check(
    asset=LINKS_KEY,
    blocking=True,
    description="every profile_id is in the corpus, probabilities lie in [0, 1], methods are "
    "known, one link per candidate",
)
def candidate_profile_links_are_valid(
    lake: LakeResource, corpus: ProfileCorpusResource
) -> dg.AssetCheckResult:
    links = read_links(linkage_store(lake))
    profile_ids = corpus.read(columns=["profile_id"]).select(pl.col("profile_id").cast(pl.String))
    unknown = links.join(profile_ids, on="profile_id", how="anti")["profile_id"]
    probability = pl.col("match_probability")
    out_of_range = links.filter(
        probability.is_null() | probability.is_nan() | (probability < 0) | (probability > 1)
    )
    bad_methods = links.filter(
        ~pl.col("match_method").is_in(["linkedin_url", "github_url", "fellegi_sunter"])
    )
    duplicated = links.filter(pl.col("candidate_id").is_duplicated())["candidate_id"].unique()
    failures = {
        "unknown_profile_ids": unknown.len(),
        "probabilities_out_of_range": out_of_range.height,
        "unknown_methods": bad_methods.height,
        "duplicated_candidate_ids": duplicated.len(),
    }
    return dg.AssetCheckResult(
        passed=not any(failures.values()),
        metadata={
            "links": dg.MetadataValue.int(links.height),
            **{name: dg.MetadataValue.int(count) for name, count in failures.items()},
            "examples": dg.MetadataValue.json(
                {
                    "unknown_profile_ids": unknown.head(5).to_list(),
                    "duplicated_candidate_ids": duplicated.head(5).to_list(),
                }
            ),
        },
    )


@dg.asset_check(
    asset=LINKS_KEY,
    description="the share of candidates with a link lies within the configured band "
    "(warns: a low rate may be a corpus that covers few candidates, not bad data)",
)
def candidate_profile_links_match_rate(
    config: MatchRateConfig, lake: LakeResource
) -> dg.AssetCheckResult:
    links = read_links(linkage_store(lake))
    candidates = candidate_count(
        DeltaTable(normalized_candidates_uri(lake), storage_options=lake.storage_options or None)
    )
    quality = link_quality(links, candidates)
    within = config.min_match_rate <= quality.match_rate <= config.max_match_rate
    return dg.AssetCheckResult(
        passed=within,
        severity=dg.AssetCheckSeverity.WARN,
        metadata={
            "match_rate": dg.MetadataValue.float(round(quality.match_rate, 4)),
            "band": dg.MetadataValue.text(f"[{config.min_match_rate}, {config.max_match_rate}]"),
            "links": dg.MetadataValue.int(quality.links),
            "candidates": dg.MetadataValue.int(candidates),
            "ambiguous_candidates": dg.MetadataValue.int(quality.ambiguous_candidates),
            "probability_histogram": dg.MetadataValue.md(quality.histogram),
        },
    )


LINKAGE_ASSETS = [candidate_profile_links]
LINKAGE_CHECKS = [candidate_profile_links_are_valid, candidate_profile_links_match_rate]
