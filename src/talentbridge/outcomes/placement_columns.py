"""Columns of a college's placement file (毕业生就业信息, as in the yearly employment
quality report 就业质量年度报告) and the vocabularies of its cells.

- ``map_columns(headers, mapping)`` maps known Chinese and English headers to the
  canonical ``FIELDS`` (compared as ``pipeline.columns.header_key`` compares them: case,
  width, spaces and punctuation do not matter); a user mapping (source header → field, or
  → ``extra`` to ignore a column) wins over the automatic one, as for postings.
- ``load_mapping(path)`` reads such a mapping from CSV (``source,target``), JSON or TOML.
- ``parse_destination(text)`` turns the destination a college reports (签就业协议, 升学,
  出国出境留学, 应征义务兵, 自主创业, 灵活就业, 待就业 … or the English names) into one of
  ``store.outcomes_tables.DESTINATIONS`` and whether it is abroad.
"""

from __future__ import annotations

import csv
import io
import json
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from talentbridge.errors import InputFileError
from talentbridge.pipeline.columns import header_key

EXTRA = "extra"

# canonical field -> accepted header spellings
ALIASES: dict[str, tuple[str, ...]] = {
    "college_code": ("college_code", "院校代码", "学校代码", "院校编码", "college"),
    "student_no": ("student_no", "学号", "student number", "student id"),
    "name": ("name", "姓名", "graduate name"),
    "major_code": ("major_code", "专业代码", "major code"),
    "major_name": ("major_name", "专业名称", "专业", "major"),
    "direction": ("direction", "direction_zh", "专业方向", "方向"),
    "graduation_year": ("graduation_year", "毕业年份", "毕业年度", "届别", "届次"),
    "destination": ("destination", "毕业去向", "去向", "毕业去向类别", "就业类别"),
    "employer": ("employer", "employer_name", "单位名称", "就业单位", "用人单位", "工作单位",
                 "升学院校"),
    "employer_code": ("employer_code", "单位组织机构代码", "统一社会信用代码", "组织机构代码"),
    "job_title": ("job_title", "岗位名称", "职位名称", "岗位", "职位"),
    "occupation_code": ("occupation_code", "职业代码", "职业类别代码", "occupation"),
    "place": ("place", "工作地点", "就业地区", "单位所在地", "工作地区", "location", "city"),
    "salary": ("salary", "月薪", "月收入", "薪酬", "monthly salary", "salary_monthly"),
    "start_date": ("start_date", "入职日期", "报到日期", "入职时间", "start date"),
    "contract_signed": ("contract_signed", "是否签约", "签约", "signed", "contract"),
    "is_sample": ("is_sample", "示例数据", "sample"),
}  # fmt: skip
FIELDS: tuple[str, ...] = tuple(ALIASES)

_AUTO: dict[str, str] = {
    header_key(alias): field for field, aliases in ALIASES.items() for alias in aliases
}


@dataclass(frozen=True)
class Columns:
    """Which header of this file feeds each field (``None``: the file has no such column)."""

    headers: tuple[str, ...]
    source: dict[str, str]

    def header(self, field: str) -> str:
        """The header for ``field``, or the field's canonical name when the file lacks it
        (a rejected row then names the field it is missing)."""
        return self.source.get(field, ALIASES[field][1])

    def has(self, field: str) -> bool:
        return field in self.source

    def cell(self, values: Mapping[str, str], field: str) -> str:
        header = self.source.get(field)
        return (values.get(header) or "").strip() if header is not None else ""


def check_target(target: str) -> str:
    value = target.strip().lower()
    if value != EXTRA and value not in FIELDS:
        raise ValueError(
            f"unknown placement field {target!r} (known: {', '.join(FIELDS)}, "
            f"or {EXTRA} to ignore a column)"
        )
    return value


def map_columns(headers: Iterable[str], mapping: Mapping[str, str] | None = None) -> Columns:
    """Map the file's headers to fields; the first header for a field wins."""
    ordered = tuple(headers)
    user = {header_key(s): check_target(t) for s, t in (mapping or {}).items()}
    source: dict[str, str] = {}
    for header in ordered:
        key = header_key(header)
        target = (user.get(key) or _AUTO.get(key)) if key else None
        if target is not None and target != EXTRA and target not in source:
            source[target] = header
    return Columns(headers=ordered, source=source)


def load_mapping(path: Path) -> dict[str, str]:
    """A mapping file: CSV with columns ``source,target``, a JSON object or a TOML table
    (optionally under one key such as ``[columns]``). Raises ``InputFileError``."""
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
            raw: object = json.loads(text)
        elif suffix == ".toml":
            raw = tomllib.loads(text)
        elif suffix in (".csv", ".txt"):
            reader = csv.DictReader(io.StringIO(text))
            keys = {header_key(h): h for h in reader.fieldnames or []}
            if "source" not in keys or "target" not in keys:
                raise InputFileError(path, "a CSV mapping needs the columns source,target")
            raw = {
                (row.get(keys["source"]) or "").strip(): (row.get(keys["target"]) or "").strip()
                for row in reader
                if (row.get(keys["source"]) or "").strip()
            }
        else:
            raise InputFileError(path, "a mapping file is .csv, .json or .toml")
    except json.JSONDecodeError as exc:
        raise InputFileError(path, f"invalid JSON: {exc.msg} (line {exc.lineno})") from None
    except tomllib.TOMLDecodeError as exc:
        raise InputFileError(path, f"invalid TOML: {exc}") from None
    if isinstance(raw, dict) and len(raw) == 1:
        (inner,) = raw.values()
        if isinstance(inner, dict):
            raw = inner
    if not isinstance(raw, dict):
        raise InputFileError(path, "the mapping must be an object of source header → field")
    pairs: dict[str, str] = {}
    for source, target in raw.items():
        if not isinstance(target, str):
            raise InputFileError(path, f"the target of {source!r} is not a field name")
        try:
            pairs[str(source)] = check_target(target)
        except ValueError as exc:
            raise InputFileError(path, f"{source!r}: {exc}") from None
    return pairs


# --- destinations -----------------------------------------------------------------

_DESTINATION_WORDS: dict[str, str] = {
    # employed
    "签就业协议": "employed", "签就业协议形式就业": "employed", "签劳动合同": "employed",
    "签劳动合同形式就业": "employed", "劳动合同": "employed", "就业协议": "employed",
    "其他录用形式就业": "employed", "科研助理": "employed", "科研助理、管理助理": "employed",
    "国家基层项目": "employed", "地方基层项目": "employed", "应聘就业": "employed",
    "employed": "employed", "employment": "employed",
    # further study
    "升学": "further_study", "专升本": "further_study", "升本": "further_study",
    "境内升学": "further_study", "出国出境留学": "further_study", "出国留学": "further_study",
    "出国、出境": "further_study", "出国出境": "further_study", "留学": "further_study",
    "further_study": "further_study", "further study": "further_study",
    "study abroad": "further_study",
    # enlisted
    "应征义务兵": "enlisted", "参军入伍": "enlisted", "入伍": "enlisted",
    "enlisted": "enlisted", "military service": "enlisted",
    # self-employed
    "自主创业": "self_employed", "创业": "self_employed",
    "self_employed": "self_employed", "self-employed": "self_employed",
    "self employed": "self_employed", "entrepreneurship": "self_employed",
    # flexible
    "自由职业": "flexible", "灵活就业": "flexible", "其他灵活就业": "flexible",
    "flexible": "flexible", "flexible employment": "flexible", "freelance": "flexible",
    # not employed
    "待就业": "not_employed", "暂不就业": "not_employed", "求职中": "not_employed",
    "不就业拟升学": "not_employed", "其他暂不就业": "not_employed",
    "not_employed": "not_employed", "not employed": "not_employed",
    "unemployed": "not_employed", "seeking": "not_employed",
}  # fmt: skip
_BY_KEY = {header_key(word): dest for word, dest in _DESTINATION_WORDS.items()}
_ABROAD_DESTINATION = ("出国", "出境", "留学", "abroad")


def parse_destination(text: str) -> tuple[str, bool] | None:
    """(destination, abroad) for a reported destination; ``None`` when unknown."""
    destination = _BY_KEY.get(header_key(text))
    if destination is None:
        return None
    lowered = text.lower()
    abroad = destination == "further_study" and any(w in lowered for w in _ABROAD_DESTINATION)
    return destination, abroad


_YES = {"是", "已签约", "签约", "yes", "y", "true", "1", "t"}
_NO = {"否", "未签约", "no", "n", "false", "0", "f"}


def parse_yes_no(text: str) -> bool | None:
    """True/False for 是/否 (yes/no …); ``None`` for an empty cell; ``ValueError`` else."""
    value = text.strip().lower()
    if not value:
        return None
    if value in _YES:
        return True
    if value in _NO:
        return False
    raise ValueError(f"expected 是/否 (yes/no), got {text!r}")
