"""Where the admin drops JobDiva data-copy file sets, and how their columns map."""

import dagster as dg
from pydantic import Field

from extraction.datacopy import DEFAULT_LAYOUT, DataCopyLayout


class DataCopyResource(dg.ConfigurableResource):
    directory: str = Field(description="DATACOPY_DIR: one sub-directory per data-copy file set")
    layout_json: str = Field(
        default="",
        description="JSON DataCopyLayout (files, id columns, column mapping); empty = default",
    )
    settle_seconds: int = Field(
        default=120, description="a file set is picked up once its files are this old"
    )

    def layout(self) -> DataCopyLayout:
        if not self.layout_json:
            return DEFAULT_LAYOUT
        return DataCopyLayout.model_validate_json(self.layout_json)
