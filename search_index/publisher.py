"""Publishing documents to Meilisearch: full rebuilds behind an atomic swap, incremental upserts.

Plain typed code over the official ``meilisearch`` SDK (no Dagster), generic over the index uid,
primary key, settings payload and documents; the assets pass :mod:`search_index.schema`'s.

Full rebuild (:meth:`MeiliPublisher.full_rebuild`)
    Documents go into a fresh temporary index ``<uid>__build_<UTC timestamp>`` (settings first,
    so documents are indexed once), which is swapped with ``<uid>`` in one Meilisearch task;
    readers of ``<uid>`` go from the old complete index straight to the new complete one, never
    an empty or partial one. The old content, now under the temporary name, is then deleted.
    Any failure deletes the temporary index and leaves ``<uid>`` untouched. API keys name
    indexes by uid, so a key scoped to ``<uid>`` keeps working across swaps.

Incremental (:meth:`MeiliPublisher.upsert`)
    Replace documents by primary key, then delete ids, on the live index. Each task is atomic
    but the run is not: when one task fails, the ones before it stay applied. Both operations
    are idempotent, so re-running the same upsert repairs a failed run.

Settings (:meth:`MeiliPublisher.ensure_index`)
    Compared with what the index has (``GET /settings``, one fast read) and patched only when
    they differ. An identical ``PATCH`` is cheap in 1.21 (about 2 ms of task time on a 50k-doc
    index), but it is still a task: it queues behind whatever the index is doing, clutters the
    task history and would make a no-op upsert send a task. The comparison follows ``PATCH``
    semantics: only keys present in the desired payload are compared, nested objects are merged
    (a sub-key left out is not compared), lists Meilisearch keeps as sets (``sortableAttributes``
    …) are compared as sets, ordered lists (``searchableAttributes``, ``rankingRules``, granular
    ``filterableAttributes`` rules) in order. A false "differs" only costs one no-op task.

Waiting
    Every task is awaited with an explicit timeout (:class:`TaskTimeoutError`); a task that
    ends ``failed`` or ``canceled`` raises :class:`TaskFailedError`. Error messages carry the
    task uid, type, index and Meilisearch's error code and message, never an API key.

Sizes
    ``GET /indexes/{uid}/stats`` on 1.21 returns ``numberOfDocuments``, ``rawDocumentDbSize``
    (bytes of the index's document store), ``avgDocumentSize``, ``isIndexing``,
    ``numberOfEmbeddings``, ``numberOfEmbeddedDocuments`` and ``fieldDistribution``;
    ``GET /stats`` adds only instance-wide ``databaseSize`` / ``usedDatabaseSize`` (all indexes
    and the task queue together). ``rawDocumentDbSize`` is thus the only per-index size figure:
    it is what :attr:`PublishReport.index_size_bytes` holds (it excludes the inverted indexes).
"""

from __future__ import annotations

import json
import logging
import time
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any, Literal

import meilisearch
from meilisearch.errors import MeilisearchApiError
from meilisearch.models.task import TaskInfo

from search_index.schema import settings_hash

log = logging.getLogger(__name__)

PublishMode = Literal["full", "incremental", "noop"]
ProgressCallback = Callable[[int, int | None], None]

BUILD_INFIX = "__build_"
# Meilisearch refuses request bodies over 100 MB by default (--http-payload-size-limit).
DEFAULT_MAX_REQUEST_BYTES = 50 * 1024 * 1024
# Requests in flight before the oldest is awaited: enough for Meilisearch to auto-batch
# consecutive additions into one indexing run, bounded so the task queue does not balloon.
DEFAULT_MAX_PENDING = 8
# Cleanup (cancel, delete the temporary index) gets at least this long, whatever task_timeout_s.
CLEANUP_TIMEOUT_S = 60.0
# uuid5 namespace of the deterministic uids of the keys made by search_key().
KEY_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://github.com/rediscovery/search-keys")

# Settings whose list values Meilisearch stores as sets (returned sorted, duplicates dropped).
_UNORDERED_LIST_KEYS = frozenset({
    "sortableAttributes", "stopWords", "separatorTokens", "nonSeparatorTokens", "dictionary",
    "disableOnAttributes", "disableOnWords",
})  # fmt: skip
# Settings whose object values are replaced whole by a PATCH (user-keyed maps): compare exactly.
_REPLACED_MAP_KEYS = frozenset({"synonyms", "sortFacetValuesBy", "embedders"})


class TaskFailedError(RuntimeError):
    """A Meilisearch task ended ``failed`` or ``canceled``."""

    def __init__(self, task: Mapping[str, Any]) -> None:
        self.task = dict(task)
        self.task_uid: int | None = task.get("uid")
        self.task_type: str | None = task.get("type")
        self.index_uid: str | None = task.get("indexUid")
        self.status: str | None = task.get("status")
        error = task.get("error") or {}
        self.code: str | None = error.get("code")
        self.error_message: str | None = error.get("message")
        if self.status == "canceled":
            detail = f"canceled by task {task.get('canceledBy')}"
        else:
            detail = f"{self.code or 'unknown_error'}: {self.error_message or 'no message'}"
        super().__init__(
            f"Meilisearch task {self.task_uid} ({self.task_type}) on index "
            f"{self.index_uid or '-'} {self.status}: {detail}"
        )


class TaskTimeoutError(RuntimeError):
    """A Meilisearch task did not finish within the timeout (it may still run on the server)."""

    def __init__(self, task: Mapping[str, Any], timeout_s: float) -> None:
        self.task = dict(task)
        self.task_uid: int | None = task.get("uid")
        self.task_type: str | None = task.get("type")
        self.index_uid: str | None = task.get("indexUid")
        self.status: str | None = task.get("status")
        self.timeout_s = timeout_s
        super().__init__(
            f"Meilisearch task {self.task_uid} ({self.task_type}) on index "
            f"{self.index_uid or '-'} still {self.status} after {timeout_s:g} s"
        )


@dataclass
class PublishReport:
    """What one publish did, for materialization metadata."""

    index_uid: str
    mode: PublishMode
    documents_added: int
    documents_deleted: int
    task_uids: list[int] = field(default_factory=list)
    settings_hash: str = ""
    settings_applied: bool = False
    seconds: float = 0.0
    index_documents: int = 0
    index_size_bytes: int | None = None
    swapped_from: str | None = None


def _task_uid(task: TaskInfo | int) -> int:
    return task if isinstance(task, int) else task.task_uid


def _json_default(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


def _settings_match(
    desired: Any, current: Any, key: str | None = None, merged: bool = True
) -> bool:
    """True when PATCHing ``desired`` over ``current`` would change nothing (see module doc)."""
    if isinstance(desired, Mapping):
        if not isinstance(current, Mapping):
            return False
        if not merged or key in _REPLACED_MAP_KEYS:
            if set(desired) != set(current):
                return False
            merged = False
        return all(
            k in current and _settings_match(v, current[k], k, merged) for k, v in desired.items()
        )
    if isinstance(desired, list):
        if not isinstance(current, list):
            return False
        unordered = key in _UNORDERED_LIST_KEYS or (
            key == "filterableAttributes" and all(isinstance(v, str) for v in desired)
        )
        if unordered and all(isinstance(v, str) for v in desired + current):
            return set(desired) == set(current)
        # Objects inside lists (granular filterable rules) are replaced whole: compare exactly.
        return len(desired) == len(current) and all(
            _settings_match(d, c, None, merged=False) for d, c in zip(desired, current, strict=True)
        )
    return bool(desired == current)


def search_key_uid(index_uid: str, name: str) -> str:
    """The deterministic uid of the search key ``name`` for ``index_uid`` (uuid5)."""
    return str(uuid.uuid5(KEY_NAMESPACE, f"{name}\x00{index_uid}"))


class MeiliPublisher:
    """Writes documents and settings to Meilisearch through ``client`` (an admin/master key)."""

    def __init__(
        self,
        client: meilisearch.Client,
        *,
        task_timeout_s: float = 600.0,
        batch_size: int = 10_000,
        poll_interval_ms: int = 100,
        max_request_bytes: int = DEFAULT_MAX_REQUEST_BYTES,
        max_pending: int = DEFAULT_MAX_PENDING,
    ) -> None:
        if batch_size < 1 or max_pending < 1 or max_request_bytes < 1:
            raise ValueError("batch_size, max_pending and max_request_bytes must be positive")
        self.client = client
        self.task_timeout_s = task_timeout_s
        self.batch_size = batch_size
        self.poll_interval_ms = poll_interval_ms
        self.max_request_bytes = max_request_bytes
        self.max_pending = max_pending

    # ------------------------------------------------------------------------------ tasks

    def _get_task(self, uid: int) -> dict[str, Any]:
        return self.client.http.get(f"{self.client.config.paths.task}/{uid}")

    def wait(self, task: TaskInfo | int, *, timeout_s: float | None = None) -> dict[str, Any]:
        """Wait for one task (``task_timeout_s`` unless given); its final state, as Meili shows it.

        Raises TaskFailedError when it ended failed/canceled, TaskTimeoutError when it is still
        enqueued or processing at the deadline.
        """
        uid = _task_uid(task)
        timeout = self.task_timeout_s if timeout_s is None else timeout_s
        deadline = time.monotonic() + timeout
        interval = self.poll_interval_ms / 1000
        while True:
            info = self._get_task(uid)
            status = info.get("status")
            if status == "succeeded":
                return info
            if status in ("failed", "canceled"):
                raise TaskFailedError(info)
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TaskTimeoutError(info, timeout)
            time.sleep(min(interval, remaining))

    def wait_all(self, tasks: Iterable[TaskInfo | int]) -> list[dict[str, Any]]:
        """Wait for each task in order (each with the timeout); raise on the first failure."""
        return [self.wait(task) for task in tasks]

    def _cancel(self, uids: Sequence[int]) -> None:
        """Best effort: cancel our tasks that have not finished (cancelation is prioritised)."""
        if not uids:
            return
        try:
            task = self.client.cancel_tasks({"uids": [str(u) for u in uids]})
            self.wait(task, timeout_s=max(self.task_timeout_s, CLEANUP_TIMEOUT_S))
        except Exception as exc:  # cleanup must not hide the error that caused it
            log.warning("could not cancel Meilisearch tasks %s: %s", list(uids), exc)

    # ------------------------------------------------------------------------------ indexes

    def _raw_index(self, uid: str) -> dict[str, Any] | None:
        try:
            return self.client.get_raw_index(uid)
        except MeilisearchApiError as exc:
            if exc.code == "index_not_found":
                return None
            raise

    def index_uids(self) -> list[str]:
        """Uids of every index on the server."""
        uids: list[str] = []
        offset = 0
        while True:
            page = self.client.get_raw_indexes({"limit": 1000, "offset": offset})
            results = page.get("results", [])
            uids.extend(index["uid"] for index in results)
            offset += len(results)
            if not results or offset >= page.get("total", 0):
                return uids

    def _create_index(self, uid: str, primary_key: str) -> dict[str, Any] | None:
        """Create ``uid``; None when it already exists (created meanwhile by someone else)."""
        try:
            return self.wait(self.client.create_index(uid, {"primaryKey": primary_key}))
        except TaskFailedError as exc:
            if exc.code == "index_already_exists":
                return None
            raise

    def _delete_index(self, uid: str, *, timeout_s: float | None = None) -> dict[str, Any] | None:
        try:
            return self.wait(self.client.delete_index(uid), timeout_s=timeout_s)
        except TaskFailedError as exc:
            if exc.code == "index_not_found":
                return None
            raise

    def _apply_settings(self, uid: str, settings: Mapping[str, Any]) -> dict[str, Any] | None:
        """PATCH the settings when they differ from the index's; the task, or None when equal."""
        current = self.client.index(uid).get_settings()
        if _settings_match(dict(settings), current):
            return None
        return self.wait(self.client.index(uid).update_settings(dict(settings)))

    def ensure_index(self, uid: str, primary_key: str, settings: Mapping[str, Any]) -> bool:
        """Create ``uid`` if missing, then apply ``settings`` if they differ; True if they did."""
        return self._ensure_index(uid, primary_key, settings, [])

    def _ensure_index(
        self, uid: str, primary_key: str, settings: Mapping[str, Any], task_uids: list[int]
    ) -> bool:
        existing = self._raw_index(uid)
        if existing is None:
            created = self._create_index(uid, primary_key)
            if created is not None:
                task_uids.append(created["uid"])
        else:
            current_key = existing.get("primaryKey")
            if current_key is None:
                task_uids.append(
                    self.wait(self.client.index(uid).update(primary_key=primary_key))["uid"]
                )
            elif current_key != primary_key:
                raise ValueError(
                    f"index {uid} has primary key {current_key!r}, not {primary_key!r}; "
                    "a full rebuild replaces it"
                )
        applied = self._apply_settings(uid, settings)
        if applied is not None:
            task_uids.append(applied["uid"])
        return applied is not None

    def index_document_count(self, uid: str) -> int | None:
        """Number of documents in ``uid``; None when the index does not exist."""
        stats = self._stats(uid)
        return None if stats is None else int(stats["numberOfDocuments"])

    def _stats(self, uid: str) -> dict[str, Any] | None:
        try:
            return self.client.http.get(
                f"{self.client.config.paths.index}/{uid}/{self.client.config.paths.stat}"
            )
        except MeilisearchApiError as exc:
            if exc.code == "index_not_found":
                return None
            raise

    def sample_documents(self, uid: str, ids: Iterable[str]) -> dict[str, dict[str, Any]]:
        """The documents of ``uid`` with these primary-key values, by id (absent ids left out).

        Empty when the index does not exist.
        """
        info = self._raw_index(uid)
        if info is None:
            return {}
        primary_key = info.get("primaryKey")
        wanted = [str(i) for i in dict.fromkeys(ids)]
        found: dict[str, dict[str, Any]] = {}
        path = f"{self.client.config.paths.index}/{uid}/{self.client.config.paths.document}/fetch"
        for start in range(0, len(wanted), 1000):
            chunk = wanted[start : start + 1000]
            page = self.client.http.post(path, {"ids": chunk, "limit": len(chunk)})
            for doc in page.get("results", []):
                found[str(doc.get(primary_key))] = doc
        return found

    # ------------------------------------------------------------------------------ documents

    def _requests(
        self, batches: Iterable[Sequence[Mapping[str, Any]]]
    ) -> Iterator[tuple[int, bytes]]:
        """Regroup documents into NDJSON request bodies of at most batch_size documents and
        max_request_bytes bytes (a single larger document goes alone): (count, body)."""
        lines: list[bytes] = []
        size = 0
        for batch in batches:
            for doc in batch:
                line = json.dumps(doc, ensure_ascii=False, default=_json_default).encode()
                if lines and (
                    len(lines) >= self.batch_size or size + len(line) + 1 > self.max_request_bytes
                ):
                    yield len(lines), b"\n".join(lines)
                    lines, size = [], 0
                lines.append(line)
                size += len(line) + 1
        if lines:
            yield len(lines), b"\n".join(lines)

    def _send_documents(
        self,
        uid: str,
        primary_key: str,
        batches: Iterable[Sequence[Mapping[str, Any]]],
        task_uids: list[int],
        on_progress: ProgressCallback | None,
        total_documents: int | None,
    ) -> int:
        """Add (replace by primary key) documents; the number sent.

        Requests are enqueued ahead, at most ``max_pending`` unawaited, so Meilisearch can
        auto-batch them into one indexing run; a failed task raises at once. The caller awaits
        the tasks appended to ``task_uids``.
        """
        index = self.client.index(uid)
        pending: list[int] = []
        sent = 0
        for count, body in self._requests(batches):
            task = index.add_documents_raw(
                body, primary_key=primary_key, content_type="application/x-ndjson"
            )
            task_uids.append(task.task_uid)
            pending.append(task.task_uid)
            sent += count
            if on_progress is not None:
                on_progress(sent, total_documents)
            if len(pending) >= self.max_pending:
                self.wait(pending.pop(0))
        return sent

    def _delete_ids(self, uid: str, ids: Sequence[str], task_uids: list[int]) -> None:
        """Enqueue deletions by id (``POST …/documents/delete-batch``) in batch_size chunks."""
        path = (
            f"{self.client.config.paths.index}/{uid}/{self.client.config.paths.document}"
            "/delete-batch"
        )
        for start in range(0, len(ids), self.batch_size):
            chunk = [str(i) for i in ids[start : start + self.batch_size]]
            task_uids.append(TaskInfo(**self.client.http.post(path, chunk)).task_uid)

    def _report(
        self,
        uid: str,
        mode: PublishMode,
        started: float,
        settings: Mapping[str, Any],
        finished: Sequence[Mapping[str, Any]],
        task_uids: list[int],
        settings_applied: bool,
        swapped_from: str | None = None,
    ) -> PublishReport:
        added = deleted = 0
        for task in finished:
            details = task.get("details") or {}
            if task.get("type") == "documentAdditionOrUpdate":
                added += int(details.get("indexedDocuments") or 0)
            elif task.get("type") == "documentDeletion":
                deleted += int(details.get("deletedDocuments") or 0)
        stats = self._stats(uid) or {}
        return PublishReport(
            index_uid=uid,
            mode=mode,
            documents_added=added,
            documents_deleted=deleted,
            task_uids=task_uids,
            settings_hash=settings_hash(dict(settings)),
            settings_applied=settings_applied,
            seconds=round(time.monotonic() - started, 3),
            index_documents=int(stats.get("numberOfDocuments", 0)),
            index_size_bytes=stats.get("rawDocumentDbSize"),
            swapped_from=swapped_from,
        )

    # ------------------------------------------------------------------------------ publish

    def build_index_uid(self, uid: str, now: datetime | None = None) -> str:
        """The temporary index name of a full rebuild of ``uid`` started at ``now`` (UTC)."""
        stamp = (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%S%fZ")
        return f"{uid}{BUILD_INFIX}{stamp}"

    def delete_leftover_builds(self, uid: str) -> list[str]:
        """Delete the ``<uid>__build_*`` indexes of interrupted rebuilds; their uids."""
        leftovers = [u for u in self.index_uids() if u.startswith(uid + BUILD_INFIX)]
        for name in leftovers:
            log.info("deleting leftover build index %s", name)
            self._delete_index(name)
        return leftovers

    def full_rebuild(
        self,
        uid: str,
        primary_key: str,
        settings: Mapping[str, Any],
        batches: Iterable[Sequence[Mapping[str, Any]]],
        *,
        on_progress: ProgressCallback | None = None,
        total_documents: int | None = None,
        allow_empty: bool = False,
    ) -> PublishReport:
        """Rebuild ``uid`` from ``batches`` in a temporary index, then swap it in atomically.

        Raises ValueError (and changes nothing) when there are no documents, unless
        ``allow_empty``: an empty source more likely means a broken read than no candidates.
        """
        started = time.monotonic()
        self.delete_leftover_builds(uid)
        build = self.build_index_uid(uid)
        task_uids: list[int] = []
        try:
            task_uids.append(
                self.wait(self.client.create_index(build, {"primaryKey": primary_key}))["uid"]
            )
            applied = self._apply_settings(build, settings)
            if applied is not None:
                task_uids.append(applied["uid"])
            sent = self._send_documents(
                build, primary_key, batches, task_uids, on_progress, total_documents
            )
            if sent == 0 and not allow_empty:
                raise ValueError(f"full rebuild of {uid} got no documents; {uid} left as it was")
            finished = self.wait_all(task_uids)
            if self._raw_index(uid) is None:
                created_live = self._create_index(uid, primary_key)
                if created_live is not None:
                    task_uids.append(created_live["uid"])
                    applied_live = self._apply_settings(uid, settings)
                    if applied_live is not None:
                        task_uids.append(applied_live["uid"])
            swap = self.client.swap_indexes([{"indexes": [uid, build]}])
            task_uids.append(swap.task_uid)
            self.wait(swap)
        except BaseException:
            # Cancel what is still queued (a finished task is left alone), drop the build.
            self._cancel(task_uids)
            try:
                self._delete_index(build, timeout_s=max(self.task_timeout_s, CLEANUP_TIMEOUT_S))
            except Exception as exc:
                log.warning("could not delete build index %s: %s", build, exc)
            raise
        # `build` now holds the previous content of `uid`.
        try:
            self._delete_index(build)
        except (TaskFailedError, TaskTimeoutError, MeilisearchApiError) as exc:
            log.warning("old index %s not deleted (the next rebuild will): %s", build, exc)
        report = self._report(
            uid, "full", started, settings, finished, task_uids, applied is not None, build
        )
        log.info(
            "full rebuild of %s: %d documents in %.1f s",
            uid,
            report.documents_added,
            report.seconds,
        )
        return report

    def upsert(
        self,
        uid: str,
        primary_key: str,
        settings: Mapping[str, Any],
        batches: Iterable[Sequence[Mapping[str, Any]]],
        delete_ids: Sequence[str] = (),
        *,
        on_progress: ProgressCallback | None = None,
        total_documents: int | None = None,
    ) -> PublishReport:
        """Add/replace documents by primary key, then delete ``delete_ids``, on the live index.

        An id both upserted and deleted ends deleted. Mode "noop" when there was nothing to
        send (then no document task ran; a settings change still would).
        """
        if isinstance(delete_ids, str):
            raise TypeError("delete_ids must be a sequence of ids, not one string")
        started = time.monotonic()
        task_uids: list[int] = []
        settings_applied = self._ensure_index(uid, primary_key, settings, task_uids)
        first_doc_task = len(task_uids)
        try:
            sent = self._send_documents(
                uid, primary_key, batches, task_uids, on_progress, total_documents
            )
            self._delete_ids(uid, list(delete_ids), task_uids)
            finished = self.wait_all(task_uids[first_doc_task:])
        except BaseException:
            self._cancel(task_uids[first_doc_task:])
            raise
        mode: PublishMode = "incremental" if sent or delete_ids else "noop"
        report = self._report(uid, mode, started, settings, finished, task_uids, settings_applied)
        log.info(
            "upsert into %s: %d added, %d deleted in %.1f s",
            uid,
            report.documents_added,
            report.documents_deleted,
            report.seconds,
        )
        return report

    # ------------------------------------------------------------------------------ keys

    def search_key(self, uid: str, name: str) -> str:
        """A search-only API key for ``uid`` named ``name``, created once (idempotent).

        Reuses a live key with this name and exactly actions ["search"], indexes [uid];
        otherwise creates one whose uid is uuid5(name, index), so a re-run (or a concurrent
        one) finds the same key. The key value derives from that uid and the master key.
        """
        key_uid = search_key_uid(uid, name)
        for key in self._keys():
            if key.name == name and self._is_search_key(key, uid):
                return self._checked(key.key)
        try:
            created = self.client.create_key(
                {
                    "uid": key_uid,
                    "name": name,
                    "description": f"Search-only key for index {uid}",
                    "actions": ["search"],
                    "indexes": [uid],
                    "expiresAt": None,
                }
            )
            return self._checked(created.key)
        except MeilisearchApiError as exc:
            if exc.code != "api_key_already_exists":
                raise
        existing = self.client.get_key(key_uid)
        if not self._is_search_key(existing, uid):
            raise ValueError(
                f"API key {key_uid} exists with actions {existing.actions} and indexes "
                f"{existing.indexes}, not a search-only key for {uid}; delete it to recreate it"
            )
        return self._checked(existing.key)

    def _keys(self) -> list[Any]:
        keys: list[Any] = []
        offset = 0
        while True:
            page = self.client.get_keys({"limit": 100, "offset": offset})
            keys.extend(page.results)
            offset += len(page.results)
            if not page.results or offset >= page.total:
                return keys

    @staticmethod
    def _is_search_key(key: Any, uid: str) -> bool:
        expired = key.expires_at is not None and key.expires_at.replace(
            tzinfo=key.expires_at.tzinfo or UTC
        ) <= datetime.now(UTC)
        return list(key.actions) == ["search"] and list(key.indexes) == [uid] and not expired

    def _checked(self, key: str) -> str:
        if key == self.client.config.api_key:  # never hand the client's own key out
            raise ValueError("refusing to return the client's own API key as a search key")
        return key
