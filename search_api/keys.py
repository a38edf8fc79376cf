"""API keys of the search API: random tokens shown once, stored only as SHA-256 digests.

A key is 32 random bytes (URL-safe base64, prefixed `rdk_`), so a plain SHA-256 is enough to
store it (no salt or slow hash needed: it cannot be guessed from a dictionary). The keys file
is JSON: `[{"name": …, "sha256": …, "created_at": …}]`, written 0600.

    python -m search_api.keys create NAME     # prints a new key once
    python -m search_api.keys list           # names and dates, never keys
    python -m search_api.keys meili-key      # the search-only Meilisearch key (admin key from env)
"""

from __future__ import annotations

import argparse
import hashlib
import hmac
import json
import os
import secrets
import sys
from datetime import UTC, datetime
from pathlib import Path

PREFIX = "rdk_"


def digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def new_key() -> str:
    return PREFIX + secrets.token_urlsafe(32)


_loaded: dict[Path, tuple[int, dict[str, str]]] = {}


def load_digests(path: Path) -> dict[str, str]:
    """digest → key name, from the keys file (empty when there is none). Read again only
    when the file changed, so a key added or revoked counts at the next request."""
    try:
        stamp = path.stat().st_mtime_ns
    except FileNotFoundError:
        return {}
    cached = _loaded.get(path)
    if cached is None or cached[0] != stamp:
        digests = {entry["sha256"]: entry["name"] for entry in json.loads(path.read_text())}
        _loaded[path] = cached = (stamp, digests)
    return cached[1]


def add_key(path: Path, name: str) -> str:
    """Create a key named `name`, store its digest, return the key (shown once)."""
    entries = json.loads(path.read_text()) if path.exists() else []
    key = new_key()
    entries.append(
        {"name": name, "sha256": digest(key), "created_at": datetime.now(UTC).isoformat()}
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps(entries, indent=2) + "\n")
    os.chmod(temporary, 0o600)
    temporary.replace(path)
    return key


def key_name(digests: dict[str, str], presented: str) -> str | None:
    """The name of the key `presented`, or None; compares digests in constant time."""
    presented_digest = digest(presented)
    found = None
    for stored, name in digests.items():
        if hmac.compare_digest(stored, presented_digest):
            found = name
    return found


def _meili_search_key() -> str:
    import meilisearch

    from resources.meilisearch import SEARCH_KEY_NAME
    from search_index.publisher import MeiliPublisher

    client = meilisearch.Client(
        os.environ.get("MEILI_URL", "http://127.0.0.1:7700"), os.environ["MEILI_MASTER_KEY"]
    )
    index_uid = os.environ.get("MEILI_INDEX") or "candidates"
    return MeiliPublisher(client).search_key(index_uid, SEARCH_KEY_NAME)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m search_api.keys", description=__doc__)
    parser.add_argument("--file", type=Path, default=None, help="keys file (SEARCH_API_KEYS_FILE)")
    commands = parser.add_subparsers(dest="command", required=True)
    create = commands.add_parser("create", help="create a key and print it once")
    create.add_argument("name")
    commands.add_parser("list", help="list key names")
    commands.add_parser("meili-key", help="print the search-only Meilisearch key")
    args = parser.parse_args(argv)
    path = args.file or Path(os.environ.get("SEARCH_API_KEYS_FILE") or ".data/api_keys.json")
    if args.command == "create":
        print(add_key(path, args.name))
    elif args.command == "list":
        for entry in json.loads(path.read_text()) if path.exists() else []:
            print(f"{entry['name']}\t{entry['created_at']}")
    else:
        print(_meili_search_key())
    return 0


if __name__ == "__main__":
    sys.exit(main())
