"""The optional columns of the student import: skills, certificates, wishes and the
protected attributes the college records for the fairness audit.

Columns (English or Chinese headers): skills (技能), certificates (证书), wish_cities
(意向城市), expected_salary (期望薪资), summary (自我评价); and gender (性别), birth_year
(出生年份), ethnicity (民族), marital_status (婚姻状况), hukou_province (户籍 / 户口所在地)
and health_note (健康状况), read and stored by ``matching.protected`` into
``profile_protected`` (never a feature of the engine). Lists are separated by
、 , ， ; ； | / or line breaks.

* **skills / certificates** are resolved to taxonomy concepts (``concept_refs``) and
  stored as ``profile_concept`` rows with source ``college``; the file is authoritative
  for that source only (what the student entered or confirmed is never touched), so an
  empty cell clears the college's list and a re-import changes nothing.
* **wish_cities / expected_salary / summary** fill the profile's wish where the cell has
  a value; an empty cell leaves the wish as it is (it may be the student's own).
* **protected attributes** come only from the college: a present column sets the value
  and an empty cell clears it; a column the file does not have leaves it alone.

A value that cannot be used (an unknown skill, a place that is not a city, a salary that
cannot be read) does **not** reject the row: the row is stored without that value, and
a ``rejected_row`` is recorded for the run with the column and a reason starting with
``kept:`` (a warning: the run's counts still say the row was stored, and it is not
written to the rejects file, which holds rows to fix and import again).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from talentbridge.domain.salary import parse_salary
from talentbridge.matching.concept_refs import ConceptResolver, kinds_of
from talentbridge.matching.profile_access import ProfileInputError
from talentbridge.matching.profile_edit import resolve_city
from talentbridge.matching.protected import PROTECTED_ALIASES, apply_protected, read_protected
from talentbridge.pipeline.readers import SourceRow
from talentbridge.store.matching_tables import ProfileConcept, ProfileWish
from talentbridge.store.tables import Concept, RejectedRow, utcnow

EXTRA_ALIASES: dict[str, tuple[str, ...]] = {
    "skills": ("skills", "技能", "专业技能"),
    "certificates": ("certificates", "证书", "资格证书"),
    "wish_cities": ("wish_cities", "意向城市", "期望城市"),
    "expected_salary": ("expected_salary", "期望薪资", "期望月薪"),
    "summary": ("summary", "自我评价", "个人简介"),
    **PROTECTED_ALIASES,
}
WARNING_PREFIX = "kept: "
MAX_SUMMARY = 5000
_LIST = re.compile(r"[、,，;；|/\n]+")


@dataclass
class Extras:
    """What the optional cells of one row say; ``None`` where the file has no column."""

    concepts: dict[str, list[int]] = field(default_factory=dict)  # group -> concept ids
    cities: list[str] | None = None
    salary_min: int | None = None
    summary: str | None = None
    protected: dict[str, object] = field(default_factory=dict)  # present columns only
    warnings: list[tuple[str, str]] = field(default_factory=list)  # (column, reason)

    @property
    def touches_wish(self) -> bool:
        return bool(self.cities) or self.salary_min is not None or bool(self.summary)


def split_list(cell: str) -> list[str]:
    return [item.strip() for item in _LIST.split(cell) if item.strip()]


class ExtrasReader:
    """Reads the optional columns a file has (``cols``: canonical → header)."""

    def __init__(self, session: Session, cols: Mapping[str, str], present: set[str]) -> None:
        self.cols = {name: header for name, header in cols.items() if name in EXTRA_ALIASES}
        self.present = {name for name, header in self.cols.items() if header in present}
        self.resolver = ConceptResolver(session)

    @property
    def active(self) -> bool:
        return bool(self.present)

    def read(self, row: SourceRow) -> Extras:
        extras = Extras()
        for group, column in (("skills", "skills"), ("certificates", "certificates")):
            if column not in self.present:
                continue
            ids: list[int] = []
            for item in split_list(row.get(self.cols[column])):
                found = self.resolver.resolve(item, kinds_of(group))
                if found.concept_id is None:
                    extras.warnings.append((self.cols[column], found.reason or "unknown"))
                elif found.concept_id not in ids:
                    ids.append(found.concept_id)
            extras.concepts[group] = ids
        if "wish_cities" in self.present:
            extras.cities = []
            for item in split_list(row.get(self.cols["wish_cities"])):
                try:
                    code = resolve_city(item)
                except ProfileInputError as exc:
                    extras.warnings.append((self.cols["wish_cities"], exc.reason))
                    continue
                if code not in extras.cities:
                    extras.cities.append(code)
        salary_text = (
            row.get(self.cols["expected_salary"]) if "expected_salary" in self.present else ""
        )
        if salary_text:
            salary = parse_salary(salary_text)
            amount = (salary.min_monthly or salary.max_monthly) if salary else None
            if amount is None:
                extras.warnings.append((self.cols["expected_salary"],
                                        f"cannot read a monthly salary in {salary_text!r}"))  # fmt: skip
            extras.salary_min = amount
        summary = row.get(self.cols["summary"]) if "summary" in self.present else ""
        if summary:
            if len(summary) > MAX_SUMMARY:
                extras.warnings.append((self.cols["summary"], f"cut to {MAX_SUMMARY} characters"))
            extras.summary = summary[:MAX_SUMMARY]
        extras.protected, problems = read_protected(
            lambda name: row.get(self.cols[name]), self.present & set(PROTECTED_ALIASES)
        )
        extras.warnings += [(self.cols[name], reason) for name, reason in problems]
        return extras


def apply_extras(session: Session, profile_id: int, extras: Extras) -> bool:
    """Store a row's extras on its profile; whether anything changed."""
    changed = False
    for group, ids in extras.concepts.items():
        kinds = kinds_of(group)
        rows = session.execute(
            select(ProfileConcept, Concept.kind)
            .join(Concept, Concept.id == ProfileConcept.concept_id)
            .where(ProfileConcept.profile_id == profile_id, ProfileConcept.source == "college")
        ).all()
        current = {pc.concept_id: pc for pc, kind in rows if kind in kinds}
        for cid, held in current.items():
            if cid not in ids:
                session.delete(held)
                changed = True
        for cid in ids:
            if cid not in current:
                session.add(ProfileConcept(profile_id=profile_id, concept_id=cid,
                                           source="college", confirmed=True))  # fmt: skip
                changed = True
    if extras.touches_wish:
        wish = session.get(ProfileWish, profile_id)
        if wish is None:
            wish = ProfileWish(profile_id=profile_id, willing_to_relocate=True,
                               willing_to_go_abroad=False, summary="")  # fmt: skip
            session.add(wish)
            changed = True
        updates: dict[str, object] = {}
        if extras.cities:
            updates["city_codes"] = extras.cities
        if extras.salary_min is not None:
            updates["salary_min"] = extras.salary_min
        if extras.summary:
            updates["summary"] = extras.summary
        for name, value in updates.items():
            if getattr(wish, name) != value:
                setattr(wish, name, value)
                changed = True
        if changed:
            wish.updated_at = utcnow()
    if apply_protected(session, profile_id, extras.protected):
        changed = True
    return changed


def record_warnings(session: Session, run_id: int, row: SourceRow, extras: Extras) -> None:
    """One ``rejected_row`` per unusable value of a row that was stored anyway."""
    session.add_all(
        RejectedRow(import_run_id=run_id, row_number=row.row_number, field=column,
                    reason=WARNING_PREFIX + reason, raw=dict(row.values))
        for column, reason in extras.warnings
    )  # fmt: skip
