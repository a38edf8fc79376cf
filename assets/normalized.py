"""Group `normalized`: current-state Delta tables merged from every raw partition and data-copy
file set (rules and columns: normalize/README.md).

One unpartitioned multi-asset: the raw inputs come with two partitionings (days, file sets)
that feed the same tables, and the merge is order-independent, so each run simply merges the
raw partitions whose files changed since the last run (`normalize.engine`).
"""

import os
from collections.abc import Iterator

import dagster as dg
import polars as pl
from pydantic import Field

from normalize.engine import NormalizeOptions, NormalizeReport, normalize_lake
from normalize.records import API_RAW_TABLES, DATACOPY_RAW_TABLES, RecordOptions
from normalize.schema import FIELD_VERSIONS
from resources.lake import LakeResource

GROUP = "normalized"
# One normalization at a time (dagster.yaml gives every pool a limit of 1): concurrent MERGEs
# into the same tables would only conflict.
POOL = "normalized"
PHONE_REGION_ENV = "NORMALIZE_DEFAULT_PHONE_REGION"
NORMALIZED_TABLES: dict[str, str] = {
    "candidates": "One row per live candidate: canonical contact data, LinkedIn/GitHub URLs, "
    "application type, pipeline status, resume text",
    "applications": "One row per (candidate, job) with an application or a submittal: status, "
    "job title, recruiter",
    "jobs": "One row per job (requisition)",
    "recruiters": "One row per JobDiva user",
    "attachments": "One row per candidate attachment, with the text extracted from PDF/DOCX",
    "tombstones": "Deleted, redacted and merged candidate ids, remembered so that late data "
    "cannot bring them back",
    "candidate_resumes": "The newest resume of each candidate (text and the URLs found in it)",
    "activities": "Submittal/interview/hire activities (the source of application statuses)",
}
RAW_INPUTS = [
    *(dg.AssetKey(["raw", table]) for table in API_RAW_TABLES),
    *(dg.AssetKey(["raw", table]) for table in DATACOPY_RAW_TABLES),
]
# `eager()` also waits until every parent partition exists, which a daily-partitioned parent
# (whose newest day is always still open) never satisfies; merging whatever exists is correct.
AFTER_RAW_UPDATES = (
    dg.AutomationCondition.eager()
    .without(~dg.AutomationCondition.any_deps_missing())
    .with_label("after raw partitions are updated")
)
PREVIEW_ROWS = 5
PREVIEW_TEXT_CHARS = 60


def normalized_key(table: str) -> dg.AssetKey:
    return dg.AssetKey(["normalized", table])


class NormalizeConfig(dg.Config):
    reprocess_partitions: list[str] = Field(
        default_factory=list,
        description="raw partitions (days YYYY-MM-DD, data-copy file sets, or '*') to merge "
        "again although their files did not change; re-merging changes nothing",
    )
    rebuild: bool = Field(
        default=False,
        description="recompute every table from all raw partitions (after a change of the "
        "canonicalisation rules or of the default phone region)",
    )
    default_phone_region: str = Field(
        default="",
        description=f"region for phone numbers without a country code; empty: ${PHONE_REGION_ENV}"
        " or US",
    )

    def options(self) -> NormalizeOptions:
        region = self.default_phone_region or os.environ.get(PHONE_REGION_ENV) or "US"
        return NormalizeOptions(
            reprocess=tuple(self.reprocess_partitions),
            rebuild=self.rebuild,
            records=RecordOptions(default_phone_region=region.upper()),
        )


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        value = ", ".join(str(v) for v in value)
    text = " ".join(str(value).split())
    if len(text) > PREVIEW_TEXT_CHARS:
        text = text[: PREVIEW_TEXT_CHARS - 1] + "…"
    return text.replace("|", "\\|")


def markdown_preview(frame: pl.DataFrame, limit: int = PREVIEW_ROWS) -> str:
    """The first rows as a markdown table (long text cut, merge bookkeeping left out)."""
    frame = frame.drop(FIELD_VERSIONS, strict=False).head(limit)
    if frame.is_empty():
        return "_no rows changed_"
    lines = [
        "| " + " | ".join(frame.columns) + " |",
        "|" + "---|" * frame.width,
        *("| " + " | ".join(_cell(v) for v in row) + " |" for row in frame.iter_rows()),
    ]
    return "\n".join(lines)


def table_metadata(report: NormalizeReport, table: str, lake: LakeResource) -> dict:
    figures = report.tables[table]
    return {
        "rows_inserted": dg.MetadataValue.int(figures.inserted),
        "rows_updated": dg.MetadataValue.int(figures.updated),
        "rows_deleted": dg.MetadataValue.int(figures.deleted),
        "dagster/row_count": dg.MetadataValue.int(figures.rows),
        "raw_partitions_merged": dg.MetadataValue.int(report.partitions_merged),
        "raw_rows_read": dg.MetadataValue.json(report.raw_rows),
        "preview": dg.MetadataValue.md(markdown_preview(figures.changed_rows)),
        "table_uri": dg.MetadataValue.path(lake.table_uri("normalized", table)),
    }


@dg.multi_asset(
    name="normalized",
    specs=[
        dg.AssetSpec(
            normalized_key(table),
            description=description,
            group_name=GROUP,
            kinds={"delta", "polars"},
            deps=RAW_INPUTS,
            metadata={"table": f"normalized/{table}"},
            automation_condition=AFTER_RAW_UPDATES,
        )
        for table, description in NORMALIZED_TABLES.items()
    ],
    pool=POOL,
    can_subset=False,
)
def normalized(
    context: dg.AssetExecutionContext, config: NormalizeConfig, lake: LakeResource
) -> Iterator[dg.MaterializeResult]:
    """Merge the raw partitions not merged yet; each table reports its inserted, updated and
    deleted rows and a preview of the changed ones."""
    report = normalize_lake(
        lake.table_uri, lake.storage_options, config.options(), log=context.log.info
    )
    for table in NORMALIZED_TABLES:
        yield dg.MaterializeResult(
            asset_key=normalized_key(table), metadata=table_metadata(report, table, lake)
        )
