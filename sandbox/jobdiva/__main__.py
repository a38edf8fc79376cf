"""`python -m sandbox.jobdiva --world DIR --port P [...]`: serve a world as a JobDiva API."""

from __future__ import annotations

import argparse
import logging
from collections.abc import Sequence
from datetime import datetime

import uvicorn

from sandbox.jobdiva.app import create_app
from sandbox.jobdiva.config import FaultSettings, SimulatorConfig


def _rate(text: str) -> float:
    value = float(text)
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError("a rate must be within [0, 1]")
    return value


def _timestamp(text: str) -> datetime:
    try:
        return datetime.strptime(text, "%Y-%m-%dT%H:%M:%S")
    except ValueError:
        raise argparse.ArgumentTypeError("expected YYYY-MM-DDTHH:MM:SS") from None


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m sandbox.jobdiva", description="Local JobDiva REST API simulator."
    )
    parser.add_argument("--world", required=True, help="world directory (WORLD_FORMAT.md)")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    credentials = parser.add_argument_group(
        "credentials", "flags, else JOBDIVA_CLIENT_ID/_USERNAME/_PASSWORD, else defaults"
    )
    credentials.add_argument("--client-id", type=int)
    credentials.add_argument("--username")
    credentials.add_argument("--password")
    parser.add_argument("--now", type=_timestamp, help="simulated now (default: history_end)")
    parser.add_argument("--admin", action="store_true", help="mount the /__admin surface")
    parser.add_argument("--seed", type=int, help="seed for faults and quirks (default: world)")
    parser.add_argument("--token-ttl-s", type=float, default=86400.0)
    parser.add_argument("--token-quoting", choices=("seeded", "always", "never"), default="seeded")
    parser.add_argument("--null-literal-rate", type=_rate, default=0.05)
    faults = parser.add_argument_group("faults (BI reads only; all off by default)")
    faults.add_argument("--fault-429", type=_rate, default=0.0)
    faults.add_argument("--fault-5xx", type=_rate, default=0.0)
    faults.add_argument("--fault-reset", type=_rate, default=0.0)
    faults.add_argument("--fault-truncate", type=_rate, default=0.0)
    faults.add_argument("--fault-error200", type=_rate, default=0.0)
    faults.add_argument("--latency-ms", type=float, default=0.0)
    faults.add_argument("--rate-limit-per-min", type=float)
    faults.add_argument("--rate-limit-burst", type=int)
    return parser


def config_from_args(args: argparse.Namespace) -> SimulatorConfig:
    return SimulatorConfig(
        world_dir=args.world,
        client_id=args.client_id,
        username=args.username,
        password=args.password,
        now=args.now,
        admin=args.admin,
        token_ttl_s=args.token_ttl_s,
        seed=args.seed,
        token_quoting=args.token_quoting,
        null_literal_rate=args.null_literal_rate,
        access_log=True,
        faults=FaultSettings(
            rate_429=args.fault_429,
            rate_5xx=args.fault_5xx,
            rate_reset=args.fault_reset,
            rate_truncate=args.fault_truncate,
            rate_error200=args.fault_error200,
            latency_ms=args.latency_ms,
            rate_limit_per_min=args.rate_limit_per_min,
            rate_limit_burst=args.rate_limit_burst,
        ),
    )


def main(argv: Sequence[str] | None = None) -> None:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    app = create_app(config_from_args(args))
    # uvicorn's own access log prints query strings (credentials): replaced by ours.
    uvicorn.run(app, host=args.host, port=args.port, access_log=False, log_level="info")


if __name__ == "__main__":
    main()
