"""Record linkage: probabilistic (Fellegi–Sunter) matching of two tables, explainable per pair.

The public surface is small; everything else lives in `linkage.internals`.

- Describe how records compare: `Comparison` built from levels (`exact`, `jaro_winkler`,
  `edit_distance`, `swapped`, `overlap`, `jaccard`, `distance`) or the ready-made
  `string_comparison`, `edit_distance_comparison`, `overlap_comparison`, ...
- Say which pairs to score: `block_on(...)` → `BlockingRule`.
- Train and score: `LinkageModel(comparisons, blocking_rules).fit(left, right)`, then
  `predict(left, right, threshold=...)`; `save` / `load` keep trained parameters with a
  `model_version`.
- Decide: `one_to_one` or `best_match`; measure: `evaluate`.
- Ready-made configurations: `linkage.person` (ATS candidates vs public profiles) and
  `linkage.febrl` (the FEBRL benchmark).

Example:
    >>> import polars as pl
    >>> from linkage import LinkageModel, block_on, exact_comparison, one_to_one
    >>> model = LinkageModel([exact_comparison("name")], [block_on("name")])
    >>> model.set_parameters(m=[[0.1, 0.9]], u=[[0.99, 0.01]],
    ...                      probability_two_random_records_match=0.5)
    >>> links = model.predict(pl.DataFrame({"id": [1], "name": ["ann"]}),
    ...                       pl.DataFrame({"id": [5], "name": ["ann"]}))
    >>> one_to_one(links, threshold=0.9).select("left_id", "right_id").rows()
    [(1, 5)]
"""

from linkage.assignment import best_match, one_to_one
from linkage.blocking import BlockingRule, block_on
from linkage.comparisons import (
    Comparison,
    Level,
    distance,
    distance_comparison,
    edit_distance,
    edit_distance_comparison,
    exact,
    exact_comparison,
    jaccard,
    jaro_winkler,
    overlap,
    overlap_comparison,
    string_comparison,
    swapped,
)
from linkage.evaluation import LinkageScores, evaluate
from linkage.model import LinkageModel, probability_to_weight

__all__ = [
    "BlockingRule",
    "Comparison",
    "Level",
    "LinkageModel",
    "LinkageScores",
    "best_match",
    "block_on",
    "distance",
    "distance_comparison",
    "edit_distance",
    "edit_distance_comparison",
    "evaluate",
    "exact",
    "exact_comparison",
    "jaccard",
    "jaro_winkler",
    "one_to_one",
    "overlap",
    "overlap_comparison",
    "probability_to_weight",
    "string_comparison",
    "swapped",
]
