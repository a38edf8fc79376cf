"""The model: match weights from m/u and the prior, term-frequency adjustment, evidence that
adds up to the weight, save/load with a content-bound model_version, and assignment."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import polars as pl
import pytest
import recordlinkage
from polars.testing import assert_frame_equal

from linkage import (
    LinkageModel,
    best_match,
    block_on,
    evaluate,
    exact_comparison,
    one_to_one,
    string_comparison,
)

LEFT = pl.DataFrame(
    {
        "id": [1, 2, 3, 4],
        "name": ["smith", "smith", "zielinski", "ann"],
        "city": ["york", "york", "york", "leeds"],
    }
)
RIGHT = pl.DataFrame(
    {
        "id": [11, 12, 13],
        "name": ["smith", "zielinski", "anne"],
        "city": ["york", "york", "leeds"],
    }
)


def _model(term_frequency: bool = False) -> LinkageModel:
    model = LinkageModel(
        [
            string_comparison("name", (0.9,), term_frequency=term_frequency),
            exact_comparison("city"),
        ],
        [block_on("city")],
    )
    model.set_parameters(
        m=[[0.05, 0.15, 0.8], [0.2, 0.8]],
        u=[[0.9, 0.05, 0.05], [0.75, 0.25]],
        probability_two_random_records_match=0.2,
    )
    return model


def _pair(frame: pl.DataFrame, left_id: int, right_id: int) -> dict:
    return frame.filter((pl.col("left_id") == left_id) & (pl.col("right_id") == right_id)).row(
        0, named=True
    )


def test_weight_is_prior_plus_level_weights() -> None:
    scored = _model().predict(LEFT, RIGHT)
    pair = _pair(scored, 3, 12)  # exact name, same city
    expected = math.log2(0.2 / 0.8) + math.log2(0.8 / 0.05) + math.log2(0.8 / 0.25)
    assert pair["match_weight"] == pytest.approx(expected)
    assert pair["match_probability"] == pytest.approx(2**expected / (1 + 2**expected))
    assert pair["blocked_by"] == "city"


def test_evidence_names_each_comparison_level_and_weight() -> None:
    scored = _model().predict(LEFT, RIGHT)
    pair = _pair(scored, 4, 13)  # "ann" vs "anne": Jaro-Winkler 0.95
    assert [(e["comparison"], e["level"]) for e in pair["evidence"]] == [
        ("name", "jaro_winkler >= 0.9"),
        ("city", "exact"),
    ]
    total = sum(e["weight"] for e in pair["evidence"]) + math.log2(0.2 / 0.8)
    assert total == pytest.approx(pair["match_weight"], abs=0.02)


def test_term_frequency_rare_name_weighs_more_than_common() -> None:
    plain = _model().predict(LEFT, RIGHT)
    adjusted = _model(term_frequency=True).predict(LEFT, RIGHT)
    # "smith" is 3 of 7 names, "zielinski" 2 of 7: tf(smith) > u_exact > ... both > 0.05
    smith = _pair(adjusted, 1, 11)["match_weight"] - _pair(plain, 1, 11)["match_weight"]
    zielinski = _pair(adjusted, 3, 12)["match_weight"] - _pair(plain, 3, 12)["match_weight"]
    assert smith == pytest.approx(math.log2(0.05 / (3 / 7)), abs=1e-6)
    assert zielinski == pytest.approx(math.log2(0.05 / (2 / 7)), abs=1e-6)
    assert zielinski > smith
    evidence = _pair(adjusted, 1, 11)["evidence"][0]
    assert evidence["weight"] == pytest.approx(math.log2(0.8 / (3 / 7)), abs=0.01)


def test_threshold_filters_on_probability() -> None:
    model = _model()
    everything = model.predict(LEFT, RIGHT)
    kept = model.predict(LEFT, RIGHT, threshold=0.9, evidence=False)
    assert kept.height == everything.filter(pl.col("match_probability") >= 0.9).height > 0
    assert "evidence" not in kept.columns


def test_save_load_round_trip_keeps_scores_and_version(tmp_path: Path) -> None:
    model = _model(term_frequency=True)
    path = tmp_path / "model.json"
    version = model.save(path)
    loaded = LinkageModel.load(path)
    assert loaded.model_version == version == model.model_version
    assert version.startswith("fs-")
    assert loaded.predict(LEFT, RIGHT).equals(model.predict(LEFT, RIGHT))


def test_version_changes_with_parameters_and_edits_are_refused(tmp_path: Path) -> None:
    model = _model()
    other = _model()
    other.set_parameters(
        m=[[0.05, 0.15, 0.8], [0.3, 0.7]],
        u=[[0.9, 0.05, 0.05], [0.75, 0.25]],
        probability_two_random_records_match=0.2,
    )
    assert model.model_version != other.model_version
    path = tmp_path / "model.json"
    model.save(path)
    document = json.loads(path.read_text())
    document["parameters"]["probability_two_random_records_match"] = 0.5
    path.write_text(json.dumps(document))
    with pytest.raises(ValueError, match="does not match its content"):
        LinkageModel.load(path)


def test_fit_then_predict_separates_matches() -> None:
    rng = np.random.default_rng(0)
    letters = np.array(list("abcdefghijklmnopqrstuvwxyz"))
    names = ["".join(rng.choice(letters, 8)) for _ in range(400)]
    cities = [f"city{i % 40}" for i in range(400)]
    left = pl.DataFrame({"id": range(400), "name": names, "city": cities})
    noisy = [n if rng.random() > 0.1 else n[:-1] + "#" for n in names]
    right = pl.DataFrame({"id": range(1000, 1400), "name": noisy, "city": cities}).sample(
        fraction=1.0, shuffle=True, seed=1
    )
    model = LinkageModel(
        [string_comparison("name", (0.9,)), exact_comparison("city")],
        [block_on("city")],
        training_rules=[block_on("city"), block_on("name")],
        u_sample_pairs=20_000,
    ).fit(left, right)
    links = one_to_one(model.predict(left, right), threshold=0.9)
    truth = pl.DataFrame({"left_id": range(400), "right_id": range(1000, 1400)})
    scores = evaluate(links, truth)
    assert scores.precision == 1.0 and scores.recall > 0.95
    assert model.training["sessions"][0]["estimated"] == ["name"]


def test_fit_refuses_a_comparison_no_session_estimates() -> None:
    model = LinkageModel([exact_comparison("name")], [block_on("name")], u_sample_pairs=100)
    with pytest.raises(ValueError, match="no training rule estimates"):
        model.fit(LEFT, RIGHT)


def test_one_to_one_is_greedy_by_score() -> None:
    pairs = pl.DataFrame(
        {
            "left_id": [1, 1, 2, 2, 3],
            "right_id": [10, 20, 10, 30, 30],
            "match_probability": [0.99, 0.98, 0.97, 0.5, 0.96],
        }
    )
    kept = one_to_one(pairs, threshold=0.6)
    assert kept.select("left_id", "right_id").rows() == [(1, 10), (3, 30)]
    best = best_match(pairs)
    assert best.select("left_id", "right_id").rows() == [(1, 10), (2, 10), (3, 30)]


def test_one_to_one_matches_a_plain_greedy_loop() -> None:
    rng = np.random.default_rng(5)
    pairs = pl.DataFrame(
        {
            "left_id": rng.integers(0, 300, 3000),
            "right_id": rng.integers(0, 300, 3000),
            "match_probability": rng.random(3000),
        }
    ).unique(subset=["left_id", "right_id"])
    used_left, used_right, expected = set(), set(), set()
    ordered = pairs.sort(
        ["match_probability", "left_id", "right_id"], descending=[True, False, False]
    )
    for left_id, right_id, _ in ordered.iter_rows():
        if left_id not in used_left and right_id not in used_right:
            used_left.add(left_id)
            used_right.add(right_id)
            expected.add((left_id, right_id))
    assert set(one_to_one(pairs).select("left_id", "right_id").rows()) == expected


def test_evaluate_agrees_with_recordlinkage_metrics() -> None:
    truth = pl.DataFrame({"left_id": [1, 2, 3, 4], "right_id": [5, 6, 7, 8]})
    found = pl.DataFrame({"left_id": [1, 2, 9], "right_id": [5, 7, 9]})
    scores = evaluate(found, truth)
    as_index = lambda frame: pd.MultiIndex.from_frame(frame.to_pandas())  # noqa: E731
    assert scores.precision == pytest.approx(
        recordlinkage.precision(as_index(truth), as_index(found))
    )
    assert scores.recall == pytest.approx(recordlinkage.recall(as_index(truth), as_index(found)))
    assert scores.f1 == pytest.approx(recordlinkage.fscore(as_index(truth), as_index(found)))


def test_empty_input_gives_empty_links_and_fit_refuses_it() -> None:
    model = _model()
    nobody = LEFT.clear()
    scored = model.predict(nobody, RIGHT, threshold=0.9)
    assert scored.is_empty() and "evidence" in scored.columns
    assert one_to_one(scored).is_empty() and best_match(scored).is_empty()
    with pytest.raises(ValueError, match="both sides"):
        model.fit(nobody, RIGHT)


def test_the_right_side_is_encoded_once_for_calls_with_the_same_frame(monkeypatch) -> None:
    """Batches of left records against one corpus frame reuse its encoding (an incremental run
    links a few candidates against a million profiles several times), with the scores a fresh
    encoding gives: left values the corpus lacks get new codes, not colliding ones."""
    from linkage.internals import encoding

    batches = [LEFT.head(2), LEFT.tail(2), LEFT.with_columns(name=pl.lit("zzz-unknown"))]
    fresh = [_model(term_frequency=True).predict(batch, RIGHT.clone()) for batch in batches]
    calls = []
    original = encoding.encode_side

    def counting(*args, **kwargs):
        calls.append(1)
        return original(*args, **kwargs)

    monkeypatch.setattr("linkage.model.encode_side", counting)
    model = _model(term_frequency=True)
    reused = [model.predict(batch, RIGHT) for batch in batches]
    assert len(calls) == 1
    for expected, result in zip(fresh, reused, strict=True):
        assert_frame_equal(result.sort("left_id", "right_id"), expected.sort("left_id", "right_id"))
    model.predict(LEFT, RIGHT.clone())  # another frame object: encoded again
    assert len(calls) == 2
