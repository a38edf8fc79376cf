"""Accuracy of predicted links against known true links."""

from __future__ import annotations

from dataclasses import asdict, dataclass

import polars as pl


@dataclass(frozen=True)
class LinkageScores:
    """Counts and rates of a set of predicted links against the truth."""

    true_positives: int
    false_positives: int
    false_negatives: int

    @property
    def precision(self) -> float:
        predicted = self.true_positives + self.false_positives
        return self.true_positives / predicted if predicted else 1.0

    @property
    def recall(self) -> float:
        actual = self.true_positives + self.false_negatives
        return self.true_positives / actual if actual else 1.0

    @property
    def f1(self) -> float:
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0

    def as_dict(self) -> dict[str, float]:
        return {
            **asdict(self),
            "precision": self.precision,
            "recall": self.recall,
            "f1": self.f1,
        }


def evaluate(
    predicted: pl.DataFrame,
    truth: pl.DataFrame,
    *,
    left: str = "left_id",
    right: str = "right_id",
) -> LinkageScores:
    """Precision, recall and F1 of ``predicted`` links against ``truth`` (same id columns).

    Duplicate rows count once on either side.

    >>> truth = pl.DataFrame({"left_id": [1, 2, 3], "right_id": [7, 8, 9]})
    >>> found = pl.DataFrame({"left_id": [1, 2, 4], "right_id": [7, 9, 9]})
    >>> scores = evaluate(found, truth)
    >>> scores.true_positives, round(scores.precision, 3), round(scores.recall, 3)
    (1, 0.333, 0.333)
    """
    predicted_pairs = predicted.select(left, right).unique()
    true_pairs = truth.select(left, right).unique()
    true_positives = predicted_pairs.join(true_pairs, on=[left, right], how="semi").height
    return LinkageScores(
        true_positives=true_positives,
        false_positives=predicted_pairs.height - true_positives,
        false_negatives=true_pairs.height - true_positives,
    )
