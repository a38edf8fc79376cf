"""Writing a world: Parquet tables, meta.json, and an atomic replace of the output directory."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import polars as pl


@contextlib.contextmanager
def staged_directory(target: Path) -> Iterator[Path]:
    """Yield a fresh sibling temp directory; on success it replaces `target` in one rename.

    Refuses to replace a non-empty directory that does not look like a world (no meta.json),
    so a wrong --out cannot wipe unrelated files.
    """
    target = target.resolve()
    if target.exists() and (
        not target.is_dir() or (any(target.iterdir()) and not (target / "meta.json").exists())
    ):
        raise FileExistsError(
            f"{target} exists and is not a world directory; refusing to replace it"
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = target.parent / f".{target.name}.tmp-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir()
    try:
        yield staging
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    retired = target.parent / f".{target.name}.old-{os.getpid()}"
    if target.exists():
        target.rename(retired)
    staging.rename(target)
    shutil.rmtree(retired, ignore_errors=True)


def write_table(folder: Path, name: str, frame: pl.DataFrame) -> None:
    frame.write_parquet(folder / f"{name}.parquet", compression="zstd", statistics=True)


def write_meta(folder: Path, meta: dict) -> None:
    (folder / "meta.json").write_text(json.dumps(meta, indent=2, ensure_ascii=False) + "\n")
