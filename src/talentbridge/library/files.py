"""Read a library resource upload: PDF, DOCX, PPTX, XLSX, Markdown or plain text.

The bytes decide the type, never the name or the browser's claim:

* ``%PDF-`` → PDF (pypdf; encrypted or damaged PDFs are refused);
* a ZIP holding ``word/document.xml`` → DOCX, ``ppt/presentation.xml`` → PPTX,
  ``xl/workbook.xml`` → XLSX; any other ZIP, a damaged ZIP, or one that would unpack
  to more than ``MAX_UNPACKED`` bytes (a zip bomb) is refused before parsing;
* an old Office (OLE) file is refused with a message to save it in the new format;
* otherwise text (BOM, UTF-8 or GB18030, binaries refused); it is Markdown when the
  file name ends in ``.md``/``.markdown`` or the text has Markdown headings, else plain.

``store_resource_file`` keeps the bytes as ``<data dir>/library/<sha256>.<ext>``
written atomically, so a refusal (raised before storing) leaves nothing behind.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from talentbridge.files import (
    OLE,
    ZIP,
    UploadRefused,
    check_size,
    check_unpacked,
    decode_text,
    detect_language,
    docx_text,
    pdf_text,
    sha256,
    store_bytes,
    text_of,
    zip_names,
)

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MARKDOWN = "text/markdown"
TEXT = "text/plain"
SUFFIXES = {PDF: ".pdf", DOCX: ".docx", PPTX: ".pptx", XLSX: ".xlsx", MARKDOWN: ".md", TEXT: ".txt"}
_ZIP_KINDS = (
    ("word/document.xml", DOCX),
    ("ppt/presentation.xml", PPTX),
    ("xl/workbook.xml", XLSX),
)
MAX_PAGES = 500
MAX_UNPACKED = 200 * 1024 * 1024
MAX_CELLS = 200_000
_REFUSAL = "not a PDF, DOCX, PPTX, XLSX, Markdown or text file"
_MD_HEADING = re.compile(r"^(#{1,6} |\s*[-*] |```)", re.MULTILINE)


class ResourceFileError(UploadRefused):
    """The upload cannot be a library resource; the message says why."""


@dataclass(frozen=True)
class ResourceFile:
    """What was read from an upload."""

    media_type: str
    text: str
    language: str  # zh | en
    sha256: str
    size: int

    @property
    def suffix(self) -> str:
        return SUFFIXES[self.media_type]


def sniff_type(data: bytes, file_name: str | None = None) -> str:
    """The media type the bytes show; ``ResourceFileError`` when none we accept."""
    if data.startswith(b"%PDF-"):
        return PDF
    if data.startswith(ZIP):
        names = zip_names(data, error=ResourceFileError)
        for member, media_type in _ZIP_KINDS:
            if member in names:
                return media_type
        raise ResourceFileError("the file is a ZIP archive but not a DOCX, PPTX or XLSX document")
    if data.startswith(OLE):
        raise ResourceFileError(
            "old Office files (.doc, .ppt, .xls) are not read; save as DOCX, PPTX, XLSX or PDF"
        )
    text = decode_text(data, _REFUSAL, error=ResourceFileError)
    name = (file_name or "").lower()
    if name.endswith((".md", ".markdown")) or len(_MD_HEADING.findall(text[:20_000])) >= 2:
        return MARKDOWN
    return TEXT


def _pptx_text(data: bytes) -> str:
    import pptx

    try:
        presentation = pptx.Presentation(io.BytesIO(data))
    except Exception as exc:  # python-pptx raises KeyError, ValueError, lxml errors …
        raise ResourceFileError(f"the PPTX cannot be read ({type(exc).__name__})") from None
    lines: list[str] = []
    for slide in presentation.slides:
        for shape in slide.shapes:
            if shape.has_text_frame:
                lines.extend(p.text for p in shape.text_frame.paragraphs)
            if getattr(shape, "has_table", False) and shape.has_table:
                for row in shape.table.rows:
                    lines.append("\t".join(cell.text for cell in row.cells if cell.text))
        if slide.has_notes_slide and slide.notes_slide.notes_text_frame is not None:
            lines.append(slide.notes_slide.notes_text_frame.text)
    return "\n".join(lines)


def _xlsx_text(data: bytes) -> str:
    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises KeyError, InvalidFileException …
        raise ResourceFileError(f"the XLSX cannot be read ({type(exc).__name__})") from None
    lines: list[str] = []
    cells = 0
    try:
        for sheet in book.worksheets:
            lines.append(str(sheet.title))
            for row in sheet.iter_rows(values_only=True):
                values = [str(v) for v in row if v is not None and str(v).strip()]
                cells += len(row)
                if values:
                    lines.append("\t".join(values))
                if cells > MAX_CELLS:
                    break
    finally:
        book.close()
    return "\n".join(lines)


def read_resource_file(
    data: bytes, *, max_bytes: int, file_name: str | None = None
) -> ResourceFile:
    """Check and read an upload (see the module docstring)."""
    check_size(data, max_bytes, error=ResourceFileError)
    media_type = sniff_type(data, file_name)
    if media_type == PDF:
        raw = pdf_text(data, max_pages=MAX_PAGES, error=ResourceFileError)
    elif media_type in (DOCX, PPTX, XLSX):
        what = SUFFIXES[media_type][1:].upper()
        try:
            check_unpacked(data, MAX_UNPACKED, what, error=ResourceFileError)
        except (zipfile.BadZipFile, ValueError, OSError):
            raise ResourceFileError("the file is a damaged ZIP archive") from None
        if media_type == DOCX:
            raw = docx_text(data, error=ResourceFileError)
        elif media_type == PPTX:
            raw = _pptx_text(data)
        else:
            raw = _xlsx_text(data)
    else:
        raw = decode_text(data, _REFUSAL, error=ResourceFileError)
    text = text_of(raw, from_pdf=media_type == PDF, error=ResourceFileError)
    return ResourceFile(
        media_type=media_type,
        text=text,
        language=detect_language(text),
        sha256=sha256(data),
        size=len(data),
    )


def library_dir(data_dir: Path) -> Path:
    return data_dir / "library"


def store_resource_file(data_dir: Path, data: bytes, read: ResourceFile) -> Path:
    """Keep the bytes as ``<data dir>/library/<sha256><suffix>`` (once per content)."""
    return store_bytes(library_dir(data_dir), data, read.sha256, read.suffix)


def stored_path(data_dir: Path, digest: str, media_type: str) -> Path:
    return library_dir(data_dir) / f"{digest}{SUFFIXES[media_type]}"
