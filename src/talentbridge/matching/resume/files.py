"""Read an uploaded résumé: PDF, DOCX or plain text, the type checked by content.

The file's name and the type a browser claims are not trusted; the bytes decide:

* ``%PDF-`` at the start → PDF, text by pypdf (page by page, at most ``MAX_PAGES``);
* a ZIP (``PK\\x03\\x04``) holding ``word/document.xml`` → DOCX, text by python-docx
  (paragraphs, then table cells row by row); a ZIP whose entries would unpack to more
  than ``MAX_UNPACKED`` bytes is refused before it is opened (a zip bomb);
* otherwise text: a UTF-8 or UTF-16 BOM, else UTF-8, else GB18030 (the rule
  ``pipeline.readers.detect_encoding`` applies to files), refused when it holds NUL bytes
  or too many control characters (a binary file with another name);
* an old Word ``.doc`` (OLE compound file) or anything else is refused with a message
  saying to save the résumé as PDF or DOCX.

Files larger than the limit (``Settings.max_upload_bytes`` by default) are refused.
``store_resume`` keeps the bytes under ``<data dir>/resumes/`` named by their SHA-256,
so the same file is stored once. Every failure is a ``ResumeFileError`` with a message
fit for the person who uploaded the file.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from talentbridge.files import (
    MAX_CHARS,
    OLE,
    ZIP,
    UploadRefused,
    check_size,
    check_unpacked,
    detect_language,
    docx_text,
    pdf_text,
    sha256,
    store_bytes,
    text_of,
    tidy,
    zip_names,
)
from talentbridge.files import decode_text as _decode_text

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
TEXT = "text/plain"
SUFFIXES = {PDF: ".pdf", DOCX: ".docx", TEXT: ".txt"}
MAX_PAGES = 30
MAX_UNPACKED = 64 * 1024 * 1024
__all__ = ["MAX_CHARS", "detect_language", "tidy"]


class ResumeFileError(UploadRefused):
    """The upload is not a résumé we can read; the message says why."""


@dataclass(frozen=True)
class ResumeText:
    """What was read from an upload."""

    media_type: str
    text: str
    language: str  # zh | en
    sha256: str
    size: int

    @property
    def suffix(self) -> str:
        return SUFFIXES[self.media_type]


def sniff_type(data: bytes) -> str:
    """The media type the bytes show (PDF, DOCX or text); ``ResumeFileError`` otherwise."""
    if data.startswith(b"%PDF-"):
        return PDF
    if data.startswith(ZIP):
        if "word/document.xml" in zip_names(data, error=ResumeFileError):
            return DOCX
        raise ResumeFileError("the file is a ZIP archive but not a Word document (DOCX)")
    if data.startswith(OLE):
        raise ResumeFileError("old Word (.doc) files are not read; save the résumé as PDF or DOCX")
    decode_text(data)  # raises when it is not text
    return TEXT


def decode_text(data: bytes) -> str:
    """Plain-text bytes as text: BOM, else UTF-8, else GB18030; binaries are refused."""
    return _decode_text(data, "not a PDF, DOCX or text file", error=ResumeFileError)


def read_resume(data: bytes, *, max_bytes: int) -> ResumeText:
    """Check and read an upload (see the module docstring)."""
    check_size(data, max_bytes, error=ResumeFileError)
    media_type = sniff_type(data)
    if media_type == PDF:
        raw = pdf_text(data, max_pages=MAX_PAGES, error=ResumeFileError)
    elif media_type == DOCX:
        check_unpacked(data, MAX_UNPACKED, "DOCX", error=ResumeFileError)
        raw = docx_text(data, error=ResumeFileError)
    else:
        raw = decode_text(data)
    text = text_of(raw, from_pdf=media_type == PDF, error=ResumeFileError)
    return ResumeText(
        media_type=media_type,
        text=text,
        language=detect_language(text),
        sha256=sha256(data),
        size=len(data),
    )


def resume_dir(data_dir: Path) -> Path:
    return data_dir / "resumes"


def store_resume(data_dir: Path, data: bytes, read: ResumeText) -> Path:
    """Keep the bytes as ``<data dir>/resumes/<sha256><suffix>`` (once per content)."""
    return store_bytes(resume_dir(data_dir), data, read.sha256, read.suffix)
