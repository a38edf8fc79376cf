"""Extraction library (no Dagster): the JobDiva client, its feeds, raw Delta writes, data copy."""
