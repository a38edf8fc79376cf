"""ConfigurableResources: lake (Delta), Meilisearch, JobDiva; the profile corpus follows."""

from resources.datacopy import DataCopyResource
from resources.jobdiva import JobDivaResource
from resources.lake import LakeResource
from resources.meilisearch import MeilisearchResource

__all__ = ["DataCopyResource", "JobDivaResource", "LakeResource", "MeilisearchResource"]
