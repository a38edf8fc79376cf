"""The lake: Delta tables under one root URI (local path or object storage)."""

from __future__ import annotations

import json

import dagster as dg
from deltalake import DeltaTable
from deltalake.exceptions import TableNotFoundError
from pydantic import Field


class LakeResource(dg.ConfigurableResource):
    """Where the Delta tables live. `root_uri` may be a path or `s3://bucket/prefix`."""

    root_uri: str = Field(description="LAKE_URI: root of every Delta table (path or s3://…)")
    storage_options_json: str = Field(
        default="{}",
        description="JSON object of deltalake storage options (credentials come from the env)",
    )

    @property
    def storage_options(self) -> dict[str, str]:
        return json.loads(self.storage_options_json or "{}")

    def table_uri(self, *parts: str) -> str:
        return "/".join([self.root_uri.rstrip("/"), *parts])

    def exists(self, *parts: str) -> bool:
        try:
            DeltaTable(self.table_uri(*parts), storage_options=self.storage_options)
        except TableNotFoundError:
            return False
        return True
