"""The JobDiva client as a Dagster resource; credentials come from the environment only."""

from __future__ import annotations

import dagster as dg
from pydantic import Field

from extraction.jobdiva_client import JobDivaClient, JobDivaCredentials


class JobDivaResource(dg.ConfigurableResource):
    base_url: str = Field(description="JOBDIVA_BASE_URL, e.g. https://api.jobdiva.com")
    client_id: str = Field(description="JOBDIVA_CLIENT_ID (secret, from the env)")
    username: str = Field(description="JOBDIVA_USERNAME (secret, from the env)")
    password: str = Field(description="JOBDIVA_PASSWORD (secret, from the env)")
    requests_per_minute: float = Field(
        default=12.0, description="client-side rate limit; JobDiva's own is about 12 BI calls/min"
    )
    burst: int = Field(default=36, description="calls allowed back to back before pacing")
    timeout_s: float = Field(default=180.0, description="per-request timeout (BI reads are slow)")
    max_attempts: int = Field(default=8, description="attempts per call on 429/5xx/timeouts")
    backoff_initial_s: float = Field(default=1.0, description="first wait before a retry")
    backoff_max_s: float = Field(default=60.0, description="longest wait between two attempts")

    def client(self) -> JobDivaClient:
        return JobDivaClient(
            base_url=self.base_url,
            credentials=JobDivaCredentials(self.client_id, self.username, self.password),
            requests_per_minute=self.requests_per_minute,
            burst=self.burst,
            timeout_s=self.timeout_s,
            max_attempts=self.max_attempts,
            backoff_initial_s=self.backoff_initial_s,
            backoff_max_s=self.backoff_max_s,
        )
