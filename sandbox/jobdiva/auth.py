"""Authentication endpoints and token checks (reference §2).

Tokens look like JobDiva's: HS512 JWTs of ~1.1 KB. The server keeps every issued token with its
expiry, so several tokens per user stay valid at once (§2.3) and an unknown one is refused.
Credentials and tokens are never logged.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import random
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass

from fastapi import APIRouter, Request
from starlette.responses import JSONResponse, PlainTextResponse, Response

from sandbox.jobdiva import errors
from sandbox.jobdiva.config import SimulatorConfig, TokenQuoting

# Current tokens are ~1.1-1.2 KB (reference §2.3); pad the claims to land there.
TARGET_TOKEN_LENGTH = 1130
_JWT_HEADER = base64.urlsafe_b64encode(b'{"alg":"HS512"}').rstrip(b"=").decode()


@dataclass(frozen=True)
class IssuedToken:
    username: str
    kind: str  # "access" or "refresh"
    expires_at: float


@dataclass(frozen=True)
class TokenPair:
    token: str
    refresh_token: str

    def as_json(self) -> dict[str, str]:
        return {"token": self.token, "refreshtoken": self.refresh_token}


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


class TokenStore:
    def __init__(
        self,
        ttl_s: float,
        refresh_ttl_s: float,
        seed: int,
        quoting: TokenQuoting,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._ttl_s = ttl_s
        self._refresh_ttl_s = refresh_ttl_s
        self._quoting = quoting
        self._quote_rng = random.Random(f"token-quoting:{seed}")
        self._clock = clock
        self._secret = secrets.token_bytes(64)
        self._issued: dict[str, IssuedToken] = {}

    def issue_pair(self, username: str, client_id: int) -> TokenPair:
        return TokenPair(
            token=self._issue(username, client_id, "access", self._ttl_s),
            refresh_token=self._issue(username, client_id, "refresh", self._refresh_ttl_s),
        )

    def issue_access(self, username: str, client_id: int) -> str:
        return self._issue(username, client_id, "access", self._ttl_s)

    def _issue(self, username: str, client_id: int, kind: str, ttl_s: float) -> str:
        issued_at = self._clock()
        claims = {
            "sub": username,
            "clientid": str(client_id),
            "typ": kind,
            "iat": int(issued_at),
            "exp": int(issued_at + ttl_s),
            "jti": secrets.token_hex(16),
        }
        claims["ctx"] = secrets.token_hex(_padding_chars(claims) // 2)
        payload = _b64url(json.dumps(claims, separators=(",", ":")).encode())
        signing_input = f"{_JWT_HEADER}.{payload}"
        signature = hmac.new(self._secret, signing_input.encode(), hashlib.sha512).digest()
        token = f"{signing_input}.{_b64url(signature)}"
        self._issued[token] = IssuedToken(username, kind, issued_at + ttl_s)
        return token

    def user_for(self, token: str, *, allow_refresh: bool = False) -> str | None:
        """The token's user when it is known, unexpired and of an accepted kind."""
        issued = self._issued.get(token)
        if issued is None or issued.expires_at <= self._clock():
            return None
        if issued.kind == "refresh" and not allow_refresh:
            return None
        return issued.username

    def quote_next(self) -> bool:
        """Whether the next bare-token body is wrapped in double quotes (§2.2)."""
        if self._quoting == "always":
            return True
        if self._quoting == "never":
            return False
        return self._quote_rng.random() < 0.5


def _padding_chars(claims: dict[str, object]) -> int:
    """Characters of filler claim that bring the whole token to about TARGET_TOKEN_LENGTH."""
    json_length = len(json.dumps(claims, separators=(",", ":"))) + len(',"ctx":""')
    signature_length = 86  # base64url of a 64-byte HS512 signature
    payload_budget = TARGET_TOKEN_LENGTH - len(_JWT_HEADER) - signature_length - 2
    return max(16, payload_budget * 3 // 4 - json_length)


def bearer_token(request: Request) -> str | None:
    """The token from `Authorization`, with or without the `Bearer ` prefix (§2.4)."""
    header = request.headers.get("authorization")
    if not header:
        return None
    header = header.strip()
    if header[:7].lower() == "bearer ":
        header = header[7:].strip()
    return header or None


class Authenticator:
    def __init__(self, config: SimulatorConfig, tokens: TokenStore) -> None:
        self._client_id = config.resolved_client_id()
        self._username = config.resolved_username()
        self._password = config.resolved_password()
        self.tokens = tokens

    def credentials_valid(self, client_id: int | None, username: str, password: str) -> bool:
        return (
            client_id == self._client_id
            and username.strip().lower() == self._username.lower()
            and hmac.compare_digest(password.encode(), self._password.encode())
        )

    def user_for_request(self, request: Request) -> str | None:
        token = bearer_token(request)
        return self.tokens.user_for(token) if token else None

    @property
    def client_id(self) -> int:
        return self._client_id


def _query_credentials(request: Request) -> tuple[int, str, str] | Response:
    """clientid/username/password from the query string, or the Spring 400 for a bad one."""
    params = request.query_params
    for name, java_type in (("clientid", "Long"), ("username", "String"), ("password", "String")):
        if params.get(name) is None:
            return errors.missing_parameter(name, java_type)
    raw_client_id = params["clientid"]
    try:
        client_id = int(raw_client_id.strip())
    except ValueError:
        return errors.unconvertible_parameter("clientid", raw_client_id, "Long")
    return client_id, params["username"], params["password"]


def auth_router(auth: Authenticator) -> APIRouter:
    router = APIRouter()

    def login(request: Request, client_id: int | None, username: str, password: str):
        if not auth.credentials_valid(client_id, username, password):
            # Bad credentials are a 500, not a 401 (§2.5, §9.1).
            return errors.spring_error(500, errors.INVALID_CREDENTIALS_MESSAGE, request.url.path)
        return auth.tokens.issue_pair(username.strip(), auth.client_id)

    async def bare_token(request: Request) -> Response:
        credentials = _query_credentials(request)
        if isinstance(credentials, Response):
            return credentials
        if not auth.credentials_valid(*credentials):
            return errors.spring_error(500, errors.INVALID_CREDENTIALS_MESSAGE, request.url.path)
        token = auth.tokens.issue_access(credentials[1].strip(), auth.client_id)
        if auth.tokens.quote_next():
            return Response(f'"{token}"', media_type="application/json")
        return PlainTextResponse(token)

    router.add_api_route("/apiv2/authenticate", bare_token, methods=["GET"])
    router.add_api_route("/api/authenticate", bare_token, methods=["GET"])

    @router.get("/apiv2/v2/authenticate")
    async def token_pair(request: Request) -> Response:
        credentials = _query_credentials(request)
        if isinstance(credentials, Response):
            return credentials
        result = login(request, *credentials)
        return result if isinstance(result, Response) else JSONResponse(result.as_json())

    @router.post("/apiv2/v2/login")
    async def json_login(request: Request) -> Response:
        try:
            body = json.loads(await request.body() or b"null")
        except ValueError:
            return errors.malformed_json()
        if not isinstance(body, dict):
            return errors.malformed_json()
        client_id = _as_int(body.get("clientId"))
        result = login(
            request, client_id, str(body.get("userName") or ""), str(body.get("password") or "")
        )
        return result if isinstance(result, Response) else JSONResponse(result.as_json())

    @router.get("/apiv2/v2/refreshToken")
    async def refresh(request: Request) -> Response:
        token = bearer_token(request)
        username = auth.tokens.user_for(token, allow_refresh=True) if token else None
        if username is None:
            return errors.unauthorized(request.url.path)
        return JSONResponse(auth.tokens.issue_pair(username, auth.client_id).as_json())

    return router


def _as_int(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    try:
        return int(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
