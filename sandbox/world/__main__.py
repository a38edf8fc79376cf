"""CLI: python -m sandbox.world --out DIR --profiles M --candidates N --days D --seed S"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import datetime

from sandbox.world import DEFAULT_HISTORY_END, generate_world
from sandbox.world.common import LOOKBACK_DAYS


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m sandbox.world", description=__doc__)
    parser.add_argument("--out", required=True, help="world directory (replaced atomically)")
    parser.add_argument("--profiles", type=int, required=True, help="public profiles (M)")
    parser.add_argument("--candidates", type=int, required=True, help="ATS candidates (N)")
    parser.add_argument("--days", type=int, required=True, help="days of history (D)")
    parser.add_argument("--seed", type=int, required=True)
    parser.add_argument("--match-share", type=float, default=0.7)
    parser.add_argument("--duplicate-share", type=float, default=0.03)
    parser.add_argument(
        "--binary-attachments",
        type=int,
        default=300,
        help="attachments rendered as real PDF/DOCX (the rest are .txt)",
    )
    parser.add_argument(
        "--end",
        type=datetime.fromisoformat,
        default=DEFAULT_HISTORY_END,
        help="history_end, naive US-Eastern ISO time",
    )
    parser.add_argument(
        "--lookback-days",
        type=int,
        default=LOOKBACK_DAYS,
        help="how far before the history the oldest records go (default 5 years)",
    )
    parser.add_argument("--quiet", action="store_true", help="no progress lines on stderr")
    args = parser.parse_args(argv)
    summary = generate_world(
        args.out,
        profiles=args.profiles,
        candidates=args.candidates,
        days=args.days,
        lookback_days=args.lookback_days,
        seed=args.seed,
        match_share=args.match_share,
        end=args.end,
        duplicate_share=args.duplicate_share,
        binary_attachment_cap=args.binary_attachments,
        progress=not args.quiet,
    )
    print(
        json.dumps(
            {
                "out": str(summary.out_dir),
                "seconds": round(summary.seconds, 1),
                "counts": summary.counts,
            },
            indent=2,
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
