"""A typed JobDiva REST client over httpx (no Dagster): auth, retries, rate limit, quirks.

The behaviours follow `shared/reference/jobdiva-api.md`: tokens from `/apiv2/v2/authenticate`
(§2), the `{message, data}` BI envelope whose `data` may be a list, a bare object or null (§3.1),
`MM/dd/yyyy HH:mm:ss` request dates in naive US-Eastern time (§3.2), windows of at most 14
calendar days (§3.3), at most 100 ids per call (§3.4), errors shaped as HTTP 200 (§3.5) and 429
`Request Limit Exceeded` (§8).
"""

from __future__ import annotations

import json
import logging
import re
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx
from tenacity import (
    RetryCallState,
    Retrying,
    retry_if_exception_type,
    stop_after_attempt,
    wait_exponential_jitter,
)

EASTERN = ZoneInfo("America/New_York")
UTC = ZoneInfo("UTC")
REQUEST_DATE_FORMAT = "%m/%d/%Y %H:%M:%S"
MAX_WINDOW_DAYS = 14
MAX_IDS_PER_CALL = 100
NULL_STRINGS = frozenset({"", "Null", "NULL", "null"})

log = logging.getLogger(__name__)
BiRow = dict[str, str]


# --------------------------------------------------------------------------- errors


class JobDivaError(RuntimeError):
    """Base class. Messages never contain credentials or tokens."""


class JobDivaAuthError(JobDivaError):
    """The credentials (client id, username, password or the API permission) were refused."""


class JobDivaApiError(JobDivaError):
    """JobDiva answered with a logical error (often inside an HTTP 200 envelope)."""


class JobDivaUnavailableError(JobDivaError):
    """Retries exhausted on throttling, server errors, timeouts or broken responses."""


class _TransientError(JobDivaError):
    def __init__(self, message: str, retry_after_s: float | None = None) -> None:
        super().__init__(message)
        self.retry_after_s = retry_after_s


# --------------------------------------------------------------------------- value helpers


def to_request_date(moment: datetime) -> str:
    """A naive Eastern wall-clock datetime as JobDiva wants it in `fromDate`/`toDate`."""
    return moment.strftime(REQUEST_DATE_FORMAT)


def parse_value(value: str | None) -> str | None:
    """`""` and the literal `"Null"` both mean SQL NULL (§3.1)."""
    if value is None:
        return None
    stripped = value.strip()
    return None if stripped in NULL_STRINGS else value


_TIMESTAMP = re.compile(r"^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2})(?:\.\d+)?$")
_US_DATE = re.compile(r"^(\d{2})/(\d{2})/(\d{4})(?: (\d{2}:\d{2}:\d{2}))?$")


def parse_eastern_timestamp(value: str | None) -> datetime | None:
    """A JobDiva timestamp (naive US-Eastern) as an aware UTC datetime; None when empty.

    Handles `yyyy-MM-ddTHH:mm:ss`, its `.0` variant and `MM/dd/yyyy[ HH:mm:ss]` (§3.2).
    """
    value = parse_value(value)
    if value is None:
        return None
    value = value.strip()
    if match := _TIMESTAMP.match(value):
        naive = datetime.fromisoformat(f"{match[1]}T{match[2]}")
    elif match := _US_DATE.match(value):
        naive = datetime(
            int(match[3]),
            int(match[1]),
            int(match[2]),
            *(int(p) for p in (match[4] or "00:00:00").split(":")),
        )
    else:
        raise ValueError(f"not a JobDiva timestamp: {value!r}")
    return naive.replace(tzinfo=EASTERN).astimezone(UTC)


def split_window(start: datetime, end: datetime, max_days: int = MAX_WINDOW_DAYS) -> list[tuple]:
    """Split [start, end] into inclusive windows whose calendar dates differ by < max_days.

    JobDiva measures the 14-day limit on calendar dates, ignoring the time of day (§3.3); bounds
    are inclusive (`BETWEEN`), so consecutive windows meet one second apart.
    """
    if end < start:
        raise ValueError(f"window end {end} is before start {start}")
    windows = []
    cursor = start
    while cursor <= end:
        last_day = cursor.date() + timedelta(days=max_days - 1)
        window_end = min(
            end, datetime.combine(last_day, datetime.max.time()).replace(microsecond=0)
        )
        windows.append((cursor, window_end))
        cursor = window_end + timedelta(seconds=1)
    return windows


def batched(ids: Iterable[str], size: int = MAX_IDS_PER_CALL) -> Iterator[list[str]]:
    batch: list[str] = []
    for item in ids:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def unique(values: Iterable[str | None]) -> list[str]:
    """Distinct non-empty values in first-seen order (deterministic request order)."""
    seen: dict[str, None] = {}
    for value in values:
        if (value := parse_value(value)) is not None:
            seen.setdefault(value.strip(), None)
    return list(seen)


# --------------------------------------------------------------------------- rate limit


class RateLimiter:
    """A token bucket shared by every call of one client (JobDiva throttles per tenant, §8)."""

    def __init__(self, per_minute: float, burst: int, clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep) -> None:  # fmt: skip
        self.rate_per_s = per_minute / 60.0
        self.capacity = max(1, burst)
        self._tokens = float(self.capacity)
        self._clock = clock
        self._sleep = sleep
        self._last = clock()
        self._lock = threading.Lock()

    def acquire(self) -> None:
        if self.rate_per_s <= 0:
            return
        with self._lock:
            now = self._clock()
            self._tokens = min(self.capacity, self._tokens + (now - self._last) * self.rate_per_s)
            self._last = now
            if self._tokens < 1:
                wait = (1 - self._tokens) / self.rate_per_s
                self._sleep(wait)
                self._tokens = 1.0
                self._last = self._clock()
            self._tokens -= 1


# --------------------------------------------------------------------------- the client


class _RedactCredentials(logging.Filter):
    """httpx logs request URLs at INFO; the auth URL carries the password in its query."""

    _secret_params = re.compile(r"(password|username|clientid)=[^&\s\"']*", re.IGNORECASE)

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = self._secret_params.sub(r"\1=***", str(record.msg))
        if record.args:
            record.args = tuple(
                self._secret_params.sub(r"\1=***", str(a)) if isinstance(a, str | httpx.URL) else a
                for a in (record.args if isinstance(record.args, tuple) else (record.args,))
            )
        return True


logging.getLogger("httpx").addFilter(_RedactCredentials())


@dataclass(frozen=True)
class JobDivaCredentials:
    client_id: str
    username: str
    password: str = field(repr=False)

    def __repr__(self) -> str:  # never show a secret, even in a traceback's locals
        return "JobDivaCredentials(client_id=***, username=***, password=***)"


@dataclass
class ClientStats:
    requests: int = 0
    retries: int = 0
    reauthentications: int = 0
    by_endpoint: dict[str, int] = field(default_factory=dict)


@dataclass
class JobDivaClient:
    """Synchronous JobDiva client. Calls are serial: JobDiva's BI queries are slow and throttled."""

    base_url: str
    credentials: JobDivaCredentials
    timeout_s: float = 180.0
    max_attempts: int = 8
    backoff_initial_s: float = 1.0
    backoff_max_s: float = 60.0
    requests_per_minute: float = 12.0
    burst: int = 36
    token_ttl_s: float = 23 * 3600.0  # JobDiva tokens live 24 h (§2.3); renew before that
    transport: httpx.BaseTransport | None = None
    sleep: Callable[[float], None] = time.sleep
    stats: ClientStats = field(default_factory=ClientStats)

    def __post_init__(self) -> None:
        self._http = httpx.Client(
            base_url=self.base_url.rstrip("/"),
            timeout=httpx.Timeout(self.timeout_s, connect=min(30.0, self.timeout_s)),
            headers={"Accept": "application/json"},
            transport=self.transport,
        )
        self._limiter = RateLimiter(self.requests_per_minute, self.burst, sleep=self.sleep)
        self._token: str | None = None
        self._token_expires_at = 0.0

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> JobDivaClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------ auth

    def authenticate(self) -> str:
        """Get a fresh token (`GET /apiv2/v2/authenticate`). Raises JobDivaAuthError if refused."""

        def attempt() -> str:
            response = self._send(
                "GET",
                "/apiv2/v2/authenticate",
                params={
                    "clientid": self.credentials.client_id,
                    "username": self.credentials.username,
                    "password": self.credentials.password,
                },
                what="authentication",
            )
            if response.status_code == 200:
                token = _token_from(response)
                if token:
                    return token
                raise _TransientError("authentication answered without a token")
            message = _message_of(response)
            if response.status_code == 500 and re.search(
                r"invalid username/password|INVALID_CREDENTIALS|USER_DISABLED", message, re.I
            ):
                raise JobDivaAuthError(
                    "JobDiva refused the credentials: check JOBDIVA_CLIENT_ID (the numeric id "
                    "from JobDiva Support), JOBDIVA_USERNAME and JOBDIVA_PASSWORD, and that the "
                    "user is active and has 'Only allow access to JobDiva API Calls'."
                )
            self._raise_for_status(response, "authentication")
            raise JobDivaApiError(f"authentication failed with HTTP {response.status_code}")

        token = self._with_retries(attempt)
        self._token = token
        self._token_expires_at = time.monotonic() + self.token_ttl_s
        return token

    def _auth_header(self) -> dict[str, str]:
        if self._token is None or time.monotonic() >= self._token_expires_at:
            self.authenticate()
        return {"Authorization": f"Bearer {self._token}"}

    # ------------------------------------------------------------------ reads

    def bi(self, name: str, params: dict[str, Any] | Sequence[tuple[str, Any]]) -> list[BiRow]:
        """One BI read; returns the rows (each value a string, as JobDiva sends it)."""
        path = f"/apiv2/bi/{name}"

        def attempt() -> list[BiRow]:
            response = self._authorized("GET", path, params=params, what=name)
            self._raise_for_status(response, name)
            try:
                body = response.json()
            except ValueError as exc:  # a truncated or non-JSON body: worth another try
                raise _TransientError(f"{name}: response is not valid JSON ({exc})") from None
            return _rows_of(body, name)

        return self._with_retries(attempt)

    def feed(self, name: str, start: datetime, end: datetime, **extra: Any) -> list[BiRow]:
        """A change feed over [start, end] (naive Eastern), split into windows of ≤14 days."""
        rows: list[BiRow] = []
        for window_start, window_end in split_window(start, end):
            rows.extend(
                self.bi(
                    name,
                    {
                        "fromDate": to_request_date(window_start),
                        "toDate": to_request_date(window_end),
                        **extra,
                    },
                )
            )
        return rows

    def detail(self, name: str, id_param: str, ids: Iterable[str], **extra: Any) -> list[BiRow]:
        """A plural detail read, ids sent as repeated query keys in batches of ≤100 (§3.4)."""
        rows: list[BiRow] = []
        for batch in batched(unique(ids)):
            params = [(id_param, i) for i in batch] + list(extra.items())
            rows.extend(self.bi(name, params))
        return rows

    # ------------------------------------------------------------------ writes

    def post(self, name: str, body: dict[str, Any]) -> str:
        """A write under `/apiv2/jobdiva/<name>`; returns the plain body (an id or `true`).

        Writes are not retried on ambiguous failures (a timeout may have created the record).
        """
        response = self._authorized(
            "POST", f"/apiv2/jobdiva/{name}", json=body, what=name, retry_transport=False
        )
        if response.status_code >= 400:
            raise JobDivaApiError(
                f"{name} failed (HTTP {response.status_code}): {_message_of(response)}"
            )
        return response.text.strip().strip('"')

    # ------------------------------------------------------------------ plumbing

    def _authorized(self, method: str, path: str, *, what: str, retry_transport: bool = True,
                    **kwargs: Any) -> httpx.Response:  # fmt: skip
        """Send with the token; on 401 re-authenticate once and retry (§2.5)."""
        response = self._send(method, path, headers=self._auth_header(), what=what, **kwargs)
        if response.status_code == 401:
            self.stats.reauthentications += 1
            self.authenticate()
            response = self._send(method, path, headers=self._auth_header(), what=what, **kwargs)
            if response.status_code == 401:
                raise JobDivaAuthError(
                    f"{what}: JobDiva answered 401 twice with a fresh token; the path may not "
                    "exist or the API user lacks permission for it"
                )
        return response

    def _send(self, method: str, path: str, *, what: str, **kwargs: Any) -> httpx.Response:
        self._limiter.acquire()
        self.stats.requests += 1
        self.stats.by_endpoint[what] = self.stats.by_endpoint.get(what, 0) + 1
        try:
            return self._http.request(method, path, **kwargs)
        except (httpx.TimeoutException, httpx.TransportError) as exc:
            # Never chain the httpx error: its request URL may hold credentials.
            raise _TransientError(f"{what}: {type(exc).__name__} talking to JobDiva") from None

    def _raise_for_status(self, response: httpx.Response, what: str) -> None:
        status = response.status_code
        if status == 200:
            return
        if status == 429 or status >= 500:
            raise _TransientError(
                f"{what}: HTTP {status} {_message_of(response)[:200]}",
                retry_after_s=_retry_after(response),
            )
        raise JobDivaApiError(f"{what}: HTTP {status} {_message_of(response)[:300]}")

    def _with_retries(self, attempt: Callable[[], Any]) -> Any:
        backoff = wait_exponential_jitter(initial=self.backoff_initial_s, max=self.backoff_max_s)

        def wait(state: RetryCallState) -> float:
            error = state.outcome.exception() if state.outcome else None
            if isinstance(error, _TransientError) and error.retry_after_s is not None:
                return min(error.retry_after_s, self.backoff_max_s * 5)
            return backoff(state)

        def count_retry(state: RetryCallState) -> None:
            self.stats.retries += 1
            error = state.outcome.exception() if state.outcome else None
            log.warning("JobDiva call failed (%s); retry %d", error, state.attempt_number)

        retrying = Retrying(
            retry=retry_if_exception_type(_TransientError),
            stop=stop_after_attempt(self.max_attempts),
            wait=wait,
            sleep=self.sleep,
            before_sleep=count_retry,
            reraise=True,
        )
        try:
            return retrying(attempt)
        except _TransientError as exc:
            raise JobDivaUnavailableError(
                f"gave up after {self.max_attempts} attempts: {exc}"
            ) from None


# --------------------------------------------------------------------------- response parsing

_THROTTLED_200 = re.compile(r"too many API requests|try again in", re.IGNORECASE)


def _rows_of(body: Any, name: str) -> list[BiRow]:
    """Rows of a BI envelope; raises on errors shaped as 200 (§3.5)."""
    if not isinstance(body, dict):
        raise _TransientError(f"{name}: unexpected response shape {type(body).__name__}")
    message = str(body.get("message") or "")
    if message.startswith("Error") or message.startswith("Date range more than"):
        if _THROTTLED_200.search(message):
            raise _TransientError(f"{name}: JobDiva throttled the call: {message}")
        raise JobDivaApiError(f"{name}: JobDiva answered HTTP 200 with an error: {message}")
    if "data" not in body:
        raise JobDivaApiError(f"{name}: response has no `data` (message: {message!r})")
    data = body["data"]
    if data is None:
        return []
    if isinstance(data, dict):  # a single row may come back as a bare object (§3.1)
        return [data]
    if isinstance(data, list):
        return [row for row in data if isinstance(row, dict)]
    raise _TransientError(f"{name}: `data` is a {type(data).__name__}")


def _token_from(response: httpx.Response) -> str | None:
    text = response.text.strip()
    if text.startswith("{"):
        try:
            return json.loads(text).get("token")
        except ValueError:
            return None
    return text.strip('"') or None


def _message_of(response: httpx.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return response.text.strip()[:300]
    if isinstance(body, dict):
        if isinstance(body.get("apierror"), dict):
            return str(body["apierror"].get("message", ""))
        return str(body.get("message") or body.get("error") or "")
    return str(body)[:300]


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("Retry-After")
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        return None


def eastern_day_window(day: date) -> tuple[datetime, datetime]:
    """The inclusive change window of one Eastern calendar day (avoids the midnight `toDate`)."""
    start = datetime.combine(day, datetime.min.time())
    return start, start + timedelta(days=1) - timedelta(seconds=1)
