"""ConfigurableResources: lake (Delta), Meilisearch, JobDiva, data copy, profile corpus."""

from resources.corpus import ProfileCorpusResource
from resources.datacopy import DataCopyResource
from resources.jobdiva import JobDivaResource
from resources.lake import LakeResource
from resources.meilisearch import MeilisearchResource

__all__ = [
    "DataCopyResource",
    "JobDivaResource",
    "LakeResource",
    "MeilisearchResource",
    "ProfileCorpusResource",
]
