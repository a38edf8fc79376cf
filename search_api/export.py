"""The insights workbook behind ``POST /insights/export.xlsx`` (ARCHITECTURE §6).

Renders an :class:`~search_api.insights.Insights` (the ``/insights`` response itself, so the
counts agree) as an XLSX: a "Summary" sheet, then one sheet with a table and a native Excel bar
chart per dimension that has values. Built in memory with xlsxwriter, then streamed.

Every text that comes from data (values, query, filters) goes through ``write_string``: a value
such as ``=HYPERLINK(...)`` or ``+1`` is a candidate's data, and must stay text rather than
become a formula in the recruiter's spreadsheet.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime
from io import BytesIO
from typing import Any

import xlsxwriter
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from search_api.insights import DimensionInsight, Insights

XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SUMMARY_SHEET = "Summary"
CHART_MAX_VALUES = 30  # more bars than this are unreadable; the table keeps all values
CHUNK_SIZE = 64 * 1024

_SHEET_NAME_MAX = 31  # Excel's limit
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
_RESERVED_SHEET_NAMES = {"history"}  # Excel reserves it for change tracking
_VALUE_WIDTH_MIN, _VALUE_WIDTH_MAX = 12, 60
_TABLE_FIRST_ROW = 2  # row 0: title, row 1: note, row 2: table header
_BAR_HEIGHT_PX, _CHART_BASE_PX, _CHART_MIN_PX = 22, 90, 220
_CHART_WIDTH_PX = 640


# --- sheet names -------------------------------------------------------------------------------


def _sheet_name(label: str, used: set[str]) -> str:
    """A valid, unused sheet name for ``label``; ``used`` holds casefolded names and is updated.

    Excel compares sheet names case-insensitively and refuses ``[]:*?/\\``, names over 31
    characters and names starting or ending with an apostrophe.
    """
    base = _SHEET_FORBIDDEN.sub("-", label).strip().strip("'").strip() or "Sheet"
    name = base[:_SHEET_NAME_MAX].rstrip("'").rstrip()
    suffix = 1
    while name.casefold() in used or name.casefold() in _RESERVED_SHEET_NAMES:
        suffix += 1
        tail = f" ({suffix})"
        name = base[: _SHEET_NAME_MAX - len(tail)].rstrip("'").rstrip() + tail
    used.add(name.casefold())
    return name


def _internal_link(sheet: str) -> str:
    # Quoted sheet reference; an apostrophe inside a quoted name is doubled.
    return "internal:'{}'!A1".format(sheet.replace("'", "''"))


# --- formats -----------------------------------------------------------------------------------


def _formats(workbook: Workbook) -> dict[str, Any]:
    return {
        "title": workbook.add_format({"bold": True, "font_size": 14}),
        "bold": workbook.add_format({"bold": True}),
        "header": workbook.add_format({"bold": True, "bottom": 1}),
        "note": workbook.add_format({"italic": True, "font_color": "#666666"}),
        "count": workbook.add_format({"num_format": "#,##0"}),
        "share": workbook.add_format({"num_format": "0.0%"}),
        "link": workbook.add_format({"font_color": "blue", "underline": 1}),
    }


# --- summary -----------------------------------------------------------------------------------


def _filters_text(filters: Mapping[str, Any] | None) -> str:
    if not filters:
        return "(none)"
    return json.dumps(filters, sort_keys=True, ensure_ascii=False, default=str)


def _top_value(dimension: DimensionInsight) -> tuple[str, int] | None:
    """The value with most candidates (the first on ties, i.e. the listed order)."""
    if not dimension.values:
        return None
    best = max(dimension.values, key=lambda item: item.count)
    return best.value, best.count


def _write_summary_header(
    sheet: Worksheet,
    fmt: dict[str, Any],
    insights: Insights,
    *,
    query: str,
    filters: Mapping[str, Any] | None,
    generated_at: datetime,
) -> int:
    """Writes the search description; returns the next free row."""
    sheet.write_string(0, 0, "Rediscovery insights", fmt["title"])
    rows: list[tuple[str, str | int]] = [
        ("Query", query),
        ("Filters", _filters_text(filters)),
        ("Total candidates", insights.total),
        ("Generated at", generated_at.isoformat(timespec="seconds")),
    ]
    for row, (name, value) in enumerate(rows, start=2):
        sheet.write_string(row, 0, name, fmt["bold"])
        if isinstance(value, int):
            sheet.write_number(row, 1, value, fmt["count"])
        else:
            sheet.write_string(row, 1, value)
    return 2 + len(rows) + 1


def _write_summary_row(
    sheet: Worksheet,
    fmt: dict[str, Any],
    row: int,
    dimension: DimensionInsight,
    sheet_name: str | None,
) -> None:
    if sheet_name is None:
        sheet.write_string(row, 0, dimension.label)
    else:
        # write_url's display text is written as a string, never parsed as a formula.
        sheet.write_url(row, 0, _internal_link(sheet_name), fmt["link"], string=dimension.label)
    sheet.write_number(row, 1, dimension.distinct_values_shown, fmt["count"])
    top = _top_value(dimension)
    if top is not None:
        sheet.write_string(row, 2, top[0])
        sheet.write_number(row, 3, top[1], fmt["count"])
    if dimension.truncated:
        sheet.write_string(row, 4, "more values exist than listed", fmt["note"])


def _write_summary(
    sheet: Worksheet,
    fmt: dict[str, Any],
    insights: Insights,
    sheet_names: Mapping[str, str],
    *,
    query: str,
    filters: Mapping[str, Any] | None,
    generated_at: datetime,
) -> None:
    row = _write_summary_header(
        sheet, fmt, insights, query=query, filters=filters, generated_at=generated_at
    )
    headers = ("Dimension", "Distinct values", "Top value", "Top value candidates", "Note")
    for col, header in enumerate(headers):
        sheet.write_string(row, col, header, fmt["header"])
    for offset, dimension in enumerate(insights.dimensions, start=1):
        name = sheet_names.get(dimension.key)
        _write_summary_row(sheet, fmt, row + offset, dimension, name)
    sheet.set_column(0, 0, 24)
    sheet.set_column(1, 1, 16)
    sheet.set_column(2, 2, 40)
    sheet.set_column(3, 3, 20)
    sheet.set_column(4, 4, 30)


# --- dimension sheets --------------------------------------------------------------------------


def _value_width(dimension: DimensionInsight) -> int:
    longest = max((len(item.value) for item in dimension.values), default=0)
    return max(_VALUE_WIDTH_MIN, min(longest + 2, _VALUE_WIDTH_MAX))


def _write_table(sheet: Worksheet, fmt: dict[str, Any], dimension: DimensionInsight) -> None:
    """The Value / Candidates / Share table, filterable, header frozen."""
    for col, header in enumerate(("Value", "Candidates", "Share")):
        sheet.write_string(_TABLE_FIRST_ROW, col, header, fmt["header"])
    row = _TABLE_FIRST_ROW
    for row, item in enumerate(dimension.values, start=_TABLE_FIRST_ROW + 1):
        sheet.write_string(row, 0, item.value)
        sheet.write_number(row, 1, item.count, fmt["count"])
        sheet.write_number(row, 2, item.share, fmt["share"])
    sheet.autofilter(_TABLE_FIRST_ROW, 0, row, 2)
    sheet.freeze_panes(_TABLE_FIRST_ROW + 1, 0)
    sheet.set_column(0, 0, _value_width(dimension))
    sheet.set_column(1, 2, 12)


def _add_chart(
    workbook: Workbook, sheet: Worksheet, name: str, dimension: DimensionInsight
) -> None:
    first = _TABLE_FIRST_ROW + 1
    last = first + min(len(dimension.values), CHART_MAX_VALUES) - 1
    chart = workbook.add_chart({"type": "bar"})
    chart.add_series(
        {
            "name": dimension.label,
            "categories": [name, first, 0, last, 0],
            "values": [name, first, 1, last, 1],
            "data_labels": {"value": True},
            "gap": 60,
        }
    )
    shown = last - first + 1
    title = dimension.label
    if len(dimension.values) > shown:
        title = f"{title} (top {shown})"
    chart.set_title({"name": title, "overlay": False})
    chart.set_legend({"none": True})
    # In a bar chart the y axis is the category axis; Excel draws the first row at the bottom,
    # so reverse it to read top-down like the table.
    chart.set_y_axis({"reverse": True})
    height = max(_CHART_MIN_PX, _CHART_BASE_PX + _BAR_HEIGHT_PX * shown)
    chart.set_size({"width": _CHART_WIDTH_PX, "height": height})
    sheet.insert_chart(_TABLE_FIRST_ROW, 4, chart)


def _write_dimension(
    workbook: Workbook,
    fmt: dict[str, Any],
    name: str,
    dimension: DimensionInsight,
    total: int,
) -> None:
    sheet = workbook.add_worksheet(name)
    sheet.write_string(0, 0, dimension.label, fmt["title"])
    # True for single- and multi-valued fields alike: a candidate counts under each value.
    note = f"Candidates per value, of {total:,} in the result (several values: counted under each)."
    if dimension.truncated:
        note += " Only the most frequent values are listed."
    sheet.write_string(1, 0, note, fmt["note"])
    sheet.write_url(1, 4, _internal_link(SUMMARY_SHEET), fmt["link"], string="Back to summary")
    _write_table(sheet, fmt, dimension)
    _add_chart(workbook, sheet, name, dimension)


# --- workbook ----------------------------------------------------------------------------------


def _naive_utc(moment: datetime) -> datetime:
    # xlsxwriter writes document dates as UTC and refuses aware datetimes.
    return moment.astimezone(UTC).replace(tzinfo=None) if moment.tzinfo else moment


def build_workbook(
    insights: Insights,
    *,
    query: str,
    filters: Mapping[str, Any] | None,
    generated_at: datetime,
) -> bytes:
    """The XLSX for ``insights``: Summary, then one sheet and chart per non-empty dimension.

    ``query`` and ``filters`` are the search's, shown on the Summary sheet (filters as JSON).
    The same arguments give the same bytes: the document date is ``generated_at``.
    """
    buffer = BytesIO()
    # Belt and braces: data goes through write_string anyway, but no write() may ever turn a
    # string into a formula, number or link.
    options = {
        "in_memory": True,
        "strings_to_formulas": False,
        "strings_to_numbers": False,
        "strings_to_urls": False,
    }
    with xlsxwriter.Workbook(buffer, options) as workbook:
        workbook.set_properties(
            {"title": "Rediscovery insights", "created": _naive_utc(generated_at)}
        )
        fmt = _formats(workbook)
        summary = workbook.add_worksheet(SUMMARY_SHEET)
        used = {SUMMARY_SHEET.casefold()}
        sheet_names = {
            dimension.key: _sheet_name(dimension.label, used)
            for dimension in insights.dimensions
            if dimension.values
        }
        _write_summary(
            summary,
            fmt,
            insights,
            sheet_names,
            query=query,
            filters=filters,
            generated_at=generated_at,
        )
        for dimension in insights.dimensions:
            if dimension.key in sheet_names:
                name = sheet_names[dimension.key]
                _write_dimension(workbook, fmt, name, dimension, insights.total)
    return buffer.getvalue()


def _chunks(data: bytes, size: int) -> Iterator[bytes]:
    view = memoryview(data)
    for start in range(0, len(data), size):
        yield bytes(view[start : start + size])


def stream_workbook(data: bytes, *, chunk_size: int = CHUNK_SIZE) -> Iterator[bytes]:
    """``data`` (a built workbook) in chunks, for ``StreamingResponse(..., XLSX_MEDIA_TYPE)``.

    Takes the bytes rather than the insights so the caller builds the workbook before the
    response starts: an error then becomes an ordinary error response instead of a download
    cut off after its headers.
    """
    if chunk_size < 1:
        raise ValueError(f"chunk_size must be at least 1, got {chunk_size}")
    return _chunks(data, chunk_size)
