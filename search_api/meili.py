"""A small async Meilisearch reader for the API (httpx; search-only key)."""

from __future__ import annotations

from typing import Any

import httpx

from search_api.query.filters import equals
from search_index.schema import PRIMARY_KEY


class MeiliError(RuntimeError):
    """Meilisearch answered with an error (code and message kept, never the key)."""

    def __init__(self, status: int, body: Any) -> None:
        self.status = status
        self.code = body.get("code") if isinstance(body, dict) else None
        message = body.get("message") if isinstance(body, dict) else str(body)[:300]
        self.meili_message = message
        super().__init__(f"Meilisearch {status} {self.code}: {message}")


class MeiliReader:
    def __init__(self, url: str, key: str, index_uid: str, timeout_s: float = 30.0) -> None:
        self.index_uid = index_uid
        self._client = httpx.AsyncClient(
            base_url=url.rstrip("/"),
            headers={"Authorization": f"Bearer {key}"},
            timeout=timeout_s,
            # A pool near the expected concurrency: httpcore's bookkeeping grows with its size.
            limits=httpx.Limits(max_connections=64, max_keepalive_connections=32),
        )

    async def close(self) -> None:
        await self._client.aclose()

    async def _request(self, method: str, path: str, **kwargs: Any) -> Any:
        response = await self._client.request(method, path, **kwargs)
        if response.status_code >= 400:
            try:
                body = response.json()
            except ValueError:
                body = response.text
            raise MeiliError(response.status_code, body)
        return response.json()

    async def search(self, payload: dict[str, Any]) -> dict[str, Any]:
        return await self._request("POST", f"/indexes/{self.index_uid}/search", json=payload)

    async def multi_search(self, payload: dict[str, Any]) -> dict[str, Any]:
        return await self._request("POST", "/multi-search", json=payload)

    async def document(self, candidate_id: str) -> dict[str, Any] | None:
        """One document by id, through search (the search-only key cannot GET documents)."""
        result = await self.search(
            {"q": "", "filter": equals(PRIMARY_KEY, candidate_id), "limit": 1}
        )
        hits = result.get("hits") or []
        return hits[0] if hits else None

    async def health(self) -> bool:
        try:
            response = await self._client.get("/health")
        except httpx.HTTPError:
            return False
        return response.status_code == 200

    async def can_manage_keys(self) -> bool:
        """True when the key can list keys: then it is an admin/master key, not a search key."""
        response = await self._client.get("/keys", params={"limit": 1})
        return response.status_code == 200
