"""Seeded fault injection for BI reads (reference §3.5, §8; ARCHITECTURE §7).

Every authenticated BI read draws the same number of values from one `random.Random(seed)`, so a
given seed and request order always yields the same fault sequence, whatever the rates are.
"""

from __future__ import annotations

import asyncio
import enum
import logging
import random
import time
from collections.abc import Callable
from dataclasses import dataclass

from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.types import Receive, Scope, Send

from sandbox.jobdiva import errors
from sandbox.jobdiva.config import FaultSettings

# The BI layer's own throttle answer, shaped as success (reference §8, 2021 leaky bucket).
QUEUE_FULL_MESSAGE = (
    "Error: There are too many API requests in the queue. Please try again in 3 minutes."
)
RAW_SEND_SCOPE_KEY = "jobdiva.raw_send"


class FaultKind(enum.Enum):
    RATE_LIMIT = "429"
    SERVER_ERROR = "5xx"
    RESET = "reset"
    TRUNCATE = "truncate"
    ERROR_200 = "error200"


@dataclass(frozen=True)
class FaultDecision:
    kind: FaultKind | None
    status: int | None = None
    from_bucket: bool = False


class TokenBucket:
    def __init__(self, per_minute: float, burst: int, now: float) -> None:
        self.per_second = per_minute / 60.0
        self.capacity = float(burst)
        self.tokens = float(burst)
        self.updated = now

    def take(self, now: float) -> bool:
        self.tokens = min(self.capacity, self.tokens + (now - self.updated) * self.per_second)
        self.updated = now
        if self.tokens >= 1.0:
            self.tokens -= 1.0
            return True
        return False


class FaultInjector:
    def __init__(
        self, settings: FaultSettings, seed: int, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.settings = settings
        self._clock = clock
        self._buckets: dict[str, TokenBucket] = {}
        self.reseed(seed)

    def reseed(self, seed: int) -> None:
        self.seed = seed
        self._rng = random.Random(seed)

    def reset_buckets(self) -> None:
        self._buckets.clear()

    def decide(self, endpoint: str) -> FaultDecision:
        draws = [self._rng.random() for _ in range(6)]
        if not self._bucket_allows(endpoint):
            return FaultDecision(FaultKind.RATE_LIMIT, 429, from_bucket=True)
        s = self.settings
        rates = (
            (FaultKind.RATE_LIMIT, s.rate_429),
            (FaultKind.SERVER_ERROR, s.rate_5xx),
            (FaultKind.RESET, s.rate_reset),
            (FaultKind.TRUNCATE, s.rate_truncate),
            (FaultKind.ERROR_200, s.rate_error200),
        )
        for draw, (kind, rate) in zip(draws, rates, strict=False):
            if draw < rate:
                return FaultDecision(kind, _status_for(kind, draws[5]))
        return FaultDecision(None)

    def _bucket_allows(self, endpoint: str) -> bool:
        per_minute = self.settings.rate_limit_per_min
        if not per_minute:
            return True
        burst = self.settings.rate_limit_burst or max(1, int(per_minute))
        now = self._clock()
        bucket = self._buckets.get(endpoint)
        if bucket is None or bucket.capacity != burst or bucket.per_second != per_minute / 60:
            bucket = self._buckets[endpoint] = TokenBucket(per_minute, burst, now)
        return bucket.take(now)

    async def delay(self) -> None:
        if self.settings.latency_ms > 0:
            await asyncio.sleep(self.settings.latency_ms / 1000.0)


def _status_for(kind: FaultKind, draw: float) -> int | None:
    if kind is FaultKind.RATE_LIMIT:
        return 429
    if kind is FaultKind.SERVER_ERROR:
        return (500, 502, 503)[min(2, int(draw * 3))]
    return 200


def fault_response(decision: FaultDecision, path: str) -> Response | None:
    """The response replacing the real one, or None (no fault, or truncation applied later)."""
    kind = decision.kind
    if kind is FaultKind.RATE_LIMIT:
        return errors.request_limit_exceeded()
    if kind is FaultKind.SERVER_ERROR:
        return server_error(decision.status or 500, path)
    if kind is FaultKind.RESET:
        return ConnectionResetResponse()
    if kind is FaultKind.ERROR_200:
        return JSONResponse({"message": QUEUE_FULL_MESSAGE, "data": []})
    return None


def server_error(status: int, path: str) -> Response:
    if status == 500:
        # CFX reports 500 "Not an array" on large result sets (reference §3.5).
        return errors.spring_error(500, "Not an array", path)
    title = {502: "502 Bad Gateway", 503: "503 Service Temporarily Unavailable"}[status]
    page = (
        f"<html><head><title>{title}</title></head>"
        f"<body><center><h1>{title}</h1></center></body></html>"
    )
    return HTMLResponse(page, status_code=status)


def truncated(response: Response) -> Response:
    """A complete HTTP 200 whose JSON body is cut in half (Content-Length matches the cut)."""
    body = bytes(response.body)
    return Response(
        body[: len(body) // 2],
        status_code=response.status_code,
        media_type=response.media_type,
    )


class SimulatedConnectionReset(Exception):
    """Raised to make the server drop a connection whose transport was not reachable."""


class ConnectionResetResponse(Response):
    """Closes the client connection without an HTTP response.

    The raw uvicorn `send` (stashed in the scope by the app) is a bound method of the request
    cycle, whose transport can be aborted; the server then sees a disconnected client and sends
    nothing. Without it, the fallback starts a response and raises mid-body, which uvicorn answers
    by closing the socket. Either way the client gets a transport error.
    """

    def __init__(self) -> None:
        super().__init__(status_code=200)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        raw_send = scope.get(RAW_SEND_SCOPE_KEY)
        transport = getattr(getattr(raw_send, "__self__", None), "transport", None)
        if transport is not None and hasattr(transport, "abort"):
            transport.abort()
            # Let the loop deliver connection_lost so the server marks the cycle disconnected.
            for _ in range(3):
                await asyncio.sleep(0)
            return
        await send(
            {"type": "http.response.start", "status": 200, "headers": [(b"content-length", b"64")]}
        )
        raise SimulatedConnectionReset("simulated connection reset")


class _DropSimulatedResets(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        exc = record.exc_info[1] if record.exc_info else None
        return not isinstance(exc, SimulatedConnectionReset)


def quiet_simulated_resets() -> None:
    """Keep uvicorn from logging a traceback for each deliberate reset (fallback path)."""
    logger = logging.getLogger("uvicorn.error")
    if not any(isinstance(f, _DropSimulatedResets) for f in logger.filters):
        logger.addFilter(_DropSimulatedResets())
