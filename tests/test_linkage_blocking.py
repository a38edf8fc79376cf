"""Blocking: equality on every rule column, list items one by one, no missing keys, the union
of rules without duplicate pairs, and oversized blocks skipped when asked."""

from __future__ import annotations

import polars as pl

from linkage import block_on
from linkage.internals.encoding import encode
from linkage.internals.pairs import block, random_pairs, union_pairs

LEFT = pl.DataFrame(
    {
        "id": [0, 1, 2, 3],
        "last": ["lee", "lee", None, "kim"],
        "city": ["nyc", "sf", "nyc", "nyc"],
        "emails": [["a@x"], [], ["b@x", "c@x"], ["d@x"]],
    }
)
RIGHT = pl.DataFrame(
    {
        "id": [0, 1, 2],
        "last": ["lee", "kim", None],
        "city": ["nyc", "nyc", "nyc"],
        "emails": [["c@x"], ["a@x", "d@x"], []],
    }
)


def _pairs(rule) -> set[tuple[int, int]]:
    encoded = encode(LEFT, RIGHT, rule.columns, {"emails": "list"})
    left, right = block(encoded, rule)
    return set(zip(left.tolist(), right.tolist(), strict=True))


def test_all_columns_must_agree_and_be_present() -> None:
    assert _pairs(block_on("last", "city")) == {(0, 0), (3, 1)}
    assert _pairs(block_on("last")) == {(0, 0), (1, 0), (3, 1)}


def test_list_columns_pair_on_any_shared_item() -> None:
    assert _pairs(block_on("emails")) == {(0, 1), (2, 0), (3, 1)}


def test_max_block_pairs_skips_large_blocks() -> None:
    # "nyc" holds 3 left x 3 right = 9 pairs.
    assert _pairs(block_on("city", max_block_pairs=8)) == set()
    assert len(_pairs(block_on("city", max_block_pairs=9))) == 9


def test_max_right_per_key_skips_keys_many_right_records_share() -> None:
    # "nyc" is held by 3 right records; e-mail "a@x" by one, "d@x" by one.
    assert _pairs(block_on("city", max_right_per_key=2)) == set()
    assert len(_pairs(block_on("city", max_right_per_key=3))) == 9
    assert _pairs(block_on("emails", max_right_per_key=1)) == {(0, 1), (2, 0), (3, 1)}


def test_max_right_per_key_does_not_depend_on_the_left_batch() -> None:
    """A left record blocked alone gets the pairs it gets with every other left record (what
    an incremental run relies on); a pair cap would not do that."""
    rule = block_on("city", max_right_per_key=3)
    everyone = _pairs(rule)
    for row in range(LEFT.height):
        alone = encode(LEFT[row : row + 1], RIGHT, rule.columns)
        _, right = block(alone, rule)
        assert {(row, r) for r in right.tolist()} == {p for p in everyone if p[0] == row}
    capped = block_on("city", max_block_pairs=3)
    assert _pairs(capped) == set()
    alone = encode(LEFT[0:1], RIGHT, capped.columns)
    assert len(block(alone, capped)[0]) == 3


def test_rule_round_trips_through_plain_data() -> None:
    from linkage.blocking import BlockingRule

    rule = block_on("last", "city", max_right_per_key=300, source_columns=("x",))
    assert BlockingRule.from_dict(rule.to_dict()) == rule
    plain = block_on("last")
    assert "max_right_per_key" not in plain.to_dict()
    assert BlockingRule.from_dict(plain.to_dict()) == plain


def test_union_has_each_pair_once_with_its_first_rule() -> None:
    rules = [block_on("last"), block_on("emails")]
    encoded = encode(LEFT, RIGHT, ["last", "emails"], {"emails": "list"})
    pairs = union_pairs(encoded, rules)
    found = list(zip(pairs.left.tolist(), pairs.right.tolist(), pairs.rule.tolist(), strict=True))
    assert found == [(0, 0, 0), (0, 1, 1), (1, 0, 0), (2, 0, 1), (3, 1, 0)]


def test_random_pairs_are_reproducible_and_in_range() -> None:
    left, right = random_pairs(7, 5, 1000, seed=3)
    again = random_pairs(7, 5, 1000, seed=3)
    assert (left == again[0]).all() and (right == again[1]).all()
    assert left.max() < 7 and right.max() < 5
    every_left, _ = random_pairs(3, 4, 1000, seed=3)
    assert len(every_left) == 12  # fewer pairs than asked: all of them
