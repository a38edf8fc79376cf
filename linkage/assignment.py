"""From scored pairs to links: thresholds and one-to-one or best-per-record assignment."""

from __future__ import annotations

import polars as pl

from linkage.internals.assignment import best_per_left, greedy_one_to_one


def one_to_one(
    pairs: pl.DataFrame,
    *,
    threshold: float | None = None,
    left: str = "left_id",
    right: str = "right_id",
    score: str = "match_probability",
) -> pl.DataFrame:
    """Keep each left and each right record in at most one link, best scores first.

    Use it when neither side has duplicates (FEBRL: each original has one duplicate).

    Args:
        pairs: Scored pairs, e.g. from `LinkageModel.predict`.
        threshold: Drop pairs scoring below this first.
        left: Left id column.
        right: Right id column.
        score: Column ranked on (higher is better); ties go to the lower ids.

    Returns:
        The kept rows, in their original order.

    >>> pairs = pl.DataFrame({"left_id": [1, 1, 2], "right_id": [7, 8, 7],
    ...                       "match_probability": [0.99, 0.95, 0.97]})
    >>> one_to_one(pairs).rows()
    [(1, 7, 0.99)]
    >>> one_to_one(pairs.with_columns(pl.Series("match_probability", [0.9, 0.95, 0.97]))).rows()
    [(1, 8, 0.95), (2, 7, 0.97)]
    """
    if threshold is not None:
        pairs = pairs.filter(pl.col(score) >= threshold)
    return greedy_one_to_one(pairs, left, right, score)


def best_match(
    pairs: pl.DataFrame,
    *,
    threshold: float | None = None,
    left: str = "left_id",
    right: str = "right_id",
    score: str = "match_probability",
) -> pl.DataFrame:
    """Each left record's best pair; a right record may be chosen by several left records.

    Use it when the left side may hold duplicates of one person (two ATS records of the same
    candidate both link to that person's profile).

    >>> pairs = pl.DataFrame({"left_id": [1, 1, 2], "right_id": [7, 8, 7],
    ...                       "match_probability": [0.99, 0.95, 0.97]})
    >>> best_match(pairs, threshold=0.9).rows()
    [(1, 7, 0.99), (2, 7, 0.97)]
    """
    if threshold is not None:
        pairs = pairs.filter(pl.col(score) >= threshold)
    return best_per_left(pairs, left, right, score)
