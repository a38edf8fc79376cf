"""The `verify_jobdiva_connection` job: prove credentials, permissions and (optionally) writes."""

import dagster as dg
from pydantic import Field

from extraction.connection_check import check_connection
from extraction.jobdiva_client import JobDivaError
from pipelines.sensors import now_eastern
from resources.jobdiva import JobDivaResource


class ConnectionCheckConfig(dg.Config):
    job_id: str | None = Field(
        default=None,
        description="A JobDiva job id: when given, a clearly marked test candidate is created "
        "and applied to this job (a write check). Leave empty for a read-only check.",
    )


@dg.op(tags={"jobdiva_api": "true"})
def check_jobdiva_connection(
    context: dg.OpExecutionContext, config: ConnectionCheckConfig, jobdiva: JobDivaResource
) -> dg.Output[dict]:
    try:
        with jobdiva.client() as client:
            report = check_connection(client, now_eastern(), config.job_id)
    except JobDivaError as exc:
        raise dg.Failure(description=str(exc)) from None
    context.log.info(report.summary())
    if not report.ok:
        raise dg.Failure(
            description="JobDiva connection check failed:\n" + report.summary(),
            metadata={"failures": dg.MetadataValue.json(report.failures)},
        )
    return dg.Output(
        {"feed_rows": report.feed_rows, "test_candidate_id": report.test_candidate_id},
        metadata={
            "report": dg.MetadataValue.md("```\n" + report.summary() + "\n```"),
            "test_candidate_id": report.test_candidate_id or "",
        },
    )


@dg.job(
    name="verify_jobdiva_connection",
    description="Authenticate, read one window of each JobDiva feed, optionally write a test "
    "candidate and application; fails with a plain message naming what is wrong.",
    tags={"jobdiva_api": "true"},
)
def verify_jobdiva_connection() -> None:
    check_jobdiva_connection()
