"""Meilisearch for the pipeline (admin key); the search API gets its own search-only key."""

from __future__ import annotations

import dagster as dg
import meilisearch
from pydantic import Field


class MeilisearchResource(dg.ConfigurableResource):
    url: str = Field(description="MEILI_URL, e.g. http://127.0.0.1:7700")
    api_key: str = Field(description="MEILI_MASTER_KEY or an admin key (secret, from the env)")
    timeout_s: int = Field(default=60, description="HTTP timeout of one Meilisearch call")

    def client(self) -> meilisearch.Client:
        return meilisearch.Client(self.url, self.api_key, timeout=self.timeout_s)
