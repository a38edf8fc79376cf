"""Plain text from resume attachments: PDF, DOCX and text files, detected by content.

Extraction never raises: a document that cannot be read comes back with ``text=None`` and an
``error`` saying why, so one bad attachment never stops a pipeline run.
"""

from __future__ import annotations

import io
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import PurePath
from typing import TYPE_CHECKING

from normalize.text import clean_html_text, normalize_whitespace

if TYPE_CHECKING:  # the parsers are imported lazily, on the first document of their kind
    from docx.document import Document as DocxDocument
    from docx.table import Table
    from pypdf import PdfReader

PDF_MAGIC = b"%PDF-"
ZIP_MAGIC = b"PK\x03\x04"
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
RTF_MAGIC = b"{\\rtf"
DOCX_MAIN_PART = "word/document.xml"

# PDF writers may put a few junk bytes before the header; readers accept it within 1 KiB.
_PDF_HEADER_WINDOW = 1024
_TEXT_SUFFIXES = frozenset({".txt", ".text", ".csv", ".md", ".log"})
_HTML_SUFFIXES = frozenset({".htm", ".html"})
# Share of control characters above which bytes are taken for binary, not text.
_MAX_CONTROL_SHARE = 0.05
_ALLOWED_CONTROLS = frozenset("\t\n\r\f\v")

_BOMS: tuple[tuple[bytes, str], ...] = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe\x00\x00", "utf-32"),
    (b"\x00\x00\xfe\xff", "utf-32"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)


@dataclass(frozen=True)
class ExtractedText:
    """Result of :func:`extract_document_text`.

    ``kind`` is "pdf", "docx", "text" or "unknown"; ``text`` is None when nothing could be
    read, and ``error`` then says why. ``links`` holds hyperlink targets (PDF link annotations,
    DOCX hyperlinks), which often carry a LinkedIn URL the visible text only calls "LinkedIn".
    """

    text: str | None
    kind: str
    error: str | None = None
    links: tuple[str, ...] = ()


def extract_document_text(
    content: bytes, filename: str | None = None, content_type: str | None = None
) -> ExtractedText:
    """Extract plain text from a PDF, DOCX or text file; never raises.

    The format is taken from magic bytes first (``%PDF``, a ZIP holding ``word/document.xml``),
    then from the file name and content type. Text files are decoded from UTF-8 (with or
    without BOM), UTF-16/32 with BOM, else cp1252; HTML files are reduced to text.

    >>> extract_document_text("Zoë Müller".encode("cp1252"), "cv.txt").text
    'Zoë Müller'
    """
    try:
        return _extract(bytes(content or b""), _declared_kind(filename, content_type))
    except Exception as exc:  # last line of defence for the never-raise promise
        return ExtractedText(None, "unknown", f"extraction failed: {type(exc).__name__}: {exc}")


def _extract(content: bytes, declared: str | None) -> ExtractedText:
    if not content:
        return ExtractedText(None, "unknown", "empty content")
    if PDF_MAGIC in content[:_PDF_HEADER_WINDOW]:
        return _extract_pdf(content)
    if content.startswith(ZIP_MAGIC):
        return _extract_zip(content)
    if content.startswith(OLE2_MAGIC):
        return ExtractedText(
            None,
            "unknown",
            "OLE2 container (legacy .doc or encrypted Office file) is not supported",
        )
    if content.startswith(RTF_MAGIC):
        return ExtractedText(None, "unknown", "RTF is not supported")
    if declared == "pdf":
        return ExtractedText(None, "pdf", f"not a PDF: no %PDF header (starts {content[:8]!r})")
    if declared == "docx":
        return ExtractedText(None, "docx", f"corrupt DOCX: not a ZIP archive ({content[:8]!r})")
    return _extract_text(content, is_html=declared == "html")


def _declared_kind(filename: str | None, content_type: str | None) -> str | None:
    suffix = PurePath(filename).suffix.lower() if filename else ""
    media = (content_type or "").split(";", 1)[0].strip().lower()
    if suffix == ".pdf" or media == "application/pdf":
        return "pdf"
    if suffix == ".docx" or media.endswith("wordprocessingml.document"):
        return "docx"
    if suffix in _HTML_SUFFIXES or media in {"text/html", "application/xhtml+xml"}:
        return "html"
    if suffix in _TEXT_SUFFIXES or media.startswith("text/"):
        return "text"
    return None


# --- PDF ---------------------------------------------------------------------------------------


def _extract_pdf(content: bytes) -> ExtractedText:
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(content))
        if reader.is_encrypted and not _open_encrypted(reader):
            return ExtractedText(None, "pdf", "encrypted PDF: a password is needed to read it")
        pages = [page.extract_text() or "" for page in reader.pages]
        links = _pdf_links(reader)
    except (PyPdfError, ValueError, TypeError, KeyError, AttributeError, IndexError) as exc:
        return ExtractedText(None, "pdf", f"corrupt PDF: {exc}")
    except Exception as exc:  # pypdf raises a wide range on hostile files
        return ExtractedText(None, "pdf", f"corrupt PDF: {type(exc).__name__}: {exc}")
    text = normalize_whitespace(unicodedata.normalize("NFC", "\n\n".join(pages)))
    if not text:
        return ExtractedText(None, "pdf", "PDF has no text layer (scanned image?)", links)
    return ExtractedText(text, "pdf", None, links)


def _open_encrypted(reader: PdfReader) -> bool:
    """Try the empty user password, which many "protected" (copy/print-locked) PDFs use."""
    try:
        return bool(reader.decrypt(""))
    except Exception:  # missing AES backend or broken encryption dictionary
        return False


def _pdf_links(reader: PdfReader) -> tuple[str, ...]:
    """Targets of URI link annotations, in page order."""
    links: list[str] = []
    for page in reader.pages:
        for annotation in page.get("/Annots") or []:
            action = annotation.get_object().get("/A") or {}
            uri = action.get("/URI") if hasattr(action, "get") else None
            if isinstance(uri, str | bytes):
                text = uri.decode("latin-1") if isinstance(uri, bytes) else str(uri)
                if text not in links:
                    links.append(text)
    return tuple(links)


# --- DOCX --------------------------------------------------------------------------------------


def _extract_zip(content: bytes) -> ExtractedText:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            is_docx = DOCX_MAIN_PART in archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        return ExtractedText(None, "docx", f"corrupt DOCX: {exc}")
    if not is_docx:
        return ExtractedText(None, "unknown", f"ZIP archive without {DOCX_MAIN_PART} (not a DOCX)")
    return _extract_docx(content)


def _extract_docx(content: bytes) -> ExtractedText:
    import docx

    try:
        document = docx.Document(io.BytesIO(content))
        blocks = _docx_header_footer_blocks(document) + _docx_body_blocks(document)
        links = _docx_links(document)
    except Exception as exc:  # python-docx/lxml raise many types on bad XML
        return ExtractedText(None, "docx", f"corrupt DOCX: {type(exc).__name__}: {exc}")
    text = normalize_whitespace(unicodedata.normalize("NFC", "\n".join(blocks)))
    if not text:
        return ExtractedText(None, "docx", "DOCX has no text", links)
    return ExtractedText(text, "docx", None, links)


def _docx_body_blocks(document: DocxDocument) -> list[str]:
    """Paragraph and table text in document order."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    blocks: list[str] = []
    for item in document.iter_inner_content():
        if isinstance(item, Paragraph):
            blocks.append(item.text)
        elif isinstance(item, Table):
            blocks.extend(_docx_table_blocks(item))
    return blocks


def _docx_table_blocks(table: Table) -> list[str]:
    """One line per row, cells joined by " | ", merged cells once, nested tables after the row."""
    lines: list[str] = []
    for row in table.rows:
        seen: list[object] = []
        cells: list[str] = []
        nested_lines: list[str] = []
        for cell in row.cells:
            if any(cell._tc is other for other in seen):
                continue
            seen.append(cell._tc)
            cells.append(cell.text.strip())
            for nested in cell.tables:
                nested_lines.extend(_docx_table_blocks(nested))
        lines.append(" | ".join(cell for cell in cells if cell))
        lines.extend(nested_lines)
    return lines


def _docx_header_footer_blocks(document: DocxDocument) -> list[str]:
    """Headers and footers, where resumes often put name, e-mail and profile links."""
    blocks: list[str] = []
    for section in document.sections:
        for part in (section.header, section.footer):
            if part.is_linked_to_previous:
                continue
            for paragraph in part.paragraphs:
                if paragraph.text.strip() and paragraph.text not in blocks:
                    blocks.append(paragraph.text)
    return blocks


def _docx_links(document: DocxDocument) -> tuple[str, ...]:
    """External relationship targets (hyperlinks) of the body, headers and footers."""
    parts = [document.part]
    for section in document.sections:
        for header_footer in (section.header, section.footer):
            if not header_footer.is_linked_to_previous:
                parts.append(header_footer.part)
    links: list[str] = []
    for part in parts:
        for relationship in part.rels.values():
            if relationship.is_external and relationship.target_ref not in links:
                links.append(relationship.target_ref)
    return tuple(links)


# --- text --------------------------------------------------------------------------------------


def _decode_text(content: bytes) -> str:
    for bom, encoding in _BOMS:
        if content.startswith(bom):
            return content.decode(encoding, errors="replace")
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError:
        # cp1252 leaves five bytes undefined; replacing them beats rejecting a whole resume.
        return content.decode("cp1252", errors="replace")


def _looks_binary(text: str) -> bool:
    if "\x00" in text:
        return True
    controls = sum(
        1 for c in text if unicodedata.category(c) == "Cc" and c not in _ALLOWED_CONTROLS
    )
    return controls > _MAX_CONTROL_SHARE * len(text)


def _extract_text(content: bytes, is_html: bool) -> ExtractedText:
    decoded = _decode_text(content)
    if _looks_binary(decoded):
        return ExtractedText(None, "unknown", "unrecognised binary content (not PDF, DOCX or text)")
    head = decoded.lstrip()[:100].lower()
    if is_html or head.startswith(("<!doctype html", "<html")):
        text = clean_html_text(decoded)
    else:
        text = normalize_whitespace(unicodedata.normalize("NFC", decoded)) or None
    if text is None:
        return ExtractedText(None, "text", "text file is blank")
    return ExtractedText(text, "text")
