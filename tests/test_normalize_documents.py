"""Attachments yield their text by detected type; bad input gives an error, never a raise."""

from __future__ import annotations

import io
import random
import zipfile

import docx
import pytest
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from hypothesis import given, settings
from hypothesis import strategies as st
from reportlab.lib.pdfencrypt import StandardEncryption
from reportlab.pdfgen import canvas

from normalize.documents import ExtractedText, extract_document_text

NAME = "Zoë Müller"
PROFILE = "https://www.linkedin.com/in/zoe-muller"


def make_pdf(lines: list[str], encrypt: StandardEncryption | None = None) -> bytes:
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, invariant=1, encrypt=encrypt)
    y = 800
    for line in lines:
        pdf.drawString(72, y, line)
        y -= 20
    pdf.linkURL(PROFILE, (72, 600, 240, 620))
    pdf.showPage()
    pdf.drawString(72, 800, "Page two")
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def add_hyperlink(paragraph: docx.text.paragraph.Paragraph, url: str, label: str) -> None:
    relationship_id = paragraph.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    hyperlink = OxmlElement("w:hyperlink")
    hyperlink.set(qn("r:id"), relationship_id)
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = label
    run.append(text)
    hyperlink.append(run)
    paragraph._p.append(hyperlink)


def make_docx() -> bytes:
    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = "zoe@example.com | +1 555 123 4567"
    document.add_paragraph(NAME)
    add_hyperlink(document.add_paragraph("Profile: "), PROFILE, "LinkedIn")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "Skill"
    table.cell(0, 1).text = "Years"
    table.cell(1, 0).text = "Python"
    table.cell(1, 1).text = "7"
    merged = document.add_table(rows=1, cols=2)
    merged.cell(0, 0).merge(merged.cell(0, 1)).text = "Merged cell"
    document.add_paragraph("After the tables")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_pdf_text_and_links() -> None:
    result = extract_document_text(make_pdf([NAME, "Senior Engineer — Python & SQL"]))
    assert result == ExtractedText(
        text=f"{NAME}\nSenior Engineer — Python & SQL\n\nPage two",
        kind="pdf",
        error=None,
        links=(PROFILE,),
    )


def test_pdf_detected_by_magic_bytes_despite_wrong_name() -> None:
    result = extract_document_text(
        make_pdf([NAME]), filename="resume.docx", content_type="text/plain"
    )
    assert result.kind == "pdf"
    assert result.text is not None and result.text.startswith(NAME)


def test_pdf_locked_only_by_owner_password_is_read() -> None:
    locked = StandardEncryption("", ownerPassword="owner", canPrint=0, canCopy=0)
    result = extract_document_text(make_pdf([NAME], encrypt=locked))
    assert result.error is None
    assert result.text is not None and NAME in result.text


def test_pdf_needing_a_password_is_reported() -> None:
    result = extract_document_text(make_pdf([NAME], encrypt=StandardEncryption("secret")))
    assert result.text is None
    assert result.kind == "pdf"
    assert result.error is not None and result.error.startswith("encrypted PDF")


@pytest.mark.parametrize(
    "content",
    [
        b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Encrypt 9 0 R >>\n%%EOF",
        b"%PDF-1.7\n" + bytes(range(256)) * 4,
        b"%PDF-",
    ],
)
def test_corrupt_pdf_gives_an_error(content: bytes) -> None:
    result = extract_document_text(content, filename="cv.pdf")
    assert result.text is None
    assert result.kind == "pdf"
    assert result.error is not None and result.error.startswith(("corrupt PDF", "encrypted PDF"))


def test_truncated_pdf_gives_an_error() -> None:
    result = extract_document_text(make_pdf([NAME])[:300])
    assert (result.text, result.kind) == (None, "pdf")
    assert result.error is not None and result.error.startswith("corrupt PDF")


def test_non_pdf_named_pdf() -> None:
    result = extract_document_text(b"\x89PNG\r\n\x1a\n\x00\x00binary", filename="cv.pdf")
    assert (result.text, result.kind) == (None, "pdf")
    assert result.error is not None and result.error.startswith("not a PDF")


def test_docx_paragraphs_tables_headers_and_links() -> None:
    result = extract_document_text(make_docx(), filename="cv.docx")
    assert result.kind == "docx"
    assert result.error is None
    assert result.text == (
        "zoe@example.com | +1 555 123 4567\n"
        f"{NAME}\n"
        "Profile: LinkedIn\n"
        "Skill | Years\n"
        "Python | 7\n"
        "Merged cell\n"
        "After the tables"
    )
    assert result.links == (PROFILE,)


def test_docx_detected_without_a_name() -> None:
    assert extract_document_text(make_docx()).kind == "docx"


def test_truncated_docx_gives_an_error() -> None:
    content = make_docx()
    result = extract_document_text(content[: len(content) // 2], filename="cv.docx")
    assert (result.text, result.kind) == (None, "docx")
    assert result.error is not None and result.error.startswith("corrupt DOCX")


def test_docx_with_broken_xml_gives_an_error() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document><not-closed>")
    result = extract_document_text(buffer.getvalue())
    assert (result.text, result.kind) == (None, "docx")
    assert result.error is not None and result.error.startswith("corrupt DOCX")


def test_zip_that_is_not_a_docx() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("photo.jpg", b"\xff\xd8\xff")
    result = extract_document_text(buffer.getvalue(), filename="cv.zip")
    assert (result.text, result.kind) == (None, "unknown")
    assert result.error is not None and "not a DOCX" in result.error


def test_legacy_doc_is_reported() -> None:
    content = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512
    result = extract_document_text(content, filename="cv.doc")
    assert (result.text, result.kind) == (None, "unknown")
    assert result.error is not None and "OLE2" in result.error


@pytest.mark.parametrize(
    ("content", "filename"),
    [
        (f"{NAME}\r\nRenée Lefèvre".encode("cp1252"), "cv.txt"),
        (f"{NAME}\r\nRenée Lefèvre".encode("utf-8-sig"), None),
        (f"{NAME}\r\nRenée Lefèvre".encode(), "cv.txt"),
        (f"{NAME}\r\nRenée Lefèvre".encode("utf-16"), None),
        (f"{NAME}\r\nRenée Lefèvre".encode("utf-32"), "cv.txt"),
    ],
)
def test_text_encodings(content: bytes, filename: str | None) -> None:
    assert extract_document_text(content, filename) == ExtractedText(
        f"{NAME}\nRenée Lefèvre", "text"
    )


def test_utf16_without_bom_is_reported_not_garbled() -> None:
    result = extract_document_text(NAME.encode("utf-16-be"), "cv.txt")
    assert (result.text, result.kind) == (None, "unknown")
    assert result.error is not None and result.error.startswith("unrecognised binary content")


def test_html_file_is_reduced_to_text() -> None:
    content = b"<html><body><p>Zo&euml; M&uuml;ller</p><script>alert(1)</script></body></html>"
    assert extract_document_text(content, "cv.html") == ExtractedText(NAME, "text")
    assert extract_document_text(content) == ExtractedText(NAME, "text")


@pytest.mark.parametrize(
    ("content", "kind", "reason"),
    [
        (b"", "unknown", "empty content"),
        (random.Random(0).randbytes(4096), "unknown", "unrecognised binary content"),
        (b"   \n\t  ", "text", "text file is blank"),
        (b"{\\rtf1\\ansi Hello}", "unknown", "RTF is not supported"),
    ],
)
def test_unreadable_content_gives_a_reason(content: bytes, kind: str, reason: str) -> None:
    result = extract_document_text(content)
    assert (result.text, result.kind) == (None, kind)
    assert result.error is not None and result.error.startswith(reason)


@settings(max_examples=100, deadline=None)
@given(
    st.one_of(
        st.binary(max_size=2048),
        st.binary(max_size=512).map(lambda tail: b"%PDF-1.4\n" + tail),
        st.binary(max_size=512).map(lambda tail: b"PK\x03\x04" + tail),
    ),
    st.sampled_from([None, "cv.pdf", "cv.docx", "cv.txt", "cv.html"]),
)
def test_never_raises_on_arbitrary_bytes(content: bytes, filename: str | None) -> None:
    result = extract_document_text(content, filename)
    assert result.kind in {"pdf", "docx", "text", "unknown"}
    assert (result.text is None) == (result.error is not None)


def test_docx_nested_table_follows_its_row() -> None:
    document = docx.Document()
    outer = document.add_table(rows=2, cols=1)
    outer.cell(0, 0).text = "Experience"
    inner = outer.cell(0, 0).add_table(rows=1, cols=2)
    inner.cell(0, 0).text = "Acme"
    inner.cell(0, 1).text = "2019-2024"
    outer.cell(1, 0).text = "Education"
    buffer = io.BytesIO()
    document.save(buffer)
    result = extract_document_text(buffer.getvalue())
    assert result.text == "Experience\nAcme | 2019-2024\nEducation"
