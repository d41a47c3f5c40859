"""Column mapping for posting files: whatever headers a board or enterprise uses, to the
canonical posting fields.

- ``map_headers(headers, mapping)`` maps known Chinese and English headers
  automatically (case, width, spaces and punctuation do not matter: ``Job Title``,
  ``job_title`` and ``JOB-TITLE`` are one header); a user ``mapping`` (source header →
  field, or → ``extra`` to keep a column raw) wins over the automatic one.
- A header that maps to no field is kept as a raw attribute (``ColumnMap.extra``).
- Two headers for one field: description-like columns are **concatenated** in file
  order (岗位职责 + 任职要求 → ``description``, joined by a newline; 公司规模 + 企业性质
  → ``company_info``, joined by `` | ``); for every other field the first header wins
  and the later ones are kept as raw attributes.
- A file without a ``title`` column is a file-level error (``ColumnMap.require``); a
  row without a title or a company is the importer's row-level reject
  (``ROW_REQUIRED``).
- ``unwrap_cell`` understands cells holding list literals, as in the 51job export
  (``['1-1.5万/月']`` → ``1-1.5万/月``, ``[]`` → ""): only a list of strings is
  accepted, parsed with ``ast.literal_eval`` (never ``eval``); items are joined with a
  space. Anything else is returned as it is.

JSON Lines files have no header row: map the keys of each row (cache the ``ColumnMap``
by the tuple of keys); ``apply`` also keeps keys it was not told about as raw attributes.
"""

from __future__ import annotations

import ast
import csv
import io
import json
import re
import tomllib
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from talentbridge.errors import InputFileError, TalentBridgeError

FIELDS: tuple[str, ...] = (
    "title",
    "salary",
    "company",
    "company_info",
    "address",
    "location",
    "experience",
    "education",
    "openings",
    "posted",
    "description",
    "source_id",
    "industry",
    "url",
    "source",
)
EXTRA = "extra"  # mapping target: keep the column as a raw attribute
FILE_REQUIRED: tuple[str, ...] = ("title",)
ROW_REQUIRED: tuple[str, ...] = ("title", "company")
JOINERS: dict[str, str] = {"description": "\n", "company_info": " | "}

_ALIASES: dict[str, tuple[str, ...]] = {
    "title": ("职位", "职位名称", "岗位", "岗位名称", "招聘职位", "招聘岗位", "职位标题", "title",
              "job title", "job_title", "jobtitle", "position", "job name", "job"),
    "salary": ("薪资", "薪酬", "工资", "月薪", "薪资范围", "薪资待遇", "薪水", "待遇", "salary",
               "salary_text", "pay", "wage", "compensation"),
    "company": ("公司", "公司名称", "企业", "企业名称", "招聘单位", "用人单位", "单位名称", "招聘企业",
                "company", "employer", "company_name", "organization", "organisation"),
    "company_info": ("公司信息", "公司规模", "企业性质", "公司性质", "企业规模", "公司类型",
                     "company_info", "company size", "company_type"),
    "address": ("公司地址", "上班地址", "工作地址", "详细地址", "地址", "address", "work_address",
                "office_address"),
    "location": ("地区", "工作地点", "工作城市", "城市", "地点", "工作区域", "所在地区", "所在城市",
                 "location", "city", "work_location", "place", "region"),
    "experience": ("工作经验", "经验", "经验要求", "工作年限", "experience", "work_experience",
                   "years of experience"),
    "education": ("学历", "学历要求", "最低学历", "education", "degree", "education_level"),
    "openings": ("人数", "招聘人数", "招聘数量", "openings", "headcount", "vacancies",
                 "number of openings"),
    "posted": ("时间", "发布时间", "发布日期", "更新时间", "刷新时间", "posted", "posted_at", "date",
               "publish_date", "published", "published_at", "post_date", "date_posted"),
    "description": ("岗位信息", "职位描述", "岗位描述", "岗位职责", "职位信息", "工作内容", "任职要求",
                    "职位要求", "岗位要求", "任职资格", "职位详情", "description", "job_description",
                    "jd", "requirements", "responsibilities", "details"),
    "source_id": ("职位id", "岗位编号", "职位编号", "job_id", "jobid", "id", "posting_id"),
    "industry": ("行业", "所属行业", "industry"),
    "url": ("链接", "职位链接", "网址", "url", "link", "job_url"),
    "source": ("来源", "招聘平台", "source", "board", "platform"),
}  # fmt: skip

_PUNCT = re.compile(r"[\W_]+")


def header_key(header: str) -> str:
    """The form headers are compared in: NFKC, lower case, no spaces or punctuation."""
    return _PUNCT.sub("", unicodedata.normalize("NFKC", header).lower())


AUTO: dict[str, str] = {
    header_key(alias): field for field, aliases in _ALIASES.items() for alias in aliases
}


class MappingError(TalentBridgeError):
    """A column mapping names a field that does not exist."""


@dataclass(frozen=True)
class ColumnMap:
    """Which source headers feed which canonical field, and which are kept raw."""

    headers: tuple[str, ...]
    fields: dict[str, tuple[str, ...]]  # field -> source headers, in file order
    extra: tuple[str, ...]  # headers kept as raw attributes

    def source_of(self, field: str) -> str | None:
        """The (first) header feeding ``field``."""
        sources = self.fields.get(field)
        return sources[0] if sources else None

    def missing_required(self) -> list[str]:
        """Fields a file must have a column for (``title``) that no header provides."""
        return [field for field in FILE_REQUIRED if field not in self.fields]

    @cached_property
    def _plan(self) -> tuple[tuple[tuple[str, tuple[str, ...], str], ...], frozenset[str]]:
        """What ``apply`` does for every row: each field with its sources and joiner,
        and the headers the map knows."""
        fields = tuple(
            (field, sources, JOINERS.get(field, " ")) for field, sources in self.fields.items()
        )
        return fields, frozenset(self.headers)

    def require(self, path: object) -> None:
        """Raise one ``InputFileError`` when the file lacks a required column."""
        missing = self.missing_required()
        if missing:
            raise InputFileError(
                path,
                f"no column for: {', '.join(missing)} "
                f"(found: {', '.join(self.headers) or 'none'}); "
                "name it in a mapping file (--mapping)",
            )


def _check_target(target: str) -> str:
    value = target.strip().lower()
    if value != EXTRA and value not in FIELDS:
        raise MappingError(
            f"unknown field in column mapping: {target!r} "
            f"(known: {', '.join(FIELDS)}, or {EXTRA} to keep a column as it is)"
        )
    return value


def map_headers(headers: Iterable[str], mapping: Mapping[str, str] | None = None) -> ColumnMap:
    """Map source headers to canonical fields (see the module docstring)."""
    ordered = tuple(headers)
    user = {header_key(source): _check_target(target) for source, target in (mapping or {}).items()}
    fields: dict[str, list[str]] = {}
    extra: list[str] = []
    for header in ordered:
        key = header_key(header)
        target = (user.get(key) or AUTO.get(key)) if key else None
        if target is None or target == EXTRA:
            extra.append(header)
        elif target not in fields:
            fields[target] = [header]
        elif target in JOINERS:
            fields[target].append(header)
        else:
            extra.append(header)
    return ColumnMap(
        headers=ordered,
        fields={field: tuple(sources) for field, sources in fields.items()},
        extra=tuple(extra),
    )


# --- cells ----------------------------------------------------------------------------


# One plain string in a list, as 51job writes nearly every cell (``['1-1.5万/月']``): no
# backslash, quote, line end, NUL or surrogate inside, so the literal's value is the text
# between the quotes, as ``ast.literal_eval`` would give it.
_ONE_PLAIN_STRING = re.compile(r"\['([^'\\\n\r\x00\ud800-\udfff]*)'\]")


def unwrap_cell(text: str) -> str:
    """The value of a cell, with a list-of-strings literal unwrapped (items joined by a
    space; ``[]`` → ""). Other text, including lists of anything else, is unchanged."""
    stripped = text.strip()
    if len(stripped) < 2 or stripped[0] != "[" or stripped[-1] != "]":
        return text
    if stripped == "[]":
        return ""
    if (plain := _ONE_PLAIN_STRING.fullmatch(stripped)) is not None:
        return plain.group(1).strip()
    try:
        value = ast.literal_eval(stripped)
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return text
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        return text
    return " ".join(item.strip() for item in value if item.strip())


def _cell(text: str) -> str:
    """``unwrap_cell(text).strip()``: only a cell in brackets can be a list literal."""
    stripped = text.strip()
    if stripped[:1] == "[" and stripped[-1:] == "]":
        return unwrap_cell(stripped).strip()
    return stripped


def apply(row_values: Mapping[str, str], cmap: ColumnMap) -> tuple[dict[str, str], dict[str, str]]:
    """Split one row into canonical fields and raw attributes, cells unwrapped.

    Every mapped field is present (``""`` when its cells are empty); raw attributes
    keep their header and are present only when not empty.
    """
    fields, known = cmap._plan
    canonical: dict[str, str] = {}
    for field, sources, joiner in fields:
        if len(sources) == 1:
            canonical[field] = _cell(row_values.get(sources[0]) or "")
        else:
            values = [_cell(row_values.get(source) or "") for source in sources]
            canonical[field] = joiner.join([v for v in values if v])
    extras: dict[str, str] = {}
    for header in cmap.extra:
        if value := _cell(row_values.get(header) or ""):
            extras[header] = value
    if not known.issuperset(row_values):  # keys the map was not built with (JSON Lines)
        for header, cell in row_values.items():
            if header not in known and (value := _cell(cell or "")):
                extras[header] = value
    return canonical, extras


# --- mapping files ------------------------------------------------------------------


def _pairs_from_csv(path: Path, text: str) -> dict[str, str]:
    reader = csv.DictReader(io.StringIO(text))
    names = [header_key(name) for name in reader.fieldnames or []]
    if "source" not in names or "target" not in names:
        raise InputFileError(path, "a CSV mapping needs the columns source,target")
    source_col = (reader.fieldnames or [])[names.index("source")]
    target_col = (reader.fieldnames or [])[names.index("target")]
    pairs: dict[str, str] = {}
    for row in reader:
        source = (row.get(source_col) or "").strip()
        target = (row.get(target_col) or "").strip()
        if source or target:
            if not source or not target:
                raise InputFileError(
                    path, f"line {reader.line_num}: both source and target are needed"
                )
            pairs[source] = target
    return pairs


def _pairs_from_object(path: Path, value: object) -> dict[str, str]:
    if isinstance(value, dict) and len(value) == 1:
        (inner,) = value.values()
        if isinstance(inner, dict):  # {"columns": {...}} / [columns] table
            value = inner
    if not isinstance(value, dict):
        raise InputFileError(path, "the mapping must be an object of source header → field")
    pairs: dict[str, str] = {}
    for source, target in value.items():
        if not isinstance(target, str):
            raise InputFileError(path, f"the target of {source!r} is not a field name")
        pairs[str(source)] = target
    return pairs


def load_mapping_file(path: Path) -> dict[str, str]:
    """Read a mapping (source header → field) from CSV (columns ``source,target``), a
    JSON object or a TOML table; a target that is no field raises ``InputFileError``."""
    path = Path(path)
    try:
        text = path.read_text("utf-8-sig")
    except FileNotFoundError:
        raise InputFileError(path, "mapping file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputFileError(path, f"cannot read the mapping file ({exc})") from None
    suffix = path.suffix.lower()
    try:
        if suffix == ".json":
            pairs = _pairs_from_object(path, json.loads(text))
        elif suffix == ".toml":
            pairs = _pairs_from_object(path, tomllib.loads(text))
        elif suffix in (".csv", ".txt"):
            pairs = _pairs_from_csv(path, text)
        else:
            raise InputFileError(path, "a mapping file is .csv, .json or .toml")
    except json.JSONDecodeError as exc:
        raise InputFileError(path, f"invalid JSON: {exc.msg} (line {exc.lineno})") from None
    except tomllib.TOMLDecodeError as exc:
        raise InputFileError(path, f"invalid TOML: {exc}") from None
    except csv.Error as exc:
        raise InputFileError(path, f"malformed CSV: {exc}") from None
    for source, target in pairs.items():
        try:
            pairs[source] = _check_target(target)
        except MappingError as exc:
            raise InputFileError(path, f"{source!r}: {exc}") from None
    return pairs
