"""Library uploads: real PDF, DOCX, PPTX, XLSX, Markdown, text; type by content; refusals."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from fpdf import FPDF
from pypdf import PdfReader, PdfWriter

import talentbridge.library.files as files
from talentbridge.library.files import (
    DOCX,
    MARKDOWN,
    PDF,
    PPTX,
    TEXT,
    XLSX,
    ResourceFileError,
    read_resource_file,
    store_resource_file,
)
from talentbridge.library.samples import docx_bytes, markdown_bytes, pptx_bytes, xlsx_bytes

LIMIT = 5 * 1024 * 1024


def pdf_bytes(text: str) -> bytes:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=11)
    pdf.multi_cell(0, 7, text)
    return bytes(pdf.output())


def encrypted_pdf() -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_bytes("Bill of lading"))))
    writer.encrypt("secret", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_each_accepted_type_is_read() -> None:
    cases = {
        PDF: pdf_bytes("Ocean bill of lading: shipper, consignee, notify party."),
        DOCX: docx_bytes("报关实务", ["进出口货物报关单的填制"], table=[["项目", "说明"]]),
        PPTX: pptx_bytes(
            "Cold chain", [("Reefer containers", ["Set point", "Pre-trip inspection"])]
        ),
        XLSX: xlsx_bytes("Incoterms", [["Term", "Risk transfer"], ["FOB", "on board"]]),
        MARKDOWN: markdown_bytes("多式联运", [("概述", "海铁联运与中欧班列")]),
        TEXT: "危险货物分类与包装要求\n".encode("gb18030"),
    }
    expected = {
        PDF: "consignee",
        DOCX: "报关单",
        PPTX: "Pre-trip inspection",
        XLSX: "on board",
        MARKDOWN: "中欧班列",
        TEXT: "危险货物",
    }
    for media_type, data in cases.items():
        read = read_resource_file(data, max_bytes=LIMIT)
        assert read.media_type == media_type, media_type
        assert expected[media_type] in read.text
    assert read_resource_file(cases[DOCX], max_bytes=LIMIT).language == "zh"
    assert read_resource_file(cases[PDF], max_bytes=LIMIT).language == "en"
    table_text = read_resource_file(cases[DOCX], max_bytes=LIMIT).text
    assert "项目\t说明" in table_text


def test_type_is_decided_by_content_not_name() -> None:
    zipped = io.BytesIO()
    with zipfile.ZipFile(zipped, "w") as archive:
        archive.writestr("content.xml", "<x/>")
    # A ".pdf" that is really a ZIP is refused; a .txt name on a DOCX is still a DOCX.
    with pytest.raises(ResourceFileError, match="ZIP archive but not a DOCX"):
        read_resource_file(zipped.getvalue(), max_bytes=LIMIT, file_name="lesson.pdf")
    docx = docx_bytes("T", ["freight"])
    assert read_resource_file(docx, max_bytes=LIMIT, file_name="x.txt").media_type == DOCX
    assert read_resource_file(b"plain words", max_bytes=LIMIT, file_name="a.md").media_type == (
        MARKDOWN
    )
    refusals = {
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600: "old Office files",
        b"PK\x03\x04 broken": "damaged ZIP",
        bytes(range(256)) * 8: "not a PDF, DOCX, PPTX, XLSX, Markdown or text file",
        b"": "empty",
    }
    for data, message in refusals.items():
        with pytest.raises(ResourceFileError, match=message):
            read_resource_file(data, max_bytes=LIMIT, file_name="x.pdf")


def test_size_limit() -> None:
    with pytest.raises(ResourceFileError, match="at most 1 MB"):
        read_resource_file(b"a" * (1024 * 1024 + 1), max_bytes=1024 * 1024)


def test_encrypted_and_corrupt_pdfs_are_refused() -> None:
    with pytest.raises(ResourceFileError, match="protected by a password"):
        read_resource_file(encrypted_pdf(), max_bytes=LIMIT)
    with pytest.raises(ResourceFileError, match="PDF cannot be read"):
        read_resource_file(b"%PDF-1.7\n garbage", max_bytes=LIMIT)
    truncated = pdf_bytes("Customs declaration")[:300]
    with pytest.raises(ResourceFileError, match=r"PDF cannot be read|no text found"):
        read_resource_file(truncated, max_bytes=LIMIT)


def test_zip_bomb_is_refused_before_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(files, "MAX_UNPACKED", 100_000)
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"<w/>")
        archive.writestr("word/padding.bin", b"\0" * 200_000)
    data = bomb.getvalue()
    assert len(data) < LIMIT  # small on disk, huge unpacked
    with pytest.raises(ResourceFileError, match="DOCX unpacks to too much data"):
        read_resource_file(data, max_bytes=LIMIT)


def test_store_by_content_hash(tmp_path: Path) -> None:
    data = pptx_bytes("Air cargo", [("ULD", ["Air waybill"])])
    read = read_resource_file(data, max_bytes=LIMIT)
    path = store_resource_file(tmp_path, data, read)
    assert path == tmp_path / "library" / f"{read.sha256}.pptx"
    assert path.read_bytes() == data
    assert store_resource_file(tmp_path, data, read) == path
    assert [p.name for p in (tmp_path / "library").iterdir()] == [path.name]
