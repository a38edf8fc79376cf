"""Search benchmark: the search API against Meilisearch queried directly with the same queries.

    python -m bench.search --docs 100000 --concurrency 32 [--requests 3000 | --seconds 60]

1. Meilisearch runs from ``--data-dir`` (``sandbox.services``; default ``.data/bench``, apart
   from the tests' and the demo's). ``--docs`` synthetic documents (bench/search_documents.py,
   deterministic in ``--seed``) are loaded into the index ``bench_search_<docs>`` with the
   production settings (``search_index.schema.index_settings``) by the production publisher.
   With ``--keep-index`` the index stays, and a later run reuses it when it holds exactly
   ``--docs`` documents and sampled documents equal what the generator makes now.
2. The API runs as its own process (``python -m search_api``: uvicorn, one worker), so the load
   generator does not share its interpreter, on a free port, with a search-only key.
3. ``--queries`` distinct recruiter requests (keywords; Boolean with OR of phrases and NOT;
   ``title:``/``skill:``/``location:`` scopes; structured filters; sort by ``updated_at_ts``;
   20 hits a page) are each run once through ``search_api.service.SearchService`` itself, with a
   reader that records every Meilisearch call it makes. The *direct* side replays exactly those
   calls, in order, straight to Meilisearch with the same search key: the search or federated
   multi-search, then, for federated plans, the clause-probe multi-search. The same Meilisearch
   work on both sides, so the difference is the API's own cost (HTTP hop, auth, validation,
   compiling, JSON decoding and encoding). Before measuring, each request's API hits are checked
   against the hits of its recorded direct call.
4. A closed loop of ``--concurrency`` workers (asyncio + httpx) sends the requests in blocks,
   direct and API alternating in ABBA order over ``--rounds`` rounds to cancel drift, after a
   warm-up of both sides. Latency is per request (for the direct side: all its calls, one after
   another). Non-2xx answers and transport errors are counted and reported, and left out of the
   latencies. CPU time used by each process (load generator, API, Meilisearch) during each side's
   blocks is reported per request.

The last line is ``RESULT docs=… concurrency=… api_p50_ms=… api_p99_ms=… direct_p50_ms=…
direct_p99_ms=… p50_ratio=… api_qps=…`` and more (ratios are API / direct; the goal is
``p50_ratio`` ≤ 1.3).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import json
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Awaitable, Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import meilisearch
import numpy as np
from tqdm import tqdm

from bench.search_documents import (
    FIRST_CANDIDATE_ID,
    GENERATOR_VERSION,
    document,
    document_batches,
    sample_indexes,
)
from sandbox import services
from sandbox.world import careers, places
from search_api.config import ApiConfig
from search_api.keys import add_key
from search_api.meili import MeiliReader
from search_api.models import SearchRequest
from search_api.query import QueryError
from search_api.service import SearchService
from search_index.publisher import MeiliPublisher, search_key_uid
from search_index.schema import PRIMARY_KEY, index_settings

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA_DIR = REPO_ROOT / ".data" / "bench"
SEARCH_KEY_NAME = "rediscovery-bench-search"
API_START_TIMEOUT_S = 90.0
REQUEST_TIMEOUT_S = 120.0
PER_PAGE = 20
GOAL_P50_RATIO = 1.3
JSON_HEADERS = {"Content-Type": "application/json"}
GENERATOR_PROCESS, API_PROCESS, MEILI_PROCESS = "load generator", "search API", "meilisearch"


def progress(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def _encode(payload: Any) -> bytes:
    """JSON as httpx encodes a ``json=`` body (compact, UTF-8)."""
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode()


# --- services and the index -----------------------------------------------------------------


def _provide_meili_binary(data_dir: Path) -> None:
    """Give a fresh data dir the verified Meilisearch binary another data dir of this checkout
    already holds (a hard link), so that nothing is downloaded; sandbox.services verifies its
    checksum before running it."""
    target = data_dir / "bin" / "meilisearch"
    if os.environ.get("MEILI_BIN") or shutil.which("meilisearch") or target.exists():
        return
    root = REPO_ROOT / ".data"
    for source in [root / "bin" / "meilisearch", *sorted(root.glob("*/bin/meilisearch"))]:
        if source.is_file() and services.sha256_of(source) == services.MEILI_SHA256:
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.link(source, target)
            except OSError:
                shutil.copy2(source, target)
            return


class _IndexingMonitor:
    """Meilisearch's own progress of the batch it is processing (``GET /batches``), polled in a
    thread and shown as the postfix of a progress bar."""

    def __init__(self, client: meilisearch.Client, bar: tqdm, interval_s: float = 1.0) -> None:
        self.client, self.bar, self.interval_s = client, bar, interval_s
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> _IndexingMonitor:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join(5)

    def _run(self) -> None:
        while not self._stop.wait(self.interval_s):
            with contextlib.suppress(Exception):
                page = self.client.http.get("batches?statuses=processing&limit=1")
                batches = page.get("results") or []
                if not batches:
                    self.bar.set_postfix_str("meilisearch: idle", refresh=True)
                    continue
                batch = batches[0]
                stats = batch.get("stats") or {}
                steps = (batch.get("progress") or {}).get("steps") or [{}]
                percentage = (batch.get("progress") or {}).get("percentage")
                self.bar.set_postfix_str(
                    f"meilisearch indexing {stats.get('totalNbTasks', '?')} tasks: "
                    f"{percentage or 0:.0f}% ({steps[-1].get('currentStep', '…')})",
                    refresh=True,
                )


def _normalized(document: dict[str, Any]) -> dict[str, Any]:
    """A document as it comes back from Meilisearch (a JSON round trip)."""
    return json.loads(_encode(document))


def index_is_current(publisher: MeiliPublisher, uid: str, docs: int, seed: int) -> bool:
    """True when ``uid`` holds exactly ``docs`` documents and a spread sample of them equals what
    the generator (this version, this seed) makes."""
    if publisher.index_document_count(uid) != docs:
        return False
    indexes = sample_indexes(docs)
    stored = publisher.sample_documents(uid, [str(FIRST_CANDIDATE_ID + i) for i in indexes])
    return all(
        stored.get(str(FIRST_CANDIDATE_ID + i)) == _normalized(document(i, seed)) for i in indexes
    )


def load_index(
    client: meilisearch.Client, uid: str, docs: int, seed: int
) -> tuple[float | None, bool]:
    """Make ``uid`` hold the ``docs`` documents of ``seed``: (seconds it took, reused?)."""
    publisher = MeiliPublisher(client, task_timeout_s=3600.0, poll_interval_ms=200)
    if index_is_current(publisher, uid, docs, seed):
        started = time.perf_counter()
        if publisher.ensure_index(uid, PRIMARY_KEY, index_settings()):
            progress(f"settings of {uid} re-applied in {time.perf_counter() - started:.1f} s")
        progress(f"reusing {uid}: {docs:,} documents of {GENERATOR_VERSION}, seed {seed}")
        return None, True
    progress(f"loading {docs:,} documents into {uid} ({GENERATOR_VERSION}, seed {seed})")
    bar = tqdm(total=docs, desc="documents sent", unit="doc", file=sys.stderr, smoothing=0.1)

    def on_progress(sent: int, _total: int | None) -> None:
        bar.update(sent - bar.n)

    started = time.perf_counter()
    with _IndexingMonitor(client, bar):
        report = publisher.full_rebuild(
            uid,
            PRIMARY_KEY,
            index_settings(),
            document_batches(docs, seed),
            on_progress=on_progress,
            total_documents=docs,
        )
    seconds = time.perf_counter() - started
    bar.close()
    if report.index_documents != docs:
        raise RuntimeError(f"{uid} holds {report.index_documents} documents, not {docs}")
    size_mb = (report.index_size_bytes or 0) / 1e6
    progress(
        f"loaded {docs:,} documents in {seconds:.1f} s (generate, send, index; "
        f"{docs / seconds:,.0f} docs/s; document store {size_mb:,.0f} MB)"
    )
    return seconds, False


def drop_index(client: meilisearch.Client, uid: str) -> None:
    """Delete the index and its search key (what a run without --keep-index leaves behind)."""
    publisher = MeiliPublisher(client)
    with contextlib.suppress(Exception):
        client.delete_key(search_key_uid(uid, SEARCH_KEY_NAME))
    with contextlib.suppress(Exception):
        publisher.wait(client.delete_index(uid))


# --- the query mix --------------------------------------------------------------------------


def _quoted(value: str) -> str:
    return f'"{value}"' if not value.replace("+", "").replace("#", "").isalnum() else value


def query_mix(count: int, seed: int) -> list[dict[str, Any]]:
    """``count`` recruiter search requests (bodies of ``POST /search``), deterministic in seed.

    Kinds: plain keywords; keywords with structured filters; Boolean with an OR of phrases and a
    NOT; field scopes (``title:``, ``skill:``, ``location:``) with a negated scope; an OR of two
    AND groups; filters only (browse by status, experience, place). A third sorts by the newest
    update, a fifth asks for facet counts; every request asks for 20 hits.
    """
    rng = random.Random(f"bench-search-queries:{seed}")
    tracks = careers.TRACKS
    track_weights = [track.weight for track in tracks]
    cities = [city for city in places.US_CITIES if city.weight >= 1.5]
    statuses = ["Applied", "Submitted", "Interviewing", "Rejected", "Hired"]
    requests: list[dict[str, Any]] = []
    kinds = ["keywords", "keywords+filters", "boolean", "scoped", "or_of_and", "filters"]
    kind_weights = [0.25, 0.15, 0.2, 0.2, 0.1, 0.1]
    while len(requests) < count:
        kind = rng.choices(kinds, kind_weights)[0]
        track = rng.choices(tracks, track_weights)[0]
        level = rng.randrange(len(track.titles))
        title = rng.choice(track.titles[level])
        others = [t for t in track.titles[min(level + 1, len(track.titles) - 1)] if t != title]
        title2 = rng.choice(others or [t for t in track.titles[0] if t != title])
        skill, skill2, skill3, skill4 = rng.sample(track.skills, 4)
        city = rng.choice(cities)
        body: dict[str, Any] = {"per_page": PER_PAGE}
        filters: dict[str, Any] = {}
        if kind == "keywords":
            words = title.lower().replace(".", "").split()[-2:]
            body["q"] = " ".join([*words, skill.lower()] if rng.random() < 0.5 else words)
        elif kind == "keywords+filters":
            body["q"] = f"{skill} {skill2}".lower()
            filters["location"] = [city.city]
            if rng.random() < 0.5:
                filters["years_of_experience"] = {"min": rng.choice([2, 3, 5, 8])}
            if rng.random() < 0.5:
                filters["status"] = rng.sample(statuses, 2)
        elif kind == "boolean":
            body["q"] = (
                f'("{title}" OR "{title2}") AND {_quoted(skill)} '
                f"NOT {_quoted(rng.choice(['intern', 'contract', skill3]))}"
            )
        elif kind == "scoped":
            body["q"] = (
                f'title:("{title}" OR "{title2}") AND skill:{_quoted(skill)}'
                if rng.random() < 0.5
                else f"skill:({_quoted(skill)} OR {_quoted(skill2)}) AND "
                f'location:"{city.city}" -title:recruiter'
            )
        elif kind == "or_of_and":
            body["q"] = (
                f"({_quoted(skill)} {_quoted(skill2)}) OR ({_quoted(skill3)} {_quoted(skill4)})"
            )
        else:
            body["q"] = ""
            filters["status"] = [rng.choice(statuses)]
            low = rng.choice([0, 2, 5, 10])
            filters["years_of_experience"] = {"min": low, "max": low + rng.choice([3, 5, 10])}
            if rng.random() < 0.5:
                filters["location"] = [city.state]
        if filters:
            body["filters"] = filters
        if kind == "filters" or rng.random() < 0.33:
            body["sort"] = ["updated_at_ts:desc"]
        if rng.random() < 0.2:
            body["facets"] = ["status", "experience_bucket", "location"]
        body["_kind"] = kind
        requests.append(body)
    return requests


# --- the direct side: the Meilisearch calls SearchService makes ------------------------------


@dataclass(frozen=True)
class Operation:
    """One request of the mix: its API body and the Meilisearch calls it makes (path, body)."""

    kind: str
    api_body: bytes
    calls: tuple[tuple[str, bytes], ...]
    hit_ids: tuple[str, ...]
    total: int


class RecordingReader(MeiliReader):
    """The API's Meilisearch reader, noting the path and body of every call it sends."""

    def __init__(self, url: str, key: str, index_uid: str) -> None:
        super().__init__(url, key, index_uid)
        self.calls: list[tuple[str, bytes]] = []

    async def search(self, payload: dict[str, Any]) -> dict[str, Any]:
        self.calls.append((f"/indexes/{self.index_uid}/search", _encode(payload)))
        return await super().search(payload)

    async def multi_search(self, payload: dict[str, Any]) -> dict[str, Any]:
        self.calls.append(("/multi-search", _encode(payload)))
        return await super().multi_search(payload)


async def record_operations(
    meili_url: str, search_key: str, index_uid: str, requests: Sequence[dict[str, Any]]
) -> tuple[list[Operation], list[str]]:
    """Run each request through SearchService once; its operations and the refused requests."""
    reader = RecordingReader(meili_url, search_key, index_uid)
    service = SearchService(reader, ApiConfig(meili_url, search_key, index_uid=index_uid))
    operations: list[Operation] = []
    refused: list[str] = []
    try:
        for request in requests:
            body = {key: value for key, value in request.items() if not key.startswith("_")}
            reader.calls = []
            try:
                response = await service.search(SearchRequest.model_validate(body))
            except QueryError as error:
                refused.append(f"{body['q']!r}: {error}")
                continue
            operations.append(
                Operation(
                    kind=request.get("_kind", "?"),
                    api_body=_encode(body),
                    calls=tuple(reader.calls),
                    hit_ids=tuple(hit.candidate_id for hit in response.hits),
                    total=response.total,
                )
            )
    finally:
        await reader.close()
    return operations, refused


async def check_api_answers(api: httpx.AsyncClient, operations: Sequence[Operation]) -> int:
    """How many operations the API answers with the recorded hits (the same ids, same order)."""
    same = 0
    for operation in operations:
        response = await api.post("/search", content=operation.api_body, headers=JSON_HEADERS)
        if response.status_code == 200:
            ids = tuple(hit["candidate_id"] for hit in response.json()["hits"])
            same += ids == operation.hit_ids
    return same


# --- the API process --------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def api_process(
    meili_url: str, search_key: str, index_uid: str, keys_file: Path, log_path: Path
) -> Iterator[tuple[str, int]]:
    """``python -m search_api`` on a free port until the block ends: (base URL, pid)."""
    port = _free_port()
    environment = {
        key: value for key, value in os.environ.items() if key not in ("MEILI_MASTER_KEY",)
    }
    environment |= {
        "MEILI_URL": meili_url,
        "MEILI_SEARCH_KEY": search_key,
        "MEILI_INDEX": index_uid,
        "SEARCH_API_KEYS_FILE": str(keys_file),
        "SEARCH_API_HOST": "127.0.0.1",
        "SEARCH_API_PORT": str(port),
        "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO_ROOT), os.environ.get("PYTHONPATH")])),
    }
    url = f"http://127.0.0.1:{port}"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with log_path.open("wb") as log:
        child = subprocess.Popen(
            [sys.executable, "-m", "search_api"],
            cwd=REPO_ROOT,
            env=environment,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
    try:
        deadline = time.monotonic() + API_START_TIMEOUT_S
        while True:
            if child.poll() is not None:
                tail = "\n".join(log_path.read_text(errors="replace").splitlines()[-20:])
                raise RuntimeError(f"the search API exited ({child.returncode}):\n{tail}")
            with contextlib.suppress(httpx.HTTPError):
                health = httpx.get(f"{url}/healthz", timeout=5.0)
                if health.status_code == 200 and health.json().get("meilisearch"):
                    progress(
                        f"search API up on {url} (pid {child.pid}, healthz "
                        f"{health.json().get('status')}, log {log_path})"
                    )
                    break
            if time.monotonic() > deadline:
                raise RuntimeError(f"the search API was not healthy after {API_START_TIMEOUT_S} s")
            time.sleep(0.2)
        yield url, child.pid
    finally:
        child.terminate()
        try:
            child.wait(15)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait(5)


# --- load -------------------------------------------------------------------------------------


def _cpu_seconds(pid: int | None) -> float | None:
    """User + system CPU seconds of a whole process (all its threads), from /proc."""
    if pid is None:
        return None
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@dataclass
class SideResult:
    """Everything measured for one side over all its blocks."""

    name: str
    latencies: list[float] = field(default_factory=list)
    kinds: list[str] = field(default_factory=list)
    errors: int = 0
    error_examples: list[str] = field(default_factory=list)
    seconds: float = 0.0
    calls: int = 0
    cpu: dict[str, float] = field(default_factory=dict)
    blocks: list[tuple[float, float]] = field(default_factory=list)  # (p50 ms, qps) per block

    @property
    def requests(self) -> int:
        return len(self.latencies) + self.errors

    def percentile_ms(self, q: float, kind: str | None = None) -> float:
        values = (
            self.latencies
            if kind is None
            else [v for v, k in zip(self.latencies, self.kinds, strict=True) if k == kind]
        )
        return float(np.percentile(values, q)) * 1000 if values else float("nan")

    def mean_ms(self) -> float:
        return float(np.mean(self.latencies)) * 1000 if self.latencies else float("nan")

    def qps(self) -> float:
        return len(self.latencies) / self.seconds if self.seconds else 0.0

    def cpu_ms(self, process: str | None = None) -> float:
        """CPU ms per request of one process (all of them when None); nan when unknown."""
        if process is not None and process not in self.cpu:
            return float("nan")
        seconds = self.cpu[process] if process is not None else sum(self.cpu.values())
        return seconds * 1000 / self.requests if self.requests else float("nan")


def cpu_ratio(direct: SideResult, api: SideResult) -> float:
    """CPU per request of all three processes, API side / direct side (nan without Meilisearch's
    own figure, e.g. an external MEILI_URL)."""
    if MEILI_PROCESS not in direct.cpu or MEILI_PROCESS not in api.cpu:
        return float("nan")
    return _ratio(api.cpu_ms(), direct.cpu_ms())


def paired_p50_ratio(direct: SideResult, api: SideResult) -> float:
    """The median over rounds of (API block p50 / direct block p50) of the same round: the two
    blocks of a round are adjacent in time, so drift of the machine cancels out."""
    ratios = [a[0] / d[0] for d, a in zip(direct.blocks, api.blocks, strict=False) if d[0]]
    return float(np.median(ratios)) if ratios else float("nan")


Sender = Callable[[Operation], Awaitable[tuple[int, str | None]]]


def _api_sender(client: httpx.AsyncClient) -> Sender:
    async def send(operation: Operation) -> tuple[int, str | None]:
        response = await client.post("/search", content=operation.api_body, headers=JSON_HEADERS)
        if response.status_code >= 300:
            return 1, f"HTTP {response.status_code}: {response.text[:200]}"
        return 1, None

    return send


def _direct_sender(client: httpx.AsyncClient) -> Sender:
    async def send(operation: Operation) -> tuple[int, str | None]:
        for done, (path, body) in enumerate(operation.calls, start=1):
            response = await client.post(path, content=body, headers=JSON_HEADERS)
            if response.status_code >= 300:
                return done, f"HTTP {response.status_code} on {path}: {response.text[:200]}"
        return len(operation.calls), None

    return send


async def run_block(
    send: Sender,
    operations: Sequence[Operation],
    *,
    concurrency: int,
    requests: int | None,
    seconds: float | None,
    result: SideResult | None,
    bar: tqdm | None,
) -> None:
    """One closed-loop block: ``concurrency`` workers send operations in order until
    ``requests`` are sent or ``seconds`` have passed; recorded into ``result`` (None: warm-up)."""
    counter = itertools.count()
    started = time.perf_counter()
    deadline = started + seconds if seconds is not None else None

    async def worker() -> None:
        while True:
            number = next(counter)
            if requests is not None and number >= requests:
                return
            if deadline is not None and time.perf_counter() >= deadline:
                return
            operation = operations[number % len(operations)]
            begin = time.perf_counter()
            try:
                calls, error = await send(operation)
            except httpx.HTTPError as exc:
                calls, error = 1, f"{type(exc).__name__}: {exc}"
            elapsed = time.perf_counter() - begin
            if result is not None:
                result.calls += calls
                if error is None:
                    result.latencies.append(elapsed)
                    result.kinds.append(operation.kind)
                else:
                    result.errors += 1
                    if len(result.error_examples) < 3:
                        result.error_examples.append(error)
            if bar is not None:
                bar.update(1)

    first = len(result.latencies) if result is not None else 0
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    if result is not None:
        seconds = time.perf_counter() - started
        result.seconds += seconds
        block = result.latencies[first:]
        if block:
            result.blocks.append((float(np.percentile(block, 50)) * 1000, len(block) / seconds))


async def measure(
    api_url: str,
    api_key: str,
    meili_url: str,
    search_key: str,
    operations: Sequence[Operation],
    *,
    concurrency: int,
    requests: int | None,
    seconds: float | None,
    warmup: int,
    rounds: int,
    pids: dict[str, int | None],
) -> tuple[SideResult, SideResult, int]:
    """Warm up both sides, then alternate direct and API blocks (ABBA); (direct, api, checked)."""
    limits = httpx.Limits(
        max_connections=concurrency * 2, max_keepalive_connections=concurrency * 2
    )
    timeout = httpx.Timeout(REQUEST_TIMEOUT_S)
    direct = httpx.AsyncClient(
        base_url=meili_url,
        headers={"Authorization": f"Bearer {search_key}"},
        limits=limits,
        timeout=timeout,
    )
    api = httpx.AsyncClient(
        base_url=api_url,
        headers={"Authorization": f"Bearer {api_key}"},
        limits=limits,
        timeout=timeout,
    )
    results = {"direct": SideResult("direct"), "api": SideResult("api")}
    senders = {"direct": _direct_sender(direct), "api": _api_sender(api)}
    try:
        checked = await check_api_answers(api, operations)
        progress(
            f"API hits equal the recorded direct hits for {checked}/{len(operations)} requests"
        )
        warm = tqdm(total=2 * warmup, desc="warm-up", unit="req", file=sys.stderr, mininterval=0.5)
        for side in ("direct", "api"):
            await run_block(
                senders[side],
                operations,
                concurrency=concurrency,
                requests=warmup,
                seconds=None,
                result=None,
                bar=warm,
            )
        warm.close()
        order = [("direct", "api") if r % 2 == 0 else ("api", "direct") for r in range(rounds)]
        block_requests = None if requests is None else max(1, requests // rounds)
        block_seconds = None if seconds is None else seconds / rounds
        total = None if block_requests is None else 2 * block_requests * rounds
        bar = tqdm(
            total=total,
            desc="measuring (direct/api in ABBA blocks)",
            unit="req",
            file=sys.stderr,
            mininterval=0.5,
        )
        for pair in order:
            for side in pair:
                before = {name: _cpu_seconds(pid) for name, pid in pids.items()}
                await run_block(
                    senders[side],
                    operations,
                    concurrency=concurrency,
                    requests=block_requests,
                    seconds=block_seconds,
                    result=results[side],
                    bar=bar,
                )
                for name, pid in pids.items():
                    start, end = before[name], _cpu_seconds(pid)
                    if start is not None and end is not None:
                        cpu = results[side].cpu
                        cpu[name] = cpu.get(name, 0.0) + end - start
        bar.close()
    finally:
        await direct.aclose()
        await api.aclose()
    return results["direct"], results["api"], checked


# --- report -----------------------------------------------------------------------------------


def _ratio(ours: float, theirs: float) -> float:
    return ours / theirs if theirs and theirs == theirs else float("nan")


def report(
    direct: SideResult, api: SideResult, operations: Sequence[Operation], concurrency: int
) -> None:
    """The tables: both sides, the ratio, latency by query kind, CPU per request."""
    print()
    header = (
        f"{'side':<12}{'requests':>9}{'errors':>8}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}"
        f"{'mean ms':>9}{'qps':>9}{'calls/req':>11}"
    )
    print(header)
    for side in (direct, api):
        print(
            f"{side.name:<12}{side.requests:>9}{side.errors:>8}{side.percentile_ms(50):>9.2f}"
            f"{side.percentile_ms(95):>9.2f}{side.percentile_ms(99):>9.2f}{side.mean_ms():>9.2f}"
            f"{side.qps():>9.1f}{side.calls / max(1, side.requests):>11.2f}"
        )
    print(
        f"{'api/direct':<12}{'':>17}"
        f"{_ratio(api.percentile_ms(50), direct.percentile_ms(50)):>9.2f}"
        f"{_ratio(api.percentile_ms(95), direct.percentile_ms(95)):>9.2f}"
        f"{_ratio(api.percentile_ms(99), direct.percentile_ms(99)):>9.2f}"
        f"{_ratio(api.mean_ms(), direct.mean_ms()):>9.2f}{_ratio(api.qps(), direct.qps()):>9.2f}"
    )
    federated = sum(len(op.calls) > 1 for op in operations)
    print(
        f"direct = the Meilisearch calls SearchService makes for each request, replayed in order "
        f"with the search key; the clause probe of federated plans is included "
        f"({federated}/{len(operations)} requests federated, "
        f"{sum(len(op.calls) for op in operations) / len(operations):.2f} calls per request)"
    )
    ratio = _ratio(api.percentile_ms(50), direct.percentile_ms(50))
    verdict = "meets" if ratio <= GOAL_P50_RATIO else "misses"
    print(
        f"p50 ratio {ratio:.2f}: {verdict} the goal (≤ {GOAL_P50_RATIO}× direct); median of the "
        f"rounds' paired ratios {paired_p50_ratio(direct, api):.2f}"
    )
    for side in (direct, api):
        blocks = " ".join(f"{p50:.0f}/{qps:.0f}" for p50, qps in side.blocks)
        print(f"{side.name} p50 ms / qps by block, in time order: {blocks}")
        for example in side.error_examples:
            print(f"{side.name} error: {example}")

    print(f"\n{'kind':<18}{'share':>7}{'calls':>7}{'direct p50':>12}{'api p50':>10}{'ratio':>7}")
    kinds = sorted({op.kind for op in operations})
    for kind in kinds:
        ops = [op for op in operations if op.kind == kind]
        d50, a50 = direct.percentile_ms(50, kind), api.percentile_ms(50, kind)
        print(
            f"{kind:<18}{len(ops) / len(operations):>7.0%}"
            f"{sum(len(op.calls) for op in ops) / len(ops):>7.2f}{d50:>12.2f}{a50:>10.2f}"
            f"{_ratio(a50, d50):>7.2f}"
        )
    print(f"\nCPU ms per request (processes on this machine: {os.cpu_count()} CPUs)")
    names = sorted(set(direct.cpu) | set(api.cpu))
    print(f"{'side':<12}" + "".join(f"{name:>16}" for name in names) + f"{'total':>10}")
    for side in (direct, api):
        cells = "".join(
            f"{side.cpu[name] * 1000 / max(1, side.requests):>16.2f}"
            if name in side.cpu
            else f"{'-':>16}"
            for name in names
        )
        print(f"{side.name:<12}{cells}{side.cpu_ms():>10.2f}")
    print(
        f"total CPU per request api/direct {cpu_ratio(direct, api):.2f}: closed "
        f"loop, {concurrency} workers, so at saturation p50 ≈ {concurrency} / qps, and when the "
        "processes share saturated CPUs the p50 ratio tends to this CPU ratio"
    )


def _figure(value: float | None, digits: int) -> str:
    if value is None or value != value:
        return "na"
    return f"{value:.{digits}f}"


def result_line(
    docs: int,
    concurrency: int,
    direct: SideResult,
    api: SideResult,
    load_seconds: float | None,
    operations: Sequence[Operation],
) -> str:
    fields = {
        "docs": str(docs),
        "concurrency": str(concurrency),
        "api_p50_ms": _figure(api.percentile_ms(50), 2),
        "api_p99_ms": _figure(api.percentile_ms(99), 2),
        "direct_p50_ms": _figure(direct.percentile_ms(50), 2),
        "direct_p99_ms": _figure(direct.percentile_ms(99), 2),
        "p50_ratio": _figure(_ratio(api.percentile_ms(50), direct.percentile_ms(50)), 3),
        "api_qps": _figure(api.qps(), 1),
        "api_p95_ms": _figure(api.percentile_ms(95), 2),
        "direct_p95_ms": _figure(direct.percentile_ms(95), 2),
        "direct_qps": _figure(direct.qps(), 1),
        "p99_ratio": _figure(_ratio(api.percentile_ms(99), direct.percentile_ms(99)), 3),
        "qps_ratio": _figure(_ratio(api.qps(), direct.qps()), 3),
        "api_requests": str(api.requests),
        "direct_requests": str(direct.requests),
        "api_errors": str(api.errors),
        "direct_errors": str(direct.errors),
        "federated_share": _figure(
            sum(len(op.calls) > 1 for op in operations) / max(1, len(operations)), 3
        ),
        "paired_p50_ratio": _figure(paired_p50_ratio(direct, api), 3),
        "api_cpu_ms": _figure(api.cpu_ms(API_PROCESS), 2),
        "meili_cpu_ms": _figure(direct.cpu_ms(MEILI_PROCESS), 2),
        "cpu_ratio": _figure(cpu_ratio(direct, api), 3),
        "load_seconds": _figure(load_seconds, 1),
    }
    return "RESULT " + " ".join(f"{key}={value}" for key, value in fields.items())


# --- main -------------------------------------------------------------------------------------


def _event_loop_runner() -> asyncio.Runner:
    try:
        import uvloop
    except ImportError:
        return asyncio.Runner()
    return asyncio.Runner(loop_factory=uvloop.new_event_loop)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=100_000)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--requests", type=int, default=3000, help="per side (default 3000)")
    parser.add_argument("--seconds", type=float, default=None, help="per side, instead of a count")
    parser.add_argument("--warmup", type=int, default=300, help="requests per side, unmeasured")
    parser.add_argument("--rounds", type=int, default=8, help="ABBA rounds of direct/API blocks")
    parser.add_argument("--queries", type=int, default=200, help="distinct requests in the mix")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR)
    parser.add_argument("--index", default=None, help="index uid (default bench_search_<docs>)")
    parser.add_argument("--keep-index", action="store_true", help="keep it for the next run")
    args = parser.parse_args(argv)
    if args.docs < 1 or args.concurrency < 1 or args.rounds < 1 or args.queries < 1:
        parser.error("--docs, --concurrency, --rounds and --queries must be positive")

    data_dir = args.data_dir.resolve()
    uid = args.index or f"bench_search_{args.docs}"
    _provide_meili_binary(data_dir)
    with services.running(data_dir) as env, tempfile.TemporaryDirectory() as keys_dir:
        client = meilisearch.Client(env.meili_url, env.meili_master_key, timeout=600)
        meili_pid_file = services.Paths(data_dir).meili_pid
        meili_pid = int(meili_pid_file.read_text()) if meili_pid_file.exists() else None
        try:
            load_seconds, _ = load_index(client, uid, args.docs, args.seed)
            search_key = MeiliPublisher(client).search_key(uid, SEARCH_KEY_NAME)
            api_key = add_key(Path(keys_dir) / "api_keys.json", "bench")
            requests = query_mix(args.queries, args.seed)
            with _event_loop_runner() as runner:
                operations, refused = runner.run(
                    record_operations(env.meili_url, search_key, uid, requests)
                )
                for reason in refused:
                    progress(f"refused by the compiler, left out: {reason}")
                if not operations:
                    raise RuntimeError("no request of the mix could be compiled")
                progress(
                    f"{len(operations)} distinct requests recorded; mean total "
                    f"{np.mean([op.total for op in operations]):,.0f} hits, "
                    f"{sum(op.total == 0 for op in operations)} with none"
                )
                log_path = data_dir / "search_api.log"
                with api_process(
                    env.meili_url, search_key, uid, Path(keys_dir) / "api_keys.json", log_path
                ) as (api_url, api_pid):
                    pids = {GENERATOR_PROCESS: os.getpid(), API_PROCESS: api_pid}
                    if meili_pid is not None:
                        pids[MEILI_PROCESS] = meili_pid
                    direct, api, _ = runner.run(
                        measure(
                            api_url,
                            api_key,
                            env.meili_url,
                            search_key,
                            operations,
                            concurrency=args.concurrency,
                            requests=None if args.seconds else args.requests,
                            seconds=args.seconds,
                            warmup=args.warmup,
                            rounds=args.rounds,
                            pids=pids,
                        )
                    )
        finally:
            if not args.keep_index:
                drop_index(client, uid)
    print(f"\n{args.docs:,} documents in {uid}, {args.concurrency} concurrent clients")
    report(direct, api, operations, args.concurrency)
    print(result_line(args.docs, args.concurrency, direct, api, load_seconds, operations))
    return 0


if __name__ == "__main__":
    sys.exit(main())
