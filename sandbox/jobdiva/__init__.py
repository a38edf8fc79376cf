"""A local JobDiva REST API simulator serving a generated world (sandbox/WORLD_FORMAT.md).

Public API: `SimulatorConfig` (+ `FaultSettings`), `create_app(config)` and
`run_in_thread(config, host, port)`. See sandbox/README.md, "JobDiva simulator", for the
endpoints and quirks.
"""

from sandbox.jobdiva.app import create_app
from sandbox.jobdiva.config import (
    DEFAULT_CLIENT_ID,
    DEFAULT_PASSWORD,
    DEFAULT_USERNAME,
    FaultSettings,
    SimulatorConfig,
)
from sandbox.jobdiva.server import RunningSimulator, run_in_thread

__all__ = [
    "DEFAULT_CLIENT_ID",
    "DEFAULT_PASSWORD",
    "DEFAULT_USERNAME",
    "FaultSettings",
    "RunningSimulator",
    "SimulatorConfig",
    "create_app",
    "run_in_thread",
]
