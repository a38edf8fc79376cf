"""The Meilisearch index `candidates`: document contract, settings, documents, publishing."""
