"""The Rediscovery code location: every asset, check, job, schedule, sensor and resource."""

from __future__ import annotations

import dagster as dg

from assets.datacopy_raw import datacopy_raw
from assets.enrichment import ENRICHMENT_ASSETS, ENRICHMENT_CHECKS
from assets.jobdiva_raw import jobdiva_raw
from assets.linkage import LINKAGE_ASSETS, LINKAGE_CHECKS
from assets.normalized import normalized
from assets.normalized_checks import NORMALIZED_CHECKS
from assets.search_index import SEARCH_ASSETS, SEARCH_CHECKS
from pipelines.connection import verify_jobdiva_connection
from pipelines.jobs import (
    datacopy_raw_job,
    enrichment_job,
    jobdiva_raw_job,
    linkage_job,
    normalized_job,
    refresh_job,
    search_job,
)
from pipelines.schedules import jobdiva_daily_incremental
from pipelines.sensors import datacopy_sensor, jobdiva_change_sensor, profile_corpus_sensor
from pipelines.settings import setting
from resources import (
    DataCopyResource,
    JobDivaResource,
    LakeResource,
    MeilisearchResource,
    ProfileCorpusResource,
)


def build_resources() -> dict[str, dg.ConfigurableResource]:
    """The one place where resources are bound; secrets stay EnvVars (never in UI config)."""
    return {
        "lake": LakeResource(
            root_uri=setting("LAKE_URI"), storage_options_json=setting("LAKE_STORAGE_OPTIONS")
        ),
        "meilisearch": MeilisearchResource(
            url=setting("MEILI_URL"),
            api_key=dg.EnvVar("MEILI_MASTER_KEY"),
            index_uid=setting("MEILI_INDEX"),
        ),
        "jobdiva": JobDivaResource(
            base_url=setting("JOBDIVA_BASE_URL"),
            client_id=dg.EnvVar("JOBDIVA_CLIENT_ID"),
            username=dg.EnvVar("JOBDIVA_USERNAME"),
            password=dg.EnvVar("JOBDIVA_PASSWORD"),
            requests_per_minute=float(setting("JOBDIVA_REQUESTS_PER_MINUTE")),
            burst=int(setting("JOBDIVA_BURST")),
        ),
        "corpus": ProfileCorpusResource(
            uri=setting("PROFILE_CORPUS_URI"),
            storage_options_json=setting("PROFILE_CORPUS_STORAGE_OPTIONS"),
        ),
        "datacopy": DataCopyResource(
            directory=setting("DATACOPY_DIR"),
            layout_json=setting("DATACOPY_LAYOUT_JSON"),
            settle_seconds=int(setting("DATACOPY_SETTLE_SECONDS")),
        ),
    }


defs = dg.Definitions(
    assets=[
        jobdiva_raw,
        datacopy_raw,
        normalized,
        *LINKAGE_ASSETS,
        *ENRICHMENT_ASSETS,
        *SEARCH_ASSETS,
    ],
    asset_checks=[*NORMALIZED_CHECKS, *LINKAGE_CHECKS, *ENRICHMENT_CHECKS, *SEARCH_CHECKS],
    jobs=[
        jobdiva_raw_job,
        datacopy_raw_job,
        normalized_job,
        linkage_job,
        enrichment_job,
        search_job,
        refresh_job,
        verify_jobdiva_connection,
    ],
    schedules=[jobdiva_daily_incremental],
    sensors=[jobdiva_change_sensor, datacopy_sensor, profile_corpus_sensor],
    resources=build_resources(),
    # The steps of a run form a chain (each stage reads what the previous one wrote) and the
    # checks are small: one process per run avoids paying Python, Dagster, polars and Great
    # Expectations imports again for every step (tens of seconds on a 2-core machine).
    executor=dg.in_process_executor,
)
