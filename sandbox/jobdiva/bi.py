"""BI read endpoints: `GET /apiv2/bi/<Name>` and the v1 `GET /api/bi/<Name>` (reference §3-§6)."""

from __future__ import annotations

import hashlib
from typing import Any

import polars as pl
from fastapi import APIRouter, Request
from starlette.responses import JSONResponse, Response

from sandbox.jobdiva import errors
from sandbox.jobdiva.bi_catalog import ENDPOINTS, BiEndpoint
from sandbox.jobdiva.bi_params import BadRequest, BiContext, LogicalError
from sandbox.jobdiva.faults import FaultKind, fault_response, truncated
from sandbox.jobdiva.formatting import stringify_frame
from sandbox.jobdiva.runtime import Simulator


def success_message(label: str) -> str:
    return f'Query "{label}" completed successfully'


def _empty_as_null(sim: Simulator, request: Request) -> bool:
    """Reference §3.1: an empty result comes back as `[]` or `null`. "seeded" decides per
    request content, so the same request always gets the same shape."""
    mode = sim.config.empty_data
    if mode != "seeded":
        return mode == "null"
    key = f"{sim.seed}|{request.url.path}|{request.url.query}".encode()
    return hashlib.sha256(key).digest()[0] % 2 == 1


def _v1_array_form(request: Request) -> bool:
    """v1 without `alternateFormat=true` answers arrays with a header row (reference §3.1)."""
    if not request.url.path.startswith("/api/"):
        return False
    return (request.query_params.get("alternateFormat") or "").strip().lower() != "true"


def render_data(sim: Simulator, request: Request, endpoint: BiEndpoint, frame: pl.DataFrame) -> Any:
    rendered = stringify_frame(
        frame,
        seed=sim.seed,
        null_literal_rate=sim.config.null_literal_rate,
        null_literal_columns=endpoint.null_literal_columns,
        id_column=endpoint.id_column,
    )
    if _v1_array_form(request):
        return [rendered.columns, *(list(row) for row in rendered.iter_rows())]
    rows = rendered.to_dicts()
    if not rows:
        return None if _empty_as_null(sim, request) else []
    if len(rows) == 1 and sim.config.single_row_as_object:
        return rows[0]
    return rows


def bi_router(sim: Simulator) -> APIRouter:
    router = APIRouter()

    async def read(request: Request, name: str) -> Response:
        endpoint = ENDPOINTS.get(name)
        # Unknown metrics are unknown paths: 401 like any other (reference §2.5).
        if endpoint is None or sim.auth.user_for_request(request) is None:
            return errors.unauthorized(request.url.path)
        decision = sim.faults.decide(name)
        await sim.faults.delay()
        replacement = fault_response(decision, request.url.path)
        if replacement is not None:
            return replacement
        response = _answer(sim, request, endpoint)
        if decision.kind is FaultKind.TRUNCATE:
            return truncated(response)
        return response

    router.add_api_route("/apiv2/bi/{name}", read, methods=["GET"])
    router.add_api_route("/api/bi/{name}", read, methods=["GET"])
    return router


def _answer(sim: Simulator, request: Request, endpoint: BiEndpoint) -> Response:
    context = BiContext(
        state=sim.state,
        params=request.query_params,
        label=endpoint.label,
        max_ids=sim.config.max_ids,
        udf_names=sim.state.meta.udf_names,
    )
    try:
        frame = endpoint.query(context)
    except BadRequest as refused:
        return refused.response
    except LogicalError as refused:
        return JSONResponse({"message": refused.message, "data": []})
    data = render_data(sim, request, endpoint, frame)
    return JSONResponse({"message": success_message(endpoint.label), "data": data})
