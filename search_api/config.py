"""The search API's settings, from the environment (secrets included, never logged)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from search_index.schema import INDEX_UID

# The public JobDiva candidate page (reference/jobdiva-api.md §13); tenants on another host
# (www2, …) set JOBDIVA_CANDIDATE_URL_TEMPLATE.
DEFAULT_CANDIDATE_URL_TEMPLATE = (
    "https://www1.jobdiva.com/employers/myreports/viewcandidate2_real.jsp"
    "?docids=-1&candidateid={candidate_id}"
)
DEFAULT_KEYS_FILE = ".data/api_keys.json"


@dataclass(frozen=True)
class ApiConfig:
    meili_url: str
    # Search-only key scoped to the index; the API refuses to start with a key that can do more.
    meili_search_key: str = field(repr=False)
    index_uid: str = INDEX_UID
    keys_file: Path = Path(DEFAULT_KEYS_FILE)
    candidate_url_template: str = DEFAULT_CANDIDATE_URL_TEMPLATE
    max_per_page: int = 1000
    max_conjuncts: int = 64
    meili_timeout_s: float = 30.0

    @classmethod
    def from_env(cls) -> ApiConfig:
        """MEILI_URL, MEILI_SEARCH_KEY, MEILI_INDEX, SEARCH_API_KEYS_FILE,
        JOBDIVA_CANDIDATE_URL_TEMPLATE."""
        key = os.environ.get("MEILI_SEARCH_KEY", "")
        if not key:
            raise RuntimeError(
                "MEILI_SEARCH_KEY is not set: the search API needs the search-only key "
                "(`python -m search_api.keys meili-key` prints it from the admin key)"
            )
        return cls(
            meili_url=os.environ.get("MEILI_URL", "http://127.0.0.1:7700"),
            meili_search_key=key,
            index_uid=os.environ.get("MEILI_INDEX") or INDEX_UID,
            keys_file=Path(os.environ.get("SEARCH_API_KEYS_FILE") or DEFAULT_KEYS_FILE),
            candidate_url_template=os.environ.get("JOBDIVA_CANDIDATE_URL_TEMPLATE")
            or DEFAULT_CANDIDATE_URL_TEMPLATE,
        )

    def candidate_url(self, candidate_id: str) -> str:
        return self.candidate_url_template.format(candidate_id=candidate_id)
