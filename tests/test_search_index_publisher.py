"""search_index.publisher against a real Meilisearch 1.21 (the session's `service_env`)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from typing import Any

import meilisearch
import pytest
from meilisearch.errors import MeilisearchApiError

from sandbox import services
from search_index import schema
from search_index.publisher import (
    BUILD_INFIX,
    MeiliPublisher,
    PublishReport,
    TaskFailedError,
    TaskTimeoutError,
    _settings_match,
    search_key_uid,
)

PK = "id"
# Small generic settings; maxTotalHits above every test's size so totals are exact.
SETTINGS: dict[str, Any] = {
    "searchableAttributes": ["title", "body"],
    "filterableAttributes": ["version"],
    "sortableAttributes": ["n"],
    "pagination": {"maxTotalHits": 1_000_000},
}


def make_docs(n: int, version: str, start: int = 0) -> list[dict[str, Any]]:
    return [
        {PK: f"d{i}", "title": f"{version} title {i}", "version": version, "n": i}
        for i in range(start, start + n)
    ]


def chunks(docs: list[dict[str, Any]], size: int) -> list[list[dict[str, Any]]]:
    return [docs[i : i + size] for i in range(0, len(docs), size)]


def total_hits(client: meilisearch.Client, uid: str) -> int:
    return client.index(uid).search("", {"hitsPerPage": 0})["totalHits"]


@pytest.fixture
def client(service_env: services.ServiceEnv) -> meilisearch.Client:
    return meilisearch.Client(service_env.meili_url, service_env.meili_master_key, timeout=60)


@pytest.fixture
def publisher(client: meilisearch.Client) -> MeiliPublisher:
    return MeiliPublisher(client, task_timeout_s=120, poll_interval_ms=20)


@pytest.fixture
def uid(meili_index_uid: str, client: meilisearch.Client) -> Iterator[str]:
    """A unique index uid; the index, its build indexes and its keys are deleted afterwards."""
    yield meili_index_uid
    for index in client.get_raw_indexes({"limit": 1000})["results"]:
        if index["uid"] == meili_index_uid or index["uid"].startswith(meili_index_uid + "__"):
            client.wait_for_task(client.delete_index(index["uid"]).task_uid, timeout_in_ms=60_000)
    for key in client.get_keys({"limit": 1000}).results:
        if meili_index_uid in key.indexes:
            client.delete_key(key.uid)


def build_indexes(publisher: MeiliPublisher, uid: str) -> list[str]:
    return [u for u in publisher.index_uids() if u.startswith(uid + BUILD_INFIX)]


# --------------------------------------------------------------------------- settings


def test_schema_settings_are_accepted_and_compared(publisher: MeiliPublisher, uid: str) -> None:
    settings = schema.index_settings()
    assert publisher.ensure_index(uid, schema.PRIMARY_KEY, settings) is True
    # 1.21 returns them reordered (sets sorted): the comparison must still see them as equal
    assert publisher.ensure_index(uid, schema.PRIMARY_KEY, settings) is False

    current = publisher.client.index(uid).get_settings()
    assert current["filterableAttributes"] == settings["filterableAttributes"]
    assert sorted(current["nonSeparatorTokens"]) == ["#", "+"]
    assert current["faceting"]["sortFacetValuesBy"] == {"*": "count"}
    assert current["typoTolerance"]["disableOnNumbers"] is True

    report = publisher.upsert(
        uid,
        schema.PRIMARY_KEY,
        settings,
        [[
            {"candidate_id": "c1", "name": "Ann", "skills": ["c#"], "skill_terms": ["c#"],
             "years_of_experience": 7, "city": "Austin"},
            {"candidate_id": "c2", "name": "Bob", "skills": ["c"], "skill_terms": ["c"],
             "years_of_experience": 2, "city": "Boston"},
        ]],
    )  # fmt: skip
    assert (report.mode, report.settings_applied, report.documents_added) == (
        "incremental",
        False,
        2,
    )
    index = publisher.client.index(uid)
    hits = index.search("", {"filter": 'skill_terms = "c#" AND years_of_experience > 5'})["hits"]
    assert [h["candidate_id"] for h in hits] == ["c1"]
    assert [h["candidate_id"] for h in index.search("c#")["hits"]] == ["c1"]
    facet = index.facet_search("city", "aus")
    assert [f["value"] for f in facet["facetHits"]] == ["Austin"]
    with pytest.raises(MeilisearchApiError) as err:  # no comparison on a facet
        index.search("", {"filter": 'city > "A"'})
    assert err.value.code == "invalid_search_filter"

    changed = {**settings, "sortableAttributes": settings["sortableAttributes"][:-1]}
    assert publisher.ensure_index(uid, schema.PRIMARY_KEY, changed) is True


def test_settings_comparison_follows_patch_semantics() -> None:
    current = {
        "searchableAttributes": ["a", "b"],
        "sortableAttributes": ["a", "b"],
        "typoTolerance": {"enabled": True, "disableOnWords": [], "disableOnNumbers": False},
        "faceting": {"maxValuesPerFacet": 100, "sortFacetValuesBy": {"*": "alpha"}},
        "filterableAttributes": [{"attributePatterns": ["x"], "features": {"facetSearch": True}}],
    }
    assert _settings_match({"sortableAttributes": ["b", "a"]}, current)
    assert not _settings_match({"searchableAttributes": ["b", "a"]}, current)
    assert _settings_match({"typoTolerance": {"enabled": True}}, current)
    assert not _settings_match({"typoTolerance": {"disableOnNumbers": True}}, current)
    assert not _settings_match({"faceting": {"sortFacetValuesBy": {"*": "count"}}}, current)
    assert not _settings_match({"stopWords": []}, current)  # not set there: patch it
    rule = {"attributePatterns": ["x"], "features": {"facetSearch": True, "filter": {}}}
    assert not _settings_match({"filterableAttributes": [rule]}, current)
    assert _settings_match({"filterableAttributes": current["filterableAttributes"]}, current)


def test_requests_respect_count_and_byte_limits(client: meilisearch.Client) -> None:
    publisher = MeiliPublisher(client, batch_size=3, max_request_bytes=200)
    docs = make_docs(10, "a")
    requests = list(publisher._requests(chunks(docs, 4)))
    assert sum(count for count, _ in requests) == 10
    assert all(count <= 3 and len(body) <= 200 for count, body in requests)
    assert b"\n".join(body for _, body in requests).count(b"\n") == 9


# --------------------------------------------------------------------------- full rebuild


def test_full_rebuild_swaps_in_exactly_the_new_documents(
    publisher: MeiliPublisher, client: meilisearch.Client, uid: str
) -> None:
    publisher.batch_size = 7
    first = publisher.full_rebuild(uid, PK, SETTINGS, chunks(make_docs(30, "a"), 10))
    assert (first.mode, first.documents_added, first.index_documents) == ("full", 30, 30)
    assert first.settings_applied is True

    leftover = f"{uid}{BUILD_INFIX}20000101T000000000000Z"  # from a killed run
    client.wait_for_task(client.create_index(leftover, {"primaryKey": PK}).task_uid)

    progress: list[tuple[int, int | None]] = []
    new_docs = make_docs(20, "b", start=25)  # ids d25..d44: 5 kept, 15 new, 25 gone
    report = publisher.full_rebuild(
        uid,
        PK,
        SETTINGS,
        chunks(new_docs, 6),
        on_progress=lambda sent, total: progress.append((sent, total)),
        total_documents=len(new_docs),
    )
    assert isinstance(report, PublishReport)
    assert report.mode == "full"
    assert (report.documents_added, report.documents_deleted, report.index_documents) == (20, 0, 20)
    assert report.swapped_from is not None and report.swapped_from.startswith(uid + BUILD_INFIX)
    assert report.index_size_bytes is not None and report.index_size_bytes > 0
    assert report.settings_hash == schema.settings_hash(SETTINGS) and len(report.task_uids) >= 5
    assert progress == [(7, 20), (14, 20), (20, 20)]

    assert build_indexes(publisher, uid) == []  # the leftover and the swapped-out old index
    assert publisher.index_document_count(uid) == 20
    ids = [d[PK] for d in make_docs(50, "x")]
    found = publisher.sample_documents(uid, ids)
    assert sorted(found) == sorted(d[PK] for d in new_docs)
    assert all(doc["version"] == "b" for doc in found.values())
    assert found["d30"] == next(d for d in new_docs if d[PK] == "d30")
    assert client.index(uid).get_settings()["searchableAttributes"] == ["title", "body"]


@pytest.mark.parametrize("bad", [{PK: "a b!", "title": "x"}, {"title": "no id"}])
def test_failed_rebuild_leaves_the_live_index_untouched(
    publisher: MeiliPublisher,
    service_env: services.ServiceEnv,
    uid: str,
    bad: dict[str, Any],
) -> None:
    publisher.full_rebuild(uid, PK, SETTINGS, [make_docs(10, "a")])
    with pytest.raises(TaskFailedError) as err:
        publisher.full_rebuild(uid, PK, SETTINGS, [make_docs(5, "b"), [bad]])
    exc = err.value
    assert exc.code == ("invalid_document_id" if PK in bad else "missing_document_id")
    assert exc.status == "failed" and exc.task_type == "documentAdditionOrUpdate"
    assert exc.index_uid is not None and exc.index_uid.startswith(uid + BUILD_INFIX)
    assert f"task {exc.task_uid} " in str(exc) and exc.index_uid in str(exc)
    assert exc.code in str(exc)
    assert service_env.meili_master_key not in str(exc)

    assert build_indexes(publisher, uid) == []
    docs = publisher.sample_documents(uid, [f"d{i}" for i in range(10)])
    assert len(docs) == 10 and {d["version"] for d in docs.values()} == {"a"}
    assert publisher.index_document_count(uid) == 10


def test_first_rebuild_creates_the_index_and_empty_rebuild_is_refused(
    publisher: MeiliPublisher, uid: str
) -> None:
    assert publisher.index_document_count(uid) is None
    assert publisher.sample_documents(uid, ["d1"]) == {}
    with pytest.raises(ValueError, match="no documents"):
        publisher.full_rebuild(uid, PK, SETTINGS, [[]])
    assert publisher.index_document_count(uid) is None and build_indexes(publisher, uid) == []
    report = publisher.full_rebuild(uid, PK, SETTINGS, [make_docs(3, "a")])
    assert report.index_documents == 3 and publisher.index_document_count(uid) == 3


def test_timeouts_raise_and_leave_the_live_index_untouched(
    publisher: MeiliPublisher,
    client: meilisearch.Client,
    service_env: services.ServiceEnv,
    uid: str,
) -> None:
    publisher.full_rebuild(uid, PK, SETTINGS, [make_docs(10, "a")])
    big = make_docs(30_000, "b")

    impatient = MeiliPublisher(client, task_timeout_s=0.05, poll_interval_ms=10)
    task = client.index(uid).add_documents(big, primary_key=PK)
    with pytest.raises(TaskTimeoutError) as err:
        impatient.wait(task)
    assert err.value.task_uid == task.task_uid and err.value.index_uid == uid
    assert err.value.status in ("enqueued", "processing")
    assert f"task {task.task_uid} " in str(err.value) and "0.05 s" in str(err.value)
    assert service_env.meili_master_key not in str(err.value)
    client.wait_for_task(client.cancel_tasks({"uids": [str(task.task_uid)]}).task_uid)
    publisher.full_rebuild(uid, PK, SETTINGS, [make_docs(10, "a")])  # whatever got in: reset

    impatient.task_timeout_s = 0.3
    with pytest.raises(TaskTimeoutError):
        impatient.full_rebuild(uid, PK, SETTINGS, chunks(big, 10_000))
    assert build_indexes(publisher, uid) == []
    assert publisher.index_document_count(uid) == 10


# --------------------------------------------------------------------------- incremental


def test_upsert_replaces_deletes_and_reports(
    publisher: MeiliPublisher, client: meilisearch.Client, uid: str
) -> None:
    first = publisher.upsert(uid, PK, SETTINGS, [make_docs(10, "a")])  # creates the index
    assert (first.mode, first.documents_added, first.settings_applied) == ("incremental", 10, True)

    changed = make_docs(2, "b", start=8)  # d8, d9 replaced; d10, d11 new
    changed += make_docs(2, "b", start=10)
    report = publisher.upsert(uid, PK, SETTINGS, chunks(changed, 3), ["d0", "d1", "nope"])
    assert report.mode == "incremental" and report.settings_applied is False
    assert (report.documents_added, report.documents_deleted) == (4, 2)
    assert report.index_documents == 10 and report.swapped_from is None
    assert len(report.task_uids) == 2  # one addition (batch_size 10k), one deletion
    docs = publisher.sample_documents(uid, [f"d{i}" for i in range(12)])
    assert sorted(docs) == sorted(f"d{i}" for i in range(2, 12))
    assert {i: docs[f"d{i}"]["version"] for i in (7, 8, 11)} == {7: "a", 8: "b", 11: "b"}

    last_task = client.get_tasks({"indexUids": [uid], "limit": 1}).results[0].uid
    noop = publisher.upsert(uid, PK, SETTINGS, [[], []], [])
    assert (noop.mode, noop.task_uids, noop.documents_added, noop.documents_deleted) == (
        "noop", [], 0, 0,
    )  # fmt: skip
    assert noop.index_documents == 10
    assert client.get_tasks({"indexUids": [uid], "limit": 1}).results[0].uid == last_task

    with pytest.raises(TaskFailedError) as err:
        publisher.upsert(uid, PK, SETTINGS, [[{"title": "no id"}]])
    assert err.value.code == "missing_document_id"
    assert publisher.index_document_count(uid) == 10


# --------------------------------------------------------------------------- keys, readers


def test_search_key_is_stable_search_only_and_survives_swaps(
    publisher: MeiliPublisher, service_env: services.ServiceEnv, uid: str
) -> None:
    publisher.full_rebuild(uid, PK, SETTINGS, [make_docs(5, "a")])
    key = publisher.search_key(uid, f"search-api-{uid}")
    assert key != service_env.meili_master_key
    assert publisher.search_key(uid, f"search-api-{uid}") == key
    stored = publisher.client.get_key(search_key_uid(uid, f"search-api-{uid}"))
    assert (stored.key, stored.actions, stored.indexes) == (key, ["search"], [uid])

    reader = meilisearch.Client(service_env.meili_url, key)
    assert total_hits(reader, uid) == 5
    with pytest.raises(MeilisearchApiError) as err:
        reader.index(uid).add_documents([{PK: "x"}])
    assert err.value.status_code == 403
    with pytest.raises(MeilisearchApiError):
        reader.get_keys()

    publisher.full_rebuild(uid, PK, SETTINGS, [make_docs(7, "b")])
    assert total_hits(reader, uid) == 7
    assert publisher.search_key(uid, f"search-api-{uid}") == key

    # a key with that name but a wider scope is not reused
    wide = publisher.client.create_key(
        {"name": f"wide-{uid}", "actions": ["search"], "indexes": [uid, "*"], "expiresAt": None}
    )
    narrow = publisher.search_key(uid, f"wide-{uid}")
    assert narrow != wide.key
    assert publisher.client.get_key(narrow).indexes == [uid]


def test_readers_never_see_an_empty_or_partial_index_during_a_rebuild(
    publisher: MeiliPublisher, service_env: services.ServiceEnv, uid: str
) -> None:
    n, m = 5_000, 40_000
    publisher.full_rebuild(uid, PK, SETTINGS, [make_docs(n, "a")])
    reader = meilisearch.Client(service_env.meili_url, publisher.search_key(uid, "reader"))
    seen: list[int] = []
    errors: list[BaseException] = []
    stop = threading.Event()

    def search_loop() -> None:
        while not stop.is_set():
            try:
                seen.append(total_hits(reader, uid))
            except BaseException as exc:  # report it in the main thread
                errors.append(exc)
                return

    thread = threading.Thread(target=search_loop, daemon=True)
    thread.start()
    try:
        time.sleep(0.2)
        report = publisher.full_rebuild(uid, PK, SETTINGS, chunks(make_docs(m, "b"), 5_000))
        deadline = time.monotonic() + 5
        while (not seen or seen[-1] != m) and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        stop.set()
        thread.join(10)
    assert not errors, errors[0]
    assert report.documents_added == m and report.seconds > 0
    assert set(seen) == {n, m}, sorted(set(seen))
    first_m = seen.index(m)
    assert all(t == n for t in seen[:first_m]) and all(t == m for t in seen[first_m:])
    print(f"rebuild of {m} docs: {report.seconds:.2f} s, {len(seen)} searches observed")
