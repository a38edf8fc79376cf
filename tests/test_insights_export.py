"""Insight dimensions (search_api.insights) and their XLSX export (search_api.export)."""

from __future__ import annotations

import doctest
import json
import re
import subprocess
import sys
import zipfile
from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path

import openpyxl
import pytest
from openpyxl.worksheet.worksheet import Worksheet

from search_api import insights as insights_module
from search_api.export import (
    CHART_MAX_VALUES,
    SUMMARY_SHEET,
    XLSX_MEDIA_TYPE,
    build_workbook,
    stream_workbook,
)
from search_api.insights import (
    DIMENSIONS,
    DimensionInsight,
    Insights,
    ValueCount,
    build_insights,
    facet_names,
)
from search_index.schema import FACETS, MAX_VALUES_PER_FACET

REPO_ROOT = Path(__file__).resolve().parents[1]
GENERATED_AT = datetime(2025, 3, 4, 5, 6, 7, tzinfo=UTC)
TOTAL = 50
HOSTILE = [
    "=cmd|' /C calc'!A0",
    '=HYPERLINK("http://evil.example","click")',
    "+1",
    "-2+3",
    "@SUM(A1:A2)",
    "1-3",
]
LONG_VALUE = "Principal Staff Software Engineer (Data)!"[:40]
UNICODE = ["Zürich, ZH", "北京", "José Peña 🎉"]
FILTERS = {"skills": ["Python", "=1+1"], "years_of_experience": {"gte": 5}}


def _distribution() -> dict[str, dict[str, int]]:
    """A hand-made facetDistribution: capped, empty, bucketed with gaps, hostile and unicode."""
    return {
        # Meilisearch stopped at the cap: more skills may exist.
        "skills": {f"skill-{i:03d}": 200 - i for i in range(MAX_VALUES_PER_FACET)},
        "location": {"Austin, TX": 7, "Boston, MA": 9, "austin, tx": 7, UNICODE[0]: 2},
        "current_company": dict.fromkeys(HOSTILE, 3) | {LONG_VALUE: 4},
        "current_title": {UNICODE[1]: 5, UNICODE[2]: 1},
        "experience_bucket": {"20+": 1, "1-3": 4, "5-10": 2},
        "tenure_bucket": {"0-1": 6, "2-3": 3},
        "industry": {},  # faceted, but nobody in the result has one
        "honors": {"Dean's list": 2},
        # past_companies, schools, ... absent altogether
    }


@pytest.fixture(scope="module")
def insights() -> Insights:
    return build_insights(_distribution(), TOTAL)


def _dimension(insights: Insights, key: str) -> DimensionInsight:
    return next(d for d in insights.dimensions if d.key == key)


def _pairs(dimension: DimensionInsight) -> list[tuple[str, int]]:
    return [(v.value, v.count) for v in dimension.values]


# --- dimensions --------------------------------------------------------------------------------


def test_dimensions_map_every_insight_to_an_index_facet() -> None:
    keys = [d.key for d in DIMENSIONS]
    assert keys == [
        "location", "current_company", "current_title", "past_company", "past_title", "skills",
        "years_of_experience", "years_in_role", "school", "degree", "major",
        "diversity_gender", "diversity_ethnicity", "diversity_veteran", "diversity_disability",
        "industry", "company_size", "certifications", "languages", "groups", "interests",
        "honors",
    ]  # fmt: skip
    facets = {d.key: d.facet for d in DIMENSIONS}
    assert facets["past_company"] == "past_companies"
    assert facets["years_of_experience"] == "experience_bucket"
    assert facets["years_in_role"] == "tenure_bucket"
    assert facets["school"] == "schools"
    assert {d.key: d.label for d in DIMENSIONS}["honors"] == "Honors & awards"
    assert set(facet_names()) <= set(FACETS)
    assert facet_names() == [d.facet for d in DIMENSIONS]
    assert len({d.label.casefold() for d in DIMENSIONS}) == len(DIMENSIONS)


def test_bucket_dimensions_use_the_derivation_labels() -> None:
    buckets = {d.key: d.buckets for d in DIMENSIONS if d.buckets}
    assert buckets == {
        "years_of_experience": ("0-1", "1-3", "3-5", "5-10", "10-20", "20+"),
        "years_in_role": ("0-1", "1-2", "2-3", "3-5", "5-10", "10+"),
    }


def test_docstring_examples() -> None:
    results = doctest.testmod(insights_module)
    assert results.attempted > 0
    assert results.failed == 0


def test_search_api_never_imports_dagster() -> None:
    code = "import sys, search_api.insights, search_api.export; sys.exit('dagster' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO_ROOT, env={"PYTHONPATH": "."})
    assert done.returncode == 0


# --- build_insights ----------------------------------------------------------------------------


def test_every_dimension_is_present_in_order(insights: Insights) -> None:
    assert insights.total == TOTAL
    assert [d.key for d in insights.dimensions] == [d.key for d in DIMENSIONS]


def test_plain_dimensions_sort_by_count_then_value(insights: Insights) -> None:
    location = _dimension(insights, "location")
    assert _pairs(location) == [
        ("Boston, MA", 9),
        ("Austin, TX", 7),
        ("austin, tx", 7),
        ("Zürich, ZH", 2),
    ]
    assert [v.share for v in location.values] == [9 / 50, 7 / 50, 7 / 50, 2 / 50]
    assert location.distinct_values_shown == 4
    assert not location.truncated


def test_a_capped_facet_is_flagged_truncated(insights: Insights) -> None:
    skills = _dimension(insights, "skills")
    assert skills.truncated
    assert skills.distinct_values_shown == MAX_VALUES_PER_FACET
    assert skills.values[0] == ValueCount(value="skill-000", count=200, share=4.0)
    # A list field: one candidate counts under many values, so shares add up past 1.
    assert sum(v.share for v in skills.values) > 1


def test_empty_and_missing_dimensions_are_kept_without_values(insights: Insights) -> None:
    for key in ("industry", "past_company", "school", "diversity_gender"):
        dimension = _dimension(insights, key)
        assert dimension.values == []
        assert dimension.distinct_values_shown == 0
        assert not dimension.truncated


def test_buckets_keep_their_natural_order_with_zeros(insights: Insights) -> None:
    experience = _dimension(insights, "years_of_experience")
    assert _pairs(experience) == [
        ("0-1", 0), ("1-3", 4), ("3-5", 0), ("5-10", 2), ("10-20", 0), ("20+", 1),
    ]  # fmt: skip
    assert experience.distinct_values_shown == 3
    tenure = _dimension(insights, "years_in_role")
    assert [v for v, _ in _pairs(tenure)] == ["0-1", "1-2", "2-3", "3-5", "5-10", "10+"]


def test_unknown_bucket_labels_are_listed_after_the_known_ones() -> None:
    result = build_insights({"tenure_bucket": {"1-2": 1, "unknown": 3}}, 4)
    tenure = _dimension(result, "years_in_role")
    assert _pairs(tenure)[-1] == ("unknown", 3)
    assert len(tenure.values) == 7


def test_values_stay_verbatim(insights: Insights) -> None:
    companies = _pairs(_dimension(insights, "current_company"))
    assert companies[0] == (LONG_VALUE, 4)
    assert {v for v, _ in companies[1:]} == set(HOSTILE)
    assert _pairs(_dimension(insights, "current_title")) == [(UNICODE[1], 5), (UNICODE[2], 1)]


def test_top_cuts_plain_dimensions_only() -> None:
    result = build_insights(_distribution(), TOTAL, top=2)
    location = _dimension(result, "location")
    assert _pairs(location) == [("Boston, MA", 9), ("Austin, TX", 7)]
    assert location.truncated
    assert len(_dimension(result, "years_of_experience").values) == 6
    honors = _dimension(result, "honors")
    assert len(honors.values) == 1
    assert not honors.truncated
    with pytest.raises(ValueError):
        build_insights({}, 0, top=0)


def test_zero_total_gives_zero_shares() -> None:
    result = build_insights({"skills": {"SQL": 1}}, 0)
    assert _dimension(result, "skills").values == [ValueCount(value="SQL", count=1, share=0.0)]


def test_insights_round_trip_as_json(insights: Insights) -> None:
    payload = json.loads(insights.model_dump_json())
    assert payload["dimensions"][0]["values"][0] == {
        "value": "Boston, MA",
        "count": 9,
        "share": 0.18,
    }
    assert Insights.model_validate(payload) == insights


# --- workbook ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def xlsx(insights: Insights) -> bytes:
    return build_workbook(insights, query="=1+1 python", filters=FILTERS, generated_at=GENERATED_AT)


@pytest.fixture(scope="module")
def workbook(xlsx: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(BytesIO(xlsx))


def _table(sheet: Worksheet) -> list[tuple[str, int, float]]:
    """The Value / Candidates / Share rows of a dimension sheet (header on row 3)."""
    assert [c.value for c in sheet[3][:3]] == ["Value", "Candidates", "Share"]
    rows = sheet.iter_rows(min_row=4, max_col=3, values_only=True)
    return [row for row in rows if row[0] is not None]  # type: ignore[misc]


def _ref(formula: str) -> tuple[str, str]:
    """(sheet, first:last cells) of a chart reference.

    The sheet is quoted only when it needs to be, and a one-cell range is written as one cell.
    """
    sheet, cells = formula.rsplit("!", 1)
    if sheet.startswith("'"):
        sheet = sheet[1:-1].replace("''", "'")
    if ":" not in cells:
        cells = f"{cells}:{cells}"
    return sheet, cells


def _non_empty(insights: Insights) -> list[DimensionInsight]:
    return [d for d in insights.dimensions if d.values]


def test_sheets_are_summary_and_one_per_non_empty_dimension(
    insights: Insights, workbook: openpyxl.Workbook
) -> None:
    labels = [d.label for d in _non_empty(insights)]
    assert workbook.sheetnames == [SUMMARY_SHEET, *labels]
    assert "Industry" not in workbook.sheetnames


def test_one_native_chart_per_dimension_sheet(
    insights: Insights, workbook: openpyxl.Workbook, xlsx: bytes
) -> None:
    assert workbook[SUMMARY_SHEET]._charts == []
    for dimension in _non_empty(insights):
        sheet = workbook[dimension.label]
        assert len(sheet._charts) == 1, dimension.label
        chart = sheet._charts[0]
        assert chart.tagname == "barChart"
        assert chart.legend is None
        shown = min(len(dimension.values), CHART_MAX_VALUES)
        series = chart.series[0]
        assert _ref(series.cat.strRef.f) == (dimension.label, f"$A$4:$A${3 + shown}")
        assert _ref(series.val.numRef.f) == (dimension.label, f"$B$4:$B${3 + shown}")
    # The same in the package itself, independent of openpyxl's reader.
    with zipfile.ZipFile(BytesIO(xlsx)) as archive:
        charts = [n for n in archive.namelist() if re.fullmatch(r"xl/charts/chart\d+\.xml", n)]
    assert len(charts) == len(_non_empty(insights))


def test_sheet_counts_equal_the_insights(insights: Insights, workbook: openpyxl.Workbook) -> None:
    for dimension in _non_empty(insights):
        table = _table(workbook[dimension.label])
        assert [(v, n) for v, n, _ in table] == _pairs(dimension), dimension.label
        assert [s for _, _, s in table] == pytest.approx([v.share for v in dimension.values])


def test_formula_like_values_stay_text(workbook: openpyxl.Workbook) -> None:
    sheet = workbook["Current company"]
    cells = {row[0].value: row[0] for row in sheet.iter_rows(min_row=4, max_col=1)}
    for value in [*HOSTILE, LONG_VALUE]:
        assert cells[value].data_type == "s", value
    bucket_cells = [row[0] for row in workbook["Years of experience"].iter_rows(min_row=4)]
    assert all(cell.data_type == "s" for cell in bucket_cells if cell.value is not None)
    assert workbook[SUMMARY_SHEET]["B3"].value == "=1+1 python"
    assert workbook[SUMMARY_SHEET]["B3"].data_type == "s"


def test_long_and_unicode_values_are_whole(workbook: openpyxl.Workbook) -> None:
    companies = workbook["Current company"]
    assert companies["A4"].value == LONG_VALUE
    assert len(LONG_VALUE) == 40
    assert 40 <= companies.column_dimensions["A"].width <= 60
    assert [row[0] for row in _table(workbook["Current title"])] == UNICODE[1:]


def test_summary_describes_the_search_and_each_dimension(
    insights: Insights, workbook: openpyxl.Workbook
) -> None:
    sheet = workbook[SUMMARY_SHEET]
    assert json.loads(sheet["B4"].value) == FILTERS
    assert sheet["B5"].value == TOTAL
    assert sheet["B6"].value == "2025-03-04T05:06:07+00:00"
    header_row = next(r for r in range(1, 20) if sheet.cell(r, 1).value == "Dimension")
    rows = {
        sheet.cell(r, 1).value: sheet[r]
        for r in range(header_row + 1, header_row + 1 + len(DIMENSIONS))
    }
    assert list(rows) == [d.label for d in insights.dimensions]
    for dimension in insights.dimensions:
        label_cell, distinct, top_value, top_count, _note = rows[dimension.label][:5]
        assert distinct.value == dimension.distinct_values_shown
        if not dimension.values:
            assert label_cell.hyperlink is None
            assert top_value.value is None
            continue
        assert label_cell.hyperlink.location == f"'{dimension.label}'!A1"
        best = max(dimension.values, key=lambda v: v.count)
        assert (top_value.value, top_count.value) == (best.value, best.count)
    assert rows["Years of experience"][2].value == "1-3"
    assert rows["Skills"][4].value  # the truncation note


def test_sheet_names_are_valid_and_unique() -> None:
    def dimension(key: str, label: str) -> DimensionInsight:
        values = [ValueCount(value="x", count=1, share=1.0)]
        return DimensionInsight(
            key=key, label=label, facet=key, values=values, distinct_values_shown=1, truncated=False
        )

    labels = [
        "Summary",
        "summary",
        "A label that is much longer than thirty-one characters",
        "A label that is much longer than thirty-one characters, again",
        "Odd: [chars] * ? / \\ here",
        "'quoted'",
        "O'Brien's list",
        "History",
    ]
    insights = Insights(total=1, dimensions=[dimension(f"k{i}", x) for i, x in enumerate(labels)])
    data = build_workbook(insights, query="", filters=None, generated_at=GENERATED_AT)
    book = openpyxl.load_workbook(BytesIO(data))
    names = book.sheetnames[1:]
    assert len(names) == len(labels)
    assert len({n.casefold() for n in book.sheetnames}) == len(book.sheetnames)
    for name in names:
        assert len(name) <= 31
        assert not re.search(r"[\[\]:*?/\\]", name)
        assert not name.startswith("'")
        assert not name.endswith("'")
        assert name.casefold() != "history"
    assert "O'Brien's list" in names
    summary = book[SUMMARY_SHEET]
    links = [c.hyperlink.location for c in summary["A"] if c.hyperlink is not None]
    assert "'O''Brien''s list'!A1" in links
    assert summary["B4"].value == "(none)"
    assert all(len(book[name]._charts) == 1 for name in names)


def test_chart_shows_the_top_values_only(insights: Insights, workbook: openpyxl.Workbook) -> None:
    sheet = workbook["Skills"]
    assert len(_table(sheet)) == MAX_VALUES_PER_FACET
    categories = sheet._charts[0].series[0].cat.strRef.f
    assert _ref(categories) == ("Skills", f"$A$4:$A${3 + CHART_MAX_VALUES}")


def test_workbook_is_deterministic(insights: Insights, xlsx: bytes) -> None:
    again = build_workbook(
        insights, query="=1+1 python", filters=FILTERS, generated_at=GENERATED_AT
    )
    assert again == xlsx


def test_stream_yields_the_workbook_in_chunks(xlsx: bytes) -> None:
    chunks = list(stream_workbook(xlsx, chunk_size=4096))
    assert len(chunks) > 1
    assert all(len(chunk) <= 4096 for chunk in chunks)
    assert b"".join(chunks) == xlsx
    assert b"".join(stream_workbook(xlsx)) == xlsx
    assert list(stream_workbook(b"")) == []
    assert XLSX_MEDIA_TYPE == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    with pytest.raises(ValueError):
        stream_workbook(xlsx, chunk_size=0)
