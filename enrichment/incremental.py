"""Keeps `enriched/enriched_candidates` in step with its inputs, touching only what changed.

Which candidates a run builds again:

* those with a change in `normalized/candidates`, `normalized/applications`,
  `normalized/attachments` or `linked/candidate_profile_links` since the versions the last run
  recorded (Delta change data feeds; removed candidates are deleted);
* everyone after a new corpus version (profiles and the resume vocabulary drawn from the corpus
  may have changed), after a change of this stage's code, or when asked to rebuild;
* rows whose `enriched_as_of` is older than `refresh_after_days` plus a per-candidate offset of
  up to as many days again, so that years of experience move on without the whole table going
  stale on one day (about 1/(1.5 × refresh_after_days) of the rows a day).

A built row is written only when its `row_hash` (its content without the day) changed, with one
`MERGE` commit; the state (`enriched/_state.json`) is written after it. A run killed before the
state is written is simply done again by the next one: the `MERGE` is idempotent.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime
from functools import cache

import polars as pl
import pyarrow as pa
from deltalake import DeltaTable, write_deltalake

from enrichment.candidates import (
    ATS_COLUMNS,
    CANDIDATE_ID,
    ENRICHED_SCHEMA,
    enrich_candidates,
)
from enrichment.resume import (
    Vocabulary,
    default_skills,
    default_titles,
    vocabulary_from_corpus,
)
from linkage.incremental import ProfileCorpus, open_table, read_text, write_text

logger = logging.getLogger("enrichment")

TABLE_CONFIGURATION = {"delta.enableChangeDataFeed": "true"}
# Inputs whose change feed names the candidates to build again.
INPUTS = ("candidates", "applications", "attachments", "links")
DEFAULT_REFRESH_AFTER_DAYS = 90
# Candidates built per batch: bounds memory on a full build of a large lake.
BATCH_SIZE = 20_000
# Corpus values seen this often become resume vocabulary (rarer ones are mostly noise).
CORPUS_TERM_MIN_COUNT = 3


@cache
def code_version() -> str:
    """Changes when the enriched schema changes: such a run rebuilds every row."""
    schema = json.dumps({name: str(dtype) for name, dtype in ENRICHED_SCHEMA.items()})
    return hashlib.sha256(schema.encode()).hexdigest()[:12]


@dataclass(frozen=True)
class EnrichmentInputs:
    """Where the stage reads from (Delta table URIs) and writes to."""

    candidates_uri: str
    applications_uri: str
    attachments_uri: str
    links_uri: str
    enriched_uri: str
    storage_options: dict[str, str] = field(default_factory=dict)

    def uri(self, name: str) -> str:
        return {
            "candidates": self.candidates_uri,
            "applications": self.applications_uri,
            "attachments": self.attachments_uri,
            "links": self.links_uri,
        }[name]

    @property
    def state_uri(self) -> str:
        return self.enriched_uri.rstrip("/") + "_state.json"

    @property
    def vocabulary_uri(self) -> str:
        return self.enriched_uri.rstrip("/") + "_vocabulary.json"


@dataclass(frozen=True)
class EnrichmentState:
    table_ids: dict[str, str]
    versions: dict[str, int]
    corpus_version: str
    code_version: str
    finished_at: str


@dataclass(frozen=True)
class EnrichOptions:
    rebuild: bool = False
    refresh_after_days: int = DEFAULT_REFRESH_AFTER_DAYS
    as_of: date | None = None


@dataclass
class EnrichReport:
    """What a run did, for logs and asset metadata."""

    rebuilt_all_because: str | None = None
    changed_by_input: dict[str, int] = field(default_factory=dict)
    stale_refreshed: int = 0
    candidates_built: int = 0
    rows_inserted: int = 0
    rows_updated: int = 0
    rows_deleted: int = 0
    rows_total: int = 0
    matched_total: int = 0
    table_version: int | None = None
    corpus_version: str = ""
    vocabulary_sizes: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        start = time.perf_counter()
        yield
        self.seconds[name] = round(self.seconds.get(name, 0.0) + time.perf_counter() - start, 3)


# --- small I/O helpers -----------------------------------------------------------------------


def read_state(inputs: EnrichmentInputs) -> EnrichmentState | None:
    text = read_text(inputs.state_uri, inputs.storage_options)
    return EnrichmentState(**json.loads(text)) if text else None


def write_state(inputs: EnrichmentInputs, state: EnrichmentState) -> None:
    write_text(inputs.state_uri, json.dumps(asdict(state), indent=2) + "\n", inputs.storage_options)


def changed_ids(table: DeltaTable, since_version: int) -> set[str]:
    """Candidate ids in the change feed after `since_version` (up to the loaded version)."""
    if table.version() <= since_version:
        return set()
    reader = table.load_cdf(
        starting_version=since_version + 1,
        ending_version=table.version(),
        columns=[CANDIDATE_ID],
    )
    ids = pa.table(reader).column(CANDIDATE_ID).drop_null().unique().to_pylist()
    return {str(value) for value in ids}


def read_rows(
    table: DeltaTable | None, ids: list[str] | None, columns: list[str] | None = None
) -> pl.DataFrame:
    """Rows of a table (all, or those of candidates `ids`; the `columns` it has, or all);
    empty when there is no table."""
    if table is None:
        return pl.DataFrame(schema={CANDIDATE_ID: pl.String})
    scan = pl.scan_delta(table)
    if columns is not None:
        present = set(scan.collect_schema().names())
        scan = scan.select([name for name in columns if name in present])
    if ids is not None:
        scan = scan.filter(pl.col(CANDIDATE_ID).is_in(ids))
    return scan.collect()


def stale_ids(enriched: DeltaTable | None, today: date, refresh_after_days: int) -> set[str]:
    """Rows due for a refresh: older than `refresh_after_days` plus their own offset (below
    `refresh_after_days`, from a digest of the id, so refreshes spread over the days)."""
    if enriched is None or refresh_after_days <= 0:
        return set()
    rows = pl.scan_delta(enriched).select(CANDIDATE_ID, "enriched_as_of").collect()
    if rows.is_empty():
        return set()
    offsets = [
        int(hashlib.sha1(cid.encode()).hexdigest()[:8], 16) % refresh_after_days
        for cid in rows[CANDIDATE_ID].to_list()
    ]
    due = rows.with_columns(offset=pl.Series(offsets, dtype=pl.Int64)).filter(
        pl.col("enriched_as_of") + pl.duration(days=pl.col("offset") + refresh_after_days)
        <= pl.lit(today)
    )
    return set(due[CANDIDATE_ID].to_list())


# --- the vocabulary of resume terms ----------------------------------------------------------


def corpus_vocabularies(
    corpus: ProfileCorpus, corpus_version: str, inputs: EnrichmentInputs
) -> tuple[Vocabulary, Vocabulary]:
    """The default skill and title vocabularies extended with the corpus's frequent skills and
    position titles (cached beside the table per corpus version)."""
    cached = read_text(inputs.vocabulary_uri, inputs.storage_options)
    payload = json.loads(cached) if cached else {}
    if payload.get("corpus_version") != corpus_version:
        frame = corpus.read(columns=["skills", "positions"], as_of=corpus_version)
        skills = frame["skills"].explode().drop_nulls().to_list()
        titles = (
            frame.select(pl.col("positions").explode().struct.field("title"))
            .to_series()
            .drop_nulls()
            .to_list()
        )
        payload = {
            "corpus_version": corpus_version,
            "skills": _frequent(skills),
            "titles": _frequent(titles),
        }
        write_text(inputs.vocabulary_uri, json.dumps(payload) + "\n", inputs.storage_options)
    skill_vocabulary = default_skills().merge(Vocabulary.build(payload["skills"]))
    title_vocabulary = default_titles().merge(Vocabulary.build(payload["titles"]))
    return skill_vocabulary, title_vocabulary


def _frequent(values: list[str]) -> list[str]:
    """Display forms (most frequent spelling) of the phrases seen CORPUS_TERM_MIN_COUNT times."""
    vocabulary = vocabulary_from_corpus(values, min_count=CORPUS_TERM_MIN_COUNT)
    return sorted(set(vocabulary.phrases.values()))


# --- writing ---------------------------------------------------------------------------------


def merge_enriched(
    uri: str,
    rows: pl.DataFrame,
    removed: list[str],
    storage_options: dict[str, str],
    *,
    complete: bool = False,
) -> dict[str, int]:
    """Upsert `rows` whose hash changed, delete `removed`, in one MERGE commit.

    With `complete`, `rows` are every live candidate and any other row is deleted.
    """
    schema = ENRICHED_SCHEMA
    gone = pl.DataFrame({CANDIDATE_ID: removed}, schema={CANDIDATE_ID: pl.String})
    source = pl.concat([rows, gone], how="diagonal_relaxed").select(
        pl.col(name).cast(dtype) for name, dtype in schema.items()
    )
    table = open_table(uri, storage_options)
    if table is None:
        write_deltalake(
            uri,
            pl.DataFrame(schema=schema).to_arrow(),
            configuration=TABLE_CONFIGURATION,
            storage_options=storage_options or None,
        )
        table = DeltaTable(uri, storage_options=storage_options or None)
    if source.is_empty() and not complete:
        return {"inserted": 0, "updated": 0, "deleted": 0}
    merge = (
        table.merge(source.to_arrow(), "t.candidate_id = s.candidate_id", "s", "t")
        .when_matched_delete(predicate="s.row_hash IS NULL")
        .when_matched_update_all(predicate="s.row_hash <> t.row_hash")
        .when_not_matched_insert_all(predicate="s.row_hash IS NOT NULL")
    )
    if complete:
        merge = merge.when_not_matched_by_source_delete()
    metrics = merge.execute()
    return {
        "inserted": metrics.get("num_target_rows_inserted", 0),
        "updated": metrics.get("num_target_rows_updated", 0),
        "deleted": metrics.get("num_target_rows_deleted", 0),
    }


# --- a run -----------------------------------------------------------------------------------


def enrich_changes(
    inputs: EnrichmentInputs,
    corpus: ProfileCorpus,
    options: EnrichOptions = EnrichOptions(),
    *,
    log: Callable[[str], None] = logger.info,
) -> EnrichReport:
    """Build the candidates that changed (see the module docstring) and write them.

    Raises:
        FileNotFoundError: `normalized/candidates` does not exist yet.
    """
    report = EnrichReport()
    tables = {name: open_table(inputs.uri(name), inputs.storage_options) for name in INPUTS}
    if tables["candidates"] is None:
        raise FileNotFoundError(
            f"no candidates table at {inputs.candidates_uri}: run the normalized assets first"
        )
    enriched = open_table(inputs.enriched_uri, inputs.storage_options)
    state = read_state(inputs)
    corpus_version = corpus.version()
    report.corpus_version = corpus_version
    today = options.as_of or datetime.now(UTC).date()

    with report.stage("vocabulary"):
        skills, titles = corpus_vocabularies(corpus, corpus_version, inputs)
        report.vocabulary_sizes = {"skills": len(skills), "titles": len(titles)}

    with report.stage("scope"):
        report.rebuilt_all_because = _why_rebuild_all(
            options, state, enriched, tables, corpus_version
        )
        ids: list[str] | None
        if report.rebuilt_all_because:
            ids = None
            log(f"building every candidate: {report.rebuilt_all_because}")
        else:
            assert state is not None
            scope: set[str] = set()
            for name in INPUTS:
                table = tables[name]
                found = (
                    changed_ids(table, state.versions.get(name, -1)) if table is not None else set()
                )
                report.changed_by_input[name] = len(found)
                scope |= found
            stale = stale_ids(enriched, today, options.refresh_after_days) - scope
            report.stale_refreshed = len(stale)
            ids = sorted(scope | stale)
            log(f"building {len(ids)} candidates: {report.changed_by_input}, stale {len(stale)}")

    with report.stage("build and write"):
        _build_and_write(
            inputs, tables, corpus, corpus_version, ids, today, (skills, titles), report, log
        )

    final = DeltaTable(inputs.enriched_uri, storage_options=inputs.storage_options or None)
    report.table_version = final.version()
    counts = (
        pl.scan_delta(final)
        .select(pl.len().alias("rows"), pl.col("profile_id").is_not_null().sum().alias("matched"))
        .collect()
    )
    report.rows_total = int(counts["rows"][0])
    report.matched_total = int(counts["matched"][0])
    write_state(
        inputs,
        EnrichmentState(
            table_ids={n: t.metadata().id for n, t in tables.items() if t is not None},
            versions={n: t.version() for n, t in tables.items() if t is not None},
            corpus_version=corpus_version,
            code_version=code_version(),
            finished_at=datetime.now(UTC).isoformat(),
        ),
    )
    return report


def _why_rebuild_all(
    options: EnrichOptions,
    state: EnrichmentState | None,
    enriched: DeltaTable | None,
    tables: dict[str, DeltaTable | None],
    corpus_version: str,
) -> str | None:
    if options.rebuild:
        return "asked to rebuild"
    if state is None or enriched is None:
        return "first run"
    if state.code_version != code_version():
        return "the enriched schema changed"
    if state.corpus_version != corpus_version:
        return f"new corpus version {corpus_version}"
    for name, table in tables.items():
        if table is not None and state.table_ids.get(name) not in (None, table.metadata().id):
            return f"the {name} table was recreated"
    return None


def _build_and_write(
    inputs: EnrichmentInputs,
    tables: dict[str, DeltaTable | None],
    corpus: ProfileCorpus,
    corpus_version: str,
    ids: list[str] | None,
    today: date,
    vocabularies: tuple[Vocabulary, Vocabulary],
    report: EnrichReport,
    log: Callable[[str], None],
) -> None:
    """Build the candidates (`None` = all) in batches; one MERGE at the end."""
    live_ids = read_rows(tables["candidates"], ids, [CANDIDATE_ID])[CANDIDATE_ID].sort().to_list()
    removed = sorted(set(ids) - set(live_ids)) if ids is not None else []
    built: list[pl.DataFrame] = []
    for start in range(0, len(live_ids), BATCH_SIZE):
        batch = live_ids[start : start + BATCH_SIZE]
        built.append(_build_batch(tables, corpus, corpus_version, batch, today, vocabularies))
        report.candidates_built += len(batch)
        log(f"built {report.candidates_built}/{len(live_ids)} candidates")
    rows = pl.concat(built) if built else pl.DataFrame(schema=ENRICHED_SCHEMA)
    counts = merge_enriched(
        inputs.enriched_uri, rows, removed, inputs.storage_options, complete=ids is None
    )
    report.rows_inserted = counts["inserted"]
    report.rows_updated = counts["updated"]
    report.rows_deleted = counts["deleted"]


def _build_batch(
    tables: dict[str, DeltaTable | None],
    corpus: ProfileCorpus,
    corpus_version: str,
    ids: list[str],
    today: date,
    vocabularies: tuple[Vocabulary, Vocabulary],
) -> pl.DataFrame:
    candidates = read_rows(tables["candidates"], ids, list(ATS_COLUMNS))
    applications = read_rows(tables["applications"], ids)
    attachments = read_rows(tables["attachments"], ids)
    links = read_rows(tables["links"], ids)
    profile_ids = links["profile_id"].drop_nulls().unique().to_list() if links.height else []
    profiles = read_profiles(corpus, corpus_version, profile_ids)
    skills, titles = vocabularies
    return enrich_candidates(
        candidates,
        applications,
        attachments,
        links,
        profiles,
        as_of=today,
        skills=skills,
        titles=titles,
    )


def read_profiles(corpus: ProfileCorpus, corpus_version: str, ids: list[str]) -> pl.DataFrame:
    """The corpus rows of `ids` (the corpus's `read` with an id filter when it has one)."""
    if not ids:
        return pl.DataFrame(schema={"profile_id": pl.String})
    reader = getattr(corpus, "read_ids", None)
    if reader is not None:
        return reader(ids, as_of=corpus_version)
    frame = corpus.read(as_of=corpus_version)
    return frame.filter(pl.col("profile_id").cast(pl.String).is_in(ids))
