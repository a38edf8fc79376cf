"""Non-secret settings with embedded defaults; secrets are read with dg.EnvVar at run time."""

from __future__ import annotations

import os

DEFAULTS: dict[str, str] = {
    "LAKE_URI": ".data/lake",
    "LAKE_STORAGE_OPTIONS": "{}",
    "MEILI_URL": "http://127.0.0.1:7700",
    "MEILI_INDEX": "candidates",
    # The embedded default is the local JobDiva simulator; production sets api.jobdiva.com.
    "JOBDIVA_BASE_URL": "http://127.0.0.1:8765",
    "JOBDIVA_REQUESTS_PER_MINUTE": "12",
    "JOBDIVA_BURST": "36",
    "DATACOPY_DIR": ".data/datacopy",
    "DATACOPY_LAYOUT_JSON": "",
    "DATACOPY_SETTLE_SECONDS": "120",
    # The sandbox corpus of `make demo`; production points at its own Delta/Parquet corpus.
    "PROFILE_CORPUS_URI": ".data/world-demo/profiles.parquet",
    "PROFILE_CORPUS_STORAGE_OPTIONS": "{}",
}


def setting(name: str) -> str:
    return os.environ.get(name) or DEFAULTS[name]
