"""Term-base files in and out, for the web, API and CLI alike.

``import_termbase_file`` picks the reader by the file's suffix (``.tbx``/``.xml`` TBX,
``.csv``/``.xlsx`` the term table), runs the import as an import run, then re-tags
every resource so that the reading view and search see the new terms.
``import_termbase_upload`` first keeps an uploaded file under the data directory.
``export_termbase`` gives the whole term base as TBX, CSV or XLSX bytes.
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
import tempfile
from dataclasses import dataclass
from pathlib import Path, PurePath

from sqlalchemy.orm import Session, sessionmaker

from talentbridge.errors import InputFileError
from talentbridge.files import UploadRefused
from talentbridge.library.term_tagging import retag_all
from talentbridge.library.termbase import export_tbx, import_tbx
from talentbridge.library.termbase_tables import import_table, write_csv, write_xlsx
from talentbridge.pipeline.runs import ImportReport

TBX_SUFFIXES = (".tbx", ".xml")
TABLE_SUFFIXES = (".csv", ".xlsx")
SUFFIXES = TBX_SUFFIXES + TABLE_SUFFIXES
FORMATS = {
    "tbx": ("application/x-tbx+xml", ".tbx"),
    "csv": ("text/csv; charset=utf-8", ".csv"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx"),
}
_UNSAFE = re.compile(r"[^\w.\-]+")


@dataclass(frozen=True)
class TermImport:
    report: ImportReport
    retagged: int  # resources re-tagged afterwards


def import_termbase_file(
    factory: sessionmaker[Session],
    path: Path,
    *,
    source: str | None = None,
    user_id: int | None = None,
    retag: bool = True,
) -> TermImport:
    """Import a TBX, CSV or XLSX term base; ``InputFileError`` says the line and reason
    of a file that cannot be read (nothing is stored then)."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in TBX_SUFFIXES:
        report = import_tbx(factory, path, source=source, user_id=user_id)
    elif suffix in TABLE_SUFFIXES:
        report = import_table(factory, path, source=source, user_id=user_id)
    else:
        raise InputFileError(path.name, f"not a term-base file (expected {', '.join(SUFFIXES)})")
    retagged = 0
    if retag and report.stored:
        with factory() as session:
            retagged = retag_all(session)
            session.commit()
    return TermImport(report=report, retagged=retagged)


def import_termbase_upload(
    factory: sessionmaker[Session],
    data: bytes,
    file_name: str,
    *,
    data_dir: Path,
    max_bytes: int,
    user_id: int | None = None,
) -> TermImport:
    """Keep an uploaded term-base file under ``<data dir>/uploads/termbase`` and import it."""
    base = PurePath(file_name.replace("\\", "/")).name
    stem, suffix = os.path.splitext(base)
    suffix = suffix.lower()
    if suffix not in SUFFIXES:
        raise UploadRefused(
            f"{base or 'the file'}: not a term-base file (expected {', '.join(SUFFIXES)})"
        )
    if not data:
        raise UploadRefused(f"{base}: the file is empty")
    if len(data) > max_bytes:
        raise UploadRefused(
            f"{base}: the file is {len(data) / 1048576:.1f} MB; at most "
            f"{max_bytes / 1048576:.0f} MB"
        )
    folder = data_dir / "uploads" / "termbase"
    folder.mkdir(parents=True, exist_ok=True)
    safe = (_UNSAFE.sub("_", stem).strip("._")[:80] or "termbase") + suffix
    target = folder / f"{hashlib.sha256(data).hexdigest()[:12]}-{safe}"
    partial = folder / f".part-{secrets.token_hex(8)}"
    try:
        partial.write_bytes(data)
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    return import_termbase_file(factory, target, source=base, user_id=user_id)


def export_termbase(session: Session, fmt: str) -> tuple[bytes, str, str]:
    """The whole term base as ``(bytes, media type, suffix)`` in ``tbx``, ``csv`` or ``xlsx``."""
    if fmt not in FORMATS:
        raise InputFileError(fmt, f"unknown export format (one of {', '.join(FORMATS)})")
    media_type, suffix = FORMATS[fmt]
    if fmt == "tbx":
        return export_tbx(session), media_type, suffix
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"termbase{suffix}"
        (write_csv if fmt == "csv" else write_xlsx)(session, path)
        return path.read_bytes(), media_type, suffix


def export_termbase_file(session: Session, path: Path) -> int:
    """Write the term base to ``path`` by its suffix; bytes written."""
    suffix = Path(path).suffix.lower()
    fmt = {".tbx": "tbx", ".xml": "tbx", ".csv": "csv", ".xlsx": "xlsx"}.get(suffix)
    if fmt is None:
        raise InputFileError(path, "export to .tbx, .csv or .xlsx")
    data, _, _ = export_termbase(session, fmt)
    Path(path).write_bytes(data)
    return len(data)
