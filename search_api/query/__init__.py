"""The search API's query language: parse recruiter queries and compile them for Meilisearch.

See README.md beside this file for the language as recruiters use it.
"""

from search_api.query.compiler import (
    Plan,
    SubQuery,
    clause_probe_queries,
    clauses_from_probe,
    compile_query,
    matched_clauses,
)
from search_api.query.filters import SearchFilters, quote_value
from search_api.query.normal_form import QueryLimitError, to_dnf
from search_api.query.syntax import QueryError, QuerySyntaxError, normalize_query, parse, render

__all__ = [
    "Plan",
    "QueryError",
    "QueryLimitError",
    "QuerySyntaxError",
    "SearchFilters",
    "SubQuery",
    "clause_probe_queries",
    "clauses_from_probe",
    "compile_query",
    "matched_clauses",
    "normalize_query",
    "parse",
    "quote_value",
    "render",
    "to_dnf",
]
