"""Data-copy parsing: encodings, BOMs, quoted newlines; every bad row quarantined with a reason."""

from __future__ import annotations

import codecs
import json
from pathlib import Path

import pytest

from extraction.datacopy import (
    DEFAULT_LAYOUT,
    DataCopyFileSpec,
    DataCopyLayout,
    detect_encoding,
    parse_file,
    parse_file_set,
)

HEADER = "CANDIDATEID,FIRSTNAME,LASTNAME,EMAIL,DATEUPDATED,NOTES\r\n"
SPEC = DEFAULT_LAYOUT.files["candidates"]


def write(path: Path, text: str, encoding: str = "utf-8", bom: bool = False) -> Path:
    path.write_bytes((codecs.BOM_UTF8 if bom else b"") + text.encode(encoding))
    return path


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (codecs.BOM_UTF8 + b"a,b", "utf-8-sig"),
        ("Zoë".encode(), "utf-8"),
        ("Zoë".encode("cp1252"), "cp1252"),
        (codecs.BOM_UTF16_LE + "a".encode("utf-16-le"), "utf-16"),
    ],
)
def test_detect_encoding(data: bytes, expected: str) -> None:
    assert detect_encoding(data) == expected


def test_bom_and_quoted_newlines(tmp_path: Path) -> None:
    text = HEADER + '1,Ana,Pérez,a@x.com,2026-01-02T10:00:00,"line one\r\nline two"\r\n'
    parsed = parse_file(write(tmp_path / "candidates.csv", text, bom=True), "candidates", SPEC)
    assert parsed.encoding == "utf-8-sig"
    assert parsed.rows_in == 1 and not parsed.quarantined
    row = json.loads(parsed.loaded[0].payload)
    assert row["CANDIDATEID"] == "1"  # the BOM is not part of the first header
    assert row["LASTNAME"] == "Pérez"
    assert row["NOTES"] == "line one\r\nline two"


def test_cp1252_file_decodes_names(tmp_path: Path) -> None:
    text = HEADER + "2,Zoë,Müller,z@x.com,01/02/2026 10:00:00,\r\n"
    path = write(tmp_path / "candidates.csv", text, encoding="cp1252")
    parsed = parse_file(path, "candidates", SPEC)
    assert parsed.encoding == "cp1252"
    row = json.loads(parsed.loaded[0].payload)
    assert (row["FIRSTNAME"], row["LASTNAME"]) == ("Zoë", "Müller")


def test_ragged_duplicate_and_missing_rows_are_quarantined(tmp_path: Path) -> None:
    text = (
        HEADER
        + "1,Ana,Pérez,a@x.com,2026-01-02T10:00:00,\r\n"  # line 2: superseded by line 5
        + "2,Bo,Li,b@x.com\r\n"  # line 3: ragged
        + ",Cy,Ng,c@x.com,2026-01-02T10:00:00,\r\n"  # line 4: no id
        + "1,Ana,Perez-Gil,a@x.com,2026-03-01T10:00:00,\r\n"  # line 5: newer duplicate
        + "1,Ana,Old,a@x.com,2025-01-01T10:00:00,\r\n"  # line 6: older duplicate
        + "3,Di,Ox,d@x.com,2026-01-02T10:00:00,too,many\r\n"  # line 7: ragged (too many)
    )
    parsed = parse_file(write(tmp_path / "candidates.csv", text), "candidates", SPEC)
    assert parsed.rows_in == 6
    assert parsed.rows_in == len(parsed.loaded) + len(parsed.quarantined)
    assert [r.record_id for r in parsed.loaded] == ["1"]
    assert json.loads(parsed.loaded[0].payload)["LASTNAME"] == "Perez-Gil"
    reasons = {q.line: q.reason for q in parsed.quarantined}
    assert reasons[3].startswith("ragged row: 4 fields")
    assert reasons[7].startswith("ragged row: 7 fields")
    assert reasons[4].startswith("required value missing")
    assert reasons[2] == "duplicate CANDIDATEID 1: superseded by line 5"
    assert reasons[6] == "duplicate CANDIDATEID 1: superseded by line 5"
    assert "Old" in next(q.raw for q in parsed.quarantined if q.line == 6)


def test_line_numbers_count_physical_lines_across_quoted_newlines(tmp_path: Path) -> None:
    text = HEADER + '1,A,B,a@x.com,,"x\ny\nz"\n' + "2,C\n"
    parsed = parse_file(write(tmp_path / "candidates.csv", text), "candidates", SPEC)
    assert parsed.quarantined[0].line == 5


def test_column_mapping_is_configuration(tmp_path: Path) -> None:
    spec = DataCopyFileSpec(
        pattern="people.csv",
        id_column="CANDIDATEID",
        required_columns=["CANDIDATEID", "FIRSTNAME", "LASTNAME"],
        column_mapping={"Candidate Id": "CANDIDATEID", "First": "FIRSTNAME", "Last": "LASTNAME"},
    )
    write(tmp_path / "people.csv", "Candidate Id,First,Last,Shoe Size\n9,Ed,Fu,44\n")
    layout = DataCopyLayout(files={"candidates": spec})
    [parsed] = parse_file_set(tmp_path, layout)
    assert json.loads(parsed.loaded[0].payload)["FIRSTNAME"] == "Ed"
    assert parsed.unmapped_columns == ["Shoe Size"]


def test_a_missing_required_column_fails_loudly(tmp_path: Path) -> None:
    write(tmp_path / "candidates.csv", "ID,NAME\n1,x\n")
    with pytest.raises(ValueError, match="required columns"):
        parse_file(tmp_path / "candidates.csv", "candidates", SPEC)
