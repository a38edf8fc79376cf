"""The running simulator's shared parts, handed to every router."""

from __future__ import annotations

from dataclasses import dataclass

from sandbox.jobdiva.auth import Authenticator
from sandbox.jobdiva.config import SimulatorConfig
from sandbox.jobdiva.faults import FaultInjector
from sandbox.jobdiva.world import WorldState


@dataclass
class Simulator:
    config: SimulatorConfig
    state: WorldState
    auth: Authenticator
    faults: FaultInjector
    # Seed of the quirks ("Null" literals, empty-data shape); faults keep their own stream.
    seed: int
