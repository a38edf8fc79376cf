"""A sandbox world taken through the real assets: raw → normalized → linkage → enrichment →
index, for the tests of the later stages (and of the search API) to share.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import dagster as dg
import meilisearch

from assets.enrichment import ENRICHMENT_ASSETS, ENRICHMENT_CHECKS
from assets.linkage import LINKAGE_ASSETS, LINKAGE_CHECKS
from assets.normalized import normalized
from assets.normalized_checks import NORMALIZED_CHECKS
from assets.search_index import SEARCH_ASSETS, SEARCH_CHECKS
from resources import LakeResource, MeilisearchResource, ProfileCorpusResource
from sandbox.services import ServiceEnv
from sandbox.world import generate_world
from tests.test_normalized_pipeline import extract_days, load_datacopy

DOWNSTREAM = [*LINKAGE_ASSETS, *LINKAGE_CHECKS, *ENRICHMENT_ASSETS, *ENRICHMENT_CHECKS]
INDEX = [*SEARCH_ASSETS, *SEARCH_CHECKS]


@dataclass(frozen=True)
class PipelineWorld:
    world: Path
    lake: Path
    meili: ServiceEnv
    index_uid: str

    @property
    def corpus(self) -> Path:
        return self.world / "profiles.parquet"

    def resources(self) -> dict:
        return {
            "lake": LakeResource(root_uri=str(self.lake)),
            "corpus": ProfileCorpusResource(uri=str(self.corpus)),
            "meilisearch": MeilisearchResource(
                url=self.meili.meili_url,
                api_key=self.meili.meili_master_key,
                index_uid=self.index_uid,
                task_timeout_s=300,
            ),
        }

    def client(self) -> meilisearch.Client:
        return meilisearch.Client(self.meili.meili_url, self.meili.meili_master_key, timeout=60)

    def run(self, assets: list, run_config: dict | None = None) -> dg.ExecuteInProcessResult:
        result = dg.materialize(
            assets, resources=self.resources(), run_config=run_config, raise_on_error=False
        )
        for evaluation in result.get_asset_check_evaluations():
            # Warnings are expected on a partial history (applications of candidates created
            # before the extracted days); every blocking check must pass.
            blocking = evaluation.severity == dg.AssetCheckSeverity.ERROR
            assert evaluation.passed or not blocking, (evaluation.check_name, evaluation.metadata)
        assert result.success
        return result

    def normalize(self) -> dg.ExecuteInProcessResult:
        return self.run([normalized, *NORMALIZED_CHECKS])

    def downstream(self, **index_config: object) -> dg.ExecuteInProcessResult:
        """Linkage, enrichment, then the index (with its check)."""
        self.run(DOWNSTREAM)
        config = (
            {"ops": {"search__candidates_index": {"config": index_config}}}
            if index_config
            else None
        )
        return self.run(INDEX, config)


def index_metadata(result: dg.ExecuteInProcessResult) -> dict:
    event = result.asset_materializations_for_node("search__candidates_index")[0]
    return {key: value.value for key, value in event.metadata.items()}


def enrichment_metadata(result: dg.ExecuteInProcessResult) -> dict:
    event = result.asset_materializations_for_node("enriched__enriched_candidates")[0]
    return {key: value.value for key, value in event.metadata.items()}


def build_pipeline_world(
    root: Path, meili: ServiceEnv, index_uid: str, *, seed: int = 4, candidates: int = 400
) -> PipelineWorld:
    """Generate a world, extract its whole history and data copy, and run every stage."""
    summary = generate_world(
        root / "world", profiles=1500, candidates=candidates, days=10, seed=seed
    )
    meta = json.loads((summary.out_dir / "meta.json").read_text())
    first = datetime.fromisoformat(meta["history_start"]).date()
    last = datetime.fromisoformat(meta["history_end"]).date()
    lake = root / "lake"
    extract_days(summary.out_dir, lake, first, last)
    load_datacopy(summary.out_dir, lake)
    setup = PipelineWorld(summary.out_dir, lake, meili, index_uid)
    setup.normalize()
    setup.downstream()
    return setup
