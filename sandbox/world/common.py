"""Shared helpers: seeded random streams, weighted sampling, timestamps, Arrow list building."""

from __future__ import annotations

import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import numpy as np
import pyarrow as pa

GENERATOR_VERSION = "world-1.0"
DEFAULT_HISTORY_END = datetime(2026, 11, 20, 18, 0, 0)
LOOKBACK_DAYS = 5 * 365  # every timestamp lies within 5 years before history_start

# One independent random stream per stage, keyed by a fixed number (never Python's hash()),
# so that changing one stage does not shift the numbers another stage draws.
_STAGES = (
    "people",
    "profiles",
    "candidates",
    "history",
    "ats",
    "documents",
    "datacopy",
    "noise",
    "attachments",
)


def stream(seed: int, stage: str) -> np.random.Generator:
    """The random generator of one stage for a world seed."""
    key = _STAGES.index(stage)
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence([int(seed), 7919, key])))


def normalized(weights: Sequence[float]) -> np.ndarray:
    w = np.asarray(weights, dtype=np.float64)
    return w / w.sum()


def choose_in_ranges(
    rng: np.random.Generator, starts: np.ndarray, sizes: np.ndarray, exponent: float = 0.0
) -> np.ndarray:
    """One index per row, drawn from [start, start + size); rank-weighted when exponent > 0."""
    starts = np.asarray(starts, dtype=np.int64)
    sizes = np.asarray(sizes, dtype=np.int64)
    u = rng.random(len(starts))
    if exponent <= 0:
        return starts + np.minimum((u * sizes).astype(np.int64), sizes - 1)
    # Inverse-CDF of a continuous power law on [1, size + 1): cheap rank weighting per row.
    a = 1.0 - exponent
    hi = np.power(sizes + 1.0, a)
    x = np.power(1.0 + u * (hi - 1.0), 1.0 / a) if abs(a) > 1e-9 else np.power(sizes + 1.0, u)
    return starts + np.minimum(np.floor(x).astype(np.int64) - 1, sizes - 1)


def distinct_in_ranges(
    rng: np.random.Generator, starts: np.ndarray, sizes: np.ndarray, counts: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """For each row, `counts[i]` distinct indices from [starts[i], starts[i] + sizes[i]).

    Returns (flat indices, offsets). Distinctness comes from walking the range with a stride
    coprime to its size from a random start.
    """
    starts = np.asarray(starts, dtype=np.int64)
    sizes = np.maximum(np.asarray(sizes, dtype=np.int64), 1)
    counts = np.minimum(np.asarray(counts, dtype=np.int64), sizes)
    offsets = np.zeros(len(counts) + 1, dtype=np.int64)
    np.cumsum(counts, out=offsets[1:])
    owner = np.repeat(np.arange(len(counts)), counts)
    rank = np.arange(offsets[-1]) - offsets[owner]
    base = (rng.random(len(counts)) * sizes).astype(np.int64)
    step = 1 + (rng.random(len(counts)) * np.maximum(sizes - 1, 1)).astype(np.int64)
    step = np.where(np.gcd(step, sizes) == 1, step, 1)
    flat = starts[owner] + (base[owner] + rank * step[owner]) % sizes[owner]
    return flat, offsets


def list_array(offsets: np.ndarray, values: pa.Array) -> pa.ListArray:
    return pa.ListArray.from_arrays(pa.array(offsets, type=pa.int32()), values)


def to_us(moment: datetime) -> np.datetime64:
    return np.datetime64(moment, "us")


def random_instants(
    rng: np.random.Generator, lo: np.ndarray, hi: np.ndarray, office_hours_share: float = 0.8
) -> np.ndarray:
    """Whole-second instants in [lo, hi] (datetime64[us]), mostly during office hours.

    Bounds must be whole seconds. Office hours are 8:00–18:59 Eastern on any day.
    """
    lo = np.asarray(lo, dtype="datetime64[us]")
    hi = np.asarray(hi, dtype="datetime64[us]")
    span = (hi - lo).astype(np.int64)
    t = lo + (rng.random(len(lo)) * span).astype(np.int64).astype("timedelta64[us]")
    day = t.astype("datetime64[D]").astype("datetime64[us]")
    office = day + (rng.integers(8 * 3600, 19 * 3600, len(lo)) * 1_000_000).astype(
        "timedelta64[us]"
    )
    use_office = (rng.random(len(lo)) < office_hours_share) & (office >= lo) & (office <= hi)
    t = np.where(use_office, office, t)
    return t.astype("datetime64[s]").astype("datetime64[us]")


def day_slices(start: datetime, end: datetime) -> list[tuple[datetime, datetime]]:
    """The 24-hour slices [start + k days, start + k + 1 days) and the calendar days that the
    history touches, clipped to [start, end] — each must see at least one change."""
    slices = []
    cursor = start
    while cursor < end:
        slices.append((cursor, min(cursor + timedelta(days=1), end)))
        cursor += timedelta(days=1)
    day = datetime(start.year, start.month, start.day)
    while day < end:
        slices.append((max(day, start), min(day + timedelta(days=1), end)))
        day += timedelta(days=1)
    return [(a, b) for a, b in slices if b > a]


@dataclass
class Progress:
    """Per-stage progress lines on stderr."""

    enabled: bool
    started: float = field(default_factory=time.perf_counter)

    def stage(self, message: str) -> None:
        if self.enabled:
            elapsed = time.perf_counter() - self.started
            print(f"[world {elapsed:6.1f}s] {message}", file=sys.stderr, flush=True)
