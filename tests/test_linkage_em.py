"""Parameter estimation: u from random pairs, m by EM on pattern counts, recovering the m and
match share that generated synthetic comparison vectors."""

from __future__ import annotations

import numpy as np
import pytest

from linkage.internals.em import (
    estimate_u,
    expectation_maximisation,
    merge_pattern_counts,
    pattern_counts,
)

TRUE_M = [np.array([0.05, 0.15, 0.8]), np.array([0.1, 0.9]), np.array([0.2, 0.3, 0.5])]
TRUE_U = [np.array([0.9, 0.08, 0.02]), np.array([0.8, 0.2]), np.array([0.7, 0.2, 0.1])]


def _simulate(n_pairs: int, match_share: float, seed: int) -> np.ndarray:
    """Gamma vectors drawn from the Fellegi–Sunter model with TRUE_M / TRUE_U, 5 % missing."""
    rng = np.random.default_rng(seed)
    is_match = rng.random(n_pairs) < match_share
    columns = []
    for m, u in zip(TRUE_M, TRUE_U, strict=True):
        from_m = rng.choice(len(m), n_pairs, p=m)
        from_u = rng.choice(len(u), n_pairs, p=u)
        column = np.where(is_match, from_m, from_u)
        column[rng.random(n_pairs) < 0.05] = -1
        columns.append(column)
    return np.stack(columns, axis=1).astype(np.int8)


def test_pattern_counts_group_identical_vectors() -> None:
    gamma = np.array([[2, 1], [2, 1], [0, -1], [2, 1]], dtype=np.int8)
    patterns, counts = pattern_counts(gamma)
    assert patterns.tolist() == [[0, -1], [2, 1]]
    assert counts.tolist() == [1.0, 3.0]
    merged = merge_pattern_counts([(patterns, counts), (patterns[:1], np.array([4.0]))], 2)
    assert merged[1].tolist() == [5.0, 3.0]


def test_u_from_random_pairs_matches_generator() -> None:
    gamma = _simulate(200_000, match_share=0.0, seed=1)
    u = estimate_u(*pattern_counts(gamma), n_levels=[3, 2, 3])
    for estimated, true in zip(u, TRUE_U, strict=True):
        np.testing.assert_allclose(estimated, true, atol=0.01)


def test_u_never_zero_for_unseen_level() -> None:
    gamma = np.zeros((10, 1), dtype=np.int8)
    (u,) = estimate_u(*pattern_counts(gamma), n_levels=[2])
    assert 0 < u[1] < 0.1


@pytest.mark.parametrize("match_share", [0.05, 0.3])
def test_em_recovers_m_and_match_share(match_share: float) -> None:
    gamma = _simulate(300_000, match_share, seed=7)
    patterns, counts = pattern_counts(gamma)
    start_m = [np.full(len(m), 1 / len(m)) for m in TRUE_M]
    for m in start_m:
        m[-1] += 0.5
        m /= m.sum()
    result = expectation_maximisation(
        patterns, counts, start_m, TRUE_U, match_share=0.5, active=[0, 1, 2], max_iterations=2000
    )
    assert result.converged
    assert result.match_share == pytest.approx(match_share, abs=0.01)
    for estimated, true in zip(result.m, TRUE_M, strict=True):
        np.testing.assert_allclose(estimated, true, atol=0.03)


def test_inactive_comparisons_keep_their_start_values() -> None:
    gamma = _simulate(50_000, 0.2, seed=3)
    start = [m.copy() for m in TRUE_M]
    start[1] = np.array([0.5, 0.5])
    result = expectation_maximisation(
        *pattern_counts(gamma), start, TRUE_U, match_share=0.5, active=[0, 2]
    )
    np.testing.assert_allclose(result.m[1], [0.5, 0.5])
