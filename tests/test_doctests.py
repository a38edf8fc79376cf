"""Every example in the library modules' docstrings runs and gives the output it shows."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "normalize.text",
    "normalize.urls",
    "normalize.contacts",
    "normalize.names",
    "normalize.documents",
    "linkage",
    "linkage.comparisons",
    "linkage.blocking",
    "linkage.model",
    "linkage.assignment",
    "linkage.evaluation",
    "linkage.febrl",
    "linkage.person",
    "linkage.internals.encoding",
    "linkage.internals.em",
    "linkage.internals.term_frequency",
    "search_index.terms",
    "search_index.schema",
    "search_index.documents",
]


@pytest.mark.parametrize("module_name", MODULES)
def test_docstring_examples(module_name: str) -> None:
    module = importlib.import_module(module_name)
    results = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert results.attempted > 0, f"{module_name} has no docstring examples"
    assert results.failed == 0
