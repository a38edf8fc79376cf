"""Blocking rules: which record pairs are worth comparing at all.

A rule pairs every left record with every right record that has equal, non-missing values in
all of the rule's columns. A list column (e-mails, phones) contributes each of its items, so two
records sharing any e-mail pair up. The pairs of all rules are unioned; each pair remembers the
first rule that found it.

Example:
    >>> rule = block_on("surname", "date_of_birth")
    >>> rule.name, rule.columns
    ('surname & date_of_birth', ('surname', 'date_of_birth'))
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class BlockingRule:
    """Pair records with equal values in every one of ``columns``.

    Attributes:
        columns: Columns that must all be equal (and present).
        name: Shown with each pair as ``blocked_by``.
        max_block_pairs: Keys whose block would hold more pairs than this (left count times
            right count) are skipped, so one very common value cannot flood the comparison;
            ``None`` keeps every block.
        max_right_per_key: Keys that more right records than this share are skipped. Unlike
            ``max_block_pairs`` it depends on the right side alone, so a left record gets the
            same pairs whether it is blocked alone or in a batch (incremental runs agree with
            full ones when the right side is a fixed corpus).
        source_columns: Columns a derived key is made of (e.g. a sorted name pair from first
            and last name). Training leaves comparisons on these columns out of the rule's EM
            session, as it does for ``columns``.
    """

    columns: tuple[str, ...]
    name: str
    max_block_pairs: int | None = None
    source_columns: tuple[str, ...] = ()
    max_right_per_key: int | None = None

    @property
    def covered_columns(self) -> frozenset[str]:
        """Columns on which every pair of the rule agrees (or that its key derives from)."""
        return frozenset(self.columns) | frozenset(self.source_columns)

    def to_dict(self) -> dict[str, Any]:
        """The rule as plain data (for JSON)."""
        return {
            "columns": list(self.columns),
            "name": self.name,
            "max_block_pairs": self.max_block_pairs,
            "source_columns": list(self.source_columns),
            **({"max_right_per_key": self.max_right_per_key} if self.max_right_per_key else {}),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> BlockingRule:
        """Inverse of `to_dict`."""
        return cls(
            tuple(data["columns"]),
            data["name"],
            data.get("max_block_pairs"),
            tuple(data.get("source_columns", ())),
            data.get("max_right_per_key"),
        )


def block_on(
    *columns: str,
    name: str | None = None,
    max_block_pairs: int | None = None,
    source_columns: tuple[str, ...] = (),
    max_right_per_key: int | None = None,
) -> BlockingRule:
    """A blocking rule on equality of all ``columns``.

    Args:
        *columns: Column names present in both inputs.
        name: Defaults to the columns joined with ``" & "``.
        max_block_pairs: Skip keys whose block is larger than this many pairs.
        source_columns: Columns a derived key column is made of.
        max_right_per_key: Skip keys that more right records than this share.

    Returns:
        The rule.

    >>> block_on("email", max_block_pairs=1000).max_block_pairs
    1000
    """
    if not columns:
        raise ValueError("a blocking rule needs at least one column")
    return BlockingRule(
        tuple(columns),
        name or " & ".join(columns),
        max_block_pairs,
        tuple(source_columns),
        max_right_per_key,
    )
