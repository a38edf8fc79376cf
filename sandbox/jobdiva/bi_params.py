"""Query-parameter binding for BI reads, with Spring's conversion rules and error shapes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from starlette.datastructures import QueryParams
from starlette.responses import Response

from sandbox.jobdiva import errors
from sandbox.jobdiva.formatting import parse_request_date
from sandbox.jobdiva.world import WorldState

MAX_WINDOW_DAYS = 14
APPLICATION_TYPE_UDF = "Application Type"


class BadRequest(Exception):
    """A binding error answered with the 400 `apierror` wrapper (reference §3.5)."""

    def __init__(self, response: Response) -> None:
        super().__init__("bad request")
        self.response = response


class LogicalError(Exception):
    """A BI-layer refusal answered as HTTP 200 with a message and no rows (reference §3.5)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def spring_values(params: QueryParams, name: str) -> list[str] | None:
    """Values of an array parameter: repeated keys, or one comma-separated value (Spring splits
    a single value on commas, reference §3.4). None when the parameter is absent or blank."""
    raw = params.getlist(name)
    if not raw:
        return None
    values = raw[0].split(",") if len(raw) == 1 else raw
    values = [value.strip() for value in values if value.strip()]
    return values or None


@dataclass
class BiContext:
    state: WorldState
    params: QueryParams
    label: str
    max_ids: int
    udf_names: tuple[str, ...]

    def window(self) -> tuple[datetime, datetime]:
        """Inclusive [fromDate, toDate] after the midnight extension and the 14-day check."""
        start = self._required_date("fromDate")
        end = self._required_date("toDate")
        # Reference §3.2: a toDate at exactly 00:00:00 covers that whole day.
        if end.time() == time(0, 0, 0):
            end = end + timedelta(hours=23, minutes=59, seconds=59)
        # Reference §3.3: calendar dates, time of day ignored; answered as HTTP 200.
        if (end.date() - start.date()).days > MAX_WINDOW_DAYS:
            raise LogicalError(f"Date range more than 14 days, metric name = {self.label}")
        return start, end

    def _required_date(self, name: str) -> datetime:
        raw = self.params.get(name)
        if raw is None or not raw.strip():
            raise BadRequest(errors.missing_parameter(name, "Date"))
        parsed = parse_request_date(raw)
        if parsed is None:
            raise BadRequest(errors.unconvertible_parameter(name, raw, "Date"))
        return parsed

    def ids(self, name: str) -> list[int]:
        """A required Long[] id list, at most `max_ids` long."""
        values = self._required_values(name, "Long[]")
        parsed = []
        for value in values:
            try:
                parsed.append(int(value))
            except ValueError:
                raise BadRequest(
                    errors.unconvertible_parameter(name, ",".join(values), "Long[]")
                ) from None
        return parsed

    def string_ids(self, name: str) -> list[str]:
        return self._required_values(name, "String[]")

    def _required_values(self, name: str, java_type: str) -> list[str]:
        values = spring_values(self.params, name)
        if values is None:
            raise BadRequest(errors.missing_parameter(name, java_type))
        # Undocumented (reference §14); decided: refuse like other BI logical errors.
        if len(values) > self.max_ids:
            raise LogicalError(
                f"Error: Too many values for '{name}' ({len(values)}); "
                f"the maximum is {self.max_ids} per request."
            )
        return values

    def single_id(self, name: str) -> int:
        raw = self.required_string(name)
        try:
            return int(raw.strip())
        except ValueError:
            raise BadRequest(errors.unconvertible_parameter(name, raw, "Long")) from None

    def required_string(self, name: str) -> str:
        raw = self.params.get(name)
        if raw is None or not raw.strip():
            raise BadRequest(errors.missing_parameter(name, "String"))
        return raw

    def optional_int(self, name: str) -> int | None:
        raw = self.params.get(name)
        if raw is None or not raw.strip():
            return None
        try:
            return int(raw.strip())
        except ValueError:
            raise BadRequest(errors.unconvertible_parameter(name, raw, "Integer")) from None

    def user_fields(self) -> list[str]:
        """Requested UDF display names the tenant knows (case-insensitive); others ignored.
        An empty `userFieldsName=` is accepted (some clients must send it, reference §9.10)."""
        requested = spring_values(self.params, "userFieldsName") or []
        known = {name.lower(): name for name in (*self.udf_names, APPLICATION_TYPE_UDF)}
        selected: list[str] = []
        for name in requested:
            display = known.get(name.lower())
            if display is not None and display not in selected:
                selected.append(display)
        return selected
