"""Each injected fault is what an httpx client would meet live, and a seed fixes the sequence."""

from __future__ import annotations

import json
import time
from pathlib import Path

import httpx
import pytest

from sandbox.jobdiva import FaultSettings
from tests.sim_world import REF, bi, login, reference_world, serve

QUEUE_MESSAGE = (
    "Error: There are too many API requests in the queue. Please try again in 3 minutes."
)
DETAIL = {"candidateIds": f"{REF.plain},{REF.updated}"}


@pytest.fixture(scope="module")
def world_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return reference_world().write(tmp_path_factory.mktemp("fault-world"))


def _faulty(world_dir: Path, **rates: float):
    return serve(world_dir, faults=FaultSettings(**rates))


def _detail(http: httpx.Client, token: str) -> httpx.Response:
    return bi(http, token, "CandidatesDetail", DETAIL)


def test_random_429_is_plain_text(world_dir: Path) -> None:
    with _faulty(world_dir, rate_429=1.0) as (http, token):
        response = _detail(http, token)
    assert response.status_code == 429
    assert response.text == "Request Limit Exceeded"


def test_5xx_faults_have_plausible_bodies(world_dir: Path) -> None:
    with _faulty(world_dir, rate_5xx=1.0) as (http, token):
        responses = [_detail(http, token) for _ in range(12)]
    statuses = {response.status_code for response in responses}
    assert statuses <= {500, 502, 503}
    assert len(statuses) >= 2
    for response in responses:
        if response.status_code == 500:
            assert response.json()["message"] == "Not an array"
        else:
            assert str(response.status_code) in response.text


def test_connection_reset_is_a_transport_error_before_any_response(world_dir: Path) -> None:
    with _faulty(world_dir, rate_reset=1.0) as (http, token):
        with pytest.raises(httpx.TransportError):
            _detail(http, token)
        # The socket closes before a status line: no response object ever exists.
        headers = {"Authorization": token}
        with (
            pytest.raises(httpx.TransportError),
            http.stream("GET", "/apiv2/bi/CandidatesDetail", params=DETAIL, headers=headers),
        ):
            pytest.fail("a response started before the reset")
        # Authentication is never faulted, and the server keeps serving.
        assert login(http)


def test_truncated_body_is_half_of_the_real_one(world_dir: Path) -> None:
    with serve(world_dir) as (http, token):
        complete = _detail(http, token).content
    with _faulty(world_dir, rate_truncate=1.0) as (http, token):
        response = _detail(http, token)
    assert response.status_code == 200
    assert response.content == complete[: len(complete) // 2]
    with pytest.raises(json.JSONDecodeError):
        response.json()


def test_error_shaped_as_200(world_dir: Path) -> None:
    with _faulty(world_dir, rate_error200=1.0) as (http, token):
        response = _detail(http, token)
    assert response.status_code == 200
    assert response.json() == {"message": QUEUE_MESSAGE, "data": []}


def test_latency_slows_bi_reads(world_dir: Path) -> None:
    with _faulty(world_dir, latency_ms=400) as (http, token):
        started = time.perf_counter()
        response = _detail(http, token)
        elapsed = time.perf_counter() - started
    assert response.status_code == 200
    assert elapsed >= 0.35


def test_faults_leave_authentication_alone(world_dir: Path) -> None:
    with _faulty(world_dir, rate_5xx=1.0, rate_429=1.0) as (http, _):
        for path in ("/apiv2/authenticate", "/apiv2/v2/authenticate"):
            response = http.get(
                path,
                params={
                    "clientid": 1000,
                    "username": "api@sandbox.jobdiva.test",
                    "password": "sandbox-password",
                },
            )
            assert response.status_code == 200


def _outcomes(world_dir: Path, seed: int, calls: int = 40) -> list[str]:
    rates = {"rate_429": 0.15, "rate_5xx": 0.15, "rate_truncate": 0.1, "rate_error200": 0.15}
    with serve(world_dir, seed=seed, faults=FaultSettings(**rates)) as (http, token):
        return [_describe(_detail(http, token)) for _ in range(calls)]


def _describe(response: httpx.Response) -> str:
    try:
        message = response.json().get("message", "")
    except (json.JSONDecodeError, AttributeError):
        message = "not-json"
    return f"{response.status_code}:{message[:20]}"


def test_fault_sequence_is_fixed_by_the_seed(world_dir: Path) -> None:
    first = _outcomes(world_dir, seed=42)
    assert first == _outcomes(world_dir, seed=42)
    assert first != _outcomes(world_dir, seed=43)
    kinds = set(first)
    assert '200:Query "Candidates De' in kinds
    assert {"429:not-json", "200:not-json", f"200:{QUEUE_MESSAGE[:20]}"} <= kinds


def test_token_bucket_limits_each_endpoint(world_dir: Path) -> None:
    with _faulty(world_dir, rate_limit_per_min=60, rate_limit_burst=3) as (http, token):
        burst = [_detail(http, token).status_code for _ in range(4)]
        other_endpoint = bi(http, token, "UsersList").status_code
        time.sleep(1.2)
        refilled = _detail(http, token).status_code
    assert burst == [200, 200, 200, 429]
    assert other_endpoint == 200
    assert refilled == 200


def test_faults_change_at_run_time_through_admin(world_dir: Path) -> None:
    with serve(world_dir, admin=True) as (http, token):
        assert _detail(http, token).status_code == 200
        changed = http.post("/__admin/faults", json={"rate_error200": 1.0})
        assert changed.json()["faults"]["rate_error200"] == 1.0
        assert _detail(http, token).json()["message"] == QUEUE_MESSAGE
        http.post("/__admin/faults", json={"rate_error200": 0.0, "latency_ms": 0})
        assert _detail(http, token).json()["message"].endswith("completed successfully")
        assert http.post("/__admin/faults", json={"rate_5xx": 2}).status_code == 400
        assert http.post("/__admin/faults", json={"rate_teapot": 0.1}).status_code == 400
