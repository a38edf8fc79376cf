"""Resume text (as ResumesTextDetail.PLAINTEXT) and attachment files: plain text, PDF and DOCX.

PDF and DOCX rendering costs milliseconds per file, so only `binary_attachment_cap` attachments
are rendered as real PDF/DOCX files (alternately); every other attachment is a .txt file.
Both binary formats are byte-for-byte reproducible: reportlab runs with `invariant=1` and
the DOCX zip is rewritten with fixed entry timestamps and fixed core properties.
"""

from __future__ import annotations

import html
import io
import textwrap
import zipfile
from datetime import date, datetime, timedelta

import numpy as np
import polars as pl

from sandbox.world import careers
from sandbox.world.names import ascii_fold

SECTION_STYLES = (
    (
        "PROFESSIONAL SUMMARY",
        "PROFESSIONAL EXPERIENCE",
        "EDUCATION",
        "TECHNICAL SKILLS",
        "CERTIFICATIONS",
        "LANGUAGES",
    ),
    ("Summary", "Experience", "Education", "Skills", "Certifications", "Languages"),
    (
        "PROFILE",
        "WORK HISTORY",
        "EDUCATION & TRAINING",
        "CORE COMPETENCIES",
        "LICENSES & CERTIFICATIONS",
        "LANGUAGES",
    ),
)
RESUME_SOURCES_FIRST = (
    "Candidate",
    "Website",
    "Recruiter",
    "Harvested/New",
    "Bulk Upload",
    "Conversion",
)
RESUME_SOURCE_WEIGHTS = (0.35, 0.2, 0.2, 0.15, 0.06, 0.04)
RESUME_SOURCES_LATER = ("Harvested/Refresh", "Candidate", "Recruiter", "Website")
COMPANY_SUFFIXES = (", Inc.", " Inc", " LLC", " (Contract)", " Corporation")
PDF_TYPE = "application/pdf"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
TEXT_TYPE = "text/plain"
FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def _month_year(day: date, style: int) -> str:
    if style == 0:
        return day.strftime("%b %Y")
    if style == 1:
        return day.strftime("%m/%Y")
    return day.strftime("%B %Y")


def resume_lines(person: dict, contact: dict, at: date, u: np.ndarray) -> list[str]:
    """A resume as a person would write it on `at` (jobs started later are not on it)."""
    sections = SECTION_STYLES[int(u[0] * len(SECTION_STYLES))]
    date_style = int(u[1] * 3)
    name = f"{person['first_name']} {person['last_name']}"
    if person["middle_initial"] and u[2] < 0.3:
        name = f"{person['first_name']} {person['middle_initial']}. {person['last_name']}"
    if person["preferred_first"] and u[2] > 0.85:
        name = f'{person["first_name"]} "{person["preferred_first"]}" {person["last_name"]}'
    lines = [name.upper() if u[3] < 0.5 else name]
    location = f"{contact['city']}, {contact['state']}" if contact["city"] else None
    contact_bits = [b for b in (location, contact["phone"], contact["email"]) if b]
    lines.append(" • ".join(contact_bits) if u[4] < 0.6 else " | ".join(contact_bits))
    if contact["linkedin"]:
        lines.append(f"LinkedIn: {contact['linkedin']}")
    if contact["github"]:
        lines.append(f"GitHub: {contact['github']}")
    positions = [p for p in person["positions"] if p["start"] <= at][:5]
    skills = person["skills"]
    current_title = positions[0]["title"] if positions else "Professional"
    years = max(1, int(sum((min(p["end"] or at, at) - p["start"]).days for p in positions) / 365))
    lines += ["", sections[0]]
    top = skills[:3] + ["teamwork"] * (3 - len(skills[:3]))
    lines.append(
        f"{current_title} with {years}+ years of experience in {top[0]}, {top[1]} & {top[2]}."
    )
    lines += ["", sections[1]]
    track = careers.TRACKS[person["track"]]
    for k, position in enumerate(positions):
        company = position["company"]
        if u[5 + k % 5] < 0.12:
            company += COMPANY_SUFFIXES[int(u[10] * len(COMPANY_SUFFIXES))]
        ended = position["end"] is not None and position["end"] <= at
        end_text = _month_year(position["end"], date_style) if ended else "Present"
        start_text = _month_year(position["start"], date_style)
        lines.append(f"{position['title']} | {company}")
        lines.append(f"{start_text} – {end_text}")
        for j in range(2 if k < 2 else 1):
            # Walk the track's duty templates so consecutive jobs read differently.
            duty = track.duties[(k * 2 + j + int(u[11] * 7)) % len(track.duties)]
            skill = skills[(k + j) % len(skills)] if skills else "SQL"
            lines.append("• " + duty.format(skill=skill))
    if person["education"]:
        lines += ["", sections[2]]
        for degree in person["education"]:
            if degree["end"] <= at + timedelta(days=400):
                subject = f"{degree['degree']}, {degree['major']}"
                lines.append(f"{subject} – {degree['school']}, {degree['end'].year}")
    if skills:
        lines += ["", sections[3], ", ".join(skills)]
    if person["certifications"]:
        lines += ["", sections[4], *person["certifications"]]
    if person["languages"] and u[12] < 0.5:
        lines += ["", sections[5], ", ".join(person["languages"])]
    return lines


def encode_plaintext(lines: list[str], u: float) -> str:
    """HTML-entity encode like ResumesTextDetail.PLAINTEXT; some resumes use <br> breaks."""
    if u < 0.6:
        return "\n".join(html.escape(line, quote=False) for line in lines)
    if u < 0.75:
        return "<br>".join(html.escape(line, quote=False) for line in lines)
    if u < 0.85:
        return "<br>\n".join(html.escape(line, quote=False) for line in lines)
    encoded = [html.escape(line, quote=True).replace("&#x27;", "&#39;") for line in lines]
    return "\n".join(line.replace("• ", "•&nbsp;") for line in encoded)


def pdf_safe(lines: list[str]) -> list[str]:
    """What a PDF with a standard font can carry: Windows-1252 characters, no bullet glyph
    (pypdf maps Helvetica's bullet to U+007F), long lines wrapped."""
    out: list[str] = []
    for line in lines:
        line = line.replace("•", "-")
        line = "".join(
            ch if ch.encode("cp1252", errors="ignore") else ascii_fold(ch) or "?" for ch in line
        )
        out.extend(textwrap.wrap(line, width=95) or [""])
    return out


def pdf_bytes(lines: list[str], title: str, author: str) -> bytes:
    """A real, reproducible PDF (reportlab, invariant mode) with one text line per line."""
    from reportlab.lib.pagesizes import letter
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=letter, invariant=1)
    page.setTitle(title)
    page.setAuthor(author)
    y = 740.0
    page.setFont("Helvetica", 10)
    for line in lines:
        if y < 54:
            page.showPage()
            page.setFont("Helvetica", 10)
            y = 740.0
        page.drawString(54, y, line)
        y -= 13
    page.showPage()
    page.save()
    return buffer.getvalue()


def docx_bytes(lines: list[str], author: str, written: datetime) -> bytes:
    """A real, reproducible DOCX (python-docx) with one paragraph per line."""
    import docx

    document = docx.Document()
    for line in lines:
        document.add_paragraph(line)
    props = document.core_properties
    props.author = author
    props.last_modified_by = author
    props.created = written
    props.modified = written
    props.last_printed = written
    props.revision = 1
    raw = io.BytesIO()
    document.save(raw)
    return _fixed_zip(raw.getvalue())


def _fixed_zip(data: bytes) -> bytes:
    """Rewrite a zip with constant entry timestamps so equal content gives equal bytes."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=FIXED_ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o600 << 16
            target.writestr(entry, source.read(info.filename))
    return out.getvalue()


def cover_letter_lines(person: dict, contact: dict, at: date) -> list[str]:
    positions = [p for p in person["positions"] if p["start"] <= at]
    title = positions[0]["title"] if positions else "professional"
    company = positions[0]["company"] if positions else "my previous employer"
    skills = (person["skills"] + ["communication", "teamwork"])[:2]
    name = f"{person['first_name']} {person['last_name']}"
    return [
        at.strftime("%B %d, %Y"),
        "",
        "Dear Hiring Manager,",
        "",
        f"I am writing to express my interest in a {title} role with your client. "
        f"In my work as {title} at {company} I have relied on {skills[0]} & {skills[1]} daily.",
        "I would welcome the chance to discuss how my experience fits your needs.",
        "",
        "Sincerely,",
        name,
        " | ".join(b for b in (contact["phone"], contact["email"]) if b),
    ]


def certificate_lines(person: dict, certification: str, at: date, credential: str) -> list[str]:
    return [
        "CERTIFICATE OF COMPLETION",
        "This certifies that",
        f"{person['first_name']} {person['last_name']}",
        "has successfully met the requirements for",
        certification,
        f"Issued: {at.strftime('%B %d, %Y')}",
        f"Credential ID: {credential}",
    ]


def resume_file_name(person: dict, kind: int, year: int, extension: str) -> str:
    first = ascii_fold(person["first_name"]).replace(" ", "")
    last = ascii_fold(person["last_name"]).replace(" ", "")
    patterns = (
        f"{first}_{last}_Resume.{extension}",
        f"Resume - {last}, {first}.{extension}",
        f"{first}{last}_CV_{year}.{extension}",
        f"Resume.{extension}",
        f"{person['first_name']} {person['last_name']} Resume (1).{extension}",
        f"{last.upper()}_{first.upper()}_{year}.{extension}",
    )
    return patterns[kind % len(patterns)]


def build_resumes(
    rng: np.random.Generator,
    rows: pl.DataFrame,
    records: list[dict],
    contacts: list[dict],
    uploads: dict[int, list[datetime]],
    gone_at: list[datetime],
    history_end: datetime,
    always_has_resume: list[bool],
) -> tuple[pl.DataFrame, list[list[tuple[str, datetime, list[str]]]]]:
    """Resumes per candidate: one at creation (most), one per later upload.

    Returns the table and, per candidate row, (resume_id, created_at, lines) for attachments.
    """
    count = rows.height
    ids = rows["candidate_id"].to_list()
    created = rows["created_at"].to_list()
    has_first = (rng.random(count) >= 0.06) | np.array(always_has_resume, dtype=bool)
    out: list[tuple] = []
    per_row: list[list[tuple[str, datetime, list[str]]]] = [[] for _ in range(count)]
    sequence_base = rng.integers(0, 30, count)
    for row in range(count):
        times = ([created[row]] if has_first[row] else []) + uploads.get(row, [])
        for ordinal, at in enumerate(times):
            u = rng.random(16)
            # <candidateId>_<docdb>_<sequence>: the sequence part keeps a candidate's ids distinct.
            sequence = int(sequence_base[row]) + ordinal + 1
            resume_id = f"{ids[row]}_{int(u[13] * 9000) + 100}_{sequence}"
            lines = resume_lines(records[row], contacts[row], at.date(), u)
            edited = u[15] < 0.2
            limit = min(history_end, gone_at[row] - timedelta(seconds=1))
            updated = min(at + timedelta(hours=1 + u[15] * 480), limit) if edited else at
            source = (
                RESUME_SOURCES_FIRST[
                    int(np.searchsorted(np.cumsum(RESUME_SOURCE_WEIGHTS), u[12] * 0.999))
                ]
                if ordinal == 0
                else RESUME_SOURCES_LATER[int(u[12] * len(RESUME_SOURCES_LATER))]
            )
            out.append(
                (resume_id, ids[row], at, max(updated, at), encode_plaintext(lines, u[9]), source)
            )
            per_row[row].append((resume_id, at, lines))
    frame = pl.DataFrame(
        out,
        schema={
            "resume_id": pl.String,
            "candidate_id": pl.Int64,
            "created_at": pl.Datetime("us"),
            "updated_at": pl.Datetime("us"),
            "plaintext": pl.String,
            "source": pl.String,
        },
        orient="row",
    )
    return frame, per_row


def build_attachments(
    rng: np.random.Generator,
    rows: pl.DataFrame,
    records: list[dict],
    contacts: list[dict],
    resumes_per_row: list[list[tuple[str, datetime, list[str]]]],
    gone_at: list[datetime],
    history_end: datetime,
    binary_cap: int,
) -> pl.DataFrame:
    """Resume, cover-letter and certificate files; the first `binary_cap` files chosen at random
    are rendered as PDF or DOCX, the rest as UTF-8 text."""
    count = rows.height
    ids = rows["candidate_id"].to_list()
    created = rows["created_at"].to_list()
    draws = rng.random((count, 8))
    planned: list[tuple[int, str, datetime, list[str], int]] = []
    for row in range(count):
        person, contact, u = records[row], contacts[row], draws[row]
        resumes = resumes_per_row[row]
        limit = min(history_end, gone_at[row] - timedelta(seconds=1))
        if resumes and u[0] < 0.4:
            _, at, lines = resumes[-1 if u[1] < 0.5 else 0]
            planned.append((row, "resume", at, lines, int(u[2] * 6)))
        if resumes and u[3] < 0.1:
            at = min(resumes[0][1] + timedelta(minutes=2 + int(u[4] * 90)), limit)
            planned.append(
                (row, "cover_letter", at, cover_letter_lines(person, contact, at.date()), 0)
            )
        if person["certifications"] and u[5] < 0.06:
            certification = person["certifications"][0]
            at = max(min(created[row] + timedelta(days=int(u[6] * 300)), limit), created[row])
            credential = f"{int(u[7] * 1e9):09d}"
            planned.append(
                (
                    row,
                    "certificate",
                    at,
                    certificate_lines(person, certification, at.date(), credential),
                    0,
                )
            )
    binary = np.zeros(len(planned), dtype=bool)
    if planned and binary_cap > 0:
        binary[rng.permutation(len(planned))[: min(binary_cap, len(planned))]] = True
    attachment_ids = 310_000_000 + np.cumsum(rng.integers(1, 5_000, len(planned)))
    out = []
    pdf_next = True
    for k, (row, kind, at, lines, name_kind) in enumerate(planned):
        person = records[row]
        author = f"{person['first_name']} {person['last_name']}"
        if binary[k]:
            extension = "pdf" if pdf_next else "docx"
            pdf_next = not pdf_next
        else:
            extension = "txt"
        if kind == "resume":
            filename = resume_file_name(person, name_kind, at.year, extension)
        elif kind == "cover_letter":
            filename = f"Cover Letter - {ascii_fold(person['last_name'])}.{extension}"
        else:
            filename = f"{ascii_fold(person['last_name'])}_Certificate.{extension}"
        if extension == "pdf":
            text_lines = pdf_safe(lines)
            content = pdf_bytes(text_lines, title=kind.replace("_", " ").title(), author=author)
            content_type = PDF_TYPE
        elif extension == "docx":
            text_lines = lines
            content = docx_bytes(lines, author, at - timedelta(days=2))
            content_type = DOCX_TYPE
        else:
            text_lines = lines
            content = ("\n".join(lines) + "\n").encode("utf-8")
            content_type = TEXT_TYPE
        out.append(
            (
                int(attachment_ids[k]),
                ids[row],
                filename,
                kind,
                content_type,
                content,
                "\n".join(text_lines),
                at,
            )
        )
    return pl.DataFrame(
        out,
        schema={
            "attachment_id": pl.Int64,
            "candidate_id": pl.Int64,
            "filename": pl.String,
            "kind": pl.String,
            "content_type": pl.String,
            "content": pl.Binary,
            "text": pl.String,
            "uploaded_at": pl.Datetime("us"),
        },
        orient="row",
    )


def resume_contacts(
    rng: np.random.Generator, matched: list[bool], records: list[dict], phones: list[str]
) -> list[dict]:
    """What each person puts at the top of their resume (their own, current details)."""
    draws = rng.random((len(records), 6))
    contacts = []
    for person, is_matched, phone, u in zip(records, matched, phones, draws, strict=True):
        linkedin = None
        if u[0] < (0.3 if is_matched else 0.15):
            stale = person["old_li_path"] is not None and u[1] < 0.15
            path = person["old_li_path"] if stale else f"in/{person['slug']}"
            host = ("linkedin.com/", "https://www.linkedin.com/", "www.linkedin.com/")[
                int(u[2] * 3)
            ]
            linkedin = host + path + ("/" if u[3] < 0.2 else "")
        github = None
        if person["github"] and u[4] < 0.5:
            github = ("github.com/", "https://github.com/")[int(u[5] * 2)] + person["github"]
        email = (
            person["work_email"]
            if person["work_email"] and u[5] < 0.1
            else person["personal_email"]
        )
        contacts.append(
            {
                "city": person["city"],
                "state": person["state"],
                "phone": phone,
                "email": email,
                "linkedin": linkedin,
                "github": github,
            }
        )
    return contacts
