"""The linkage model: train Fellegi–Sunter parameters, score pairs, explain each score.

Training (`LinkageModel.fit`):

1. **u** from random pairs: the share of each level among record pairs drawn at random, which
   are almost all non-matches (corrected afterwards for the few matches among them).
2. **m** by expectation-maximisation, one session per training blocking rule, with u fixed;
   a session leaves out the comparisons on the rule's own columns (its pairs agree there by
   construction) and each comparison's m is the mean over the sessions that estimated it.
3. The **prior** (chance that two random records match) from the sessions' match shares.

Scoring (`LinkageModel.predict`): blocked pairs are compared in chunks; a pair's match weight
is the prior's log-odds plus, per comparison, ``log2(m / u)`` of its level (plus the
term-frequency adjustment on exact agreement where configured), and its match probability is
``2**w / (1 + 2**w)``. Every returned pair carries its evidence: each comparison's level and
weight, so a person can see why two records were linked.

Parameters are stored as JSON with a ``model_version`` hash of settings and parameters, so a
pipeline loads a trained model instead of re-estimating it on every run.
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl

from linkage.blocking import BlockingRule
from linkage.comparisons import LIST_KINDS, NULL_LABEL, NUMERIC_KINDS, Comparison
from linkage.internals.em import (
    PROBABILITY_FLOOR,
    estimate_u,
    expectation_maximisation,
    merge_pattern_counts,
    pattern_counts,
)
from linkage.internals.encoding import (
    ColumnType,
    EncodedPair,
    SideEncoding,
    column_types,
    encode,
    encode_side,
)
from linkage.internals.gamma import NULL_GAMMA, gamma_matrix
from linkage.internals.pairs import Pairs, block, random_pairs, union_pairs
from linkage.internals.term_frequency import (
    adjustment,
    exact_agreement_share,
    term_frequencies,
)

logger = logging.getLogger("linkage")

FORMAT = "rediscovery.linkage/1"
EVIDENCE_DTYPE = pl.List(
    pl.Struct({"comparison": pl.String, "level": pl.String, "weight": pl.Float32})
)


def probability_to_weight(probability: float) -> float:
    """Match weight (log2 odds) of a probability.

    >>> probability_to_weight(0.9) > 3.16, probability_to_weight(0.5)
    (True, 0.0)
    """
    return math.log2(probability / (1.0 - probability))


def _weight_to_probability(weight: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp2(-np.clip(weight, -1000, 1000)))


@dataclass
class TrainedParameters:
    """m and u per comparison (indexed by gamma: else first), and the prior."""

    m: list[list[float]]
    u: list[list[float]]
    probability_two_random_records_match: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "m": [[float(f"{v:.6g}") for v in levels] for levels in self.m],
            "u": [[float(f"{v:.6g}") for v in levels] for levels in self.u],
            "probability_two_random_records_match": float(
                f"{self.probability_two_random_records_match:.6g}"
            ),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> TrainedParameters:
        return cls(data["m"], data["u"], data["probability_two_random_records_match"])


@dataclass
class RunReport:
    """What the last fit or predict did: seconds per stage and counts, for logs and benches."""

    seconds: dict[str, float] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        start = time.perf_counter()
        yield
        elapsed = time.perf_counter() - start
        self.seconds[name] = self.seconds.get(name, 0.0) + elapsed
        logger.info("%s: %.2f s", name, elapsed)


class LinkageModel:
    """A Fellegi–Sunter linkage model between a left and a right table.

    Args:
        comparisons: How records are compared, field by field.
        blocking_rules: Which pairs are scored at prediction time (their union).
        left_id: Unique id column of the left input.
        right_id: Unique id column of the right input (defaults to ``left_id``).
        training_rules: Blocking rules for the EM sessions (defaults to ``blocking_rules``).
        column_types: Override the inferred type of a column (``string``, ``list``,
            ``numeric``).
        u_sample_pairs: Random pairs used to estimate u.
        max_training_pairs: Pairs per EM session above this are sampled down.
        chunk_size: Pairs scored per chunk at prediction (bounds memory).
        seed: Seed of every random draw, so training is reproducible.

    Example:
        >>> from linkage import block_on, exact_comparison, string_comparison
        >>> left = pl.DataFrame({"id": [1, 2, 3], "name": ["ann", "bob", "cy"],
        ...                      "city": ["x", "y", "z"]})
        >>> right = pl.DataFrame({"id": [7, 8, 9], "name": ["ann", "rob", "cy"],
        ...                       "city": ["x", "y", "q"]})
        >>> model = LinkageModel(
        ...     [string_comparison("name"), exact_comparison("city")],
        ...     [block_on("name"), block_on("city")],
        ... )
        >>> model.set_parameters(
        ...     m=[[0.05, 0.05, 0.1, 0.8], [0.1, 0.9]],
        ...     u=[[0.97, 0.01, 0.01, 0.01], [0.9, 0.1]],
        ...     probability_two_random_records_match=1 / 3,
        ... )
        >>> links = model.predict(left, right, threshold=0.5)
        >>> links.select("left_id", "right_id").rows()
        [(1, 7), (3, 9)]
        >>> links["evidence"][0].to_list()[0]  # doctest: +ELLIPSIS
        {'comparison': 'name', 'level': 'exact', 'weight': 6.32...}
    """

    def __init__(
        self,
        comparisons: Sequence[Comparison],
        blocking_rules: Sequence[BlockingRule],
        *,
        left_id: str = "id",
        right_id: str | None = None,
        training_rules: Sequence[BlockingRule] | None = None,
        column_types: dict[str, ColumnType] | None = None,
        u_sample_pairs: int = 500_000,
        max_training_pairs: int = 2_000_000,
        chunk_size: int = 2_000_000,
        seed: int = 42,
    ) -> None:
        names = [comparison.name for comparison in comparisons]
        if len(set(names)) != len(names):
            raise ValueError(f"comparison names must be unique: {names}")
        self.comparisons = list(comparisons)
        self.blocking_rules = list(blocking_rules)
        self.training_rules = list(training_rules or blocking_rules)
        self.left_id = left_id
        self.right_id = right_id or left_id
        self.column_types = dict(column_types or {})
        self.u_sample_pairs = u_sample_pairs
        self.max_training_pairs = max_training_pairs
        self.chunk_size = chunk_size
        self.seed = seed
        self.parameters: TrainedParameters | None = None
        self.training: dict[str, Any] = {}
        self.trained_at: str | None = None
        self.last_run = RunReport()
        self._encoded_inputs: tuple[pl.DataFrame, pl.DataFrame, EncodedPair] | None = None
        # The right side (a profile corpus) encoded once for every call with the same frame:
        # an incremental run links a few candidates against a million profiles several times.
        self._encoded_right: tuple[pl.DataFrame, SideEncoding] | None = None

    # --- settings ----------------------------------------------------------------------------

    def settings(self) -> dict[str, Any]:
        """The model's configuration as plain data (everything but trained values)."""
        return {
            "comparisons": [comparison.to_dict() for comparison in self.comparisons],
            "blocking_rules": [rule.to_dict() for rule in self.blocking_rules],
            "training_rules": [rule.to_dict() for rule in self.training_rules],
            "left_id": self.left_id,
            "right_id": self.right_id,
            "column_types": dict(sorted(self.column_types.items())),
            "u_sample_pairs": self.u_sample_pairs,
            "max_training_pairs": self.max_training_pairs,
            "seed": self.seed,
        }

    @property
    def model_version(self) -> str:
        """Hash of settings and trained parameters: equal versions score identically.

        Raises:
            RuntimeError: The model has not been trained.
        """
        parameters = self._require_parameters()
        content = {"settings": self.settings(), "parameters": parameters.to_dict()}
        digest = hashlib.sha256(json.dumps(content, sort_keys=True).encode()).hexdigest()
        return f"fs-{digest[:16]}"

    def _column_types(self) -> dict[str, ColumnType]:
        types: dict[str, ColumnType] = {}
        for comparison in self.comparisons:
            for level in comparison.levels:
                if level.kind in LIST_KINDS:
                    types[level.column] = "list"
                elif level.kind in NUMERIC_KINDS:
                    types[level.column] = "numeric"
        return {**types, **self.column_types}

    def _columns(self) -> list[str]:
        columns: dict[str, None] = {}
        for comparison in self.comparisons:
            columns.update(dict.fromkeys(comparison.columns))
        for rule in [*self.blocking_rules, *self.training_rules]:
            columns.update(dict.fromkeys(rule.columns))
        return list(columns)

    def _encode(self, left: pl.DataFrame, right: pl.DataFrame) -> EncodedPair:
        # fit() then predict() on the same frames (the usual batch run) encodes them once.
        cached = self._encoded_inputs
        if cached is not None and cached[0] is left and cached[1] is right:
            return cached[2]
        for frame, column, side in ((left, self.left_id, "left"), (right, self.right_id, "right")):
            if column not in frame.columns:
                raise KeyError(f"id column {column!r} is missing from the {side} input")
            if frame[column].n_unique() != len(frame):
                raise ValueError(f"id column {column!r} of the {side} input is not unique")
        encoded = encode(left, self._right_side(left, right), self._columns(), self._column_types())
        self._encoded_inputs = (left, right, encoded)
        return encoded

    def _right_side(self, left: pl.DataFrame, right: pl.DataFrame) -> SideEncoding:
        """The right frame's encoding, kept while calls bring the very same frame object."""
        types = column_types(left, self._columns(), self._column_types())
        cached = self._encoded_right
        # Same object, same frame: the pipeline never edits a frame in place (the row count
        # only guards the plainest misuse).
        if (
            cached is not None
            and cached[0] is right
            and cached[1].types == types
            and cached[1].n_rows == right.height
        ):
            return cached[1]
        side = encode_side(right, self._columns(), types=types)
        self._encoded_right = (right, side)
        return side

    def _n_levels(self) -> list[int]:
        return [len(comparison.levels) + 1 for comparison in self.comparisons]

    # --- training ----------------------------------------------------------------------------

    def fit(self, left: pl.DataFrame, right: pl.DataFrame) -> LinkageModel:
        """Estimate u, m and the prior from the two inputs (no labels needed).

        Args:
            left: Left records, one row per ``left_id``.
            right: Right records, one row per ``right_id``.

        Returns:
            The model itself, trained.

        Raises:
            ValueError: Either input is empty (there is nothing to learn from).
        """
        if left.is_empty() or right.is_empty():
            raise ValueError("fit() needs records on both sides")
        report = self.last_run = RunReport()
        with report.stage("encode"):
            encoded = self._encode(left, right)
        with report.stage("estimate u"):
            u_raw, u_pairs = self._estimate_u(encoded)
        m_sessions: list[list[np.ndarray]] = [[] for _ in self.comparisons]
        sessions = []
        expected_matches = 0.0
        for rule in self.training_rules:
            with report.stage(f"EM {rule.name}"):
                session = self._em_session(encoded, rule, u_raw)
            sessions.append(session["summary"])
            expected_matches = max(expected_matches, session["expected_matches"])
            for index in session["active"]:
                m_sessions[index].append(session["m"][index])
        untrained = [c.name for c, ms in zip(self.comparisons, m_sessions, strict=True) if not ms]
        if untrained:
            raise ValueError(
                f"no training rule estimates m of {untrained}: add a training rule that does "
                "not block on their columns"
            )
        m = [np.mean(np.stack(values), axis=0) for values in m_sessions]
        total_pairs = max(encoded.n_left * encoded.n_right, 1)
        most_matches = min(encoded.n_left, encoded.n_right)
        prior = float(np.clip(min(expected_matches, most_matches) / total_pairs, 1e-12, 0.5))
        u = self._remove_matches_from_u(u_raw, m, prior, u_pairs)
        trained = TrainedParameters([v.tolist() for v in m], [v.tolist() for v in u], prior)
        # Round-trip through the stored form, so a loaded model scores exactly like this one.
        self.parameters = TrainedParameters.from_dict(trained.to_dict())
        self.trained_at = datetime.now(UTC).isoformat(timespec="seconds")
        self.training = {
            "left_records": encoded.n_left,
            "right_records": encoded.n_right,
            "u_sample_pairs": int(u_pairs),
            "expected_matches": round(expected_matches, 1),
            "sessions": sessions,
            "seconds": {k: round(v, 3) for k, v in report.seconds.items()},
        }
        return self

    def _estimate_u(self, encoded: EncodedPair) -> tuple[list[np.ndarray], int]:
        left_rows, right_rows = random_pairs(
            encoded.n_left, encoded.n_right, self.u_sample_pairs, self.seed
        )
        parts = []
        for start in range(0, len(left_rows), self.chunk_size):
            stop = start + self.chunk_size
            gamma = gamma_matrix(
                encoded, self.comparisons, left_rows[start:stop], right_rows[start:stop]
            )
            parts.append(pattern_counts(gamma))
        patterns, counts = merge_pattern_counts(parts, len(self.comparisons))
        u = estimate_u(patterns, counts, self._n_levels())
        for index, comparison in enumerate(self.comparisons):
            top = comparison.levels[0]
            if (
                top.kind == "exact"
                and encoded.column_type(top.column) == "string"
                and comparison.null_columns == (top.column,)
            ):
                u[index] = self._with_exact_u(u[index], exact_agreement_share(encoded, top.column))
        return u, len(left_rows)

    @staticmethod
    def _with_exact_u(u: np.ndarray, exact_share: float) -> np.ndarray:
        """Replace the sampled u of exact agreement (the top level) by its exact value.

        Rare values agree too seldom for a sample to measure (one in a million pairs); the
        other levels keep their sampled shares of the remaining probability.
        """
        rest = u[:-1] / max(u[:-1].sum(), 1e-300)
        exact_share = float(np.clip(exact_share, PROBABILITY_FLOOR, 1 - PROBABILITY_FLOOR))
        return np.append(rest * (1.0 - exact_share), exact_share)

    def _em_session(
        self, encoded: EncodedPair, rule: BlockingRule, u: list[np.ndarray]
    ) -> dict[str, Any]:
        left_rows, right_rows = block(encoded, rule)
        n_pairs = len(left_rows)
        if n_pairs > self.max_training_pairs:
            keep = np.random.default_rng(self.seed).choice(
                n_pairs, self.max_training_pairs, replace=False
            )
            left_rows, right_rows = left_rows[keep], right_rows[keep]
        gamma = gamma_matrix(encoded, self.comparisons, left_rows, right_rows)
        patterns, counts = pattern_counts(gamma)
        blocked_columns = rule.covered_columns
        active = [
            index
            for index, comparison in enumerate(self.comparisons)
            if not blocked_columns & set(comparison.columns)
        ]
        result = expectation_maximisation(
            patterns, counts, self._initial_m(), u, match_share=0.3, active=active
        )
        return {
            "m": result.m,
            "active": active,
            "expected_matches": result.match_share * n_pairs,
            "summary": {
                "rule": rule.name,
                "pairs": int(n_pairs),
                "pairs_used": len(left_rows),
                "match_share": round(result.match_share, 6),
                "iterations": result.iterations,
                "converged": result.converged,
                "estimated": [self.comparisons[i].name for i in active],
            },
        }

    def _initial_m(self) -> list[np.ndarray]:
        """Most matches agree at the top level; the rest spread over the lower ones."""
        initial = []
        for levels in self._n_levels():
            values = np.full(levels, 0.1 / max(levels - 1, 1))
            values[-1] = 0.9
            initial.append(values / values.sum())
        return initial

    @staticmethod
    def _remove_matches_from_u(
        u: list[np.ndarray], m: list[np.ndarray], prior: float, sample_pairs: int
    ) -> list[np.ndarray]:
        """u among non-matches: random pairs include a few matches, which inflate agreement."""
        floor = 0.5 / max(sample_pairs, 1)
        corrected = []
        for u_levels, m_levels in zip(u, m, strict=True):
            values = np.maximum((u_levels - prior * m_levels) / (1.0 - prior), floor)
            corrected.append(np.clip(values / values.sum(), PROBABILITY_FLOOR, 1.0))
        return corrected

    def set_parameters(
        self,
        *,
        m: Sequence[Sequence[float]],
        u: Sequence[Sequence[float]],
        probability_two_random_records_match: float,
    ) -> None:
        """Set parameters by hand (tests, or values agreed with a reviewer).

        Each list is indexed by gamma: ``else`` first, the comparison's top level last.
        """
        for comparison, m_levels, u_levels in zip(self.comparisons, m, u, strict=True):
            expected = len(comparison.levels) + 1
            if len(m_levels) != expected or len(u_levels) != expected:
                raise ValueError(f"{comparison.name}: expected {expected} values for m and u")
        self.parameters = TrainedParameters(
            [list(map(float, v)) for v in m],
            [list(map(float, v)) for v in u],
            float(probability_two_random_records_match),
        )

    def _require_parameters(self) -> TrainedParameters:
        if self.parameters is None:
            raise RuntimeError("the model is not trained: call fit() or load()")
        return self.parameters

    # --- weights -----------------------------------------------------------------------------

    def level_weights(self) -> list[np.ndarray]:
        """Match weight ``log2(m / u)`` per comparison, indexed by gamma (``else`` first)."""
        parameters = self._require_parameters()
        return [
            np.log2(np.maximum(np.asarray(m), PROBABILITY_FLOOR) / np.asarray(u))
            for m, u in zip(parameters.m, parameters.u, strict=True)
        ]

    def weights_table(self) -> pl.DataFrame:
        """Every comparison level with its m, u and weight: the model at a glance.

        Example:
            >>> # model.weights_table().filter(pl.col("comparison") == "surname")
        """
        parameters = self._require_parameters()
        rows = []
        for comparison, m, u, weights in zip(
            self.comparisons, parameters.m, parameters.u, self.level_weights(), strict=True
        ):
            for gamma, label in enumerate(comparison.level_labels):
                rows.append(
                    {
                        "comparison": comparison.name,
                        "gamma": gamma,
                        "level": label,
                        "m": m[gamma],
                        "u": u[gamma],
                        "weight": float(weights[gamma]),
                    }
                )
        return pl.DataFrame(rows)

    @property
    def prior_weight(self) -> float:
        """Log2 odds that two random records match: the starting point of every pair."""
        return probability_to_weight(
            self._require_parameters().probability_two_random_records_match
        )

    # --- prediction --------------------------------------------------------------------------

    def predict(
        self,
        left: pl.DataFrame,
        right: pl.DataFrame,
        *,
        threshold: float | None = None,
        evidence: bool = True,
    ) -> pl.DataFrame:
        """Score the blocked pairs of ``left`` × ``right``.

        Args:
            left: Left records (must hold ``left_id`` and the compared columns).
            right: Right records.
            threshold: Keep pairs with ``match_probability`` at least this; all when None.
            evidence: Add the ``evidence`` column (list of {comparison, level, weight}).

        Returns:
            One row per kept pair: ``left_id``, ``right_id``, ``match_weight``,
            ``match_probability``, ``blocked_by`` and (optionally) ``evidence``.
        """
        report = self.last_run = RunReport()
        with report.stage("encode"):
            encoded = self._encode(left, right)
        self._encoded_inputs = None  # the next call may bring other frames: hold no memory
        with report.stage("blocking"):
            pairs = union_pairs(encoded, self.blocking_rules)
        report.counts["pairs"] = len(pairs)
        with report.stage("scoring"):
            kept, gamma, adjustments, weights = self._score(encoded, pairs, threshold)
        report.counts["kept"] = len(kept)
        with report.stage("output"):
            result = self._output(left, right, kept, gamma, adjustments, weights, evidence)
        return result

    def _tf_columns(self) -> dict[int, tuple[int, str]]:
        """Comparison index → (gamma of its term-frequency level, column)."""
        columns = {}
        for index, comparison in enumerate(self.comparisons):
            for gamma, level in zip(
                range(len(comparison.levels), 0, -1), comparison.levels, strict=True
            ):
                if level.term_frequency:
                    columns[index] = (gamma, level.column)
                    break
        return columns

    def _score(
        self, encoded: EncodedPair, pairs: Pairs, threshold: float | None
    ) -> tuple[Pairs, np.ndarray, np.ndarray, np.ndarray]:
        level_weights = [np.append(w, 0.0) for w in self.level_weights()]  # gamma -1 → 0
        parameters = self._require_parameters()
        tf_columns = self._tf_columns()
        frequencies = {
            index: term_frequencies(encoded, column) for index, (_, column) in tf_columns.items()
        }
        minimum = -np.inf
        if threshold is not None:
            minimum = np.inf if threshold >= 1 else probability_to_weight(max(threshold, 1e-300))
        kept_parts, gamma_parts, adjustment_parts, weight_parts = [], [], [], []
        for start in range(0, len(pairs), self.chunk_size):
            chunk = pairs.take(slice(start, start + self.chunk_size))
            gamma = gamma_matrix(encoded, self.comparisons, chunk.left, chunk.right)
            adjustments = np.zeros(gamma.shape, dtype=np.float32)
            for index, (tf_gamma, column) in tf_columns.items():
                agree = np.flatnonzero(gamma[:, index] == tf_gamma)
                codes = encoded.strings[column][0][chunk.left[agree]]
                u_exact = parameters.u[index][tf_gamma]
                adjustments[agree, index] = adjustment(frequencies[index], codes, u_exact)
            weight = np.full(len(chunk), self.prior_weight)
            for index, weights in enumerate(level_weights):
                weight += weights[gamma[:, index]]
            weight += adjustments.sum(axis=1)
            keep = np.flatnonzero(weight >= minimum)
            kept_parts.append(chunk.take(keep))
            gamma_parts.append(gamma[keep])
            adjustment_parts.append(adjustments[keep])
            weight_parts.append(weight[keep])
        if not kept_parts:
            empty = pairs.take(slice(0, 0))
            shape = (0, len(self.comparisons))
            return empty, np.zeros(shape, np.int8), np.zeros(shape, np.float32), np.zeros(0)
        kept = Pairs(
            np.concatenate([p.left for p in kept_parts]),
            np.concatenate([p.right for p in kept_parts]),
            np.concatenate([p.rule for p in kept_parts]),
        )
        return (
            kept,
            np.concatenate(gamma_parts),
            np.concatenate(adjustment_parts),
            np.concatenate(weight_parts),
        )

    def _output(
        self,
        left: pl.DataFrame,
        right: pl.DataFrame,
        kept: Pairs,
        gamma: np.ndarray,
        adjustments: np.ndarray,
        weights: np.ndarray,
        evidence: bool,
    ) -> pl.DataFrame:
        rule_names = np.array([rule.name for rule in self.blocking_rules] or [""], dtype=object)
        result = pl.DataFrame(
            {
                "left_id": left[self.left_id].gather(kept.left),
                "right_id": right[self.right_id].gather(kept.right),
                "match_weight": weights,
                "match_probability": _weight_to_probability(weights),
                "blocked_by": rule_names[kept.rule].astype(str) if len(kept) else [],
            },
            schema_overrides={"blocked_by": pl.String},
        )
        if evidence:
            result = result.with_columns(self._evidence(gamma, adjustments).alias("evidence"))
        return result

    def _evidence(self, gamma: np.ndarray, adjustments: np.ndarray) -> pl.Series:
        """Per pair, per comparison: its level label and the weight it added.

        Built flat (pairs × comparisons rows) and reshaped into one list per pair: polars
        assembles that far faster than concatenating per-comparison struct columns.
        """
        n_pairs, n_comparisons = gamma.shape
        if not n_pairs:
            return pl.Series("evidence", [], dtype=EVIDENCE_DTYPE)
        label_codes = np.empty(gamma.shape, dtype=np.int32)
        level_weight = np.empty(gamma.shape, dtype=np.float32)
        labels: list[str] = []
        for index, (comparison, weights) in enumerate(
            zip(self.comparisons, self.level_weights(), strict=True)
        ):
            # Code of (comparison, gamma): gamma -1 ("missing") reads the last label.
            comparison_labels = [*comparison.level_labels, NULL_LABEL]
            label_codes[:, index] = len(labels) + np.where(
                gamma[:, index] == NULL_GAMMA, len(comparison_labels) - 1, gamma[:, index]
            )
            labels.extend(comparison_labels)
            level_weight[:, index] = np.append(weights, 0.0)[gamma[:, index]]
        level_weight += adjustments
        names = [comparison.name for comparison in self.comparisons]
        flat = pl.DataFrame(
            {
                "comparison": pl.Series(np.tile(np.arange(n_comparisons), n_pairs)).replace_strict(
                    list(range(n_comparisons)), names, return_dtype=pl.String
                ),
                "level": pl.Series(label_codes.ravel()).replace_strict(
                    list(range(len(labels))), labels, return_dtype=pl.String
                ),
                "weight": pl.Series(np.round(level_weight.ravel(), 2), dtype=pl.Float32),
            }
        ).to_struct("evidence")
        return flat.reshape((n_pairs, n_comparisons)).cast(EVIDENCE_DTYPE)

    # --- persistence -------------------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        """Settings, trained parameters, version and training summary as plain data."""
        parameters = self._require_parameters()
        return {
            "format": FORMAT,
            "model_version": self.model_version,
            "trained_at": self.trained_at,
            "settings": self.settings(),
            "parameters": parameters.to_dict(),
            "training": self.training,
        }

    def save(self, path: str | Path) -> str:
        """Write the model as JSON; returns its ``model_version``.

        Example:
            >>> # version = model.save("models/person.json"); LinkageModel.load(...)
        """
        document = self.to_dict()
        Path(path).write_text(json.dumps(document, indent=2, sort_keys=True) + "\n")
        return document["model_version"]

    @classmethod
    def from_dict(cls, document: dict[str, Any]) -> LinkageModel:
        """Inverse of `to_dict`; checks the stored version against the content."""
        if document.get("format") != FORMAT:
            raise ValueError(f"not a linkage model document: format {document.get('format')!r}")
        settings = document["settings"]
        model = cls(
            [Comparison.from_dict(c) for c in settings["comparisons"]],
            [BlockingRule.from_dict(r) for r in settings["blocking_rules"]],
            left_id=settings["left_id"],
            right_id=settings["right_id"],
            training_rules=[BlockingRule.from_dict(r) for r in settings["training_rules"]],
            column_types=settings.get("column_types") or None,
            u_sample_pairs=settings["u_sample_pairs"],
            max_training_pairs=settings["max_training_pairs"],
            seed=settings["seed"],
        )
        model.parameters = TrainedParameters.from_dict(document["parameters"])
        model.trained_at = document.get("trained_at")
        model.training = document.get("training", {})
        if model.model_version != document["model_version"]:
            raise ValueError(
                f"model_version {document['model_version']} does not match its content "
                f"({model.model_version}): the file was edited"
            )
        return model

    @classmethod
    def load(cls, path: str | Path) -> LinkageModel:
        """Read a model written by `save`."""
        return cls.from_dict(json.loads(Path(path).read_text()))


__all__ = ["EVIDENCE_DTYPE", "NULL_GAMMA", "LinkageModel", "TrainedParameters"]
