"""Great Expectations 1.x suites on the normalized tables, run inside Dagster asset checks.

Each check builds its own ephemeral GX context over the table as pandas. Checks on keys,
vocabularies, linkage keys (e-mails, LinkedIn/GitHub URLs) and the reconciliation with raw are
blocking: a failure stops the downstream assets of the same run, because duplicates, unknown
values or resurrected candidates would flow into linkage and the search index. Rates that only
describe the data (phone formats, extracted text) warn.
"""

from collections.abc import Sequence
from typing import Any

import dagster as dg
import polars as pl

from assets.normalized import normalized_key
from normalize.derive import APPLICATION_TYPES, STAGES
from normalize.lake import read_table
from normalize.schema import TABLES
from resources.lake import LakeResource

EMAIL_PATTERN = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"
LINKEDIN_PATTERN = r"^linkedin\.com/(?:in/[^/\s]+|pub/[^/\s]+(?:/[0-9a-z]{1,3}){3})$"
GITHUB_PATTERN = r"^github\.com/[a-z0-9](?:-?[a-z0-9])*(?:/[^\s]+)?$"
E164_PATTERN = r"^\+[1-9][0-9]{6,14}$"
JOBDIVA_ID_PATTERN = r"^[0-9]+$"
VALID_SHARE = 0.95
SOURCES = ("api", "datacopy")
WARN = dg.AssetCheckSeverity.WARN  # informative checks: they never block
RAW_CANDIDATE_TABLES = ("candidates", "datacopy_candidates")


def validate(
    frame: pl.DataFrame,
    expectations: Sequence[Any],
    name: str,
    severity: dg.AssetCheckSeverity = dg.AssetCheckSeverity.ERROR,
) -> dg.AssetCheckResult:
    """Run expectations on a frame in a fresh ephemeral GX context; one result per check."""
    # Imported here: GX takes seconds to import, which every code-location load would pay.
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    batch = (
        context.data_sources.add_pandas(name)
        .add_dataframe_asset(name)
        .add_batch_definition_whole_dataframe(name)
        .get_batch(batch_parameters={"dataframe": frame.to_pandas()})
    )
    suite = gx.ExpectationSuite(name=name)
    for expectation in expectations:
        suite.add_expectation(expectation)
    result = batch.validate(suite)
    outcomes = {}
    for item in result.results:
        config = item.expectation_config
        label = (
            f"{config.type}({config.kwargs.get('column') or config.kwargs.get('column_list', '')})"
        )
        details = item.result or {}
        outcomes[label] = {
            "success": bool(item.success),
            **{
                k: details[k]
                for k in ("observed_value", "unexpected_count", "unexpected_percent")
                if k in details
            },
            "examples": [str(v) for v in details.get("partial_unexpected_list", [])[:5]],
        }
    return dg.AssetCheckResult(
        passed=bool(result.success),
        severity=severity,
        metadata={
            "rows": dg.MetadataValue.int(frame.height),
            "expectations": dg.MetadataValue.json(outcomes),
            "failed": dg.MetadataValue.int(sum(not o["success"] for o in outcomes.values())),
        },
    )


def _read(lake: LakeResource, table: str, *columns: str) -> pl.DataFrame:
    """The columns a check needs (GX works on pandas; converting resume text is wasted)."""
    schema = TABLES[table].schema
    wanted = {c: schema[c] for c in columns} if columns else schema
    return read_table(lake.table_uri("normalized", table), wanted, lake.storage_options)


def _exploded(frame: pl.DataFrame, column: str) -> pl.DataFrame:
    return frame.select(pl.col(column).explode().drop_nulls())


# --------------------------------------------------------------------------- candidates

CANDIDATES = normalized_key("candidates")


@dg.asset_check(
    asset=CANDIDATES, blocking=True, description="candidate_id present, unique, numeric"
)
def candidates_keys_are_unique(lake: LakeResource) -> dg.AssetCheckResult:
    import great_expectations as gx

    return validate(
        _read(lake, "candidates", "candidate_id"),
        [
            gx.expectations.ExpectColumnValuesToNotBeNull(column="candidate_id"),
            gx.expectations.ExpectColumnValuesToBeUnique(column="candidate_id"),
            gx.expectations.ExpectColumnValuesToMatchRegex(
                column="candidate_id", regex=JOBDIVA_ID_PATTERN
            ),
        ],
        "candidates_keys",
    )


@dg.asset_check(
    asset=CANDIDATES,
    blocking=True,
    description="application_type is Candidate/Prospect, status a known stage, source api/datacopy",
)
def candidates_values_are_in_sets(lake: LakeResource) -> dg.AssetCheckResult:
    import great_expectations as gx

    return validate(
        _read(lake, "candidates", "application_type", "status", "source"),
        [
            gx.expectations.ExpectColumnValuesToNotBeNull(column="application_type"),
            gx.expectations.ExpectColumnValuesToBeInSet(
                column="application_type", value_set=list(APPLICATION_TYPES)
            ),
            gx.expectations.ExpectColumnValuesToBeInSet(column="status", value_set=list(STAGES)),
            gx.expectations.ExpectColumnValuesToBeInSet(column="source", value_set=list(SOURCES)),
        ],
        "candidates_values",
    )


@dg.asset_check(
    asset=CANDIDATES,
    blocking=True,
    description=f"≥{VALID_SHARE:.0%} of e-mails and LinkedIn/GitHub URLs in canonical form "
    "(they are the deterministic linkage keys)",
)
def candidates_linkage_keys_are_valid(lake: LakeResource) -> dg.AssetCheckResult:
    import great_expectations as gx

    frame = _read(lake, "candidates", "emails", "linkedin_url", "github_url")
    emails = _exploded(frame, "emails").rename({"emails": "email"})
    urls = frame.select("linkedin_url", "github_url")
    email_result = validate(
        emails,
        [
            gx.expectations.ExpectColumnValuesToMatchRegex(
                column="email", regex=EMAIL_PATTERN, mostly=VALID_SHARE
            )
        ],
        "candidate_emails",
    )
    url_result = validate(
        urls,
        [
            gx.expectations.ExpectColumnValuesToMatchRegex(
                column="linkedin_url", regex=LINKEDIN_PATTERN, mostly=VALID_SHARE
            ),
            gx.expectations.ExpectColumnValuesToMatchRegex(
                column="github_url", regex=GITHUB_PATTERN, mostly=VALID_SHARE
            ),
        ],
        "candidate_urls",
    )
    return dg.AssetCheckResult(
        passed=email_result.passed and url_result.passed,
        metadata={
            "emails": email_result.metadata["expectations"],
            "urls": url_result.metadata["expectations"],
            "failed": dg.MetadataValue.int(
                email_result.metadata["failed"].value + url_result.metadata["failed"].value
            ),
        },
    )


@dg.asset_check(
    asset=CANDIDATES,
    description=f"≥{VALID_SHARE:.0%} of phone numbers in E.164 (the rest are kept as written)",
)
def candidates_phones_are_e164(lake: LakeResource) -> dg.AssetCheckResult:
    import great_expectations as gx

    phones = _exploded(_read(lake, "candidates", "phones"), "phones").rename({"phones": "phone"})
    return validate(
        phones,
        [
            gx.expectations.ExpectColumnValuesToMatchRegex(
                column="phone", regex=E164_PATTERN, mostly=VALID_SHARE
            )
        ],
        "candidate_phones",
        severity=WARN,
    )


def expected_candidate_count(lake: LakeResource) -> tuple[int, int]:
    """Distinct candidate ids in raw (API and data copy), and how many of them a tombstone
    removed or merged away."""
    raw_ids: set[str] = set()
    for table in RAW_CANDIDATE_TABLES:
        if lake.exists("raw", table):
            ids = pl.scan_delta(lake.table_uri("raw", table), storage_options=lake.storage_options)
            raw_ids |= set(ids.select("record_id").unique().collect()["record_id"].to_list())
    gone = set(_read(lake, "tombstones", "candidate_id")["candidate_id"].to_list())
    return len(raw_ids - gone), len(raw_ids & gone)


@dg.asset_check(
    asset=CANDIDATES,
    blocking=True,
    description="normalized candidates ≤ distinct raw candidate ids minus tombstoned ones "
    "(more would mean a duplicate or a resurrected candidate)",
)
def candidates_reconcile_with_raw(lake: LakeResource) -> dg.AssetCheckResult:
    import great_expectations as gx

    expected, tombstoned = expected_candidate_count(lake)
    frame = _read(lake, "candidates", "candidate_id")
    result = validate(
        frame,
        [gx.expectations.ExpectTableRowCountToBeBetween(min_value=0, max_value=expected)],
        "candidates_reconciliation",
    )
    return dg.AssetCheckResult(
        passed=result.passed,
        metadata={
            **result.metadata,
            "expected_live_ids": dg.MetadataValue.int(expected),
            "tombstoned_raw_ids": dg.MetadataValue.int(tombstoned),
            "missing": dg.MetadataValue.int(max(0, expected - frame.height)),
        },
    )


# --------------------------------------------------------------------------- other tables


@dg.asset_check(
    asset=normalized_key("applications"),
    blocking=True,
    description="(candidate_id, job_id) present and unique; status a known stage",
)
def applications_keys_and_status(lake: LakeResource) -> dg.AssetCheckResult:
    import great_expectations as gx

    return validate(
        _read(lake, "applications", "candidate_id", "job_id", "status"),
        [
            gx.expectations.ExpectColumnValuesToNotBeNull(column="candidate_id"),
            gx.expectations.ExpectColumnValuesToNotBeNull(column="job_id"),
            gx.expectations.ExpectCompoundColumnsToBeUnique(column_list=["candidate_id", "job_id"]),
            gx.expectations.ExpectColumnValuesToBeInSet(column="status", value_set=list(STAGES)),
        ],
        "applications_keys",
    )


@dg.asset_check(
    asset=normalized_key("applications"),
    description="every application's candidate is in normalized/candidates",
)
def applications_reference_candidates(lake: LakeResource) -> dg.AssetCheckResult:
    import great_expectations as gx

    candidate_ids = _read(lake, "candidates", "candidate_id")["candidate_id"].to_list()
    return validate(
        _read(lake, "applications", "candidate_id"),
        [
            gx.expectations.ExpectColumnValuesToBeInSet(
                column="candidate_id", value_set=candidate_ids
            )
        ],
        "applications_candidates",
        severity=WARN,
    )


def _unique_key_check(table: str, key: str, description: str):
    @dg.asset_check(
        name=f"{table}_keys_are_unique",
        asset=normalized_key(table),
        blocking=True,
        description=description,
    )
    def check(lake: LakeResource) -> dg.AssetCheckResult:
        import great_expectations as gx

        return validate(
            _read(lake, table, key),
            [
                gx.expectations.ExpectColumnValuesToNotBeNull(column=key),
                gx.expectations.ExpectColumnValuesToBeUnique(column=key),
            ],
            f"{table}_keys",
        )

    return check


jobs_keys_are_unique = _unique_key_check("jobs", "job_id", "job_id present and unique")
recruiters_keys_are_unique = _unique_key_check(
    "recruiters", "recruiter_id", "recruiter_id present and unique"
)


@dg.asset_check(
    asset=normalized_key("attachments"),
    blocking=True,
    description="attachment_id present and unique; every attachment has its candidate",
)
def attachments_keys_are_unique(lake: LakeResource) -> dg.AssetCheckResult:
    import great_expectations as gx

    return validate(
        _read(lake, "attachments", "attachment_id", "candidate_id"),
        [
            gx.expectations.ExpectColumnValuesToNotBeNull(column="attachment_id"),
            gx.expectations.ExpectColumnValuesToBeUnique(column="attachment_id"),
            gx.expectations.ExpectColumnValuesToNotBeNull(column="candidate_id"),
        ],
        "attachments_keys",
    )


@dg.asset_check(
    asset=normalized_key("attachments"),
    description="text could be extracted (or was provided) for ≥90% of attachments",
)
def attachments_have_text(lake: LakeResource) -> dg.AssetCheckResult:
    import great_expectations as gx

    return validate(
        _read(lake, "attachments", "text"),
        [gx.expectations.ExpectColumnValuesToNotBeNull(column="text", mostly=0.9)],
        "attachments_text",
        severity=WARN,
    )


@dg.asset_check(
    asset=normalized_key("tombstones"),
    blocking=True,
    description="one tombstone per (candidate_id, kind); merges name their survivor",
)
def tombstones_are_well_formed(lake: LakeResource) -> dg.AssetCheckResult:
    import great_expectations as gx

    frame = _read(lake, "tombstones")
    merges = frame.filter(pl.col("kind") == "merged")
    keys = validate(
        frame,
        [
            gx.expectations.ExpectCompoundColumnsToBeUnique(column_list=["candidate_id", "kind"]),
            gx.expectations.ExpectColumnValuesToBeInSet(
                column="kind", value_set=["deleted", "merged", "redacted"]
            ),
        ],
        "tombstones_keys",
    )
    survivors = validate(
        merges.select("merged_to_candidate_id"),
        [gx.expectations.ExpectColumnValuesToNotBeNull(column="merged_to_candidate_id")],
        "tombstones_merges",
    )
    return dg.AssetCheckResult(
        passed=keys.passed and survivors.passed,
        metadata={
            "keys": keys.metadata["expectations"],
            "merges": survivors.metadata["expectations"],
            "failed": dg.MetadataValue.int(
                keys.metadata["failed"].value + survivors.metadata["failed"].value
            ),
        },
    )


NORMALIZED_CHECKS = [
    candidates_keys_are_unique,
    candidates_values_are_in_sets,
    candidates_linkage_keys_are_valid,
    candidates_phones_are_e164,
    candidates_reconcile_with_raw,
    applications_keys_and_status,
    applications_reference_candidates,
    jobs_keys_are_unique,
    recruiters_keys_are_unique,
    attachments_keys_are_unique,
    attachments_have_text,
    tombstones_are_well_formed,
]
