"""The upsert rule as a pure function over polars frames: a field-wise join-semilattice.

State: for every key and every `latest` field, the pair (version, value) of the greatest
version among the observations where that field was not blank; `earliest`/`newest` columns keep
the min/max. Merging is taking those maxima over the union of stored rows and incoming
observations, so it is

- commutative and associative: the result does not depend on the order (or grouping) in which
  partitions arrive;
- idempotent: merging an observation that is already in the state changes nothing;
- blank-safe: a blank value carries no version, so it never replaces a stored value.

Versions are `records.version_key` strings ordered by (last-updated, API over data copy,
content digest), so equal timestamps still have one deterministic winner.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from normalize.schema import FIELD_VERSIONS, VERSION, TableSpec


def version_column(field: str) -> str:
    return f"{field}__version"


def _present(field: str, dtype: pl.DataType) -> pl.Expr:
    present = pl.col(field).is_not_null()
    if isinstance(dtype, pl.List):
        present = present & (pl.col(field).list.len() > 0)
    elif dtype == pl.String:
        present = present & (pl.col(field).str.strip_chars() != "")
    return present


def observations_to_versioned(observations: pl.DataFrame, spec: TableSpec) -> pl.DataFrame:
    """Incoming observations: each present field takes the observation's version."""
    return observations.select(
        *spec.key,
        *(
            pl.when(_present(f, t)).then(pl.col(f)).otherwise(None).alias(f)
            for f, t in spec.latest.items()
        ),
        *(
            pl.when(_present(f, t)).then(pl.col(VERSION)).otherwise(None).alias(version_column(f))
            for f, t in spec.latest.items()
        ),
        *spec.earliest,
        *spec.newest,
    )


def stored_to_versioned(stored: pl.DataFrame, spec: TableSpec) -> pl.DataFrame:
    """Stored rows: their per-field versions come out of the `field_versions` struct."""
    return stored.select(
        *spec.key,
        *spec.latest,
        *(pl.col(FIELD_VERSIONS).struct.field(f).alias(version_column(f)) for f in spec.latest),
        *spec.earliest,
        *spec.newest,
    )


def fold_versioned(versioned: pl.DataFrame, spec: TableSpec) -> pl.DataFrame:
    """One row per key: per field the value of the greatest version; min/max timestamps.

    Rows without a version for a field (blank there) sort first, so the last value after an
    ascending sort is the winner whenever any row has the field.
    """
    aggregations = []
    for field in spec.latest:
        version = version_column(field)
        aggregations.append(pl.col(field).sort_by(version, nulls_last=False).last().alias(field))
        aggregations.append(pl.col(version).max().alias(version))
    aggregations += [pl.col(f).min().alias(f) for f in spec.earliest]
    aggregations += [pl.col(f).max().alias(f) for f in spec.newest]
    if versioned.is_empty():
        folded = versioned
    else:
        folded = versioned.group_by(list(spec.key)).agg(aggregations)
    return folded.select(
        *spec.key,
        *spec.latest,
        *spec.earliest,
        *spec.newest,
        pl.struct([pl.col(version_column(f)).alias(f) for f in spec.latest]).alias(FIELD_VERSIONS),
    ).sort(list(spec.key))


def fold(spec: TableSpec, *versioned: pl.DataFrame) -> pl.DataFrame:
    """Fold any number of versioned frames (stored rows and observations alike) into one."""
    frames = [frame for frame in versioned if not frame.is_empty()]
    if not frames:
        return fold_versioned(versioned[0], spec) if versioned else _empty_base(spec)
    return fold_versioned(pl.concat(frames, how="vertical_relaxed"), spec)


def merge_rows(stored: pl.DataFrame, observations: pl.DataFrame, spec: TableSpec) -> pl.DataFrame:
    """Stored base rows (with `field_versions`) merged with incoming observations."""
    return fold(
        spec, stored_to_versioned(stored, spec), observations_to_versioned(observations, spec)
    )


def _empty_base(spec: TableSpec) -> pl.DataFrame:
    schema = {**spec.key_schema, **spec.latest, **spec.earliest, **spec.newest}
    return pl.DataFrame(schema={**schema, FIELD_VERSIONS: spec.versions_dtype})


# --------------------------------------------------------------------------- changes


@dataclass(frozen=True)
class Changes:
    """What writing `after` over `before` does, key by key."""

    upserts: pl.DataFrame  # rows of `after` that are new or differ from `before`
    deleted_keys: pl.DataFrame  # keys in `before` that are not in `after`
    inserted: int
    updated: int

    @property
    def deleted(self) -> int:
        return self.deleted_keys.height

    @property
    def is_empty(self) -> bool:
        return self.upserts.is_empty() and self.deleted_keys.is_empty()


def changes(before: pl.DataFrame, after: pl.DataFrame, key: tuple[str, ...]) -> Changes:
    """Row-level difference of two frames with the same schema (compared on every column)."""
    keys = list(key)
    after = after.select(before.columns) if before.columns else after
    old = before.with_columns(before.hash_rows().alias("__row"))
    new = after.with_columns(after.hash_rows().alias("__row"))
    joined = new.join(old.select(*keys, pl.col("__row").alias("__old")), on=keys, how="left")
    inserted = joined.filter(pl.col("__old").is_null())
    updated = joined.filter(pl.col("__old").is_not_null() & (pl.col("__old") != pl.col("__row")))
    upserts = pl.concat([inserted, updated]).drop("__row", "__old").sort(keys)
    deleted = old.select(keys).join(new.select(keys), on=keys, how="anti").sort(keys)
    return Changes(upserts, deleted, inserted.height, updated.height)
