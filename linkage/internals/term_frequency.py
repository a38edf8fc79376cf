"""Term-frequency adjustment: agreeing on "Smith" says less than agreeing on "Zielinski".

For a level of exact agreement the model's u is the chance that two random records agree on
*some* value. Given the value they agree on, that chance is about the value's frequency, so
the level's weight ``log2(m / u)`` becomes ``log2(m / tf(value))``: the adjustment added is
``log2(u / tf(value))``.
"""

from __future__ import annotations

import numpy as np

from linkage.internals.encoding import MISSING, EncodedPair


def term_frequencies(encoded: EncodedPair, column: str) -> np.ndarray:
    """Share of each vocabulary code among the column's present values on both sides."""
    size = len(encoded.vocabulary)
    counts = np.zeros(size, dtype=np.float64)
    for codes in encoded.strings[column]:
        counts += np.bincount(codes[codes != MISSING], minlength=size)
    return counts / max(counts.sum(), 1.0)


def adjustment(frequencies: np.ndarray, codes: np.ndarray, u_exact: float) -> np.ndarray:
    """Weight (bits) to add to an exact agreement on each code.

    >>> adjustment(np.array([0.5, 0.01]), np.array([0, 1]), 0.05).round(2).tolist()
    [-3.32, 2.32]
    """
    frequency = np.maximum(frequencies[codes], 1e-12)
    return np.log2(u_exact / frequency)


def exact_agreement_share(encoded: EncodedPair, column: str) -> float:
    """Chance that a random left and a random right record, both with a value, agree on it:
    ``sum over values of p_left(v) * p_right(v)``, exact and without sampling."""
    size = len(encoded.vocabulary)
    shares = []
    for codes in encoded.strings[column]:
        counts = np.bincount(codes[codes != MISSING], minlength=size).astype(np.float64)
        shares.append(counts / max(counts.sum(), 1.0))
    return float(shares[0] @ shares[1])
