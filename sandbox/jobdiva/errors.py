"""Error bodies in the shapes JobDiva's Spring server produces (reference §2.5, §3.5)."""

from __future__ import annotations

from datetime import UTC, datetime

from starlette.responses import JSONResponse, PlainTextResponse

UNAUTHORIZED_MESSAGE = "Full authentication is required to access this resource"
INVALID_CREDENTIALS_MESSAGE = "Invalid username/password"
MALFORMED_JSON_MESSAGE = "Malformed JSON request"
REQUEST_LIMIT_MESSAGE = "Request Limit Exceeded"

_REASONS = {
    400: "Bad Request",
    401: "Unauthorized",
    404: "Not Found",
    405: "Method Not Allowed",
    500: "Internal Server Error",
}


def _spring_timestamp() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


def spring_error(status: int, message: str, path: str) -> JSONResponse:
    """Spring Boot's default error JSON (used for 401 and for write/auth 500s)."""
    body = {
        "timestamp": _spring_timestamp(),
        "status": status,
        "error": _REASONS.get(status, "Error"),
        "message": message,
        "path": path,
    }
    return JSONResponse(body, status_code=status)


def unauthorized(path: str) -> JSONResponse:
    """Missing, expired or unknown token, and unknown paths (reference §2.5, §9.1)."""
    return spring_error(401, UNAUTHORIZED_MESSAGE, path)


def api_error(message: str, debug_message: str | None = None) -> JSONResponse:
    """The `apierror` wrapper of JobDiva's RestExceptionHandler, always HTTP 400 here."""
    body = {
        "apierror": {
            "status": "BAD_REQUEST",
            # ApiError formats with dd-MM-yyyy hh:mm:ss (12-hour clock, no AM/PM).
            "timestamp": datetime.now().strftime("%d-%m-%Y %I:%M:%S"),
            "message": message,
            "debugMessage": debug_message,
        }
    }
    return JSONResponse(body, status_code=400)


def missing_parameter(name: str, java_type: str) -> JSONResponse:
    return api_error(
        f"{name} parameter is missing",
        f"Required request parameter '{name}' for method parameter type {java_type} is not present",
    )


def unconvertible_parameter(name: str, raw: str, java_type: str) -> JSONResponse:
    return api_error(
        f"The parameter '{name}' of value '{raw}' could not be converted to type '{java_type}'",
        f"Failed to convert value of type 'java.lang.String' to required type '{java_type}'; "
        f'For input string: "{raw}"',
    )


def malformed_json() -> JSONResponse:
    return api_error(MALFORMED_JSON_MESSAGE, "JSON parse error: Unexpected character")


def request_limit_exceeded() -> PlainTextResponse:
    """Live throttling answer (reference §3.5, §8): 429 with a plain-text body."""
    return PlainTextResponse(REQUEST_LIMIT_MESSAGE, status_code=429)
