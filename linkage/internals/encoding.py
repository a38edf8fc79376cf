"""Columns of both inputs as integer codes, numbers and token tables, ready for pair work.

Every string column of both sides is coded against one shared vocabulary, so equality is an
integer comparison and values can be exchanged between columns (swapped names). List columns
become (row, token) tables with per-row sizes; numeric and date columns become float arrays.
Blank strings and empty lists count as missing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import polars as pl

ColumnType = Literal["string", "list", "numeric"]
MISSING = -1


@dataclass(frozen=True)
class RowTokens:
    """One side's distinct tokens per row, laid out flat by row (compressed sparse rows):
    row ``i`` holds ``tokens[offsets[i]:offsets[i + 1]]``."""

    offsets: np.ndarray
    tokens: np.ndarray

    @classmethod
    def from_table(cls, table: pl.DataFrame, n_rows: int) -> RowTokens:
        """From a (row, token) table of distinct pairs."""
        ordered = table.sort("row", "token")
        sizes = np.bincount(ordered["row"].to_numpy(), minlength=n_rows)
        offsets = np.zeros(n_rows + 1, dtype=np.int64)
        np.cumsum(sizes, out=offsets[1:])
        return cls(offsets, ordered["token"].to_numpy())

    @classmethod
    def from_rows_in_order(cls, table: pl.DataFrame, n_rows: int) -> RowTokens:
        """From a (row, token) table of distinct pairs already ordered by row."""
        sizes = np.bincount(table["row"].to_numpy(), minlength=n_rows)
        offsets = np.zeros(n_rows + 1, dtype=np.int64)
        np.cumsum(sizes, out=offsets[1:])
        return cls(offsets, table["token"].to_numpy())

    @property
    def sizes(self) -> np.ndarray:
        return np.diff(self.offsets)

    def gather(self, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The tokens of ``rows``: (position in ``rows``, token) for each token, in order.

        >>> side = RowTokens.from_table(
        ...     pl.DataFrame({"row": [0, 0, 2], "token": [5, 3, 4]}), 3)
        >>> [a.tolist() for a in side.gather(np.array([2, 1, 0]))]
        [[0, 2, 2], [4, 3, 5]]
        """
        counts = self.offsets[rows + 1] - self.offsets[rows]
        owner = np.repeat(np.arange(len(rows), dtype=np.int64), counts)
        # Each token's index in `tokens`: its row's start plus its place within the row.
        starts = np.repeat(self.offsets[rows] - (np.cumsum(counts) - counts), counts)
        return owner, self.tokens[starts + np.arange(int(counts.sum()))]


@dataclass(frozen=True)
class ListColumn:
    """A list column of both sides: distinct (row, token) pairs and the count per row.

    The tokens are kept twice: as (row, token) tables for the blocking joins, and row by row
    (`RowTokens`) so that a chunk of pairs reads only its own rows' tokens.
    """

    left_tokens: pl.DataFrame
    right_tokens: pl.DataFrame
    left_sizes: np.ndarray
    right_sizes: np.ndarray
    left_rows: RowTokens
    right_rows: RowTokens
    n_tokens: int


@dataclass
class EncodedPair:
    """The two inputs, encoded column by column; rows are positions in the inputs."""

    n_left: int
    n_right: int
    vocabulary: np.ndarray
    strings: dict[str, tuple[np.ndarray, np.ndarray]] = field(default_factory=dict)
    numbers: dict[str, tuple[np.ndarray, np.ndarray]] = field(default_factory=dict)
    lists: dict[str, ListColumn] = field(default_factory=dict)

    def column_type(self, column: str) -> ColumnType:
        if column in self.strings:
            return "string"
        if column in self.lists:
            return "list"
        if column in self.numbers:
            return "numeric"
        raise KeyError(f"column {column!r} was not encoded")

    def missing(self, column: str, left_rows: np.ndarray, right_rows: np.ndarray) -> np.ndarray:
        """True where the column is missing on either side of each pair."""
        kind = self.column_type(column)
        if kind == "string":
            codes_left, codes_right = self.strings[column]
            return (codes_left[left_rows] == MISSING) | (codes_right[right_rows] == MISSING)
        if kind == "numeric":
            values_left, values_right = self.numbers[column]
            return np.isnan(values_left[left_rows]) | np.isnan(values_right[right_rows])
        lists = self.lists[column]
        return (lists.left_sizes[left_rows] == 0) | (lists.right_sizes[right_rows] == 0)


def infer_column_type(dtype: pl.DataType) -> ColumnType:
    if isinstance(dtype, pl.List):
        return "list"
    if dtype.is_numeric() or dtype.is_temporal():
        return "numeric"
    return "string"


def _as_text(series: pl.Series) -> pl.Series:
    text = series.cast(pl.String) if series.dtype != pl.String else series
    return text.str.strip_chars().replace("", None)


def _as_numbers(series: pl.Series) -> np.ndarray:
    if series.dtype == pl.Date:
        series = series.cast(pl.Int32)
    elif series.dtype.is_temporal():
        # Datetimes compare in days, like dates.
        series = series.dt.epoch("s") / 86_400
    return series.cast(pl.Float64).fill_null(np.nan).to_numpy()


def _encode_list(left: pl.Series, right: pl.Series) -> ListColumn:
    # Items stay in row order throughout (explode and order-keeping joins), so the row-wise
    # layout needs no sort: that matters when one side is a corpus of a million profiles.
    def exploded(series: pl.Series) -> pl.DataFrame:
        items = series.cast(pl.List(pl.String)).list.eval(
            pl.element().str.strip_chars().replace("", None).drop_nulls()
        )
        return (
            pl.DataFrame(
                {
                    "row": pl.int_range(len(items), eager=True, dtype=pl.UInt32),
                    "t": items.list.unique(),
                }
            )
            .explode("t")
            .drop_nulls()
        )

    left_items, right_items = exploded(left), exploded(right)
    tokens = pl.concat([left_items["t"], right_items["t"]]).unique()
    token_codes = pl.DataFrame(
        {"t": tokens, "token": pl.int_range(len(tokens), eager=True, dtype=pl.UInt32)}
    )

    def coded(items: pl.DataFrame, n_rows: int) -> tuple[pl.DataFrame, RowTokens]:
        table = items.join(token_codes, on="t", maintain_order="left").select("row", "token")
        return table, RowTokens.from_rows_in_order(table, n_rows)

    left_tokens, left_rows = coded(left_items, len(left))
    right_tokens, right_rows = coded(right_items, len(right))
    return ListColumn(
        left_tokens,
        right_tokens,
        left_rows.sizes.astype(np.int32),
        right_rows.sizes.astype(np.int32),
        left_rows,
        right_rows,
        len(tokens),
    )


def encode(
    left: pl.DataFrame,
    right: pl.DataFrame,
    columns: Iterable[str],
    forced_types: dict[str, ColumnType] | None = None,
) -> EncodedPair:
    """Encode ``columns`` of both inputs (types from the left schema unless forced).

    >>> left = pl.DataFrame({"name": ["ann", "bob", None]})
    >>> right = pl.DataFrame({"name": ["bob", " "]})
    >>> encoded = encode(left, right, ["name"])
    >>> [encoded.vocabulary[c] if c >= 0 else None for c in encoded.strings["name"][0]]
    ['ann', 'bob', None]
    >>> encoded.strings["name"][1].tolist()[1]
    -1
    """
    forced_types = forced_types or {}
    encoded = EncodedPair(len(left), len(right), np.array([], dtype=object))
    string_columns: list[str] = []
    for column in dict.fromkeys(columns):
        for frame, side in ((left, "left"), (right, "right")):
            if column not in frame.columns:
                raise KeyError(f"column {column!r} is missing from the {side} input")
        kind = forced_types.get(column) or infer_column_type(left.schema[column])
        if kind == "list":
            encoded.lists[column] = _encode_list(left[column], right[column])
        elif kind == "numeric":
            encoded.numbers[column] = (_as_numbers(left[column]), _as_numbers(right[column]))
        else:
            string_columns.append(column)
    if string_columns:
        # One dictionary for every string column of both sides, applied in a single pass.
        sides = [_as_text(frame[column]) for column in string_columns for frame in (left, right)]
        everything = pl.concat(sides)
        vocabulary = everything.drop_nulls().unique().sort()
        codes = (
            everything.replace_strict(
                vocabulary,
                pl.int_range(len(vocabulary), eager=True, dtype=pl.Int32),
                default=MISSING,
                return_dtype=pl.Int32,
            )
            .fill_null(MISSING)
            .to_numpy()
        )
        encoded.vocabulary = vocabulary.to_numpy().astype(object)
        offset = 0
        for column in string_columns:
            left_codes = codes[offset : offset + len(left)]
            offset += len(left)
            right_codes = codes[offset : offset + len(right)]
            offset += len(right)
            encoded.strings[column] = (left_codes, right_codes)
    return encoded
