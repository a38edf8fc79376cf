"""ConfigurableResources: lake (Delta), Meilisearch; JobDiva and the profile corpus follow."""

from resources.lake import LakeResource
from resources.meilisearch import MeilisearchResource

__all__ = ["LakeResource", "MeilisearchResource"]
