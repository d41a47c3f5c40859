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

import codecs
import hashlib
import io
import logging
import os
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path

from talentbridge.errors import TalentBridgeError

log = logging.getLogger(__name__)

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
TEXT = "text/plain"
SUFFIXES = {PDF: ".pdf", DOCX: ".docx", TEXT: ".txt"}
MAX_PAGES = 30
MAX_CHARS = 200_000
MAX_UNPACKED = 64 * 1024 * 1024
CONTROL_SHARE = 0.05
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffd]")
_BLANK_LINES = re.compile(r"\n{3,}")
_CJK = re.compile(r"[\u3400-\u9fff]")
_LATIN = re.compile(r"[A-Za-z]")


class ResumeFileError(TalentBridgeError):
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
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, ValueError, OSError):
            raise ResumeFileError("the file is a damaged ZIP archive") from None
        if "word/document.xml" in names:
            return DOCX
        raise ResumeFileError("the file is a ZIP archive but not a Word document (DOCX)")
    if data.startswith(_OLE):
        raise ResumeFileError("old Word (.doc) files are not read; save the résumé as PDF or DOCX")
    decode_text(data)  # raises when it is not text
    return TEXT


def decode_text(data: bytes) -> str:
    """Plain-text bytes as text: BOM, else UTF-8, else GB18030; binaries are refused."""
    if data.startswith(codecs.BOM_UTF8):
        text = data[len(codecs.BOM_UTF8) :].decode("utf-8", errors="replace")
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = data.decode("utf-16", errors="replace")
    else:
        for encoding in ("utf-8", "gb18030"):
            try:
                text = data.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise ResumeFileError("not a PDF, DOCX or text file (unknown text encoding)")
    sample = text[:20_000]
    if "\x00" in sample or len(_CONTROL.findall(sample)) > CONTROL_SHARE * max(len(sample), 1):
        raise ResumeFileError("not a PDF, DOCX or text file")
    return text


def _pdf_text(data: bytes) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise ResumeFileError("the PDF is protected by a password")
        parts: list[str] = []
        for page in reader.pages[:MAX_PAGES]:
            parts.append(page.extract_text() or "")
            if sum(map(len, parts)) > MAX_CHARS:
                break
    except ResumeFileError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as exc:
        raise ResumeFileError(f"the PDF cannot be read ({type(exc).__name__})") from None
    except Exception:  # pypdf raises many kinds on damaged files
        log.exception("unexpected error reading a PDF of %s bytes", len(data))
        raise ResumeFileError("the PDF cannot be read") from None
    return "\n".join(parts)


def _docx_text(data: bytes) -> str:
    import docx

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        unpacked = sum(info.file_size for info in archive.infolist())
    if unpacked > MAX_UNPACKED:
        raise ResumeFileError("the DOCX unpacks to too much data")
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises KeyError, ValueError, lxml errors …
        raise ResumeFileError(f"the DOCX cannot be read ({type(exc).__name__})") from None
    lines = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            cells: list[str] = []
            for cell in row.cells:  # merged cells repeat: keep each text once per row
                if cell.text.strip() and cell.text not in cells:
                    cells.append(cell.text)
            lines.append("\t".join(cells))
    return "\n".join(lines)


def tidy(text: str) -> str:
    """NFC, Unix line ends, no trailing spaces, at most two blank lines in a row."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    text = "\n".join(line.rstrip() for line in text.split("\n"))
    return _BLANK_LINES.sub("\n\n", text).strip()[:MAX_CHARS]


def detect_language(text: str) -> str:
    """``zh`` when Chinese characters are a fifth or more of the letters, else ``en``."""
    cjk = len(_CJK.findall(text[:20_000]))
    latin = len(_LATIN.findall(text[:20_000]))
    return "zh" if cjk and cjk * 5 >= cjk + latin else "en"


def read_resume(data: bytes, *, max_bytes: int) -> ResumeText:
    """Check and read an upload (see the module docstring)."""
    if not data:
        raise ResumeFileError("the file is empty")
    if len(data) > max_bytes:
        raise ResumeFileError(
            f"the file is {len(data) / 1048576:.1f} MB; at most {max_bytes / 1048576:.0f} MB"
        )
    media_type = sniff_type(data)
    if media_type == PDF:
        raw = _pdf_text(data)
    elif media_type == DOCX:
        raw = _docx_text(data)
    else:
        raw = decode_text(data)
    text = tidy(raw)
    if not text:
        note = " (a scanned image? text is not read from pictures)" if media_type == PDF else ""
        raise ResumeFileError(f"no text found in the file{note}")
    return ResumeText(
        media_type=media_type,
        text=text,
        language=detect_language(text),
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
    )


def resume_dir(data_dir: Path) -> Path:
    return data_dir / "resumes"


def store_resume(data_dir: Path, data: bytes, read: ResumeText) -> Path:
    """Keep the bytes as ``<data dir>/resumes/<sha256><suffix>`` (once per content)."""
    folder = resume_dir(data_dir)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{read.sha256}{read.suffix}"
    if target.exists() and target.stat().st_size == read.size:
        return target
    partial = folder / f".{read.sha256}.{os.getpid()}.part"
    partial.write_bytes(data)
    os.replace(partial, target)
    return target
