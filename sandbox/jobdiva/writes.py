"""Write endpoints used by a two-way connection check (reference §7).

`POST /apiv2/jobdiva/<name>` with a JSON body. Unknown fields are ignored silently; validation and
business errors are HTTP 500 with the text in `message`. Writes land in the in-memory world at
the simulated "now", so later reads see them.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any

import polars as pl
from fastapi import APIRouter, Request
from starlette.responses import Response

from sandbox.jobdiva import errors
from sandbox.jobdiva.formatting import parse_request_date
from sandbox.jobdiva.runtime import Simulator
from sandbox.jobdiva.world import WorldState

DUPLICATE_EMAIL_MESSAGE = "ORA-00001: unique constraint (JOBDIVA.IDX_TCANDIDATE_EMAIL) violated"
# Networks enabled on the simulated tenant (reference §7: tenant-configurable).
SOCIAL_NETWORKS = ("LinkedIn", "GitHub", "X", "Professional Website")
MAX_PHONE_LENGTH = 20

# createCandidate / updateCandidateProfile JSON fields → world columns.
_CANDIDATE_FIELDS = {
    "firstName": "first_name",
    "lastName": "last_name",
    "email": "email",
    "alternateemail": "alternate_email",
    "address1": "address1",
    "address2": "address2",
    "city": "city",
    "state": "state",
    "zipCode": "zipcode",
    "countryid": "country",
    "homephone": "home_phone",
    "workphone": "work_phone",
    "cellphone": "cell_phone",
    "fax": "fax",
}
_PHONE_COLUMNS = {"W": "work_phone", "H": "home_phone", "C": "cell_phone", "F": "fax"}


class WriteError(Exception):
    """Answered as Spring's 500 error JSON with this message."""


def _plain(value: object) -> Response:
    return Response(json.dumps(value), media_type="application/json")


def _candidate_changes(body: Mapping[str, Any]) -> dict[str, Any]:
    changes: dict[str, Any] = {}
    for field_name, column in _CANDIDATE_FIELDS.items():
        value = body.get(field_name)
        if value is not None and str(value).strip():
            changes[column] = str(value).strip()
    if body.get("currentsalary") not in (None, ""):
        try:
            changes["current_salary"] = float(body["currentsalary"])
        except (TypeError, ValueError):
            raise WriteError("Parameter Check Failed: currentsalary must be a number.") from None
    for phone_column in ("home_phone", "work_phone", "cell_phone", "fax"):
        if len(changes.get(phone_column, "")) > MAX_PHONE_LENGTH:
            raise WriteError(f"Error: Phone number cannot exceed {MAX_PHONE_LENGTH} characters.")
    return changes


def _required_int(body: Mapping[str, Any], name: str) -> int:
    value = body.get(name)
    if isinstance(value, bool) or value in (None, ""):
        raise WriteError(f"Parameter Check Failed: {name} is required.")
    try:
        return int(value)
    except (TypeError, ValueError):
        raise WriteError(f"Parameter Check Failed: {name} must be a number.") from None


def _live_candidate(state: WorldState, candidate_id: int) -> dict[str, Any]:
    current = state.live_version(candidate_id)
    if current is None:
        raise WriteError(f"Error: Candidate({candidate_id}) is not found.")
    return current


def _check_email_free(state: WorldState, email: str | None, candidate_id: int | None) -> None:
    if not email:
        return
    holder = state.email_holder(email)
    if holder is not None and holder != candidate_id:
        raise WriteError(DUPLICATE_EMAIL_MESSAGE)


def create_candidate(state: WorldState, body: Mapping[str, Any]) -> Response:
    for required in ("firstName", "lastName"):
        if not str(body.get(required) or "").strip():
            raise WriteError(f"Parameter Check Failed: {required} is required.")
    changes = _candidate_changes(body)
    _check_email_free(state, changes.get("email"), None)
    candidate_id = state.next_candidate_id()
    # A candidate created without e-mail gets a placeholder (reference §7, HNR fixture).
    changes.setdefault("email", f"Auto_{candidate_id}@jobdiva.com")
    state.write_candidate(changes, candidate_id)
    return _plain(candidate_id)


def update_candidate_profile(state: WorldState, body: Mapping[str, Any]) -> Response:
    candidate_id = _required_int(body, "candidateid")
    _live_candidate(state, candidate_id)
    changes = _candidate_changes(body)
    changes.update(_phone_changes(body.get("phones")))
    _check_email_free(state, changes.get("email"), candidate_id)
    if changes:
        state.write_candidate(changes, candidate_id)
    return _plain(True)


def _phone_changes(phones: object) -> dict[str, Any]:
    if not isinstance(phones, list):
        return {}
    changes: dict[str, Any] = {}
    for phone in phones:
        if not isinstance(phone, dict):
            continue
        column = _PHONE_COLUMNS.get(str(phone.get("type") or "").strip().upper())
        number = str(phone.get("phone") or "").strip()
        if column is None or not number:
            continue
        if len(number) > MAX_PHONE_LENGTH:
            raise WriteError(f"Error: Phone number cannot exceed {MAX_PHONE_LENGTH} characters.")
        changes[column] = number
        if column == "work_phone" and phone.get("ext"):
            changes["work_phone_ext"] = str(phone["ext"])
    return changes


def update_candidate_sn_links(state: WorldState, body: Mapping[str, Any]) -> Response:
    candidate_id = _required_int(body, "candidateid")
    _live_candidate(state, candidate_id)
    networks = body.get("socialnetworks")
    if not isinstance(networks, list) or not networks:
        raise WriteError("Parameter Check Failed: socialnetworks is required.")
    linkedin = None
    for network in networks:
        name = str((network or {}).get("name") or "") if isinstance(network, dict) else ""
        if name not in SOCIAL_NETWORKS:
            raise WriteError(f"Invalid Social Network Name ({name})")
        if name == "LinkedIn":
            linkedin = str(network.get("link") or "").strip() or None
    # Only LinkedIn is readable back (LINKEDIN on detail rows); other links are accepted.
    if linkedin is not None:
        state.write_candidate({"linkedin": linkedin}, candidate_id)
    return _plain(True)


def create_job_application(state: WorldState, body: Mapping[str, Any]) -> Response:
    candidate_id = _required_int(body, "candidateid")
    job_id = _required_int(body, "jobid")
    _live_candidate(state, candidate_id)
    if state.jobs().filter(pl.col("job_id") == job_id).height == 0:
        raise WriteError(f"Error: Job({job_id}) is not found.")
    applied_at = state.now
    if body.get("dateapplied"):
        parsed = parse_request_date(str(body["dateapplied"]))
        if parsed is None:
            raise WriteError("Parameter Check Failed: dateapplied must be MM/dd/yyyy HH:mm:ss.")
        applied_at = min(parsed, state.now)
    state.add_application(
        {
            "candidate_id": candidate_id,
            "job_id": job_id,
            "date_applied": applied_at,
            "resume_id": str(body["globalid"]) if body.get("globalid") else None,
            "resume_source": str(body["resumesource"]) if body.get("resumesource") else None,
        }
    )
    return _plain(True)


WRITES: dict[str, Callable[[WorldState, Mapping[str, Any]], Response]] = {
    "createCandidate": create_candidate,
    "updateCandidateProfile": update_candidate_profile,
    "updateCandidateSNLinks": update_candidate_sn_links,
    "createJobApplication": create_job_application,
}


def writes_router(sim: Simulator) -> APIRouter:
    router = APIRouter()

    async def write(request: Request, name: str) -> Response:
        handler = WRITES.get(name)
        if handler is None or sim.auth.user_for_request(request) is None:
            return errors.unauthorized(request.url.path)
        try:
            body = json.loads(await request.body() or b"null")
        except ValueError:
            return errors.malformed_json()
        if not isinstance(body, dict):
            return errors.malformed_json()
        try:
            return handler(sim.state, body)
        except WriteError as failure:
            return errors.spring_error(500, str(failure), request.url.path)

    router.add_api_route("/apiv2/jobdiva/{name}", write, methods=["POST"])
    return router
