"""String and date quirks of the BI layer (reference §3.1, §3.2)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime

import polars as pl

# Reference §3.2: requests use MM/dd/yyyy HH:mm:ss (24 h); accepted strictly, two digits each.
_REQUEST_DATE = re.compile(r"^(\d{2})/(\d{2})/(\d{4}) (\d{2}):(\d{2}):(\d{2})$")
RESPONSE_TIMESTAMP = "%Y-%m-%dT%H:%M:%S"
INACCESSIBLE = "Inaccessible"
NULL_LITERAL = "Null"


def parse_request_date(raw: str) -> datetime | None:
    """Parse a `fromDate`/`toDate` value; None when it is not a valid MM/dd/yyyy HH:mm:ss."""
    match = _REQUEST_DATE.match(raw)
    if match is None:
        return None
    month, day, year, hour, minute, second = (int(part) for part in match.groups())
    try:
        return datetime(year, month, day, hour, minute, second)
    except ValueError:
        return None


def format_request_date(value: datetime) -> str:
    return value.strftime("%m/%d/%Y %H:%M:%S")


def format_timestamp(value: datetime) -> str:
    return value.strftime(RESPONSE_TIMESTAMP)


def stringify_column(name: str, dtype: pl.DataType) -> pl.Expr:
    """Render one column the way the BI layer does: every value a string (reference §3.1)."""
    column = pl.col(name)
    if dtype == pl.Datetime or isinstance(dtype, pl.Datetime):
        rendered = column.dt.strftime(RESPONSE_TIMESTAMP)
    elif dtype == pl.Date:
        rendered = column.dt.strftime("%Y-%m-%dT00:00:00")
    elif dtype == pl.Boolean:
        rendered = column.cast(pl.Int8).cast(pl.Utf8)
    elif dtype.is_float():
        # Oracle NUMBER prints 85 as "85", not "85.0".
        rendered = (
            pl.when(column == column.floor())
            .then(column.cast(pl.Int64, strict=False).cast(pl.Utf8))
            .otherwise(column.cast(pl.Utf8))
        )
    elif isinstance(dtype, pl.List):
        rendered = column.cast(pl.List(pl.Utf8)).list.join(", ")
    elif dtype == pl.Binary:
        rendered = column.bin.encode("base64")
    else:
        rendered = column.cast(pl.Utf8)
    return rendered.alias(name)


def null_literal_mask(id_column: str, column: str, seed: int, rate: float) -> pl.Expr:
    """Deterministic per (seed, record, column): whether a null shows as the literal "Null"."""
    salt = sum(ord(char) * (index + 1) for index, char in enumerate(column)) + seed * 7919
    bucket = ((pl.col(id_column).cast(pl.Int64) % 1_000_003) * 7919 + salt) % 1000
    return bucket < int(rate * 1000)


def stringify_frame(
    frame: pl.DataFrame,
    *,
    seed: int = 0,
    null_literal_rate: float = 0.0,
    null_literal_columns: Iterable[str] = (),
    id_column: str | None = None,
) -> pl.DataFrame:
    """All columns to strings; SQL NULL becomes "" (or, seeded, "Null" on the listed columns)."""
    rendered = frame.select(stringify_column(name, dtype) for name, dtype in frame.schema.items())
    literal_columns = [c for c in null_literal_columns if c in frame.columns]
    if id_column is not None and literal_columns and null_literal_rate > 0:
        ids = frame.select(pl.col(id_column).alias("__id"))
        rendered = rendered.with_columns(ids).with_columns(
            pl.when(pl.col(c).is_null() & null_literal_mask("__id", c, seed, null_literal_rate))
            .then(pl.lit(NULL_LITERAL))
            .otherwise(pl.col(c))
            .alias(c)
            for c in literal_columns
        )
        rendered = rendered.drop("__id")
    return rendered.fill_null("")
