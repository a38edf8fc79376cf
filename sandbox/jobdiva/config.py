"""Simulator settings: credentials, clock, quirk switches and fault rates."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields
from datetime import datetime
from pathlib import Path
from typing import Any, Literal

DEFAULT_CLIENT_ID = 1000
DEFAULT_USERNAME = "api@sandbox.jobdiva.test"
DEFAULT_PASSWORD = "sandbox-password"

ENV_CLIENT_ID = "JOBDIVA_CLIENT_ID"
ENV_USERNAME = "JOBDIVA_USERNAME"
ENV_PASSWORD = "JOBDIVA_PASSWORD"

TokenQuoting = Literal["seeded", "always", "never"]
EmptyData = Literal["seeded", "list", "null"]


@dataclass
class FaultSettings:
    """Fault rates for BI reads (each a probability in [0, 1]); everything off by default."""

    rate_429: float = 0.0
    rate_5xx: float = 0.0
    rate_reset: float = 0.0
    rate_truncate: float = 0.0
    rate_error200: float = 0.0
    latency_ms: float = 0.0
    # Per-endpoint token bucket (reference §8: quotas are per endpoint); off while None.
    rate_limit_per_min: float | None = None
    rate_limit_burst: int | None = None

    def update(self, changes: dict[str, Any]) -> None:
        """Apply a partial update; raises ValueError on unknown names or bad values."""
        known = {f.name for f in fields(self)}
        unknown = sorted(set(changes) - known)
        if unknown:
            raise ValueError(f"unknown fault settings: {', '.join(unknown)}")
        for name, value in changes.items():
            setattr(self, name, _checked_fault_value(name, value))

    def as_dict(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


def _checked_fault_value(name: str, value: Any) -> Any:
    if name.startswith("rate_limit"):
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
            raise ValueError(f"{name} must be a positive number or null")
        return int(value) if name == "rate_limit_burst" else float(value)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"{name} must be a number")
    if name.startswith("rate_") and not 0.0 <= value <= 1.0:
        raise ValueError(f"{name} must be within [0, 1]")
    if value < 0:
        raise ValueError(f"{name} must not be negative")
    return float(value)


@dataclass
class SimulatorConfig:
    """Everything `create_app` needs. Credentials left as None resolve from the environment
    (`JOBDIVA_CLIENT_ID`, `JOBDIVA_USERNAME`, `JOBDIVA_PASSWORD`), then the documented defaults."""

    world_dir: Path
    client_id: int | None = None
    username: str | None = None
    password: str | None = field(default=None, repr=False)
    # Simulated "now" (naive US Eastern); None = the world's history_end.
    now: datetime | None = None
    admin: bool = False
    token_ttl_s: float = 86400.0
    refresh_token_ttl_s: float = 30 * 86400.0
    # Seed for faults and quirks; None = the world's seed from meta.json.
    seed: int | None = None
    faults: FaultSettings = field(default_factory=FaultSettings)
    # Reference §2.2: the token body is "sometimes wrapped in double quotes".
    token_quoting: TokenQuoting = "seeded"
    # Reference §3.1: a one-row result may come back as a bare object.
    single_row_as_object: bool = True
    # Reference §3.1: an empty result is `[]` or `null`; "seeded" picks per request.
    empty_data: EmptyData = "seeded"
    # Reference §3.1: live data contains the literal "Null" in some text columns.
    null_literal_rate: float = 0.05
    # Reference §3.4: at most 100 ids per detail call.
    max_ids: int = 100
    # Log "METHOD path status" per request (never query strings, tokens or passwords).
    access_log: bool = False

    def __post_init__(self) -> None:
        self.world_dir = Path(self.world_dir)

    def resolved_client_id(self) -> int:
        if self.client_id is not None:
            return int(self.client_id)
        return int(os.environ.get(ENV_CLIENT_ID) or DEFAULT_CLIENT_ID)

    def resolved_username(self) -> str:
        return self.username or os.environ.get(ENV_USERNAME) or DEFAULT_USERNAME

    def resolved_password(self) -> str:
        return self.password or os.environ.get(ENV_PASSWORD) or DEFAULT_PASSWORD
