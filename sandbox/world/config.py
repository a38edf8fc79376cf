"""World parameters and the row counts derived from them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sandbox.world.common import LOOKBACK_DAYS


@dataclass(frozen=True)
class WorldConfig:
    profiles: int
    candidates: int
    days: int
    seed: int
    match_share: float
    duplicate_share: float
    history_end: datetime
    binary_attachment_cap: int
    lookback_days: int = LOOKBACK_DAYS

    @property
    def history_start(self) -> datetime:
        return self.history_end - timedelta(days=self.days)

    @property
    def earliest(self) -> datetime:
        """Nothing in the world is older than this (WORLD_FORMAT: history_start − lookback,
        5 years unless the world was generated with another `lookback_days`)."""
        return self.history_start - timedelta(days=self.lookback_days)

    def validate(self) -> None:
        if self.lookback_days < 30:
            raise ValueError("lookback_days must be at least 30")
        if self.profiles < 1 or self.candidates < 1 or self.days < 1:
            raise ValueError("profiles, candidates and days must be positive")
        if not 0.0 <= self.match_share <= 1.0:
            raise ValueError("match_share must lie in [0, 1]")
        if not 0.0 <= self.duplicate_share < 0.5:
            raise ValueError("duplicate_share must lie in [0, 0.5)")
        if self.history_end.tzinfo is not None:
            raise ValueError("history_end is naive US-Eastern wall-clock time")


@dataclass(frozen=True)
class RowCounts:
    duplicates: int  # ATS duplicate records (extra rows for already present people)
    base: int  # candidate rows that are distinct people
    matched: int  # base rows whose person has a public profile
    hidden: int  # base rows whose person has none

    @classmethod
    def of(cls, config: WorldConfig) -> RowCounts:
        duplicates = round(config.candidates * config.duplicate_share)
        if config.candidates >= 20 and config.duplicate_share > 0:
            duplicates = max(duplicates, 2)
        base = config.candidates - duplicates
        matched = min(round(base * config.match_share), config.profiles)
        return cls(duplicates, base, matched, base - matched)
