"""The simulator authenticates like JobDiva: token endpoints, header forms, and 401/500 shapes."""

from __future__ import annotations

import base64
import json
import logging
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from sandbox.jobdiva import SimulatorConfig, run_in_thread
from tests.sim_world import CREDENTIALS, REF, bi, config_for, login, reference_world, rows

REPO_ROOT = Path(__file__).resolve().parents[1]
SPRING_KEYS = {"timestamp", "status", "error", "message", "path"}


@pytest.fixture(scope="module")
def world_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return reference_world().write(tmp_path_factory.mktemp("auth-world"))


@pytest.fixture(scope="module")
def client(world_dir: Path):
    with (
        run_in_thread(config_for(world_dir)) as simulator,
        httpx.Client(base_url=simulator.base_url, timeout=10) as http,
    ):
        yield http


def _detail_status(client: httpx.Client, authorization: str | None) -> int:
    headers = {"Authorization": authorization} if authorization is not None else {}
    response = client.get(
        "/apiv2/bi/CandidatesDetail", params={"candidateIds": REF.plain}, headers=headers
    )
    return response.status_code


def _assert_unauthorized(response: httpx.Response, path: str) -> None:
    assert response.status_code == 401
    body = response.json()
    assert set(body) == SPRING_KEYS
    assert body["status"] == 401
    assert body["error"] == "Unauthorized"
    assert body["message"] == "Full authentication is required to access this resource"
    assert body["path"] == path


@pytest.mark.parametrize("path", ["/apiv2/authenticate", "/api/authenticate"])
def test_bare_token_endpoints_return_a_long_hs512_jwt(client: httpx.Client, path: str) -> None:
    response = client.get(path, params=CREDENTIALS)
    assert response.status_code == 200
    token = response.text
    header, payload, signature = token.split(".")
    assert json.loads(base64.urlsafe_b64decode(header + "==")) == {"alg": "HS512"}
    assert json.loads(base64.urlsafe_b64decode(payload + "=="))["sub"] == CREDENTIALS["username"]
    assert 1000 <= len(token) <= 1300
    assert len(signature) == 86
    assert _detail_status(client, f"Bearer {token}") == 200


def test_token_pair_endpoints_use_lowercase_refreshtoken(client: httpx.Client) -> None:
    by_get = client.get("/apiv2/v2/authenticate", params=CREDENTIALS)
    by_post = client.post(
        "/apiv2/v2/login",
        json={
            "clientId": 1000,
            "userName": CREDENTIALS["username"],
            "password": "sandbox-password",
        },
    )
    for response in (by_get, by_post):
        assert response.status_code == 200
        assert set(response.json()) == {"token", "refreshtoken"}
        assert _detail_status(client, response.json()["token"]) == 200


def test_login_body_must_be_camel_case(client: httpx.Client) -> None:
    snake_case = {"clientid": 1000, "username": CREDENTIALS["username"], "password": "x"}
    response = client.post("/apiv2/v2/login", json=snake_case | {"password": "sandbox-password"})
    assert response.status_code == 500
    assert "Invalid username/password" in response.json()["message"]


def test_bearer_and_raw_authorization_headers_both_work(client: httpx.Client) -> None:
    token = login(client)
    assert _detail_status(client, f"Bearer {token}") == 200
    assert _detail_status(client, token) == 200


def test_several_tokens_of_one_user_stay_valid(client: httpx.Client) -> None:
    first, second = login(client), client.get("/api/authenticate", params=CREDENTIALS).text
    assert first != second
    assert _detail_status(client, first) == 200
    assert _detail_status(client, second) == 200


@pytest.mark.parametrize(
    "authorization",
    [None, "Bearer", "Bearer not-a-token", "eyJhbGciOiJIUzUxMiJ9.e30.c2ln"],
    ids=["missing", "bare-scheme", "garbage", "unknown-jwt"],
)
def test_missing_or_unknown_token_is_401(client: httpx.Client, authorization: str | None) -> None:
    headers = {"Authorization": authorization} if authorization is not None else {}
    response = client.get(
        "/apiv2/bi/CandidatesDetail", params={"candidateIds": REF.plain}, headers=headers
    )
    _assert_unauthorized(response, "/apiv2/bi/CandidatesDetail")


def test_token_still_wrapped_in_quotes_is_refused(client: httpx.Client) -> None:
    assert _detail_status(client, f'"{login(client)}"') == 401


@pytest.mark.parametrize(
    "path", ["/apiv2/bi/NoSuchMetric", "/apiv2/nothing/here", "/docs", "/__admin/state"]
)
def test_unknown_paths_are_401_with_or_without_token(client: httpx.Client, path: str) -> None:
    _assert_unauthorized(client.get(path), path)
    authorized = client.get(path, headers={"Authorization": f"Bearer {login(client)}"})
    _assert_unauthorized(authorized, path)


def test_unknown_write_path_is_401(client: httpx.Client) -> None:
    headers = {"Authorization": login(client)}
    response = client.post("/apiv2/jobdiva/dropAllCandidates", json={}, headers=headers)
    _assert_unauthorized(response, "/apiv2/jobdiva/dropAllCandidates")


@pytest.mark.parametrize(
    "override",
    [{"password": "wrong"}, {"username": "someone@else.test"}, {"clientid": "999"}],
    ids=["password", "username", "clientid"],
)
def test_bad_credentials_are_500_not_401(client: httpx.Client, override: dict[str, str]) -> None:
    for path in ("/apiv2/authenticate", "/api/authenticate", "/apiv2/v2/authenticate"):
        response = client.get(path, params=CREDENTIALS | override)
        assert response.status_code == 500
        body = response.json()
        assert body["status"] == 500
        assert "Invalid username/password" in body["message"]


def test_missing_credential_parameter_is_400_apierror(client: httpx.Client) -> None:
    params = {k: v for k, v in CREDENTIALS.items() if k != "password"}
    response = client.get("/apiv2/authenticate", params=params)
    assert response.status_code == 400
    assert response.json()["apierror"]["message"] == "password parameter is missing"
    non_numeric = client.get("/apiv2/authenticate", params=CREDENTIALS | {"clientid": "acme"})
    assert non_numeric.status_code == 400
    assert "could not be converted to type 'Long'" in non_numeric.json()["apierror"]["message"]


def test_refresh_token_endpoint(client: httpx.Client) -> None:
    pair = client.get("/apiv2/v2/authenticate", params=CREDENTIALS).json()
    for credential in (pair["token"], pair["refreshtoken"]):
        response = client.get("/apiv2/v2/refreshToken", headers={"Authorization": credential})
        assert response.status_code == 200
        assert _detail_status(client, response.json()["token"]) == 200
    # A refresh token only refreshes; it does not open BI reads.
    assert _detail_status(client, pair["refreshtoken"]) == 401
    garbage = client.get("/apiv2/v2/refreshToken", headers={"Authorization": "Bearer nope"})
    _assert_unauthorized(garbage, "/apiv2/v2/refreshToken")


def test_token_expires_after_its_ttl(world_dir: Path) -> None:
    with (
        run_in_thread(config_for(world_dir, token_ttl_s=1)) as simulator,
        httpx.Client(base_url=simulator.base_url, timeout=10) as http,
    ):
        token = login(http)
        assert _detail_status(http, token) == 200
        time.sleep(1.3)
        expired = bi(http, token, "CandidatesDetail", {"candidateIds": REF.plain})
        _assert_unauthorized(expired, "/apiv2/bi/CandidatesDetail")
        assert rows(bi(http, login(http), "CandidatesDetail", {"candidateIds": REF.plain}))


def _quoting_sequence(world_dir: Path, seed: int, calls: int = 10) -> list[bool]:
    config = config_for(world_dir, token_quoting="seeded", seed=seed)
    with (
        run_in_thread(config) as simulator,
        httpx.Client(base_url=simulator.base_url, timeout=10) as http,
    ):
        bodies = [http.get("/apiv2/authenticate", params=CREDENTIALS).text for _ in range(calls)]
    for body in bodies:
        if body.startswith('"'):
            assert json.loads(body).count(".") == 2  # a JSON string holding the JWT
    return [body.startswith('"') for body in bodies]


def test_seeded_token_quoting_is_deterministic_and_mixed(world_dir: Path) -> None:
    first = _quoting_sequence(world_dir, seed=3)
    assert first == _quoting_sequence(world_dir, seed=3)
    assert any(first) and not all(first)


def test_credentials_resolve_from_flags_then_environment_then_defaults(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name in ("JOBDIVA_CLIENT_ID", "JOBDIVA_USERNAME", "JOBDIVA_PASSWORD"):
        monkeypatch.delenv(name, raising=False)
    defaults = SimulatorConfig(world_dir=Path("."))
    assert (defaults.resolved_client_id(), defaults.resolved_username()) == (
        1000,
        "api@sandbox.jobdiva.test",
    )
    assert defaults.resolved_password() == "sandbox-password"
    monkeypatch.setenv("JOBDIVA_CLIENT_ID", "4242")
    monkeypatch.setenv("JOBDIVA_PASSWORD", "from-env")
    from_env = SimulatorConfig(world_dir=Path("."))
    assert (from_env.resolved_client_id(), from_env.resolved_password()) == (4242, "from-env")
    flagged = SimulatorConfig(world_dir=Path("."), client_id=7, password="flag")
    assert (flagged.resolved_client_id(), flagged.resolved_password()) == (7, "flag")


def test_password_and_tokens_never_reach_the_logs(
    world_dir: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    with (
        run_in_thread(config_for(world_dir, access_log=True)) as simulator,
        httpx.Client(base_url=simulator.base_url, timeout=10) as http,
    ):
        token = login(http)
        http.get("/apiv2/authenticate", params=CREDENTIALS | {"password": "wrong-secret"})
        bi(http, token, "CandidatesDetail", {"candidateIds": REF.plain})
    # Only the server's loggers: httpx itself logs the request URL, credentials included.
    server_records = [r for r in caplog.records if r.name.startswith(("sandbox", "uvicorn"))]
    logged = "\n".join(record.getMessage() for record in server_records)
    assert "GET /apiv2/bi/CandidatesDetail 200" in logged
    for secret in ("sandbox-password", "wrong-secret", token, token[-40:]):
        assert secret not in logged


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_cli_serves_a_world_with_environment_credentials(world_dir: Path) -> None:
    port = _free_port()
    env = os.environ | {"JOBDIVA_PASSWORD": "env-secret", "PYTHONPATH": str(REPO_ROOT)}
    command = [sys.executable, "-m", "sandbox.jobdiva", "--world", str(world_dir)]
    command += ["--port", str(port), "--now", "2024-03-20T00:00:00", "--admin"]
    process = subprocess.Popen(
        command, env=env, cwd=REPO_ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=5) as http:
            state = _wait_for_admin_state(http)
            assert state["now"] == "2024-03-20T00:00:00"
            params = CREDENTIALS | {"password": "env-secret"}
            assert http.get("/apiv2/authenticate", params=params).status_code == 200
            assert http.get("/apiv2/authenticate", params=CREDENTIALS).status_code == 500
    finally:
        process.terminate()
        output = process.communicate(timeout=10)[0].decode()
    assert "GET /apiv2/authenticate 200" in output
    assert "env-secret" not in output and "sandbox-password" not in output


def _wait_for_admin_state(http: httpx.Client) -> dict[str, object]:
    deadline = time.monotonic() + 30
    while True:
        try:
            return http.get("/__admin/state").json()
        except httpx.TransportError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)
