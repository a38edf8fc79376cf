"""What the routes do: compile the query, run it in Meilisearch, shape the answer.

One sub-query runs as a plain search; several run as one federated multi-search (their union,
each document once). Totals are exact: Meilisearch caps hit counts at `maxTotalHits`, but not
facet counts, so the total is the sum of the `is_active` facet (every document has it, true or
false) over the same union. A page of a federated search then asks, in one small multi-search
restricted to the page's ids, which clauses each hit matched.
"""

from __future__ import annotations

from typing import Any

from search_api.config import ApiConfig
from search_api.insights import Insights, build_insights, facet_names
from search_api.meili import MeiliReader
from search_api.models import HealthResponse, Hit, InsightsRequest, SearchRequest, SearchResponse
from search_api.query import (
    Plan,
    clause_probe_queries,
    clauses_from_probe,
    compile_query,
    matched_clauses,
)
from search_index.schema import FACETS, MAX_TOTAL_HITS, PRIMARY_KEY

# Every document has it (true or false): its facet counts add up to the exact total.
TOTAL_FACET = "is_active"
# What a hit shows, retrieved from Meilisearch (the rest of the hit is computed here).
HIT_FIELDS = [
    name
    for name in Hit.model_fields
    if name not in {"matched_clauses", "highlights", "view_in_jobdiva"}
]  # fmt: skip
CROPPED = ["resume_text", "attachment_text"]
CROP_WORDS = 30
PRE_TAG, POST_TAG = "<mark>", "</mark>"


def _exact_total(facets: dict[str, dict[str, int]] | None) -> int | None:
    counts = (facets or {}).get(TOTAL_FACET)
    return sum(counts.values()) if counts is not None else None


class SearchService:
    def __init__(self, reader: MeiliReader, config: ApiConfig) -> None:
        self.reader = reader
        self.config = config

    def plan(self, q: str, filters: Any) -> Plan:
        expression = filters.to_filter_expression() if filters is not None else None
        return compile_query(
            q,
            filters=expression,
            index_uid=self.config.index_uid,
            max_conjuncts=self.config.max_conjuncts,
        )

    async def _run(
        self,
        plan: Plan,
        *,
        offset: int,
        limit: int,
        facets: list[str],
        sort: list[str],
        highlight: bool,
    ) -> dict[str, Any]:
        """Run the plan; a single-search-shaped answer (hits, facetDistribution, total)."""
        queries = []
        for payload in plan.queries():
            payload.pop("indexUid", None)
            if sort:
                payload["sort"] = sort
            if highlight:
                payload["attributesToCrop"] = CROPPED
                payload["cropLength"] = CROP_WORDS
                payload["attributesToHighlight"] = [
                    *payload.get("attributesToHighlight", []),
                    *CROPPED,
                ]
                payload["highlightPreTag"], payload["highlightPostTag"] = PRE_TAG, POST_TAG
            else:
                payload.pop("attributesToHighlight", None)
            payload["attributesToRetrieve"] = HIT_FIELDS
            queries.append(payload)
        if len(queries) == 1:
            single = queries[0]
            single.pop("federationOptions", None)
            result = await self.reader.search(
                {**single, "offset": offset, "limit": limit, "facets": facets}
            )
            return {
                "hits": result.get("hits", []),
                "facetDistribution": result.get("facetDistribution", {}),
                "estimatedTotalHits": result.get("estimatedTotalHits", 0),
            }
        federation: dict[str, Any] = {"offset": offset, "limit": limit}
        if facets:
            federation["facetsByIndex"] = {self.config.index_uid: facets}
            federation["mergeFacets"] = {}
        result = await self.reader.multi_search(
            {
                "federation": federation,
                "queries": [{"indexUid": self.config.index_uid, **q} for q in queries],
            }
        )
        return {
            "hits": result.get("hits", []),
            "facetDistribution": result.get("facetDistribution", {}),
            "estimatedTotalHits": result.get("estimatedTotalHits", 0),
        }

    async def _clauses(self, plan: Plan, hits: list[dict[str, Any]]) -> dict[str, list[str]]:
        if len(plan.sub_queries) <= 1:
            return {str(hit[PRIMARY_KEY]): matched_clauses(hit, plan) for hit in hits}
        ids = [str(hit[PRIMARY_KEY]) for hit in hits]
        probes = clause_probe_queries(plan, ids)
        if not probes:
            return {}
        result = await self.reader.multi_search(
            {"queries": [{"indexUid": self.config.index_uid, **probe} for probe in probes]}
        )
        return clauses_from_probe(plan, result.get("results", []))

    def _hit(self, raw: dict[str, Any], clauses: list[str]) -> Hit:
        formatted = raw.get("_formatted") or {}
        highlights = {
            name: value
            for name, value in formatted.items()
            if isinstance(value, str | list) and _marked(value)
        }
        fields = {name: raw.get(name) for name in HIT_FIELDS if raw.get(name) is not None}
        return Hit(
            **fields,
            matched_clauses=clauses,
            highlights=highlights,
            view_in_jobdiva=self.config.candidate_url(str(raw[PRIMARY_KEY])),
        )

    async def search(self, request: SearchRequest) -> SearchResponse:
        plan = self.plan(request.q, request.filters)
        facets = [name for name in dict.fromkeys([TOTAL_FACET, *request.facets]) if name in FACETS]
        unknown = sorted(set(request.facets) - set(FACETS))
        warnings = list(plan.warnings)
        if unknown:
            warnings.append(f"unknown facets ignored: {', '.join(unknown)}")
        if not plan.sub_queries:
            return SearchResponse(
                hits=[],
                total=0,
                total_is_exact=True,
                page=request.page,
                per_page=request.per_page,
                plan=plan.to_dict(),
                warnings=warnings,
            )
        offset = (request.page - 1) * request.per_page
        result = await self._run(
            plan,
            offset=offset,
            limit=request.per_page,
            facets=facets,
            sort=request.sort,
            highlight=request.highlight,
        )
        distribution = result["facetDistribution"] or {}
        total = _exact_total(distribution)
        clauses = await self._clauses(plan, result["hits"])
        hits = [self._hit(hit, clauses.get(str(hit[PRIMARY_KEY]), [])) for hit in result["hits"]]
        if offset + request.per_page > MAX_TOTAL_HITS and (total or 0) > MAX_TOTAL_HITS:
            warnings.append(
                f"only the first {MAX_TOTAL_HITS} hits can be paged through: narrow the search"
            )
        return SearchResponse(
            hits=hits,
            total=total if total is not None else result["estimatedTotalHits"],
            total_is_exact=total is not None,
            page=request.page,
            per_page=request.per_page,
            plan=plan.to_dict(),
            warnings=warnings,
            facets={
                name: counts for name, counts in distribution.items() if name in request.facets
            },
        )

    async def insights(self, request: InsightsRequest) -> Insights:
        plan = self.plan(request.q, request.filters)
        if not plan.sub_queries:
            return build_insights({}, 0, top=request.top)
        result = await self._run(
            plan,
            offset=0,
            limit=0,
            facets=[TOTAL_FACET, *facet_names()],
            sort=[],
            highlight=False,
        )
        distribution = result["facetDistribution"] or {}
        total = _exact_total(distribution) or 0
        return build_insights(distribution, total, top=request.top)

    async def health(self) -> HealthResponse:
        reachable = await self.reader.health()
        if not reachable:
            return HealthResponse(
                status="degraded", meilisearch=False, index_uid=self.reader.index_uid
            )
        documents = newest = enriched = None
        try:
            result = await self.reader.search(
                {
                    "q": "",
                    "limit": 1,
                    "sort": ["updated_at_ts:desc"],
                    "facets": [TOTAL_FACET],
                    "attributesToRetrieve": ["updated_at", "enriched_as_of"],
                }
            )
            documents = _exact_total(result.get("facetDistribution"))
            if result.get("hits"):
                newest = result["hits"][0].get("updated_at")
            latest = await self.reader.search(
                {
                    "q": "",
                    "limit": 1,
                    "sort": ["enriched_as_of_ts:desc"],
                    "attributesToRetrieve": ["enriched_as_of"],
                }
            )
            if latest.get("hits"):
                enriched = latest["hits"][0].get("enriched_as_of")
        except Exception:  # an index not built yet is "degraded", not an error of /healthz
            return HealthResponse(
                status="degraded", meilisearch=True, index_uid=self.reader.index_uid
            )
        return HealthResponse(
            status="ok",
            meilisearch=True,
            index_uid=self.reader.index_uid,
            documents=documents or 0,
            newest_candidate_update=newest,
            newest_enrichment=enriched,
        )


def _marked(value: Any) -> bool:
    if isinstance(value, str):
        return PRE_TAG in value
    if isinstance(value, list):
        return any(_marked(item) for item in value)
    return False
