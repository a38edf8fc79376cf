"""Columns of both inputs as integer codes, numbers and token tables, ready for pair work.

Every string column of both sides is coded against one shared vocabulary, so equality is an
integer comparison and values can be exchanged between columns (swapped names). List columns
become (row, token) tables with per-row sizes; numeric and date columns become float arrays.
Blank strings and empty lists count as missing.

The right side can be encoded once on its own (`encode_side`) and reused for many left sides:
the left side's values that the right side lacks are appended to its dictionaries, so the right
side's codes never change.
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

        >>> side = RowTokens.from_rows_in_order(
        ...     pl.DataFrame({"row": [0, 0, 2], "token": [3, 5, 4]}), 3)
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


def _list_items(series: pl.Series) -> pl.DataFrame:
    """(row, item) of a list column: distinct, stripped, non-blank items, in row order (explode
    and order-keeping joins keep it, so the row-wise layout needs no sort — that matters when
    one side is a corpus of a million profiles)."""
    items = series.cast(pl.List(pl.String)).list.eval(
        pl.element().str.strip_chars().replace("", None).drop_nulls()
    )
    rows = pl.int_range(len(items), eager=True, dtype=pl.UInt32)
    return pl.DataFrame({"row": rows, "t": items.list.unique()}).explode("t").drop_nulls()


def _coded_items(
    items: pl.DataFrame, dictionary: pl.DataFrame, n_rows: int
) -> tuple[pl.DataFrame, RowTokens]:
    table = items.join(dictionary, on="t", maintain_order="left").select("row", "token")
    return table, RowTokens.from_rows_in_order(table, n_rows)


def _grown(
    dictionary: pl.DataFrame, values: pl.Series, code: str, dtype: pl.DataType
) -> pl.DataFrame:
    """``dictionary`` (value ``t`` → ``code``) with the values it lacks appended, so codes
    given before stay valid."""
    known = dictionary["t"]
    new = values.filter(~values.is_in(known.implode())).unique().sort()
    if new.is_empty():
        return dictionary
    start = len(dictionary)
    extra = pl.DataFrame(
        {"t": new, code: pl.int_range(start, start + len(new), eager=True, dtype=dtype)}
    )
    return pl.concat([dictionary, extra])


@dataclass(frozen=True)
class SideEncoding:
    """One input encoded alone (the right side, typically a large corpus): `encode` codes a
    left side against it, so a corpus is encoded once for many batches of left records."""

    n_rows: int
    types: dict[str, ColumnType]
    strings: dict[str, np.ndarray]
    string_dictionary: pl.DataFrame  # t → code
    numbers: dict[str, np.ndarray]
    lists: dict[str, tuple[pl.DataFrame, RowTokens, pl.DataFrame]]  # tokens, rows, dictionary


def column_types(
    frame: pl.DataFrame, columns: Iterable[str], forced_types: dict[str, ColumnType] | None
) -> dict[str, ColumnType]:
    """Each column's type: forced, else inferred from ``frame``'s schema."""
    forced_types = forced_types or {}
    return {
        column: forced_types.get(column) or infer_column_type(frame.schema[column])
        for column in dict.fromkeys(columns)
    }


def encode_side(
    frame: pl.DataFrame,
    columns: Iterable[str],
    forced_types: dict[str, ColumnType] | None = None,
    *,
    types: dict[str, ColumnType] | None = None,
) -> SideEncoding:
    """Encode ``columns`` of one input on its own (types inferred from it unless given)."""
    for column in dict.fromkeys(columns):
        if column not in frame.columns:
            raise KeyError(f"column {column!r} is missing from the right input")
    types = types or column_types(frame, columns, forced_types)
    strings: dict[str, pl.Series] = {}
    numbers: dict[str, np.ndarray] = {}
    lists: dict[str, tuple[pl.DataFrame, RowTokens, pl.DataFrame]] = {}
    for column, kind in types.items():
        if kind == "list":
            items = _list_items(frame[column])
            dictionary = _grown(
                pl.DataFrame(schema={"t": pl.String, "token": pl.UInt32}),
                items["t"],
                "token",
                pl.UInt32,
            )
            table, rows = _coded_items(items, dictionary, frame.height)
            lists[column] = (table, rows, dictionary)
        elif kind == "numeric":
            numbers[column] = _as_numbers(frame[column])
        else:
            strings[column] = _as_text(frame[column])
    string_dictionary = pl.DataFrame(schema={"t": pl.String, "code": pl.Int32})
    if strings:
        everything = pl.concat(list(strings.values())).drop_nulls()
        string_dictionary = _grown(string_dictionary, everything, "code", pl.Int32)
    return SideEncoding(
        frame.height,
        types,
        {c: _codes(v, string_dictionary) for c, v in strings.items()},
        string_dictionary,
        numbers,
        lists,
    )


def _codes(values: pl.Series, dictionary: pl.DataFrame) -> np.ndarray:
    return (
        pl.DataFrame({"t": values})
        .join(dictionary, on="t", how="left", maintain_order="left")
        .get_column("code")
        .fill_null(MISSING)
        .to_numpy()
    )


def encode(
    left: pl.DataFrame,
    right: pl.DataFrame | SideEncoding,
    columns: Iterable[str],
    forced_types: dict[str, ColumnType] | None = None,
) -> EncodedPair:
    """Encode ``columns`` of both inputs (types from the left schema unless forced).

    ``right`` may be a `SideEncoding` made before (by `encode_side`): only the left side is
    encoded then, its new values appended to the right side's dictionaries.

    >>> left = pl.DataFrame({"name": ["ann", "bob", None]})
    >>> right = pl.DataFrame({"name": ["bob", " "]})
    >>> encoded = encode(left, right, ["name"])
    >>> [encoded.vocabulary[c] if c >= 0 else None for c in encoded.strings["name"][0]]
    ['ann', 'bob', None]
    >>> encoded.strings["name"][1].tolist()[1]
    -1
    >>> side = encode_side(right, ["name"])
    >>> again = encode(left, side, ["name"])
    >>> [again.vocabulary[c] if c >= 0 else None for c in again.strings["name"][0]]
    ['ann', 'bob', None]
    """
    for column in dict.fromkeys(columns):
        if column not in left.columns:
            raise KeyError(f"column {column!r} is missing from the left input")
    types = column_types(left, columns, forced_types)
    if isinstance(right, pl.DataFrame):
        right = encode_side(right, columns, types=types)
    elif right.types != types:
        raise ValueError("the right side was encoded for other columns or types")
    encoded = EncodedPair(left.height, right.n_rows, np.array([], dtype=object))
    for column, (right_table, right_rows, dictionary) in right.lists.items():
        items = _list_items(left[column])
        dictionary = _grown(dictionary, items["t"], "token", pl.UInt32)
        left_table, left_rows = _coded_items(items, dictionary, left.height)
        encoded.lists[column] = ListColumn(
            left_table,
            right_table,
            left_rows.sizes.astype(np.int32),
            right_rows.sizes.astype(np.int32),
            left_rows,
            right_rows,
            len(dictionary),
        )
    for column, right_values in right.numbers.items():
        encoded.numbers[column] = (_as_numbers(left[column]), right_values)
    left_strings = {column: _as_text(left[column]) for column in right.strings}
    dictionary = right.string_dictionary
    if left_strings:
        everything = pl.concat(list(left_strings.values())).drop_nulls()
        dictionary = _grown(dictionary, everything, "code", pl.Int32)
    encoded.vocabulary = dictionary["t"].to_numpy().astype(object)
    for column, values in left_strings.items():
        encoded.strings[column] = (_codes(values, dictionary), right.strings[column])
    return encoded
