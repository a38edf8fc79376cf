"""The Rediscovery code location: every asset, check, job, schedule, sensor and resource."""

from __future__ import annotations

import dagster as dg

from pipelines.settings import setting
from resources import LakeResource, MeilisearchResource


def build_resources() -> dict[str, dg.ConfigurableResource]:
    """The one place where resources are bound; secrets stay EnvVars (never in UI config)."""
    return {
        "lake": LakeResource(
            root_uri=setting("LAKE_URI"), storage_options_json=setting("LAKE_STORAGE_OPTIONS")
        ),
        "meilisearch": MeilisearchResource(
            url=setting("MEILI_URL"), api_key=dg.EnvVar("MEILI_MASTER_KEY")
        ),
    }


defs = dg.Definitions(assets=[], resources=build_resources())
