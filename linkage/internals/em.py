"""Fellegi–Sunter parameter estimation on comparison patterns.

Pairs with the same gamma vector are interchangeable for the model, so EM runs on the distinct
patterns and their counts: its cost depends on how many patterns there are (hundreds to a few
thousand), not on how many pairs were compared.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import polars as pl

from linkage.internals.gamma import NULL_GAMMA

# Probabilities are kept inside (0, 1) so that log weights stay finite.
PROBABILITY_FLOOR = 1e-9


def pattern_counts(gamma: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Distinct gamma rows and how often each occurs.

    >>> patterns, counts = pattern_counts(np.array([[1, 0], [1, 0], [-1, 2]], dtype=np.int8))
    >>> patterns.tolist(), counts.tolist()
    ([[-1, 2], [1, 0]], [1.0, 2.0])
    """
    if len(gamma) == 0:
        return gamma.reshape(0, gamma.shape[1]), np.zeros(0)
    frame = pl.DataFrame(gamma, schema=[f"c{i}" for i in range(gamma.shape[1])])
    grouped = frame.group_by(frame.columns).len().sort(frame.columns)
    return (
        grouped.drop("len").to_numpy().astype(np.int8).reshape(-1, gamma.shape[1]),
        grouped["len"].to_numpy().astype(np.float64),
    )


def merge_pattern_counts(
    parts: Sequence[tuple[np.ndarray, np.ndarray]], n_comparisons: int
) -> tuple[np.ndarray, np.ndarray]:
    """Pattern counts of several chunks added together."""
    if not parts:
        return np.zeros((0, n_comparisons), dtype=np.int8), np.zeros(0)
    patterns = np.concatenate([p for p, _ in parts])
    counts = np.concatenate([c for _, c in parts])
    frame = pl.DataFrame(patterns, schema=[f"c{i}" for i in range(n_comparisons)]).with_columns(
        pl.Series("n", counts)
    )
    grouped = frame.group_by(frame.columns[:-1]).agg(pl.col("n").sum()).sort(frame.columns[:-1])
    return (
        grouped.drop("n").to_numpy().astype(np.int8).reshape(-1, n_comparisons),
        grouped["n"].to_numpy(),
    )


def level_proportions(patterns: np.ndarray, weights: np.ndarray, n_levels: int) -> np.ndarray:
    """Weighted share of each level (gamma 0..n_levels-1) among rows where it is present."""
    present = patterns != NULL_GAMMA
    totals = np.bincount(patterns[present], weights=weights[present], minlength=n_levels)
    return totals / max(totals.sum(), 1e-300)


@dataclass(frozen=True)
class EMResult:
    """m per comparison (gamma-indexed), the match share among the pairs, and iterations."""

    m: list[np.ndarray]
    match_share: float
    iterations: int
    converged: bool


def _log_likelihoods(
    patterns: np.ndarray, probabilities: Sequence[np.ndarray], active: Sequence[int]
) -> np.ndarray:
    total = np.zeros(len(patterns))
    for index in active:
        column = patterns[:, index]
        logs = np.log(np.append(probabilities[index], 1.0))  # gamma -1 reads the trailing 1.0
        total += logs[column]
    return total


def expectation_maximisation(
    patterns: np.ndarray,
    counts: np.ndarray,
    m: Sequence[np.ndarray],
    u: Sequence[np.ndarray],
    match_share: float,
    active: Sequence[int],
    *,
    max_iterations: int = 100,
    tolerance: float = 1e-6,
) -> EMResult:
    """EM for m and the match share with u held fixed (u comes from random pairs).

    Args:
        patterns: Distinct gamma rows, shape (patterns, comparisons).
        counts: How many pairs have each pattern.
        m: Starting m per comparison, indexed by gamma.
        u: Fixed u per comparison, indexed by gamma.
        match_share: Starting share of matches among these pairs.
        active: Comparisons that take part; the others (e.g. the blocking rule's own fields,
            which agree on every pair by construction) are left out of the likelihood.
        max_iterations: Upper bound on EM iterations.
        tolerance: Stop when no parameter moves more than this.

    Returns:
        The estimated m (inactive comparisons keep their starting value) and match share.
    """
    m = [np.clip(np.asarray(values, dtype=np.float64), PROBABILITY_FLOOR, 1) for values in m]
    log_u = _log_likelihoods(patterns, [np.asarray(v, dtype=np.float64) for v in u], active)
    share = float(np.clip(match_share, 1e-9, 1 - 1e-9))
    total = counts.sum()
    converged = False
    iteration = 0
    for iteration in range(1, max_iterations + 1):  # noqa: B007 - reported after the loop
        log_m = _log_likelihoods(patterns, m, active)
        log_odds = np.log(share) - np.log1p(-share) + log_m - log_u
        posterior = 1.0 / (1.0 + np.exp(-np.clip(log_odds, -700, 700)))
        match_counts = counts * posterior
        new_m = list(m)
        for index in active:
            levels = level_proportions(patterns[:, index], match_counts, len(m[index]))
            new_m[index] = np.clip(levels, PROBABILITY_FLOOR, 1)
        new_share = float(np.clip(match_counts.sum() / total, 1e-12, 1 - 1e-12))
        change = max(
            [abs(new_share - share)] + [float(np.abs(new_m[i] - m[i]).max()) for i in active]
        )
        m, share = new_m, new_share
        if change < tolerance:
            converged = True
            break
    return EMResult(m, share, iteration, converged)


def estimate_u(
    patterns: np.ndarray, counts: np.ndarray, n_levels: Sequence[int]
) -> list[np.ndarray]:
    """u per comparison: level shares among random pairs, never zero.

    A level never seen among the sampled pairs gets half a count: rarer than anything observed,
    but not impossible (a zero would make its weight infinite).
    """
    u = []
    for index, levels in enumerate(n_levels):
        column = patterns[:, index]
        present = column != NULL_GAMMA
        totals = np.bincount(column[present], weights=counts[present], minlength=levels)
        observed = max(totals.sum(), 1.0)
        u.append(np.maximum(totals, 0.5) / observed)
    return u
