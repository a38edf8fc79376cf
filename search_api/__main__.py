"""Run the search API: `python -m search_api` (SEARCH_API_HOST, SEARCH_API_PORT)."""

from __future__ import annotations

import logging
import os

import uvicorn

from search_api.app import create_app


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    uvicorn.run(
        create_app(),
        host=os.environ.get("SEARCH_API_HOST", "127.0.0.1"),
        port=int(os.environ.get("SEARCH_API_PORT", "8000")),
        # Our own access log (search_api.access) records no query text or ids.
        access_log=False,
        log_level="info",
    )


if __name__ == "__main__":
    main()
