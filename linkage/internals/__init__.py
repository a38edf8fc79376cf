"""Internals of the linkage engine: vectorised pair generation, levels, EM, u sampling, term
frequencies and assignment. Not a public surface; import from `linkage` instead."""
