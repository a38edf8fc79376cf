"""A smoke run of the search benchmark (bench/search.py): a tiny index, both sides answer, the
RESULT line has its format. Performance is the bench's to measure, never asserted here."""

from __future__ import annotations

import re
import uuid
from pathlib import Path

import meilisearch
import pytest
from meilisearch.errors import MeilisearchApiError

from bench import search
from bench.search_documents import document, document_batches
from search_index.schema import DOCUMENT_FIELDS

pytestmark = pytest.mark.services

TEST_DATA_DIR = Path(__file__).resolve().parents[1] / ".data" / "test"
LEADING_KEYS = [
    "docs", "concurrency", "api_p50_ms", "api_p99_ms", "direct_p50_ms", "direct_p99_ms",
    "p50_ratio", "api_qps",
]  # fmt: skip
SMOKE_ARGS = (
    "--docs", "300", "--concurrency", "4", "--requests", "120", "--warmup", "20",
    "--queries", "30", "--rounds", "2",
)  # fmt: skip
NUMBER = re.compile(r"\d+(\.\d+)?")


def test_documents_are_deterministic_and_follow_the_schema() -> None:
    docs = [doc for batch in document_batches(60, seed=3, size=25) for doc in batch]
    assert len(docs) == 60
    assert docs[41] == document(41, seed=3)  # any document alone, the same
    assert document(41, seed=4) != docs[41]
    assert all(set(doc) <= set(DOCUMENT_FIELDS) for doc in docs)
    # every document has the facet the API sums for exact totals
    assert all(isinstance(doc["is_active"], bool) for doc in docs)
    resume_words = [len(doc["resume_text"].split()) for doc in docs]
    assert min(resume_words) >= 100 and 200 <= sum(resume_words) / len(docs) <= 500
    assert any(doc["is_matched"] for doc in docs) and not all(doc["is_matched"] for doc in docs)


def test_smoke_run(service_env, capsys: pytest.CaptureFixture[str]) -> None:
    uid = f"test_bench_search_{uuid.uuid4().hex[:10]}"
    argv = [*SMOKE_ARGS, "--data-dir", str(TEST_DATA_DIR), "--index", uid]
    assert search.main(argv) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert [line for line in lines if line.startswith("RESULT")] == [lines[-1]]
    fields = dict(item.split("=", 1) for item in lines[-1].split()[1:])
    assert list(fields)[: len(LEADING_KEYS)] == LEADING_KEYS
    assert fields["docs"] == "300" and fields["concurrency"] == "4"
    assert all(NUMBER.fullmatch(value) for value in fields.values()), fields
    # both sides answered every request
    assert fields["api_requests"] == fields["direct_requests"] == "120"
    assert fields["api_errors"] == fields["direct_errors"] == "0"
    assert float(fields["api_qps"]) > 0 and float(fields["direct_qps"]) > 0
    assert float(fields["p50_ratio"]) > 0
    # the index is dropped without --keep-index
    client = meilisearch.Client(service_env.meili_url, service_env.meili_master_key)
    with pytest.raises(MeilisearchApiError):
        client.get_index(uid)
