"""Candidate pairs from blocking rules, as integer row arrays.

Each rule is an equi-join on integer codes (polars, multi-threaded); the rules' pairs are
unioned and each pair keeps the index of the first rule that found it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import polars as pl

from linkage.blocking import BlockingRule
from linkage.internals.encoding import MISSING, EncodedPair


@dataclass(frozen=True)
class Pairs:
    """Pairs as parallel arrays: left row, right row, index of the rule that found it."""

    left: np.ndarray
    right: np.ndarray
    rule: np.ndarray

    def __len__(self) -> int:
        return len(self.left)

    def take(self, index: np.ndarray | slice) -> Pairs:
        return Pairs(self.left[index], self.right[index], self.rule[index])


def _side_keys(encoded: EncodedPair, columns: Sequence[str], side: int) -> pl.DataFrame:
    """(row, key columns…) of one side, one row per combination of present values."""
    n_rows = encoded.n_right if side else encoded.n_left
    scalar_keys: dict[str, np.ndarray] = {}
    present = np.ones(n_rows, dtype=bool)
    list_keys: dict[str, pl.DataFrame] = {}
    for position, column in enumerate(columns):
        key = f"k{position}"
        kind = encoded.column_type(column)
        if kind == "string":
            scalar_keys[key] = encoded.strings[column][side]
            present &= scalar_keys[key] != MISSING
        elif kind == "numeric":
            scalar_keys[key] = encoded.numbers[column][side]
            present &= ~np.isnan(scalar_keys[key])
        else:
            lists = encoded.lists[column]
            list_keys[key] = (lists.right_tokens if side else lists.left_tokens).rename(
                {"token": key}
            )
    rows = np.flatnonzero(present)
    frame = pl.DataFrame(
        {
            "row": rows.astype(np.uint32),
            **{key: values[rows] for key, values in scalar_keys.items()},
        }
    )
    for tokens in list_keys.values():
        frame = frame.join(tokens, on="row")
    return frame


def block(encoded: EncodedPair, rule: BlockingRule) -> tuple[np.ndarray, np.ndarray]:
    """Left and right rows of every pair the rule admits (unique pairs)."""
    left_keys = _side_keys(encoded, rule.columns, 0)
    right_keys = _side_keys(encoded, rule.columns, 1)
    keys = [f"k{i}" for i in range(len(rule.columns))]
    if rule.max_block_pairs is not None:
        left_counts = left_keys.group_by(keys).len().rename({"len": "n_left"})
        right_counts = right_keys.group_by(keys).len().rename({"len": "n_right"})
        small = left_counts.join(right_counts, on=keys).filter(
            pl.col("n_left").cast(pl.Int64) * pl.col("n_right") <= rule.max_block_pairs
        )
        left_keys = left_keys.join(small.select(keys), on=keys, how="semi")
    if rule.max_right_per_key is not None:
        common = right_keys.group_by(keys).len().filter(pl.col("len") > rule.max_right_per_key)
        right_keys = right_keys.join(common.select(keys), on=keys, how="anti")
    joined = left_keys.join(right_keys, on=keys, suffix="_right").select("row", "row_right")
    if any(encoded.column_type(column) == "list" for column in rule.columns):
        joined = joined.unique()
    return joined["row"].to_numpy(), joined["row_right"].to_numpy()


def union_pairs(encoded: EncodedPair, rules: Sequence[BlockingRule]) -> Pairs:
    """The union of all rules' pairs, sorted by (left, right), each with its first rule."""
    frames = []
    for index, rule in enumerate(rules):
        left, right = block(encoded, rule)
        key = left.astype(np.int64) * encoded.n_right + right.astype(np.int64)
        frames.append(pl.DataFrame({"key": key, "rule": np.full(len(key), index, np.int16)}))
    if not frames:
        empty = np.array([], dtype=np.int64)
        return Pairs(empty, empty, empty.astype(np.int16))
    union = pl.concat(frames).group_by("key").agg(pl.col("rule").min()).sort("key")
    key = union["key"].to_numpy()
    return Pairs(
        (key // encoded.n_right).astype(np.int64),
        (key % encoded.n_right).astype(np.int64),
        union["rule"].to_numpy(),
    )


def random_pairs(
    n_left: int, n_right: int, n_pairs: int, seed: int
) -> tuple[np.ndarray, np.ndarray]:
    """``n_pairs`` uniform random pairs (with replacement; all pairs when there are fewer)."""
    total = n_left * n_right
    rng = np.random.default_rng(seed)
    if total <= n_pairs:
        key = np.arange(total, dtype=np.int64)
    else:
        key = rng.integers(0, total, size=n_pairs, dtype=np.int64)
    return key // n_right, key % n_right
