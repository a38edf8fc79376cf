"""Serve the simulator with a real uvicorn server in a background thread (for tests)."""

from __future__ import annotations

import socket
import threading
import time
from types import TracebackType

import uvicorn
from fastapi import FastAPI

from sandbox.jobdiva.app import create_app
from sandbox.jobdiva.config import SimulatorConfig
from sandbox.jobdiva.runtime import Simulator

STARTUP_TIMEOUT_S = 30.0


class RunningSimulator:
    """A live simulator on `base_url`; use as a context manager or call `stop()`."""

    def __init__(
        self, app: FastAPI, server: uvicorn.Server, thread: threading.Thread, sock: socket.socket
    ) -> None:
        self.app = app
        self._server = server
        self._thread = thread
        self._socket = sock
        host, port = sock.getsockname()[:2]
        self.host = host
        self.port = port
        self.base_url = f"http://{host}:{port}"

    @property
    def simulator(self) -> Simulator:
        """In-process access to the state, tokens and faults (tests may inspect them)."""
        return self.app.state.simulator

    def stop(self) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=10)
        self._socket.close()

    def __enter__(self) -> RunningSimulator:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()


def run_in_thread(
    config: SimulatorConfig, host: str = "127.0.0.1", port: int = 0
) -> RunningSimulator:
    """Load the world, bind `host:port` (0 = any free port) and serve until `stop()`."""
    app = create_app(config)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    server = uvicorn.Server(
        uvicorn.Config(
            app,
            log_level="warning",
            # Leave the host process's logging configuration alone.
            log_config=None,
            # uvicorn's access log would print query strings, credentials included.
            access_log=False,
            lifespan="off",
            timeout_graceful_shutdown=2,
        )
    )
    thread = threading.Thread(
        target=server.run, kwargs={"sockets": [sock]}, name="jobdiva-simulator", daemon=True
    )
    thread.start()
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            sock.close()
            raise RuntimeError("the JobDiva simulator did not start")
        time.sleep(0.01)
    return RunningSimulator(app, server, thread, sock)
