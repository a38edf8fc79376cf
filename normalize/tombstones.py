"""Deleted, redacted and merged candidates: which ids disappear and where merged ones point.

Tombstones are remembered forever (table `normalized/tombstones`), so a partition processed
late cannot bring a removed id back: every merge re-applies the whole set.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import polars as pl

REMOVING_KINDS = ("deleted", "redacted")


@dataclass(frozen=True)
class TombstoneGraph:
    removed: frozenset[str] = frozenset()  # deleted or redacted: gone with everything they own
    merged_to: dict[str, str] = field(default_factory=dict)  # merged id → survivor it names

    @classmethod
    def from_table(cls, tombstones: pl.DataFrame) -> TombstoneGraph:
        removed = tombstones.filter(pl.col("kind").is_in(REMOVING_KINDS))["candidate_id"]
        merges = tombstones.filter(
            (pl.col("kind") == "merged") & pl.col("merged_to_candidate_id").is_not_null()
        ).select("candidate_id", "merged_to_candidate_id")
        return cls(frozenset(removed.to_list()), dict(merges.iter_rows()))

    def resolve(self, candidate_id: str) -> str | None:
        """Where the rows of an id belong now: itself, its final survivor, or None (removed).

        A removal of the id itself wins over its merge; a cycle of merges (which JobDiva does
        not make) resolves to its smallest id so that the answer stays deterministic.
        """
        seen: list[str] = []
        current = candidate_id
        while True:
            if current in self.removed:
                return None
            if current not in self.merged_to:
                return current
            if current in seen:
                return min(seen[seen.index(current) :])
            seen.append(current)
            current = self.merged_to[current]

    @property
    def gone(self) -> frozenset[str]:
        """Ids that no longer have a candidate row of their own."""
        return self.removed | frozenset(self.merged_to)

    def mapping(self, candidate_ids: pl.Series) -> pl.DataFrame:
        """`candidate_id` → `resolved_id` (null = removed) for the ids that a tombstone affects."""
        affected = sorted(set(candidate_ids.drop_nulls().to_list()) & self.gone)
        return pl.DataFrame(
            {"candidate_id": affected, "resolved_id": [self.resolve(i) for i in affected]},
            schema={"candidate_id": pl.String, "resolved_id": pl.String},
        )

    def repoint(self, frame: pl.DataFrame, column: str = "candidate_id") -> pl.DataFrame:
        """Rows of merged ids re-pointed to their survivor; rows of removed ids dropped."""
        if frame.is_empty() or not self.gone:
            return frame
        mapping = self.mapping(frame[column]).rename(
            {"candidate_id": column, "resolved_id": "__resolved"}
        )
        if mapping.is_empty():
            return frame
        joined = frame.join(mapping, on=column, how="left")
        affected = pl.col(column).is_in(mapping[column].implode())
        return (
            joined.filter(~affected | pl.col("__resolved").is_not_null())
            .with_columns(
                pl.when(affected).then(pl.col("__resolved")).otherwise(pl.col(column)).alias(column)
            )
            .drop("__resolved")
        )

    def without_gone(self, frame: pl.DataFrame, column: str = "candidate_id") -> pl.DataFrame:
        """Rows of ids that are removed or merged away dropped (their own candidate rows)."""
        if frame.is_empty() or not self.gone:
            return frame
        return frame.filter(~pl.col(column).is_in(sorted(self.gone)))

    def aliases(self) -> pl.DataFrame:
        """Survivor → sorted merged-away ids that now point to it (directly or by a chain)."""
        by_survivor: dict[str, list[str]] = defaultdict(list)
        for merged_id in self.merged_to:
            survivor = self.resolve(merged_id)
            if survivor is not None and merged_id not in self.removed:
                by_survivor[survivor].append(merged_id)
        return pl.DataFrame(
            {
                "candidate_id": list(by_survivor),
                "aliases": [sorted(ids) for ids in by_survivor.values()],
            },
            schema={"candidate_id": pl.String, "aliases": pl.List(pl.String)},
        )

    def touched_ids(self, tombstones: pl.DataFrame) -> set[str]:
        """Every id whose rows a set of tombstones can change: the ids, their survivors and
        the survivors' final targets."""
        ids = set(tombstones["candidate_id"].drop_nulls().to_list())
        ids |= set(tombstones["merged_to_candidate_id"].drop_nulls().to_list())
        return ids | {r for i in ids if (r := self.resolve(i)) is not None}
