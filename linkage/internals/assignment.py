"""Assignment: turn scored pairs into links where each record is used at most once.

Greedy by weight, computed in vectorised rounds: a pair that is the best remaining pair of both
its left and its right record is exactly a pair that greedy-by-descending-weight would accept,
so each round accepts all such pairs at once and drops the pairs they block.
"""

from __future__ import annotations

import polars as pl

_MAX_ROUNDS = 200


def greedy_one_to_one(pairs: pl.DataFrame, left: str, right: str, score: str) -> pl.DataFrame:
    """Rows of ``pairs`` kept by greedy one-to-one assignment on ``score`` (highest first).

    Ties are broken by ``left`` then ``right`` so the result is deterministic.
    """
    ranked = pairs.with_row_index("_row").sort(
        [score, left, right], descending=[True, False, False]
    )
    remaining = ranked.with_columns(pl.int_range(pl.len(), dtype=pl.UInt32).alias("_order"))
    accepted: list[pl.DataFrame] = []
    for _ in range(_MAX_ROUNDS):
        if remaining.is_empty():
            break
        best = remaining.filter(
            (pl.col("_order") == pl.col("_order").min().over(left))
            & (pl.col("_order") == pl.col("_order").min().over(right))
        )
        accepted.append(best)
        remaining = remaining.join(best.select(left), on=left, how="anti").join(
            best.select(right), on=right, how="anti"
        )
    else:
        accepted.append(_sequential_greedy(remaining, left, right))
    result = pl.concat(accepted) if accepted else remaining.clear()
    return result.sort("_row").drop("_row", "_order")


def _sequential_greedy(remaining: pl.DataFrame, left: str, right: str) -> pl.DataFrame:
    """The plain loop, for the rare long chains the rounds have not finished."""
    used_left: set = set()
    used_right: set = set()
    keep = []
    for index, (left_id, right_id) in enumerate(
        remaining.sort("_order").select(left, right).iter_rows()
    ):
        if left_id not in used_left and right_id not in used_right:
            used_left.add(left_id)
            used_right.add(right_id)
            keep.append(index)
    return remaining.sort("_order")[keep]


def best_per_left(pairs: pl.DataFrame, left: str, right: str, score: str) -> pl.DataFrame:
    """Each left record's highest-scoring pair (ties: lowest ``right``)."""
    return (
        pairs.sort([score, right], descending=[True, False])
        .unique(subset=[left], keep="first", maintain_order=True)
        .sort([left, right])
    )
