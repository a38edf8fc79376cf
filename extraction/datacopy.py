"""The admin's CSV data copy (inactive candidates): robust parsing with a quarantine.

Nothing public documents JobDiva's data-copy export (reference §12), so the importer is driven by
configuration: which files make a file set and how their columns map to BI names. Every input row
ends either loaded or quarantined with its file, line and reason — rows in = loaded + quarantined.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel, Field

csv.field_size_limit(64 * 1024 * 1024)  # resume and attachment text can be large


class DataCopyFileSpec(BaseModel):
    """One CSV of a file set: its name pattern, id column and column mapping."""

    pattern: str = Field(description="glob of the file inside the file set directory")
    id_column: str = Field(description="the (mapped) column that identifies a row")
    required_columns: list[str] = Field(default_factory=list)
    updated_column: str | None = Field(
        default="DATEUPDATED", description="newest wins among duplicate ids (ISO or MM/dd/yyyy)"
    )
    column_mapping: dict[str, str] = Field(
        default_factory=dict, description="source header → canonical BI column name"
    )
    known_columns: list[str] = Field(
        default_factory=list,
        description="columns the pipeline expects; others are kept in the payload and reported",
    )


class DataCopyLayout(BaseModel):
    """Which files make a data-copy file set; the default follows the sandbox layout."""

    files: dict[str, DataCopyFileSpec]


# The BI column vocabulary (reference §4, §6) the data copy is expected to follow.
CANDIDATE_COLUMNS = [
    "CANDIDATEID", "FIRSTNAME", "LASTNAME", "EMAIL", "ALTERNATEEMAIL", "ADDRESS1", "ADDRESS2",
    "CITY", "STATE", "ZIPCODE", "COUNTRY", "WORKPHONE", "WORKPHONE_EXT", "HOMEPHONE", "CELLPHONE",
    "FAX", "LINKEDIN", "DATECREATED", "DATEUPDATED", "DATEPROFILEUPDATED", "CURRENTSALARY",
    "APPLICATION TYPE", "TITLE", "QUALIFICATIONS", "STATUS",
]  # fmt: skip
RESUME_COLUMNS = [
    "RESUMEID", "CANDIDATEID", "DATECREATED", "DATEUPDATED", "RESUMESOURCE", "PLAINTEXT",
]  # fmt: skip
ATTACHMENT_COLUMNS = [
    "ATTACHMENTID", "CANDIDATEID", "FILENAME", "ATTACHMENTTYPE", "CONTENTTYPE", "UPLOADEDON",
    "FILESIZE", "EXTRACTEDTEXT", "FILECONTENT_BASE64",
]  # fmt: skip

DEFAULT_LAYOUT = DataCopyLayout(
    files={
        "candidates": DataCopyFileSpec(
            pattern="candidates*.csv",
            id_column="CANDIDATEID",
            required_columns=["CANDIDATEID", "FIRSTNAME", "LASTNAME"],
            known_columns=CANDIDATE_COLUMNS,
        ),
        "resumes": DataCopyFileSpec(
            pattern="resumes*.csv",
            id_column="RESUMEID",
            required_columns=["RESUMEID", "CANDIDATEID"],
            known_columns=RESUME_COLUMNS,
        ),
        "attachments": DataCopyFileSpec(
            pattern="attachments*.csv",
            id_column="ATTACHMENTID",
            required_columns=["ATTACHMENTID", "CANDIDATEID", "FILENAME"],
            updated_column=None,
            known_columns=ATTACHMENT_COLUMNS,
        ),
    }
)


@dataclass(frozen=True)
class LoadedRow:
    record_id: str
    file: str
    line: int
    payload: str  # canonical JSON of the mapped row


@dataclass(frozen=True)
class QuarantinedRow:
    file: str
    line: int
    kind: str  # malformed_csv | ragged_row | missing_value | duplicate_id
    reason: str
    raw: str  # the row as read (joined fields), for a human to repair


@dataclass
class ParsedFile:
    table: str
    file: str
    encoding: str
    rows_in: int = 0
    loaded: list[LoadedRow] = field(default_factory=list)
    quarantined: list[QuarantinedRow] = field(default_factory=list)
    unmapped_columns: list[str] = field(default_factory=list)


def detect_encoding(data: bytes) -> str:
    """UTF-8 (with or without BOM) when it decodes, else Windows-1252, the usual Excel export."""
    if data.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return "cp1252"
    return "utf-8"


def _canonical_header(name: str, mapping: Mapping[str, str]) -> str:
    cleaned = name.strip().strip("\ufeff")
    return mapping.get(cleaned, cleaned)


def _sort_key(value: str | None) -> str:
    """Comparable form of ISO or MM/dd/yyyy[ HH:mm:ss] timestamps (empty sorts first)."""
    if not value:
        return ""
    value = value.strip()
    if len(value) >= 10 and value[2] == "/" and value[5] == "/":
        return f"{value[6:10]}-{value[0:2]}-{value[3:5]}{value[10:].replace(' ', 'T')}"
    return value.replace(" ", "T")


def parse_file(path: Path, table: str, spec: DataCopyFileSpec) -> ParsedFile:
    data = path.read_bytes()
    encoding = detect_encoding(data)
    text = data.decode(encoding, errors="replace")
    result = ParsedFile(table=table, file=path.name, encoding=encoding)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header_raw = next(reader)
    except StopIteration:
        return result
    except csv.Error as exc:
        result.quarantined.append(
            QuarantinedRow(path.name, 1, "malformed_csv", f"unreadable header: {exc}", "")
        )
        return result
    header = [_canonical_header(h, spec.column_mapping) for h in header_raw]
    known = {
        c.upper()
        for c in (*spec.column_mapping.values(), *spec.required_columns, *spec.known_columns)
    }
    if spec.column_mapping or spec.known_columns:
        result.unmapped_columns = [h for h in header if h.upper() not in known]
    missing = [c for c in spec.required_columns if c not in header]
    if missing:
        raise ValueError(f"{path.name}: required columns {missing} not in header {header}")

    candidates: dict[str, LoadedRow] = {}
    candidate_keys: dict[str, str] = {}
    candidate_raws: dict[str, str] = {}
    line_end = reader.line_num
    while True:
        line_start = line_end + 1
        try:
            fields = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:  # e.g. an unterminated quote: quarantine and resynchronise
            line_end = reader.line_num
            result.rows_in += 1
            result.quarantined.append(
                QuarantinedRow(path.name, line_start, "malformed_csv", f"malformed CSV: {exc}", "")
            )
            continue
        line_end = reader.line_num
        if not fields or fields == [""]:
            continue  # a blank line is not a row
        result.rows_in += 1
        raw = ",".join(fields)
        if len(fields) != len(header):
            result.quarantined.append(
                QuarantinedRow(
                    path.name,
                    line_start,
                    "ragged_row",
                    f"ragged row: {len(fields)} fields, header has {len(header)}",
                    raw,
                )
            )
            continue
        row = dict(zip(header, fields, strict=True))
        blank = [c for c in spec.required_columns if not row.get(c, "").strip()]
        if blank:
            result.quarantined.append(
                QuarantinedRow(
                    path.name, line_start, "missing_value", f"required value missing: {blank}", raw
                )
            )
            continue
        record_id = row[spec.id_column].strip()
        loaded = LoadedRow(
            record_id, path.name, line_start, json.dumps(row, sort_keys=True, ensure_ascii=False)
        )
        key = _sort_key(row.get(spec.updated_column)) if spec.updated_column else ""
        previous = candidates.get(record_id)
        if previous is None:
            candidates[record_id], candidate_keys[record_id] = loaded, key
            candidate_raws[record_id] = raw
            continue
        # Duplicate id: the newest row wins (later line on ties); the loser is quarantined.
        if key >= candidate_keys[record_id]:
            winner, loser, loser_raw = loaded, previous, candidate_raws[record_id]
            candidates[record_id], candidate_keys[record_id] = loaded, key
            candidate_raws[record_id] = raw
        else:
            winner, loser, loser_raw = previous, loaded, raw
        result.quarantined.append(
            QuarantinedRow(
                path.name,
                loser.line,
                "duplicate_id",
                f"duplicate {spec.id_column} {record_id}: superseded by line {winner.line}",
                loser_raw,
            )
        )
    result.loaded = sorted(candidates.values(), key=lambda r: r.line)
    return result


def parse_file_set(directory: Path, layout: DataCopyLayout = DEFAULT_LAYOUT) -> list[ParsedFile]:
    """Parse every configured file of one data-copy file set (a directory)."""
    parsed = []
    for table, spec in layout.files.items():
        for path in sorted(directory.glob(spec.pattern)):
            parsed.append(parse_file(path, table, spec))
    return parsed
