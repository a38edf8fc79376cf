"""The public-profile corpus that candidates are linked to: a Delta table or Parquet files."""

from __future__ import annotations

import hashlib
import json

import dagster as dg
import polars as pl
import pyarrow.fs as pafs
from deltalake import DeltaTable
from pydantic import Field

from linkage.incremental import open_filesystem

DELTA_PREFIX = "delta-v"
PARQUET_PREFIX = "parquet-"


class CorpusChangedError(RuntimeError):
    """The Parquet corpus changed between taking its version and reading it."""


class ProfileCorpusResource(dg.ConfigurableResource):
    """Where the profile corpus lives (ARCHITECTURE §5 columns), and which version it is.

    `uri` may be a Delta table, a Parquet file or a directory of Parquet files, on a local path
    or `s3://…`. The version is `delta-v<N>` for Delta, and for Parquet a digest of the files'
    names, sizes and modification times (no data is read to take it).
    """

    uri: str = Field(description="PROFILE_CORPUS_URI: Delta table or Parquet file/directory")
    storage_options_json: str = Field(
        default="{}",
        description="JSON object of storage options for object storage (credentials from env)",
    )

    @property
    def storage_options(self) -> dict[str, str]:
        return json.loads(self.storage_options_json or "{}")

    def _delta_table(self) -> DeltaTable | None:
        filesystem, path = open_filesystem(self.uri, self.storage_options)
        if filesystem.get_file_info(f"{path}/_delta_log").type != pafs.FileType.Directory:
            return None
        return DeltaTable(self.uri, storage_options=self.storage_options or None)

    def version(self) -> str:
        """The corpus version: changes whenever the corpus may have changed."""
        table = self._delta_table()
        if table is not None:
            return f"{DELTA_PREFIX}{table.version()}"
        return f"{PARQUET_PREFIX}{self._parquet_fingerprint()}"

    def read(self, columns: list[str] | None = None, as_of: str | None = None) -> pl.DataFrame:
        """The corpus rows (optionally only `columns`).

        Args:
            columns: Columns to read; all when None.
            as_of: A `version()` taken before: a Delta corpus is read at that version, a
                Parquet corpus is checked to be still at it.

        Raises:
            CorpusChangedError: A Parquet corpus is no longer at `as_of`.
        """
        table = self._delta_table()
        if table is not None:
            version = int(as_of.removeprefix(DELTA_PREFIX)) if as_of else None
            return pl.read_delta(
                self.uri,
                version=version,
                columns=columns,
                storage_options=self.storage_options or None,
            )
        frame = pl.read_parquet(
            self._parquet_sources(), columns=columns, storage_options=self.storage_options or None
        )
        if as_of is not None and self.version() != as_of:
            raise CorpusChangedError(f"the corpus at {self.uri} changed while it was read")
        return frame

    def read_ids(self, ids: list[str], as_of: str | None = None) -> pl.DataFrame:
        """The rows of the profiles `ids` only (a filtered scan: cheap on a large corpus)."""
        table = self._delta_table()
        options = self.storage_options or None
        if table is not None:
            version = int(as_of.removeprefix(DELTA_PREFIX)) if as_of else None
            scan = pl.scan_delta(self.uri, version=version, storage_options=options)
        else:
            scan = pl.scan_parquet(self._parquet_sources(), storage_options=options)
        frame = scan.filter(pl.col("profile_id").cast(pl.String).is_in(ids)).collect()
        if table is None and as_of is not None and self.version() != as_of:
            raise CorpusChangedError(f"the corpus at {self.uri} changed while it was read")
        return frame

    def _parquet_files(self) -> tuple[str, list[pafs.FileInfo]]:
        """The corpus's Parquet files (a directory's `.parquet` files, recursively), sorted."""
        filesystem, path = open_filesystem(self.uri, self.storage_options)
        info = filesystem.get_file_info(path)
        if info.type == pafs.FileType.NotFound:
            raise FileNotFoundError(f"no profile corpus at {self.uri}")
        if info.type != pafs.FileType.Directory:
            return path, [info]
        files = [
            item
            for item in filesystem.get_file_info(pafs.FileSelector(path, recursive=True))
            if item.type == pafs.FileType.File and item.path.endswith(".parquet")
        ]
        return path, sorted(files, key=lambda item: item.path)

    def _parquet_sources(self) -> str | list[str]:
        """What to hand the Parquet reader: the file itself, or a directory's files one by one
        (an object store has no directories a reader could expand, only keys under a prefix)."""
        path, files = self._parquet_files()
        if not files:
            raise FileNotFoundError(f"no Parquet files in the profile corpus at {self.uri}")
        if len(files) == 1 and files[0].path == path:
            return self.uri
        scheme = self.uri.split("://", 1)[0] if "://" in self.uri else "file"
        if scheme == "file":
            return [item.path for item in files]
        return [f"{scheme}://{item.path}" for item in files]

    def _parquet_fingerprint(self) -> str:
        path, files = self._parquet_files()
        listing = sorted(
            (item.path.removeprefix(path), item.size, item.mtime_ns or 0) for item in files
        )
        return hashlib.sha256(json.dumps(listing).encode()).hexdigest()[:16]
