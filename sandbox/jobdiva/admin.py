"""`/__admin`: test-only controls (clock, candidates, tombstones, faults). In memory only.

Mounted only when the simulator runs with `admin=True` (`--admin`); otherwise these paths are
unknown paths and answer 401 like any other. No token is needed when mounted.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

import polars as pl
from fastapi import APIRouter, Request
from starlette.responses import JSONResponse, Response

from sandbox.jobdiva.runtime import Simulator
from sandbox.jobdiva.world import (
    CANDIDATE_EDITABLE_COLUMNS,
    DATETIME,
    TABLE_SCHEMAS,
    TOMBSTONE_KINDS,
    parse_eastern_iso,
)

ALL_PRIVACY_BITS = 63


class AdminError(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def _error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status)


async def _json_object(request: Request) -> dict[str, Any]:
    try:
        body = json.loads(await request.body() or b"{}")
    except ValueError:
        raise AdminError(400, "body is not valid JSON") from None
    if not isinstance(body, dict):
        raise AdminError(400, "body must be a JSON object")
    return body


def _int_field(body: dict[str, Any], name: str, *, required: bool = True) -> int | None:
    value = body.get(name)
    if value is None:
        if required:
            raise AdminError(400, f"{name} is required")
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise AdminError(400, f"{name} must be an integer")
    return value


def state_summary(sim: Simulator) -> dict[str, Any]:
    state = sim.state
    return {
        "now": state.now.isoformat(),
        "history_start": state.meta.history_start.isoformat(),
        "history_end": state.meta.history_end.isoformat(),
        "generation": state.generation,
        "counts": state.counts(),
        "faults": sim.faults.settings.as_dict(),
        "fault_seed": sim.faults.seed,
    }


def _advance_target(sim: Simulator, body: dict[str, Any]) -> datetime:
    if "to" in body:
        try:
            return parse_eastern_iso(str(body["to"]))
        except ValueError:
            raise AdminError(400, "to must be an ISO timestamp") from None
    step = {unit: body.get(unit, 0) for unit in ("days", "hours", "minutes", "seconds")}
    if any(isinstance(v, bool) or not isinstance(v, int | float) for v in step.values()):
        raise AdminError(400, "days/hours/minutes/seconds must be numbers")
    if not any(step.values()):
        raise AdminError(400, "give {'to': iso} or a non-zero days/hours/minutes/seconds")
    return sim.state.now + timedelta(**step)


def _candidate_values(body: dict[str, Any]) -> dict[str, Any]:
    fields = {k: v for k, v in body.items() if k != "candidate_id"}
    unknown = sorted(set(fields) - set(CANDIDATE_EDITABLE_COLUMNS))
    if unknown:
        raise AdminError(400, f"unknown candidate columns: {', '.join(unknown)}")
    schema = TABLE_SCHEMAS["candidate_versions"]
    values: dict[str, Any] = {}
    for name, value in fields.items():
        if value is not None and schema[name] == DATETIME:
            try:
                value = parse_eastern_iso(str(value))
            except ValueError:
                raise AdminError(400, f"{name} must be an ISO timestamp") from None
        values[name] = value
    return values


def _upsert_candidate(sim: Simulator, body: dict[str, Any]) -> dict[str, Any]:
    state = sim.state
    candidate_id = _int_field(body, "candidate_id", required=False)
    values = _candidate_values(body)
    if (
        candidate_id is not None
        and state.live_version(candidate_id) is None
        and state.candidate_ever_existed(candidate_id)
    ):
        raise AdminError(409, f"candidate {candidate_id} is deleted, merged or not created yet")
    try:
        candidate_id, created = state.write_candidate(values, candidate_id)
    except (TypeError, ValueError, pl.exceptions.PolarsError) as invalid:
        raise AdminError(400, f"invalid candidate values: {invalid}") from None
    return {"candidate_id": candidate_id, "created": created, "version_at": state.now.isoformat()}


def _add_tombstone(sim: Simulator, body: dict[str, Any]) -> dict[str, Any]:
    state = sim.state
    candidate_id = _int_field(body, "candidate_id")
    kind = body.get("kind")
    if kind not in TOMBSTONE_KINDS:
        raise AdminError(400, f"kind must be one of {', '.join(TOMBSTONE_KINDS)}")
    if state.live_version(candidate_id) is None:
        raise AdminError(404, f"candidate {candidate_id} is not live")
    merged_to = _int_field(body, "merged_to_candidate_id", required=kind == "merged")
    mask = _int_field(body, "privacy_mask", required=kind == "redacted")
    if kind == "merged" and (merged_to == candidate_id or state.live_version(merged_to) is None):
        raise AdminError(400, "merged_to_candidate_id must be another live candidate")
    if kind == "redacted" and not 0 < mask <= ALL_PRIVACY_BITS:
        raise AdminError(400, f"privacy_mask must be within 1..{ALL_PRIVACY_BITS}")
    state.add_tombstone(
        candidate_id,
        kind,
        merged_to if kind == "merged" else None,
        mask if kind == "redacted" else None,
    )
    return {"candidate_id": candidate_id, "kind": kind, "at": state.now.isoformat()}


def _set_faults(sim: Simulator, body: dict[str, Any]) -> dict[str, Any]:
    changes = dict(body)
    seed = changes.pop("seed", None)
    reset_buckets = bool(changes.pop("reset_buckets", False))
    try:
        sim.faults.settings.update(changes)
    except ValueError as invalid:
        raise AdminError(400, str(invalid)) from None
    if seed is not None:
        if isinstance(seed, bool) or not isinstance(seed, int):
            raise AdminError(400, "seed must be an integer")
        sim.faults.reseed(seed)
    if reset_buckets or "rate_limit_per_min" in changes or "rate_limit_burst" in changes:
        sim.faults.reset_buckets()
    return {"faults": sim.faults.settings.as_dict(), "fault_seed": sim.faults.seed}


def admin_router(sim: Simulator) -> APIRouter:
    router = APIRouter(prefix="/__admin")

    @router.get("/state")
    async def state() -> Response:
        return JSONResponse(state_summary(sim))

    @router.post("/advance")
    async def advance(request: Request) -> Response:
        try:
            sim.state.set_now(_advance_target(sim, await _json_object(request)))
        except AdminError as failure:
            return _error(failure.status, failure.message)
        return JSONResponse(state_summary(sim))

    @router.post("/candidates")
    async def candidates(request: Request) -> Response:
        try:
            return JSONResponse(_upsert_candidate(sim, await _json_object(request)))
        except AdminError as failure:
            return _error(failure.status, failure.message)

    @router.post("/tombstones")
    async def tombstones(request: Request) -> Response:
        try:
            return JSONResponse(_add_tombstone(sim, await _json_object(request)))
        except AdminError as failure:
            return _error(failure.status, failure.message)

    @router.post("/faults")
    async def faults(request: Request) -> Response:
        try:
            return JSONResponse(_set_faults(sim, await _json_object(request)))
        except AdminError as failure:
            return _error(failure.status, failure.message)

    return router
