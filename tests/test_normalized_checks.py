"""A failing blocking expectation on a normalized table stops the downstream assets of its run."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import dagster as dg
import polars as pl
from deltalake import write_deltalake

from assets.normalized import normalized, normalized_key
from assets.normalized_checks import NORMALIZED_CHECKS
from extraction.jobdiva_feeds import RawRecord
from extraction.raw_store import records_to_arrow, replace_partition_rows
from resources import LakeResource

DAY = "2024-03-10"


@dg.asset(deps=[normalized_key("candidates")])
def search_documents() -> None:
    """Stands in for the stages that read normalized candidates (linkage, search)."""


def write_raw_candidates(lake: Path, application_types: dict[str, str]) -> None:
    records = [
        RawRecord.of(
            candidate_id,
            "CandidatesDetail",
            {
                "ID": candidate_id,
                "FIRSTNAME": "Ada",
                "LASTNAME": f"Tester{candidate_id}",
                "EMAIL": f"ada{candidate_id}@example.com",
                "DATEUPDATED": f"{DAY}T09:00:00",
                "Application Type": application_type,
            },
        )
        for candidate_id, application_type in application_types.items()
    ]
    moment = datetime(2024, 3, 10, 5, tzinfo=UTC)
    replace_partition_rows(
        str(lake / "raw" / "candidates"), DAY, records_to_arrow(records, DAY, moment, moment)
    )


def run(lake: Path) -> dg.ExecuteInProcessResult:
    return dg.materialize(
        [normalized, *NORMALIZED_CHECKS, search_documents],
        resources={"lake": LakeResource(root_uri=str(lake))},
        raise_on_error=False,
    )


def check(result: dg.ExecuteInProcessResult, name: str) -> dg.AssetCheckEvaluation:
    return next(e for e in result.get_asset_check_evaluations() if e.check_name == name)


def downstream_materialized(result: dg.ExecuteInProcessResult) -> bool:
    return bool(result.asset_materializations_for_node("search_documents"))


def test_valid_data_flows_downstream(tmp_path: Path) -> None:
    write_raw_candidates(tmp_path, {"101": "Candidate", "102": "Prospect"})
    result = run(tmp_path)
    assert result.success
    # Every check passes, also on the tables this data leaves empty (applications, jobs, …).
    evaluations = result.get_asset_check_evaluations()
    assert len(evaluations) == len(NORMALIZED_CHECKS) and all(e.passed for e in evaluations)
    assert downstream_materialized(result)


def test_an_unknown_application_type_blocks_downstream(tmp_path: Path) -> None:
    # A tenant whose "Application Type" field has a value the contract does not know.
    write_raw_candidates(tmp_path, {"101": "Candidate", "102": "Lead"})
    result = run(tmp_path)
    assert not result.success
    failed = check(result, "candidates_values_are_in_sets")
    assert not failed.passed and failed.blocking
    assert failed.metadata["failed"].value == 1
    assert "Lead" in json.dumps(failed.metadata["expectations"].value)
    assert not downstream_materialized(result)
    assert not any(e.step_key == "search_documents" for e in result.all_events)  # never started


def test_a_resurrected_candidate_fails_the_reconciliation(tmp_path: Path) -> None:
    write_raw_candidates(tmp_path, {"101": "Candidate"})
    assert run(tmp_path).success
    # A bug (or a hand edit) adds a row that no raw partition backs.
    table = str(tmp_path / "normalized" / "candidates")
    stray = pl.read_delta(table).with_columns(pl.lit("999").alias("candidate_id"))
    write_deltalake(table, stray.to_arrow(), mode="append")
    result = run(tmp_path)
    reconciliation = check(result, "candidates_reconcile_with_raw")
    assert not reconciliation.passed
    assert reconciliation.metadata["expected_live_ids"].value == 1
    assert check(result, "candidates_keys_are_unique").passed
    assert not downstream_materialized(result)
