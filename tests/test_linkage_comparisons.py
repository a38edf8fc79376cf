"""Comparison levels: each pair lands on the first level it meets, missing values on no level."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from linkage import (
    Comparison,
    distance,
    edit_distance,
    exact,
    jaccard,
    jaro_winkler,
    overlap,
    string_comparison,
    swapped,
)
from linkage.internals.encoding import encode
from linkage.internals.gamma import NULL_GAMMA, PairChunk, gamma_matrix

NAME = Comparison(
    "first_name",
    [
        exact("first"),
        overlap("variants", 1, label="nickname"),
        swapped("first", "last"),
        jaro_winkler("first", 0.9),
        jaro_winkler("first", 0.7),
    ],
)


def _levels(comparison: Comparison, left: dict, right: dict) -> list[str]:
    """Level label of pair i = (left row i, right row i)."""
    left_frame, right_frame = pl.DataFrame(left), pl.DataFrame(right)
    types = {"variants": "list", "tags": "list", "year": "numeric"}
    encoded = encode(left_frame, right_frame, comparison.columns, types)
    rows = np.arange(len(left_frame))
    gamma = gamma_matrix(encoded, [comparison], rows, rows)[:, 0]
    labels = comparison.level_labels
    return ["missing" if g == NULL_GAMMA else labels[g] for g in gamma]


def test_name_levels_first_match_wins() -> None:
    left = {
        "first": ["robert", "robert", "lee", "jonathan", "martha", "anna", None, "zed"],
        "last": ["smith", "smith", "wong", "x", "y", "z", "q", "kim"],
        "variants": [["robert", "bob"], ["robert", "bob"], ["lee"], ["jonathan"], ["martha"],
                     ["anna"], [], ["zed"]],
    }  # fmt: skip
    right = {
        "first": ["robert", "bob", "wong", "jonathon", "marhta", "xavier", "ann", "kim"],
        "last": ["smith", "smith", "lee", "x", "y", "z", "q", "zed"],
        "variants": [["robert", "bob"], ["bob", "robert"], ["wong"], ["jonathon"], ["marhta"],
                     ["xavier"], ["ann"], ["kim"]],
    }  # fmt: skip
    assert _levels(NAME, left, right) == [
        "exact",
        "nickname",
        "swapped",
        "jaro_winkler >= 0.9",
        "jaro_winkler >= 0.9",
        "else",
        "missing",
        "swapped",
    ]


def test_blank_strings_count_as_missing() -> None:
    comparison = string_comparison("first")
    assert _levels(comparison, {"first": ["  ", "ann"]}, {"first": ["ann", ""]}) == [
        "missing",
        "missing",
    ]


@pytest.mark.parametrize(
    ("left", "right", "expected"),
    [
        ("4223", "4223", "exact"),
        ("4223", "4232", "edits <= 1"),  # adjacent transposition is one edit
        ("4223", "4913", "edits <= 2"),
        ("4223", "9999", "else"),
    ],
)
def test_edit_distance_bands(left: str, right: str, expected: str) -> None:
    comparison = Comparison(
        "postcode", [exact("code"), edit_distance("code", 1), edit_distance("code", 2)]
    )
    assert _levels(comparison, {"code": [left]}, {"code": [right]}) == [expected]


def test_set_overlap_and_jaccard() -> None:
    comparison = Comparison("tags", [overlap("tags", 3), jaccard("tags", 0.5), overlap("tags", 1)])
    left = {"tags": [["a", "b", "c", "d"], ["a", "b"], ["a", "b", "c", "d", "e"], ["a"], []]}
    right = {"tags": [["d", "c", "b"], ["b", "a", "z"], ["a", "x", "y"], ["b"], ["a"]]}
    assert _levels(comparison, left, right) == [
        "shared >= 3",
        "jaccard >= 0.5",
        "shared >= 1",
        "else",
        "missing",
    ]


def test_numeric_distance() -> None:
    comparison = Comparison("year", [exact("year"), distance("year", 1), distance("year", 5)])
    left = {"year": [1980.0, 1980.0, 1980.0, 1980.0, None]}
    right = {"year": [1980.0, 1981.0, 1984.0, 1990.0, 1980.0]}
    assert _levels(comparison, left, right) == [
        "exact",
        "distance <= 1",
        "distance <= 5",
        "else",
        "missing",
    ]


def test_comparison_round_trips_through_plain_data() -> None:
    assert Comparison.from_dict(NAME.to_dict()) == NAME
    assert NAME.columns == ("first", "variants", "last")


_token_lists = st.lists(
    st.lists(st.sampled_from(["a", "b", "c", "d", "e", " ", "ab"]), max_size=6),
    min_size=1,
    max_size=8,
)


@settings(max_examples=80, deadline=None)
@given(left=_token_lists, right=_token_lists, data=st.data())
def test_shared_counts_equal_set_intersections(left, right, data) -> None:
    """Shared-item counts read each pair's own tokens (row-wise layout) and agree with a
    plain set intersection, whatever the pairs' order, repeats and empty lists."""
    n_pairs = data.draw(st.integers(0, 30))
    rows_left = np.array(
        data.draw(st.lists(st.integers(0, len(left) - 1), min_size=n_pairs, max_size=n_pairs)),
        dtype=np.int64,
    )
    rows_right = np.array(
        data.draw(st.lists(st.integers(0, len(right) - 1), min_size=n_pairs, max_size=n_pairs)),
        dtype=np.int64,
    )
    encoded = encode(pl.DataFrame({"t": left}), pl.DataFrame({"t": right}), ["t"], {"t": "list"})
    shared = PairChunk(encoded, rows_left, rows_right).shared("t")

    def items(values: list[str]) -> set[str]:
        return {value.strip() for value in values} - {""}

    expected = [
        len(items(left[a]) & items(right[b])) for a, b in zip(rows_left, rows_right, strict=True)
    ]
    assert shared.tolist() == expected
