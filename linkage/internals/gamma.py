"""Comparison levels ("gamma") of many pairs at once.

Gamma per comparison is a small integer: -1 when the field is missing on either side, 0 for
"else", and ``len(levels)`` for the most similar level. Similarities are computed once per
column and chunk, only for pairs whose values are present and differ (rapidfuzz ``cpdist``,
multi-threaded), and shared-item counts of list columns by a polars join of the chunk's
(pair, token) keys.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import polars as pl
from rapidfuzz import process
from rapidfuzz.distance import OSA, JaroWinkler

from linkage.comparisons import Comparison, Level
from linkage.internals.encoding import MISSING, EncodedPair

NULL_GAMMA = -1
# Edit distance is the optimal-string-alignment form of Damerau-Levenshtein (adjacent
# transpositions count as one edit), twice as fast as the unrestricted form in rapidfuzz.
_SCORERS = {
    "jaro_winkler": (JaroWinkler.normalized_similarity, 1.0),
    "edit_distance": (OSA.distance, 0.0),
}


class PairChunk:
    """One chunk of pairs with per-column caches of similarities and shared counts."""

    def __init__(self, encoded: EncodedPair, left: np.ndarray, right: np.ndarray) -> None:
        self.encoded = encoded
        self.left = left
        self.right = right
        self._scores: dict[tuple[str, str], np.ndarray] = {}
        self._shared: dict[str, np.ndarray] = {}

    def __len__(self) -> int:
        return len(self.left)

    def codes(self, column: str) -> tuple[np.ndarray, np.ndarray]:
        codes_left, codes_right = self.encoded.strings[column]
        return codes_left[self.left], codes_right[self.right]

    def numbers(self, column: str) -> tuple[np.ndarray, np.ndarray]:
        values_left, values_right = self.encoded.numbers[column]
        return values_left[self.left], values_right[self.right]

    def score(self, column: str, kind: str) -> np.ndarray:
        """Similarity (or distance) of the column's values; NaN where either is missing."""
        cached = self._scores.get((column, kind))
        if cached is not None:
            return cached
        scorer, identical_score = _SCORERS[kind]
        left_codes, right_codes = self.codes(column)
        scores = np.full(len(self), np.nan, dtype=np.float32)
        present = (left_codes != MISSING) & (right_codes != MISSING)
        scores[present & (left_codes == right_codes)] = identical_score
        differ = np.flatnonzero(present & (left_codes != right_codes))
        if len(differ):
            vocabulary = self.encoded.vocabulary
            scores[differ] = process.cpdist(
                vocabulary[left_codes[differ]],
                vocabulary[right_codes[differ]],
                scorer=scorer,
                workers=-1,
            )
        self._scores[(column, kind)] = scores
        return scores

    def shared(self, column: str) -> np.ndarray:
        """How many distinct items the two lists share."""
        cached = self._shared.get(column)
        if cached is not None:
            return cached
        lists = self.encoded.lists[column]
        both = np.flatnonzero(
            (lists.left_sizes[self.left] > 0) & (lists.right_sizes[self.right] > 0)
        )
        counts = np.zeros(len(self), dtype=np.int32)
        if len(both):
            # Only this chunk's tokens take part (the whole corpus's token table would be
            # hashed again for every chunk): a token of the left row that the right row also
            # holds is a (pair, token) key found on both sides.
            owner_left, tokens_left = lists.left_rows.gather(self.left[both])
            owner_right, tokens_right = lists.right_rows.gather(self.right[both])
            width = max(lists.n_tokens, 1)
            keys_left = pl.DataFrame({"key": owner_left * width + tokens_left})
            keys_right = pl.DataFrame({"key": owner_right * width + tokens_right})
            hits = keys_left.join(keys_right, on="key", how="semi")["key"].to_numpy()
            counts[both] = np.bincount(hits // width, minlength=len(both))
        self._shared[column] = counts
        return counts

    def meets(self, level: Level) -> np.ndarray:
        """Boolean array: the pair meets the level (missing values never do)."""
        kind, column, threshold = level.kind, level.column, level.threshold
        if kind == "exact":
            if self.encoded.column_type(column) == "numeric":
                left_values, right_values = self.numbers(column)
                return left_values == right_values
            left_codes, right_codes = self.codes(column)
            return (left_codes == right_codes) & (left_codes != MISSING)
        if kind == "jaro_winkler":
            return self.score(column, kind) >= threshold
        if kind == "edit_distance":
            return self.score(column, kind) <= threshold
        if kind == "swapped":
            first_left, first_right = self.codes(column)
            second_left, second_right = self.codes(level.other_column or column)
            return (
                (first_left == second_right)
                & (second_left == first_right)
                & (first_left != MISSING)
                & (second_left != MISSING)
            )
        if kind == "distance":
            left_values, right_values = self.numbers(column)
            with np.errstate(invalid="ignore"):
                return np.abs(left_values - right_values) <= threshold
        if kind in ("overlap", "jaccard"):
            shared = self.shared(column)
            if kind == "overlap":
                return shared >= threshold
            lists = self.encoded.lists[column]
            union = lists.left_sizes[self.left] + lists.right_sizes[self.right] - shared
            with np.errstate(invalid="ignore", divide="ignore"):
                return (shared / np.maximum(union, 1)) >= threshold
        raise ValueError(f"unknown level kind {kind!r}")


def comparison_gamma(chunk: PairChunk, comparison: Comparison) -> np.ndarray:
    """Gamma of one comparison for every pair of the chunk (int8)."""
    missing = np.zeros(len(chunk), dtype=bool)
    for column in comparison.null_columns:
        missing |= chunk.encoded.missing(column, chunk.left, chunk.right)
    gamma = np.zeros(len(chunk), dtype=np.int8)
    # Lowest level first, so that a higher level overwrites it.
    for value, level in enumerate(reversed(comparison.levels), start=1):
        gamma[chunk.meets(level)] = value
    gamma[missing] = NULL_GAMMA
    return gamma


def gamma_matrix(
    encoded: EncodedPair,
    comparisons: Sequence[Comparison],
    left: np.ndarray,
    right: np.ndarray,
) -> np.ndarray:
    """Gamma of every comparison for every pair: shape (pairs, comparisons), int8."""
    chunk = PairChunk(encoded, left, right)
    gamma = np.empty((len(chunk), len(comparisons)), dtype=np.int8)
    for index, comparison in enumerate(comparisons):
        gamma[:, index] = comparison_gamma(chunk, comparison)
    return gamma
