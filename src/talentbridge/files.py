"""Shared pieces for reading uploaded files whose type is decided by content.

Used by résumé uploads (``matching.resume.files``) and library resources
(``library.files``): text decoding with binary refusal, ZIP inspection with a
zip-bomb guard, PDF and DOCX text extraction, tidying, language detection and
content-addressed storage that never leaves a half-written file behind.
Every refusal is an ``UploadRefused`` whose message is fit for the uploader;
callers may pass their own subclass as ``error``.
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
from pathlib import Path

from talentbridge.errors import TalentBridgeError

log = logging.getLogger(__name__)

MAX_CHARS = 200_000
CONTROL_SHARE = 0.05
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP = b"PK\x03\x04"
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffd]")
_BLANK_LINES = re.compile(r"\n{3,}")
_CJK = re.compile(r"[\u3400-\u9fff]")
_LATIN = re.compile(r"[A-Za-z]")


class UploadRefused(TalentBridgeError):
    """An uploaded file cannot be accepted; the message says why."""


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def check_size(data: bytes, max_bytes: int, *, error: type[UploadRefused] = UploadRefused) -> None:
    if not data:
        raise error("the file is empty")
    if len(data) > max_bytes:
        raise error(
            f"the file is {len(data) / 1048576:.1f} MB; at most {max_bytes / 1048576:.0f} MB"
        )


def zip_names(data: bytes, *, error: type[UploadRefused] = UploadRefused) -> set[str]:
    """Member names of a ZIP archive; a damaged archive is refused."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return set(archive.namelist())
    except (zipfile.BadZipFile, ValueError, OSError):
        raise error("the file is a damaged ZIP archive") from None


def check_unpacked(
    data: bytes, max_unpacked: int, what: str, *, error: type[UploadRefused] = UploadRefused
) -> None:
    """Refuse a ZIP whose members would unpack to more than ``max_unpacked`` bytes."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        unpacked = sum(info.file_size for info in archive.infolist())
    if unpacked > max_unpacked:
        raise error(f"the {what} unpacks to too much data")


def decode_text(data: bytes, refusal: str, *, error: type[UploadRefused] = UploadRefused) -> str:
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
            raise error(f"{refusal} (unknown text encoding)")
    sample = text[:20_000]
    if "\x00" in sample or len(_CONTROL.findall(sample)) > CONTROL_SHARE * max(len(sample), 1):
        raise error(refusal)
    return text


def pdf_text(data: bytes, *, max_pages: int, error: type[UploadRefused] = UploadRefused) -> str:
    """Text of a PDF page by page; encrypted or damaged PDFs are refused."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise error("the PDF is protected by a password")
        parts: list[str] = []
        for page in reader.pages[:max_pages]:
            parts.append(page.extract_text() or "")
            if sum(map(len, parts)) > MAX_CHARS:
                break
    except UploadRefused:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as exc:
        raise error(f"the PDF cannot be read ({type(exc).__name__})") from None
    except Exception:  # pypdf raises many kinds on damaged files
        log.exception("unexpected error reading a PDF of %s bytes", len(data))
        raise error("the PDF cannot be read") from None
    return "\n".join(parts)


def docx_text(data: bytes, *, error: type[UploadRefused] = UploadRefused) -> str:
    """Paragraphs, then table cells row by row (merged cells once per row)."""
    import docx

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises KeyError, ValueError, lxml errors …
        raise error(f"the DOCX cannot be read ({type(exc).__name__})") from None
    lines = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            cells: list[str] = []
            for cell in row.cells:
                if cell.text.strip() and cell.text not in cells:
                    cells.append(cell.text)
            lines.append("\t".join(cells))
    return "\n".join(lines)


def tidy(text: str) -> str:
    """NFC, Unix line ends, no trailing spaces, at most two blank lines in a row."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    text = "\n".join(line.rstrip() for line in text.split("\n"))
    return _BLANK_LINES.sub("\n\n", text).strip()[:MAX_CHARS]


def text_of(raw: str, *, from_pdf: bool, error: type[UploadRefused] = UploadRefused) -> str:
    """``raw`` tidied; an upload that yields no text at all is refused."""
    text = tidy(raw)
    if not text:
        note = " (a scanned image? text is not read from pictures)" if from_pdf else ""
        raise error(f"no text found in the file{note}")
    return text


def detect_language(text: str) -> str:
    """``zh`` when Chinese characters are a fifth or more of the letters, else ``en``."""
    cjk = len(_CJK.findall(text[:20_000]))
    latin = len(_LATIN.findall(text[:20_000]))
    return "zh" if cjk and cjk * 5 >= cjk + latin else "en"


def store_bytes(folder: Path, data: bytes, digest: str, suffix: str) -> Path:
    """Keep ``data`` as ``<folder>/<digest><suffix>`` once per content, written atomically."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{digest}{suffix}"
    if target.exists() and target.stat().st_size == len(data):
        return target
    partial = folder / f".{digest}.{os.getpid()}.part"
    try:
        partial.write_bytes(data)
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    return target
