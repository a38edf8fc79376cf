"""The two-way connection check: can we authenticate, read every feed, and (optionally) write?"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from extraction.jobdiva_client import JobDivaApiError, JobDivaAuthError, JobDivaClient
from extraction.jobdiva_feeds import CHANGE_FEEDS

TEST_CANDIDATE_FIRST_NAME = "Rediscovery"
TEST_CANDIDATE_LAST_NAME = "ConnectionCheck"


@dataclass
class ConnectionReport:
    authenticated: bool = False
    feed_rows: dict[str, int] = field(default_factory=dict)
    failures: dict[str, str] = field(default_factory=dict)
    test_candidate_id: str | None = None
    applied_to_job_id: str | None = None

    @property
    def ok(self) -> bool:
        return self.authenticated and not self.failures

    def summary(self) -> str:
        lines = ["authenticated" if self.authenticated else "NOT authenticated"]
        lines += [f"{feed}: {rows} rows" for feed, rows in self.feed_rows.items()]
        lines += [f"{feed}: FAILED — {why}" for feed, why in self.failures.items()]
        if self.test_candidate_id:
            lines.append(f"created test candidate {self.test_candidate_id}")
        if self.applied_to_job_id:
            lines.append(f"applied it to job {self.applied_to_job_id}")
        return "\n".join(lines)


def check_connection(
    client: JobDivaClient, now_eastern: datetime, job_id: str | None = None
) -> ConnectionReport:
    """Authenticate, read the last day of every change feed, and optionally write a test record.

    Raises JobDivaAuthError with a plain message when the credentials are refused; feed-level
    failures (e.g. a method the API user is not granted) are collected in the report.
    """
    report = ConnectionReport()
    client.authenticate()  # JobDivaAuthError says which settings to check
    report.authenticated = True
    start = now_eastern - timedelta(days=1)
    for feed in CHANGE_FEEDS:
        try:
            report.feed_rows[feed] = len(client.feed(feed, start, now_eastern))
        except JobDivaApiError as exc:
            report.failures[feed] = str(exc)
    try:
        report.feed_rows["UsersList"] = len(client.bi("UsersList", {}))
    except JobDivaApiError as exc:
        report.failures["UsersList"] = str(exc)
    if job_id:
        stamp = now_eastern.strftime("%Y%m%d%H%M%S")
        report.test_candidate_id = client.post(
            "createCandidate",
            {
                "firstName": TEST_CANDIDATE_FIRST_NAME,
                "lastName": f"{TEST_CANDIDATE_LAST_NAME} {stamp}",
                "email": f"rediscovery-connection-check-{stamp}@example.invalid",
                "narrative": "Test record created by Rediscovery's connection check; "
                "safe to delete.",
            },
        )
        applied = client.post(
            "createJobApplication", {"candidateid": report.test_candidate_id, "jobid": job_id}
        )
        if applied.lower() != "true":
            raise JobDivaApiError(f"createJobApplication answered {applied!r}")
        report.applied_to_job_id = job_id
    return report


__all__ = ["ConnectionReport", "JobDivaAuthError", "check_connection"]
