"""Meilisearch for the pipeline (admin key); the search API gets its own search-only key."""

from __future__ import annotations

import dagster as dg
import meilisearch
from pydantic import Field

from search_index.schema import INDEX_UID

SEARCH_KEY_NAME = "rediscovery-search-api"


class MeilisearchResource(dg.ConfigurableResource):
    url: str = Field(description="MEILI_URL, e.g. http://127.0.0.1:7700")
    api_key: str = Field(description="MEILI_MASTER_KEY or an admin key (secret, from the env)")
    index_uid: str = Field(default=INDEX_UID, description="MEILI_INDEX: the candidates index")
    search_key_name: str = Field(
        default=SEARCH_KEY_NAME,
        description="name of the search-only key (scoped to the index) the search API uses",
    )
    timeout_s: int = Field(default=60, description="HTTP timeout of one Meilisearch call")
    task_timeout_s: float = Field(
        default=1800, description="longest wait for one indexing task before the run fails"
    )
    batch_size: int = Field(default=10_000, description="documents per add-documents request")

    def client(self) -> meilisearch.Client:
        return meilisearch.Client(self.url, self.api_key, timeout=self.timeout_s)
