"""Incremental linkage of the normalized candidates to the profile corpus (no Dagster).

A run re-links only the candidates whose link can have changed since the previous run:

- **Changed candidates**: read from the Delta change data feed of `normalized/candidates`
  since the table version the previous run processed. A candidate counts as changed only when a
  column linkage reads (`LINKAGE_COLUMNS`) differs between its state before and after those
  commits, so a new application status alone re-links nothing. Deleted candidates lose their
  link.
- **A new corpus version**: profiles are diffed against the previous version's prepared
  profiles (stored with a hash of their raw row, so only new or edited rows are prepared again;
  an edit that prepares to the same comparable columns is no change). Re-linked are the
  candidates linked to (or runner-up of) a changed or removed profile, and those that share a
  blocking key with an added or changed profile — found with the model's own blocking rules
  against the stored prepared candidates. Resumes that mention a term new to the corpus
  (employer, school, skill, title) are mined again; candidates whose comparable columns changed
  by it are re-linked too.
- **Everything** is re-linked when there is no previous run, the model version or the threshold
  changed, the change feed cannot be read, or `relink_all` is asked for.

Links are deterministic first: a candidate whose canonical LinkedIn URL (from the record or its
resume), else GitHub URL, is the URL of exactly one profile is linked to that profile whatever
the model prefers; every other candidate gets its best profile at or above the threshold
(`linkage.person.link_candidates`). Every link is scored by the model, so each one carries the
per-comparison evidence.

Stored under `<LAKE_URI>/linked/`: `candidate_profile_links` (the contract table, with change
data feed; a row is rewritten only when its decision or explanation changes — `with_link_hash` —
so `linked_at` says when the link last changed), the caches
`_prepared_candidates` and `_prepared_profiles` (comparable columns), `models/<version>.json`
with the `models/current.json` pointer, and `_state.json` (the versions a run processed).
The state is written last and every step before it recomputes the same result from the same
inputs, so a run killed at any point is completed by the next one.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from itertools import pairwise
from typing import Any, Protocol

import polars as pl
import pyarrow as pa
import pyarrow.fs as pafs
from deltalake import DeltaTable, write_deltalake
from deltalake.exceptions import DeltaError, TableNotFoundError

from linkage.model import EVIDENCE_DTYPE, LinkageModel
from linkage.person import (
    PERSON_THRESHOLD,
    link_candidates,
    person_model,
    prepare_candidates,
    prepare_profiles,
    profile_vocabulary,
    string_lists,
)
from normalize.contacts import canonical_phone
from normalize.urls import canonical_github_url, canonical_linkedin_url

logger = logging.getLogger("linkage")

# Columns of normalized/candidates that linkage reads: a change elsewhere re-links nothing.
LINKAGE_COLUMNS = (
    "first_name", "last_name", "emails", "phones", "city", "state", "linkedin_url",
    "github_url", "other_urls", "resume_text",
)  # fmt: skip
CANDIDATE_ID = "candidate_id"
PROFILE_ID = "profile_id"
LINKS_SCHEMA: dict[str, pl.DataType] = {
    "candidate_id": pl.String(),
    "profile_id": pl.String(),
    "match_probability": pl.Float64(),
    "match_method": pl.String(),
    "evidence": EVIDENCE_DTYPE,
    "model_version": pl.String(),
    "linked_at": pl.Datetime("us", "UTC"),
    "match_weight": pl.Float64(),
    "runner_up_profile_id": pl.String(),
    "runner_up_probability": pl.Float64(),
    "link_hash": pl.String(),
}
METHODS = ("linkedin_url", "github_url", "fellegi_sunter")
RAW_HASH = "raw_hash"
PREPARED_HASH = "prepared_hash"
TABLE_CONFIGURATION = {"delta.enableChangeDataFeed": "true"}
CURRENT_MODEL = "current.json"
# Within one commit a row's old image precedes its new one.
CHANGE_ORDER = {"update_preimage": 0, "delete": 0, "insert": 1, "update_postimage": 1}


# --- object storage --------------------------------------------------------------------------

# Every spelling deltalake (object_store) accepts for these options → pyarrow's argument, so
# the small files beside the tables go where the tables go, whichever spelling the lake uses.
_S3_OPTIONS = {
    **dict.fromkeys(("aws_access_key_id", "access_key_id"), "access_key"),
    **dict.fromkeys(("aws_secret_access_key", "secret_access_key"), "secret_key"),
    **dict.fromkeys(("aws_session_token", "session_token", "aws_token", "token"), "session_token"),
    **dict.fromkeys(("aws_region", "region", "aws_default_region", "default_region"), "region"),
    **dict.fromkeys(
        ("aws_endpoint_url", "aws_endpoint", "endpoint_url", "endpoint"), "endpoint_override"
    ),
}
_S3_ALLOW_HTTP = ("aws_allow_http", "allow_http")
_S3_SCHEMES = ("s3://", "s3a://")


def open_filesystem(
    uri: str, storage_options: dict[str, str] | None = None
) -> tuple[pafs.FileSystem, str]:
    """A pyarrow filesystem and path for a local path or `s3://…` (`s3a://…`) URI.

    The Delta storage options of the lake (`AWS_ACCESS_KEY_ID`, `AWS_ENDPOINT_URL`,
    `AWS_ALLOW_HTTP`, …) configure S3; missing ones come from the environment.
    """
    if uri.startswith(_S3_SCHEMES):
        options = {key.lower(): value for key, value in (storage_options or {}).items()}
        arguments = {name: options[key] for key, name in _S3_OPTIONS.items() if key in options}
        if any(options.get(key, "").lower() == "true" for key in _S3_ALLOW_HTTP):
            arguments["scheme"] = "http"
        return pafs.S3FileSystem(**arguments), uri.split("://", 1)[1]
    if "://" in uri and not uri.startswith("file://"):
        return pafs.FileSystem.from_uri(uri)
    return pafs.LocalFileSystem(), os.path.abspath(uri.removeprefix("file://"))


def read_text(uri: str, storage_options: dict[str, str] | None = None) -> str | None:
    """The text of a small file, or None when it does not exist."""
    filesystem, path = open_filesystem(uri, storage_options)
    if filesystem.get_file_info(path).type == pafs.FileType.NotFound:
        return None
    with filesystem.open_input_stream(path) as stream:
        return stream.read().decode("utf-8")


def write_text(uri: str, text: str, storage_options: dict[str, str] | None = None) -> None:
    """Write a small file whole (an object-store put, or a local write then rename)."""
    filesystem, path = open_filesystem(uri, storage_options)
    filesystem.create_dir(path.rsplit("/", 1)[0], recursive=True)
    temporary = f"{path}.tmp" if isinstance(filesystem, pafs.LocalFileSystem) else path
    with filesystem.open_output_stream(temporary) as stream:
        stream.write(text.encode("utf-8"))
    if temporary != path:
        filesystem.move(temporary, path)


def open_table(uri: str, storage_options: dict[str, str]) -> DeltaTable | None:
    try:
        return DeltaTable(uri, storage_options=storage_options or None)
    except TableNotFoundError:
        return None


def _overwrite(uri: str, frame: pl.DataFrame, storage_options: dict[str, str]) -> None:
    write_deltalake(
        uri,
        frame.to_arrow(),
        mode="overwrite",
        schema_mode="overwrite",
        configuration=TABLE_CONFIGURATION,
        storage_options=storage_options or None,
    )


# --- where the stage keeps its data ----------------------------------------------------------


@dataclass(frozen=True)
class LinkageStore:
    """The stage's tables and files under one root (`<LAKE_URI>/linked`)."""

    root_uri: str
    storage_options: dict[str, str] = field(default_factory=dict)

    def _uri(self, name: str) -> str:
        return f"{self.root_uri.rstrip('/')}/{name}"

    @property
    def links_uri(self) -> str:
        return self._uri("candidate_profile_links")

    @property
    def prepared_candidates_uri(self) -> str:
        return self._uri("_prepared_candidates")

    @property
    def prepared_profiles_uri(self) -> str:
        return self._uri("_prepared_profiles")

    @property
    def models_uri(self) -> str:
        return self._uri("models")

    @property
    def state_uri(self) -> str:
        return self._uri("_state.json")


@dataclass(frozen=True)
class LinkageState:
    """What the last completed run processed (`candidates_table_id` tells a table recreated
    since, whose versions start again, from the one whose version was recorded)."""

    candidates_table_id: str
    candidates_version: int
    corpus_version: str
    model_version: str
    threshold: float
    finished_at: str


def read_state(store: LinkageStore) -> LinkageState | None:
    text = read_text(store.state_uri, store.storage_options)
    return LinkageState(**json.loads(text)) if text else None


def write_state(store: LinkageStore, state: LinkageState) -> None:
    write_text(store.state_uri, json.dumps(asdict(state), indent=2) + "\n", store.storage_options)


# --- the trained model -----------------------------------------------------------------------


def load_current_model(
    model_dir: str, storage_options: dict[str, str] | None = None
) -> LinkageModel | None:
    """The model `current.json` points to, or None when none was trained yet."""
    pointer = read_text(f"{model_dir}/{CURRENT_MODEL}", storage_options)
    if pointer is None:
        return None
    version = json.loads(pointer)["model_version"]
    document = read_text(f"{model_dir}/{version}.json", storage_options)
    if document is None:
        raise FileNotFoundError(f"{model_dir}/{CURRENT_MODEL} points to a missing model {version}")
    return LinkageModel.from_dict(json.loads(document))


def save_model(
    model_dir: str, model: LinkageModel, storage_options: dict[str, str] | None = None
) -> str:
    """Write `<model_version>.json`, then point `current.json` at it; returns the version."""
    document = model.to_dict()
    version = document["model_version"]
    text = json.dumps(document, indent=2, sort_keys=True) + "\n"
    write_text(f"{model_dir}/{version}.json", text, storage_options)
    pointer = {"model_version": version, "updated_at": datetime.now(UTC).isoformat()}
    write_text(f"{model_dir}/{CURRENT_MODEL}", json.dumps(pointer) + "\n", storage_options)
    return version


def train_or_load(
    model_dir: str,
    candidates: pl.DataFrame,
    profiles: pl.DataFrame,
    *,
    retrain: bool = False,
    storage_options: dict[str, str] | None = None,
) -> tuple[LinkageModel, bool]:
    """The current model, fitted on prepared candidates and profiles only when there is none
    (or `retrain`); returns the model and whether it was trained now."""
    model = None if retrain else load_current_model(model_dir, storage_options)
    if model is not None:
        return model, False
    return train_model(model_dir, candidates, profiles, storage_options), True


def train_model(
    model_dir: str,
    candidates: pl.DataFrame,
    profiles: pl.DataFrame,
    storage_options: dict[str, str] | None = None,
) -> LinkageModel:
    """Fit the person model on prepared candidates and profiles and make it the current one."""
    model = person_model().fit(candidates, profiles)
    save_model(model_dir, model, storage_options)
    return model


# --- candidates: normalized rows → comparable columns ----------------------------------------


def _unique(values: Iterable[str | None]) -> list[str]:
    return list(dict.fromkeys(value for value in values if value))


def prepare_normalized_candidates(
    rows: pl.DataFrame, vocabulary: dict[str, frozenset[str]]
) -> pl.DataFrame:
    """`normalized/candidates` rows as the comparable columns of `linkage.person`.

    The record's lists (all e-mails and phones, the LinkedIn/GitHub URLs and `other_urls`)
    come before what is found in the resume text.
    """
    record = rows.select(
        CANDIDATE_ID, "first_name", "last_name", "city", "state", linkedin="linkedin_url"
    )
    resumes = rows.select(CANDIDATE_ID, plaintext="resume_text").drop_nulls("plaintext")
    prepared = prepare_candidates(record, resumes, vocabulary)
    lists = rows.select(CANDIDATE_ID, "emails", "phones", "github_url", "other_urls")
    emails, phones, linkedin, github = [], [], [], []
    for row, found in zip(lists.iter_rows(named=True), prepared.iter_rows(named=True), strict=True):
        others = row["other_urls"] or []
        emails.append(_unique([*(row["emails"] or []), *found["emails"]]))
        phones.append(_unique([*map(canonical_phone, row["phones"] or []), *found["phones"]]))
        linkedin.append(_unique([*found["linkedin_urls"], *map(canonical_linkedin_url, others)]))
        github.append(
            _unique([row["github_url"], *found["github_urls"], *map(canonical_github_url, others)])
        )
    return prepared.with_columns(
        string_lists(emails, "emails"),
        string_lists(phones, "phones"),
        string_lists(linkedin, "linkedin_urls"),
        string_lists(github, "github_urls"),
    )


def row_hashes(frame: pl.DataFrame, columns: Iterable[str]) -> pl.Series:
    """A digest per row of the JSON of its values: unlike polars' row hash, it does not change
    between processes or polars versions, so it can be stored and compared later."""
    encoded = frame.select(pl.struct(list(columns)).struct.json_encode()).to_series()
    return pl.Series(
        [hashlib.sha256(text.encode()).hexdigest()[:32] for text in encoded.to_list()],
        dtype=pl.String,
    )


@dataclass(frozen=True)
class CandidateChanges:
    """What the change feed says: current rows of changed candidates and removed ids."""

    rows: pl.DataFrame
    removed: list[str]
    in_feed: int = 0


def candidate_changes(feed: pl.DataFrame) -> CandidateChanges:
    """Reduce a change data feed to each candidate's state before and after the window.

    >>> feed = pl.DataFrame({"candidate_id": ["1", "1", "2", "3"],
    ...     "first_name": ["Ann", "Ann", "Bo", "Cy"], "status": ["new", "hired", "new", "x"],
    ...     "_change_type": ["update_preimage", "update_postimage", "insert", "delete"],
    ...     "_commit_version": [4, 4, 5, 5]})
    >>> changes = candidate_changes(feed.with_columns(
    ...     [pl.lit(None).alias(c) for c in LINKAGE_COLUMNS if c != "first_name"]))
    >>> changes.rows["candidate_id"].to_list(), changes.removed
    (['2'], ['3'])
    """
    ordered = feed.with_columns(
        _order=pl.col("_change_type").replace_strict(CHANGE_ORDER, return_dtype=pl.Int8),
        _linkage_hash=row_hashes(feed, LINKAGE_COLUMNS),
    ).sort(CANDIDATE_ID, "_commit_version", "_order", maintain_order=True)
    first = ordered.group_by(CANDIDATE_ID, maintain_order=True).first()
    last = ordered.group_by(CANDIDATE_ID, maintain_order=True).last()
    compared = last.join(
        first.select(CANDIDATE_ID, before_type="_change_type", before_hash="_linkage_hash"),
        on=CANDIDATE_ID,
    )
    existed_before = pl.col("before_type").is_in(["update_preimage", "delete"])
    exists_after = pl.col("_change_type").is_in(["insert", "update_postimage"])
    changed = compared.filter(
        exists_after & (~existed_before | (pl.col("_linkage_hash") != pl.col("before_hash")))
    )
    removed = compared.filter(~exists_after)[CANDIDATE_ID].sort().to_list()
    return CandidateChanges(
        rows=changed.select(CANDIDATE_ID, *LINKAGE_COLUMNS).sort(CANDIDATE_ID),
        removed=removed,
        in_feed=compared.height,
    )


def read_candidate_changes(table: DeltaTable, since_version: int) -> CandidateChanges:
    """Changes committed after `since_version` up to the table's loaded version."""
    if table.version() <= since_version:
        return CandidateChanges(pl.DataFrame(schema={CANDIDATE_ID: pl.String}), [])
    reader = table.load_cdf(
        starting_version=since_version + 1,
        ending_version=table.version(),
        columns=[CANDIDATE_ID, *LINKAGE_COLUMNS, "_change_type", "_commit_version"],
    )
    return candidate_changes(pl.DataFrame(pa.table(reader)))


def read_candidates(
    table: DeltaTable, ids: Iterable[str] | None = None, columns: Iterable[str] = LINKAGE_COLUMNS
) -> pl.DataFrame:
    """Rows of the loaded table version (all, or those `ids`)."""
    scan = pl.scan_delta(table).select(CANDIDATE_ID, *columns)
    if ids is not None:
        scan = scan.filter(pl.col(CANDIDATE_ID).is_in(sorted(ids)))
    return scan.collect().sort(CANDIDATE_ID)


def candidate_count(table: DeltaTable) -> int:
    actions = pa.table(table.get_add_actions(flatten=True))
    return int(pa.compute.sum(actions["num_records"]).as_py() or 0)


# --- the corpus ------------------------------------------------------------------------------


class ProfileCorpus(Protocol):
    """What linkage needs of the corpus (`resources.corpus.ProfileCorpusResource`)."""

    def version(self) -> str: ...

    def read(self, columns: list[str] | None = None, as_of: str | None = None) -> pl.DataFrame: ...


@dataclass(frozen=True)
class CorpusDiff:
    """Profiles whose comparable columns differ between two corpus versions."""

    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not (self.added or self.changed or self.removed)

    def counts(self) -> dict[str, int]:
        return {
            "added": len(self.added),
            "changed": len(self.changed),
            "removed": len(self.removed),
        }


def refresh_prepared_profiles(
    raw: pl.DataFrame, cached: pl.DataFrame | None
) -> tuple[pl.DataFrame, CorpusDiff]:
    """Prepared profiles of a corpus version, reusing the cached rows whose raw row is unchanged.

    Returns:
        The prepared profiles with `raw_hash` and `prepared_hash`, and the diff against the
        cached version (everything counts as added when there is no cache).

    Raises:
        ValueError: The corpus is empty or repeats a `profile_id`.
    """
    if raw.is_empty():
        raise ValueError("the profile corpus is empty")
    duplicated = raw.filter(pl.col(PROFILE_ID).is_duplicated())[PROFILE_ID].unique()
    if duplicated.len():
        raise ValueError(f"profile_id is not unique in the corpus: {duplicated.head(5).to_list()}")
    raw = raw.with_columns(pl.col(PROFILE_ID).cast(pl.String))
    hashes = raw.select(PROFILE_ID, row_hashes(raw, raw.columns).alias(RAW_HASH))
    if cached is None:
        cached = pl.DataFrame(
            schema=dict.fromkeys((PROFILE_ID, RAW_HASH, PREPARED_HASH), pl.String)
        )
    reused = cached.join(hashes, on=[PROFILE_ID, RAW_HASH], how="semi")
    fresh_raw = raw.join(reused.select(PROFILE_ID), on=PROFILE_ID, how="anti")
    frames = [reused]
    if fresh_raw.height:
        fresh = prepare_profiles(fresh_raw)
        fresh = fresh.with_columns(row_hashes(fresh, fresh.columns).alias(PREPARED_HASH))
        frames.append(fresh.join(hashes, on=PROFILE_ID))
    profiles = pl.concat(frames, how="diagonal_relaxed").sort(PROFILE_ID)
    before = dict(cached.select(PROFILE_ID, PREPARED_HASH).iter_rows())
    after = dict(profiles.select(PROFILE_ID, PREPARED_HASH).iter_rows())
    diff = CorpusDiff(
        added=sorted(after.keys() - before.keys()),
        changed=sorted(key for key in after.keys() & before.keys() if after[key] != before[key]),
        removed=sorted(before.keys() - after.keys()),
    )
    return profiles, diff


def new_terms(old: dict[str, frozenset[str]], new: dict[str, frozenset[str]]) -> list[str]:
    """Terms the new vocabulary knows as a kind (employer, school, …) the old one did not.

    >>> new_terms({"acme": frozenset({"employers"})},
    ...           {"acme": frozenset({"employers", "skills"}), "mit": frozenset({"schools"})})
    ['acme', 'mit']
    """
    return sorted(term for term, kinds in new.items() if kinds - old.get(term, frozenset()))


def mentioning(resumes: pl.DataFrame, terms: list[str]) -> list[str]:
    """Ids of the candidates whose resume text mentions any of `terms` (a superset filter:
    the mining that follows decides)."""
    if not terms or resumes.is_empty():
        return []
    hit = pl.col("resume_text").str.to_lowercase().str.contains_any(terms)
    return resumes.filter(hit)[CANDIDATE_ID].to_list()


def blocked_with(model: LinkageModel, candidates: pl.DataFrame, profiles: pl.DataFrame) -> set[str]:
    """Candidates that share a blocking key of the model with any of `profiles`."""
    if candidates.is_empty() or profiles.is_empty():
        return set()
    pairs = model.predict(candidates, profiles, evidence=False)
    return set(pairs["left_id"].to_list())


# --- linking ---------------------------------------------------------------------------------


class _KeepsScoredPairs:
    """Forwards to the model and keeps what its last `predict` scored: `link_candidates`
    returns each candidate's best profile only, the runner-up is read from these pairs."""

    def __init__(self, model: LinkageModel) -> None:
        self._model = model
        self.scored = pl.DataFrame()

    def predict(self, *args: Any, **kwargs: Any) -> pl.DataFrame:
        self.scored = self._model.predict(*args, **kwargs)
        return self.scored

    def __getattr__(self, name: str) -> Any:
        return getattr(self._model, name)


def deterministic_pairs(candidates: pl.DataFrame, profiles: pl.DataFrame) -> pl.DataFrame:
    """Each candidate's profile by LinkedIn URL, else GitHub URL, where that URL belongs to
    exactly one profile; the candidate's own order of URLs (record first) breaks ties.

    >>> candidates = pl.DataFrame({"candidate_id": ["1", "2"],
    ...     "linkedin_urls": [["linkedin.com/in/a"], []], "github_urls": [[], ["github.com/b"]]})
    >>> profiles = pl.DataFrame({"profile_id": ["p1", "p2"],
    ...     "linkedin_urls": [["linkedin.com/in/a"], []], "github_urls": [[], ["github.com/b"]]})
    >>> deterministic_pairs(candidates, profiles).rows()
    [('1', 'p1', 'linkedin_url'), ('2', 'p2', 'github_url')]
    """
    found = []
    for rank, (column, method) in enumerate(
        (("linkedin_urls", "linkedin_url"), ("github_urls", "github_url"))
    ):
        owners = (
            profiles.select(PROFILE_ID, url=pl.col(column))
            .explode("url")
            .drop_nulls("url")
            .unique()
            .filter(pl.len().over("url") == 1)
        )
        urls = (
            candidates.select(CANDIDATE_ID, url=pl.col(column))
            .with_columns(position=pl.int_ranges(pl.col("url").list.len()))
            .explode("url", "position")
            .drop_nulls("url")
        )
        found.append(
            urls.join(owners, on="url").select(
                CANDIDATE_ID, PROFILE_ID, "position", rank=pl.lit(rank), match_method=pl.lit(method)
            )
        )
    return (
        pl.concat(found)
        .sort(CANDIDATE_ID, "rank", "position")
        .group_by(CANDIDATE_ID, maintain_order=True)
        .first()
        .select(CANDIDATE_ID, PROFILE_ID, "match_method")
    )


def _empty_links() -> pl.DataFrame:
    return pl.DataFrame(schema=LINKS_SCHEMA)


def link_deterministic_first(
    model: LinkageModel,
    candidates: pl.DataFrame,
    profiles: pl.DataFrame,
    *,
    threshold: float = PERSON_THRESHOLD,
) -> tuple[pl.DataFrame, int, int]:
    """Links of prepared candidates: a unique LinkedIn/GitHub URL match, else the model's best
    profile at or above `threshold`; each with its runner-up (the next profile above it).

    Returns:
        The links (`LINKS_SCHEMA` but `linked_at` and `link_hash`), how many deterministic
        links overrode the model's choice or its threshold, and how many blocked pairs the
        model scored (the cost of the run).
    """
    if candidates.is_empty():
        return _empty_links().drop("linked_at", "link_hash"), 0, 0
    recorder = _KeepsScoredPairs(model)
    best = link_candidates(recorder, candidates, profiles, threshold=threshold)
    pairs_scored = model.last_run.counts.get("pairs", 0)
    by_url = deterministic_pairs(candidates, profiles)
    overriding = by_url.join(best, on=[CANDIDATE_ID, PROFILE_ID], how="anti")
    overrides = (
        _score_pairs(model, candidates, profiles, overriding) if overriding.height else best.clear()
    )
    links = pl.concat(
        [best.join(overrides.select(CANDIDATE_ID), on=CANDIDATE_ID, how="anti"), overrides]
    )
    runner_up = _runner_up(links, recorder.scored)
    links = links.join(runner_up, on=CANDIDATE_ID, how="left")
    columns = [name for name in LINKS_SCHEMA if name not in ("linked_at", "link_hash")]
    return links.select(columns).sort(CANDIDATE_ID), overrides.height, pairs_scored


def _score_pairs(
    model: LinkageModel, candidates: pl.DataFrame, profiles: pl.DataFrame, pairs: pl.DataFrame
) -> pl.DataFrame:
    """Model scores of given (candidate, profile, method) pairs, in `link_candidates` form.

    Scored against the whole corpus (not just the pair's profile) so that term frequencies,
    and so weights, are those of every other link.
    """
    subset = candidates.join(pairs.select(CANDIDATE_ID), on=CANDIDATE_ID, how="semi")
    scored = model.predict(subset, profiles)
    return scored.join(
        pairs, left_on=["left_id", "right_id"], right_on=[CANDIDATE_ID, PROFILE_ID]
    ).select(
        pl.col("left_id").alias(CANDIDATE_ID),
        pl.col("right_id").alias(PROFILE_ID),
        "match_weight",
        "match_probability",
        "match_method",
        "evidence",
        pl.lit(model.model_version).alias("model_version"),
    )


def _runner_up(links: pl.DataFrame, scored: pl.DataFrame) -> pl.DataFrame:
    others = scored.select(
        pl.col("left_id").alias(CANDIDATE_ID),
        pl.col("right_id").alias("runner_up_profile_id"),
        pl.col("match_probability").alias("runner_up_probability"),
    )
    return (
        links.select(CANDIDATE_ID, PROFILE_ID)
        .join(others, on=CANDIDATE_ID)
        .filter(pl.col("runner_up_profile_id") != pl.col(PROFILE_ID))
        .sort("runner_up_probability", "runner_up_profile_id", descending=[True, False])
        .group_by(CANDIDATE_ID, maintain_order=True)
        .first()
        .drop(PROFILE_ID)
    )


# --- writing the links -----------------------------------------------------------------------


def with_link_hash(links: pl.DataFrame) -> pl.DataFrame:
    """Adds `link_hash`: the link's decision and explanation (profile, method, model version,
    runner-up, the level of each comparison, the probabilities to 0.01).

    A re-link rewrites a row only when one of these changed. Weights alone are left out: the
    model's term-frequency adjustments are computed over the candidates linked together, so
    the same link scored in a smaller batch differs in the second or third decimal of its
    probability, and that is no change a reader should see (nor `linked_at` move for).
    """
    decision = links.select(
        PROFILE_ID,
        "match_method",
        "model_version",
        "runner_up_profile_id",
        pl.col("match_probability").round(2),
        pl.col("runner_up_probability").round(2),
        levels=pl.col("evidence").list.eval(
            pl.concat_str(
                pl.element().struct.field("comparison"),
                pl.element().struct.field("level"),
                separator=": ",
            )
        ),
    )
    return links.with_columns(row_hashes(decision, decision.columns).alias("link_hash"))


@dataclass(frozen=True)
class WriteCounts:
    inserted: int = 0
    updated: int = 0
    deleted: int = 0


def merge_links(
    uri: str,
    links: pl.DataFrame,
    unlinked: Iterable[str],
    linked_at: datetime,
    storage_options: dict[str, str],
    *,
    complete: bool = False,
) -> WriteCounts:
    """Upsert the links, delete the `unlinked` candidates' links, in one MERGE commit.

    A link whose `link_hash` is unchanged keeps its row (and its `linked_at`). With `complete`,
    `links` and `unlinked` cover every live candidate, and links of any other id are deleted.
    """
    rows = with_link_hash(links.with_columns(linked_at=pl.lit(linked_at)))
    gone = pl.DataFrame({CANDIDATE_ID: sorted(set(unlinked))}, schema={CANDIDATE_ID: pl.String})
    source = pl.concat([rows, gone], how="diagonal_relaxed").select(
        pl.col(name).cast(dtype) for name, dtype in LINKS_SCHEMA.items()
    )
    table = open_table(uri, storage_options)
    if table is None:
        table = DeltaTable.create(
            uri,
            pl.DataFrame(schema=LINKS_SCHEMA).to_arrow().schema,
            configuration=TABLE_CONFIGURATION,
            storage_options=storage_options or None,
        )
    if source.is_empty() and not complete:
        return WriteCounts()
    merge = (
        table.merge(source.to_arrow(), "t.candidate_id = s.candidate_id", "s", "t")
        .when_matched_delete(predicate="s.profile_id IS NULL")
        .when_matched_update_all(predicate="s.link_hash <> t.link_hash")
        .when_not_matched_insert_all(predicate="s.profile_id IS NOT NULL")
    )
    if complete:
        merge = merge.when_not_matched_by_source_delete()
    metrics = merge.execute()
    return WriteCounts(
        metrics.get("num_target_rows_inserted", 0),
        metrics.get("num_target_rows_updated", 0),
        metrics.get("num_target_rows_deleted", 0),
    )


# --- the stored prepared candidates ----------------------------------------------------------


class PreparedCandidates:
    """The stored comparable candidate rows with this run's changes; read only when needed."""

    def __init__(self, uri: str, storage_options: dict[str, str], *, reuse: bool) -> None:
        self.uri = uri
        self.storage_options = storage_options
        self._table = open_table(uri, storage_options) if reuse else None
        self._stored: pl.DataFrame | None = None
        self._updates: list[pl.DataFrame] = []
        self._removed: set[str] = set()
        self.rebuilt = self._table is None

    def upsert(self, rows: pl.DataFrame) -> None:
        if rows.height:
            self._updates.append(rows)

    def remove(self, ids: Iterable[str]) -> None:
        self._removed.update(ids)

    def _updated(self) -> pl.DataFrame:
        if not self._updates:
            return pl.DataFrame()
        return pl.concat(self._updates, how="diagonal_relaxed").unique(
            CANDIDATE_ID, keep="last", maintain_order=True
        )

    def stored(self, ids: Iterable[str] | None = None) -> pl.DataFrame:
        """Stored rows (all, or those `ids`), as of the previous run."""
        if self._table is None:
            return pl.DataFrame()
        if ids is None:
            if self._stored is None:
                self._stored = pl.scan_delta(self._table).collect()
            return self._stored
        return pl.scan_delta(self._table).filter(pl.col(CANDIDATE_ID).is_in(sorted(ids))).collect()

    def rows(self, ids: Iterable[str] | None = None) -> pl.DataFrame:
        """Current rows (all, or those `ids`): this run's updates over the stored rows."""
        updated = self._updated()
        replaced = self._removed | set(updated[CANDIDATE_ID].to_list() if updated.height else [])
        if ids is None:
            stored = self.stored()
        else:
            wanted = set(ids) - self._removed
            if updated.height:
                updated = updated.filter(pl.col(CANDIDATE_ID).is_in(sorted(wanted)))
            still_stored = wanted - replaced
            stored = self.stored(still_stored) if still_stored else pl.DataFrame()
        if stored.height and replaced:
            stored = stored.filter(~pl.col(CANDIDATE_ID).is_in(sorted(replaced)))
        frames = [frame for frame in (stored, updated) if frame.height]
        if not frames:
            return pl.DataFrame()
        return pl.concat(frames, how="diagonal_relaxed").sort(CANDIDATE_ID)

    def write(self) -> None:
        if self.rebuilt:
            _overwrite(self.uri, self.rows(), self.storage_options)
            return
        updated = self._updated()
        if not updated.height and not self._removed:
            return
        assert self._table is not None
        gone = pl.DataFrame({CANDIDATE_ID: sorted(self._removed)}, schema={CANDIDATE_ID: pl.String})
        source = pl.concat([updated.with_columns(_keep=pl.lit(True)), gone], how="diagonal_relaxed")
        (
            self._table.merge(source.to_arrow(), "t.candidate_id = s.candidate_id", "s", "t")
            .when_matched_delete(predicate="s._keep IS NULL")
            .when_matched_update_all(predicate="s._keep", except_cols=["_keep"])
            .when_not_matched_insert_all(predicate="s._keep", except_cols=["_keep"])
            .execute()
        )


# --- a run -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class LinkOptions:
    threshold: float = PERSON_THRESHOLD
    retrain: bool = False
    relink_all: bool = False


@dataclass
class LinkReport:
    """What a run did, for logs and asset metadata."""

    relinked_all_because: str | None = None
    candidates_version: int = 0
    candidates_total: int = 0
    candidates_in_change_feed: int = 0
    candidates_changed: int = 0
    candidates_removed: int = 0
    candidates_touched_by_corpus: int = 0
    candidates_remined: int = 0
    candidates_considered: int = 0
    deterministic_overrides: int = 0
    pairs_scored: int = 0
    corpus_version: str = ""
    corpus_profiles: int = 0
    corpus_diff: dict[str, int] = field(default_factory=dict)
    model_version: str = ""
    model_trained: bool = False
    writes: WriteCounts = field(default_factory=WriteCounts)
    links: pl.DataFrame = field(default_factory=_empty_links)
    seconds: dict[str, float] = field(default_factory=dict)

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        start = time.perf_counter()
        yield
        self.seconds[name] = round(self.seconds.get(name, 0.0) + time.perf_counter() - start, 3)


def link_changes(
    store: LinkageStore,
    candidates_uri: str,
    corpus: ProfileCorpus,
    options: LinkOptions = LinkOptions(),
    *,
    log: Callable[[str], None] = logger.info,
) -> LinkReport:
    """Link what changed since the previous run and write it (see the module docstring).

    Raises:
        FileNotFoundError: `normalized/candidates` does not exist yet.
    """
    table = open_table(candidates_uri, store.storage_options)
    if table is None:
        raise FileNotFoundError(f"no candidates table at {candidates_uri}: normalize first")
    run = _Run(store, table, corpus, options, log)
    with run.report.stage("profiles"):
        run.load_profiles()
    with run.report.stage("candidates"):
        run.apply_candidate_changes()
    with run.report.stage("model"):
        if not run.load_or_train_model():
            log("no candidates to train the model on yet: nothing linked")
            return run.report
    with run.report.stage("corpus scope"):
        run.scope_corpus_changes()
    with run.report.stage("linking"):
        run.link()
    with run.report.stage("writing"):
        run.write()
    return run.report


@dataclass(frozen=True)
class _Profiles:
    """The prepared profiles of this corpus version (with their hashes) and the diff against
    the previous version's; `previous` is None when there was no stored version."""

    stored: pl.DataFrame
    diff: CorpusDiff
    previous: pl.DataFrame | None

    @property
    def comparable(self) -> pl.DataFrame:
        return self.stored.drop(RAW_HASH, PREPARED_HASH)


class _Run:
    """One run of `link_changes`, step by step; each step fills the report."""

    def __init__(
        self,
        store: LinkageStore,
        table: DeltaTable,
        corpus: ProfileCorpus,
        options: LinkOptions,
        log: Callable[[str], None],
    ) -> None:
        self.store = store
        self.table = table
        self.corpus = corpus
        self.options = options
        self.log = log
        self.state = None if options.relink_all else read_state(store)
        self.report = LinkReport(
            candidates_version=table.version(),
            candidates_total=candidate_count(table),
            corpus_version=corpus.version(),
        )
        self.prepared = PreparedCandidates(
            store.prepared_candidates_uri, store.storage_options, reuse=self.state is not None
        )
        self.changed: set[str] = set()
        self.removed: set[str] = set()
        self.touched: set[str] = set()
        self.relink_all_because: str | None = None

    def load_profiles(self) -> None:
        previous = (
            None
            if self.options.relink_all
            else _read_optional(self.store.prepared_profiles_uri, self.store)
        )
        same_version = (
            self.state is not None and self.state.corpus_version == self.report.corpus_version
        )
        if previous is not None and same_version:
            self.profiles = _Profiles(previous, CorpusDiff(), previous)
        else:
            raw = self.corpus.read(as_of=self.report.corpus_version)
            self.profiles = _Profiles(*refresh_prepared_profiles(raw, previous), previous)
        if previous is None and self.state is not None and not same_version:
            self.relink_all_because = "no stored prepared profiles to diff the corpus against"
        self.comparable_profiles = self.profiles.comparable
        self.vocabulary = profile_vocabulary(self.comparable_profiles)
        self.report.corpus_profiles = self.comparable_profiles.height
        self.report.corpus_diff = self.profiles.diff.counts()

    def apply_candidate_changes(self) -> None:
        changes = None
        if self.state is not None and self._change_feed_usable(self.state):
            changes = _changes_or_none(self.table, self.state.candidates_version, self.log)
        if changes is None:
            self.relink_all_because = self._why_prepare_all()
            self.prepared = PreparedCandidates(
                self.store.prepared_candidates_uri, self.store.storage_options, reuse=False
            )
            everyone = read_candidates(self.table)
            self.prepared.upsert(prepare_normalized_candidates(everyone, self.vocabulary))
            return
        if changes.rows.height:
            self.prepared.upsert(prepare_normalized_candidates(changes.rows, self.vocabulary))
        self.prepared.remove(changes.removed)
        self.changed = set(changes.rows[CANDIDATE_ID].to_list())
        self.removed = set(changes.removed)
        self.report.candidates_in_change_feed = changes.in_feed
        self.report.candidates_changed = len(self.changed)
        self.report.candidates_removed = len(self.removed)

    def _change_feed_usable(self, state: LinkageState) -> bool:
        return not self.prepared.rebuilt and state.candidates_table_id == self.table.metadata().id

    def _why_prepare_all(self) -> str:
        if self.options.relink_all:
            return "relink_all asked for"
        if self.state is None:
            return "first run"
        if self.prepared.rebuilt:
            return "no stored prepared candidates"
        if self.state.candidates_table_id != self.table.metadata().id:
            return "normalized/candidates was recreated"
        return "change data feed unreadable"

    def load_or_train_model(self) -> bool:
        """Load the current model, or train one; False when there is nothing to train on."""
        models, options = self.store.models_uri, self.store.storage_options
        model = None if self.options.retrain else load_current_model(models, options)
        if model is None:
            candidates = self.prepared.rows()
            if candidates.is_empty():
                return False
            model = train_model(models, candidates, self.comparable_profiles, options)
            self.report.model_trained = True
        self.model = model
        self.report.model_version = model.model_version
        self.relink_all_because = self.relink_all_because or _why_relink_all(
            self.state, model, self.options
        )
        self.report.relinked_all_because = self.relink_all_because
        return True

    def scope_corpus_changes(self) -> None:
        """Mine resumes again for new corpus terms; unless everything is re-linked anyway,
        find the candidates the new corpus version touches."""
        diff, previous = self.profiles.diff, self.profiles.previous
        if self.prepared.rebuilt or diff.is_empty or previous is None:
            return
        terms = new_terms(profile_vocabulary(previous), self.vocabulary)
        remined = _remine_new_terms(self.table, self.prepared, terms, self.vocabulary, self.changed)
        self.report.candidates_remined = len(remined)
        if self.relink_all_because is not None:
            return
        touched = remined | _touched_by_corpus(
            self.store, self.model, self.prepared, self.comparable_profiles, diff
        )
        self.touched = touched - self.changed - self.removed
        self.report.candidates_touched_by_corpus = len(self.touched)

    def link(self) -> None:
        if self.relink_all_because is None:
            self.rows = self.prepared.rows(self.changed | self.touched)
        else:
            self.rows = self.prepared.rows()
        self.links, self.report.deterministic_overrides, self.report.pairs_scored = (
            link_deterministic_first(
                self.model, self.rows, self.comparable_profiles, threshold=self.options.threshold
            )
        )
        self.report.candidates_considered = self.rows.height
        self.log(f"linked {self.links.height} of {self.rows.height} candidates considered")

    def write(self) -> None:
        """Links first, then the caches, the state last (see the module docstring)."""
        store, linked_at = self.store, datetime.now(UTC)
        considered = set(self.rows[CANDIDATE_ID].to_list()) if self.rows.height else set()
        unlinked = (considered - set(self.links[CANDIDATE_ID].to_list())) | self.removed
        self.report.writes = merge_links(
            store.links_uri,
            self.links,
            unlinked,
            linked_at,
            store.storage_options,
            complete=self.relink_all_because is not None,
        )
        self.report.links = self.links.with_columns(linked_at=pl.lit(linked_at))
        self.prepared.write()
        if self.profiles.previous is None or not self.profiles.diff.is_empty:
            _overwrite(store.prepared_profiles_uri, self.profiles.stored, store.storage_options)
        state = LinkageState(
            candidates_table_id=self.table.metadata().id,
            candidates_version=self.report.candidates_version,
            corpus_version=self.report.corpus_version,
            model_version=self.report.model_version,
            threshold=self.options.threshold,
            finished_at=linked_at.isoformat(),
        )
        write_state(store, state)


def _read_optional(uri: str, store: LinkageStore) -> pl.DataFrame | None:
    table = open_table(uri, store.storage_options)
    return None if table is None else pl.scan_delta(table).collect()


def _changes_or_none(
    table: DeltaTable, since_version: int, log: Callable[[str], None]
) -> CandidateChanges | None:
    try:
        return read_candidate_changes(table, since_version)
    except DeltaError as error:
        # A vacuumed log or a table created without the change feed: link everything instead.
        log(f"change data feed unreadable after version {since_version} ({error})")
        return None


def _why_relink_all(
    state: LinkageState | None, model: LinkageModel, options: LinkOptions
) -> str | None:
    if state is not None and state.model_version != model.model_version:
        return f"model changed ({state.model_version} → {model.model_version})"
    if state is not None and state.threshold != options.threshold:
        return f"threshold changed ({state.threshold} → {options.threshold})"
    return None


def _remine_new_terms(
    table: DeltaTable,
    prepared: PreparedCandidates,
    terms: list[str],
    vocabulary: dict[str, frozenset[str]],
    already: set[str],
) -> set[str]:
    """Prepare again the candidates whose resume mentions a new corpus term; returns those
    whose comparable columns changed by it."""
    if not terms:
        return set()
    resumes = read_candidates(table, columns=["resume_text"]).drop_nulls("resume_text")
    ids = set(mentioning(resumes, terms)) - already
    if not ids:
        return set()
    fresh = prepare_normalized_candidates(read_candidates(table, ids), vocabulary)
    stored = prepared.stored(ids)
    if stored.height:
        stored = stored.select(fresh.columns)
        unchanged = stored.filter(
            row_hashes(stored, fresh.columns).is_in(row_hashes(fresh, fresh.columns).implode())
        )
        fresh = fresh.join(unchanged.select(CANDIDATE_ID), on=CANDIDATE_ID, how="anti")
    prepared.upsert(fresh)
    return set(fresh[CANDIDATE_ID].to_list())


def _touched_by_corpus(
    store: LinkageStore,
    model: LinkageModel,
    prepared: PreparedCandidates,
    profiles: pl.DataFrame,
    diff: CorpusDiff,
) -> set[str]:
    """Candidates linked to (or runner-up of) a changed or removed profile, and candidates
    sharing a blocking key with an added or changed one."""
    gone = sorted({*diff.changed, *diff.removed})
    links = _read_optional(store.links_uri, store)
    touched: set[str] = set()
    if links is not None and gone:
        hit = pl.col(PROFILE_ID).is_in(gone) | pl.col("runner_up_profile_id").is_in(gone)
        touched |= set(links.filter(hit)[CANDIDATE_ID].to_list())
    arrived = profiles.filter(pl.col(PROFILE_ID).is_in(sorted({*diff.added, *diff.changed})))
    touched |= blocked_with(model, prepared.rows(), arrived)
    return touched


# --- quality ---------------------------------------------------------------------------------

HISTOGRAM_EDGES = (0.0, 0.5, 0.9, 0.99, 0.999, 0.9999)


def probability_histogram(probabilities: pl.Series) -> str:
    """Links per probability band as a markdown table.

    >>> print(probability_histogram(pl.Series([0.95, 0.999, 0.99999])))
    | match_probability | links | share |
    |---|---|---|
    | [0, 0.5) | 0 | 0.0 % |
    | [0.5, 0.9) | 0 | 0.0 % |
    | [0.9, 0.99) | 1 | 33.3 % |
    | [0.99, 0.999) | 0 | 0.0 % |
    | [0.999, 0.9999) | 1 | 33.3 % |
    | [0.9999, 1] | 1 | 33.3 % |
    """
    total = max(probabilities.len(), 1)
    lines = ["| match_probability | links | share |", "|---|---|---|"]
    bounds = [*HISTOGRAM_EDGES, None]
    for low, high in pairwise(bounds):
        inside = probabilities >= low
        if high is not None:
            inside &= probabilities < high
        count = int(inside.sum())
        label = f"[{low:g}, {high:g})" if high is not None else f"[{low:g}, 1]"
        lines.append(f"| {label} | {count} | {100 * count / total:.1f} % |")
    return "\n".join(lines)


def explain(evidence: list[dict[str, Any]] | None, limit: int = 5) -> str:
    """The comparisons that moved a link most, strongest first.

    >>> explain([{"comparison": "linkedin", "level": "same LinkedIn URL", "weight": 14.2},
    ...          {"comparison": "phone", "level": "missing", "weight": 0.0},
    ...          {"comparison": "location", "level": "else", "weight": -1.5}])
    'linkedin: same LinkedIn URL (+14.2); location: else (-1.5)'
    """
    moving = [item for item in evidence or [] if item["weight"]]
    moving.sort(key=lambda item: -abs(item["weight"]))
    return "; ".join(
        f"{item['comparison']}: {item['level']} ({item['weight']:+.1f})" for item in moving[:limit]
    )


@dataclass(frozen=True)
class LinkQuality:
    """Figures of a whole links table."""

    links: int
    candidates: int
    by_method: dict[str, int]
    ambiguous_candidates: int
    shared_profiles: int
    histogram: str

    @property
    def match_rate(self) -> float:
        return self.links / self.candidates if self.candidates else 0.0


def link_quality(links: pl.DataFrame, candidates: int) -> LinkQuality:
    """Match rate, links per method, ambiguity and the probability distribution.

    Ambiguous: a candidate whose runner-up profile also scored at or above the threshold.
    Shared: a profile linked by several candidates (often ATS duplicates of one person).
    """
    counts = dict(links.group_by("match_method").len().iter_rows()) if links.height else {}
    shared = links.group_by(PROFILE_ID).len().filter(pl.col("len") > 1).height
    return LinkQuality(
        links=links.height,
        candidates=candidates,
        by_method={method: int(counts.get(method, 0)) for method in METHODS},
        ambiguous_candidates=links["runner_up_probability"].is_not_null().sum(),
        shared_profiles=shared,
        histogram=probability_histogram(links["match_probability"]),
    )


def read_links(store: LinkageStore) -> pl.DataFrame:
    """The links table (empty with its schema when it does not exist yet)."""
    links = _read_optional(store.links_uri, store)
    return _empty_links() if links is None else links


__all__ = [
    "LINKAGE_COLUMNS",
    "LINKS_SCHEMA",
    "CandidateChanges",
    "CorpusDiff",
    "LinkOptions",
    "LinkQuality",
    "LinkReport",
    "LinkageState",
    "LinkageStore",
    "ProfileCorpus",
    "candidate_changes",
    "deterministic_pairs",
    "explain",
    "link_changes",
    "link_deterministic_first",
    "link_quality",
    "load_current_model",
    "merge_links",
    "open_filesystem",
    "prepare_normalized_candidates",
    "probability_histogram",
    "read_links",
    "refresh_prepared_profiles",
    "save_model",
    "train_or_load",
]
