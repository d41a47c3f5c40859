"""Read tabular input files row by row: CSV (any common Chinese encoding), XLSX, JSON Lines.

``read_table(path)`` opens the file at once (so a missing file, an undecodable
encoding or an empty file is one clear ``InputFileError`` before any row is read) and
returns a ``Table``: an iterator of ``SourceRow`` that streams the file and closes it
when exhausted (or use it as a context manager).

Row numbers are the ones a person sees: in CSV and XLSX the header is row 1 and the
first data row is row 2 (a quoted cell spanning several lines still counts as one row);
in JSON Lines the row number is the line number. A JSON line that is not an object is
returned as a row with ``error`` set, so the importer can reject it and go on.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import hashlib
import io
import json
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType

import openpyxl

from talentbridge.errors import InputFileError

SNIFF_BYTES = 256 * 1024
CSV_SUFFIXES = {".csv", ".txt", ".tsv"}
XLSX_SUFFIXES = {".xlsx", ".xlsm"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
SUPPORTED = ", ".join(sorted(CSV_SUFFIXES | XLSX_SUFFIXES | JSONL_SUFFIXES))

csv.field_size_limit(16 * 1024 * 1024)


@dataclass(frozen=True)
class SourceRow:
    """One data row: its number as a person counts it, its cells by column name."""

    row_number: int
    values: dict[str, str]
    error: str | None = None

    def get(self, column: str) -> str:
        """The cell under ``column``, stripped; empty when absent."""
        return self.values.get(column, "").strip()


@dataclass
class Table:
    """An open input file: its columns (``None`` for JSON Lines) and its rows."""

    path: Path
    format: str  # csv | xlsx | jsonl
    columns: tuple[str, ...] | None
    encoding: str | None
    _rows: Iterator[SourceRow]
    _close: Callable[[], None]
    _position: Callable[[], int] = field(default=lambda: 0)
    total: int = 0  # size in the unit of ``position`` (bytes, or rows for XLSX)

    @property
    def position(self) -> int:
        """How far reading has come, in the unit of ``total`` (for progress bars)."""
        try:
            return self._position()
        except (OSError, ValueError):
            return self.total

    def __iter__(self) -> Table:
        return self

    def __next__(self) -> SourceRow:
        try:
            return next(self._rows)
        except StopIteration:
            self.close()
            raise
        except UnicodeDecodeError as exc:
            self.close()
            raise InputFileError(
                self.path,
                f"cannot be decoded as {self.encoding} past the start of the file ({exc})",
            ) from None
        except csv.Error as exc:
            self.close()
            raise InputFileError(self.path, f"malformed CSV: {exc}") from None

    def close(self) -> None:
        self._close()

    def __enter__(self) -> Table:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def require(self, *columns: str) -> None:
        """Raise one ``InputFileError`` listing every required column the file lacks."""
        if self.columns is None:
            return
        missing = [c for c in columns if c not in self.columns]
        if missing:
            self.close()
            raise InputFileError(
                self.path,
                f"missing column(s): {', '.join(missing)} "
                f"(found: {', '.join(self.columns) or 'none'})",
            )


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(chunk)
    return digest.hexdigest()


def detect_encoding(path: Path) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM, else GB18030 — each tried on a prefix."""
    with path.open("rb") as handle:
        prefix = handle.read(SNIFF_BYTES)
    if prefix.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if prefix.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    for encoding in ("utf-8", "gb18030"):
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            decoder.decode(prefix, final=False)
        except UnicodeDecodeError:
            continue
        return encoding
    raise InputFileError(
        path, "unknown text encoding: neither UTF-8 nor GB18030/GBK; save the file as UTF-8"
    )


def _check_file(path: Path) -> None:
    if not path.exists():
        raise InputFileError(path, "file not found")
    if not path.is_file():
        raise InputFileError(path, "not a file")


def _header(cells: list[str]) -> tuple[str, ...]:
    names: list[str] = []
    for index, cell in enumerate(cells, start=1):
        name = cell.replace("\ufeff", "").strip()
        names.append(name or f"column_{index}")
    return tuple(names)


def _check_header(path: Path, header: tuple[str, ...]) -> None:
    seen: set[str] = set()
    for name in header:
        if name in seen:
            raise InputFileError(path, f"column {name!r} appears twice in the header")
        seen.add(name)


def _zip_row(header: tuple[str, ...], cells: list[str], row_number: int) -> SourceRow:
    if len(cells) < len(header):
        cells = [*cells, *[""] * (len(header) - len(cells))]
    values = dict(zip(header, cells, strict=False))  # cells beyond the header: see below
    extra = [c for c in cells[len(header) :] if c.strip()]
    if extra:
        return SourceRow(
            row_number,
            values,
            error=f"row has {len(cells)} cells but the header has {len(header)} columns",
        )
    return SourceRow(row_number, values)


def _open_text(path: Path, encoding: str | None) -> tuple[io.TextIOWrapper, io.BufferedReader, str]:
    """The file as text in the chosen encoding, and its binary layer (for positions)."""
    chosen = encoding or detect_encoding(path)
    try:
        codecs.lookup(chosen)
    except LookupError:
        raise InputFileError(path, f"unknown encoding {chosen!r}") from None
    binary = path.open("rb")
    return io.TextIOWrapper(binary, encoding=chosen, newline=""), binary, chosen


def _read_csv(path: Path, encoding: str | None) -> Table:
    handle, binary, chosen = _open_text(path, encoding)
    delimiter = "\t" if path.suffix.lower() == ".tsv" else ","
    reader = csv.reader(handle, delimiter=delimiter)
    try:
        first = next(reader, None)
        while first is not None and not any(c.strip() for c in first):
            first = next(reader, None)
    except UnicodeDecodeError as exc:
        handle.close()
        raise InputFileError(path, f"cannot be decoded as {chosen}: {exc}") from None
    except csv.Error as exc:
        handle.close()
        raise InputFileError(path, f"malformed CSV header: {exc}") from None
    if first is None:
        handle.close()
        raise InputFileError(path, "file is empty (expected a header row)")
    header = _header(first)
    try:
        _check_header(path, header)
    except InputFileError:
        handle.close()
        raise
    header_row = reader.line_num  # physical line of the header; data rows count on from it

    def rows() -> Iterator[SourceRow]:
        number = header_row
        for cells in reader:
            number += 1
            if not any(map(str.strip, cells)):  # a blank row
                continue
            yield _zip_row(header, cells, number)

    return Table(
        path=path,
        format="csv",
        columns=header,
        encoding=chosen,
        _rows=rows(),
        _close=handle.close,
        _position=binary.tell,
        total=path.stat().st_size,
    )


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)


def _read_xlsx(path: Path) -> Table:
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise InputFileError(path, f"not a readable .xlsx workbook ({exc})") from None
    sheet = workbook.worksheets[0] if workbook.worksheets else None
    if sheet is None:
        workbook.close()
        raise InputFileError(path, "workbook has no sheet")
    raw_rows = sheet.iter_rows(values_only=True)
    header: tuple[str, ...] | None = None
    header_number = 0
    for number, raw in enumerate(raw_rows, start=1):
        cells = [_cell_text(v) for v in raw]
        if any(c.strip() for c in cells):
            while cells and not cells[-1].strip():
                cells.pop()
            header = _header(cells)
            header_number = number
            break
    if header is None:
        workbook.close()
        raise InputFileError(path, "first sheet is empty (expected a header row)")
    try:
        _check_header(path, header)
    except InputFileError:
        workbook.close()
        raise
    done = [header_number]
    total = int(sheet.max_row or 0)
    columns = header

    def rows() -> Iterator[SourceRow]:
        for number, raw in enumerate(raw_rows, start=header_number + 1):
            done[0] = number
            cells = [_cell_text(v) for v in raw]
            if not any(c.strip() for c in cells):
                continue
            yield _zip_row(columns, cells, number)

    return Table(
        path=path,
        format="xlsx",
        columns=header,
        encoding=None,
        _rows=rows(),
        _close=workbook.close,
        _position=lambda: done[0],
        total=total,
    )


def _json_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    if isinstance(value, int | float):
        return str(value)
    return json.dumps(value, ensure_ascii=False)


def _read_jsonl(path: Path, encoding: str | None) -> Table:
    handle, binary, chosen = _open_text(path, encoding)
    if path.stat().st_size == 0:
        handle.close()
        raise InputFileError(path, "file is empty")

    def rows() -> Iterator[SourceRow]:
        for number, line in enumerate(handle, start=1):
            text = line.strip()
            if not text:
                continue
            try:
                parsed = json.loads(text)
            except json.JSONDecodeError as exc:
                yield SourceRow(number, {"_line": text[:2000]}, error=f"invalid JSON: {exc.msg}")
                continue
            if not isinstance(parsed, dict):
                yield SourceRow(number, {"_line": text[:2000]}, error="line is not a JSON object")
                continue
            yield SourceRow(number, {str(k): _json_text(v) for k, v in parsed.items()})

    return Table(
        path=path,
        format="jsonl",
        columns=None,
        encoding=chosen,
        _rows=rows(),
        _close=handle.close,
        _position=binary.tell,
        total=path.stat().st_size,
    )


def read_table(path: Path, *, encoding: str | None = None) -> Table:
    """Open a CSV/TSV, XLSX or JSON Lines file by its suffix and stream its rows.

    ``encoding`` forces a text encoding; by default it is detected from the bytes.
    """
    path = Path(path)
    _check_file(path)
    suffix = path.suffix.lower()
    try:
        if suffix in CSV_SUFFIXES:
            return _read_csv(path, encoding)
        if suffix in XLSX_SUFFIXES:
            return _read_xlsx(path)
        if suffix in JSONL_SUFFIXES:
            return _read_jsonl(path, encoding)
    except PermissionError:
        raise InputFileError(path, "permission denied") from None
    if suffix == ".xls":
        raise InputFileError(path, "old Excel .xls files are not supported; save as .xlsx or CSV")
    raise InputFileError(path, f"unsupported file type {suffix or '(none)'}; use {SUPPORTED}")
