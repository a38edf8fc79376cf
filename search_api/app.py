"""The search API (FastAPI): Boolean search, power and ATS filters, profiles, insights, export.

Every route but `/healthz` needs `Authorization: Bearer <key>` (keys: `search_api.keys`).
Meilisearch is read with a search-only key; the app refuses to start with a key that can
manage keys (an admin or master key). Errors are JSON `{"error": {code, message, request_id}}`;
the access log records method, route template, status, duration and request id — no query
text, no candidate data, no key.
"""

import logging
import time
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse, StreamingResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from fastapi.staticfiles import StaticFiles
from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from search_api.config import ApiConfig
from search_api.export import XLSX_MEDIA_TYPE, build_workbook, stream_workbook
from search_api.keys import key_name, load_digests
from search_api.meili import MeiliError, MeiliReader
from search_api.models import (
    HealthResponse,
    InsightsRequest,
    SearchRequest,
    SearchResponse,
)
from search_api.profile import CandidateProfile, candidate_profile
from search_api.query import QueryError, QueryLimitError, QuerySyntaxError
from search_api.service import SearchService

access_log = logging.getLogger("search_api.access")
STATIC_DIR = Path(__file__).parent / "static"


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str, **details: Any) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.details = status, code, message, details


def _error(request: Request, status: int, code: str, message: str, **details: Any) -> JSONResponse:
    body = {"error": {"code": code, "message": message, "request_id": request.state.request_id}}
    body["error"].update(details)
    return JSONResponse(body, status_code=status)


bearer = HTTPBearer(auto_error=False, description="an API key from `python -m search_api.keys`")


async def require_key(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> str:
    """The name of the presented API key; 401 without a valid one."""
    digests = load_digests(request.app.state.config.keys_file)
    name = key_name(digests, credentials.credentials) if credentials else None
    if name is None:
        raise ApiError(401, "unauthorized", "a valid API key is required (Bearer token)")
    return name


async def search_service(request: Request) -> SearchService:
    return request.app.state.service


# FastAPI resolves these annotations at import time: module level, no string annotations.
Key = Annotated[str, Depends(require_key)]
Service = Annotated[SearchService, Depends(search_service)]


def create_app(config: ApiConfig | None = None) -> FastAPI:
    """The application; `config` defaults to the environment (ApiConfig.from_env)."""
    settings = config or ApiConfig.from_env()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        reader = MeiliReader(
            settings.meili_url,
            settings.meili_search_key,
            settings.index_uid,
            settings.meili_timeout_s,
        )
        if await reader.health() and await reader.can_manage_keys():
            await reader.close()
            raise RuntimeError(
                "MEILI_SEARCH_KEY can manage keys: give the search API the search-only key, "
                "never the master or an admin key"
            )
        app.state.reader = reader
        app.state.service = SearchService(reader, settings)
        yield
        await reader.close()

    app = FastAPI(
        title="Rediscovery search API",
        version="1.0",
        description=__doc__,
        lifespan=lifespan,
        openapi_tags=[
            {"name": "search", "description": "Boolean and keyword search with filters"},
            {"name": "candidates", "description": "One candidate: ATS data beside the profile"},
            {"name": "insights", "description": "Distributions over a whole result set"},
            {"name": "health", "description": "Liveness and index freshness"},
        ],
    )
    app.state.config = settings
    _install_middleware(app)
    _install_error_handlers(app)

    @app.post("/search", tags=["search"], response_model=SearchResponse)
    async def search(body: SearchRequest, _: Key, svc: Service) -> SearchResponse:
        """Search candidates with keywords or a Boolean string, filters, sort and paging.

        The response's `plan` is what ran in Meilisearch; `warnings` say what was changed
        (never silently: a query that cannot run exactly is refused with 400)."""
        return await svc.search(body)

    @app.get("/candidates/{candidate_id}", tags=["candidates"], response_model=CandidateProfile)
    async def candidate(candidate_id: str, _: Key, svc: Service) -> CandidateProfile:
        """The candidate's ATS data (applications, phones, attachments, View-in-JobDiva link)
        beside the linked profile and the evidence of the link."""
        if not candidate_id.isdigit() or len(candidate_id) > 20:
            raise ApiError(404, "not_found", "no such candidate")
        document = await svc.reader.document(candidate_id)
        if document is None:
            raise ApiError(404, "not_found", "no such candidate")
        return candidate_profile(document, settings)

    @app.post("/insights", tags=["insights"])
    async def insights(body: InsightsRequest, _: Key, svc: Service) -> dict[str, Any]:
        """Distributions of every insight dimension over the whole result set of the search."""
        result = await svc.insights(body)
        return result.model_dump()

    @app.post(
        "/insights/export.xlsx",
        tags=["insights"],
        response_class=StreamingResponse,
        responses={200: {"content": {XLSX_MEDIA_TYPE: {}}, "description": "the workbook"}},
    )
    async def export(body: InsightsRequest, _: Key, svc: Service) -> StreamingResponse:
        """The insights as an Excel workbook: a summary sheet, then a sheet and a native bar
        chart per non-empty dimension."""
        result = await svc.insights(body)
        workbook = build_workbook(
            result,
            query=body.q,
            filters=body.filters.model_dump(exclude_none=True, mode="json")
            if body.filters
            else None,
            generated_at=datetime.now(UTC),
        )
        return StreamingResponse(
            stream_workbook(workbook),
            media_type=XLSX_MEDIA_TYPE,
            headers={"Content-Disposition": 'attachment; filename="insights.xlsx"'},
        )

    @app.get("/healthz", tags=["health"], response_model=HealthResponse)
    async def healthz(request: Request) -> HealthResponse:
        """Meilisearch reachability and the index's freshness (newest candidate update and
        newest enrichment day it holds). No key needed; no candidate data returned."""
        svc: SearchService = request.app.state.service
        return await svc.health()

    if STATIC_DIR.is_dir():
        # The recruiter page: static files shipped with the package (no CDN, no build step).
        app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")

        @app.get("/", include_in_schema=False)
        async def page() -> FileResponse:
            return FileResponse(STATIC_DIR / "index.html")

    return app


class RequestIdAndAccessLog:
    """Pure ASGI middleware (cheaper than `@app.middleware("http")`): a request id on every
    response (`X-Request-ID`, taken from the request when sane) and one access-log line with
    method, route template, status, duration and request id — no query text, no ids, no key."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        given = Headers(scope=scope).get("x-request-id", "")
        request_id = given if 0 < len(given) <= 64 and given.isprintable() else uuid.uuid4().hex
        scope.setdefault("state", {})["request_id"] = request_id
        started = time.perf_counter()
        status = 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                MutableHeaders(scope=message)["X-Request-ID"] = request_id
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            route = scope.get("route")
            access_log.info(
                "%s %s %s %.1fms rid=%s",
                scope["method"],
                getattr(route, "path", "-"),  # the template, never the candidate id
                status,
                (time.perf_counter() - started) * 1000,
                request_id,
            )


def _install_middleware(app: FastAPI) -> None:
    app.add_middleware(RequestIdAndAccessLog)


def _query_details(error: QueryError) -> dict[str, Any]:
    """Where the query went wrong: position (0-based), what was expected and found."""
    return {key: error.to_dict()[key] for key in ("position", "expected", "found")}


def _install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def api_error(request: Request, error: ApiError) -> JSONResponse:
        response = _error(request, error.status, error.code, error.message, **error.details)
        if error.status == 401:
            response.headers["WWW-Authenticate"] = "Bearer"
        return response

    @app.exception_handler(QuerySyntaxError)
    async def syntax_error(request: Request, error: QuerySyntaxError) -> JSONResponse:
        return _error(request, 400, "query_syntax", str(error), **_query_details(error))

    @app.exception_handler(QueryLimitError)
    async def limit_error(request: Request, error: QueryLimitError) -> JSONResponse:
        return _error(request, 400, "query_limit", str(error), **_query_details(error))

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, error: RequestValidationError) -> JSONResponse:
        problems = [
            {"location": list(item.get("loc", ())), "message": item.get("msg", "")}
            for item in error.errors()
        ]
        return _error(
            request, 422, "invalid_request", "the request is not valid", problems=problems
        )

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, error: HTTPException) -> JSONResponse:
        return _error(request, error.status_code, "http_error", str(error.detail))

    @app.exception_handler(MeiliError)
    async def meili_error(request: Request, error: MeiliError) -> JSONResponse:
        if error.status == 400 and error.code and error.code.startswith("invalid_search"):
            return _error(request, 400, error.code, error.meili_message or "invalid search")
        logging.getLogger("search_api").error("Meilisearch error %s", error.code)
        return _error(request, 502, "search_backend", "the search backend failed")

    @app.exception_handler(Exception)
    async def unexpected(request: Request, error: Exception) -> JSONResponse:
        logging.getLogger("search_api").exception("unexpected error")
        return _error(request, 500, "internal", "internal error")
