"""Training plans (人才培养方案) and their courses, imported from CSV/XLSX, with the
skills each course teaches found by the skill extractor.

One row per course::

    college, major_code, [major_level], [direction_zh], year, [plan_name],
    [course_code], course_name, [course_name_en], [kind], [semester], [hours],
    [credits], [description]

``college`` is an organization code or its Chinese name; ``major_code`` a catalog major
(``major_level`` is needed only when the code exists at several levels); ``year`` the
intake year (年级) the plan is for. The college must offer the major (and the direction,
when one is named): import college majors first.

Natural keys: a plan is (college major, direction, year); a course is (plan, course
name). Valid rows are upserted; a changed course is updated and its extracted concepts
(``CourseConcept`` with origin ``extracted``) are replaced, leaving ``manual`` ones. A
course tagged by an older taxonomy version is tagged again. Re-running an import with
the same file and taxonomy changes nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import delete, select
from sqlalchemy.orm import Session, sessionmaker

from talentbridge.pipeline.readers import SourceRow
from talentbridge.pipeline.runs import ImportRecorder, ImportReport, Progress, run_import
from talentbridge.store.tables import CollegeMajor, Direction, Major, Organization
from talentbridge.store.teaching_tables import Course, CourseConcept, TrainingPlan
from talentbridge.taxonomy.extractor import Extractor, extractor_for
from talentbridge.taxonomy.majors import CATALOG, parse_level

COURSE_COLUMNS = (
    "college",
    "major_code",
    "major_level",
    "direction_zh",
    "year",
    "plan_name",
    "course_code",
    "course_name",
    "course_name_en",
    "kind",
    "semester",
    "hours",
    "credits",
    "description",
)
REQUIRED = ("college", "major_code", "year", "course_name")
MIN_YEAR, MAX_YEAR = 1950, 2100
MAX_DESCRIPTION = 20_000
MIN_CONFIDENCE = 0.5  # hits below this are not recorded as taught


class _Reject(Exception):
    def __init__(self, column: str, reason: str) -> None:
        super().__init__(reason)
        self.column = column
        self.reason = reason


def _int(row: SourceRow, column: str, low: int, high: int, *, required: bool) -> int | None:
    text = row.get(column).replace(",", "")
    if not text:
        if required:
            raise _Reject(column, "value is missing")
        return None
    try:
        value = float(text)
    except ValueError:
        raise _Reject(column, f"{text!r} is not a whole number") from None
    if value != int(value):
        raise _Reject(column, f"{text!r} is not a whole number")
    if not low <= value <= high:
        raise _Reject(column, f"{int(value)} is outside {low}–{high}")
    return int(value)


def _credits(row: SourceRow) -> float | None:
    text = row.get("credits")
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        raise _Reject("credits", f"{text!r} is not a number") from None
    if not 0 <= value <= 60:
        raise _Reject("credits", f"{text} is outside 0–60")
    return value


def _text(row: SourceRow, column: str, limit: int) -> str | None:
    value = row.get(column)
    if len(value) > limit:
        raise _Reject(column, f"longer than {limit} characters")
    return value or None


@dataclass(frozen=True)
class CourseFields:
    code: str | None
    name: str
    name_en: str | None
    kind: str | None
    semester: int | None
    hours: int | None
    credits: float | None
    description: str

    def of(self, course: Course) -> bool:
        """Whether ``course`` already holds these values."""
        return (
            course.code,
            course.name_en,
            course.kind,
            course.semester,
            course.hours,
            course.credits,
            course.description or "",
        ) == (
            self.code,
            self.name_en,
            self.kind,
            self.semester,
            self.hours,
            self.credits,
            self.description,
        )

    def apply(self, course: Course) -> None:
        course.code = self.code
        course.name_en = self.name_en
        course.kind = self.kind
        course.semester = self.semester
        course.hours = self.hours
        course.credits = self.credits
        course.description = self.description


def _fields(row: SourceRow) -> CourseFields:
    name = _text(row, "course_name", 200)
    if not name:
        raise _Reject("course_name", "value is missing")
    description = row.get("description")
    if len(description) > MAX_DESCRIPTION:
        raise _Reject("description", f"longer than {MAX_DESCRIPTION} characters")
    return CourseFields(
        code=_text(row, "course_code", 40),
        name=name,
        name_en=_text(row, "course_name_en", 300),
        kind=_text(row, "kind", 40),
        semester=_int(row, "semester", 1, 12, required=False),
        hours=_int(row, "hours", 0, 2000, required=False),
        credits=_credits(row),
        description=description,
    )


@dataclass
class _Lookup:
    """Colleges, majors, offerings, directions and plans loaded once per import."""

    colleges: dict[str, Organization]
    majors: dict[str, list[Major]]
    offerings: dict[tuple[int, int], CollegeMajor]
    directions: dict[tuple[int, str], Direction]
    plans: dict[tuple[int, int, int], TrainingPlan]

    @classmethod
    def load(cls, session: Session) -> _Lookup:
        colleges: dict[str, Organization] = {}
        for org in session.scalars(select(Organization).where(Organization.kind == "college")):
            colleges[org.code] = org
            colleges.setdefault(org.name_zh, org)
        majors: dict[str, list[Major]] = {}
        query = select(Major).where(Major.catalog == CATALOG, Major.item_level == "major")
        for major in session.scalars(query):
            majors.setdefault(major.code, []).append(major)
        return cls(
            colleges=colleges,
            majors=majors,
            offerings={
                (cm.organization_id, cm.major_id): cm
                for cm in session.scalars(select(CollegeMajor))
            },
            directions={
                (d.college_major_id, d.name_zh): d for d in session.scalars(select(Direction))
            },
            plans={
                (p.college_major_id, p.direction_key, p.year): p
                for p in session.scalars(select(TrainingPlan))
            },
        )

    def college(self, row: SourceRow) -> Organization:
        text = row.get("college")
        college = self.colleges.get(text)
        if college is None:
            raise _Reject("college", f"unknown college {text!r} (give its code or Chinese name)")
        return college

    def major(self, row: SourceRow) -> Major:
        code = row.get("major_code").upper()
        found = self.majors.get(code, [])
        level_text = row.get("major_level")
        if level_text:
            level = parse_level(level_text)
            if level is None:
                raise _Reject("major_level", f"unknown level {level_text!r}")
            found = [m for m in found if m.level == level]
        if not found:
            raise _Reject("major_code", f"unknown catalog major {code!r}")
        if len(found) > 1:
            raise _Reject("major_level", f"{code} exists at several levels: name the level")
        return found[0]

    def offering(self, college: Organization, major: Major) -> CollegeMajor:
        offering = self.offerings.get((college.id, major.id))
        if offering is None:
            raise _Reject(
                "major_code",
                f"{college.code} does not offer major {major.code}; import college majors first",
            )
        return offering

    def direction(self, offering: CollegeMajor, row: SourceRow) -> Direction | None:
        name = row.get("direction_zh")
        if not name:
            return None
        direction = self.directions.get((offering.id, name))
        if direction is None:
            raise _Reject("direction_zh", f"{name!r} is not a direction of this college major")
        return direction


def tag_course(session: Session, course: Course, extractor: Extractor) -> int:
    """Replace the course's extracted concepts with what ``extractor`` finds in its name
    and description (manual ones stay). Returns the number of concepts recorded."""
    session.execute(
        delete(CourseConcept).where(
            CourseConcept.course_id == course.id, CourseConcept.origin == "extracted"
        )
    )
    manual = set(
        session.scalars(
            select(CourseConcept.concept_id).where(
                CourseConcept.course_id == course.id, CourseConcept.origin == "manual"
            )
        )
    )
    text = f"{course.name}\n{course.description or ''}"
    hits = extractor.concepts(text)
    added = 0
    for concept_id, hit in sorted(hits.items()):
        if hit.negated or hit.confidence < MIN_CONFIDENCE or concept_id in manual:
            continue
        session.add(
            CourseConcept(
                course_id=course.id,
                concept_id=concept_id,
                confidence=round(hit.confidence, 3),
                origin="extracted",
            )
        )
        added += 1
    course.extracted_version = extractor.version or None
    return added


def _process(session: Session, rows: Iterator[SourceRow], rec: ImportRecorder) -> None:
    lookup = _Lookup.load(session)
    extractor = extractor_for(session)
    version = extractor.version or None
    courses: dict[tuple[int, str], Course] = {}
    for stored in session.scalars(select(Course)):
        courses[(stored.training_plan_id, stored.name)] = stored
    seen: dict[tuple[int, int, int, str], SourceRow] = {}
    for row in rows:
        try:
            college = lookup.college(row)
            major = lookup.major(row)
            year = _int(row, "year", MIN_YEAR, MAX_YEAR, required=True)
            offering = lookup.offering(college, major)
            direction = lookup.direction(offering, row)
            fields = _fields(row)
            plan_name = _text(row, "plan_name", 200)
        except _Reject as exc:
            rec.reject(row, exc.column, exc.reason)
            continue
        assert year is not None
        direction_key = direction.id if direction is not None else 0
        key = (offering.id, direction_key, year, fields.name)
        if key in seen:
            if seen[key].values == row.values:
                rec.duplicate()
            else:
                rec.reject(row, "course_name", f"repeats row {seen[key].row_number}")
            continue
        seen[key] = row
        changed = False
        plan = lookup.plans.get((offering.id, direction_key, year))
        if plan is None:
            plan = TrainingPlan(
                college_major_id=offering.id,
                direction_id=direction.id if direction is not None else None,
                direction_key=direction_key,
                year=year,
                name=plan_name,
                import_run_id=rec.run_id,
            )
            session.add(plan)
            session.flush()
            lookup.plans[(offering.id, direction_key, year)] = plan
            changed = True
        elif plan_name and plan.name != plan_name:
            plan.name = plan_name
            changed = True
        course = courses.get((plan.id, fields.name))
        if course is None:
            created = Course(training_plan_id=plan.id, name=fields.name, import_run_id=rec.run_id)
            fields.apply(created)
            session.add(created)
            session.flush()
            courses[(plan.id, fields.name)] = created
            tag_course(session, created, extractor)
            changed = True
        elif not fields.of(course):
            fields.apply(course)
            course.import_run_id = rec.run_id
            tag_course(session, course, extractor)
            changed = True
        elif course.extracted_version != version:
            tag_course(session, course, extractor)
            changed = True
        if changed:
            rec.stored()
        else:
            rec.unchanged()


def import_courses(
    factory: sessionmaker[Session],
    path: Path,
    *,
    user_id: int | None = None,
    rejects_dir: Path | None = None,
    progress: Progress | None = None,
) -> ImportReport:
    """Import training-plan courses (one row per course) and tag their skills."""
    return run_import(
        factory,
        path,
        kind="courses",
        required=REQUIRED,
        process=_process,
        user_id=user_id,
        rejects_dir=rejects_dir,
        progress=progress,
    )
