"""Jobs of the code location."""

from __future__ import annotations

import dagster as dg

from assets.datacopy_raw import GROUP as DATACOPY_RAW_GROUP
from assets.datacopy_raw import datacopy_file_sets
from assets.jobdiva_raw import GROUP as JOBDIVA_RAW_GROUP
from assets.jobdiva_raw import JOBDIVA_POOL
from assets.normalized import GROUP as NORMALIZED_GROUP
from pipelines.partitions import change_window_partitions

jobdiva_raw_job = dg.define_asset_job(
    name="jobdiva_raw_job",
    description="Extract JobDiva change windows (one per daily partition) into the raw tables.",
    selection=dg.AssetSelection.groups(JOBDIVA_RAW_GROUP),
    partitions_def=change_window_partitions,
    # The run-level tag meets dagster.yaml's tag_concurrency_limits: one JobDiva run at a time.
    tags={JOBDIVA_POOL: "true"},
)

datacopy_raw_job = dg.define_asset_job(
    name="datacopy_raw_job",
    description="Load one data-copy file set (a dynamic partition) into the raw tables.",
    selection=dg.AssetSelection.groups(DATACOPY_RAW_GROUP),
    partitions_def=datacopy_file_sets,
)

normalized_job = dg.define_asset_job(
    name="normalized_job",
    description="Merge the raw partitions and data-copy file sets not merged yet into the "
    "normalized tables, then run their checks.",
    selection=dg.AssetSelection.groups(NORMALIZED_GROUP),
)

linkage_job = dg.define_asset_job(
    name="linkage_job",
    description="Link the candidates that changed (or whose corpus blocks changed) to profiles.",
    selection=dg.AssetSelection.groups("linkage"),
)

enrichment_job = dg.define_asset_job(
    name="enrichment_job",
    description="Build the enriched rows of the candidates whose inputs changed, then check them.",
    selection=dg.AssetSelection.groups("enrichment"),
)

search_job = dg.define_asset_job(
    name="search_job",
    description="Publish the changed enriched rows to the Meilisearch index (or rebuild and "
    "swap), then check that the index agrees with the table.",
    selection=dg.AssetSelection.groups("search"),
)

refresh_job = dg.define_asset_job(
    name="refresh_job",
    description="Everything after extraction, in order: merge new raw partitions into the "
    "normalized tables, link changed candidates, enrich them and publish them to Meilisearch "
    "(each stage touches only what changed), with every check.",
    selection=dg.AssetSelection.groups(NORMALIZED_GROUP, "linkage", "enrichment", "search"),
)
