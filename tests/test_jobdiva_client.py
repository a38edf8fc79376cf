"""JobDiva client contract: windows, ids, value parsing, retries, re-auth, 200-shaped errors."""

from __future__ import annotations

import itertools
import json
import logging
from datetime import UTC, datetime

import httpx
import pytest

from extraction.jobdiva_client import (
    JobDivaApiError,
    JobDivaAuthError,
    JobDivaClient,
    JobDivaCredentials,
    JobDivaUnavailableError,
    RateLimiter,
    batched,
    parse_eastern_timestamp,
    parse_value,
    split_window,
    unique,
)

SECRET = "s3cret-Pa55word"
CREDS = JobDivaCredentials("1000", "api@example.test", SECRET)


def make_client(handler, **kwargs) -> JobDivaClient:
    sleeps: list[float] = []
    client = JobDivaClient(
        base_url="http://jobdiva.test",
        credentials=CREDS,
        transport=httpx.MockTransport(handler),
        requests_per_minute=0,
        sleep=sleeps.append,
        **kwargs,
    )
    client.sleeps = sleeps  # type: ignore[attr-defined]
    return client


def auth_ok(request: httpx.Request) -> httpx.Response | None:
    if request.url.path == "/apiv2/v2/authenticate":
        return httpx.Response(200, json={"token": "tok-1", "refreshtoken": "r"})
    return None


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        ("2026-01-01T00:00:00", "2026-01-01T23:59:59", 1),
        ("2026-01-01T00:00:00", "2026-01-14T23:59:59", 1),
        ("2026-01-01T00:00:00", "2026-01-15T00:00:00", 2),
        ("2026-01-01T12:00:00", "2026-01-21T08:00:00", 2),
        ("2026-01-01T00:00:00", "2026-03-01T00:00:00", 5),
    ],
)
def test_split_window_respects_14_calendar_days(start: str, end: str, expected: int) -> None:
    windows = split_window(datetime.fromisoformat(start), datetime.fromisoformat(end))
    assert len(windows) == expected
    assert windows[0][0] == datetime.fromisoformat(start)
    assert windows[-1][1] == datetime.fromisoformat(end)
    for window_start, window_end in windows:
        assert (window_end.date() - window_start.date()).days <= 13
        assert window_end.time() != datetime.min.time() or window_end == windows[-1][1]
    for (_, prev_end), (next_start, _) in itertools.pairwise(windows):
        assert (next_start - prev_end).total_seconds() == 1


def test_a_20_day_window_is_split_into_two_requests() -> None:
    seen: list[tuple[str, str]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        if response := auth_ok(request):
            return response
        seen.append((request.url.params["fromDate"], request.url.params["toDate"]))
        return httpx.Response(200, json={"message": "", "data": [{"CANDIDATEID": str(len(seen))}]})

    client = make_client(handler)
    rows = client.feed(
        "NewUpdatedCandidateRecords", datetime(2026, 1, 1), datetime(2026, 1, 20, 23, 59, 59)
    )
    assert seen == [
        ("01/01/2026 00:00:00", "01/14/2026 23:59:59"),
        ("01/15/2026 00:00:00", "01/20/2026 23:59:59"),
    ]
    assert [r["CANDIDATEID"] for r in rows] == ["1", "2"]


def test_ids_are_batched_by_100_and_deduplicated() -> None:
    ids = [str(i) for i in range(250)] + ["5", "", "Null"]
    batches = list(batched(unique(ids)))
    assert [len(b) for b in batches] == [100, 100, 50]
    assert [i for batch in batches for i in batch] == [str(i) for i in range(250)]


def test_detail_sends_repeated_keys() -> None:
    calls: list[list[str]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        if response := auth_ok(request):
            return response
        calls.append(request.url.params.get_list("candidateIds"))
        return httpx.Response(200, json={"message": "", "data": []})

    make_client(handler).detail("CandidatesDetail", "candidateIds", [str(i) for i in range(150)])
    assert [len(c) for c in calls] == [100, 50]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2026-05-06T11:45:55", datetime(2026, 5, 6, 15, 45, 55, tzinfo=UTC)),  # EDT = UTC-4
        ("2026-01-06T11:45:55", datetime(2026, 1, 6, 16, 45, 55, tzinfo=UTC)),  # EST = UTC-5
        ("2026-01-06T11:45:55.0", datetime(2026, 1, 6, 16, 45, 55, tzinfo=UTC)),
        ("01/06/2026", datetime(2026, 1, 6, 5, 0, 0, tzinfo=UTC)),
        ("", None),
        ("Null", None),
    ],
)
def test_eastern_timestamps_become_utc(raw: str, expected: datetime | None) -> None:
    assert parse_eastern_timestamp(raw) == expected


def test_null_strings() -> None:
    assert parse_value("") is None and parse_value("Null") is None and parse_value(" x ") == " x "
    with pytest.raises(ValueError, match="not a JobDiva timestamp"):
        parse_eastern_timestamp("yesterday")


def test_single_row_object_and_null_data() -> None:
    bodies = iter([{"message": "", "data": {"ID": "7"}}, {"message": "", "data": None}])

    def handler(request: httpx.Request) -> httpx.Response:
        return auth_ok(request) or httpx.Response(200, json=next(bodies))

    client = make_client(handler)
    assert client.bi("CandidatesDetail", {}) == [{"ID": "7"}]
    assert client.bi("CandidatesDetail", {}) == []


def test_retries_429_5xx_resets_and_truncated_bodies_then_succeeds() -> None:
    script = iter(
        [
            httpx.Response(429, text="Request Limit Exceeded", headers={"Retry-After": "7"}),
            httpx.Response(503, text="Service Unavailable"),
            "reset",
            httpx.Response(200, text='{"message": "", "data": [{"ID"'),
            httpx.Response(200, json={"message": "ok", "data": [{"ID": "1"}]}),
        ]
    )

    def handler(request: httpx.Request) -> httpx.Response:
        if response := auth_ok(request):
            return response
        step = next(script)
        if step == "reset":
            raise httpx.RemoteProtocolError("Server disconnected without sending a response.")
        return step

    client = make_client(handler, backoff_initial_s=0.5, backoff_max_s=2)
    assert client.bi("CandidatesDetail", {}) == [{"ID": "1"}]
    assert client.stats.retries == 4
    assert client.sleeps[0] == 7  # Retry-After honoured
    assert all(0 < s <= 2 for s in client.sleeps[1:])


def test_gives_up_after_max_attempts_with_a_clear_error() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return auth_ok(request) or httpx.Response(500, json={"message": "Not an array"})

    client = make_client(handler, max_attempts=3)
    with pytest.raises(JobDivaUnavailableError, match=r"after 3 attempts.*Not an array"):
        client.bi("NewUpdatedCandidateRecords", {})


def test_401_reauthenticates_once_and_retries() -> None:
    tokens = iter(["old", "new"])
    seen_auth: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/apiv2/v2/authenticate":
            return httpx.Response(200, text=f'"{next(tokens)}"')  # bare, quoted token
        seen_auth.append(request.headers["Authorization"])
        if request.headers["Authorization"] == "Bearer old":
            return httpx.Response(401, json={"message": "Full authentication is required"})
        return httpx.Response(200, json={"message": "", "data": []})

    client = make_client(handler)
    assert client.bi("UsersList", {}) == []
    assert seen_auth == ["Bearer old", "Bearer new"]
    assert client.stats.reauthentications == 1


def test_errors_shaped_as_200_fail_with_the_message() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        body = {"message": "Date range more than 14 days, metric name = X", "data": []}
        return auth_ok(request) or httpx.Response(200, json=body)

    with pytest.raises(JobDivaApiError, match="Date range more than 14 days"):
        make_client(handler).bi("NewUpdatedCandidateRecords", {})


def test_throttle_shaped_as_200_is_retried() -> None:
    bodies = iter(
        [
            {
                "message": "Error: There are too many API requests in the queue. Please try again "
                "in 3 minutes.",
                "data": [],
            },
            {"message": "", "data": [{"ID": "1"}]},
        ]
    )

    def handler(request: httpx.Request) -> httpx.Response:
        return auth_ok(request) or httpx.Response(200, json=next(bodies))

    assert make_client(handler).bi("X", {}) == [{"ID": "1"}]


def test_bad_credentials_say_what_to_check_without_leaking_them(
    caplog: pytest.LogCaptureFixture,
) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(500, json={"message": "Invalid username/password"})

    caplog.set_level(logging.DEBUG)
    with pytest.raises(JobDivaAuthError) as excinfo:
        make_client(handler).authenticate()
    message = str(excinfo.value)
    assert "JOBDIVA_CLIENT_ID" in message and "JOBDIVA_PASSWORD" in message
    assert SECRET not in message and SECRET not in repr(CREDS)
    assert SECRET not in caplog.text


def test_transport_errors_do_not_carry_the_auth_url() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError(f"cannot connect to {request.url}")

    with pytest.raises(JobDivaUnavailableError) as excinfo:
        make_client(handler, max_attempts=2).authenticate()
    assert SECRET not in str(excinfo.value)
    assert excinfo.value.__cause__ is None
    assert excinfo.value.__suppress_context__


def test_write_returns_plain_body_and_raises_on_500() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if response := auth_ok(request):
            return response
        body = json.loads(request.content)
        if body.get("email") == "dup@example.com":
            return httpx.Response(500, json={"message": "ORA-00001: unique constraint violated"})
        return httpx.Response(200, text="123456")

    client = make_client(handler)
    assert client.post("createCandidate", {"firstName": "A", "lastName": "B"}) == "123456"
    with pytest.raises(JobDivaApiError, match="ORA-00001"):
        client.post("createCandidate", {"email": "dup@example.com"})


def test_rate_limiter_paces_after_the_burst() -> None:
    now = [0.0]
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        now[0] += seconds

    limiter = RateLimiter(per_minute=60, burst=3, clock=lambda: now[0], sleep=sleep)
    for _ in range(5):
        limiter.acquire()
    assert slept == pytest.approx([1.0, 1.0])
