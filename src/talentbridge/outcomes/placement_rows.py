"""One row of a college's placement file checked against the store.

``check_row`` finds the graduate (by college and 学号; by name, major and graduation year
only as a candidate that a person must confirm) and turns the cells into the values of a
``Placement``; it raises ``RowRejected`` with the field and the reason, or
``NeedsConfirmation`` when only a name-based candidate exists and the row was not
confirmed. Reference data and the colleges' graduates are loaded once per import
(``Lookups``).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from talentbridge.domain.place import parse_place
from talentbridge.domain.salary import parse_salary
from talentbridge.outcomes.placement_columns import Columns, parse_destination, parse_yes_no
from talentbridge.pipeline.readers import SourceRow
from talentbridge.store.tables import (
    CollegeMajor,
    Major,
    Occupation,
    Organization,
    Profile,
)

MIN_START_YEAR = 2000
MAX_SALARY = 200_000  # yuan per month
_SAMPLE_WORDS = ("示例", "sample")
_ABROAD_PLACE = (
    "国外", "境外", "海外", "abroad", "overseas", "foreign", "香港", "澳门", "台湾",
    "美国", "英国", "日本", "韩国", "德国", "法国", "澳大利亚", "加拿大", "新加坡", "俄罗斯",
    "马来西亚", "泰国", "越南", "哈萨克斯坦", "波兰", "匈牙利", "意大利", "新西兰",
)  # fmt: skip
_ABROAD_PROVINCES = ("710000", "810000", "820000")  # 台湾, 香港, 澳门: 出境
_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})(?:\s*[-/.月]\s*(\d{1,2})\s*日?)?\s*月?$")
_NUMBER = re.compile(r"^[-+]?\d+(?:\.\d+)?$")


class RowRejected(Exception):
    def __init__(self, field: str | None, reason: str) -> None:
        super().__init__(reason)
        self.field = field
        self.reason = reason


@dataclass(frozen=True)
class Candidate:
    """The one graduate a row without 学号 may mean (to be confirmed by a person)."""

    profile_id: int
    student_no: str
    name: str
    major_code: str
    graduation_year: int


class NeedsConfirmation(Exception):
    def __init__(self, candidate: Candidate) -> None:
        super().__init__(f"matches graduate {candidate.student_no} by name only")
        self.candidate = candidate


@dataclass(frozen=True)
class PlacementValues:
    """What a checked row says: the graduate and the fields of their ``Placement``."""

    profile_id: int
    organization_id: int
    destination: str
    employer_name: str | None
    employer_id: int | None
    job_title: str | None
    occupation_code: str | None
    occupation_id: int | None
    place_text: str | None
    division_code: str | None
    in_circle: bool | None
    abroad: bool
    salary_monthly: int | None
    start_date: dt.date | None
    contract_signed: bool | None
    is_sample: bool


@dataclass(frozen=True)
class _Graduate:
    profile_id: int
    student_no: str
    name: str
    major_code: str | None
    graduation_year: int
    is_sample: bool


class Lookups:
    """Colleges, majors, occupations, enterprises and graduates, loaded once per import."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.colleges = {
            o.code: o.id
            for o in session.scalars(select(Organization).where(Organization.kind == "college"))
        }
        self.major_codes = set(
            session.scalars(select(Major.code).where(Major.item_level == "major"))
        )
        self.occupations = {
            code: oid for oid, code in session.execute(select(Occupation.id, Occupation.code))
        }
        self.employers_by_code: dict[str, int] = {}
        self.employers_by_name: dict[str, int] = {}
        for oid, code, name in session.execute(
            select(Organization.id, Organization.code, Organization.name_zh).where(
                Organization.kind == "enterprise"
            )
        ):
            self.employers_by_code[code] = oid
            self.employers_by_name.setdefault(name, oid)
        self._graduates: dict[int, list[_Graduate]] = {}
        self._by_no: dict[int, dict[str, _Graduate]] = {}

    def graduates(self, organization_id: int) -> list[_Graduate]:
        if organization_id not in self._graduates:
            rows = self.session.execute(
                select(
                    Profile.id,
                    Profile.student_no,
                    Profile.name,
                    Major.code,
                    Profile.graduation_year,
                    Profile.is_sample,
                )
                .outerjoin(CollegeMajor, CollegeMajor.id == Profile.college_major_id)
                .outerjoin(Major, Major.id == CollegeMajor.major_id)
                .where(Profile.organization_id == organization_id)
            )
            graduates = [_Graduate(*row) for row in rows]
            self._graduates[organization_id] = graduates
            self._by_no[organization_id] = {g.student_no: g for g in graduates}
        return self._graduates[organization_id]

    def by_student_no(self, organization_id: int, student_no: str) -> _Graduate | None:
        self.graduates(organization_id)
        return self._by_no[organization_id].get(student_no)


def parse_start_date(text: str) -> dt.date:
    """2025-07-01, 2025/7/1, 2025年7月1日, 2025-07 (→ the 1st); ``ValueError`` else."""
    match = _DATE.match(unicodedata.normalize("NFKC", text).strip())
    if match is None:
        raise ValueError(f"not a date: {text!r}")
    year, month, day = int(match[1]), int(match[2]), int(match[3] or 1)
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise ValueError(f"no such date: {text!r}") from None


def parse_monthly_salary(text: str) -> int:
    """Monthly pay in yuan from a number or a salary text (the domain parser); raises
    ``ValueError`` for an impossible amount (≤ 0 or above 200,000 a month)."""
    normalized = unicodedata.normalize("NFKC", text).replace(",", "").strip()
    if _NUMBER.match(normalized):
        amount = float(normalized)
    else:
        salary = parse_salary(normalized)
        if salary is None or not salary.is_known:
            raise ValueError(f"not a salary: {text!r}")
        amount = float(salary.min_monthly or salary.max_monthly or 0)
    if amount <= 0 or amount > MAX_SALARY:
        raise ValueError(
            f"impossible monthly salary {text!r} (must be above 0 and at most {MAX_SALARY:,})"
        )
    return round(amount)


def _find_graduate(
    row: SourceRow, cols: Columns, look: Lookups, org_id: int, confirmed: bool
) -> _Graduate:
    student_no = cols.cell(row.values, "student_no")
    name = cols.cell(row.values, "name")
    major_code = cols.cell(row.values, "major_code").upper()
    year_text = cols.cell(row.values, "graduation_year")
    if student_no:
        graduate = look.by_student_no(org_id, student_no)
        if graduate is None:
            raise RowRejected(
                cols.header("student_no"),
                f"no graduate with student number {student_no!r} in the store",
            )
        if name and graduate.name != name:
            raise RowRejected(
                cols.header("name"),
                f"student number {student_no} belongs to another name in the store",
            )
        if major_code and graduate.major_code is not None and graduate.major_code != major_code:
            raise RowRejected(
                cols.header("major_code"),
                f"graduate {student_no} studies major {graduate.major_code}, not {major_code}",
            )
        return graduate
    if not (name and major_code and year_text.isdigit()):
        raise RowRejected(
            cols.header("student_no"),
            "student number is empty (without it, name, major code and graduation year are needed)",
        )
    matches = [
        g
        for g in look.graduates(org_id)
        if g.name == name and g.major_code == major_code and g.graduation_year == int(year_text)
    ]
    if not matches:
        raise RowRejected(
            cols.header("student_no"),
            f"no graduate {name} of major {major_code}, {year_text} in the store",
        )
    if len(matches) > 1:
        raise RowRejected(
            cols.header("student_no"),
            f"{len(matches)} graduates named {name} of major {major_code}, {year_text}: give the student number",
        )
    if not confirmed:
        g = matches[0]
        raise NeedsConfirmation(
            Candidate(g.profile_id, g.student_no, g.name, major_code, g.graduation_year)
        )
    return matches[0]


def place_of(text: str) -> tuple[str | None, bool | None, bool]:
    """(division code, in circle, abroad) of a reported place: 国外/境外/海外, a foreign
    country or 港澳台 is abroad (出境); otherwise ``domain.place.parse_place`` decides."""
    if not text:
        return None, None, False
    lowered = text.lower()
    if any(word in lowered for word in _ABROAD_PLACE):
        return None, False, True
    place = parse_place(text)
    if place is None:
        return None, None, False
    if place.province_code in _ABROAD_PROVINCES:
        return place.code, False, True
    return place.code, place.in_circle, False


def check_row(
    row: SourceRow,
    cols: Columns,
    look: Lookups,
    *,
    default_college: str | None,
    allowed_college: str | None,
    today: dt.date,
    confirmed: bool = False,
) -> PlacementValues:
    """The values of the placement a row reports (see the module docstring)."""

    def cell(field: str) -> str:
        return cols.cell(row.values, field)

    college = cell("college_code") or (default_college or "")
    if not college:
        raise RowRejected(cols.header("college_code"), "college code is empty")
    if allowed_college is not None and college != allowed_college:
        raise RowRejected(
            cols.header("college_code"),
            f"graduate of college {college}: you may import placements of {allowed_college} only",
        )
    org_id = look.colleges.get(college)
    if org_id is None:
        raise RowRejected(cols.header("college_code"), f"unknown college {college!r}")
    major_code = cell("major_code").upper()
    if major_code and major_code not in look.major_codes:
        raise RowRejected(cols.header("major_code"), f"unknown major code {major_code!r}")
    year_text = cell("graduation_year")
    if year_text and not re.fullmatch(r"\d{4}", year_text):
        raise RowRejected(cols.header("graduation_year"), f"not a year: {year_text!r}")
    graduate = _find_graduate(row, cols, look, org_id, confirmed)
    if year_text and int(year_text) != graduate.graduation_year:
        raise RowRejected(
            cols.header("graduation_year"),
            f"graduate {graduate.student_no} graduates in {graduate.graduation_year}, not {year_text}",
        )
    parsed = parse_destination(cell("destination"))
    if parsed is None:
        what = cell("destination")
        reason = f"unknown destination {what!r}" if what else "destination is empty"
        raise RowRejected(cols.header("destination"), reason)
    destination, abroad = parsed
    employer = cell("employer") or None
    if destination == "employed" and employer is None:
        raise RowRejected(cols.header("employer"), "employed, but no employer is named")
    start_date: dt.date | None = None
    if text := cell("start_date"):
        try:
            start_date = parse_start_date(text)
        except ValueError as exc:
            raise RowRejected(cols.header("start_date"), str(exc)) from None
        if start_date.year < MIN_START_YEAR:
            raise RowRejected(
                cols.header("start_date"), f"impossible start date {text} (before {MIN_START_YEAR})"
            )
        if start_date > today + dt.timedelta(days=365):
            raise RowRejected(
                cols.header("start_date"), f"impossible start date {text} (more than a year ahead)"
            )
        if start_date.year < graduate.graduation_year - 1:
            raise RowRejected(
                cols.header("start_date"),
                f"impossible start date {text} (graduation in {graduate.graduation_year})",
            )
    salary: int | None = None
    if text := cell("salary"):
        try:
            salary = parse_monthly_salary(text)
        except ValueError as exc:
            raise RowRejected(cols.header("salary"), str(exc)) from None
    try:
        signed = parse_yes_no(cell("contract_signed"))
    except ValueError as exc:
        raise RowRejected(cols.header("contract_signed"), str(exc)) from None
    place_text = cell("place") or None
    division_code, in_circle, place_abroad = place_of(place_text or "")
    occupation_code = unicodedata.normalize("NFKC", cell("occupation_code")).strip() or None
    employer_code = cell("employer_code")
    employer_id = look.employers_by_code.get(employer_code) if employer_code else None
    if employer_id is None and employer is not None:
        employer_id = look.employers_by_name.get(employer)
    try:
        flagged = bool(parse_yes_no(cell("is_sample")))
    except ValueError:
        flagged = False
    return PlacementValues(
        profile_id=graduate.profile_id,
        organization_id=org_id,
        destination=destination,
        employer_name=employer[:200] if employer else None,
        employer_id=employer_id,
        job_title=(cell("job_title") or None) and cell("job_title")[:200],
        occupation_code=occupation_code[:20] if occupation_code else None,
        occupation_id=look.occupations.get(occupation_code) if occupation_code else None,
        place_text=place_text[:200] if place_text else None,
        division_code=division_code,
        in_circle=in_circle,
        abroad=abroad or place_abroad,
        salary_monthly=salary,
        start_date=start_date,
        contract_signed=signed,
        is_sample=graduate.is_sample
        or flagged
        or any(w in cell("is_sample").lower() for w in _SAMPLE_WORDS),
    )
