"""Application factory: wires the world, auth, BI reads, writes, faults and admin together."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from sandbox.jobdiva import errors
from sandbox.jobdiva.admin import admin_router
from sandbox.jobdiva.auth import Authenticator, TokenStore, auth_router
from sandbox.jobdiva.bi import bi_router
from sandbox.jobdiva.config import SimulatorConfig
from sandbox.jobdiva.faults import RAW_SEND_SCOPE_KEY, FaultInjector, quiet_simulated_resets
from sandbox.jobdiva.runtime import Simulator
from sandbox.jobdiva.world import World, WorldState
from sandbox.jobdiva.writes import writes_router

logger = logging.getLogger("sandbox.jobdiva")
access_logger = logging.getLogger("sandbox.jobdiva.access")


class JobDivaApp(FastAPI):
    """FastAPI that keeps the server's own `send` in the scope, so a simulated connection reset
    can reach the transport (see `faults.ConnectionResetResponse`)."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            scope.setdefault(RAW_SEND_SCOPE_KEY, send)
        await super().__call__(scope, receive, send)


class AccessLogMiddleware:
    """Logs method, path and status only: query strings carry credentials (reference §2.2)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        outcome = {"status": "reset"}

        async def logging_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                outcome["status"] = str(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, logging_send)
        finally:
            access_logger.info("%s %s %s", scope["method"], scope["path"], outcome["status"])


def build_simulator(config: SimulatorConfig) -> Simulator:
    world = World.load(config.world_dir)
    seed = config.seed if config.seed is not None else world.meta.seed
    tokens = TokenStore(
        ttl_s=config.token_ttl_s,
        refresh_ttl_s=config.refresh_token_ttl_s,
        seed=seed,
        quoting=config.token_quoting,
    )
    return Simulator(
        config=config,
        state=WorldState(world, now=config.now),
        auth=Authenticator(config, tokens),
        faults=FaultInjector(config.faults, seed),
        seed=seed,
    )


def create_app(config: SimulatorConfig) -> FastAPI:
    """Load the world and build the simulator's ASGI app (world load happens here)."""
    sim = build_simulator(config)
    quiet_simulated_resets()
    app = JobDivaApp(
        title="JobDiva REST API simulator", docs_url=None, redoc_url=None, openapi_url=None
    )
    app.state.simulator = sim
    app.include_router(auth_router(sim.auth))
    app.include_router(bi_router(sim))
    app.include_router(writes_router(sim))
    if config.admin:
        app.include_router(admin_router(sim))
    app.add_exception_handler(StarletteHTTPException, _routing_error)
    if config.access_log:
        app.add_middleware(AccessLogMiddleware)
    logger.info(
        "JobDiva simulator ready: world=%s now=%s candidates=%d admin=%s",
        config.world_dir,
        sim.state.now.isoformat(),
        sim.state.candidates().height,
        config.admin,
    )
    return app


async def _routing_error(request: Request, exc: Exception) -> Response:
    """Unknown paths answer 401 even without a token (reference §2.5, §9.1); a wrong method on
    a known path is Spring's 405 once authenticated."""
    status = getattr(exc, "status_code", 404)
    sim: Simulator = request.app.state.simulator
    if status == 405 and sim.auth.user_for_request(request) is not None:
        message = f"Request method '{request.method}' not supported"
        return errors.spring_error(405, message, request.url.path)
    return errors.unauthorized(request.url.path)
