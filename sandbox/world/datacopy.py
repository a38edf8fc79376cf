"""The admin's "Data Copy" export: CSV files of inactive candidates, with real-world dirt.

Layout and dirt are documented in sandbox/README.md ("Data copy layout"); every injected
defect is listed in `datacopy/<file set>/manifest.json` so importers can prove nothing was lost.
"""

from __future__ import annotations

import base64
import csv
import io
import json
from datetime import datetime, time, timedelta
from pathlib import Path

import numpy as np
import polars as pl

from sandbox.world.config import WorldConfig

DATE_FORMAT = "%m/%d/%Y %H:%M:%S"
INACCESSIBLE = "Inaccessible"
EXTRA_COLUMN = "ORIGINALSOURCECODE"
CANDIDATE_COLUMNS = (
    "CANDIDATEID",
    "FIRSTNAME",
    "LASTNAME",
    "EMAIL",
    "ALTERNATEEMAIL",
    "ADDRESS1",
    "ADDRESS2",
    "CITY",
    "STATE",
    "ZIPCODE",
    "COUNTRY",
    "WORKPHONE",
    "WORKPHONE_EXT",
    "HOMEPHONE",
    "CELLPHONE",
    "FAX",
    "LINKEDIN",
    "DATECREATED",
    "DATEUPDATED",
    "DATEPROFILEUPDATED",
    "CURRENTSALARY",
    "Application Type",
    "TITLE",
    "QUALIFICATIONS",
    "STATUS",
    EXTRA_COLUMN,
)
ATTACHMENT_COLUMNS = (
    "ATTACHMENTID",
    "CANDIDATEID",
    "FILENAME",
    "ATTACHMENTTYPE",
    "CONTENTTYPE",
    "UPLOADEDON",
    "FILESIZE",
    "EXTRACTEDTEXT",
    "FILECONTENT_BASE64",
)
RESUME_COLUMNS = (
    "RESUMEID",
    "CANDIDATEID",
    "DATECREATED",
    "DATEUPDATED",
    "RESUMESOURCE",
    "PLAINTEXT",
)
ATTACHMENT_KIND_NAMES = {
    "resume": "Resume",
    "cover_letter": "Cover Letter",
    "certificate": "Certificate",
}
# privacy-mask bit → version columns it hides (WORLD_FORMAT / jobdiva-api §5)
MASK_COLUMNS = {
    1: ("first_name", "last_name"),
    2: ("address1", "address2"),
    4: ("city", "state", "zipcode", "country"),
    8: ("work_phone", "work_phone_ext", "home_phone", "cell_phone", "fax"),
    16: ("email", "alternate_email"),
}


def file_set_cutoff(config: WorldConfig) -> datetime:
    """When the admin's copy was taken: 06:00 five days before the end of the history (or the
    middle of a short history)."""
    moment = max(
        config.history_end - timedelta(days=5),
        config.history_start + (config.history_end - config.history_start) / 2,
    )
    return datetime.combine(moment.date(), time(6, 0))


def _fmt(moment: datetime | None) -> str:
    return moment.strftime(DATE_FORMAT) if moment is not None else ""


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.2f}"
    return str(value)


def write_datacopy(
    rng: np.random.Generator,
    root: Path,
    config: WorldConfig,
    versions: pl.DataFrame,
    tombstones: pl.DataFrame,
    resumes: pl.DataFrame,
    attachments: pl.DataFrame,
    showcase_id: int,
) -> dict:
    """Write one file set and its manifest; returns the manifest."""
    cutoff = file_set_cutoff(config)
    name = f"{cutoff:%Y-%m-%d}_full"
    folder = root / name
    folder.mkdir(parents=True, exist_ok=True)

    at_cutoff = tombstones.filter(pl.col("at") <= cutoff)
    gone = at_cutoff.filter(pl.col("kind").is_in(["deleted", "merged"]))["candidate_id"]
    masks = dict(
        at_cutoff.filter(pl.col("kind") == "redacted")
        .select("candidate_id", "privacy_mask")
        .iter_rows()
    )
    current = (
        versions.filter(pl.col("version_at") <= cutoff)
        .sort("candidate_id", "version_at")
        .group_by("candidate_id", maintain_order=True)
        .last()
        .filter(~pl.col("is_active") & ~pl.col("candidate_id").is_in(gone.implode()))
    )
    ids = current["candidate_id"].to_list()
    dirt: list[dict] = []
    candidate_info = _write_candidates(rng, folder, current, versions, cutoff, masks, dirt)
    hidden_resumes = {cid for cid, mask in masks.items() if mask & 32}
    kept_resumes = resumes.filter(
        pl.col("candidate_id").is_in(ids)
        & (pl.col("created_at") <= cutoff)
        & ~pl.col("candidate_id").is_in(list(hidden_resumes))
    ).sort("candidate_id", "created_at", "resume_id")
    resume_info = _write_resumes(folder, kept_resumes, cutoff, showcase_id, dirt)
    kept_attachments = attachments.filter(
        pl.col("candidate_id").is_in(ids) & (pl.col("uploaded_at") <= cutoff)
    ).sort("candidate_id", "uploaded_at", "attachment_id")
    attachment_info = _write_attachments(rng, folder, kept_attachments, dirt)
    manifest = {
        "file_set": name,
        "cutoff": cutoff.isoformat(),
        "scope": "candidates inactive at the cutoff (not deleted or merged), their resumes "
        "and attachments; state as of the cutoff",
        "date_format": "MM/dd/yyyy HH:mm:ss (US Eastern wall clock)",
        "null_value": "empty field",
        "files": {
            "candidates.csv": candidate_info,
            "resumes.csv": resume_info,
            "attachments.csv": attachment_info,
        },
        "dirt": dirt,
        "redacted_candidate_ids": sorted(masks),
        "candidate_ids": sorted(ids),
        "resume_ids": kept_resumes["resume_id"].to_list(),
        "attachment_ids": kept_attachments["attachment_id"].to_list(),
    }
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")
    return manifest


def _candidate_record(row: dict, mask: int) -> list[str]:
    values = dict(row)
    for bit, columns in MASK_COLUMNS.items():
        if mask & bit:
            for column in columns:
                values[column] = INACCESSIBLE
    return [
        _text(values["candidate_id"]),
        _text(values["first_name"]),
        _text(values["last_name"]),
        _text(values["email"]),
        _text(values["alternate_email"]),
        _text(values["address1"]),
        _text(values["address2"]),
        _text(values["city"]),
        _text(values["state"]),
        _text(values["zipcode"]),
        _text(values["country"]),
        _text(values["work_phone"]),
        _text(values["work_phone_ext"]),
        _text(values["home_phone"]),
        _text(values["cell_phone"]),
        _text(values["fax"]),
        _text(values["linkedin"]),
        _fmt(values["created_at"]),
        _fmt(values["updated_at"]),
        _fmt(values["profile_updated_at"]),
        _text(values["current_salary"]),
        _text(values["application_type"]),
        _text(values["title_hint"]),
        _text(values["skills_text"]),
        "Inactive",
        "",
    ]


def _write_candidates(
    rng: np.random.Generator,
    folder: Path,
    current: pl.DataFrame,
    versions: pl.DataFrame,
    cutoff: datetime,
    masks: dict[int, int],
    dirt: list[dict],
) -> dict:
    rows = current.to_dicts()
    records = [_candidate_record(r, masks.get(r["candidate_id"], 0)) for r in rows]
    legacy = rng.integers(0, 4, len(records))
    for record, code in zip(records, legacy.tolist(), strict=True):
        record[-1] = ("", "JD-IMPORT-2019", "BULLHORN", "LEGACY")[code]
    ids = [r["candidate_id"] for r in rows]
    output = list(records)
    if len(records) >= 3:
        # Duplicate ids: an identical copy, and an older version placed after the current one.
        exact = int(rng.integers(0, len(records)))
        output.append(list(records[exact]))
        dirt.append(
            {
                "kind": "duplicate_id",
                "file": "candidates.csv",
                "candidate_id": ids[exact],
                "copies": 2,
                "identical": True,
            }
        )
        older = _older_version(versions, ids, exact, cutoff)
        if older is not None:
            position, older_row = older
            stale = _candidate_record(older_row, masks.get(ids[position], 0))
            stale[-1] = records[position][-1]
            output.insert(output.index(records[position]) + 1, stale)
            dirt.append(
                {
                    "kind": "duplicate_id",
                    "file": "candidates.csv",
                    "candidate_id": ids[position],
                    "copies": 2,
                    "identical": False,
                    "resolve": "keep the row with the latest DATEUPDATED",
                }
            )
        ragged = next(
            i for i in range(len(records)) if i != exact and (older is None or i != older[0])
        )
        output[output.index(records[ragged])] = [*records[ragged], "", ""]
        dirt.append(
            {
                "kind": "ragged_row",
                "file": "candidates.csv",
                "candidate_id": ids[ragged],
                "expected_fields": len(CANDIDATE_COLUMNS),
                "actual_fields": len(CANDIDATE_COLUMNS) + 2,
                "note": "two extra empty trailing fields",
            }
        )
    newline_ids = [ids[i] for i, r in enumerate(records) if any("\n" in f for f in r)]
    if newline_ids:
        dirt.append(
            {
                "kind": "quoted_newline",
                "file": "candidates.csv",
                "column": "QUALIFICATIONS",
                "candidate_ids": newline_ids,
            }
        )
    dirt.append({"kind": "utf8_bom", "file": "candidates.csv"})
    dirt.append({"kind": "extra_column", "file": "candidates.csv", "column": EXTRA_COLUMN})
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CANDIDATE_COLUMNS)
    writer.writerows(output)
    (folder / "candidates.csv").write_bytes(buffer.getvalue().encode("utf-8-sig"))
    return {
        "encoding": "utf-8-sig (UTF-8 with BOM)",
        "line_terminator": "CRLF",
        "columns": list(CANDIDATE_COLUMNS),
        "known_columns": list(CANDIDATE_COLUMNS[:-1]),
        "records": len(output),
        "distinct_candidate_ids": len(set(ids)),
    }


def _older_version(
    versions: pl.DataFrame, ids: list[int], avoid: int, cutoff: datetime
) -> tuple[int, dict] | None:
    """A candidate (other than `avoid`) with an earlier version before the cutoff."""
    earlier = (
        versions.filter(pl.col("candidate_id").is_in(ids) & (pl.col("version_at") <= cutoff))
        .sort("candidate_id", "version_at")
        .group_by("candidate_id", maintain_order=True)
        .agg(pl.len().alias("n"), pl.all().slice(-2, 1).first())
        .filter(pl.col("n") >= 2)
    )
    position_of = {cid: i for i, cid in enumerate(ids)}
    for row in earlier.iter_rows(named=True):
        position = position_of[row["candidate_id"]]
        if position != avoid:
            return position, row
    return None


def _write_resumes(
    folder: Path, resumes: pl.DataFrame, cutoff: datetime, showcase_id: int, dirt: list[dict]
) -> dict:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(RESUME_COLUMNS)
    lossy: list[str] = []
    for resume_id, cid, created, updated, text, source in resumes.select(
        "resume_id", "candidate_id", "created_at", "updated_at", "plaintext", "source"
    ).iter_rows():
        if text.encode("cp1252", errors="replace") != text.encode("cp1252", errors="ignore"):
            lossy.append(resume_id)
        writer.writerow([resume_id, cid, _fmt(created), _fmt(min(updated, cutoff)), source, text])
    (folder / "resumes.csv").write_bytes(buffer.getvalue().encode("cp1252", errors="replace"))
    showcase = resumes.filter(pl.col("candidate_id") == showcase_id)
    dirt.append(
        {
            "kind": "windows_1252",
            "file": "resumes.csv",
            "candidate_id": showcase_id if showcase.height else None,
            "example": showcase["plaintext"][0].split("\n")[0].split("<br>")[0]
            if showcase.height
            else None,
            "unencodable_characters": "replaced by '?'",
            "lossy_resume_ids": lossy,
        }
    )
    multiline = resumes.filter(pl.col("plaintext").str.contains("\n"))["resume_id"].to_list()
    if multiline:
        # Natural and frequent: record how many and a few examples.
        dirt.append(
            {
                "kind": "quoted_newline",
                "file": "resumes.csv",
                "column": "PLAINTEXT",
                "count": len(multiline),
                "examples": multiline[:5],
            }
        )
    return {
        "encoding": "cp1252 (Windows-1252)",
        "line_terminator": "CRLF",
        "columns": list(RESUME_COLUMNS),
        "records": resumes.height,
        "note": "PLAINTEXT is HTML-entity encoded, as ResumesTextDetail returns it; DATEUPDATED "
        "is capped at the cutoff",
    }


def _write_attachments(
    rng: np.random.Generator, folder: Path, attachments: pl.DataFrame, dirt: list[dict]
) -> dict:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(ATTACHMENT_COLUMNS)
    rows = attachments.to_dicts()
    text_rows = [i for i, r in enumerate(rows) if r["content_type"] == "text/plain"]
    short = text_rows[int(rng.integers(0, len(text_rows)))] if text_rows else None
    for i, r in enumerate(rows):
        binary = r["content_type"] != "text/plain"
        record = [
            r["attachment_id"],
            r["candidate_id"],
            r["filename"],
            ATTACHMENT_KIND_NAMES[r["kind"]],
            r["content_type"],
            _fmt(r["uploaded_at"]),
            len(r["content"]),
            r["text"],
            base64.b64encode(r["content"]).decode("ascii") if binary else "",
        ]
        if i == short:
            record = record[:-1]  # the exporter dropped the empty last field
            dirt.append(
                {
                    "kind": "ragged_row",
                    "file": "attachments.csv",
                    "attachment_id": r["attachment_id"],
                    "candidate_id": r["candidate_id"],
                    "expected_fields": len(ATTACHMENT_COLUMNS),
                    "actual_fields": len(ATTACHMENT_COLUMNS) - 1,
                    "note": "FILECONTENT_BASE64 missing (it is empty for text files)",
                }
            )
        writer.writerow(record)
    (folder / "attachments.csv").write_bytes(buffer.getvalue().encode("utf-8"))
    multiline = [r["attachment_id"] for r in rows if "\n" in r["text"]]
    if multiline:
        dirt.append(
            {
                "kind": "quoted_newline",
                "file": "attachments.csv",
                "column": "EXTRACTEDTEXT",
                "count": len(multiline),
                "examples": multiline[:5],
            }
        )
    return {
        "encoding": "utf-8",
        "line_terminator": "CRLF",
        "columns": list(ATTACHMENT_COLUMNS),
        "records": len(rows),
        "note": "EXTRACTEDTEXT for every file; FILECONTENT_BASE64 only for PDF and DOCX files",
    }
