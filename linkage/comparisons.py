"""Comparisons: how two records are compared field by field, as graded levels.

A `Comparison` reads one field (or a few related ones) of both records and puts the pair on one
of its `Level`s, most similar first; a pair that meets none of them falls to the implicit
"else" level, and a pair where the field is missing on either side gets no evidence at all
(weight 0). Each level later gets a match weight ``log2(m / u)`` from the trained model.

Levels and comparisons are plain data (frozen dataclasses that round-trip through dicts), so a
trained model can be stored as JSON and its version hashed.

Example:
    >>> first_name = Comparison(
    ...     "first_name",
    ...     [exact("first_name", term_frequency=True), jaro_winkler("first_name", 0.9)],
    ... )
    >>> [level.label for level in first_name.levels]
    ['exact', 'jaro_winkler >= 0.9']
    >>> first_name.columns
    ('first_name',)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

LevelKind = Literal[
    "exact", "jaro_winkler", "edit_distance", "swapped", "overlap", "jaccard", "distance"
]
# Kinds whose columns hold lists (compared as sets) and numbers (compared by distance).
LIST_KINDS = frozenset({"overlap", "jaccard"})
NUMERIC_KINDS = frozenset({"distance"})
ELSE_LABEL = "else"
NULL_LABEL = "missing"


@dataclass(frozen=True)
class Level:
    """One grade of agreement between the two records' values.

    Attributes:
        label: What a person reads in the evidence, e.g. ``"exact"`` or ``"nickname"``.
        kind: How the values are compared (see the helper functions of this module).
        column: The column read on both sides.
        threshold: Similarity at least (``jaro_winkler``, ``jaccard``), edits or distance at
            most (``edit_distance``, ``distance``), shared items at least (``overlap``).
        other_column: For ``swapped``: the column whose value is exchanged with ``column``.
        term_frequency: Whether agreement on a rare value weighs more than on a common one
            (``exact`` levels only).
    """

    label: str
    kind: LevelKind
    column: str
    threshold: float | None = None
    other_column: str | None = None
    term_frequency: bool = False

    def to_dict(self) -> dict[str, Any]:
        """The level as plain data (for JSON)."""
        return {key: value for key, value in asdict(self).items() if value not in (None, False)}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Level:
        """Inverse of `to_dict`."""
        return cls(**data)


@dataclass(frozen=True)
class Comparison:
    """A field compared at graded levels; the first level a pair meets is its level.

    Attributes:
        name: Shown in the evidence, e.g. ``"surname"``.
        levels: Most similar first; "else" is implicit and comes last.
        null_columns: The comparison gives no evidence when any of these is missing on either
            side (an empty list counts as missing). Defaults to the first level's column.
    """

    name: str
    levels: tuple[Level, ...]
    null_columns: tuple[str, ...] = field(default=())

    def __init__(
        self, name: str, levels: Sequence[Level], null_columns: Sequence[str] = ()
    ) -> None:
        if not levels:
            raise ValueError(f"comparison {name!r} needs at least one level")
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "levels", tuple(levels))
        object.__setattr__(self, "null_columns", tuple(null_columns) or (levels[0].column,))

    @property
    def columns(self) -> tuple[str, ...]:
        """Every column the comparison reads, in first-use order."""
        seen: dict[str, None] = dict.fromkeys(self.null_columns)
        for level in self.levels:
            seen.setdefault(level.column)
            if level.other_column:
                seen.setdefault(level.other_column)
        return tuple(seen)

    @property
    def level_labels(self) -> list[str]:
        """Labels indexed by gamma: ``[else, lowest level, ..., highest level]``."""
        return [ELSE_LABEL, *(level.label for level in reversed(self.levels))]

    def to_dict(self) -> dict[str, Any]:
        """The comparison as plain data (for JSON)."""
        return {
            "name": self.name,
            "levels": [level.to_dict() for level in self.levels],
            "null_columns": list(self.null_columns),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Comparison:
        """Inverse of `to_dict`."""
        levels = [Level.from_dict(level) for level in data["levels"]]
        return cls(data["name"], levels, data.get("null_columns", ()))


# --- levels --------------------------------------------------------------------------------------


def exact(column: str, *, term_frequency: bool = False, label: str = "exact") -> Level:
    """Equal values; with ``term_frequency`` a rare shared value weighs more.

    >>> exact("surname", term_frequency=True).term_frequency
    True
    """
    return Level(label, "exact", column, term_frequency=term_frequency)


def jaro_winkler(column: str, threshold: float, *, label: str | None = None) -> Level:
    """Jaro-Winkler similarity (0..1, rapidfuzz) at least ``threshold``.

    >>> jaro_winkler("surname", 0.92).label
    'jaro_winkler >= 0.92'
    """
    return Level(label or f"jaro_winkler >= {threshold:g}", "jaro_winkler", column, threshold)


def edit_distance(column: str, max_edits: int, *, label: str | None = None) -> Level:
    """Edit distance (insert, delete, substitute, swap adjacent letters) at most ``max_edits``.

    >>> edit_distance("postcode", 1).label
    'edits <= 1'
    """
    return Level(label or f"edits <= {max_edits}", "edit_distance", column, float(max_edits))


def swapped(column: str, other_column: str, *, label: str = "swapped") -> Level:
    """The two columns exchanged between the records (first and last name written reversed).

    >>> swapped("first_name", "last_name").other_column
    'last_name'
    """
    return Level(label, "swapped", column, other_column=other_column)


def overlap(column: str, at_least: int = 1, *, label: str | None = None) -> Level:
    """List columns sharing at least ``at_least`` items (employers, e-mails, nickname variants).

    >>> overlap("employers", 2).label
    'shared >= 2'
    """
    return Level(label or f"shared >= {at_least}", "overlap", column, float(at_least))


def jaccard(column: str, threshold: float, *, label: str | None = None) -> Level:
    """List columns whose Jaccard index (shared / all distinct items) is at least ``threshold``.

    >>> jaccard("skills", 0.5).label
    'jaccard >= 0.5'
    """
    return Level(label or f"jaccard >= {threshold:g}", "jaccard", column, threshold)


def distance(column: str, at_most: float, *, label: str | None = None) -> Level:
    """Numeric (or date, in days) values at most ``at_most`` apart.

    >>> distance("birth_year", 1).label
    'distance <= 1'
    """
    return Level(label or f"distance <= {at_most:g}", "distance", column, float(at_most))


# --- ready-made comparisons ----------------------------------------------------------------------


def exact_comparison(column: str, *, term_frequency: bool = False) -> Comparison:
    """Agree or not.

    >>> exact_comparison("state").level_labels
    ['else', 'exact']
    """
    return Comparison(column, [exact(column, term_frequency=term_frequency)])


def string_comparison(
    column: str,
    jaro_winkler_thresholds: Sequence[float] = (0.92, 0.88),
    *,
    term_frequency: bool = False,
) -> Comparison:
    """Exact, then Jaro-Winkler bands, for names and free text.

    >>> string_comparison("surname", (0.9, 0.8)).level_labels
    ['else', 'jaro_winkler >= 0.8', 'jaro_winkler >= 0.9', 'exact']
    """
    bands = [jaro_winkler(column, t) for t in sorted(jaro_winkler_thresholds, reverse=True)]
    return Comparison(column, [exact(column, term_frequency=term_frequency), *bands])


def edit_distance_comparison(
    column: str, max_edits: Sequence[int] = (1, 2), *, term_frequency: bool = False
) -> Comparison:
    """Exact, then edit-distance bands, for codes and numbers written as text (postcode, id).

    >>> edit_distance_comparison("soc_sec_id", (1,)).level_labels
    ['else', 'edits <= 1', 'exact']
    """
    bands = [edit_distance(column, edits) for edits in sorted(max_edits)]
    return Comparison(column, [exact(column, term_frequency=term_frequency), *bands])


def overlap_comparison(column: str, sizes: Sequence[int] = (2, 1)) -> Comparison:
    """How many items two lists share, largest band first.

    >>> overlap_comparison("employers").level_labels
    ['else', 'shared >= 1', 'shared >= 2']
    """
    return Comparison(column, [overlap(column, size) for size in sorted(sizes, reverse=True)])


def distance_comparison(column: str, distances: Sequence[float]) -> Comparison:
    """Exact, then numeric (or date) distance bands.

    >>> distance_comparison("birth_date", (31, 365)).level_labels
    ['else', 'distance <= 365', 'distance <= 31', 'exact']
    """
    bands = [distance(column, d) for d in sorted(distances)]
    return Comparison(column, [exact(column), *bands])
