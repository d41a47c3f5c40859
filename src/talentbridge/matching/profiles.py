"""Bulk import of a college's students into ``Profile`` records.

Columns (English or Chinese headers): college_code (院校代码), student_no (学号), name
(姓名), major_level (专业层次; default ``associate``), major_code (专业代码),
direction_zh (专业方向), graduation_year (毕业年份), phone (手机), email (邮箱),
visible_to_employers (同意向用人单位展示), source (来源). A file without a college
column can be imported for one college with ``college_code=``. Optional columns for
skills (技能), certificates (证书), wish cities (意向城市), expected salary (期望薪资) and
summary (自我评价), and the protected attributes the college records for the fairness
audit (性别, 出生年份, 民族, 婚姻状况, 户籍, 健康状况; ``matching.protected``) are read by
``matching.profile_extras``: a value there that cannot be used is left out and recorded
as a ``kept:`` warning, and the row is still stored.

Each row is checked (known college that offers the major, known direction, plausible
year, well-formed contact data, no second row for the same student); good rows are
upserted by (college, student_no), so re-running the same file changes nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from talentbridge.matching.profile_extras import (
    EXTRA_ALIASES,
    Extras,
    ExtrasReader,
    apply_extras,
    record_warnings,
)
from talentbridge.pipeline.readers import SourceRow, read_table
from talentbridge.pipeline.runs import (
    ImportRecorder,
    ImportReport,
    Progress,
    RowProcessor,
    run_import,
)
from talentbridge.privacy import consent
from talentbridge.privacy.classification import record_refusal, refused_columns, refusing
from talentbridge.store.tables import CollegeMajor, Direction, Major, Organization, Profile
from talentbridge.taxonomy.majors import CATALOG, parse_level

KIND = "profiles"
DEFAULT_LEVEL = "associate"
MIN_YEAR, MAX_YEAR = 1980, 2100

# canonical column -> accepted header spellings (the canonical name first)
ALIASES: dict[str, tuple[str, ...]] = {
    "college_code": ("college_code", "院校代码", "学校代码", "院校编码"),
    "student_no": ("student_no", "学号"),
    "name": ("name", "姓名"),
    "major_level": ("major_level", "专业层次", "层次", "培养层次"),
    "major_code": ("major_code", "专业代码"),
    "direction_zh": ("direction_zh", "专业方向", "方向"),
    "graduation_year": ("graduation_year", "毕业年份", "届别"),
    "phone": ("phone", "手机", "手机号", "联系电话"),
    "email": ("email", "邮箱", "电子邮箱"),
    "visible_to_employers": ("visible_to_employers", "同意向用人单位展示", "是否公开"),
    "source": ("source", "来源"),
    "is_sample": ("is_sample", "示例数据"),
    **EXTRA_ALIASES,
}
REQUIRED = ("student_no", "name", "major_code", "graduation_year")

_TRUE = {"true", "1", "yes", "y", "是", "同意", "公开", "t"}
_FALSE = {"false", "0", "no", "n", "否", "不同意", "不公开", "f", ""}
_PHONE = re.compile(r"^\+?[0-9][0-9 \-]{5,38}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_SAMPLE_WORDS = ("示例", "sample")


class _Reject(Exception):
    def __init__(self, field: str, reason: str) -> None:
        super().__init__(reason)
        self.field = field
        self.reason = reason


@dataclass(frozen=True)
class _Values:
    organization_id: int
    college_major_id: int
    direction_id: int | None
    student_no: str
    name: str
    phone: str | None
    email: str | None
    graduation_year: int
    visible_to_employers: bool
    is_sample: bool


def _column_map(columns: tuple[str, ...] | None) -> dict[str, str]:
    """canonical name -> the header this file uses for it (canonical when absent)."""
    present = set(columns or ())
    mapping: dict[str, str] = {}
    for canonical, spellings in ALIASES.items():
        mapping[canonical] = next((s for s in spellings if s in present), canonical)
    return mapping


def parse_consent(text: str) -> bool:
    """Whether a consent cell says yes; ``ValueError`` when it says neither yes nor no."""
    value = text.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ValueError(f"expected yes/no (true/false, 是/否), got {text!r}")


class _Lookups:
    """Reference data and existing profiles, loaded once per run."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.colleges = {
            o.code: o.id
            for o in session.scalars(select(Organization).where(Organization.kind == "college"))
        }
        self.majors = {
            (m.level, m.code): m.id
            for m in session.scalars(
                select(Major).where(Major.catalog == CATALOG, Major.item_level == "major")
            )
        }
        self.offers = {
            (cm.organization_id, cm.major_id): cm.id for cm in session.scalars(select(CollegeMajor))
        }
        self.directions = {
            (d.college_major_id, d.name_zh): d.id for d in session.scalars(select(Direction))
        }
        self._profiles: dict[int, dict[str, Profile]] = {}

    def profiles_of(self, organization_id: int) -> dict[str, Profile]:
        if organization_id not in self._profiles:
            self._profiles[organization_id] = {
                p.student_no: p
                for p in self.session.scalars(
                    select(Profile).where(Profile.organization_id == organization_id)
                )
            }
        return self._profiles[organization_id]


def _validate(
    row: SourceRow, cols: dict[str, str], look: _Lookups, default_college: str | None
) -> _Values:
    def cell(name: str) -> str:
        return row.get(cols[name])

    college = cell("college_code") or (default_college or "")
    if not college:
        raise _Reject(cols["college_code"], "college code is empty")
    if default_college and college != default_college:
        raise _Reject(
            cols["college_code"],
            f"row is for college {college}, but the import is for {default_college}",
        )
    org_id = look.colleges.get(college)
    if org_id is None:
        raise _Reject(cols["college_code"], f"unknown college {college!r}")
    student_no = cell("student_no")
    if not student_no:
        raise _Reject(cols["student_no"], "student number is empty")
    if len(student_no) > 40:
        raise _Reject(cols["student_no"], "student number is longer than 40 characters")
    name = cell("name")
    if not name:
        raise _Reject(cols["name"], "name is empty")
    if len(name) > 100:
        raise _Reject(cols["name"], "name is longer than 100 characters")
    level = parse_level(cell("major_level") or DEFAULT_LEVEL)
    if level is None:
        raise _Reject(cols["major_level"], f"unknown major level {cell('major_level')!r}")
    code = cell("major_code").upper()
    major_id = look.majors.get((level, code))
    if major_id is None:
        raise _Reject(cols["major_code"], f"unknown major {code!r} at level {level}")
    cm_id = look.offers.get((org_id, major_id))
    if cm_id is None:
        raise _Reject(cols["major_code"], f"college {college} does not offer major {code}")
    direction = cell("direction_zh")
    direction_id: int | None = None
    if direction:
        direction_id = look.directions.get((cm_id, direction))
        if direction_id is None:
            raise _Reject(
                cols["direction_zh"], f"college {college} has no direction {direction!r} in {code}"
            )
    year_text = cell("graduation_year")
    if not re.fullmatch(r"\d{4}", year_text) or not MIN_YEAR <= int(year_text) <= MAX_YEAR:
        raise _Reject(
            cols["graduation_year"], f"graduation year must be a year like 2026, got {year_text!r}"
        )
    phone = cell("phone") or None
    if phone is not None and not _PHONE.match(phone):
        raise _Reject(cols["phone"], f"not a phone number: {phone!r}")
    email = cell("email") or None
    if email is not None and (len(email) > 200 or not _EMAIL.match(email)):
        raise _Reject(cols["email"], f"not an e-mail address: {email!r}")
    try:
        visible = parse_consent(cell("visible_to_employers"))
    except ValueError as exc:
        raise _Reject(cols["visible_to_employers"], str(exc)) from None
    source = cell("source").lower()
    try:
        flagged = parse_consent(cell("is_sample"))
    except ValueError as exc:
        raise _Reject(cols["is_sample"], str(exc)) from None
    return _Values(
        organization_id=org_id,
        college_major_id=cm_id,
        direction_id=direction_id,
        student_no=student_no,
        name=name,
        phone=phone,
        email=email,
        graduation_year=int(year_text),
        visible_to_employers=visible,
        is_sample=flagged or any(word in source for word in _SAMPLE_WORDS),
    )


_FIELDS = (
    "college_major_id",
    "direction_id",
    "name",
    "phone",
    "email",
    "graduation_year",
    "visible_to_employers",
    "is_sample",
)


def _apply(profile: Profile, values: _Values, run_id: int) -> bool:
    changed = False
    for name in _FIELDS:
        new = getattr(values, name)
        if getattr(profile, name) != new:
            setattr(profile, name, new)
            changed = True
    if changed:
        profile.import_run_id = run_id
    return changed


def _processor(
    default_college: str | None,
    cols: dict[str, str],
    present: set[str],
    consent_by: tuple[int | None, str],
) -> RowProcessor:
    def process(session: Session, rows: Iterator[SourceRow], rec: ImportRecorder) -> None:
        look = _Lookups(session)
        extras_reader = ExtrasReader(session, cols, present)
        seen: dict[tuple[int, str], SourceRow] = {}
        pending: list[tuple[Profile, SourceRow, Extras, bool]] = []  # (…, core changed)
        consented: list[Profile] = []  # new profiles, or consent changed by the file
        for row in rows:
            try:
                values = _validate(row, cols, look, default_college)
            except _Reject as exc:
                rec.reject(row, exc.field, exc.reason)
                continue
            key = (values.organization_id, values.student_no)
            earlier = seen.get(key)
            if earlier is not None:
                if earlier.values == row.values:
                    rec.duplicate()
                else:
                    rec.reject(
                        row,
                        cols["student_no"],
                        f"duplicate student number {values.student_no}; "
                        f"row {earlier.row_number} has it already",
                    )
                continue
            seen[key] = row
            existing = look.profiles_of(values.organization_id)
            profile = existing.get(values.student_no)
            if profile is None:
                profile = Profile(
                    organization_id=values.organization_id, student_no=values.student_no
                )
                _apply(profile, values, rec.run_id)
                session.add(profile)
                existing[values.student_no] = profile
                changed = True
                consented.append(profile)
            else:
                before = profile.visible_to_employers
                changed = _apply(profile, values, rec.run_id)
                if profile.visible_to_employers != before:
                    consented.append(profile)
            if not extras_reader.active:
                if changed:
                    rec.stored()
                else:
                    rec.unchanged()
                continue
            pending.append((profile, row, extras_reader.read(row), changed))
        if pending:
            session.flush()  # new profiles get their ids
        for profile, row, extras, changed in pending:
            if apply_extras(session, profile.id, extras) or changed:
                profile.import_run_id = rec.run_id
                rec.stored()
            else:
                rec.unchanged()
            record_warnings(session, rec.run_id, row, extras)
        if consented:
            session.flush()
            actor, channel = consent_by
            for profile in consented:  # the file's consent column, as evidence (PIPL art. 14)
                consent.record_state(session, profile, actor_user_id=actor, channel=channel,
                                     purposes=("employer_visibility",))  # fmt: skip

    return process


def import_profiles(
    factory: sessionmaker[Session],
    path: Path,
    *,
    user_id: int | None = None,
    college_code: str | None = None,
    rejects_dir: Path | None = None,
    progress: Progress | None = None,
    consent_channel: str = "import",
) -> ImportReport:
    """Import students from a CSV/XLSX/JSONL file; upsert by (college, student_no).

    ``college_code`` imports a file for one college (rows may then omit the college
    column; rows naming another college are rejected). The consent column of a new
    student, or one the file changes, is recorded as a consent record
    (``privacy.consent``; purpose ``employer_visibility``, actor the importing user,
    channel ``consent_channel``: ``import``, or ``demo`` for the demo's students).
    """
    path = Path(path)
    with read_table(path) as table:
        cols = _column_map(table.columns)
        # JSON Lines has no header: every optional key may appear on any line
        present = set(table.columns) if table.columns is not None else set(cols.values())
        refused = refused_columns(table.columns)  # ID card, home address, photo: not stored
    required = [cols[c] for c in REQUIRED]
    if college_code is None:
        required.insert(0, cols["college_code"])
    report = run_import(
        factory,
        path,
        kind=KIND,
        required=required,
        process=refusing(
            _processor(college_code, cols, present, (user_id, consent_channel)), refused
        ),
        user_id=user_id,
        rejects_dir=rejects_dir,
        progress=progress,
    )
    record_refusal(factory, report, refused)
    return report
